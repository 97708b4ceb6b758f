package csvimport

import (
	"bytes"
	"strings"
	"testing"
)

// The seed corpus runs under plain `go test`; `go test -fuzz=FuzzParse`
// explores further.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"good.csv", "broken.csv", "shopify_export.csv"} {
		f.Add(open(f, name))
	}
	for _, s := range []string{
		"", "\uFEFF", miniHeader, miniHeader + "1,2025-01-01,a@b.co,USD,1,S,1,1\n",
		miniHeader + "1,2025-01-01,a@b.co,USD,1,S,-1,1\r\n1,x\r\n",
		miniHeader + "\"1\n2\",\"\"\"\",a@b.co,USD,1,S,1,1\n",
		miniHeader + "1,2025-01-01,a@b.co,USD,1,\"unterminated\n",
		"Name,Created at,Currency,Total,Lineitem quantity,Lineitem name\n#1,2025-01-01 00:00:00 +0000,USD,1,1,x\n#1,,,,2,y\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orders, rowErrs, err := Parse(bytes.NewReader(in))
		if err != nil {
			if orders != nil || rowErrs != nil {
				t.Fatal("results alongside a fatal error")
			}
			return
		}
		bad := map[string]bool{}
		for _, e := range rowErrs {
			if e.Line < 1 {
				t.Fatalf("row error without a line: %+v", e)
			}
			if e.Order != "" {
				bad[e.Order] = true
			}
		}
		seen := map[string]bool{}
		for _, o := range orders {
			if errs := o.Validate(); errs != nil {
				t.Fatalf("invalid order imported: %+v", errs)
			}
			if bad[o.Number] {
				t.Fatalf("order %q imported despite row errors", o.Number)
			}
			if seen[o.Number] {
				t.Fatalf("order %q imported twice", o.Number)
			}
			seen[o.Number] = true
			if strings.ContainsRune(o.Note, 0) || strings.ContainsRune(o.Customer.Email, 0) {
				t.Fatal("NUL survived")
			}
		}
	})
}
