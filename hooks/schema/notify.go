package schema

// Notification additions (migration 1763769820_notify).

// MessageNotify are the messages fields the dispatcher adds: when a row was
// claimed (a "sending" row whose claim is older than the lease is reclaimed
// after a crash), which template rendered it, and the original targets of
// its tracked links (/c/{id}/{n} redirects to Links[n]).
var MessageNotify = struct {
	ClaimedAt, TemplateKey, Links string
}{"claimed_at", "template_key", "links"}

// BrandNotify are the brand fields notify adds: per-region SMS quiet hours
// as {"US-FL": "08:00-20:00", "GB": "09:00-20:00"} (country or
// country-region; the brand's quiet_start/quiet_end stay the default).
var BrandNotify = struct {
	QuietRegions string
}{"quiet_regions"}

// Flow triggers. The list is open: returns and surveys add their own.
const (
	TrigOrderConfirmed     = "order_confirmed"
	TrigShipped            = "shipped"
	TrigOutForDelivery     = "out_for_delivery"
	TrigDelivered          = "delivered"
	TrigDelayed            = "delayed"
	TrigException          = "exception"
	TrigAvailableForPickup = "available_for_pickup"
	TrigFailedAttempt      = "failed_attempt"
	TrigPostDeliveryTips   = "post_delivery_tips"
	TrigReviewRequest      = "review_request"
	TrigReplenish          = "replenish"
	TrigHelpReply          = "help_reply"
)

// FlowTriggers lists the triggers Porchlight fires today.
var FlowTriggers = []string{
	TrigOrderConfirmed, TrigShipped, TrigOutForDelivery, TrigDelivered, TrigDelayed,
	TrigException, TrigAvailableForPickup, TrigFailedAttempt, TrigPostDeliveryTips,
	TrigReviewRequest, TrigReplenish, TrigHelpReply,
}
