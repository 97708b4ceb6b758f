package notify_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	gosmtp "github.com/emersion/go-smtp"
	"github.com/pocketbase/dbx"

	"porchlight/hooks/config"
	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
	"porchlight/hooks/tracking/status"
	"porchlight/hooks/tracking/timeline"
)

func dkimKey(t *testing.T) (path, txt string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), 0o600); err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return path, "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)
}

type parsedMail struct {
	hdr        mail.Header
	text, html string
	raw        []byte
}

func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q, want multipart/alternative", m.Header.Get("Content-Type"))
	}
	out := parsedMail{hdr: m.Header, raw: raw}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, pt)
		var r io.Reader = p // multipart decodes quoted-printable itself
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			r = base64.NewDecoder(base64.StdEncoding, p)
		}
		b, _ := io.ReadAll(r)
		switch pt {
		case "text/plain":
			out.text = string(b)
		case "text/html":
			out.html = string(b)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Fatalf("parts = %v, want text/plain then text/html", types)
	}
	return out
}

func verifyDKIM(t *testing.T, raw []byte, txt string) {
	t.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(domain string) ([]string, error) {
			if domain != "pl._domainkey.shop.example" {
				t.Errorf("DKIM lookup of %q", domain)
			}
			return []string{txt}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || vs[0].Err != nil || vs[0].Domain != "shop.example" {
		t.Fatalf("DKIM verifications = %+v", vs)
	}
}

// TestEmailOverRealSMTP sends through go-mail to a real SMTP server on
// loopback: MIME structure, both alternatives, headers, a DKIM signature
// checked with the public key, one-click unsubscribe on marketing mail only.
func TestEmailOverRealSMTP(t *testing.T) {
	sink := newSMTPSink(t)
	keyPath, txt := dkimKey(t)
	e := newEnv(t, notify.Deps{Config: config.Config{SMTP: config.SMTP{Host: "127.0.0.1", Port: sink.addr.Port,
		DKIMDomain: "shop.example", DKIMSelector: "pl", DKIMKeyFile: keyPath}}})
	e.customerOrder(t, true)

	if got := e.dispatch(t); got != 1 {
		t.Fatalf("dispatched %d, want the order confirmation only", got)
	}
	conf := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigOrderConfirmed, schema.ChannelEmail))
	if conf.GetString(schema.Messages.Status) != schema.MsgSent {
		t.Fatalf("confirmation status %q (%s)", conf.GetString(schema.Messages.Status), conf.GetString(schema.Messages.LastError))
	}
	got := sink.all()
	if len(got) != 1 || got[0].To[0] != "ana@example.com" {
		t.Fatalf("SMTP received %+v", got)
	}
	pm := parseMail(t, got[0].Data)
	verifyDKIM(t, pm.raw, txt)
	if s := pm.hdr.Get("Subject"); s != "Thanks for your order #1001" {
		t.Errorf("Subject = %q", s)
	}
	if id := pm.hdr.Get("Message-Id"); id != "<"+conf.Id+"@shop.example>" || conf.GetString(schema.Messages.ProviderID) != conf.Id+"@shop.example" {
		t.Errorf("Message-ID = %q, provider id %q", id, conf.GetString(schema.Messages.ProviderID))
	}
	if pm.hdr.Get("List-Unsubscribe") != "" {
		t.Error("transactional mail must not carry List-Unsubscribe")
	}
	if !strings.Contains(pm.text, "House beans") || !strings.Contains(pm.html, "House beans") || !strings.Contains(pm.html, "<html") {
		t.Errorf("bodies do not show the order:\n%s\n%s", pm.text, pm.html)
	}

	// Delivered, then the review request 13 days later: marketing, so it
	// carries RFC 8058 headers pointing at /u/{token}.
	ship := e.shipment(t, "1Z999AA10123456784")
	e.track(t, ship.Id,
		timeline.Event{OccurredAt: t0.Add(time.Hour), Status: status.InTransit},
		timeline.Event{OccurredAt: t0.Add(30 * time.Hour), Status: status.Delivered})
	e.clk.Set(t0.Add(15 * 24 * time.Hour))
	e.dispatch(t)
	rev := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigReviewRequest, schema.ChannelEmail))
	if rev.GetString(schema.Messages.Status) != schema.MsgSent {
		t.Fatalf("review request %q %q %q", rev.GetString(schema.Messages.Status), rev.GetString(schema.Messages.SuppressedReason), rev.GetString(schema.Messages.LastError))
	}
	var revMail *parsedMail
	for _, r := range sink.all() {
		p := parseMail(t, r.Data)
		if strings.Contains(p.hdr.Get("Message-Id"), rev.Id) {
			revMail = &p
		}
	}
	if revMail == nil {
		t.Fatal("review request not received")
	}
	verifyDKIM(t, revMail.raw, txt)
	unsub := "https://track.shop.example/u/" + e.cust.GetString(schema.Customers.UnsubscribeToken)
	if h := revMail.hdr.Get("List-Unsubscribe"); h != "<"+unsub+">" {
		t.Errorf("List-Unsubscribe = %q", h)
	}
	if h := revMail.hdr.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", h)
	}
	if !strings.Contains(revMail.text, unsub) {
		t.Error("text alternative lacks the unsubscribe link")
	}

	// The one-click POST works without cookies or login.
	h := testapp.Handler(t, e.app)
	req := httptest.NewRequest(http.MethodPost, "/u/"+e.cust.GetString(schema.Customers.UnsubscribeToken), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if rr.Code != http.StatusOK {
		t.Fatalf("one-click POST = %d %s", rr.Code, rr.Body)
	}
	c, _ := e.app.FindRecordById(schema.CCustomers, e.cust.Id)
	if c.GetBool(schema.Customers.EmailMarketing) {
		t.Error("one-click POST did not unsubscribe")
	}
	// GET shows the page and changes nothing.
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/u/"+e.cust.GetString(schema.Customers.UnsubscribeToken), nil))
	if rr.Code != http.StatusOK || !strings.Contains(rr.Body.String(), "Subscribe again") {
		t.Errorf("GET /u = %d %s", rr.Code, rr.Body)
	}
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/u/nope", nil))
	if rr.Code != http.StatusNotFound {
		t.Errorf("unknown token = %d", rr.Code)
	}
}

// TestSMTPErrorsRetryOrFail: a 4xx reply is retried with backoff, a 5xx
// reply fails at once.
func TestSMTPErrorsRetryOrFail(t *testing.T) {
	sink := newSMTPSink(t)
	sink.fail = func(rcpt string) error {
		if strings.HasPrefix(rcpt, "busy") {
			return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		}
		if strings.HasPrefix(rcpt, "gone") {
			return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	}
	e := newEnv(t, notify.Deps{Config: config.Config{SMTP: config.SMTP{Host: "127.0.0.1", Port: sink.addr.Port}}})
	e.customerOrder(t, false)
	m := schema.Messages
	msg := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigOrderConfirmed, schema.ChannelEmail))
	msg.Set(m.To, "busy@example.com")
	if err := e.app.Save(msg); err != nil {
		t.Fatal(err)
	}
	e.dispatch(t)
	msg, _ = e.app.FindRecordById(schema.CMessages, msg.Id)
	if msg.GetString(m.Status) != schema.MsgScheduled || msg.GetInt(m.Attempts) != 1 ||
		!msg.GetDateTime(m.DueAt).Time().Equal(t0.Add(notify.Backoff[0])) || !strings.Contains(msg.GetString(m.LastError), "451") {
		t.Fatalf("after 451: status %q attempts %d due %v err %q", msg.GetString(m.Status), msg.GetInt(m.Attempts), msg.GetDateTime(m.DueAt), msg.GetString(m.LastError))
	}
	e.clk.Advance(notify.Backoff[0])
	e.dispatch(t)
	msg, _ = e.app.FindRecordById(schema.CMessages, msg.Id)
	if msg.GetInt(m.Attempts) != 2 || !msg.GetDateTime(m.DueAt).Time().Equal(e.clk.Now().Add(notify.Backoff[1])) {
		t.Fatalf("second backoff: attempts %d due %v", msg.GetInt(m.Attempts), msg.GetDateTime(m.DueAt))
	}
	msg.Set(m.To, "gone@example.com")
	msg.Set(m.DueAt, e.clk.Now())
	if err := e.app.Save(msg); err != nil {
		t.Fatal(err)
	}
	e.dispatch(t)
	msg, _ = e.app.FindRecordById(schema.CMessages, msg.Id)
	if msg.GetString(m.Status) != schema.MsgFailed || !strings.Contains(msg.GetString(m.LastError), "550") {
		t.Fatalf("after 550: %q %q", msg.GetString(m.Status), msg.GetString(m.LastError))
	}
	if n := len(e.messages(t, dbx.HashExp{m.Status: schema.MsgSending})); n != 0 {
		t.Errorf("%d rows left sending", n)
	}
}

// Without PORCHLIGHT_SMTP_HOST the admin's mail settings are used; a
// trigger fired by another capability (Schedule) goes through the same
// flows; PORCHLIGHT_SMTP_FROM sets the envelope sender.
func TestAdminMailSettingsAndCustomTrigger(t *testing.T) {
	sink := newSMTPSink(t)
	e := newEnv(t, notify.Deps{Config: config.Config{SMTP: config.SMTP{From: "bounces@shop.example"}}})
	e.customerOrder(t, false)
	e.dispatch(t)
	if len(sink.all()) != 0 {
		t.Fatal("mail sent before SMTP was configured")
	}
	conf := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigOrderConfirmed, schema.ChannelEmail))
	if conf.GetString(schema.Messages.ProviderID) != notify.OutboxPrefix+conf.Id {
		t.Fatalf("without SMTP: provider %q", conf.GetString(schema.Messages.ProviderID))
	}

	s := e.app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, "127.0.0.1", sink.addr.Port
	must(t, e.app.Save(s))
	f := schema.Flows
	e.save(t, schema.CFlows, map[string]any{f.Name: "Return approved", f.Trigger: "return_approved", f.Channel: schema.ChannelEmail,
		f.Category: schema.Transactional, f.Active: true, f.TemplateKey: "return_approved"})
	tp := schema.Templates
	e.save(t, schema.CTemplates, map[string]any{tp.Key: "return_approved", tp.Channel: schema.ChannelEmail, tp.Locale: "en",
		tp.Subject: "Your return for {{order.number}} is approved", tp.Body: "Hi {{customer.first_name}}, print your label."})
	must(t, e.n.Schedule(e.app, "return_approved", e.order, nil, e.clk.Now()))
	must(t, e.n.Schedule(e.app, "return_approved", e.order, nil, e.clk.Now())) // idempotent
	e.dispatch(t)
	got := sink.all()
	if len(got) != 1 || got[0].From != "bounces@shop.example" {
		t.Fatalf("received %+v", got)
	}
	pm := parseMail(t, got[0].Data)
	if pm.hdr.Get("Subject") != "Your return for #1001 is approved" || !strings.Contains(pm.hdr.Get("From"), "hello@shop.example") {
		t.Errorf("headers %v", pm.hdr)
	}
}
