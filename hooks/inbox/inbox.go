// Package inbox is the durable inbox every inbound webhook goes through:
// verify, store the raw delivery in webhook_receipts, acknowledge — in
// milliseconds, never after processing. A worker then processes receipts from
// the database (the DB is the queue: due rows, attempts, last error,
// backoff), so a crash after the acknowledgement loses nothing and any
// receipt can be replayed.
package inbox

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/clock"
	"porchlight/hooks/schema"
)

// Errors a Verifier or Handler returns to steer the inbox.
var (
	// ErrUnauthorized: missing or wrong signature → 401, nothing stored.
	ErrUnauthorized = errors.New("inbox: signature missing or invalid")
	// ErrSkip: a valid call that carries nothing to keep (WooCommerce's
	// creation ping) → 200, nothing stored.
	ErrSkip = errors.New("inbox: nothing to store")
	// ErrIgnored: the handler does not process this topic; the receipt is
	// kept and marked ignored.
	ErrIgnored = errors.New("inbox: topic ignored")
	// ErrPermanent: retrying cannot help (the payload cannot be parsed); the
	// receipt is marked failed at once with its error.
	ErrPermanent = errors.New("inbox: permanent failure")
)

// MaxBody is the largest webhook body accepted (413 above it).
const MaxBody = 1 << 20

// Receipt is one stored inbound delivery.
type Receipt struct {
	ID         string
	Source     string
	Topic      string
	DeliveryID string // unique per source: the sender's delivery/event id
	EventID    string
	Headers    map[string]string
	Body       []byte
	ReceivedAt time.Time
	Attempts   int
}

// Handler processes one receipt inside a transaction (tx), which may hold
// other receipts too and be rolled back when one of them fails. It must be
// idempotent: replaying a receipt any number of times leaves the same state.
type Handler func(tx core.App, r Receipt) error

// Deps is what the inbox needs.
type Deps struct {
	Clock clock.Clock
	// PollEvery is how often the worker looks for due receipts when not
	// woken by a new one (default 1s).
	PollEvery time.Duration
}

// Inbox stores and processes receipts.
type Inbox struct {
	clock    clock.Clock
	poll     time.Duration
	mu       sync.RWMutex
	handlers map[string]Handler
	acks     map[string]Ack
	kick     chan struct{}
	work     sync.Mutex // one processing pass at a time
	sq       storeQueue
}

// Backoff is the wait before each retry; after the last one a receipt is
// marked failed and reported in the admin.
var Backoff = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour}

// Register creates the inbox and starts its worker with the server.
func Register(app core.App, d Deps) *Inbox {
	in := New(d)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		stop := make(chan struct{})
		go in.run(se.App, stop)
		se.App.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
			close(stop)
			return e.Next()
		})
		return se.Next()
	})
	return in
}

// New returns an inbox without a worker (tests drive ProcessDue).
func New(d Deps) *Inbox {
	if d.PollEvery <= 0 {
		d.PollEvery = time.Second
	}
	return &Inbox{clock: d.Clock, poll: d.PollEvery, handlers: map[string]Handler{}, acks: map[string]Ack{}, kick: make(chan struct{}, 1)}
}

// Handle sets the handler for a source ("shopify", "easypost", ...).
func (in *Inbox) Handle(source string, h Handler) {
	in.mu.Lock()
	in.handlers[source] = h
	in.mu.Unlock()
}

// Ack writes the acknowledgement of a stored delivery. The default is a
// small JSON body; a sender that parses the answer (Twilio expects TwiML)
// gets its own with SetAck.
type Ack func(e *core.RequestEvent, duplicate bool) error

// SetAck sets how deliveries of source are acknowledged.
func (in *Inbox) SetAck(source string, a Ack) {
	in.mu.Lock()
	in.acks[source] = a
	in.mu.Unlock()
}

func (in *Inbox) ack(source string) Ack {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.acks[source]
}

func (in *Inbox) handler(source string) Handler {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.handlers[source]
}

// Store writes a receipt and returns once it is committed. A repeated
// (source, delivery id) is reported as duplicate and not stored again.
//
// Concurrent calls are committed together (group commit): SQLite has one
// writer, so during a burst each delivery used to wait for every other
// delivery's own transaction; now one writer goroutine stores everything
// queued in one transaction and answers all of them. Nothing is
// acknowledged before its commit.
func (in *Inbox) Store(app core.App, r Receipt) (id string, duplicate bool, err error) {
	if r.Source == "" || r.DeliveryID == "" {
		return "", false, fmt.Errorf("store receipt: source and delivery id are required")
	}
	if app.IsTransactional() {
		// The writer could not start its own transaction until the
		// caller's ends.
		return in.storeOne(app, r)
	}
	q := &storeReq{app: app, r: r, done: make(chan struct{})}
	in.sq.Lock()
	in.sq.queue = append(in.sq.queue, q)
	if !in.sq.writing {
		in.sq.writing = true
		go in.writeQueued()
	}
	in.sq.Unlock()
	<-q.done
	if q.err == nil && !q.dup {
		in.Wake()
	}
	return q.id, q.dup, q.err
}

// storeReq is one Store call waiting for its commit.
type storeReq struct {
	app  core.App
	r    Receipt
	id   string
	dup  bool
	err  error
	done chan struct{}
}

// storeQueue holds the Store calls not yet taken by the writer.
type storeQueue struct {
	sync.Mutex
	queue   []*storeReq
	writing bool // a writer goroutine is running
}

// maxStoreBatch bounds one group commit (a burst of 200 connections fits).
const maxStoreBatch = 256

// writeQueued stores queued receipts, a batch per transaction, until the
// queue is empty, then exits.
func (in *Inbox) writeQueued() {
	for {
		in.sq.Lock()
		if len(in.sq.queue) == 0 {
			in.sq.writing = false
			in.sq.Unlock()
			return
		}
		app := in.sq.queue[0].app
		var batch, rest []*storeReq
		for _, q := range in.sq.queue {
			if q.app == app && len(batch) < maxStoreBatch {
				batch = append(batch, q)
			} else {
				rest = append(rest, q)
			}
		}
		in.sq.queue = rest
		in.sq.Unlock()
		in.storeBatch(app, batch)
	}
}

// storeBatch commits a batch in one transaction; when that fails, each
// receipt is stored on its own so one bad delivery cannot refuse the others.
func (in *Inbox) storeBatch(app core.App, batch []*storeReq) {
	defer func() {
		for _, q := range batch {
			close(q.done)
		}
	}()
	if len(batch) > 1 {
		err := app.RunInTransaction(func(tx core.App) error {
			for _, q := range batch {
				if q.id, q.dup, q.err = in.storeOne(tx, q.r); q.err != nil {
					return q.err
				}
			}
			return nil
		})
		if err == nil {
			return
		}
	}
	for _, q := range batch {
		q.id, q.dup, q.err = in.storeOne(app, q.r)
	}
}

// storeOne writes one receipt unless its delivery id is already stored.
func (in *Inbox) storeOne(app core.App, r Receipt) (id string, duplicate bool, err error) {
	wr := schema.WebhookReceipts
	existing, err := findReceipt(app, r.Source, r.DeliveryID)
	if err == nil {
		return existing.Id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("store receipt: %w", err)
	}
	col, err := app.FindCachedCollectionByNameOrId(schema.CWebhookReceipts)
	if err != nil {
		return "", false, fmt.Errorf("store receipt: %w", err)
	}
	now := in.clock.Now()
	rec := core.NewRecord(col)
	rec.Set(wr.Source, r.Source)
	rec.Set(wr.Topic, truncate(r.Topic, 200))
	rec.Set(wr.DeliveryID, truncate(r.DeliveryID, 200))
	rec.Set(wr.EventID, truncate(r.EventID, 200))
	rec.Set(wr.Headers, r.Headers)
	rec.Set(wr.Body, string(r.Body))
	rec.Set(wr.ReceivedAt, now)
	rec.Set(wr.Status, schema.ReceiptPending)
	rec.Set(wr.NextAttemptAt, now)
	if err := app.Save(rec); err != nil {
		// A concurrent delivery of the same id won the unique index.
		if again, ferr := findReceipt(app, r.Source, r.DeliveryID); ferr == nil {
			return again.Id, true, nil
		}
		return "", false, fmt.Errorf("store receipt: %w", err)
	}
	return rec.Id, false, nil
}

// findReceipt finds a stored delivery (a dbx expression: PocketBase parses
// filter strings on every call, and this runs for every delivery).
func findReceipt(app core.App, source, deliveryID string) (*core.Record, error) {
	wr := schema.WebhookReceipts
	rec := &core.Record{}
	err := app.RecordQuery(schema.CWebhookReceipts).
		AndWhere(dbx.HashExp{wr.Source: source, wr.DeliveryID: deliveryID}).Limit(1).One(rec)
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// Wake nudges the worker; it is only a hint, the database is the queue.
func (in *Inbox) Wake() {
	select {
	case in.kick <- struct{}{}:
	default:
	}
}

func (in *Inbox) run(app core.App, stop <-chan struct{}) {
	t := time.NewTicker(in.poll)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		case <-in.kick:
		}
		for {
			n, err := in.ProcessDue(app, 100)
			if err != nil {
				app.Logger().Error("inbox: process", "err", err)
				break
			}
			if n == 0 {
				break
			}
		}
	}
}

// ProcessDue processes up to limit due receipts in arrival order and
// returns how many it handled.
func (in *Inbox) ProcessDue(app core.App, limit int) (int, error) {
	in.work.Lock()
	defer in.work.Unlock()
	wr := schema.WebhookReceipts
	due, err := app.FindRecordsByFilter(schema.CWebhookReceipts,
		wr.Status+" = {:p} && "+wr.NextAttemptAt+" <= {:now}", wr.ReceivedAt+","+schema.FCreated, limit, 0,
		dbx.Params{"p": schema.ReceiptPending, "now": schema.DBTime(in.clock.Now())})
	if err != nil {
		return 0, fmt.Errorf("find due receipts: %w", err)
	}
	total := len(due)
	for len(due) > 0 {
		in.yieldToStores(batchBudget)
		n, failed := in.processBatch(app, due)
		if failed > 0 {
			// The ones before the failure commit together next time.
			n, _ = in.processBatch(app, due[:failed])
		}
		if n == 0 {
			if err := in.process(app, due[0]); err != nil {
				return 0, err
			}
			n = 1
		}
		due = due[n:]
	}
	return total, nil
}

// batchBudget bounds one processing transaction: long enough to share a
// commit among many receipts, short enough that a delivery being stored
// (which needs the same single writer) is not kept waiting.
const batchBudget = 40 * time.Millisecond

// Acknowledgements come before processing. A sender that waits too long
// for its answer retries, and Shopify drops a subscription after repeated
// timeouts, while processing can always catch up from the stored receipts.
// So when deliveries are waiting to be stored, a processing transaction
// ends after minSlice and the next one waits (up to batchBudget) until they
// are committed: during a burst the writer and the CPU go to the
// acknowledgements, and processing still gets a fifth of the writer under
// any load.
const minSlice = 10 * time.Millisecond

// storesWaiting reports deliveries queued for, or being written by, the
// group-commit writer.
func (in *Inbox) storesWaiting() bool {
	in.sq.Lock()
	defer in.sq.Unlock()
	return len(in.sq.queue) > 0 || in.sq.writing
}

// yieldToStores waits until no delivery is waiting to be stored, at most d.
func (in *Inbox) yieldToStores(d time.Duration) {
	for end := time.Now().Add(d); in.storesWaiting() && time.Now().Before(end); {
		time.Sleep(time.Millisecond)
	}
}

// processBatch processes receipts from the front of due in one transaction
// until batchBudget is spent, and returns how many committed. When one of
// them fails, the transaction rolls back and it returns 0 and the failing
// one's index: the caller processes that one on its own, so every failure
// is recorded on its own receipt with its own backoff.
func (in *Inbox) processBatch(app core.App, due []*core.Record) (committed, failed int) {
	if len(due) < 2 {
		return 0, -1
	}
	start := time.Now()
	n, failed := 0, -1
	err := app.RunInTransaction(func(tx core.App) error {
		for i, rec := range due {
			if el := time.Since(start); n > 0 && (el > batchBudget || el > minSlice && in.storesWaiting()) {
				break
			}
			if err := in.handle(tx, rec); err != nil {
				failed = i
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, failed
	}
	return n, -1
}

// handle runs the receipt's handler inside tx and marks it done, so the
// handler's changes and the mark commit together.
func (in *Inbox) handle(tx core.App, rec *core.Record) error {
	r := FromRecord(rec)
	h := in.handler(r.Source)
	if h == nil {
		return fmt.Errorf("no handler for source %q: %w", r.Source, ErrIgnored)
	}
	if err := h(tx, r); err != nil {
		return err
	}
	return markDone(tx, rec.Id, in.clock.Now())
}

// process handles one receipt in its own transaction and records the
// outcome: done, or the failure with its backoff.
func (in *Inbox) process(app core.App, rec *core.Record) error {
	wr := schema.WebhookReceipts
	r := FromRecord(rec)
	herr := app.RunInTransaction(func(tx core.App) error { return in.handle(tx, rec) })
	if herr == nil {
		return nil
	}
	// Record the failure outside the rolled-back transaction.
	fresh, err := app.FindRecordById(schema.CWebhookReceipts, rec.Id)
	if err != nil {
		return fmt.Errorf("reload receipt %s: %w", rec.Id, err)
	}
	attempts := fresh.GetInt(wr.Attempts) + 1
	fresh.Set(wr.Attempts, attempts)
	fresh.Set(wr.Error, truncate(herr.Error(), 1900))
	now := in.clock.Now()
	switch {
	case errors.Is(herr, ErrIgnored):
		fresh.Set(wr.Status, schema.ReceiptIgnored)
		fresh.Set(wr.ProcessedAt, now)
	case errors.Is(herr, ErrPermanent) || attempts > len(Backoff):
		fresh.Set(wr.Status, schema.ReceiptFailed)
		fresh.Set(wr.ProcessedAt, now)
		app.Logger().Warn("inbox: receipt failed", "source", r.Source, "topic", r.Topic, "id", rec.Id, "err", herr)
	default:
		fresh.Set(wr.NextAttemptAt, now.Add(Backoff[attempts-1]))
	}
	if err := app.Save(fresh); err != nil {
		return fmt.Errorf("record receipt failure %s: %w", rec.Id, err)
	}
	return nil
}

// markDone marks receipt id done in tx with one UPDATE of the four fields
// it changes. Reloading the receipt and saving it as a record rewrote its
// whole body for every tracking event (~8% of the worker's CPU); nothing
// hooks receipt updates.
func markDone(tx core.App, id string, now time.Time) error {
	wr := schema.WebhookReceipts
	res, err := tx.DB().Update(schema.CWebhookReceipts, dbx.Params{
		wr.Status: schema.ReceiptDone, wr.ProcessedAt: schema.DBTime(now), wr.Error: "",
		wr.Attempts: dbx.NewExp("[[" + wr.Attempts + "]] + 1"), schema.FUpdated: schema.DBTime(now),
	}, dbx.HashExp{schema.FID: id}).Execute()
	if err != nil {
		return fmt.Errorf("mark receipt %s done: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("mark receipt %s done: %d rows (%v)", id, n, err)
	}
	return nil
}

// FromRecord reads a stored receipt.
func FromRecord(rec *core.Record) Receipt {
	wr := schema.WebhookReceipts
	r := Receipt{
		ID: rec.Id, Source: rec.GetString(wr.Source), Topic: rec.GetString(wr.Topic),
		DeliveryID: rec.GetString(wr.DeliveryID), EventID: rec.GetString(wr.EventID),
		Body: []byte(rec.GetString(wr.Body)), ReceivedAt: rec.GetDateTime(wr.ReceivedAt).Time(),
		Attempts: rec.GetInt(wr.Attempts), Headers: map[string]string{},
	}
	_ = rec.UnmarshalJSONField(wr.Headers, &r.Headers)
	return r
}

// ReplayFilter selects receipts to process again.
type ReplayFilter struct {
	Source     string
	OnlyFailed bool
	Since      time.Time
}

// Replay re-queues the matching receipts and processes them now. Because
// handlers are idempotent, replaying leaves the same state as the first pass.
func (in *Inbox) Replay(app core.App, f ReplayFilter) (queued int, err error) {
	wr := schema.WebhookReceipts
	conds := []string{"1=1"}
	params := dbx.Params{}
	if f.Source != "" {
		conds = append(conds, wr.Source+" = {:src}")
		params["src"] = f.Source
	}
	if f.OnlyFailed {
		conds = append(conds, wr.Status+" = {:failed}")
		params["failed"] = schema.ReceiptFailed
	}
	if !f.Since.IsZero() {
		conds = append(conds, wr.ReceivedAt+" >= {:since}")
		params["since"] = schema.DBTime(f.Since)
	}
	recs, err := app.FindRecordsByFilter(schema.CWebhookReceipts, strings.Join(conds, " && "), wr.ReceivedAt, 0, 0, params)
	if err != nil {
		return 0, fmt.Errorf("replay: %w", err)
	}
	sort.SliceStable(recs, func(i, j int) bool {
		return recs[i].GetDateTime(wr.ReceivedAt).Time().Before(recs[j].GetDateTime(wr.ReceivedAt).Time())
	})
	now := in.clock.Now()
	for _, r := range recs {
		r.Set(wr.Status, schema.ReceiptPending)
		r.Set(wr.NextAttemptAt, now)
		r.Set(wr.Attempts, 0)
		if err := app.Save(r); err != nil {
			return queued, fmt.Errorf("replay %s: %w", r.Id, err)
		}
		queued++
	}
	for {
		n, err := in.ProcessDue(app, 200)
		if err != nil {
			return queued, err
		}
		if n == 0 {
			return queued, nil
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
