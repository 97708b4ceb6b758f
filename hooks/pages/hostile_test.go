package pages

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

var nonceRe = regexp.MustCompile(`nonce="[^"]*"`)

func lookupForm(number, contact string) url.Values {
	return url.Values{"number": {number}, "contact": {contact}}
}

func TestLookupRedirectsAndAnswersFailuresIdentically(t *testing.T) {
	s := newSite(t, Limits{PerIP: 1000, PerNumber: 1000})
	s.brand(nil)
	o := s.order(orderSpec{Number: "#5001", Email: "Bo@Example.com", Postal: "SW1A 1AA", Parcels: []parcelSpec{{Status: "in_transit"}}})
	tok := o.GetString(schema.Orders.AccessToken)
	for _, contact := range []string{"bo@example.com", " BO@EXAMPLE.COM ", "sw1a1aa", "SW1A 1AA"} {
		r := s.do(http.MethodPost, "/track", lookupForm("5001", contact))
		if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/t/"+tok {
			t.Errorf("contact %q: %d %q", contact, r.Code, r.Header.Get("Location"))
		}
	}
	wrongEmail := s.do(http.MethodPost, "/track", lookupForm("5001", "eve@example.com"))
	noOrder := s.do(http.MethodPost, "/track", lookupForm("5999", "eve@example.com"))
	if wrongEmail.Code != noOrder.Code || wrongEmail.Code != http.StatusOK {
		t.Fatalf("codes %d vs %d", wrongEmail.Code, noOrder.Code)
	}
	norm := func(r resp, number string) string {
		return strings.ReplaceAll(nonceRe.ReplaceAllString(r.Body, ""), number, "N")
	}
	if norm(wrongEmail, "5001") != norm(noOrder, "5999") {
		t.Errorf("wrong email and unknown order answer differently:\n%s\n---\n%s", wrongEmail.Body, noOrder.Body)
	}
	mustContain(t, wrongEmail, "We couldn&#39;t find an order with those details.")
	mustNotContain(t, wrongEmail, tok)

	// Timing: both failures run the same query and comparisons; check they
	// are within the same order of magnitude over a few tries.
	// Interleaved runs, medians compared.
	var wrong, none []time.Duration
	for i := 0; i < 31; i++ {
		for _, n := range []string{"5001", "5999"} {
			start := time.Now()
			s.do(http.MethodPost, "/track", lookupForm(n, "eve@example.com"))
			if n == "5001" {
				wrong = append(wrong, time.Since(start))
			} else {
				none = append(none, time.Since(start))
			}
		}
	}
	slices.Sort(wrong)
	slices.Sort(none)
	a, b := wrong[15], none[15]
	if a > 3*b || b > 3*a {
		t.Errorf("timing differs: wrong email %v, no order %v", a, b)
	}
}

func TestLookupRateLimitPerIPAndPerNumber(t *testing.T) {
	s := newSite(t, Limits{PerIP: 5, PerNumber: 3, Window: time.Minute})
	s.brand(nil)
	o := s.order(orderSpec{Number: "6001", Parcels: []parcelSpec{{Status: "in_transit"}}})
	// Per number: three wrong guesses from three addresses lock the number,
	// even for the right contact from a fresh address.
	for i, ip := range []string{"198.51.100.1:1", "198.51.100.2:1", "198.51.100.3:1"} {
		if r := s.do(http.MethodPost, "/track", lookupForm("6001", "guess"+string(rune('a'+i))+"@x.test"), "RemoteAddr", ip); r.Code != http.StatusOK {
			t.Fatalf("guess %d: %d", i, r.Code)
		}
	}
	r := s.do(http.MethodPost, "/track", lookupForm("6001", o.GetString(schema.Orders.Email)), "RemoteAddr", "198.51.100.9:1")
	if r.Code != http.StatusTooManyRequests {
		t.Fatalf("locked number: %d", r.Code)
	}
	mustContain(t, r, "Too many tries", "Please try again in 1 minute.")
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// Per IP: five failures on different numbers lock the address.
	for i := 0; i < 5; i++ {
		s.do(http.MethodPost, "/track", lookupForm("70"+string(rune('0'+i)), "x@x.test"), "RemoteAddr", "203.0.113.7:1")
	}
	if r := s.do(http.MethodPost, "/track", lookupForm("7999", "x@x.test"), "RemoteAddr", "203.0.113.7:1"); r.Code != http.StatusTooManyRequests {
		t.Errorf("locked IP: %d", r.Code)
	}
	if r := s.get("/track?number=ZZZ", "RemoteAddr", "203.0.113.7:1"); r.Code != http.StatusTooManyRequests {
		t.Errorf("locked IP on tracking-number lookup: %d", r.Code)
	}
	// German 429 page.
	if r := s.do(http.MethodPost, "/track?lang=de", lookupForm("7999", "x@x.test"), "RemoteAddr", "203.0.113.7:1"); !strings.Contains(r.Body, `lang="de"`) {
		t.Error("429 page not localised")
	}
}

func TestTrackingNumberShowsShipmentOnly(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "8001", ItemTitle: "Grinder Pro", Parcels: []parcelSpec{{Number: "9400111899223344556677", Carrier: "usps", Status: "out_for_delivery"}}})
	r := s.get("/track?number=9400111899223344556677")
	if r.Code != http.StatusOK {
		t.Fatalf("status %d", r.Code)
	}
	mustContain(t, r, "Out for delivery", "USPS", "Departed facility")
	mustNotContain(t, r, "8001", "Grinder Pro", "12 Secret Street", "10001", "Lovelace", "$", o.GetString(schema.Orders.AccessToken), "Report a problem")
	miss := s.get("/track?number=9400000000000000000000")
	mustContain(t, miss, "We couldn&#39;t find an order with those details.")
}

const xss = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`

func TestHostileStringsAreEscapedEverywhere(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(map[string]any{schema.Brand.Name: "Brand" + xss, schema.Brand.SupportEmail: "a@b.test", schema.Brand.PrimaryColor: "red;}<"})
	o := s.order(orderSpec{Number: "N" + xss, CustomerName: "Cu" + xss, ItemTitle: "Item" + xss,
		Parcels: []parcelSpec{{Carrier: "C<script>x</script>", Number: "TN-X", Status: "exception", Substatus: "<b>x</b>", EventMessage: "Msg" + xss, EventLocation: "Loc" + xss}}})
	// A guide written by the merchant with script, raw HTML and a javascript: link.
	g := schema.Guides
	s.rec(schema.CGuides, map[string]any{g.Slug: "evil", g.Title: "Guide" + xss, g.Body: "# Hi\n\n<script>alert(5)</script>\n\n[click](javascript:alert(6))\n\n<img src=x onerror=alert(7)>\n", g.Locale: "en", g.Published: true, g.Kind: "guide"})
	pages := []resp{
		s.get("/t/" + o.GetString(schema.Orders.AccessToken)),
		s.get("/g/" + o.GetString(schema.Orders.GiftToken)),
		s.get("/track?number=TN-X"),
		s.get("/guides/evil"),
		s.do(http.MethodPost, "/track", lookupForm("N"+xss, xss)),
		s.do(http.MethodPost, "/t/"+o.GetString(schema.Orders.AccessToken)+"/help", url.Values{"topic": {xss}, "message": {""}}),
		s.do(http.MethodPost, "/t/"+o.GetString(schema.Orders.AccessToken)+"/sms", url.Values{"phone": {xss}}),
	}
	for i, r := range pages {
		if r.Code >= 500 {
			t.Errorf("page %d: status %d", i, r.Code)
		}
		for _, bad := range []string{"<script", "<img src=x", "javascript:", "</style><"} {
			if strings.Contains(r.Body, bad) {
				t.Errorf("page %d contains %q", i, bad)
			}
		}
	}
	mustContain(t, pages[0], "Msg&lt;script&gt;", "C&lt;script&gt;", "Item&lt;script&gt;")
}

func TestTokensOfAnotherOrder(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	a := s.order(orderSpec{Number: "9001", ItemTitle: "Alpha Kettle", Parcels: []parcelSpec{{Status: "in_transit"}}})
	b := s.order(orderSpec{Number: "9002", ItemTitle: "Beta Grinder", Parcels: []parcelSpec{{Status: "in_transit"}}})
	ra := s.get("/t/" + a.GetString(schema.Orders.AccessToken))
	mustContain(t, ra, "Alpha Kettle")
	mustNotContain(t, ra, "Order 9002", b.GetString(schema.Orders.AccessToken), b.GetString(schema.Orders.Email))
	// A help request through A's token is filed on A only, whatever the form says.
	r := s.do(http.MethodPost, "/t/"+a.GetString(schema.Orders.AccessToken)+"/help", url.Values{"topic": {"damaged"}, "message": {"Cracked lid"}, "order": {b.Id}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("help: %d %s", r.Code, r.Body)
	}
	reqs, err := s.app.FindAllRecords(schema.CHelpRequests)
	if err != nil || len(reqs) != 1 || reqs[0].GetString(schema.HelpRequests.Order) != a.Id || reqs[0].GetString(schema.HelpRequests.Topic) != "damaged" {
		t.Fatalf("help requests %v %v", reqs, err)
	}
	// Unknown token: no record.
	if r := s.do(http.MethodPost, "/t/aaaaaaaaaaaaaaaaaaaaaaaaaa/help", url.Values{"message": {"x"}}); r.Code != http.StatusNotFound {
		t.Errorf("unknown token help: %d", r.Code)
	}
}

func TestHelpRequestHidesRecommendationsAndConfirms(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "9101", Parcels: []parcelSpec{{Status: "in_transit"}}})
	path := "/t/" + o.GetString(schema.Orders.AccessToken)
	mustContain(t, s.get(path), "You might also like")
	if r := s.do(http.MethodPost, path+"/help", url.Values{"topic": {"where_is_my_order"}, "message": {""}}); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty message: %d", r.Code)
	} else {
		mustContain(t, r, "Tell us a little about the problem.")
	}
	r := s.do(http.MethodPost, path+"/help?lang=fr", url.Values{"topic": {"where_is_my_order"}, "message": {"Où est mon colis ?"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("help: %d", r.Code)
	}
	after := s.get(r.Header.Get("Location"))
	mustContain(t, after, `lang="fr"`, `role="status"`)
	mustNotContain(t, after, "Vous aimerez aussi")
}

func TestSMSOptInRecordsConsent(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "9201", Parcels: []parcelSpec{{Status: "in_transit"}}})
	path := "/t/" + o.GetString(schema.Orders.AccessToken) + "/sms"
	if r := s.do(http.MethodPost, path, url.Values{"phone": {"12345"}, "consent": {"yes"}}); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad phone: %d", r.Code)
	}
	if r := s.do(http.MethodPost, path, url.Values{"phone": {"+1 212 555 0142"}}); r.Code != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Tick the box") {
		t.Errorf("no consent: %d", r.Code)
	}
	r := s.do(http.MethodPost, path+"?lang=es", url.Values{"phone": {"+1 212 555 0142"}, "consent": {"yes"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("opt-in: %d %s", r.Code, r.Body)
	}
	c, err := s.app.FindRecordById(schema.CCustomers, o.GetString(schema.Orders.Customer))
	if err != nil {
		t.Fatal(err)
	}
	if !c.GetBool(schema.Customers.SMSTransactional) || c.GetString(schema.Customers.Phone) != "+12125550142" {
		t.Errorf("customer not opted in: %v %q", c.GetBool(schema.Customers.SMSTransactional), c.GetString(schema.Customers.Phone))
	}
	var log []map[string]any
	if err := c.UnmarshalJSONField(schema.Customers.ConsentLog, &log); err != nil || len(log) != 1 {
		t.Fatalf("consent log %v %v", log, err)
	}
	if w, _ := log[0]["wording"].(string); !strings.Contains(w, "STOP") || log[0]["locale"] != "es" || log[0]["source"] != "tracking_page" {
		t.Errorf("consent entry %v", log[0])
	}
	mustContain(t, s.get(r.Header.Get("Location")), "0142")
}

func TestReissueTokens(t *testing.T) {
	s := newSite(t, Limits{})
	s.brand(nil)
	o := s.order(orderSpec{Number: "9301", Parcels: []parcelSpec{{Status: "in_transit"}}})
	old := o.GetString(schema.Orders.AccessToken)
	if r := s.do(http.MethodPost, "/api/pages/orders/"+o.Id+"/tokens", url.Values{}); r.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous re-issue: %d", r.Code)
	}
	r := s.do(http.MethodPost, "/api/pages/orders/"+o.Id+"/tokens", url.Values{}, "Authorization", testapp.Superuser(t, s.app))
	if r.Code != http.StatusOK {
		t.Fatalf("re-issue: %d %s", r.Code, r.Body)
	}
	fresh, _ := s.app.FindRecordById(schema.COrders, o.Id)
	if s.get("/t/"+old).Code != http.StatusNotFound || s.get("/t/"+fresh.GetString(schema.Orders.AccessToken)).Code != http.StatusOK {
		t.Error("old token still works or new one does not")
	}
	if !strings.Contains(r.Body, fresh.GetString(schema.Orders.AccessToken)) {
		t.Error("response lacks the new link")
	}
}

func TestBrandColoursAdjustedWithNotes(t *testing.T) {
	s := newSite(t, Limits{})
	rec := s.brand(map[string]any{schema.Brand.PrimaryColor: "#ffe94d", schema.Brand.BackgroundColor: "#ffffff"})
	fresh, _ := s.app.FindRecordById(schema.CBrand, rec.Id)
	notes := fresh.GetString(schema.Brand.ContrastNotes)
	if !strings.Contains(notes, "primary_color #ffe94d") {
		t.Fatalf("contrast notes %q", notes)
	}
	th, _ := adjustTheme(brand.FromRecord(fresh))
	for _, c := range []string{th.Primary, th.Text} {
		if ok := contrastOK(c, "#ffffff"); !ok {
			t.Errorf("%s fails AA on white", c)
		}
	}
	r := s.get("/track")
	mustContain(t, r, "--brand:"+th.Primary)
	// A passing brand has no notes.
	fresh.Set(schema.Brand.PrimaryColor, "#1f5f4a")
	if err := s.app.Save(fresh); err != nil {
		t.Fatal(err)
	}
	again, _ := s.app.FindRecordById(schema.CBrand, rec.Id)
	if n := again.GetString(schema.Brand.ContrastNotes); n != "" {
		t.Errorf("notes for a passing brand: %q", n)
	}
	_ = core.RecordEvent{}
}
