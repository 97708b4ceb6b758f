// Package templates embeds the HTML templates of Porchlight's shopper pages.
// A merchant can override any file by putting a file of the same name in the
// directory named by PORCHLIGHT_TEMPLATES_DIR; templates are parsed at
// start-up so a broken one stops the binary instead of a shopper's page.
package templates

import "embed"

// FS holds the default templates.
//
//go:embed *.html
var FS embed.FS
