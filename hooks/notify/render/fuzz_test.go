package render

import (
	"strings"
	"testing"
)

func FuzzEmail(f *testing.F) {
	f.Add(testTemplate.Body, "<script>alert(1)</script>")
	f.Add("[x]({{links.tracking}}) {{customer.first_name}}", "](javascript:alert(1))")
	f.Add("{{#order.items}}{{name}}{{/order.items}}{{^x}}", "{{")
	f.Add("<{{customer.name}}:x> ![a]({{customer.name}})", "javascript")
	f.Add("```\n{{customer.name}}\n```\n> {{customer.name}}\n\n1. {{customer.name}}", "\x00\xff\u2028")
	f.Add("{{", "}}")
	f.Fuzz(func(t *testing.T, body, value string) {
		v := SampleVars()
		v.Customer.FirstName = value
		v.Customer.Name = value
		v.Order.Items = append(v.Order.Items, Item{Name: value})
		v.Links.Guides = append(v.Links.Guides, Link{Title: value, URL: value})
		v.Links.Tracking = value
		tpl := Template{Subject: body, Body: body}
		_ = Check(body, body, ChannelEmail)
		_, _, _, _ = PreviewEmail(tpl, v, Brand{PrimaryColor: value, LogoURL: value, Name: value})
		_, out, text, err := Email(tpl, v, Brand{Name: value})
		if err == nil {
			if strings.Contains(out, "<script") && !strings.Contains(body, "<script") {
				t.Fatalf("script tag from a value: %q", value)
			}
			if strings.Contains(out, `href="javascript`) || strings.Contains(out, `src="javascript`) {
				t.Fatalf("javascript URL in output")
			}
			_ = text
		}
		_, _ = SMS(Template{Body: body}, v)
	})
}
