package phone

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestE164(t *testing.T) {
	cases := []struct {
		raw, region, want string
	}{
		{"(202) 456-1111", "US", "+12024561111"},
		{"202.456.1111", "us", "+12024561111"},
		{"1-202-456-1111", "US", "+12024561111"},
		{"+1 202 456 1111", "", "+12024561111"},
		{"202-456-1111 ext. 12", "US", "+12024561111"},
		{"020 7946 0958", "GB", "+442079460958"},
		{"07911 123456", "GB", "+447911123456"},
		{"+44 (0)20 7946 0958", "DE", "+442079460958"},
		{"030 901820", "DE", "+4930901820"},
		{"0151 23456789", "DE", "+4915123456789"},
		{"01 42 68 53 00", "FR", "+33142685300"},
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"0033 1 42 68 53 00", "DE", "+33142685300"},
		{"(02) 9876 5432", "AU", "+61298765432"},
		{"0412 345 678", "AU", "+61412345678"},
		{"  +61 412 345 678  ", "US", "+61412345678"},
	}
	for _, tc := range cases {
		got, err := E164(tc.raw, tc.region)
		if err != nil || got != tc.want {
			t.Errorf("E164(%q, %q) = %q, %v; want %q", tc.raw, tc.region, got, err, tc.want)
		}
	}
}

func TestE164Rejects(t *testing.T) {
	cases := []struct{ raw, region string }{
		{"", "US"},
		{"   ", "US"},
		{"not a number", "US"},
		{"202-456-1111", ""},    // no country code, no region
		{"202-456-1111", "XX"},  // unknown region
		{"123", "US"},           // too short
		{"555-0100", "US"},      // no area code
		{"+1 000 000 0000", ""}, // impossible area code
		{"+999 1234567", ""},    // unassigned calling code
		{"0000000000000000", "DE"},
		{strings.Repeat("1", 10*1024), "US"},
		{"+" + strings.Repeat("9", 10*1024), ""},
		{strings.Repeat("(", 10*1024), "GB"},
		{"\x00\xff\xfe", "US"},
	}
	for _, tc := range cases {
		got, err := E164(tc.raw, tc.region)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("E164(%.20q, %q) = %q, %v; want ErrInvalid", tc.raw, tc.region, got, err)
		}
	}
}

func TestCountry(t *testing.T) {
	cases := map[string]string{
		"+12024561111":             "US",
		"+14165550123":             "CA", // 416 Toronto shares +1
		"+442079460958":            "GB",
		"+4930901820":              "DE",
		"+33142685300":             "FR",
		"+61298765432":             "AU",
		"12024561111":              "", // not E.164
		"":                         "",
		"+":                        "",
		"garbage":                  "",
		"+999123456789":            "",
		strings.Repeat("+1", 5000): "",
	}
	for in, want := range cases {
		if got := Country(in); got != want {
			t.Errorf("Country(%.20q) = %q, want %q", in, got, want)
		}
	}
}

func TestTimeZones(t *testing.T) {
	if got := TimeZones("+12125550123"); !slices.Equal(got, []string{"America/New_York"}) {
		t.Errorf("TimeZones(NY) = %v", got)
	}
	if got := TimeZones("+4930901820"); !slices.Equal(got, []string{"Europe/Berlin"}) {
		t.Errorf("TimeZones(Berlin) = %v", got)
	}
	for _, in := range []string{"", "nope", "+", strings.Repeat("9", 10000)} {
		if got := TimeZones(in); got != nil {
			t.Errorf("TimeZones(%.20q) = %v, want nil", in, got)
		}
	}
}

func FuzzE164(f *testing.F) {
	for _, s := range []string{"(202) 456-1111", "+44 20 7946 0958", "0033 1 42", "++--", "\xff", "+1" + strings.Repeat("0", 300)} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := E164(raw, region)
		if err == nil {
			if !strings.HasPrefix(got, "+") || len(got) > 16 {
				t.Fatalf("E164(%q) = %q: not E.164", raw, got)
			}
			if again, err := E164(got, ""); err != nil || again != got {
				t.Fatalf("E164 not idempotent: %q -> %q, %v", got, again, err)
			}
		}
		_ = Country(raw)
		_ = TimeZones(raw)
	})
}
