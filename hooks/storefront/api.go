package storefront

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/tracking/status"
)

// The REST API: POST /api/porchlight/orders and /api/porchlight/shipments,
// for a superuser or an API token created in the admin (api_tokens),
// sent as "Authorization: Bearer <token>". Bodies are validated with
// field-level errors and writes are idempotent on the external id.

// FieldErrors is the 400 body: {"errors": [{"field": ..., "error": ...}]}.
type FieldErrors struct {
	Errors []model.FieldError `json:"errors"`
}

func newAPIToken() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("storefront: crypto/rand failed: " + err.Error())
	}
	return "plt_" + hex.EncodeToString(b[:])
}

// requireAPIAuth lets superusers and holders of an active API token
// through; everyone else gets 401.
func (s *Storefront) requireAPIAuth() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "porchlightAPIAuth",
		Func: func(e *core.RequestEvent) error {
			if e.HasSuperuserAuth() {
				return e.Next()
			}
			if s.validAPIToken(e.App, bearer(e.Request)) {
				return e.Next()
			}
			return e.JSON(http.StatusUnauthorized, map[string]string{"error": "a superuser login or an API token is required"})
		},
	}
}

func bearer(r *http.Request) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (s *Storefront) validAPIToken(app core.App, tok string) bool {
	if len(tok) < 32 || len(tok) > 128 {
		return false
	}
	t := schema.APITokens
	rec, err := app.FindFirstRecordByData(schema.CAPITokens, t.Token, tok)
	if err != nil || !rec.GetBool(t.Active) {
		return false
	}
	if subtle.ConstantTimeCompare([]byte(rec.GetString(t.Token)), []byte(tok)) != 1 {
		return false
	}
	if time.Since(recTime(rec, t.LastUsedAt)) > time.Minute {
		rec.Set(t.LastUsedAt, schema.DBTime(s.clock.Now()))
		_ = app.Save(rec)
	}
	return true
}

// decodeStrict decodes a JSON body, refusing unknown fields, with the
// problem reported as a field error.
func decodeStrict(r io.Reader, v any) []model.FieldError {
	body, err := io.ReadAll(r)
	if err != nil {
		return []model.FieldError{{Field: "", Error: "could not read the body"}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			return []model.FieldError{{Field: te.Field, Error: "must be a " + te.Type.String()}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return []model.FieldError{{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Error: "is not a known field"}}
		}
		return []model.FieldError{{Field: "", Error: "body is not valid JSON"}}
	}
	return nil
}

func (s *Storefront) apiOrders(e *core.RequestEvent) error {
	var o model.Order
	if errs := decodeStrict(e.Request.Body, &o); errs != nil {
		return e.JSON(http.StatusBadRequest, FieldErrors{errs})
	}
	if o.Source == "" {
		o.Source = model.SourceAPI
	}
	o.Normalize()
	if errs := o.Validate(); len(errs) > 0 {
		return e.JSON(http.StatusBadRequest, FieldErrors{errs})
	}
	var out Outcome
	var rec *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		var err error
		out, rec, err = s.UpsertOrder(tx, o, Version{})
		return err
	})
	if err != nil {
		e.App.Logger().Error("api: upsert order", "external_id", o.ExternalID, "err", err)
		return e.InternalServerError("Could not store the order.", nil)
	}
	code := http.StatusOK
	if out == Created {
		code = http.StatusCreated
	}
	return e.JSON(code, map[string]any{"id": rec.Id, "outcome": out, "status": rec.GetString(schema.Orders.Status)})
}

// ShipmentInput is the body of POST /api/porchlight/shipments.
type ShipmentInput struct {
	// Source and OrderExternalID name the order (source defaults to "api").
	Source          model.Source `json:"source"`
	OrderExternalID string       `json:"order_external_id"`
	// ExternalID is the caller's id of this shipment (idempotency key);
	// defaults to the tracking number.
	ExternalID     string    `json:"external_id"`
	Carrier        string    `json:"carrier"`
	TrackingNumber string    `json:"tracking_number"`
	TrackingURL    string    `json:"tracking_url"`
	Service        string    `json:"service"`
	Status         string    `json:"status"`
	ShippedAt      time.Time `json:"shipped_at"`
	LineItemIDs    []string  `json:"line_item_ids"`
}

func (in *ShipmentInput) validate() []model.FieldError {
	var errs []model.FieldError
	add := func(f, msg string) { errs = append(errs, model.FieldError{Field: f, Error: msg}) }
	if !in.Source.Valid() {
		add("source", "must be one of shopify, woocommerce, csv, api")
	}
	if in.OrderExternalID == "" {
		add("order_external_id", "is required")
	} else if len(in.OrderExternalID) > model.MaxIDRunes {
		add("order_external_id", fmt.Sprintf("must be at most %d characters", model.MaxIDRunes))
	}
	if in.TrackingNumber == "" {
		add("tracking_number", "is required")
	} else if len([]rune(in.TrackingNumber)) > 64 {
		add("tracking_number", "must be at most 64 characters")
	}
	if len([]rune(in.Carrier)) > 64 {
		add("carrier", "must be at most 64 characters")
	}
	if len(in.ExternalID) > model.MaxIDRunes {
		add("external_id", fmt.Sprintf("must be at most %d characters", model.MaxIDRunes))
	}
	if in.TrackingURL != "" && !model.ValidWebURL(in.TrackingURL) {
		add("tracking_url", "must be an absolute http or https URL")
	}
	if in.Status != "" && !status.Valid(in.Status) && !status.FromShopify(in.Status).Known {
		add("status", "must be one of "+strings.Join(status.Strings(), ", "))
	}
	if len(in.LineItemIDs) > model.MaxLineItems {
		add("line_item_ids", "has too many entries")
	}
	return errs
}

func (s *Storefront) apiShipments(e *core.RequestEvent) error {
	var in ShipmentInput
	if errs := decodeStrict(e.Request.Body, &in); errs != nil {
		return e.JSON(http.StatusBadRequest, FieldErrors{errs})
	}
	if in.Source == "" {
		in.Source = model.SourceAPI
	}
	in.OrderExternalID = model.SanitizeLine(in.OrderExternalID)
	in.TrackingNumber = model.SanitizeLine(in.TrackingNumber)
	in.Carrier = model.SanitizeLine(in.Carrier)
	in.ExternalID = model.SanitizeLine(in.ExternalID)
	in.Service = model.SanitizeLine(in.Service)
	if errs := in.validate(); len(errs) > 0 {
		return e.JSON(http.StatusBadRequest, FieldErrors{errs})
	}
	f := model.Fulfillment{
		ExternalID: firstNonEmpty(in.ExternalID, in.TrackingNumber), OrderExternalID: in.OrderExternalID,
		TrackingNumbers: []string{in.TrackingNumber}, TrackingCompany: in.Carrier,
		ShipmentStatus: in.Status, Service: in.Service, CreatedAt: in.ShippedAt.UTC(), LineItemIDs: in.LineItemIDs,
	}
	if in.TrackingURL != "" {
		f.TrackingURLs = []string{in.TrackingURL}
	}
	var id string
	created := false
	err := e.App.RunInTransaction(func(tx core.App) error {
		order, err := findOrder(tx, string(in.Source), in.OrderExternalID)
		if err != nil {
			return err
		}
		if order == nil {
			return errUnknownOrder
		}
		before, _ := tx.CountRecords(schema.CShipments)
		if _, err := s.upsertFulfillment(tx, order, in.Source, f, s.clock.Now()); err != nil {
			return err
		}
		after, _ := tx.CountRecords(schema.CShipments)
		created = after > before
		if _, err := s.deriveOrder(tx, order); err != nil {
			return err
		}
		sh := schema.Shipments
		rec, err := tx.FindFirstRecordByData(schema.CShipments, sh.TrackingNumber, clip(in.TrackingNumber, 64))
		if err != nil {
			return errTrackingTaken
		}
		if rec.GetString(sh.Order) != order.Id {
			return errTrackingTaken
		}
		id = rec.Id
		return nil
	})
	switch {
	case errors.Is(err, errUnknownOrder):
		return e.JSON(http.StatusBadRequest, FieldErrors{[]model.FieldError{{Field: "order_external_id", Error: "no such order"}}})
	case errors.Is(err, errTrackingTaken):
		return e.JSON(http.StatusConflict, FieldErrors{[]model.FieldError{{Field: "tracking_number", Error: "belongs to another order"}}})
	case err != nil:
		e.App.Logger().Error("api: upsert shipment", "tracking_number", in.TrackingNumber, "err", err)
		return e.InternalServerError("Could not store the shipment.", nil)
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	return e.JSON(code, map[string]any{"id": id})
}

var (
	errUnknownOrder  = errors.New("unknown order")
	errTrackingTaken = errors.New("tracking number belongs to another order")
)
