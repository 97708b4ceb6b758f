package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadRejectsInvalidValues(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad port", map[string]string{"PORCHLIGHT_SMTP_PORT": "smtp"}, "PORCHLIGHT_SMTP_PORT"},
		{"port out of range", map[string]string{"PORCHLIGHT_SMTP_PORT": "70000"}, "PORCHLIGHT_SMTP_PORT"},
		{"bad tls", map[string]string{"PORCHLIGHT_SMTP_TLS": "maybe"}, "PORCHLIGHT_SMTP_TLS"},
		{"bad url", map[string]string{"PORCHLIGHT_PUBLIC_URL": "ftp://x"}, "PORCHLIGHT_PUBLIC_URL"},
		{"twilio half", map[string]string{"TWILIO_ACCOUNT_SID": "AC1"}, "TWILIO_AUTH_TOKEN"},
		{"twilio no from", map[string]string{"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "x"}, "TWILIO_FROM"},
		{"woo url", map[string]string{"WOOCOMMERCE_URL": "shop.example.com"}, "WOOCOMMERCE_URL"},
		{"woo no key", map[string]string{"WOOCOMMERCE_URL": "https://shop.example.com"}, "WOOCOMMERCE_CONSUMER_KEY"},
		{"dkim half", map[string]string{"PORCHLIGHT_DKIM_DOMAIN": "example.com"}, "PORCHLIGHT_DKIM_KEY_FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(env(c.env))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load() error = %v, want one naming %s", err, c.want)
			}
		})
	}
}

func TestLoadDefaultsAndSummaryHidesSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{
		"PORCHLIGHT_PUBLIC_URL": "https://track.example.com/", "PORCHLIGHT_SMTP_HOST": "mail.example.com",
		"PORCHLIGHT_SMTP_PASSWORD": "hunter2-secret", "SHOPIFY_WEBHOOK_SECRET": "shpss_topsecret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "https://track.example.com" || c.SMTP.Port != 587 {
		t.Fatalf("unexpected config %+v", c)
	}
	all := strings.Join(c.Summary(), "\n")
	for _, secret := range []string{"hunter2-secret", "shpss_topsecret"} {
		if strings.Contains(all, secret) {
			t.Fatalf("summary leaks a secret: %s", all)
		}
	}
	if !strings.Contains(all, "mail.example.com:587") {
		t.Fatalf("summary misses SMTP: %s", all)
	}
}
