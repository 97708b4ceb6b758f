package pages

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"porchlight/hooks/schema"
)

const history = `[{"at":"2026-10-03T12:00:00Z","min":"2026-10-05","max":"2026-10-06","source":"rules","reason":"first"},{"at":"2026-10-06T12:00:00Z","min":"2026-10-08","max":"2026-10-09","source":"rules","reason":"weather"}]`

func TestOrderStatusStates(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	cases := []struct {
		name      string
		spec      orderSpec
		want, not []string
	}{
		{"on time", orderSpec{Number: "1001", Parcels: []parcelSpec{{Status: "in_transit", EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}},
			[]string{"Order 1001", "Qty: 1", "Arrives Wed 7 – Fri 9 Oct", `aria-current="step">On its way`, "What happens next", "until it reaches your local one", "You might also like", "House Blend Beans",
				"Before it arrives", "/guides/espresso-setup?lang=en#before-it-arrives", "Report a problem", "Get delivery updates by text", "Reply STOP", "See it on the UPS website", "Departed facility"},
			[]string{"Running late", "12 Secret Street"}},
		{"delayed by weather", orderSpec{Number: "1002", Parcels: []parcelSpec{{Status: "in_transit", Substatus: "weather", Delayed: true, DelayReason: "edd_passed", EDDMin: "2026-10-08", EDDMax: "2026-10-09", EDDHistory: history}}},
			[]string{"Weather delay", "Estimated delivery changed: Weather delay", "What you can do", "Arrives Thu 8 – Fri 9 Oct"},
			[]string{"You might also like"}},
		{"exception at customs", orderSpec{Number: "1003", Parcels: []parcelSpec{{Status: "exception", Substatus: "customs"}}},
			[]string{"Problem with delivery", "Held at customs", "import fee", "What happens next"},
			[]string{"You might also like"}},
		{"address problem", orderSpec{Number: "1004", Parcels: []parcelSpec{{Status: "exception", Substatus: "address_issue"}}},
			[]string{"Address problem", "flat number"}, nil},
		{"held for pickup", orderSpec{Number: "1005", Parcels: []parcelSpec{{Status: "available_for_pickup", Substatus: "held_for_pickup", EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}},
			[]string{"Ready for pickup", "Waiting for you at a pickup point", "photo ID"}, []string{"Arrives"}},
		{"delivered", orderSpec{Number: "1006", Parcels: []parcelSpec{{Status: "delivered", DeliveredAt: "2026-10-05 18:30:00.000Z"}}},
			[]string{"Delivered Mon 5 Oct", "Start here", "#start-here", "You might also like"},
			[]string{"Arrives", "Before it arrives"}},
		{"split", orderSpec{Number: "1007", Parcels: []parcelSpec{{Status: "delivered", DeliveredAt: "2026-10-05 18:30:00.000Z"}, {Status: "in_transit", EDDMin: "2026-10-08", EDDMax: "2026-10-08"}}},
			[]string{"2 packages", "Package 1 of 2", "Package 2 of 2", "Arrives Thu 8 Oct", "Delivered Mon 5 Oct", "Before it arrives"}, nil},
		{"unknown carrier", orderSpec{Number: "1008", Parcels: []parcelSpec{{Carrier: "unknown", Number: "XYZ123456", Status: "info_received"}}},
			[]string{"Label created", "XYZ123456"}, []string{"See it on the"}},
		{"delivery attempted", orderSpec{Number: "1010", Parcels: []parcelSpec{{Status: "attempt_fail", Substatus: "recipient_unavailable"}}},
			[]string{"Delivery attempted", "Running late", "What you can do"}, []string{"You might also like"}},
		{"tracking stopped", orderSpec{Number: "1011", Parcels: []parcelSpec{{Status: "expired"}}},
			[]string{"Tracking stopped", "What you can do"}, []string{"You might also like"}},
		{"returning to sender", orderSpec{Number: "1012", Parcels: []parcelSpec{{Status: "exception", Substatus: "return_to_sender", Delayed: true, EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}},
			[]string{"Coming back to us"}, []string{"You might also like", "Arrives"}},
		{"not shipped yet", orderSpec{Number: "1009"},
			[]string{"Order received", "getting it ready", "as soon as your parcel ships"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := s.order(c.spec)
			r := s.get("/t/" + o.GetString(schema.Orders.AccessToken))
			if r.Code != http.StatusOK {
				t.Fatalf("status %d\n%s", r.Code, r.Body)
			}
			mustContain(t, r, c.want...)
			mustNotContain(t, r, c.not...)
			for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			csp := r.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if strings.Contains(r.Body, "<script") {
				t.Error("page has a script element")
			}
		})
	}
}

func TestOrderPageLanguages(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(map[string]any{schema.Brand.Locale: "es"})
	o := s.order(orderSpec{Number: "2001", Parcels: []parcelSpec{{Status: "in_transit", EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}})
	path := "/t/" + o.GetString(schema.Orders.AccessToken)
	for _, c := range []struct{ target, accept, lang, want string }{
		{path + "?lang=de", "fr", "de", "Bestellung 2001"},
		{path, "fr-CA,fr;q=0.9", "fr", "Commande 2001"},
		{path, "", "es", "Pedido 2001"},
		{path, "en-GB", "en", "Order 2001"},
	} {
		r := s.get(c.target, "Accept-Language", c.accept)
		if !strings.Contains(r.Body, `<html lang="`+c.lang+`">`) || !strings.Contains(r.Body, c.want) {
			t.Errorf("%s (Accept-Language %q): want lang %s and %q", c.target, c.accept, c.lang, c.want)
		}
	}
}

func TestGiftViewHidesPricesAndAddress(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "3001", ItemTitle: "Secret Present", Parcels: []parcelSpec{{Status: "in_transit", EDDMin: "2026-10-07", EDDMax: "2026-10-09", EventLocation: "New York NY"}}})
	r := s.get("/g/" + o.GetString(schema.Orders.GiftToken))
	if r.Code != http.StatusOK {
		t.Fatalf("status %d", r.Code)
	}
	mustContain(t, r, "A gift is on its way to you", "Arrives Wed 7 – Fri 9 Oct", "On its way")
	mustNotContain(t, r, "$", "349", "12 Secret Street", "10001", "Lovelace", "Secret Present", "ana3001@example.com", "3001", "New York NY", "Report a problem", o.GetString(schema.Orders.AccessToken))
	// The gift token does not open the order page, nor the access token the gift page.
	if r := s.get("/t/" + o.GetString(schema.Orders.GiftToken)); r.Code != http.StatusNotFound {
		t.Errorf("gift token on /t/: %d", r.Code)
	}
	if r := s.get("/g/" + o.GetString(schema.Orders.AccessToken)); r.Code != http.StatusNotFound {
		t.Errorf("access token on /g/: %d", r.Code)
	}
}

func TestGuidePage(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	r := s.get("/guides/espresso-setup")
	if r.Code != http.StatusOK {
		t.Fatalf("status %d", r.Code)
	}
	mustContain(t, r, "Espresso Machine Duo", `id="before-it-arrives"`, `<article class="guide" lang="en">`, `href="#start-here"`, "On this page", "Still stuck?")
	if r := s.get("/guides/no-such-guide"); r.Code != http.StatusNotFound || !strings.Contains(r.Body, "couldn") {
		t.Errorf("missing guide: %d", r.Code)
	}
	if r := s.get("/guides/espresso-setup", "Accept-Encoding", "gzip"); r.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("guide not gzipped: %v", r.Header)
	}
}

func TestNotFoundAndFriendlyErrors(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	for _, path := range []string{"/t/short", "/t/aaaaaaaaaaaaaaaaaaaaaaaaaa", "/g/aaaaaaaaaaaaaaaaaaaaaaaaaa", "/t/%27%3B--aaaaaaaaaaaaaaaaaaaaa"} {
		r := s.get(path)
		if r.Code != http.StatusNotFound || !strings.Contains(r.Body, "We couldn") {
			t.Errorf("%s: %d", path, r.Code)
		}
	}
	o := s.order(orderSpec{Number: "4001", Parcels: []parcelSpec{{Status: "in_transit"}}})
	// Break the database under the page: the shopper sees a friendly
	// message in their language, never the SQL error.
	if _, err := s.app.DB().NewQuery("DROP TABLE " + schema.CTrackingEvents).Execute(); err != nil {
		t.Fatal(err)
	}
	r := s.get("/t/"+o.GetString(schema.Orders.AccessToken), "Accept-Language", "de")
	if r.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", r.Code)
	}
	mustContain(t, r, `lang="de"`, "etwas schiefgelaufen")
	mustNotContain(t, r, "no such table", "tracking_events", "SELECT")
}

func TestPageViewsAreRecordedOffTheRequestPath(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "9401", Parcels: []parcelSpec{{Status: "in_transit"}}})
	s.get("/t/" + o.GetString(schema.Orders.AccessToken))
	s.get("/g/" + o.GetString(schema.Orders.GiftToken))
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := s.app.CountRecords(schema.CPageEvents)
		if err != nil {
			t.Fatal(err)
		}
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("page events: %d, want 2", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Recommendations wait until every open help request and return on the
// order is settled.
func TestOpenRequestsHideRecommendations(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "9601", Parcels: []parcelSpec{{Status: "in_transit", EDDMin: "2026-10-07", EDDMax: "2026-10-09"}}})
	path := "/t/" + o.GetString(schema.Orders.AccessToken)
	recs := "You might also like"
	mustContain(t, s.get(path), recs)

	h := schema.HelpRequests
	help := s.rec(schema.CHelpRequests, map[string]any{h.Order: o.Id, h.Topic: schema.HelpTopics[0], h.Status: "open"})
	mustNotContain(t, s.get(path), recs)
	help.Set(h.Status, "resolved")
	if err := s.app.Save(help); err != nil {
		t.Fatal(err)
	}
	mustContain(t, s.get(path), recs)

	r := schema.Returns
	ret := s.rec(schema.CReturns, map[string]any{r.Order: o.Id, r.Status: "requested"})
	mustNotContain(t, s.get(path), recs)
	for _, st := range []string{"received", "rejected"} {
		ret.Set(r.Status, st)
		if err := s.app.Save(ret); err != nil {
			t.Fatal(err)
		}
		if st == "received" {
			mustNotContain(t, s.get(path), recs)
		} else {
			mustContain(t, s.get(path), recs)
		}
	}
	// Another order's open request is not this order's.
	other := s.order(orderSpec{Number: "9602"})
	s.rec(schema.CHelpRequests, map[string]any{h.Order: other.Id, h.Topic: schema.HelpTopics[0], h.Status: "open"})
	mustContain(t, s.get(path), recs)
}
