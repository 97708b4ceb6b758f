// Package render turns notification templates into an email (inlined HTML
// plus a plain-text alternative) or an SMS body.
//
// # Template syntax
//
// Templates are Markdown (email body) or plain text (email subject, SMS)
// with Mustache-style tags over a fixed variable set (see Variables):
//
//	Hi {{customer.first_name}}, order {{order.number}} is {{shipment.status}}.
//	[Track your parcel]({{links.tracking}})
//
//	{{#order.items}}
//	- {{quantity}} × {{name}}{{#variant}} ({{variant}}){{/variant}}
//	{{/order.items}}
//
//	{{#edd.window}}Expected {{edd.window}}.{{/edd.window}}
//	{{^edd.window}}We'll share a delivery date soon.{{/edd.window}}
//	{{! a comment, not rendered }}
//
// {{#name}}…{{/name}} repeats for each item of a list (its fields are used
// bare inside) or shows once when a value is non-empty; {{^name}}…{{/name}}
// shows when it is empty. A section, close or comment tag alone on a line
// removes that line. {{ always starts a tag.
//
// # Escaping
//
// Values never become markup. In the email body every value is swapped for
// an opaque token before Markdown is parsed, and the tokens are replaced
// after: HTML-escaped in the HTML, raw in the plain text. So a customer named
// "](javascript:alert(1))" or "<script>" is shown literally. A value used as
// a whole link target must be an absolute http(s) (or mailto:/tel:) URL or
// the link is rendered as plain text; a value inside a longer URL is
// percent-encoded. URL variables (Kind "url") that are not http(s) render
// empty everywhere. Values lose control characters and line breaks.
//
// # Errors
//
// Check (on save and at start-up) and the Preview functions fail on unknown
// or misused variables with a *TemplateError naming the variable, line and
// column. Email and SMS, used for sending, render unknown variables as empty
// strings so a stale custom template still sends; they return an error only
// for broken syntax, where the caller should fall back to the default.
//
// The package is pure Go and does not import PocketBase.
package render
