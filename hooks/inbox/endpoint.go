package inbox

import (
	"errors"
	"io"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
)

// Verifier checks an inbound request's signature over the raw body and says
// what to store. It returns ErrUnauthorized for a bad signature and ErrSkip
// for a valid call with nothing to keep.
type Verifier func(req *http.Request, body []byte) (Receipt, error)

// Endpoint is the HTTP handler for one webhook source: body limit (413),
// verification (401, counted), store, acknowledge (200). A body that fails
// to parse later is still acknowledged: the sender would only retry the same
// bytes. Bind it without PocketBase's default body limit.
func (in *Inbox) Endpoint(source string, verify Verifier) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, MaxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				in.reject(e.App, source, "too_large")
				return e.JSON(http.StatusRequestEntityTooLarge, map[string]string{"error": "body over 1 MiB"})
			}
			return e.JSON(http.StatusBadRequest, map[string]string{"error": "could not read body"})
		}
		r, err := verify(e.Request, body)
		switch {
		case errors.Is(err, ErrSkip):
			return e.JSON(http.StatusOK, map[string]any{"ok": true})
		case errors.Is(err, ErrUnauthorized):
			in.reject(e.App, source, "bad_signature")
			return e.JSON(http.StatusUnauthorized, map[string]string{"error": "invalid signature"})
		case err != nil:
			in.reject(e.App, source, "bad_request")
			return e.JSON(http.StatusBadRequest, map[string]string{"error": "malformed request"})
		}
		r.Source = source
		if r.Body == nil {
			r.Body = body
		}
		_, dup, err := in.Store(e.App, r)
		if err != nil {
			// Not stored, so not acknowledged: the sender will retry.
			e.App.Logger().Error("inbox: store", "source", source, "err", err)
			return e.JSON(http.StatusServiceUnavailable, map[string]string{"error": "try again"})
		}
		if a := in.ack(source); a != nil {
			return a(e, dup)
		}
		return e.JSON(http.StatusOK, map[string]any{"ok": true, "duplicate": dup})
	}
}

// Bind registers an endpoint on the router with the inbox's own body limit.
func (in *Inbox) Bind(se *core.ServeEvent, path, source string, verify Verifier) {
	se.Router.POST(path, in.Endpoint(source, verify)).Unbind(apis.DefaultBodyLimitMiddlewareId)
}

// reject counts a refused call per source, reason and day. The payload is
// never stored.
func (in *Inbox) reject(app core.App, source, reason string) {
	f := schema.WebhookRejections
	now := in.clock.Now()
	day := now.Format("2006-01-02")
	rec, err := app.FindFirstRecordByFilter(schema.CWebhookRejections,
		f.Source+" = {:s} && "+f.Reason+" = {:r} && "+f.Day+" = {:d}", dbx.Params{"s": source, "r": reason, "d": day})
	if err != nil {
		col, cerr := app.FindCachedCollectionByNameOrId(schema.CWebhookRejections)
		if cerr != nil {
			app.Logger().Error("inbox: count rejection", "err", cerr)
			return
		}
		rec = core.NewRecord(col)
		rec.Set(f.Source, source)
		rec.Set(f.Reason, reason)
		rec.Set(f.Day, day)
	}
	rec.Set(f.Count, rec.GetInt(f.Count)+1)
	rec.Set(f.LastAt, now)
	if err := app.Save(rec); err != nil {
		app.Logger().Error("inbox: count rejection", "err", err)
	}
}

// Rejections returns the total refused calls for source and reason.
func Rejections(app core.App, source, reason string) int {
	f := schema.WebhookRejections
	recs, err := app.FindAllRecords(schema.CWebhookRejections, dbx.HashExp{f.Source: source, f.Reason: reason})
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range recs {
		n += r.GetInt(f.Count)
	}
	return n
}
