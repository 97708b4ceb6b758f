package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/wneessen/go-mail"

	"porchlight/content"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
)

// smtpSink is a minimal loopback SMTP server that accepts and discards
// every message (no TLS, no auth): the far end of the dispatch phase.
type smtpSink struct {
	ln       net.Listener
	received atomic.Int64
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]bool
}

func startSMTPSink() (*smtpSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smtpSink{ln: ln, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[c] = true
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
			}()
		}
	}()
	return s, nil
}

func (s *smtpSink) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Close stops listening and hangs up on clients still connected (a
// dispatcher's pooled connections).
func (s *smtpSink) Close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	say := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !say("220 sink.localhost ESMTP bench") {
		return
	}
	for {
		c.SetReadDeadline(time.Now().Add(time.Minute))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-sink.localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8")
		case strings.HasPrefix(cmd, "HELO"):
			say("250 sink.localhost")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 end with <CRLF>.<CRLF>")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
			}
			s.received.Add(1)
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default: // MAIL, RCPT, RSET, NOOP
			say("250 ok")
		}
	}
}

// dispatchResult is one side of the dispatch comparison.
type dispatchResult struct {
	Sent    int
	Elapsed time.Duration
	Err     string
}

func (d dispatchResult) PerSecond() float64 {
	if d.Elapsed <= 0 {
		return 0
	}
	return float64(d.Sent) / d.Elapsed.Seconds()
}

// bareGoMail sends messages built with go-mail to the sink over one
// kept-open go-mail client for d: no database, no templates, no outbox —
// the ceiling any dispatcher built on go-mail can reach on this machine.
func bareGoMail(sink *smtpSink, d time.Duration) dispatchResult {
	c, err := mail.NewClient("127.0.0.1", mail.WithPort(sink.Port()), mail.WithTLSPortPolicy(mail.NoTLS),
		mail.WithHELO("bench.localhost"), mail.WithTimeout(10*time.Second))
	if err != nil {
		return dispatchResult{Err: err.Error()}
	}
	ctx := context.Background()
	if err := c.DialWithContext(ctx); err != nil {
		return dispatchResult{Err: err.Error()}
	}
	defer c.Close()
	start := time.Now()
	sent := 0
	for time.Since(start) < d {
		msg, err := bareMsg(sent)
		if err != nil {
			return dispatchResult{Sent: sent, Elapsed: time.Since(start), Err: fmt.Sprintf("build: %v", err)}
		}
		if err := c.Send(msg); err != nil {
			return dispatchResult{Sent: sent, Elapsed: time.Since(start), Err: fmt.Sprintf("send: %v", err)}
		}
		sent++
	}
	return dispatchResult{Sent: sent, Elapsed: time.Since(start)}
}

// bareMsg is a "shipped" email of the same shape the dispatcher sends
// (plain text and HTML alternatives), with its text fixed in the code.
func bareMsg(n int) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.FromFormat("Fernhill Coffee", "hello@example.com"); err != nil {
		return nil, err
	}
	if err := msg.To("shopper" + strconv.Itoa(n) + "@example.com"); err != nil {
		return nil, err
	}
	msg.Subject(fmt.Sprintf("Your order #%d is on its way", 100001+n))
	msg.SetBodyString(mail.TypeTextPlain, "Hi Sam,\r\n\r\nYour parcel left our roastery today. Track it any time:\r\nhttps://shop.example.com/t/abcdefghijklmnopqrstuvwxyz\r\n")
	msg.AddAlternativeString(mail.TypeTextHTML, `<p>Hi Sam,</p><p>Your parcel left our roastery today. <a href="https://shop.example.com/t/abcdefghijklmnopqrstuvwxyz">Track it</a>.</p>`)
	return msg, nil
}

// queueMessages inserts n due "shipped" emails for seeded orders straight
// into messages (status scheduled), the way a flow leaves them.
func queueMessages(db *sql.DB, ds *dataset, n int, tag string) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := insert(tx, schema.CMessages, "id", "order", "shipment", "trigger", "channel", "category", "to",
		"due_at", "status", "attempts", "idempotency_key", "created", "updated")
	if err != nil {
		return err
	}
	g := &generator{rng: rand.New(rand.NewPCG(uint64(len(tag)), uint64(n)))}
	due := dbTime(time.Now().Add(-time.Second))
	for i := 0; i < n; i++ {
		k := g.rng.IntN(len(ds.OrderIDs))
		p := ds.Parcels[k*len(ds.Parcels)/len(ds.OrderIDs)]
		if _, err := st.Exec(g.id(), ds.OrderIDs[k], p.ID, schema.TrigShipped, schema.ChannelEmail, schema.Transactional,
			fmt.Sprintf("shopper%d@example.com", k), due, schema.MsgScheduled, 0, fmt.Sprintf("bench-%s-%d", tag, i), due, due); err != nil {
			return fmt.Errorf("queue message: %w", err)
		}
	}
	return tx.Commit()
}

// dispatchInProcess runs Porchlight's own dispatcher (hooks/notify) on the
// data dir with the rate cap lifted, sending n queued emails to the sink:
// what the code can do, as opposed to what the shipped cap allows.
func dispatchInProcess(dataDir string, ds *dataset, sink *smtpSink, n int, d time.Duration) dispatchResult {
	app, err := bootstrap(dataDir)
	if err != nil {
		return dispatchResult{Err: err.Error()}
	}
	defer app.ResetBootstrapState()
	xdb, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return dispatchResult{Err: "unexpected db type"}
	}
	if err := queueMessages(xdb.DB(), ds, n, "inproc"); err != nil {
		return dispatchResult{Err: err.Error()}
	}
	cfg := config.Config{SMTP: config.SMTP{Host: "127.0.0.1", Port: sink.Port(), From: "hello@example.com"}}
	nt := notify.New(notify.Deps{Clock: clock.Real{}, Config: cfg, Content: content.FS, EmailPerSec: 1e6, Batch: 200})
	if err := nt.Seed(app); err != nil {
		return dispatchResult{Err: "seed flows: " + err.Error()}
	}
	before := sink.received.Load()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	for ctx.Err() == nil {
		k, err := nt.DispatchDue(ctx, app)
		if err != nil {
			return dispatchResult{Sent: int(sink.received.Load() - before), Elapsed: time.Since(start), Err: err.Error()}
		}
		if k == 0 {
			break
		}
	}
	res := dispatchResult{Sent: int(sink.received.Load() - before), Elapsed: time.Since(start)}
	if res.Sent < n && ctx.Err() == nil {
		var failed int
		_ = xdb.DB().QueryRow(`SELECT count(*) FROM messages WHERE idempotency_key LIKE 'bench-inproc-%' AND status != 'sent'`).Scan(&failed)
		res.Err = fmt.Sprintf("%d of %d not sent", failed, n)
	}
	return res
}

// dispatchServer queues n emails in the running server's database and
// counts what reaches the sink within d: the shipped configuration,
// including its email rate cap.
func dispatchServer(dataDir string, ds *dataset, sink *smtpSink, n int, d time.Duration) dispatchResult {
	db, err := sql.Open("sqlite", "file:"+dataDir+"/data.db?_pragma=busy_timeout(10000)")
	if err != nil {
		return dispatchResult{Err: err.Error()}
	}
	defer db.Close()
	before := sink.received.Load()
	if err := queueMessages(db, ds, n, "server"); err != nil {
		return dispatchResult{Err: err.Error()}
	}
	start := time.Now()
	for time.Since(start) < d && sink.received.Load()-before < int64(n) {
		time.Sleep(20 * time.Millisecond)
	}
	return dispatchResult{Sent: int(sink.received.Load() - before), Elapsed: time.Since(start)}
}
