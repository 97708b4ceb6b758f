package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

const guide = `# Setting up your Brewmaster

Welcome! This guide takes **ten minutes**.

## Before it arrives

- Clear 40 cm of counter space
- Find a grounded socket

## Start here

| Step | What to do | Time |
|------|------------|------|
| 1 | Rinse the tank | 1 min |
| 2 | Run a descaling cycle | 5 min |

![The machine, front view](/api/files/guides/abc/front.jpg "Front")

Read the [full manual](https://example.com/manual.pdf) or our [FAQ](/guides/faq#warranty).
Questions? <help@example.com> or www.example.com.

## Start here

### Étape 2 : café & lait

~~old~~ new
`

func TestRenderGuide(t *testing.T) {
	out, toc, err := Render([]byte(guide))
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		`<h1 id="setting-up-your-brewmaster">Setting up your Brewmaster</h1>`,
		`<h2 id="before-it-arrives">Before it arrives</h2>`,
		`<h2 id="start-here">Start here</h2>`,
		`<h2 id="start-here-2">Start here</h2>`,
		`<h3 id="etape-2-cafe-lait">Étape 2 : café &amp; lait</h3>`,
		`<table>`, `<th>What to do</th>`, `<td>Run a descaling cycle</td>`,
		`<img src="/api/files/guides/abc/front.jpg" alt="The machine, front view" title="Front" loading="lazy">`,
		`<a href="https://example.com/manual.pdf" rel="noopener noreferrer">full manual</a>`,
		`<a href="/guides/faq#warranty">FAQ</a>`,
		`<a href="mailto:help@example.com">help@example.com</a>`,
		`<a href="http://www.example.com" rel="noopener noreferrer">www.example.com</a>`,
		`<del>old</del>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %s\n%s", want, s)
		}
	}
	wantTOC := []Heading{
		{1, "setting-up-your-brewmaster", "Setting up your Brewmaster"},
		{2, "before-it-arrives", "Before it arrives"},
		{2, "start-here", "Start here"},
		{2, "start-here-2", "Start here"},
		{3, "etape-2-cafe-lait", "Étape 2 : café & lait"},
	}
	if len(toc) != len(wantTOC) {
		t.Fatalf("toc = %+v", toc)
	}
	for i := range toc {
		if toc[i] != wantTOC[i] {
			t.Errorf("toc[%d] = %+v, want %+v", i, toc[i], wantTOC[i])
		}
	}
	assertSafe(t, s)
}

func TestHeadingIDs(t *testing.T) {
	scenarios := []struct{ src, id, text string }{
		{"## **Bold** and `code`", "bold-and-code", "Bold and code"},
		{"## [Linked](https://x.example) title", "linked-title", "Linked title"},
		{"## Über uns", "uber-uns", "Über uns"},
		{"## 配送について", "配送について", "配送について"},
		{"## !!!", "section", "!!!"},
		{"## " + strings.Repeat("long ", 50), strings.TrimSuffix(strings.Repeat("long-", 13), "-"), strings.TrimSpace(strings.Repeat("long ", 50))},
	}
	for _, s := range scenarios {
		_, toc, err := Render([]byte(s.src))
		if err != nil || len(toc) != 1 {
			t.Fatalf("Render(%q) = %v, %v", s.src, toc, err)
		}
		if toc[0].ID != s.id || toc[0].Text != s.text {
			t.Errorf("Render(%q) heading = %+v, want id %q text %q", s.src, toc[0], s.id, s.text)
		}
	}
}

// hostile are inputs a careless or malicious editor could save.
var hostile = []string{
	`<script>alert(1)</script>`,
	"para <script>alert(1)</script> inline",
	`<img src=x onerror=alert(1)>`,
	"text <img src=x onerror=alert(1)> text",
	`<a href="javascript:alert(1)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<style>body{display:none}</style>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click]( javascript:alert(1) )`,
	`[click](<java script:alert(1)>)`,
	"[click](java\tscript:alert(1))",
	`[click](java&#09;script:alert(1))`,
	`[click](&#106;avascript:alert(1))`,
	`[click](javascript&#58;alert(1))`,
	`[click](&#x6A;&#x61;vascript:alert(1))`,
	`[click](vbscript:msgbox(1))`,
	`[click](file:///etc/passwd)`,
	`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![pic](data:image/png;base64,iVBORw0KGgo=)`,
	`![pic](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)`,
	`![pic](javascript:alert(1))`,
	`![pic](mailto:a@b.c)`,
	`<javascript:alert(1)>`,
	`<data:text/html,<script>alert(1)</script>>`,
	"[click][r]\n\n[r]: javascript:alert(1)",
	"![pic][r]\n\n[r]: data:image/gif;base64,R0lGOD",
	`[x](https://ok.example "a\" onmouseover=\"alert(1)")`,
	`![x" onerror="alert(1)](https://ok.example/a.png)`,
	"# Title {onclick=alert(1)}",
	"# Title {#id .class onclick=\"alert(1)\"}",
	"[x](https://ok.example){onclick=alert(1)}",
	"```html\n<script>alert(1)</script>\n```",
	"`<script>alert(1)</script>`",
	"<!-- <script>alert(1)</script> -->",
	"<details open ontoggle=alert(1)>",
	"[[x](javascript:alert(1))](https://ok.example)",
	"[![img](javascript:alert(1))](javascript:alert(2))",
	"| a |\n|---|\n| <script>alert(1)</script> |",
	"- [ ] <img src=x onerror=alert(1)>",
}

func TestRenderHostile(t *testing.T) {
	for _, h := range hostile {
		out, _, err := Render([]byte(h))
		if err != nil {
			t.Errorf("Render(%q): %v", h, err)
			continue
		}
		assertSafe(t, string(out))
	}
}

func TestUnsafeLinksKeepText(t *testing.T) {
	scenarios := []struct{ src, want string }{
		{`[click here](javascript:alert(1))`, "<p>click here</p>\n"},
		{`see ![the pic](data:image/png;base64,AAAA) now`, "<p>see the pic now</p>\n"},
		{`<javascript:alert(1)>`, "<p>javascript:alert(1)</p>\n"},
		{`[**bold** link](vbscript:x)`, "<p><strong>bold</strong> link</p>\n"},
		{`[call us](tel:+15551234567)`, `<p><a href="tel:+15551234567">call us</a></p>` + "\n"},
	}
	for _, s := range scenarios {
		out, _, err := Render([]byte(s.src))
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != s.want {
			t.Errorf("Render(%q) = %q, want %q", s.src, out, s.want)
		}
	}
}

// assertSafe parses rendered HTML as a browser would and fails on any
// element, attribute or URL that could run script.
func assertSafe(t *testing.T, s string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "iframe", "style", "object", "embed", "details", "svg", "math", "form", "base", "meta", "link":
			t.Errorf("dangerous element <%s> in %q", tok.Data, s)
		}
		for _, a := range tok.Attr {
			name := strings.ToLower(a.Key)
			if strings.HasPrefix(name, "on") || name == "style" || name == "srcdoc" {
				t.Errorf("dangerous attribute %s=%q in %q", a.Key, a.Val, s)
			}
			if name == "href" || name == "src" {
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				for _, bad := range []string{"javascript:", "vbscript:", "data:", "file:"} {
					if strings.HasPrefix(v, bad) {
						t.Errorf("dangerous URL %s=%q in %q", a.Key, a.Val, s)
					}
				}
			}
			if name == "rel" && a.Val != relExternal {
				t.Errorf("unexpected rel %q", a.Val)
			}
		}
		if tok.Data == "a" {
			var href, rel string
			for _, a := range tok.Attr {
				switch a.Key {
				case "href":
					href = a.Val
				case "rel":
					rel = a.Val
				}
			}
			h := strings.ToLower(href)
			if (strings.HasPrefix(h, "http:") || strings.HasPrefix(h, "https:") || strings.HasPrefix(h, "//")) && rel != relExternal {
				t.Errorf("external link %q without rel in %q", href, s)
			}
		}
	}
}

// TestRenderLargeInputs feeds 1 MiB of shapes that are quadratic in a
// naive Markdown parser. The bound is generous (CI machines are shared); it
// is there to catch minutes, not milliseconds.
func TestRenderLargeInputs(t *testing.T) {
	const mb = MaxSourceBytes
	fill := func(pattern string) []byte {
		return bytes.Repeat([]byte(pattern), mb/len(pattern))
	}
	inputs := map[string][]byte{
		"prose":         fill("Lorem ipsum **dolor** sit [amet](https://x.example) and <b>tags</b>.\n\n"),
		"one long line": fill("word "),
		"open brackets": fill("["),
		"link openers":  fill("[a]("),
		"emphasis":      fill("a_*"),
		"blockquotes":   fill(">"),
		"nested lists":  fill("1. - "),
		"table":         append([]byte("|a|b|\n|-|-|\n"), fill("|x|<script>|\n")[:mb-12]...),
		"headings":      fill("## same\n"),
		"bad links":     fill("[a](javascript:x) "),
	}
	for name, src := range inputs {
		start := time.Now()
		out, _, err := Render(src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
		if bytes.Contains([]byte(out), []byte("<script")) || bytes.Contains([]byte(out), []byte(`href="javascript`)) {
			t.Errorf("%s: unsafe markup survived", name)
		}
	}
	if _, _, err := Render(make([]byte, MaxSourceBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized input: err = %v, want ErrTooLarge", err)
	}
}

func TestBound(t *testing.T) {
	normal := []byte("# Title\n\n> quote\n> > nested\n\n- a\n  - b\n\n1. one\n")
	if got := bound(normal); &got[0] != &normal[0] {
		t.Error("bound copied input that is within limits")
	}
	deep := strings.Repeat("> ", maxNesting+3) + "x"
	want := strings.Repeat("> ", maxNesting) + `\> > > x`
	if got := string(bound([]byte(deep))); got != want {
		t.Errorf("bound(deep) = %q, want %q", got, want)
	}
	ordered := strings.Repeat("1. ", maxNesting) + "12. x"
	if got := string(bound([]byte(ordered))); got != strings.Repeat("1. ", maxNesting)+`12\. x` {
		t.Errorf("bound(ordered) = %q", got)
	}
	rule := strings.Repeat("* ", maxNesting+5)
	if got := string(bound([]byte(rule))); got != rule {
		t.Errorf("bound rewrote a thematic break: %q", got)
	}
	long := strings.Repeat("é", maxLine) // 2 bytes each, no spaces
	for _, line := range strings.Split(string(bound([]byte(long))), "\n") {
		if len(line) > maxLine || !utf8.ValidString(line) {
			t.Fatalf("bound left a line of %d bytes (valid UTF-8: %v)", len(line), utf8.ValidString(line))
		}
	}
	words := strings.Repeat("word ", maxLine)
	for _, line := range strings.Split(string(bound([]byte(words))), "\n") {
		if len(line) > maxLine || strings.HasPrefix(line, " ") || strings.Contains(line, "wor\n") {
			t.Fatalf("bound broke words badly: %q…", line[:20])
		}
	}
}

func TestClassify(t *testing.T) {
	scenarios := []struct {
		url  string
		want urlKind
	}{
		{"https://a.example", urlExternal},
		{"HTTP://a.example", urlExternal},
		{"//a.example/x", urlExternal},
		{`/\a.example`, urlExternal}, // browsers read /\ as //
		{`\\a.example`, urlExternal},
		{"/guides/x", urlRelative},
		{"guides/x:y", urlRelative},
		{"#top", urlRelative},
		{"?a=b:c", urlRelative},
		{"mailto:a@b.c", urlRelative},
		{"tel:+1555", urlRelative},
		{"javascript:alert(1)", urlUnsafe},
		{" \x01javascript:x", urlUnsafe},
		{"&#106;avascript:x", urlUnsafe},
		{"ftp://a", urlUnsafe},
		{"data:,x", urlUnsafe},
		{"", urlRelative},
	}
	for _, s := range scenarios {
		if got := classify(s.url, linkSchemes); got != s.want {
			t.Errorf("classify(%q) = %v, want %v", s.url, got, s.want)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add([]byte(guide))
	for _, h := range hostile {
		f.Add([]byte(h))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, _, err := Render(src)
		if err != nil {
			return
		}
		assertSafe(t, string(out))
	})
}
