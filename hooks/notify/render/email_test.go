package render

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var testTemplate = Template{
	Subject: "Order {{order.number}} is {{shipment.status}}",
	Body: `# Hi {{customer.first_name}},

Your order **{{order.number}}** from {{shop.name}} is on its way with {{shipment.carrier}}.
Tracking number: ` + "`{{shipment.tracking_number}}`" + `

[Track your parcel]({{links.tracking}})

{{#order.items}}
- {{quantity}} × {{name}}{{#variant}} ({{variant}}){{/variant}}
{{/order.items}}

## Help

{{#links.guides}}
1. [{{title}}]({{url}})
{{/links.guides}}

Expected {{edd.window}}. <b>raw html</b><script>alert(1)</script>
`,
}

var testBrand = Brand{Name: "Juniper & Co", PrimaryColor: "#1A7F37", Address: "1 Main St, Springfield"}

func parseHTML(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func find(root *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func TestEmailStructure(t *testing.T) {
	subject, h, text, err := PreviewEmail(testTemplate, SampleVars(), testBrand)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Order #1042 is In transit" {
		t.Errorf("subject = %q", subject)
	}
	doc := parseHTML(t, h)

	// Key elements carry their styles inline; nothing relies on <style>.
	inline := []struct {
		what  string
		pred  func(*html.Node) bool
		style []string
	}{
		{"body", func(n *html.Node) bool { return n.DataAtom == atom.Body }, []string{"background-color:#f4f5f7"}},
		{"container", func(n *html.Node) bool { return n.DataAtom == atom.Table && hasClass(n, "container") },
			[]string{"width:600px", "border-top:4px solid #1a7f37"}},
		{"content cell", func(n *html.Node) bool { return n.DataAtom == atom.Td && hasClass(n, "content") },
			[]string{"font-size:16px", "font-family:"}},
		{"paragraph", func(n *html.Node) bool {
			return n.DataAtom == atom.P && !hasClass(n, "button-row") && n.Parent != nil && hasClass(n.Parent, "content")
		},
			[]string{"margin:0 0 16px 0"}},
		{"h1", func(n *html.Node) bool { return n.DataAtom == atom.H1 }, []string{"font-size:24px"}},
		{"button", func(n *html.Node) bool { return n.DataAtom == atom.A && hasClass(n, "button") },
			[]string{"background-color:#1a7f37", "color:#ffffff", "display:inline-block", "text-decoration:none"}},
		{"list link", func(n *html.Node) bool {
			return n.DataAtom == atom.A && n.Parent != nil && n.Parent.DataAtom == atom.Li
		},
			[]string{"color:#1a7f37", "text-decoration:underline"}},
		{"code", func(n *html.Node) bool { return n.DataAtom == atom.Code }, []string{"font-family:Menlo"}},
		{"footer", func(n *html.Node) bool { return n.DataAtom == atom.Td && hasClass(n, "footer") }, []string{"font-size:12px"}},
		{"preheader", func(n *html.Node) bool { return hasClass(n, "preheader") }, []string{"display:none"}},
	}
	for _, c := range inline {
		nodes := find(doc, c.pred)
		if len(nodes) == 0 {
			t.Errorf("%s: not found", c.what)
			continue
		}
		for _, n := range nodes {
			style := attr(n, "style")
			for _, s := range c.style {
				if !strings.Contains(style, s) {
					t.Errorf("%s: style %q lacks %q", c.what, style, s)
				}
			}
		}
	}

	// Only what cannot be inlined stays in <style>.
	styles := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Style })
	if len(styles) != 1 {
		t.Fatalf("want one <style>, got %d", len(styles))
	}
	css := textOf(styles[0])
	if !strings.Contains(css, "@media only screen and (max-width: 620px)") || strings.Contains(css, ".content p {") {
		t.Errorf("<style> should hold only @media and pseudo-class rules:\n%s", css)
	}
	if strings.Contains(h, "{{primary}}") || strings.Contains(h, "{{on_primary}}") {
		t.Error("colour placeholders left in output")
	}

	// Exactly one button: the stand-alone tracking link, not list links.
	buttons := find(doc, func(n *html.Node) bool { return hasClass(n, "button") && n.DataAtom == atom.A })
	if len(buttons) != 1 || attr(buttons[0], "href") != "https://track.juniper.example/t/9f2c4e1a" {
		t.Errorf("buttons = %d, want the tracking link", len(buttons))
	}

	// Raw HTML from the template is dropped.
	if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Script || n.DataAtom == atom.B })) != 0 {
		t.Error("raw HTML in the template must be dropped")
	}
	if strings.Contains(h, "raw HTML omitted") {
		t.Error("goldmark's omission comment leaked")
	}

	// Footer: brand, address, support contact, unsubscribe.
	footer := find(doc, func(n *html.Node) bool { return hasClass(n, "footer") })[0]
	ft := textOf(footer)
	for _, s := range []string{"Juniper & Co · 1 Main St, Springfield", "help@juniper.example", "+1 555 010 2030", "Unsubscribe"} {
		if !strings.Contains(ft, s) {
			t.Errorf("footer %q lacks %q", ft, s)
		}
	}
	hrefs := map[string]bool{}
	for _, a := range find(footer, func(n *html.Node) bool { return n.DataAtom == atom.A }) {
		hrefs[attr(a, "href")] = true
	}
	for _, want := range []string{"mailto:help@juniper.example", "tel:+15550102030", "https://track.juniper.example/u/9f2c4e1a"} {
		if !hrefs[want] {
			t.Errorf("footer links %v lack %s", hrefs, want)
		}
	}

	// Plain text: URLs as "text (url)", list markers, footer.
	for _, s := range []string{
		"# Hi", // must not appear: headings lose their markers
	} {
		if strings.Contains(text, s) {
			t.Errorf("text contains %q:\n%s", s, text)
		}
	}
	for _, s := range []string{
		"Hi Ana,\n\nYour order #1042 from Juniper & Co is on its way with UPS.\nTracking number: 1Z999AA10123456784",
		"Track your parcel (https://track.juniper.example/t/9f2c4e1a)",
		"- 1 × Linen shirt (M / Sage)\n- 2 × Canvas tote",
		"1. What does “in transit” mean? (https://track.juniper.example/guides/in-transit)",
		"Expected Tue 7 – Thu 9 Oct.",
		"\n--\nJuniper & Co · 1 Main St, Springfield\nQuestions? Contact us: help@juniper.example · +1 555 010 2030\nUnsubscribe: https://track.juniper.example/u/9f2c4e1a\n",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "<b>") || strings.Contains(text, "<script") {
		t.Errorf("raw HTML tags leaked into text:\n%s", text)
	}
}

func TestEmailBrandOptions(t *testing.T) {
	v := SampleVars()
	v.Links.Unsubscribe = ""
	v.Shop.SupportEmail = "not an email"
	b := Brand{Name: "Shop", LogoURL: "https://cdn.example/logo.png", PrimaryColor: "red; background:url(x)", Lang: "de",
		SupportLabel: "Fragen?", UnsubscribeLabel: "Abmelden"}
	_, h, text, err := Email(Template{Subject: "s", Body: "[Los]({{links.tracking}})"}, v, b)
	if err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, h)
	imgs := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Img && hasClass(n, "logo") })
	if len(imgs) != 1 || attr(imgs[0], "src") != "https://cdn.example/logo.png" || attr(imgs[0], "alt") != "Shop" {
		t.Errorf("logo not rendered: %v", imgs)
	}
	if !strings.Contains(h, "border-top:4px solid "+DefaultPrimaryColor) || strings.Contains(h, "url(x)") {
		t.Error("invalid colour must fall back to the default")
	}
	if !strings.Contains(h, `<html lang="de">`) {
		t.Error("lang not applied")
	}
	if strings.Contains(h, "Abmelden") || strings.Contains(text, "Abmelden") {
		t.Error("no unsubscribe link expected when the URL is empty")
	}
	if strings.Contains(h, "mailto:") || !strings.Contains(text, "Fragen? +1 555 010 2030") {
		t.Errorf("invalid support email must be dropped; text:\n%s", text)
	}

	// A light brand colour gets dark button text.
	_, h, _, _ = Email(Template{Subject: "s", Body: "[Go]({{links.tracking}})"}, v, Brand{PrimaryColor: "#FFE600"})
	if !strings.Contains(h, "color:#111111;") || !strings.Contains(h, "background-color:#ffe600") {
		t.Error("light brand colour should get dark button text")
	}
}

func TestEmailEscapesHostileValues(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`](javascript:alert(1))`,
		`[click](javascript:alert(1))`,
		`{{order.number}}`,
		`**bold** _em_ # heading`,
		"`code` <img src=x onerror=alert(1)>",
		`&lt;script&gt; &amp; &#60;`,
		`\` + "\n\n- list\n> quote\n<div>",
		`<https://evil.example>`,
		`![x](https://evil.example/p.png)`,
		`" onmouseover="alert(1)`,
		`plv0000000000000000x0y`,
	}
	for _, h := range hostile {
		v := SampleVars()
		v.Customer.FirstName = h
		v.Shipment.Substatus = h
		v.Order.Items = []Item{{Name: h, Quantity: 1}}
		v.Links.Guides = []Link{{Title: h, URL: "javascript:alert(1)"}}
		tpl := Template{
			Subject: "Hi {{customer.first_name}}",
			Body: "Hi {{customer.first_name}}!\n\n" +
				"[{{customer.first_name}}]({{links.tracking}} \"{{customer.first_name}}\")\n\n" +
				"`{{shipment.substatus}}`\n\n" +
				"{{#order.items}}\n- {{name}}\n{{/order.items}}\n" +
				"{{#links.guides}}\n* [{{title}}]({{url}})\n{{/links.guides}}\n" +
				"![{{customer.first_name}}](https://cdn.example/a.png)\n",
		}
		subject, out, text, err := PreviewEmail(tpl, v, testBrand)
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		doc := parseHTML(t, out)
		content := find(doc, func(n *html.Node) bool { return hasClass(n, "content") })[0]
		// No element or attribute came from a value.
		for n := range content.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			switch n.DataAtom {
			case atom.P, atom.A, atom.Ul, atom.Li, atom.Code, atom.Img, atom.Br:
			default:
				t.Errorf("%q: unexpected <%s> in content", h, n.Data)
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "style", "class", "title", "alt":
				case "href":
					if a.Val != "https://track.juniper.example/t/9f2c4e1a" {
						t.Errorf("%q: unexpected href %q", h, a.Val)
					}
				case "src":
					if a.Val != "https://cdn.example/a.png" {
						t.Errorf("%q: unexpected src %q", h, a.Val)
					}
				default:
					t.Errorf("%q: unexpected attribute %s=%q", h, a.Key, a.Val)
				}
			}
		}
		links := find(content, func(n *html.Node) bool { return n.DataAtom == atom.A })
		if len(links) != 1 {
			t.Errorf("%q: want exactly the template's one link, got %d", h, len(links))
		}
		// The value is shown literally (control characters become spaces).
		shown := clean(h, KindText)
		if !strings.Contains(textOf(content), shown) {
			t.Errorf("%q: value not shown literally in HTML text", h)
		}
		if !strings.Contains(text, shown) {
			t.Errorf("%q: value not shown literally in plain text:\n%s", h, text)
		}
		if !strings.Contains(subject, strings.Join(strings.Fields(shown), " ")) {
			t.Errorf("%q: subject %q", h, subject)
		}
		if strings.Contains(out, "javascript:") && !strings.Contains(shown, "javascript:") {
			t.Errorf("%q: javascript URL leaked", h)
		}
		if strings.Contains(out, "<script") {
			t.Errorf("%q: script tag in output", h)
		}
	}
}

func TestEmailLinkDestinations(t *testing.T) {
	v := SampleVars()
	v.Order.Number = "#10 42&x=1/../"
	v.Customer.Name = "javascript:alert(1)"
	cases := []struct {
		body     string
		wantHref string // "" means rendered without a link
		wantText string
	}{
		{"[t]({{links.tracking}})", "https://track.juniper.example/t/9f2c4e1a", "t (https://track.juniper.example/t/9f2c4e1a)"},
		{"[t](https://shop.example/track?o={{order.number}})", "https://shop.example/track?o=%2310%2042%26x%3D1%2F..%2F", "t (https://shop.example/track?o=%2310%2042%26x%3D1%2F..%2F)"},
		{"[t](https://shop.example/o/{{order.number}})", "https://shop.example/o/%2310%2042%26x%3D1%2F..%2F", ""},
		{"[t]({{customer.name}})", "", "t"},
		{"[t]({{customer.name}}/x)", "", "t"},
		{"<https://shop.example/o/{{order.number}}>", "https://shop.example/o/%2310%2042%26x%3D1%2F..%2F", ""},
		{"<{{customer.name}}:x>", "", ""},
		{"[t][ref]\n\n[ref]: {{links.returns}}", "https://track.juniper.example/returns/9f2c4e1a", "t (https://track.juniper.example/returns/9f2c4e1a)"},
		{"[mail](mailto:help@juniper.example)", "mailto:help@juniper.example", "mail (mailto:help@juniper.example)"},
		{"<help@juniper.example>", "mailto:help@juniper.example", "help@juniper.example"},
		{"[t](javascript:alert(1))", "", "t"},
		{"[t](data:text/html,x)", "", "t"},
		{"[t](/relative)", "", "t"},
		{"[{{links.tracking}}]({{links.tracking}})", "https://track.juniper.example/t/9f2c4e1a", "https://track.juniper.example/t/9f2c4e1a"},
	}
	for _, tc := range cases {
		_, out, text, err := Email(Template{Subject: "s", Body: tc.body}, v, Brand{})
		if err != nil {
			t.Fatalf("%s: %v", tc.body, err)
		}
		content := find(parseHTML(t, out), func(n *html.Node) bool { return hasClass(n, "content") })[0]
		links := find(content, func(n *html.Node) bool { return n.DataAtom == atom.A })
		switch {
		case tc.wantHref == "" && len(links) != 0:
			t.Errorf("%s: want no link, got href %q", tc.body, attr(links[0], "href"))
		case tc.wantHref != "" && (len(links) != 1 || attr(links[0], "href") != tc.wantHref):
			t.Errorf("%s: links %d, href %q; want %q", tc.body, len(links), func() string {
				if len(links) > 0 {
					return attr(links[0], "href")
				}
				return ""
			}(), tc.wantHref)
		}
		if tc.wantText != "" && !strings.HasPrefix(text, tc.wantText+"\n") {
			t.Errorf("%s: text %q, want prefix %q", tc.body, text, tc.wantText)
		}
	}
}

func TestEmailUnknownVariables(t *testing.T) {
	tpl := Template{Subject: "Hi {{customer.nick}}", Body: "Hello {{customer.nick}}.\n\n{{#order.gifts}}x{{/order.gifts}}"}
	subject, _, text, err := Email(tpl, SampleVars(), testBrand)
	if err != nil {
		t.Fatalf("Email() must degrade, got %v", err)
	}
	if subject != "Hi" || !strings.HasPrefix(text, "Hello .\n") {
		t.Errorf("subject %q text %q", subject, text)
	}
	_, _, _, err = PreviewEmail(tpl, SampleVars(), testBrand)
	if err == nil || !strings.Contains(err.Error(), `subject line 1, column 4: unknown variable "customer.nick"`) ||
		!strings.Contains(err.Error(), `body line 1, column 7: unknown variable "customer.nick"`) {
		t.Errorf("PreviewEmail() err = %v", err)
	}
	if _, _, _, err := Email(Template{Subject: "s", Body: "{{#order.items}}"}, SampleVars(), testBrand); err == nil {
		t.Error("broken syntax must fail when sending")
	}
}

func TestEmailEmptyValues(t *testing.T) {
	// Empty values leave no empty paragraphs, dangling links or tokens.
	_, out, text, err := Email(Template{Subject: "s", Body: "{{shipment.substatus}}\n\n[Track]({{links.tracking}})\n\nEnd"}, Vars{}, Brand{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "<p></p>") || strings.Contains(out, "href") || strings.Contains(out, "plv") {
		t.Errorf("unexpected output:\n%s", out)
	}
	if text != "Track\n\nEnd\n" {
		t.Errorf("text = %q", text)
	}
}

func TestSubjectIsOneLine(t *testing.T) {
	v := SampleVars()
	v.Order.Number = "1\r\nBcc: victim@example.com"
	subject, _, _, err := Email(Template{Subject: "Order   {{order.number}}", Body: "x"}, v, Brand{})
	if err != nil || subject != "Order 1 Bcc: victim@example.com" {
		t.Fatalf("subject = %q, %v", subject, err)
	}
}

func TestInlineCSSCascade(t *testing.T) {
	doc := `<html><head><style>
/* comment { p { color: red } */
p { color: red; margin: 0 }
.x { color: blue }
p.x { color: green }
#id { color: purple !important }
a:hover { color: pink }
@media (max-width: 10px) { p { color: black !important } }
</style></head><body><p class="x" style="margin: 4px; color: orange">a</p><p id="id" style="color: gray">b</p><p>c</p></body></html>`
	out, err := inlineCSS(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<p class="x" style="color:orange;margin:4px;">a</p>`,    // own style wins over any specificity
		`<p id="id" style="color:purple !important;margin:0;">b`, // !important beats inline
		`<p style="color:red;margin:0;">c</p>`,
		"a:hover { color: pink }",
		"@media (max-width: 10px) { p { color: black !important } }",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "comment") {
		t.Error("CSS comments should be stripped")
	}
}
