package storefront

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
	"porchlight/hooks/storefront/shopify"
)

// Headers kept with a Shopify receipt.
const (
	hdrShopifyTopic     = "X-Shopify-Topic"
	hdrShopifyDomain    = "X-Shopify-Shop-Domain"
	hdrShopifyVersion   = "X-Shopify-API-Version"
	hdrShopifyWebhookID = "X-Shopify-Webhook-Id"
	hdrShopifyEventID   = "X-Shopify-Event-Id"
	hdrShopifyTriggered = "X-Shopify-Triggered-At"
)

// verifyShopify checks X-Shopify-Hmac-Sha256 over the raw body. With no
// secret configured every delivery is refused.
func (s *Storefront) verifyShopify(req *http.Request, body []byte) (inbox.Receipt, error) {
	h := shopify.ParseHeaders(req.Header)
	if !shopify.Verify(s.shopifySecret, body, h.HmacSHA256) {
		return inbox.Receipt{}, inbox.ErrUnauthorized
	}
	id := firstNonEmpty(h.WebhookID, h.EventID)
	if id == "" {
		sum := sha256.Sum256(body)
		id = "body:" + hex.EncodeToString(sum[:])
	}
	r := inbox.Receipt{
		Topic: h.Topic, DeliveryID: id, EventID: h.EventID,
		Headers: map[string]string{
			hdrShopifyTopic: h.Topic, hdrShopifyDomain: h.ShopDomain, hdrShopifyVersion: h.APIVersion,
			hdrShopifyWebhookID: h.WebhookID, hdrShopifyEventID: h.EventID,
		},
	}
	if !h.TriggeredAt.IsZero() {
		r.Headers[hdrShopifyTriggered] = h.TriggeredAt.UTC().Format(time.RFC3339Nano)
	}
	return r, nil
}

// handleShopify processes one stored Shopify delivery inside tx.
func (s *Storefront) handleShopify(tx core.App, r inbox.Receipt) error {
	if len(r.Body) == 0 {
		return nil // erased by a privacy request; nothing left to apply
	}
	if dup, err := sameEventDone(tx, r); err != nil || dup {
		return err
	}
	triggered, _ := wire.ParseTime(r.Headers[hdrShopifyTriggered])
	if triggered.IsZero() {
		triggered = r.ReceivedAt
	}
	orderExtID, err := s.applyShopify(tx, r, triggered)
	if err != nil || orderExtID == "" {
		return err
	}
	// A delivery about a redacted order keeps no personal data either.
	order, err := findOrder(tx, string(model.SourceShopify), orderExtID)
	if err != nil || order == nil || !order.GetBool(schema.OrderIngest.Redacted) {
		return err
	}
	return s.scrubReceipt(tx, r.ID)
}

// applyShopify applies one delivery and returns the external id of the
// order it concerned, if any.
func (s *Storefront) applyShopify(tx core.App, r inbox.Receipt, triggered time.Time) (string, error) {
	v := Version{TriggeredAt: triggered}
	switch r.Topic {
	case shopify.TopicOrdersCreate, shopify.TopicOrdersUpdated, shopify.TopicOrdersPaid, shopify.TopicOrdersCancelled,
		shopify.TopicOrdersFulfilled, shopify.TopicOrdersPartiallyFulfilled:
		o, err := shopify.ParseOrder(r.Body)
		if err := tolerate(err); err != nil {
			return "", err
		}
		_, _, err = s.UpsertOrder(tx, o, v)
		return o.ExternalID, err
	case shopify.TopicFulfillmentsCreate, shopify.TopicFulfillmentsUpdate:
		f, err := shopify.ParseFulfillment(r.Body)
		if err := tolerate(err); err != nil {
			return "", err
		}
		return f.OrderExternalID, s.applyFulfillment(tx, model.SourceShopify, f, triggered)
	case shopify.TopicFulfillmentEventsCreate:
		e, err := shopify.ParseFulfillmentEvent(r.Body)
		if err := tolerate(err); err != nil {
			return "", err
		}
		return e.OrderExternalID, s.RecordFulfillmentEvent(tx, model.SourceShopify, e)
	case shopify.TopicRefundsCreate:
		rf, err := shopify.ParseRefund(r.Body)
		if err := tolerate(err); err != nil {
			return "", err
		}
		return rf.OrderExternalID, s.applyRefund(tx, rf)
	case shopify.TopicCustomersUpdate:
		c, err := shopify.ParseCustomer(r.Body)
		if err := tolerate(err); err != nil {
			return "", err
		}
		redact, err := s.redactionApplies(tx, model.SourceShopify, "", c, v)
		if err != nil {
			return "", err
		}
		id, err := s.upsertCustomer(tx, model.SourceShopify, c, "", redact)
		if err != nil {
			return "", err
		}
		if redact {
			return "", s.scrubReceipt(tx, r.ID)
		}
		return "", s.refreshCustomer(tx, id)
	case shopify.TopicCustomersDataRequest:
		req, err := shopify.ParseDataRequest(r.Body)
		if err != nil {
			return "", fmt.Errorf("%w: %w", inbox.ErrPermanent, err)
		}
		return "", s.dataRequest(tx, r, req, triggered)
	case shopify.TopicCustomersRedact:
		req, err := shopify.ParseCustomerRedact(r.Body)
		if err != nil {
			return "", fmt.Errorf("%w: %w", inbox.ErrPermanent, err)
		}
		return "", s.customerRedact(tx, r, req, triggered)
	case shopify.TopicShopRedact:
		req, err := shopify.ParseShopRedact(r.Body)
		if err != nil {
			return "", fmt.Errorf("%w: %w", inbox.ErrPermanent, err)
		}
		return "", s.shopRedact(tx, r, req, triggered)
	}
	return "", fmt.Errorf("shopify topic %q: %w", r.Topic, inbox.ErrIgnored)
}

// sameEventDone reports whether another delivery of the same event and
// topic (a different webhook id, same X-Shopify-Event-Id) was already
// processed.
func sameEventDone(tx core.App, r inbox.Receipt) (bool, error) {
	if r.EventID == "" {
		return false, nil
	}
	wr := schema.WebhookReceipts
	n, err := tx.CountRecords(schema.CWebhookReceipts, dbx.HashExp{
		wr.Source: r.Source, wr.EventID: r.EventID, wr.Topic: r.Topic, wr.Status: schema.ReceiptDone,
	}, dbx.Not(dbx.HashExp{schema.FID: r.ID}))
	if err != nil {
		return false, fmt.Errorf("dedupe event %s: %w", r.EventID, err)
	}
	return n > 0, nil
}

// tolerate decides what a parser error means. Content problems in fields
// we can do without (a 10 KB name, a malformed email, an over-long note)
// are stored clipped or blank; anything that breaks identity, time, money
// or quantities is permanent: retrying the same bytes cannot help.
func tolerate(err error) error {
	if err == nil {
		return nil
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			if essential(f.Field) {
				return fmt.Errorf("%w: %w", inbox.ErrPermanent, err)
			}
		}
		return nil
	}
	return fmt.Errorf("%w: %w", inbox.ErrPermanent, err)
}

func essential(field string) bool {
	switch field {
	case "source", "external_id", "number", "placed_at", "currency", "total_cents", "subtotal_cents",
		"shipping_cents", "tax_cents", "discount_cents", "items", "order_external_id", "fulfillment_id",
		"happened_at", "created_at", "amount_cents", "status":
		return true
	}
	return strings.HasSuffix(field, ".quantity") || strings.HasSuffix(field, ".price_cents") ||
		strings.HasSuffix(field, "amount_cents")
}

// applyFulfillment attaches a stand-alone fulfillment to its order.
func (s *Storefront) applyFulfillment(tx core.App, source model.Source, f model.Fulfillment, triggered time.Time) error {
	order, err := findOrder(tx, string(source), f.OrderExternalID)
	if err != nil {
		return err
	}
	if order == nil {
		return fmt.Errorf("order %s of fulfillment %s: %w", f.OrderExternalID, f.ExternalID, ErrNotYet)
	}
	if _, err := s.upsertFulfillment(tx, order, source, f, triggered); err != nil {
		return err
	}
	_, err = s.deriveOrder(tx, order)
	return err
}

// applyRefund merges a refund (with its lines) into its order.
func (s *Storefront) applyRefund(tx core.App, rf model.Refund) error {
	order, err := findOrder(tx, string(rf.Source), rf.OrderExternalID)
	if err != nil {
		return err
	}
	if order == nil {
		return fmt.Errorf("order %s of refund %s: %w", rf.OrderExternalID, rf.ExternalID, ErrNotYet)
	}
	refunds := map[string]refund{}
	_ = order.UnmarshalJSONField(schema.OrderIngest.Refunds, &refunds)
	in := refund{AmountCents: rf.AmountCents, Reason: clip(rf.Note, 500)}
	for _, it := range rf.Items {
		in.Items = append(in.Items, refundItem{LineItemID: it.LineItemID, Quantity: it.Quantity, RestockType: it.RestockType})
	}
	refunds[rf.ExternalID] = mergeRefund(refunds[rf.ExternalID], in)
	d := &diff{rec: order}
	setRefunds(d, refunds)
	if d.changed {
		if err := tx.Save(order); err != nil {
			return fmt.Errorf("save refund %s: %w", rf.ExternalID, err)
		}
	}
	_, err = s.deriveOrder(tx, order)
	return err
}
