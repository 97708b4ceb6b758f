package render

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"net/mail"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Brand is how the merchant's emails look.
type Brand struct {
	Name         string // shown in the header when there is no logo, and in the footer
	LogoURL      string // absolute http(s) URL; optional
	PrimaryColor string // "#rgb" or "#rrggbb"; anything else uses the default
	Address      string // postal address for the footer (CAN-SPAM); optional
	Lang         string // BCP 47 tag for <html lang>; default "en"

	// Footer wording, for shops that write to shoppers in another language.
	SupportLabel     string // default "Questions? Contact us:"
	UnsubscribeLabel string // default "Unsubscribe"
}

// DefaultPrimaryColor is used when Brand.PrimaryColor is empty or invalid.
const DefaultPrimaryColor = "#2457c5"

var (
	//go:embed layout.html
	layoutSrc string
	//go:embed email.css
	stylesheet string

	layout   = template.Must(template.New("layout").Parse(layoutSrc))
	hexColor = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
)

// Email renders an email for sending. Unknown variables render as empty
// strings so a stale custom template still produces a message; a template
// with broken syntax returns an error (fall back to the default template).
// Templates are meant to be checked with Check when saved and at start-up.
//
// html is a complete document with every style inlined; text is the
// text/plain alternative, including the footer and unsubscribe link.
func Email(t Template, v Vars, b Brand) (subject, htmlBody, text string, err error) {
	return email(t, v, b, false)
}

// PreviewEmail renders like Email but fails, as Check does, on any unknown
// or misused variable, naming it and its line. For the admin preview.
func PreviewEmail(t Template, v Vars, b Brand) (subject, htmlBody, text string, err error) {
	return email(t, v, b, true)
}

func email(t Template, v Vars, b Brand, strict bool) (string, string, string, error) {
	subjTree, bodyTree, err := parseEmail(t, strict)
	if err != nil {
		return "", "", "", err
	}
	subject, err := expandPlain(subjTree, &v)
	if err != nil {
		return "", "", "", fmt.Errorf("subject: %w", err)
	}
	subject = strings.Join(strings.Fields(subject), " ")

	toks := newTokens()
	e := &expander{vars: &v, out: toks}
	if err := e.expand(bodyTree, nil); err != nil {
		return "", "", "", fmt.Errorf("body: %w", err)
	}
	content, text, err := markdown(toks)
	if err != nil {
		return "", "", "", err
	}

	f := footerFor(v, b)
	page, err := layoutPage(subject, content, text, f, b)
	if err != nil {
		return "", "", "", err
	}
	inlined, err := inlineCSS(page, markButtons)
	if err != nil {
		return "", "", "", err
	}
	return subject, inlined, text + f.text(), nil
}

func parseEmail(t Template, strict bool) (subj, body []*node, err error) {
	if strict {
		if err := Check(t.Subject, t.Body, ChannelEmail); err != nil {
			return nil, nil, err
		}
	}
	if subj, err = parse(t.Subject, "subject"); err != nil {
		return nil, nil, err
	}
	if body, err = parse(t.Body, "body"); err != nil {
		return nil, nil, err
	}
	return subj, body, nil
}

func expandPlain(nodes []*node, v *Vars) (string, error) {
	out := &plainOut{}
	e := &expander{vars: v, out: out}
	if err := e.expand(nodes, nil); err != nil {
		return "", err
	}
	return out.b.String(), nil
}

// footer is the shop contact block shared by the HTML and text versions.
type footer struct {
	name, address          string
	supportEmail, phone    string
	supportTel             string
	unsubscribe            string
	supportLabel, unsLabel string
}

func footerFor(v Vars, b Brand) footer {
	f := footer{
		name:         clean(b.Name, KindText),
		address:      clean(b.Address, KindText),
		phone:        clean(v.Shop.SupportPhone, KindText),
		unsubscribe:  clean(v.Links.Unsubscribe, KindURL),
		supportLabel: clean(b.SupportLabel, KindText),
		unsLabel:     clean(b.UnsubscribeLabel, KindText),
	}
	if f.name == "" {
		f.name = clean(v.Shop.Name, KindText)
	}
	if a, err := mail.ParseAddress(clean(v.Shop.SupportEmail, KindText)); err == nil && a.Name == "" {
		f.supportEmail = a.Address
	}
	f.supportTel = telDigits(f.phone)
	if f.supportTel == "" {
		f.phone = ""
	}
	if f.supportLabel == "" {
		f.supportLabel = "Questions? Contact us:"
	}
	if f.unsLabel == "" {
		f.unsLabel = "Unsubscribe"
	}
	return f
}

func telDigits(p string) string {
	var b strings.Builder
	for i, r := range p {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return b.String()
}

func (f footer) text() string {
	var lines []string
	line := f.name
	if f.address != "" {
		line += " · " + f.address
	}
	if line != "" {
		lines = append(lines, line)
	}
	var contact []string
	if f.supportEmail != "" {
		contact = append(contact, f.supportEmail)
	}
	if f.phone != "" {
		contact = append(contact, f.phone)
	}
	if len(contact) > 0 {
		lines = append(lines, f.supportLabel+" "+strings.Join(contact, " · "))
	}
	if f.unsubscribe != "" {
		lines = append(lines, f.unsLabel+": "+f.unsubscribe)
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n--\n" + strings.Join(lines, "\n") + "\n"
}

func layoutPage(subject, content, text string, f footer, b Brand) (string, error) {
	primary := DefaultPrimaryColor
	if c := strings.TrimSpace(b.PrimaryColor); hexColor.MatchString(c) {
		primary = strings.ToLower(c)
	}
	css := strings.NewReplacer("{{primary}}", primary, "{{on_primary}}", readableOn(primary)).Replace(stylesheet)
	lang := clean(b.Lang, KindText)
	if lang == "" || len(lang) > 35 || strings.ContainsAny(lang, " \"'<>&") {
		lang = "en"
	}
	data := map[string]any{
		"Lang":             lang,
		"Subject":          subject,
		"CSS":              template.CSS(css), // our own file with a validated colour
		"Preheader":        preheader(text),
		"LogoURL":          clean(b.LogoURL, KindURL),
		"Name":             f.name,
		"Address":          f.address,
		"Content":          template.HTML(content), // goldmark output: raw HTML dropped, values escaped
		"SupportLabel":     f.supportLabel,
		"SupportEmail":     f.supportEmail,
		"SupportPhone":     f.phone,
		"SupportTel":       f.supportTel,
		"Unsubscribe":      f.unsubscribe,
		"UnsubscribeLabel": f.unsLabel,
	}
	var buf bytes.Buffer
	if err := layout.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("email layout: %w", err)
	}
	return buf.String(), nil
}

// preheader is the inbox preview line: the start of the text version.
func preheader(text string) string {
	s := strings.Join(strings.Fields(text), " ")
	r := []rune(s)
	if len(r) > 120 {
		return string(r[:119]) + "…"
	}
	return s
}

// readableOn picks near-black or white text for a background colour by WCAG
// relative luminance, so a light brand colour still gets legible buttons.
func readableOn(hex string) string {
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	lin := func(s string) float64 {
		v, _ := strconv.ParseUint(s, 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(h[0:2]) + 0.7152*lin(h[2:4]) + 0.0722*lin(h[4:6])
	// Contrast with white is 1.05/(l+0.05); with #111111 it is (l+0.05)/0.0556.
	if 1.05/(l+0.05) >= (l+0.05)/0.0556 {
		return "#ffffff"
	}
	return "#111111"
}

// markButtons styles a top-level paragraph holding nothing but one link as
// a button: "[Track your parcel]({{links.tracking}})" on its own line.
func markButtons(root *html.Node) {
	for n := range root.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.Td || !hasClass(n, "content") {
			continue
		}
		for p := n.FirstChild; p != nil; p = p.NextSibling {
			if p.Type != html.ElementNode || p.DataAtom != atom.P {
				continue
			}
			var link *html.Node
			only := true
			for c := p.FirstChild; c != nil; c = c.NextSibling {
				switch {
				case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
				case c.Type == html.ElementNode && c.DataAtom == atom.A && link == nil:
					link = c
				default:
					only = false
				}
			}
			if only && link != nil {
				addClass(p, "button-row")
				addClass(link, "button")
			}
		}
		return
	}
}
