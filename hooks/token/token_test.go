package token

import "testing"

func TestNewIsValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok := New()
		if !Valid(tok) {
			t.Fatalf("New() = %q is not Valid", tok)
		}
		if seen[tok] {
			t.Fatalf("duplicate token %q", tok)
		}
		seen[tok] = true
	}
}

func TestValidRejectsJunk(t *testing.T) {
	for _, s := range []string{"", "short", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxy1", "abcdefghijklmnopqrstuvwxyz0", "abcdefghijklmnopqrstuvwx'; --"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}
