// Package config reads Porchlight's process configuration: secrets and
// endpoints that come from the environment, never from a public API or the
// logs. Merchant-facing settings live in records (brand, flows, templates).
package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Config is everything Porchlight takes from the environment.
type Config struct {
	// PublicURL is the base of links in messages (tracking, unsubscribe).
	PublicURL string
	// TemplatesDir, when set, holds merchant copies of page templates that
	// win over the embedded ones.
	TemplatesDir string

	SMTP   SMTP
	Twilio Twilio

	// Webhook secrets, one per source.
	ShopifySecret     string
	WooSecret         string
	EasyPostSecret    string
	AfterShipSecret   string
	SeventeenTrackKey string
	ShippoToken       string

	// WooCommerce REST API for the catch-up sync (WooCommerce never
	// retries a webhook and disables it after 5 failures).
	WooURL, WooKey, WooConsumerSecret string

	// Tracking-provider API keys (register and poll trackers) and the
	// provider new shipments are registered with; validated by
	// tracking.DefaultAdapters, which knows the providers.
	EasyPostAPIKey, ShippoAPIKey, AfterShipAPIKey string
	Tracker                                       string
}

// SMTP configures outgoing email. When Host is empty Porchlight falls back to
// PocketBase's own mail settings, and failing those to the local outbox.
type SMTP struct {
	Host, Username, Password, From string
	Port                           int
	TLS                            bool
	DKIMDomain, DKIMSelector       string
	DKIMKeyFile                    string
}

// Twilio configures SMS. Empty AccountSID means SMS goes to the local outbox.
type Twilio struct {
	AccountSID, AuthToken, From string
}

// Var documents one environment variable.
type Var struct {
	Name, Doc string
	Secret    bool
}

// Vars lists every variable Porchlight reads; README and --help use it.
var Vars = []Var{
	{"PORCHLIGHT_PUBLIC_URL", "public base URL for links in emails and SMS (e.g. https://track.example.com)", false},
	{"PORCHLIGHT_TEMPLATES_DIR", "directory whose *.html files override the embedded page templates", false},
	{"PORCHLIGHT_SMTP_HOST", "SMTP server host (falls back to the admin's mail settings, then the local outbox)", false},
	{"PORCHLIGHT_SMTP_PORT", "SMTP port (default 587)", false},
	{"PORCHLIGHT_SMTP_USERNAME", "SMTP user", false},
	{"PORCHLIGHT_SMTP_PASSWORD", "SMTP password", true},
	{"PORCHLIGHT_SMTP_TLS", "true for implicit TLS (port 465); otherwise STARTTLS when offered", false},
	{"PORCHLIGHT_SMTP_FROM", "envelope sender address (defaults to the brand's sender email)", false},
	{"PORCHLIGHT_DKIM_DOMAIN", "DKIM signing domain", false},
	{"PORCHLIGHT_DKIM_SELECTOR", "DKIM selector", false},
	{"PORCHLIGHT_DKIM_KEY_FILE", "PEM file with the DKIM private key", true},
	{"TWILIO_ACCOUNT_SID", "Twilio account SID (SMS goes to the local outbox without it)", false},
	{"TWILIO_AUTH_TOKEN", "Twilio auth token (also validates inbound webhooks)", true},
	{"TWILIO_FROM", "sending number in E.164 or a Messaging Service SID", false},
	{"SHOPIFY_WEBHOOK_SECRET", "Shopify app/webhook signing secret", true},
	{"WOOCOMMERCE_WEBHOOK_SECRET", "WooCommerce webhook secret", true},
	{"WOOCOMMERCE_URL", "store URL for the WooCommerce catch-up sync (e.g. https://shop.example.com)", false},
	{"WOOCOMMERCE_CONSUMER_KEY", "WooCommerce REST API consumer key (read access to orders)", false},
	{"WOOCOMMERCE_CONSUMER_SECRET", "WooCommerce REST API consumer secret", true},
	{"EASYPOST_WEBHOOK_SECRET", "EasyPost webhook secret", true},
	{"AFTERSHIP_WEBHOOK_SECRET", "AfterShip webhook secret", true},
	{"SEVENTEENTRACK_KEY", "17TRACK API key (also checks webhook signs)", true},
	{"SHIPPO_WEBHOOK_TOKEN", "token expected in the Shippo webhook URL", true},
	{"PORCHLIGHT_TRACKER", "provider new shipments are registered with and polled through: easypost, shippo, aftership, 17track (default: none, webhooks only)", false},
	{"EASYPOST_API_KEY", "EasyPost API key (register/poll trackers)", true},
	{"SHIPPO_API_KEY", "Shippo API key (register/poll trackers)", true},
	{"AFTERSHIP_API_KEY", "AfterShip API key (register/poll trackers)", true},
}

// Load reads the configuration through getenv (os.Getenv in production, a
// map in tests). An invalid value is an error naming the variable.
func Load(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	c := Config{
		PublicURL:    strings.TrimRight(get("PORCHLIGHT_PUBLIC_URL"), "/"),
		TemplatesDir: get("PORCHLIGHT_TEMPLATES_DIR"),
		SMTP: SMTP{
			Host:         get("PORCHLIGHT_SMTP_HOST"),
			Username:     get("PORCHLIGHT_SMTP_USERNAME"),
			Password:     getenv("PORCHLIGHT_SMTP_PASSWORD"),
			From:         get("PORCHLIGHT_SMTP_FROM"),
			Port:         587,
			DKIMDomain:   get("PORCHLIGHT_DKIM_DOMAIN"),
			DKIMSelector: get("PORCHLIGHT_DKIM_SELECTOR"),
			DKIMKeyFile:  get("PORCHLIGHT_DKIM_KEY_FILE"),
		},
		Twilio: Twilio{
			AccountSID: get("TWILIO_ACCOUNT_SID"),
			AuthToken:  getenv("TWILIO_AUTH_TOKEN"),
			From:       get("TWILIO_FROM"),
		},
		ShopifySecret:     getenv("SHOPIFY_WEBHOOK_SECRET"),
		WooSecret:         getenv("WOOCOMMERCE_WEBHOOK_SECRET"),
		WooURL:            strings.TrimRight(get("WOOCOMMERCE_URL"), "/"),
		WooKey:            get("WOOCOMMERCE_CONSUMER_KEY"),
		WooConsumerSecret: getenv("WOOCOMMERCE_CONSUMER_SECRET"),
		EasyPostSecret:    getenv("EASYPOST_WEBHOOK_SECRET"),
		AfterShipSecret:   getenv("AFTERSHIP_WEBHOOK_SECRET"),
		SeventeenTrackKey: getenv("SEVENTEENTRACK_KEY"),
		ShippoToken:       getenv("SHIPPO_WEBHOOK_TOKEN"),
		EasyPostAPIKey:    get("EASYPOST_API_KEY"),
		ShippoAPIKey:      get("SHIPPO_API_KEY"),
		AfterShipAPIKey:   get("AFTERSHIP_API_KEY"),
		Tracker:           strings.ToLower(get("PORCHLIGHT_TRACKER")),
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("PORCHLIGHT_PUBLIC_URL=%q is not an http(s) URL", c.PublicURL)
		}
	}
	if v := get("PORCHLIGHT_SMTP_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return c, fmt.Errorf("PORCHLIGHT_SMTP_PORT=%q is not a port number (1-65535)", v)
		}
		c.SMTP.Port = p
	}
	if v := get("PORCHLIGHT_SMTP_TLS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("PORCHLIGHT_SMTP_TLS=%q is not true or false", v)
		}
		c.SMTP.TLS = b
	}
	if c.WooURL != "" {
		u, err := url.Parse(c.WooURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("WOOCOMMERCE_URL=%q is not an http(s) URL", c.WooURL)
		}
		if c.WooKey == "" || c.WooConsumerSecret == "" {
			return c, fmt.Errorf("WOOCOMMERCE_URL needs WOOCOMMERCE_CONSUMER_KEY and WOOCOMMERCE_CONSUMER_SECRET")
		}
	}
	if (c.Twilio.AccountSID == "") != (c.Twilio.AuthToken == "") {
		return c, fmt.Errorf("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together")
	}
	if c.Twilio.AccountSID != "" && c.Twilio.From == "" {
		return c, fmt.Errorf("TWILIO_FROM is required when TWILIO_ACCOUNT_SID is set")
	}
	if (c.SMTP.DKIMDomain == "") != (c.SMTP.DKIMKeyFile == "") {
		return c, fmt.Errorf("PORCHLIGHT_DKIM_DOMAIN and PORCHLIGHT_DKIM_KEY_FILE must be set together")
	}
	return c, nil
}

// Summary describes what is and is not configured, for the start-up log.
// It never includes secret values.
func (c Config) Summary() []string {
	state := func(ok bool, yes, no string) string {
		if ok {
			return yes
		}
		return no
	}
	return []string{
		"public URL: " + state(c.PublicURL != "", c.PublicURL, "not set (links use the request host)"),
		"email: " + state(c.SMTP.Host != "", "SMTP "+c.SMTP.Host+":"+strconv.Itoa(c.SMTP.Port), "no PORCHLIGHT_SMTP_HOST: admin mail settings if enabled, else local outbox"),
		"DKIM: " + state(c.SMTP.DKIMDomain != "", c.SMTP.DKIMSelector+"._domainkey."+c.SMTP.DKIMDomain, "off"),
		"SMS: " + state(c.Twilio.AccountSID != "", "Twilio from "+c.Twilio.From, "no TWILIO_ACCOUNT_SID: local outbox"),
		"Shopify webhooks: " + state(c.ShopifySecret != "", "secret set", "no secret (webhooks refused)"),
		"WooCommerce webhooks: " + state(c.WooSecret != "", "secret set", "no secret (webhooks refused)"),
		"WooCommerce catch-up sync: " + state(c.WooURL != "", c.WooURL+" every 15 minutes", "off (no WOOCOMMERCE_URL)"),
		"tracking provider: " + state(c.Tracker != "", c.Tracker+" (new shipments registered and polled)", "none (carrier webhooks only)"),
		"EasyPost webhooks: " + state(c.EasyPostSecret != "", "secret set", "no secret (webhooks refused)"),
		"AfterShip webhooks: " + state(c.AfterShipSecret != "", "secret set", "no secret (webhooks refused)"),
		"17TRACK webhooks: " + state(c.SeventeenTrackKey != "", "key set", "no key (webhooks refused)"),
		"Shippo webhooks: " + state(c.ShippoToken != "", "token set", "no token (webhooks refused)"),
	}
}
