package markdown

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseFrontMatter(t *testing.T) {
	scenarios := []struct {
		name     string
		src      string
		wantMeta Meta
		wantBody string
	}{
		{
			name: "full",
			src: "---\n" +
				"title: Setting up your Brewmaster # shown as the page title\n" +
				"slug: brewmaster-setup\n" +
				"product_types: [setup_heavy, Gift]\n" +
				"skus:\n" +
				"  - BM-100\n" +
				"  - \"BM-200, black\"\n" +
				"\n" +
				"locale: es-MX\n" +
				"kind: faq\n" +
				"---\n" +
				"# Hello\n",
			wantMeta: Meta{
				Title:        "Setting up your Brewmaster",
				Slug:         "brewmaster-setup",
				ProductTypes: []string{"setup_heavy", "gift"},
				SKUs:         []string{"BM-100", "BM-200, black"},
				Locale:       "es-MX",
				Extra:        map[string]string{"kind": "faq"},
			},
			wantBody: "# Hello\n",
		},
		{
			name:     "quoted values, CRLF, BOM",
			src:      "\ufeff---\r\ntitle: \"Ca va? \\\"Oui\\\" # not a comment\"\r\nslug: 'faq'\r\nskus: ['A-1', \"B-2\"]\r\n...\r\nBody\r\n",
			wantMeta: Meta{Title: `Ca va? "Oui" # not a comment`, Slug: "faq", SKUs: []string{"A-1", "B-2"}},
			wantBody: "Body\r\n",
		},
		{
			name:     "single quote escape and comma list",
			src:      "---\ntitle: 'It''s easy'\nproduct_types: consumable, simple\nskus: \"A,B\"\n---\n",
			wantMeta: Meta{Title: "It's easy", ProductTypes: []string{"consumable", "simple"}, SKUs: []string{"A,B"}},
			wantBody: "",
		},
		{
			name:     "no front matter",
			src:      "# Just a guide\n\n---\n\nmore",
			wantBody: "# Just a guide\n\n---\n\nmore",
		},
		{
			name:     "leading thematic break without a closing line",
			src:      "---\n\nSome text after a rule",
			wantBody: "---\n\nSome text after a rule",
		},
		{
			name:     "empty front matter",
			src:      "---\n---\nbody",
			wantBody: "body",
		},
		{
			name:     "empty",
			src:      "",
			wantBody: "",
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			meta, body, err := ParseFrontMatter([]byte(s.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(meta, s.wantMeta) {
				t.Errorf("meta = %#v\nwant   %#v", meta, s.wantMeta)
			}
			if string(body) != s.wantBody {
				t.Errorf("body = %q, want %q", body, s.wantBody)
			}
		})
	}
}

func TestParseFrontMatterErrors(t *testing.T) {
	scenarios := map[string]string{
		"no colon":           "---\njust text\n---\n",
		"bad slug":           "---\nslug: Hello World\n---\n",
		"slug path":          "---\nslug: ../../etc/passwd\n---\n",
		"bad locale":         "---\nlocale: <script>\n---\n",
		"duplicate key":      "---\ntitle: a\ntitle: b\n---\n",
		"unterminated":       "---\ntitle: \"open\n---\n",
		"junk after quote":   "---\ntitle: \"a\" b\n---\n",
		"unclosed list":      "---\nskus: [a, b\n---\n",
		"list for scalar":    "---\ntitle: [a, b]\n---\n",
		"stray list item":    "---\n- a\n---\n",
		"indented key":       "---\n  title: a\n---\n",
		"bad product type":   "---\nproduct_types: [\"setup heavy!\"]\n---\n",
		"long value":         "---\ntitle: " + strings.Repeat("x", maxValueLen+1) + "\n---\n",
		"too many items":     "---\nskus: [" + strings.Repeat("a,", maxListItems+1) + "]\n---\n",
		"bad key":            "---\n<b>: x\n---\n",
		"text after list":    "---\nskus: [a] b\n---\n",
		"list without comma": "---\nskus: ['a' 'b']\n---\n",
	}
	for name, src := range scenarios {
		_, body, err := ParseFrontMatter([]byte(src))
		if !errors.Is(err, ErrFrontMatter) {
			t.Errorf("%s: err = %v, want ErrFrontMatter", name, err)
		}
		if body != nil {
			t.Errorf("%s: body returned with an error", name)
		}
	}
}

func TestFrontMatterTooLongIsBody(t *testing.T) {
	src := "---\n" + strings.Repeat("a: b\n", maxFrontMatterLines+5) + "---\nbody"
	meta, body, err := ParseFrontMatter([]byte(src))
	if err != nil || meta.Title != "" || string(body) != src {
		t.Errorf("over-long front matter should be left as body: %v %+v", err, meta)
	}
}

func FuzzParseFrontMatter(f *testing.F) {
	f.Add([]byte("---\ntitle: a\nskus: [a, 'b', \"c\"]\nproduct_types:\n  - x\n---\nbody"))
	f.Add([]byte("---\ntitle: \"\\"))
	f.Add([]byte("---\nskus: ['\n---\n"))
	f.Add([]byte("---\r\n...\r\n"))
	f.Add([]byte("\ufeff---\n: \n---"))
	f.Fuzz(func(t *testing.T, src []byte) {
		meta, body, err := ParseFrontMatter(src)
		if err != nil {
			return
		}
		if len(body) > len(src) {
			t.Fatalf("body longer than source")
		}
		if meta.Slug != "" && !reSlug.MatchString(meta.Slug) {
			t.Fatalf("invalid slug %q accepted", meta.Slug)
		}
	})
}
