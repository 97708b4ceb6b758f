// Package content embeds the default setup guides and FAQs. They seed the
// guides collection; the merchant's edits in the admin win from then on.
package content

import "embed"

// FS holds guides/*.md.
//
//go:embed guides
var FS embed.FS
