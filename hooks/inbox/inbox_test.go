package inbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/clock"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

const secret = "test-secret"

func sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// verifier for the test source: hex HMAC in X-Sig, delivery id in X-Id.
func verify(r *http.Request, body []byte) (Receipt, error) {
	if r.Header.Get("X-Ping") != "" {
		return Receipt{}, ErrSkip
	}
	got, err := hex.DecodeString(r.Header.Get("X-Sig"))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	if err != nil || !hmac.Equal(got, m.Sum(nil)) {
		return Receipt{}, ErrUnauthorized
	}
	return Receipt{Topic: r.Header.Get("X-Topic"), DeliveryID: r.Header.Get("X-Id"), Headers: map[string]string{"X-Topic": r.Header.Get("X-Topic")}}, nil
}

type fixture struct {
	app   core.App
	in    *Inbox
	clk   *clock.Fixed
	h     http.Handler
	calls map[string]int
	fail  map[string]error
}

func setup(t *testing.T) *fixture {
	app := testapp.New(t)
	f := &fixture{app: app, clk: clock.NewFixed(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)), calls: map[string]int{}, fail: map[string]error{}}
	f.in = New(Deps{Clock: f.clk})
	f.in.Handle("test", func(tx core.App, r Receipt) error {
		f.calls[r.DeliveryID]++
		if err := f.fail[r.DeliveryID]; err != nil {
			return err
		}
		// A real side effect inside the transaction: a customer per receipt.
		col, _ := tx.FindCachedCollectionByNameOrId(schema.CCustomers)
		c := core.NewRecord(col)
		c.Set(schema.Customers.ExternalID, r.DeliveryID)
		return tx.Save(c)
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		f.in.Bind(se, "/hooks/test", "test", verify)
		return se.Next()
	})
	f.h = testapp.Handler(t, app)
	return f
}

func (f *fixture) post(body []byte, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/hooks/test", bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func (f *fixture) receipts(t *testing.T) int {
	n, err := f.app.CountRecords(schema.CWebhookReceipts)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestEndpointVerifiesStoresAndDeduplicates(t *testing.T) {
	f := setup(t)
	body := []byte(`{"id":1}`)
	ok := map[string]string{"X-Sig": sign(body), "X-Id": "d-1", "X-Topic": "orders/create"}

	if rec := f.post(body, ok); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"duplicate":false`) {
		t.Fatalf("first delivery: %d %s", rec.Code, rec.Body)
	}
	// Stored before processing: nothing handled yet.
	if f.receipts(t) != 1 || f.calls["d-1"] != 0 {
		t.Fatalf("receipts=%d calls=%d", f.receipts(t), f.calls["d-1"])
	}
	if rec := f.post(body, ok); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"duplicate":true`) {
		t.Fatalf("duplicate delivery: %d %s", rec.Code, rec.Body)
	}
	if n, err := f.in.ProcessDue(f.app, 10); err != nil || n != 1 {
		t.Fatalf("ProcessDue = %d, %v", n, err)
	}
	if f.calls["d-1"] != 1 {
		t.Fatalf("handler ran %d times", f.calls["d-1"])
	}
	r, _ := f.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, "d-1")
	if r.GetString(schema.WebhookReceipts.Status) != schema.ReceiptDone || r.GetString(schema.WebhookReceipts.Body) != string(body) {
		t.Fatalf("receipt after processing: %v", r)
	}
	wr := schema.WebhookReceipts
	if r.GetInt(wr.Attempts) != 1 || !r.GetDateTime(wr.ProcessedAt).Time().Equal(f.clk.Now()) || !r.GetDateTime(schema.FUpdated).Time().Equal(f.clk.Now()) {
		t.Fatalf("receipt after processing: attempts=%d processed_at=%s updated=%s, want 1 and %s",
			r.GetInt(wr.Attempts), r.GetString(wr.ProcessedAt), r.GetString(schema.FUpdated), f.clk.Now())
	}
}

func TestEndpointRefusesBadInput(t *testing.T) {
	f := setup(t)
	body := []byte(`{"id":2}`)
	cases := []struct {
		name    string
		body    []byte
		headers map[string]string
		code    int
	}{
		{"no signature", body, map[string]string{"X-Id": "x"}, 401},
		{"wrong signature", body, map[string]string{"X-Sig": sign([]byte("other")), "X-Id": "x"}, 401},
		{"garbage signature", body, map[string]string{"X-Sig": "zz<script>", "X-Id": "x"}, 401},
		{"oversized", bytes.Repeat([]byte("a"), MaxBody+1), map[string]string{"X-Sig": "00", "X-Id": "x"}, 413},
		{"ping", []byte("webhook_id=1"), map[string]string{"X-Ping": "1"}, 200},
	}
	for _, c := range cases {
		if rec := f.post(c.body, c.headers); rec.Code != c.code {
			t.Errorf("%s: code %d, want %d", c.name, rec.Code, c.code)
		}
	}
	if n := f.receipts(t); n != 0 {
		t.Fatalf("refused calls stored %d receipts", n)
	}
	if n := Rejections(f.app, "test", "bad_signature"); n != 3 {
		t.Fatalf("bad_signature counter = %d, want 3", n)
	}
	if n := Rejections(f.app, "test", "too_large"); n != 1 {
		t.Fatalf("too_large counter = %d, want 1", n)
	}
}

func TestFailingReceiptRetriesWithBackoffThenFails(t *testing.T) {
	f := setup(t)
	f.fail["d-9"] = errors.New("database busy")
	if _, _, err := f.in.Store(f.app, Receipt{Source: "test", DeliveryID: "d-9"}); err != nil {
		t.Fatal(err)
	}
	rec := func() *core.Record {
		r, err := f.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, "d-9")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	wr := schema.WebhookReceipts
	for i, wait := range Backoff {
		if n, _ := f.in.ProcessDue(f.app, 10); n != 1 {
			t.Fatalf("attempt %d not due", i+1)
		}
		r := rec()
		if r.GetString(wr.Status) != schema.ReceiptPending || r.GetInt(wr.Attempts) != i+1 || !strings.Contains(r.GetString(wr.Error), "database busy") {
			t.Fatalf("after attempt %d: status=%s attempts=%d err=%q", i+1, r.GetString(wr.Status), r.GetInt(wr.Attempts), r.GetString(wr.Error))
		}
		// Not due again before the backoff has passed.
		f.clk.Advance(wait - time.Second)
		if n, _ := f.in.ProcessDue(f.app, 10); n != 0 {
			t.Fatalf("retried before backoff %v", wait)
		}
		f.clk.Advance(time.Second)
	}
	if n, _ := f.in.ProcessDue(f.app, 10); n != 1 {
		t.Fatal("last attempt not due")
	}
	if r := rec(); r.GetString(wr.Status) != schema.ReceiptFailed {
		t.Fatalf("status after all retries = %s", r.GetString(wr.Status))
	}
	// The rolled-back attempts left nothing behind.
	if n, _ := f.app.CountRecords(schema.CCustomers, dbx.HashExp{schema.Customers.ExternalID: "d-9"}); n != 0 {
		t.Fatalf("failed handler left %d records", n)
	}
	// Fix the cause and replay the failed ones: processed once, state as if first time.
	delete(f.fail, "d-9")
	n, err := f.in.Replay(f.app, ReplayFilter{OnlyFailed: true})
	if err != nil || n != 1 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	if r := rec(); r.GetString(wr.Status) != schema.ReceiptDone || r.GetString(wr.Error) != "" {
		t.Fatalf("after replay: %s %q", r.GetString(wr.Status), r.GetString(wr.Error))
	}
}

func TestPermanentAndIgnoredOutcomes(t *testing.T) {
	f := setup(t)
	f.fail["bad"] = fmt.Errorf("parse body: %w", ErrPermanent)
	f.fail["skip"] = fmt.Errorf("topic carts/update: %w", ErrIgnored)
	for _, id := range []string{"bad", "skip"} {
		if _, _, err := f.in.Store(f.app, Receipt{Source: "test", DeliveryID: id}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := f.in.Store(f.app, Receipt{Source: "nobody", DeliveryID: "n1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.in.ProcessDue(f.app, 10); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"bad": schema.ReceiptFailed, "skip": schema.ReceiptIgnored, "n1": schema.ReceiptIgnored}
	for id, st := range want {
		r, _ := f.app.FindFirstRecordByData(schema.CWebhookReceipts, schema.WebhookReceipts.DeliveryID, id)
		if got := r.GetString(schema.WebhookReceipts.Status); got != st {
			t.Errorf("%s: status %s, want %s", id, got, st)
		}
	}
}

func TestReplayIsIdempotent(t *testing.T) {
	f := setup(t)
	for i := 0; i < 5; i++ {
		if _, _, err := f.in.Store(f.app, Receipt{Source: "test", DeliveryID: fmt.Sprintf("r-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.in.ProcessDue(f.app, 10); err != nil {
		t.Fatal(err)
	}
	// The test handler is deliberately NOT idempotent (it inserts a row);
	// replay must still run each receipt exactly once per replay, in order.
	if n, err := f.in.Replay(f.app, ReplayFilter{Source: "test"}); err != nil || n != 5 {
		t.Fatalf("replay = %d, %v", n, err)
	}
	for i := 0; i < 5; i++ {
		if c := f.calls[fmt.Sprintf("r-%d", i)]; c != 2 {
			t.Fatalf("r-%d handled %d times, want 2", i, c)
		}
	}
	if _, err := parseSince("yesterday"); err == nil {
		t.Fatal("bad --since accepted")
	}
}

// Concurrent deliveries are committed together; duplicates inside one batch
// are still found, and one delivery that cannot be stored (a source name
// over the field's 32 characters) fails alone.
func TestConcurrentStoresCommitTogetherAndFailAlone(t *testing.T) {
	f := setup(t)
	const n = 120
	type result struct {
		id  string
		dup bool
		err error
	}
	results := make([]result, n+1)
	var wg sync.WaitGroup
	for i := 0; i <= n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := Receipt{Source: "test", Topic: "t", DeliveryID: fmt.Sprintf("d-%d", i%(n/2)), Body: []byte("{}")}
			if i == n {
				r.Source, r.DeliveryID = strings.Repeat("s", 40), "bad"
			}
			id, dup, err := f.in.Store(f.app, r)
			results[i] = result{id, dup, err}
		}(i)
	}
	wg.Wait()
	if results[n].err == nil {
		t.Fatal("an over-long source was stored")
	}
	ids := map[string]string{}
	dups := 0
	for i, r := range results[:n] {
		if r.err != nil {
			t.Fatalf("delivery %d: %v (refused with the bad one?)", i, r.err)
		}
		key := fmt.Sprintf("d-%d", i%(n/2))
		if prev, ok := ids[key]; ok && prev != r.id {
			t.Fatalf("%s stored twice: %s and %s", key, prev, r.id)
		}
		ids[key] = r.id
		if r.dup {
			dups++
		}
	}
	if dups != n/2 {
		t.Fatalf("duplicates reported = %d, want %d", dups, n/2)
	}
	if got := f.receipts(t); got != n/2 {
		t.Fatalf("stored %d receipts, want %d", got, n/2)
	}
	// Stored means committed: a fresh read sees every acknowledged id.
	for key, id := range ids {
		if _, err := f.app.FindRecordById(schema.CWebhookReceipts, id); err != nil {
			t.Fatalf("%s acknowledged as %s but not found: %v", key, id, err)
		}
	}
}

// A delivery arriving while receipts are being processed is stored and
// committed before processing goes on: the processing transaction ends
// early (after minSlice) instead of keeping the single writer for its whole
// budget.
func TestAcknowledgementsComeBeforeProcessing(t *testing.T) {
	f := setup(t)
	lateDone := make(chan error, 1)
	seenLate := map[string]bool{}
	f.in.Handle("slow", func(tx core.App, r Receipt) error {
		if r.DeliveryID != "p-0" {
			_, err := findReceipt(tx, "test", "late")
			seenLate[r.DeliveryID] = err == nil
			return nil
		}
		time.Sleep(minSlice + 5*time.Millisecond)
		go func() {
			_, _, err := f.in.Store(f.app, Receipt{Source: "test", Topic: "t", DeliveryID: "late", Body: []byte("{}")})
			lateDone <- err
		}()
		for !f.in.storesWaiting() {
			time.Sleep(time.Millisecond)
		}
		return nil
	})
	for i := range 5 {
		if _, _, err := f.in.Store(f.app, Receipt{Source: "slow", Topic: "t", DeliveryID: fmt.Sprintf("p-%d", i), Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.in.ProcessDue(f.app, 100); err != nil || n != 5 {
		t.Fatalf("ProcessDue = %d, %v", n, err)
	}
	if err := <-lateDone; err != nil {
		t.Fatalf("late delivery: %v", err)
	}
	if !seenLate["p-1"] {
		t.Errorf("the late delivery was not committed before the next receipt was processed (seen: %v)", seenLate)
	}
}
