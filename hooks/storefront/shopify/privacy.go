package shopify

import (
	"fmt"
	"strings"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// MaxPrivacyOrders bounds orders_requested / orders_to_redact.
const MaxPrivacyOrders = 10_000

// PrivacyCustomer identifies the person a privacy request is about. Any of
// the fields may be empty; match on all that are set.
type PrivacyCustomer struct {
	ID    string
	Email string
	Phone string
}

// DataRequest is a customers/data_request payload: the shop owner asks for
// everything Porchlight holds about a customer (answer within 30 days).
type DataRequest struct {
	ShopID          string
	ShopDomain      string
	Customer        PrivacyCustomer
	OrdersRequested []string // order ids
	DataRequestID   string
}

// CustomerRedact is a customers/redact payload: erase the customer's data
// and the listed orders' personal data.
type CustomerRedact struct {
	ShopID         string
	ShopDomain     string
	Customer       PrivacyCustomer
	OrdersToRedact []string // order ids
}

// ShopRedact is a shop/redact payload, sent 48 hours after uninstall:
// erase everything about the shop.
type ShopRedact struct {
	ShopID     string
	ShopDomain string
}

type privacyJSON struct {
	ShopID     wire.Text `json:"shop_id"`
	ShopDomain wire.Text `json:"shop_domain"`
	Customer   *struct {
		ID    wire.Text `json:"id"`
		Email wire.Text `json:"email"`
		Phone wire.Text `json:"phone"`
	} `json:"customer"`
	OrdersRequested []wire.Text `json:"orders_requested"`
	OrdersToRedact  []wire.Text `json:"orders_to_redact"`
	DataRequest     *struct {
		ID wire.Text `json:"id"`
	} `json:"data_request"`
}

func decodePrivacy(body []byte, what string) (privacyJSON, string, string, error) {
	var in privacyJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return in, "", "", fmt.Errorf("shopify %s: %w", what, err)
	}
	var p wire.Fields
	shopID := model.SanitizeLine(p.Required("shop_id", in.ShopID))
	domain := strings.ToLower(model.SanitizeLine(p.Required("shop_domain", in.ShopDomain)))
	if p.Err() == nil && (len(shopID) > model.MaxIDRunes || len(domain) > 255) {
		p.Fail("shop_id or shop_domain too long")
	}
	if p.Err() != nil {
		return in, "", "", fmt.Errorf("shopify %s: %w", what, p.Err())
	}
	return in, shopID, domain, nil
}

func (in *privacyJSON) customer(what string) (PrivacyCustomer, error) {
	if in.Customer == nil {
		return PrivacyCustomer{}, fmt.Errorf("shopify %s: missing required field customer", what)
	}
	c := PrivacyCustomer{
		ID:    model.SanitizeLine(in.Customer.ID.String()),
		Email: model.SanitizeLine(in.Customer.Email.String()),
		Phone: model.SanitizeLine(in.Customer.Phone.String()),
	}
	if c.ID == "" && c.Email == "" && c.Phone == "" {
		return c, fmt.Errorf("shopify %s: customer has no id, email or phone", what)
	}
	if len(c.ID) > model.MaxIDRunes || len(c.Email) > model.MaxEmailLen || len(c.Phone) > 64 {
		return c, fmt.Errorf("shopify %s: customer identifiers too long", what)
	}
	return c, nil
}

func orderIDs(field, what string, in []wire.Text) ([]string, error) {
	if len(in) > MaxPrivacyOrders {
		return nil, fmt.Errorf("shopify %s: %s has %d entries; at most %d allowed", what, field, len(in), MaxPrivacyOrders)
	}
	out := make([]string, 0, len(in))
	for i, v := range in {
		id := model.SanitizeLine(v.String())
		if id == "" || len(id) > model.MaxIDRunes {
			return nil, fmt.Errorf("shopify %s: field %s[%d]: not an order id", what, field, i)
		}
		out = append(out, id)
	}
	return out, nil
}

// ParseDataRequest parses a customers/data_request body. Required: shop_id,
// shop_domain, and a customer with at least one of id, email, phone.
func ParseDataRequest(body []byte) (DataRequest, error) {
	const what = "customers/data_request"
	in, shopID, domain, err := decodePrivacy(body, what)
	if err != nil {
		return DataRequest{}, err
	}
	c, err := in.customer(what)
	if err != nil {
		return DataRequest{}, err
	}
	ids, err := orderIDs("orders_requested", what, in.OrdersRequested)
	if err != nil {
		return DataRequest{}, err
	}
	out := DataRequest{ShopID: shopID, ShopDomain: domain, Customer: c, OrdersRequested: ids}
	if in.DataRequest != nil {
		out.DataRequestID = model.SanitizeLine(in.DataRequest.ID.String())
	}
	return out, nil
}

// ParseCustomerRedact parses a customers/redact body. Required: shop_id,
// shop_domain, and a customer with at least one of id, email, phone.
func ParseCustomerRedact(body []byte) (CustomerRedact, error) {
	const what = "customers/redact"
	in, shopID, domain, err := decodePrivacy(body, what)
	if err != nil {
		return CustomerRedact{}, err
	}
	c, err := in.customer(what)
	if err != nil {
		return CustomerRedact{}, err
	}
	ids, err := orderIDs("orders_to_redact", what, in.OrdersToRedact)
	if err != nil {
		return CustomerRedact{}, err
	}
	return CustomerRedact{ShopID: shopID, ShopDomain: domain, Customer: c, OrdersToRedact: ids}, nil
}

// ParseShopRedact parses a shop/redact body. Required: shop_id, shop_domain.
func ParseShopRedact(body []byte) (ShopRedact, error) {
	_, shopID, domain, err := decodePrivacy(body, "shop/redact")
	if err != nil {
		return ShopRedact{}, err
	}
	return ShopRedact{ShopID: shopID, ShopDomain: domain}, nil
}
