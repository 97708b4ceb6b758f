package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/content"
	"porchlight/hooks/brand"
	"porchlight/hooks/clock"
	"porchlight/hooks/config"
	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
)

const crashDirEnv, crashPortEnv = "NOTIFY_CRASH_DIR", "NOTIFY_CRASH_SMTP_PORT"

func openApp(t *testing.T, dir string) *core.BaseApp {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	return app
}

// TestCrashChild is the dispatcher process of TestKillDispatcherMidBatch;
// it does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("run by TestKillDispatcherMidBatch")
	}
	port, _ := strconv.Atoi(os.Getenv(crashPortEnv))
	app := openApp(t, dir)
	n := notify.New(notify.Deps{Clock: clock.Real{}, Content: content.FS, Lease: time.Second, Batch: 8,
		Config: config.Config{SMTP: config.SMTP{Host: "127.0.0.1", Port: port}}})
	m := schema.Messages
	for {
		if _, err := n.DispatchDue(context.Background(), app); err != nil {
			t.Fatal(err)
		}
		left, err := app.CountRecords(schema.CMessages, dbx.In(m.Status, schema.MsgScheduled, schema.MsgSending))
		if err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond) // stale claims wait for the lease
	}
}

// TestKillDispatcherMidBatch runs the dispatcher as a separate process,
// SIGKILLs it while a batch is in flight, and restarts it: every message is
// delivered, and the only duplicates are messages that were in flight when
// it died (the documented window), each at most once more.
func TestKillDispatcherMidBatch(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("child")
	}
	sink := newSMTPSink(t)
	sink.hold = 20 * time.Millisecond // the kill lands between accept and our record
	dir := t.TempDir()
	app := openApp(t, dir)
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	b := brand.Default()
	b.SenderEmail = "hello@shop.example"
	must(t, brand.Ensure(app, b))
	col, err := app.FindCachedCollectionByNameOrId(schema.CMessages)
	must(t, err)
	const total = 40
	m := schema.Messages
	for i := range total {
		r := core.NewRecord(col)
		r.Set(m.Channel, schema.ChannelEmail)
		r.Set(m.Category, schema.Transactional)
		r.Set(m.Trigger, schema.TrigOrderConfirmed)
		r.Set(m.To, fmt.Sprintf("shopper%02d@example.com", i))
		r.Set(m.DueAt, time.Now().Add(-time.Minute))
		r.Set(m.Status, schema.MsgScheduled)
		r.Set(m.IdempotencyKey, fmt.Sprintf("crash:%d", i))
		must(t, app.Save(r))
	}
	must(t, app.ResetBootstrapState())

	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashPortEnv+"="+strconv.Itoa(sink.addr.Port))
		return cmd
	}
	first := child()
	must(t, first.Start())
	for len(sink.all()) < 10 {
		time.Sleep(5 * time.Millisecond)
	}
	must(t, first.Process.Kill())
	_ = first.Wait()
	atKill := len(sink.all())

	second := child()
	if out, err := second.CombinedOutput(); err != nil {
		t.Fatalf("restarted dispatcher: %v\n%s", err, out)
	}

	ids := map[string]int{}
	for _, r := range sink.all() {
		msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
		must(t, err)
		ids[msg.Header.Get("Message-Id")]++
	}
	dups := 0
	for id, k := range ids {
		if k > 2 {
			t.Errorf("%s delivered %d times", id, k)
		}
		dups += k - 1
	}
	if len(ids) != total {
		t.Errorf("%d distinct messages delivered, want %d", len(ids), total)
	}
	if dups > 4 { // at most the in-flight messages: one per SMTP connection
		t.Errorf("%d duplicates, more than the in-flight window", dups)
	}
	if p := sink.peak(); p < 2 {
		t.Errorf("at most %d SMTP connection(s) at once; the dispatcher should use a pool", p)
	}
	app = openApp(t, dir)
	sent, err := app.CountRecords(schema.CMessages, dbx.HashExp{m.Status: schema.MsgSent})
	must(t, err)
	if sent != total {
		t.Errorf("%d rows sent, want %d", sent, total)
	}
	t.Logf("killed after %d deliveries; %d distinct, %d duplicates; %d SMTP connections at once", atKill, len(ids), dups, sink.peak())
}
