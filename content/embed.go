// Package content embeds the default setup guides and FAQs and the default
// email/SMS message templates. They seed the guides and message_templates
// collections; the merchant's edits in the admin win from then on.
package content

import "embed"

// FS holds guides/*.md and messages/<key>.<channel>.md.
//
//go:embed guides messages
var FS embed.FS
