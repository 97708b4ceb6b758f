package tracking

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"porchlight/hooks/carriers"
	"porchlight/hooks/carriers/aftership"
	"porchlight/hooks/carriers/easypost"
	"porchlight/hooks/carriers/seventeentrack"
	"porchlight/hooks/carriers/shippo"
	"porchlight/hooks/carriers/simulator"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
)

// APIKeyVars are the environment variables with the providers' API keys
// (needed to register and poll; webhooks only need the secrets in config).
// 17TRACK uses one key for both (SEVENTEENTRACK_KEY).
var APIKeyVars = []config.Var{
	{Name: "EASYPOST_API_KEY", Doc: "EasyPost API key (register trackers, poll)", Secret: true},
	{Name: "SHIPPO_API_KEY", Doc: "Shippo API token (register tracks, poll)", Secret: true},
	{Name: "AFTERSHIP_API_KEY", Doc: "AfterShip Tracking API key (register trackings, poll)", Secret: true},
	{Name: "PORCHLIGHT_TRACKER", Doc: "provider new shipments are registered with and polled by: easypost, shippo, aftership, 17track (empty: none)", Secret: false},
}

// DefaultAdapters builds every provider from the configuration (webhook
// secrets) and getenv (API keys, PORCHLIGHT_TRACKER) and returns them with
// the name of the provider new shipments are registered with. An unknown
// PORCHLIGHT_TRACKER, or one without an API key, is an error.
func DefaultAdapters(cfg config.Config, getenv func(string) string, clk clock.Clock) ([]carriers.Adapter, string, error) {
	hc := &http.Client{Timeout: 20 * time.Second}
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	list := []carriers.Adapter{
		easypost.New(easypost.Config{APIKey: get("EASYPOST_API_KEY"), WebhookSecret: cfg.EasyPostSecret, HTTP: hc}),
		shippo.New(shippo.Config{APIKey: get("SHIPPO_API_KEY"), WebhookToken: cfg.ShippoToken, HTTP: hc}),
		aftership.New(aftership.Config{APIKey: get("AFTERSHIP_API_KEY"), WebhookSecret: cfg.AfterShipSecret, HTTP: hc}),
		seventeentrack.New(seventeentrack.Config{Key: cfg.SeventeenTrackKey, HTTP: hc}),
		simulator.NewAdapter(clk),
	}
	tracker := strings.ToLower(get("PORCHLIGHT_TRACKER"))
	keys := map[string]string{
		easypost.Name: get("EASYPOST_API_KEY"), shippo.Name: get("SHIPPO_API_KEY"),
		aftership.Name: get("AFTERSHIP_API_KEY"), seventeentrack.Name: cfg.SeventeenTrackKey, simulator.Carrier: "-",
	}
	if tracker != "" {
		k, ok := keys[tracker]
		if !ok {
			return nil, "", fmt.Errorf("PORCHLIGHT_TRACKER=%q is not one of easypost, shippo, aftership, 17track, simulator", tracker)
		}
		if k == "" {
			return nil, "", fmt.Errorf("PORCHLIGHT_TRACKER=%s needs that provider's API key", tracker)
		}
	}
	return list, tracker, nil
}
