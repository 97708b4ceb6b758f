package shopify

import (
	"fmt"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// ParseFulfillment parses the body of a fulfillments/create or
// fulfillments/update webhook. Required: id, order_id. ShipmentStatus is
// Shopify's raw value (label_printed, in_transit, delivered, failure, …);
// tracking URLs that are not http(s) links are dropped.
func ParseFulfillment(body []byte) (model.Fulfillment, error) {
	var in fulfillmentJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return model.Fulfillment{}, fmt.Errorf("shopify fulfillment: %w", err)
	}
	var p wire.Fields
	p.Required("id", in.ID)
	p.Required("order_id", in.OrderID)
	f := in.toModel(&p, "")
	if p.Err() != nil {
		return model.Fulfillment{}, fmt.Errorf("shopify fulfillment: %w", p.Err())
	}
	f.Normalize()
	return f, model.AsError(f.Validate())
}

type fulfillmentEventJSON struct {
	ID                  wire.Text `json:"id"`
	FulfillmentID       wire.Text `json:"fulfillment_id"`
	OrderID             wire.Text `json:"order_id"`
	Status              wire.Text `json:"status"`
	Message             wire.Text `json:"message"`
	HappenedAt          wire.Text `json:"happened_at"`
	CreatedAt           wire.Text `json:"created_at"`
	City                wire.Text `json:"city"`
	Province            wire.Text `json:"province"`
	Country             wire.Text `json:"country"`
	Zip                 wire.Text `json:"zip"`
	EstimatedDeliveryAt wire.Text `json:"estimated_delivery_at"`
}

// ParseFulfillmentEvent parses the body of a fulfillment_events/create
// webhook. Required: id, fulfillment_id, status, and happened_at (created_at
// stands in when happened_at is null). Status is kept raw; Country is the
// name Shopify sends, not a code.
func ParseFulfillmentEvent(body []byte) (model.FulfillmentEvent, error) {
	var in fulfillmentEventJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return model.FulfillmentEvent{}, fmt.Errorf("shopify fulfillment event: %w", err)
	}
	var p wire.Fields
	e := model.FulfillmentEvent{
		ExternalID:          p.Required("id", in.ID),
		FulfillmentID:       p.Required("fulfillment_id", in.FulfillmentID),
		OrderExternalID:     in.OrderID.Trim(),
		Status:              p.Required("status", in.Status),
		Message:             in.Message.String(),
		CreatedAt:           p.Time("created_at", in.CreatedAt, false),
		City:                in.City.Trim(),
		Region:              in.Province.Trim(),
		Country:             in.Country.Trim(),
		PostalCode:          in.Zip.Trim(),
		EstimatedDeliveryAt: p.Time("estimated_delivery_at", in.EstimatedDeliveryAt, false),
	}
	e.HappenedAt = p.Time("happened_at", in.HappenedAt, false)
	if e.HappenedAt.IsZero() {
		e.HappenedAt = e.CreatedAt
	}
	if e.HappenedAt.IsZero() && p.Err() == nil {
		p.Fail("missing required field happened_at")
	}
	if p.Err() != nil {
		return model.FulfillmentEvent{}, fmt.Errorf("shopify fulfillment event: %w", p.Err())
	}
	e.Normalize()
	return e, model.AsError(e.Validate())
}
