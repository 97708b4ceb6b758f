package storefront

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/inbox"
	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/woocommerce"
)

// Headers kept with a WooCommerce receipt.
const (
	hdrWooTopic      = "X-WC-Webhook-Topic"
	hdrWooSource     = "X-WC-Webhook-Source"
	hdrWooWebhookID  = "X-WC-Webhook-ID"
	hdrWooDeliveryID = "X-WC-Webhook-Delivery-ID"
)

// verifyWoo answers WooCommerce's unsigned creation ping without storing
// it and checks X-WC-Webhook-Signature on everything else. Because the
// delivery id is new for every delivery, the receipt is keyed by topic,
// order id and date_modified: the same change delivered twice is stored
// once.
func (s *Storefront) verifyWoo(req *http.Request, body []byte) (inbox.Receipt, error) {
	h := woocommerce.ParseHeaders(req.Header)
	if h.Signature == "" {
		if _, ok := woocommerce.IsPing(req.Header.Get("Content-Type"), body); ok {
			return inbox.Receipt{}, inbox.ErrSkip
		}
	}
	if !woocommerce.Verify(s.wooSecret, body, h.Signature) {
		return inbox.Receipt{}, inbox.ErrUnauthorized
	}
	var peek struct {
		ID              json.RawMessage `json:"id"`
		DateModifiedGMT string          `json:"date_modified_gmt"`
	}
	_ = json.Unmarshal(body, &peek)
	id := ""
	if len(peek.ID) > 0 && len(peek.ID) < 64 {
		id = string(peek.ID)
	}
	var key string
	switch {
	case id != "" && peek.DateModifiedGMT != "" && len(peek.DateModifiedGMT) < 64:
		key = fmt.Sprintf("%s:%s@%s", h.Topic, id, peek.DateModifiedGMT)
	case h.DeliveryID != "":
		key = h.Topic + ":" + id + ":" + h.DeliveryID
	default:
		sum := sha256.Sum256(body)
		key = "body:" + hex.EncodeToString(sum[:])
	}
	return inbox.Receipt{
		Topic: h.Topic, DeliveryID: clip(key, 200), EventID: h.DeliveryID,
		Headers: map[string]string{hdrWooTopic: h.Topic, hdrWooSource: h.Source, hdrWooWebhookID: h.WebhookID, hdrWooDeliveryID: h.DeliveryID},
	}, nil
}

// handleWoo processes one stored WooCommerce delivery inside tx.
func (s *Storefront) handleWoo(tx core.App, r inbox.Receipt) error {
	switch r.Topic {
	case woocommerce.TopicOrderCreated, woocommerce.TopicOrderUpdated, woocommerce.TopicOrderRestored:
		o, err := woocommerce.ParseOrder(r.Body)
		if err := tolerate(err); err != nil {
			return err
		}
		_, _, err = s.UpsertOrder(tx, o, Version{})
		return err
	case woocommerce.TopicOrderDeleted:
		id, err := woocommerce.ParseDeleted(r.Body)
		if err != nil {
			return fmt.Errorf("%w: %w", inbox.ErrPermanent, err)
		}
		return s.markDeleted(tx, model.SourceWooCommerce, id, r)
	}
	return fmt.Errorf("woocommerce topic %q: %w", r.Topic, inbox.ErrIgnored)
}

// markDeleted soft-deletes an order. WooCommerce sends only the id, so the
// deletion is dated by its arrival; an order modified after that (restored)
// stays.
func (s *Storefront) markDeleted(tx core.App, source model.Source, extID string, r inbox.Receipt) error {
	order, err := findOrder(tx, string(source), extID)
	if err != nil {
		return err
	}
	if order == nil {
		return fmt.Errorf("deleted order %s: %w", extID, ErrNotYet)
	}
	at := r.ReceivedAt
	if at.IsZero() {
		at = s.clock.Now()
	}
	oi := schema.OrderIngest
	if !recTime(order, schema.Orders.SourceUpdatedAt).Before(at) || !recTime(order, oi.DeletedAt).IsZero() {
		return nil
	}
	d := &diff{rec: order}
	d.time(oi.DeletedAt, at)
	if d.changed {
		return tx.Save(order)
	}
	return nil
}
