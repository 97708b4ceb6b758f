package main

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"
)

type machine struct {
	CPU   string
	Cores int
	RAM   int64
}

type ingestReport struct {
	Available    bool
	Why          string
	Sustained    ingestPhase
	Burst        ingestPhase
	Rate         float64 // offered rate of the sustained phase
	BusyReceipts int
}

type dispatchReport struct {
	Bare       dispatchResult
	Porchlight dispatchResult // in-process, rate cap lifted
	Server     dispatchResult // the running server, shipped rate cap
	SinkGot    int64
}

// report is everything one run measured.
type report struct {
	Opts         options
	Machine      machine
	Started      time.Time
	BuildTime    time.Duration
	Data         *dataset
	DBBytes      int64
	DBBytesAfter int64
	ColdStart    time.Duration
	RSSIdle      int64
	RSSLoaded    int64
	RSSPhases    [][2]string // phase, RSS
	StaticPath   string
	StaticSize   int64
	Static       result
	Page         result
	Record       result
	Ingest       ingestReport
	BusyLog      int
	Raw          rawResult
	Dispatch     dispatchReport
}

// table renders a Markdown table with the columns padded for reading in a
// terminal as well as on a rendered page.
func table(header []string, rows [][]string) string {
	w := make([]int, len(header))
	for i, h := range header {
		w[i] = len([]rune(h))
	}
	for _, r := range rows {
		for i := range header {
			if i < len(r) && len([]rune(r[i])) > w[i] {
				w[i] = len([]rune(r[i]))
			}
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for i := range header {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			b.WriteString(" " + c + strings.Repeat(" ", w[i]-len([]rune(c))) + " |")
		}
		b.WriteString("\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = strings.Repeat("-", max(w[i], 3))
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func num(f float64) string {
	switch {
	case f >= 100:
		return thousands(int64(f + 0.5))
	case f >= 10:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.2f", f)
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func ratio(a, b float64) (string, float64) {
	if a <= 0 || b <= 0 {
		return "n/a", 0
	}
	if a/b < 0.1 {
		return fmt.Sprintf("%.3f×", a/b), a / b
	}
	return fmt.Sprintf("%.2f×", a/b), a / b
}

func verdict(ok bool) string {
	if ok {
		return "pass"
	}
	return "**miss**"
}

func statusSummary(r result) string {
	if r.Errors == 0 {
		return "0"
	}
	keys := make([]int, 0, len(r.Status))
	for k := range r.Status {
		if k/100 != 2 {
			keys = append(keys, k)
		}
	}
	sort.Ints(keys)
	parts := []string{}
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", r.Status[k], k))
	}
	if n := r.Errors - sumNon2xx(r); n > 0 {
		parts = append(parts, fmt.Sprintf("%d transport", n))
	}
	return strings.Join(parts, ", ")
}

func sumNon2xx(r result) int {
	n := 0
	for k, v := range r.Status {
		if k/100 != 2 {
			n += v
		}
	}
	return n
}

func readRow(name string, r result) []string {
	return []string{name, num(r.RPS()), ms(r.P(50)), ms(r.P(95)), ms(r.P(99)), thousands(r.MeanBytes()), thousands(int64(r.OK)), statusSummary(r)}
}

func (r *report) markdown() string {
	var b strings.Builder
	o, d := r.Opts, r.Data
	fmt.Fprintf(&b, "## Porchlight benchmark (%s)\n\n", r.Started.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s RAM, %s %s/%s. Server and load generator share these cores; all traffic is on 127.0.0.1.\n\n",
		r.Machine.CPU, r.Machine.Cores, gib(r.Machine.RAM), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "Data: %s orders, %s shipments, %s tracking events, %s customers, %s order lines; seeded in %s (fast path: prepared INSERTs). ",
		thousands(int64(len(d.OrderIDs))), thousands(int64(len(d.Parcels))), thousands(int64(d.Events)), thousands(int64(d.Customers)),
		thousands(int64(d.Items)), ms(d.Took))
	fmt.Fprintf(&b, "Read phases: %s each at %d connections after a warm-up; random orders.\n\n", secs(o.PhaseSeconds), o.Conc)

	b.WriteString("### 1. Tracking page\n\n")
	b.WriteString(table([]string{"what", "req/s", "p50", "p95", "p99", "bytes", "requests", "errors"}, [][]string{
		readRow("GET /t/{token} (tracking page)", r.Page),
		readRow("GET "+r.StaticPath+" (static, pb_public)", r.Static),
		readRow("GET /api/collections/orders/records/{id} (superuser)", r.Record),
	}))
	rs, _ := ratio(r.Page.RPS(), r.Static.RPS())
	rr, _ := ratio(r.Page.RPS(), r.Record.RPS())
	fmt.Fprintf(&b, "\nRatios (req/s): page/static **%s**, page/record-view **%s**. The static file is the embedded pb_public asset closest in size to the page (%s B vs %s B): pb_public is compiled into the binary, so no same-size file can be added at run time.\n\n",
		rs, rr, thousands(r.StaticSize), thousands(r.Page.MeanBytes()))

	b.WriteString("### 2. Webhook ingest (EasyPost tracker.updated, signed)\n\n")
	if !r.Ingest.Available {
		fmt.Fprintf(&b, "Webhook ingest: %s.\n\n", r.Ingest.Why)
	} else {
		row := func(name string, p ingestPhase) []string {
			drain := ms(p.Drain)
			if !p.Drained {
				drain = fmt.Sprintf("> %s (%d left)", ms(p.Drain), p.After.Pending)
			}
			return []string{name, thousands(int64(p.Acks.OK)), num(p.Acks.RPS()), ms(p.Acks.P(50)), ms(p.Acks.P(99)),
				statusSummary(p.Acks), thousands(int64(p.Processed)), num(p.EventsPerSec()), drain}
		}
		b.WriteString(table([]string{"phase", "acked", "acks/s", "ack p50", "ack p99", "errors", "processed", "events/s end-to-end", "backlog drain"}, [][]string{
			row(fmt.Sprintf("burst of %s, c=%d", thousands(int64(o.Burst)), o.BurstConc), r.Ingest.Burst),
			row(fmt.Sprintf("sustained %s at %s/s offered, c=%d", secs(o.IngestSeconds), num(r.Ingest.Rate), o.Conc), r.Ingest.Sustained),
		}))
		fa := r.Ingest.Sustained.After
		fmt.Fprintf(&b, "\nReceipts after the run: %d done, %d failed, %d ignored, %d pending. ", fa.Done, fa.Failed, fa.Ignored, fa.Pending)
		b.WriteString("\"events/s end-to-end\" counts receipts taken out of pending (stored, then processed through to shipment status) from the first send until the backlog was empty. The burst measures processing capacity; the sustained phase offers 90% of it, paced, to show the rate one instance keeps up with.\n\n")
	}
	if r.Raw.Err != "" {
		fmt.Fprintf(&b, "Raw insert limit: failed (%s).\n\n", r.Raw.Err)
	} else {
		fmt.Fprintf(&b, "Raw limit, in-process, same database, server stopped: **%s events/s** (%s events; per event one receipt + one tracking event + one shipment UPDATE, 500 per transaction).",
			num(r.Raw.PerSecond()), thousands(int64(r.Raw.Events)))
		if r.Ingest.Available {
			ir, _ := ratio(r.Ingest.Sustained.EventsPerSec(), r.Raw.PerSecond())
			fmt.Fprintf(&b, " Ratio sustained ingest/raw: **%s**.", ir)
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "SQLITE_BUSY / \"database is locked\": %d (server log and PocketBase logs) + %d (receipt errors).\n\n", r.BusyLog, r.Ingest.BusyReceipts)

	b.WriteString("### 3. Dispatch (loopback SMTP sink)\n\n")
	drow := func(name string, x dispatchResult) []string {
		if x.Err != "" && x.Sent == 0 {
			return []string{name, "–", "–", x.Err}
		}
		return []string{name, thousands(int64(x.Sent)), num(x.PerSecond()), x.Err}
	}
	b.WriteString(table([]string{"sender", "messages", "messages/s", "note"}, [][]string{
		drow("Porchlight dispatcher, in-process, email cap lifted", r.Dispatch.Porchlight),
		drow("Porchlight server as shipped (email cap 20/s)", r.Dispatch.Server),
		drow("bare go-mail loop, one connection (no database, no templates)", r.Dispatch.Bare),
	}))
	dr, _ := ratio(r.Dispatch.Porchlight.PerSecond(), r.Dispatch.Bare.PerSecond())
	fmt.Fprintf(&b, "\nRatio dispatcher (cap lifted)/bare: **%s**. Each dispatched email is a queued \"shipped\" message rendered from its template at send time. The sink counted %d messages in all.\n\n", dr, r.Dispatch.SinkGot)

	b.WriteString("### 4. Footprint\n\n")
	per100k := float64(r.DBBytes) / (float64(len(d.OrderIDs)) / 100_000)
	b.WriteString(table([]string{"what", "value"}, [][]string{
		{"server RSS after start on the seeded data (idle)", mib(r.RSSIdle)},
		{"server RSS, highest after a phase", mib(r.RSSLoaded)},
		{"database after seeding (data.db + WAL)", mib(r.DBBytes)},
		{"database per 100k orders", mib(int64(per100k))},
		{"database after the run", mib(r.DBBytesAfter)},
		{"cold start: process start to first tracking page served", ms(r.ColdStart)},
		{"go build of the binary (this run)", ms(r.BuildTime)},
	}))
	if len(r.RSSPhases) > 0 {
		parts := make([]string, len(r.RSSPhases))
		for i, p := range r.RSSPhases {
			parts[i] = p[1] + " " + p[0]
		}
		fmt.Fprintf(&b, "\nServer RSS by phase: %s.\n", strings.Join(parts, "; "))
	}

	b.WriteString("\n### Targets (reported, not asserted)\n\n")
	b.WriteString(table([]string{"target", "measured", "result"}, r.targets()))
	b.WriteString("\n")
	return b.String()
}

// rss notes the server's RSS after a phase (and keeps the peak in RSSLoaded).
func (r *report) rss(phase string, s *server) {
	n := s.rssBytes()
	r.RSSPhases = append(r.RSSPhases, [2]string{phase, mib(n)})
	r.RSSLoaded = max(r.RSSLoaded, n)
}

func gib(n int64) string { return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30)) }

func (r *report) targets() [][]string {
	var rows [][]string
	scale := ""
	if n := len(r.Data.OrderIDs); n < 1_000_000 {
		scale = fmt.Sprintf(" (measured at %s orders)", thousands(int64(n)))
	}
	rs, rsv := ratio(r.Page.RPS(), r.Static.RPS())
	rows = append(rows, []string{"tracking page ≥ 0.5× static", rs, verdictOr(rsv > 0, rsv >= 0.5)})
	rr, rrv := ratio(r.Page.RPS(), r.Record.RPS())
	rows = append(rows, []string{"tracking page ≥ 1.0× record view", rr, verdictOr(rrv > 0, rrv >= 1.0)})
	p95 := r.Page.P(95)
	rows = append(rows, []string{"tracking page p95 < 50 ms at 1M orders", ms(p95) + scale, verdictOr(r.Page.OK > 0, p95 < 50*time.Millisecond)})
	if r.Ingest.Available {
		p99 := r.Ingest.Burst.Acks.P(99)
		rows = append(rows, []string{fmt.Sprintf("webhook ack p99 < 250 ms in a %s burst", thousands(int64(r.Opts.Burst))), ms(p99),
			verdictOr(r.Ingest.Burst.Acks.OK > 0, p99 < 250*time.Millisecond && r.Ingest.Burst.Acks.Errors == 0)})
		ir, irv := ratio(r.Ingest.Sustained.EventsPerSec(), r.Raw.PerSecond())
		rows = append(rows, []string{"sustained ingest ≥ 0.3× raw inserts", ir, verdictOr(irv > 0, irv >= 0.3)})
	} else {
		rows = append(rows, []string{"webhook ack p99 < 250 ms in a 5,000 burst", r.Ingest.Why, "n/a"})
		rows = append(rows, []string{"sustained ingest ≥ 0.3× raw inserts", r.Ingest.Why, "n/a"})
	}
	busy := r.BusyLog + r.Ingest.BusyReceipts
	rows = append(rows, []string{"zero SQLITE_BUSY", fmt.Sprint(busy), verdict(busy == 0)})
	rows = append(rows, []string{"RSS < 200 MB at 1M orders", mib(max(r.RSSIdle, r.RSSLoaded)) + scale,
		verdict(max(r.RSSIdle, r.RSSLoaded) < 200_000_000)})
	rows = append(rows, []string{"cold start < 1 s", ms(r.ColdStart), verdict(r.ColdStart < time.Second)})
	return rows
}

func verdictOr(measured, ok bool) string {
	if !measured {
		return "n/a"
	}
	return verdict(ok)
}

// smokeCheck fails the run only for what is a bug on any machine: shopper
// pages, static files or the admin API answering errors. Speed never fails it.
func (r *report) smokeCheck() error {
	for _, x := range []result{r.Page, r.Static, r.Record} {
		if x.OK == 0 || x.Errors > 0 {
			return fmt.Errorf("%s: %d ok, %d errors (%s) %s", x.Name, x.OK, x.Errors, statusSummary(x), x.FirstErr)
		}
	}
	return nil
}
