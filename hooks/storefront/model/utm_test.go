package model

import (
	"strings"
	"testing"
)

func TestParseUTM(t *testing.T) {
	scenarios := []struct {
		name string
		in   string
		want Acquisition
	}{
		{
			name: "shopify landing path",
			in:   "/products/canvas-tote?utm_source=facebook&utm_medium=paid_social&utm_campaign=spring_launch&utm_content=video_a&utm_term=tote+bag&ad_angle=gift-for-mom",
			want: Acquisition{Source: "facebook", Medium: "paid_social", Campaign: "spring_launch", Content: "video_a", Term: "tote bag", AdAngle: "gift-for-mom"},
		},
		{
			name: "full url with fragment",
			in:   "https://shop.example/?utm_source=google&utm_campaign=brand#top",
			want: Acquisition{Source: "google", Campaign: "brand"},
		},
		{
			name: "bare query",
			in:   "utm_source=newsletter&utm_medium=email",
			want: Acquisition{Source: "newsletter", Medium: "email"},
		},
		{
			name: "upper case names and escapes",
			in:   "/?UTM_Source=Tik%20Tok&Utm_Campaign=%E2%9C%A8launch",
			want: Acquisition{Source: "Tik Tok", Campaign: "✨launch"},
		},
		{
			name: "first non-empty wins",
			in:   "/?utm_source=&utm_source=ig&utm_source=fb",
			want: Acquisition{Source: "ig"},
		},
		{
			name: "bad escape kept raw",
			in:   "/?utm_source=50%off&utm_medium=cpc",
			want: Acquisition{Source: "50%off", Medium: "cpc"},
		},
		{
			name: "control characters stripped",
			in:   "/?utm_source=fb%00%0A%1B",
			want: Acquisition{Source: "fb"},
		},
		{name: "no query", in: "/products/tote", want: Acquisition{}},
		{name: "equals in path", in: "/collections/a=b", want: Acquisition{}},
		{name: "empty", in: "", want: Acquisition{}},
		{name: "garbage", in: "%%%&&&===?&=&", want: Acquisition{}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			got := ParseUTM(s.in)
			s.want.LandingSite = s.in
			if got != s.want {
				t.Errorf("ParseUTM(%q)\n got %+v\nwant %+v", s.in, got, s.want)
			}
		})
	}
}

func TestSetUTMField(t *testing.T) {
	a := Acquisition{Source: "landing"}
	if !a.SetUTMField("_utm_source", "attr") || a.Source != "attr" {
		t.Errorf("override failed: %+v", a)
	}
	if !a.SetUTMField("AD_ANGLE", " price ") || a.AdAngle != "price" {
		t.Errorf("ad_angle: %+v", a)
	}
	if a.SetUTMField("gift_note", "x") {
		t.Error("unrelated key accepted")
	}
	if !a.SetUTMField("utm_source", "") || a.Source != "attr" {
		t.Errorf("empty value overwrote: %+v", a)
	}
}

func FuzzParseUTM(f *testing.F) {
	f.Add("/products/x?utm_source=fb&ad_angle=a")
	f.Add("https://x/?utm_campaign=%zz")
	f.Add("?&&&==")
	f.Fuzz(func(t *testing.T, in string) {
		a := ParseUTM(in)
		if a.LandingSite != in {
			t.Fatal("landing site not kept")
		}
		for _, v := range []string{a.Source, a.Medium, a.Campaign, a.Content, a.Term, a.AdAngle} {
			if v != SanitizeLine(v) || strings.ContainsRune(v, 0) {
				t.Fatalf("unsanitized value %q", v)
			}
		}
	})
}
