package storefront

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/carriers/detect"
	"porchlight/hooks/schema"
	"porchlight/hooks/storefront/model"
	"porchlight/hooks/tracking"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

// ErrNotYet is returned when a delivery refers to something we have not
// received yet (a fulfillment before its order): the inbox retries it with
// backoff, by which time the order has normally arrived.
var ErrNotYet = errors.New("storefront: referenced resource not received yet")

// upsertFulfillment writes one shipment per tracking number of f. The
// store's shipment_status becomes a tracking checkpoint, so the shipment's
// status is derived by the tracking state machine from all checkpoints
// whatever the arrival order. A fulfillment without a tracking number has
// nothing to track and is skipped; a cancelled one removes its shipments.
func (s *Storefront) upsertFulfillment(tx core.App, order *core.Record, source model.Source, f model.Fulfillment, triggered time.Time) (bool, error) {
	sh, si := schema.Shipments, schema.ShipmentIngest
	changed := false
	if strings.EqualFold(f.Status, "cancelled") || strings.EqualFold(f.Status, "error") || strings.EqualFold(f.Status, "failure") {
		if f.ExternalID == "" {
			return false, nil
		}
		ships, err := tx.FindAllRecords(schema.CShipments, dbx.HashExp{sh.Order: order.Id, sh.Source: string(source), sh.ExternalID: f.ExternalID})
		if err != nil {
			return false, err
		}
		for _, r := range ships {
			if err := tx.Delete(r); err != nil {
				return false, fmt.Errorf("delete cancelled shipment %s: %w", r.Id, err)
			}
			changed = true
		}
		return changed, nil
	}
	col, err := tx.FindCachedCollectionByNameOrId(schema.CShipments)
	if err != nil {
		return false, err
	}
	for i, raw := range f.TrackingNumbers {
		tn := clip(strings.TrimSpace(raw), 64)
		if tn == "" {
			continue
		}
		carrier := carrierID(f.TrackingCompany, tn)
		rec, err := tx.FindFirstRecordByFilter(schema.CShipments, sh.Order+" = {:o} && "+sh.TrackingNumber+" = {:n}",
			dbx.Params{"o": order.Id, "n": tn})
		if errors.Is(err, sql.ErrNoRows) && len(f.TrackingNumbers) == 1 && f.ExternalID != "" {
			// The same shipment under a corrected tracking number: update it
			// rather than adding a second parcel.
			rec, err = tx.FindFirstRecordByFilter(schema.CShipments,
				sh.Order+" = {:o} && "+sh.Source+" = {:s} && "+sh.ExternalID+" = {:e}",
				dbx.Params{"o": order.Id, "s": string(source), "e": clip(f.ExternalID, 200)})
			if err == nil && !f.UpdatedAt.IsZero() && f.UpdatedAt.Before(recTime(rec, si.SourceUpdatedAt)) {
				continue // an older version of a shipment we hold under its newer number
			}
		}
		if errors.Is(err, sql.ErrNoRows) {
			rec = nil
			if other, err := tx.FindFirstRecordByFilter(schema.CShipments, sh.Carrier+" = {:c} && "+sh.TrackingNumber+" = {:n}",
				dbx.Params{"c": carrier, "n": tn}); err == nil && other.GetString(sh.Order) != order.Id {
				// The parcel already belongs to another order; leave it.
				continue
			}
		} else if err != nil {
			return false, err
		}
		if rec == nil {
			rec = core.NewRecord(col)
			rec.Set(sh.Order, order.Id)
			rec.Set(sh.TrackingNumber, tn)
			rec.Set(sh.Status, string(status.Pending))
		}
		held := recTime(rec, si.SourceUpdatedAt)
		if rec.IsNew() || f.UpdatedAt.IsZero() || !f.UpdatedAt.Before(held) {
			d := &diff{rec: rec}
			d.str(sh.TrackingNumber, tn)
			if rec.IsNew() || f.TrackingCompany != "" {
				d.str(sh.Carrier, carrier)
			}
			if u := trackingURL(f.TrackingURLs, i); u != "" {
				d.str(sh.TrackingURL, u)
			}
			if f.Service != "" {
				d.str(sh.Service, clip(f.Service, 200))
			}
			d.str(sh.Source, string(source))
			if f.ExternalID != "" {
				d.str(sh.ExternalID, clip(f.ExternalID, 200))
			}
			if len(f.LineItemIDs) > 0 {
				d.json(sh.Items, f.LineItemIDs)
			}
			if f.ShipmentStatus != "" {
				d.str(sh.RawStatus, clip(f.ShipmentStatus, 200))
			}
			if recTime(rec, sh.ShippedAt).IsZero() && !f.CreatedAt.IsZero() {
				d.time(sh.ShippedAt, f.CreatedAt)
			}
			if f.UpdatedAt.After(held) {
				d.time(si.SourceUpdatedAt, f.UpdatedAt)
			}
			if d.changed || rec.IsNew() {
				if err := tx.Save(rec); err != nil {
					return false, fmt.Errorf("save shipment %s: %w", tn, err)
				}
				changed = true
			}
		}
		if f.ShipmentStatus != "" {
			at := firstNonZero(f.UpdatedAt, f.CreatedAt, triggered)
			m := status.FromShopify(f.ShipmentStatus)
			if source != model.SourceShopify {
				m = mapGeneric(f.ShipmentStatus)
			}
			res, err := s.tracker.Record(tx, rec.Id, []tracking.Checkpoint{{
				Event: timeline.Event{
					OccurredAt: at, Status: m.Status, Substatus: m.Substatus, Source: string(source),
					DedupeKey: clip(fmt.Sprintf("%s:fulfillment:%s:%s:%s", source, f.ExternalID, tn, strings.ToLower(f.ShipmentStatus)), 200),
				},
				RawStatus: clip(f.ShipmentStatus, 200),
			}})
			if err != nil {
				return false, err
			}
			changed = changed || res.Inserted > 0 || res.Changed
		}
	}
	return changed, nil
}

// mapGeneric maps a canonical or Shopify-spelled status from a source that
// has no table of its own (REST API, CSV).
func mapGeneric(raw string) status.Mapped {
	if status.Valid(strings.ToLower(raw)) {
		return status.Mapped{Status: status.Status(strings.ToLower(raw)), Known: true}
	}
	return status.FromShopify(raw)
}

// RecordFulfillmentEvent stores a carrier scan reported through the store
// (Shopify fulfillment_events/create) as a tracking checkpoint of every
// shipment of that fulfillment.
func (s *Storefront) RecordFulfillmentEvent(tx core.App, source model.Source, e model.FulfillmentEvent) error {
	sh := schema.Shipments
	ships, err := tx.FindAllRecords(schema.CShipments, dbx.HashExp{sh.Source: string(source), sh.ExternalID: e.FulfillmentID})
	if err != nil {
		return err
	}
	if len(ships) == 0 {
		return fmt.Errorf("fulfillment %s of event %s: %w", e.FulfillmentID, e.ExternalID, ErrNotYet)
	}
	m := status.FromShopify(e.Status)
	loc := strings.Join(nonEmpty(e.City, e.Region, e.PostalCode, e.Country), ", ")
	for _, ship := range ships {
		_, err := s.tracker.Record(tx, ship.Id, []tracking.Checkpoint{{
			Event: timeline.Event{
				OccurredAt: e.HappenedAt, Status: m.Status, Substatus: m.Substatus,
				Message: clip(e.Message, 2000), Location: clip(loc, 200), Source: string(source),
				DedupeKey: clip(fmt.Sprintf("%s:event:%s:%s", source, e.ExternalID, ship.GetString(sh.TrackingNumber)), 200),
			},
			RawStatus: clip(e.Status, 200),
		}})
		if err != nil {
			return err
		}
		if err := tracking.UpdateOrderStatus(tx, ship.GetString(sh.Order)); err != nil {
			return err
		}
	}
	return nil
}

func nonEmpty(vals ...string) []string {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

func trackingURL(urls []string, i int) string {
	var u string
	switch {
	case i < len(urls):
		u = urls[i]
	case len(urls) == 1:
		u = urls[0]
	}
	if len(u) > 2000 {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}

// carrierAliases maps the carrier names stores send (Shopify's
// tracking_company, WooCommerce Shipment Tracking providers) to our ids.
var carrierAliases = map[string]string{
	"ups": "ups", "usps": "usps", "unitedstatespostalservice": "usps", "fedex": "fedex",
	"dhl": "dhl", "dhlexpress": "dhl", "amazon": "amazon", "amazonlogistics": "amazon",
	"ontrac": "ontrac", "lasership": "lasership", "canadapost": "canadapost", "purolator": "purolator",
	"dpd": "dpd", "dpduk": "dpd", "yodel": "yodel", "royalmail": "royalmail", "laposte": "laposte",
	"colissimo": "laposte", "deutschepost": "deutschepost", "dhlde": "deutschepost", "postnl": "postnl",
	"australiapost": "auspost", "auspost": "auspost", "japanpost": "japanpost", "nzpost": "nzpost",
	"newzealandpost": "nzpost", "anpost": "anpost", "bpost": "bpost", "yunexpress": "yunexpress",
	"chinapost": "chinapost", "correos": "correos", "postnord": "postnord", "swisspost": "swisspost",
}

// carrierID turns a store's carrier name into our stable carrier id: a
// known alias, else detection from the tracking number, else a slug of the
// name, else "unknown".
func carrierID(company, trackingNumber string) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return -1
	}, company)
	if id, ok := carrierAliases[slug]; ok {
		return id
	}
	if m, ok := detect.Best(trackingNumber); ok {
		return m.Carrier
	}
	if slug != "" {
		return clip(slug, 32)
	}
	return detect.Unknown
}
