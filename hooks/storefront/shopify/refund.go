package shopify

import (
	"fmt"
	"strings"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

type refundJSON struct {
	ID              wire.Text `json:"id"`
	OrderID         wire.Text `json:"order_id"`
	CreatedAt       wire.Text `json:"created_at"`
	ProcessedAt     wire.Text `json:"processed_at"`
	Note            wire.Text `json:"note"`
	RefundLineItems []struct {
		LineItemID  wire.Text `json:"line_item_id"`
		Quantity    wire.Text `json:"quantity"`
		RestockType wire.Text `json:"restock_type"`
		// Shopify sends subtotal and total_tax as JSON numbers here while
		// every other amount is a string; the *_set twins are strings.
		Subtotal    wire.Text `json:"subtotal"`
		TotalTax    wire.Text `json:"total_tax"`
		SubtotalSet *moneySet `json:"subtotal_set"`
		TotalTaxSet *moneySet `json:"total_tax_set"`
	} `json:"refund_line_items"`
	Transactions []struct {
		Kind     wire.Text `json:"kind"`
		Status   wire.Text `json:"status"`
		Amount   wire.Text `json:"amount"`
		Currency wire.Text `json:"currency"`
	} `json:"transactions"`
}

// maxTransactions bounds the refund transactions we sum.
const maxTransactions = 250

// ParseRefund parses the body of a refunds/create webhook. Required: id,
// order_id, created_at. AmountCents is the sum of the refund transactions
// with status "success" (kind "refund"); pending or failed gateway
// transactions are not money returned yet. Currency comes from the
// transactions, else from the line items' shop_money.
func ParseRefund(body []byte) (model.Refund, error) {
	var in refundJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return model.Refund{}, fmt.Errorf("shopify refund: %w", err)
	}
	var p wire.Fields
	p.Required("id", in.ID)
	p.Required("order_id", in.OrderID)
	p.Time("created_at", in.CreatedAt, true)
	if p.Err() != nil {
		return model.Refund{}, fmt.Errorf("shopify refund: %w", p.Err())
	}
	r := in.toModel(&p, "", "")
	if p.Err() != nil {
		return model.Refund{}, fmt.Errorf("shopify refund: %w", p.Err())
	}
	r.Normalize()
	return r, model.AsError(r.Validate())
}

// toModel converts a refund. currency is the order's when the refund is
// nested in an order payload; standalone refunds find it themselves.
func (in *refundJSON) toModel(p *wire.Fields, prefix, currency string) model.Refund {
	if currency == "" {
		currency = in.currency()
	}
	r := model.Refund{
		Source:          model.SourceShopify,
		ExternalID:      in.ID.Trim(),
		OrderExternalID: in.OrderID.Trim(),
		CreatedAt:       p.Time(prefix+"created_at", in.CreatedAt, false),
		ProcessedAt:     p.Time(prefix+"processed_at", in.ProcessedAt, false),
		Note:            in.Note.String(),
		Currency:        strings.ToUpper(currency),
	}
	if len(in.Transactions) > maxTransactions {
		p.Fail("%stransactions has %d entries; at most %d allowed", prefix, len(in.Transactions), maxTransactions)
		return r
	}
	for i, t := range in.Transactions {
		if !strings.EqualFold(t.Kind.Trim(), "refund") || !strings.EqualFold(t.Status.Trim(), "success") {
			continue
		}
		amt := p.Money(fmt.Sprintf("%stransactions[%d].amount", prefix, i), t.Amount, currency, false)
		if amt < 0 {
			amt = -amt // some gateways report refunds negative
		}
		r.AmountCents = model.AddMinor(r.AmountCents, amt)
	}
	if len(in.RefundLineItems) > model.MaxLineItems {
		p.Fail("%srefund_line_items has %d entries; at most %d allowed", prefix, len(in.RefundLineItems), model.MaxLineItems)
		return r
	}
	for i, li := range in.RefundLineItems {
		f := fmt.Sprintf("%srefund_line_items[%d].", prefix, i)
		sub, tax := li.Subtotal, li.TotalTax
		if li.SubtotalSet != nil && li.SubtotalSet.ShopMoney.Amount.Trim() != "" {
			sub = li.SubtotalSet.ShopMoney.Amount
		}
		if li.TotalTaxSet != nil && li.TotalTaxSet.ShopMoney.Amount.Trim() != "" {
			tax = li.TotalTaxSet.ShopMoney.Amount
		}
		r.Items = append(r.Items, model.RefundItem{
			LineItemID:    li.LineItemID.Trim(),
			Quantity:      p.Quantity(f+"quantity", li.Quantity),
			SubtotalCents: p.Money(f+"subtotal", sub, currency, false),
			TaxCents:      p.Money(f+"total_tax", tax, currency, false),
			RestockType:   li.RestockType.Trim(),
		})
	}
	return r
}

func (in *refundJSON) currency() string {
	for _, t := range in.Transactions {
		if c := t.Currency.Trim(); c != "" {
			return c
		}
	}
	for _, li := range in.RefundLineItems {
		if li.SubtotalSet != nil {
			if c := li.SubtotalSet.ShopMoney.CurrencyCode.Trim(); c != "" {
				return c
			}
		}
	}
	return ""
}
