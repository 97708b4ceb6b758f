package shopify

import (
	"fmt"

	"porchlight/hooks/storefront/model"
	"porchlight/hooks/storefront/model/wire"
)

// ParseCustomer parses the body of a customers/update webhook. Required:
// id. Marketing consent maps email_marketing_consent.state and
// sms_marketing_consent.state ("subscribed" is yes, any other state is no,
// absent is unknown); the legacy accepts_marketing flag is used for email
// when the consent object is missing.
func ParseCustomer(body []byte) (model.Customer, error) {
	var in customerJSON
	if err := wire.Decode(body, &in, MaxBodyBytes); err != nil {
		return model.Customer{}, fmt.Errorf("shopify customer: %w", err)
	}
	var p wire.Fields
	p.Required("id", in.ID)
	c := in.toModel(&p, "")
	if p.Err() != nil {
		return model.Customer{}, fmt.Errorf("shopify customer: %w", p.Err())
	}
	c.Normalize()
	return c, model.AsError(c.Validate())
}
