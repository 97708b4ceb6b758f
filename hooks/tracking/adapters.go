package tracking

import (
	"fmt"
	"net/http"
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
// secrets, API keys, PORCHLIGHT_TRACKER) and returns them with the name of
// the provider new shipments are registered with. An unknown
// PORCHLIGHT_TRACKER, or one without an API key, is an error.
func DefaultAdapters(cfg config.Config, clk clock.Clock) ([]carriers.Adapter, string, error) {
	hc := &http.Client{Timeout: 20 * time.Second}
	list := []carriers.Adapter{
		easypost.New(easypost.Config{APIKey: cfg.EasyPostAPIKey, WebhookSecret: cfg.EasyPostSecret, HTTP: hc}),
		shippo.New(shippo.Config{APIKey: cfg.ShippoAPIKey, WebhookToken: cfg.ShippoToken, HTTP: hc}),
		aftership.New(aftership.Config{APIKey: cfg.AfterShipAPIKey, WebhookSecret: cfg.AfterShipSecret, HTTP: hc}),
		seventeentrack.New(seventeentrack.Config{Key: cfg.SeventeenTrackKey, HTTP: hc}),
		simulator.NewAdapter(clk),
	}
	tracker := cfg.Tracker
	keys := map[string]string{
		easypost.Name: cfg.EasyPostAPIKey, shippo.Name: cfg.ShippoAPIKey,
		aftership.Name: cfg.AfterShipAPIKey, seventeentrack.Name: cfg.SeventeenTrackKey, simulator.Carrier: "-",
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
