package tracking

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers"
	"porchlight/hooks/carriers/aftership"
	"porchlight/hooks/carriers/easypost"
	"porchlight/hooks/carriers/seventeentrack"
	"porchlight/hooks/carriers/shippo"
	"porchlight/hooks/inbox"
)

// WebhookRoutes maps each provider to its webhook path. Shippo signs
// nothing, so its secret token is part of the path.
var WebhookRoutes = []struct{ Source, Path string }{
	{easypost.Name, "/webhooks/easypost"},
	{shippo.Name, "/webhooks/shippo/{token}"},
	{aftership.Name, "/webhooks/aftership"},
	{seventeentrack.Name, "/webhooks/17track"},
}

// bindWebhooks registers the providers' webhook routes on the inbox and the
// handlers that process stored receipts. A provider without a configured
// secret (or no adapter at all) refuses every call with 401.
func (t *Tracker) bindWebhooks(app core.App, in *inbox.Inbox) {
	for _, r := range WebhookRoutes {
		a := t.adapters[r.Source]
		in.Handle(r.Source, t.webhookHandler(r.Source, a))
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		for _, r := range WebhookRoutes {
			in.Bind(se, r.Path, r.Source, webhookVerifier(t.adapters[r.Source]))
		}
		return se.Next()
	})
}

// webhookVerifier checks the signature and names the delivery; parsing
// waits for the inbox worker, so even an unparseable body is stored (and
// then marked failed with its error) rather than lost.
func webhookVerifier(a carriers.Adapter) inbox.Verifier {
	return func(req *http.Request, body []byte) (inbox.Receipt, error) {
		if a == nil {
			return inbox.Receipt{}, inbox.ErrUnauthorized
		}
		if err := a.VerifyWebhook(req, body); err != nil {
			return inbox.Receipt{}, inbox.ErrUnauthorized
		}
		r := inbox.Receipt{DeliveryID: a.DeliveryID(body), Headers: map[string]string{}}
		if w, err := a.ParseWebhook(body); err == nil {
			r.Topic = w.Topic
		}
		for _, h := range []string{"Content-Type", "User-Agent"} {
			if v := req.Header.Get(h); v != "" {
				r.Headers[h] = v
			}
		}
		return r, nil
	}
}

// webhookHandler processes one stored receipt inside the inbox's
// transaction: every update in it is applied, or (on any error) none.
func (t *Tracker) webhookHandler(source string, a carriers.Adapter) inbox.Handler {
	return func(tx core.App, r inbox.Receipt) error {
		if a == nil {
			return fmt.Errorf("no %s adapter: %w", source, inbox.ErrIgnored)
		}
		w, err := a.ParseWebhook(r.Body)
		if err != nil {
			return fmt.Errorf("%w: %v", inbox.ErrPermanent, err)
		}
		if len(w.Updates) == 0 {
			return fmt.Errorf("%s topic %q carries no tracking: %w", source, w.Topic, inbox.ErrIgnored)
		}
		for _, u := range w.Updates {
			if _, err := t.Ingest(tx, source, u, true); err != nil {
				if errors.Is(err, carriers.ErrMalformed) {
					return fmt.Errorf("%w: %v", inbox.ErrPermanent, err)
				}
				return err
			}
		}
		return nil
	}
}
