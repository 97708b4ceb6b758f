// Package pbpublic embeds Porchlight's static assets (CSS, logo, landing
// page). They are served from the site root.
package pbpublic

import "embed"

// FS holds the static files.
//
//go:embed *.css *.svg *.html
var FS embed.FS
