package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/schema"
)

const (
	webhookPath   = "/webhooks/easypost"
	webhookSecret = "bench-easypost-secret"
)

// easypostCarrier is how EasyPost spells our carrier ids.
var easypostCarrier = map[string]string{"usps": "USPS", "ups": "UPS", "fedex": "FedEx", "dhl": "DHLExpress"}

// webhooks makes signed EasyPost tracker.updated events for seeded parcels.
// Each event carries one new checkpoint (a later time than any seeded one),
// so every delivery is new work for the server.
type webhooks struct {
	parcels []parcel
	seq     atomic.Int64
	run     string
	base    time.Time
}

func newWebhooks(parcels []parcel, now time.Time) *webhooks {
	return &webhooks{parcels: parcels, run: fmt.Sprintf("%x", now.UnixNano()&0xffffffff), base: now}
}

type epLocation struct {
	City    string `json:"city"`
	State   string `json:"state"`
	Country string `json:"country"`
	Zip     string `json:"zip"`
}

type epDetail struct {
	Object       string     `json:"object"`
	Datetime     string     `json:"datetime"`
	Status       string     `json:"status"`
	StatusDetail string     `json:"status_detail"`
	Message      string     `json:"message"`
	Location     epLocation `json:"tracking_location"`
}

// body returns the i-th event's JSON for a random parcel.
func (w *webhooks) body(rng *rand.Rand) ([]byte, string) {
	i := w.seq.Add(1)
	p := w.parcels[rng.IntN(len(w.parcels))]
	at := w.base.Add(time.Duration(i) * time.Millisecond).UTC()
	evID := fmt.Sprintf("evt_bench%s%08d", w.run, i)
	ev := map[string]any{
		"id": evID, "object": "Event", "mode": "production", "description": "tracker.updated",
		"created_at": at.Format(time.RFC3339), "updated_at": at.Format(time.RFC3339),
		"pending_urls": []string{}, "completed_urls": []string{},
		"result": map[string]any{
			"object": "Tracker", "id": "trk_bench" + p.ID, "mode": "production",
			"tracking_code": p.Number, "carrier": easypostCarrier[p.Carrier],
			"status": "in_transit", "status_detail": "arrived_at_facility",
			"est_delivery_date": at.Add(48 * time.Hour).Format(time.RFC3339),
			"created_at":        w.base.Add(-72 * time.Hour).Format(time.RFC3339),
			"updated_at":        at.Format(time.RFC3339),
			"tracking_details": []epDetail{{
				Object: "TrackingDetail", Datetime: at.Format(time.RFC3339), Status: "in_transit",
				StatusDetail: "arrived_at_facility", Message: "Arrived at USPS Regional Facility",
				Location: epLocation{City: "PORTLAND", State: "OR", Country: "US", Zip: "97218"},
			}},
		},
	}
	b, _ := json.Marshal(ev)
	return b, evID
}

func sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write(body)
	return "hmac-sha256-hex=" + hex.EncodeToString(m.Sum(nil))
}

func (w *webhooks) request(base string) makeReq {
	return func(rng *rand.Rand) (*http.Request, error) {
		b, _ := w.body(rng)
		req, err := http.NewRequest(http.MethodPost, base+webhookPath, bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hmac-Signature", sign(b))
		return req, nil
	}
}

// probeWebhook sends one event and says whether the route is there.
func probeWebhook(c *http.Client, base string, w *webhooks) (ok bool, why string) {
	mk := w.request(base)
	req, _ := mk(rand.New(rand.NewPCG(1, 2)))
	resp, err := c.Do(req)
	if err != nil {
		return false, "not available (" + err.Error() + ")"
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return false, "not available (no " + webhookPath + " route yet)"
	case resp.StatusCode/100 != 2:
		return false, fmt.Sprintf("not available (probe answered %d: %s)", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	return true, ""
}

// inboxCounts reads the receipts' states straight from the server's database
// (a read-only connection; WAL lets it read while the server writes).
type inboxReader struct{ db *sql.DB }

func openInbox(dataDir string) (*inboxReader, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "data.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &inboxReader{db: db}, nil
}

type inboxCounts struct{ Pending, Done, Failed, Ignored, Total int }

func (r *inboxReader) counts() (inboxCounts, error) {
	var c inboxCounts
	rows, err := r.db.Query(`SELECT status, count(*) FROM webhook_receipts GROUP BY status`)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return c, err
		}
		switch st {
		case schema.ReceiptDone:
			c.Done += n
		case schema.ReceiptFailed:
			c.Failed += n
		case schema.ReceiptIgnored:
			c.Ignored += n
		default:
			c.Pending += n
		}
		c.Total += n
	}
	return c, rows.Err()
}

// busyErrors counts receipts whose last error mentions a locked database.
func (r *inboxReader) busyErrors() int {
	var n int
	_ = r.db.QueryRow(`SELECT count(*) FROM webhook_receipts WHERE error LIKE '%SQLITE_BUSY%' OR error LIKE '%database is locked%'`).Scan(&n)
	return n
}

// logBusy counts PocketBase log entries (auxiliary.db) mentioning SQLITE_BUSY.
func logBusy(dataDir string) int {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "auxiliary.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int
	_ = db.QueryRow(`SELECT count(*) FROM _logs WHERE data LIKE '%SQLITE_BUSY%' OR data LIKE '%database is locked%' OR message LIKE '%SQLITE_BUSY%' OR message LIKE '%database is locked%'`).Scan(&n)
	return n
}

// drain waits until no receipt is pending and returns how long that took
// and how many were processed (done, failed or ignored) in the meantime.
func (r *inboxReader) drain(timeout time.Duration) (time.Duration, inboxCounts, bool) {
	start := time.Now()
	for {
		c, err := r.counts()
		if err == nil && c.Pending == 0 {
			return time.Since(start), c, true
		}
		if time.Since(start) > timeout {
			return time.Since(start), c, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ingestPhase is the sustained or burst half of the webhook benchmark.
type ingestPhase struct {
	Acks        result
	Before      inboxCounts
	After       inboxCounts
	Drain       time.Duration
	Drained     bool
	Processed   int           // receipts taken out of pending by the server
	ProcessTime time.Duration // from first send to the backlog being empty
}

// EventsPerSec is the end-to-end processing rate.
func (p ingestPhase) EventsPerSec() float64 {
	if p.ProcessTime <= 0 {
		return 0
	}
	return float64(p.Processed) / p.ProcessTime.Seconds()
}

func runIngest(ctx context.Context, c *http.Client, base string, w *webhooks, in *inboxReader,
	conc int, d time.Duration, limit int, rate float64, drainTimeout time.Duration) (ingestPhase, error) {
	var p ingestPhase
	var err error
	if p.Before, err = in.counts(); err != nil {
		return p, fmt.Errorf("read inbox: %w", err)
	}
	start := time.Now()
	p.Acks = paced(ctx, "ingest", c, conc, d, limit, rate, w.request(base))
	p.Drain, p.After, p.Drained = in.drain(drainTimeout)
	p.ProcessTime = time.Since(start)
	p.Processed = (p.After.Total - p.After.Pending) - (p.Before.Total - p.Before.Pending)
	return p, nil
}

// rawResult is the in-process limit: the same rows written with prepared
// statements in batched transactions.
type rawResult struct {
	Events  int
	Elapsed time.Duration
	Err     string
}

func (r rawResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Events) / r.Elapsed.Seconds()
}

// rawIngest writes, per event, what the webhook path ends up writing: one
// receipt (stored and marked done), one tracking event, one shipment update
// — 500 events per transaction, for d, into the same database (the server
// is stopped by then).
func rawIngest(dataDir string, w *webhooks, d time.Duration) rawResult {
	app, err := bootstrap(dataDir)
	if err != nil {
		return rawResult{Err: err.Error()}
	}
	defer app.ResetBootstrapState()
	xdb, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return rawResult{Err: "unexpected db type"}
	}
	db := xdb.DB()
	rng := rand.New(rand.NewPCG(7, 7))
	g := &generator{rng: rand.New(rand.NewPCG(8, 8))}
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		tx, err := db.Begin()
		if err != nil {
			return rawResult{Err: err.Error()}
		}
		rs, err1 := insert(tx, schema.CWebhookReceipts, "id", "source", "topic", "delivery_id", "event_id", "headers", "body",
			"received_at", "status", "attempts", "next_attempt_at", "processed_at", "created", "updated")
		es, err2 := insert(tx, schema.CTrackingEvents, "id", "shipment", "carrier", "tracking_number", "occurred_at", "status",
			"substatus", "raw_status", "message", "location", "source", "dedupe_key", "created", "updated")
		us, err3 := tx.Prepare(`UPDATE shipments SET status=?, substatus=?, raw_status=?, last_event_at=?, updated=? WHERE id=?`)
		if err := firstErr(err1, err2, err3); err != nil {
			tx.Rollback()
			return rawResult{Err: err.Error()}
		}
		for k := 0; k < 500; k++ {
			body, evID := w.body(rng)
			var ev struct {
				Result struct {
					Code    string `json:"tracking_code"`
					Details []epDetail
				} `json:"result"`
			}
			_ = json.Unmarshal(body, &ev)
			p := w.parcels[rng.IntN(len(w.parcels))]
			now := dbTime(time.Now())
			at := now
			if len(ev.Result.Details) > 0 {
				if t, err := time.Parse(time.RFC3339, ev.Result.Details[0].Datetime); err == nil {
					at = dbTime(t)
				}
			}
			headers := `{"Content-Type":"application/json","X-Hmac-Signature":"` + sign(body) + `"}`
			if _, err := rs.Exec(g.id(), "easypost", "tracker.updated", evID, evID, headers, string(body), now,
				schema.ReceiptDone, 1, now, now, now, now); err != nil {
				tx.Rollback()
				return rawResult{Err: err.Error()}
			}
			if _, err := es.Exec(g.id(), p.ID, p.Carrier, p.Number, at, "in_transit", "arrived_at_facility", "in_transit",
				"Arrived at USPS Regional Facility", "PORTLAND, OR, US", "easypost", "raw:"+evID, now, now); err != nil {
				tx.Rollback()
				return rawResult{Err: err.Error()}
			}
			if _, err := us.Exec("in_transit", "arrived_at_facility", "in_transit", at, now, p.ID); err != nil {
				tx.Rollback()
				return rawResult{Err: err.Error()}
			}
			n++
		}
		if err := tx.Commit(); err != nil {
			return rawResult{Err: err.Error()}
		}
	}
	return rawResult{Events: n, Elapsed: time.Since(start)}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
