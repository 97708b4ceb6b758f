package tracking_test

import (
	"testing"

	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/tracking"
)

func TestDefaultAdapters(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		vars    map[string]string
		tracker string
		wantErr bool
	}{
		{nil, "", false},
		{map[string]string{"PORCHLIGHT_TRACKER": "EasyPost", "EASYPOST_API_KEY": "ek"}, "easypost", false},
		{map[string]string{"PORCHLIGHT_TRACKER": "17track"}, "17track", false}, // the key comes from config
		{map[string]string{"PORCHLIGHT_TRACKER": "shippo"}, "", true},          // no API key
		{map[string]string{"PORCHLIGHT_TRACKER": "fedex-direct"}, "", true},    // not a provider
	}
	for _, c := range cases {
		vars := map[string]string{"SEVENTEENTRACK_KEY": "k17"}
		for k, v := range c.vars {
			vars[k] = v
		}
		cfg, err := config.Load(env(vars))
		if err != nil {
			t.Fatal(err)
		}
		list, tracker, err := tracking.DefaultAdapters(cfg, clock.NewFixed(clock.Real{}.Now()))
		if (err != nil) != c.wantErr || tracker != c.tracker {
			t.Errorf("%v: tracker %q err %v", c.vars, tracker, err)
		}
		if err == nil {
			names := map[string]bool{}
			for _, a := range list {
				names[a.Name()] = true
			}
			for _, n := range []string{"easypost", "shippo", "aftership", "17track", "simulator"} {
				if !names[n] {
					t.Errorf("adapter %s missing", n)
				}
			}
		}
	}
}
