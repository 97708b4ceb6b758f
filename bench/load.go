package main

import (
	"context"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// result summarises one closed-loop load phase.
type result struct {
	Name     string
	OK       int // 2xx answers
	Errors   int // transport errors and non-2xx answers
	Status   map[int]int
	Elapsed  time.Duration
	Lat      []time.Duration // latencies of every answered request, sorted
	Bytes    int64           // body bytes of 2xx answers
	FirstErr string
}

// RPS is successful requests per second.
func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// MeanBytes is the mean body size of successful answers.
func (r result) MeanBytes() int64 {
	if r.OK == 0 {
		return 0
	}
	return r.Bytes / int64(r.OK)
}

// P returns the q-th percentile (0..100) of the latencies.
func (r result) P(q float64) time.Duration { return percentile(r.Lat, q) }

// percentile uses the nearest-rank method on sorted durations.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	if q <= 0 {
		return sorted[0]
	}
	rank := int(q/100*float64(len(sorted))+0.999999) - 1
	if rank < 0 {
		rank = 0
	}
	if rank >= len(sorted) {
		rank = len(sorted) - 1
	}
	return sorted[rank]
}

// newClient is a keep-alive client for loopback load with no compression,
// so byte counts are what went over the socket.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        conns * 2,
			MaxIdleConnsPerHost: conns * 2,
			MaxConnsPerHost:     0,
			DisableCompression:  true,
			IdleConnTimeout:     time.Minute,
		},
	}
}

// makeReq builds the i-th request of a phase; rng is the worker's own.
type makeReq func(rng *rand.Rand) (*http.Request, error)

// closedLoop runs conc workers, each sending requests back to back, for d
// or until limit requests were sent (0 = no limit).
func closedLoop(ctx context.Context, name string, c *http.Client, conc int, d time.Duration, limit int, mk makeReq) result {
	return paced(ctx, name, c, conc, d, limit, 0, mk)
}

// paced is closedLoop with the start of requests spread evenly at rate per
// second (0 = as fast as the workers go).
func paced(ctx context.Context, name string, c *http.Client, conc int, d time.Duration, limit int, rate float64, mk makeReq) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu    sync.Mutex
		res   = result{Name: name, Status: map[int]int{}}
		wg    sync.WaitGroup
		sent  int
		start = time.Now()
	)
	take := func() bool {
		mu.Lock()
		if limit > 0 && sent >= limit {
			mu.Unlock()
			return false
		}
		slot := start
		if rate > 0 {
			slot = start.Add(time.Duration(float64(sent) / rate * float64(time.Second)))
		}
		sent++
		mu.Unlock()
		if wait := time.Until(slot); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return false
			}
		}
		return true
	}
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 0x10ad))
			var lat []time.Duration
			var ok, errs int
			var bytes int64
			status := map[int]int{}
			firstErr := ""
			for ctx.Err() == nil && take() {
				req, err := mk(rng)
				if err != nil {
					errs++
					firstErr = err.Error()
					continue
				}
				t0 := time.Now()
				resp, err := c.Do(req.WithContext(ctx))
				if err != nil {
					if ctx.Err() != nil {
						break // the phase ended mid-request: not an error
					}
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t0))
				status[resp.StatusCode]++
				if resp.StatusCode/100 == 2 {
					ok++
					bytes += n
				} else {
					errs++
				}
			}
			mu.Lock()
			res.Lat = append(res.Lat, lat...)
			res.OK += ok
			res.Errors += errs
			res.Bytes += bytes
			for k, v := range status {
				res.Status[k] += v
			}
			if res.FirstErr == "" {
				res.FirstErr = firstErr
			}
			mu.Unlock()
		}(uint64(w) + 1)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	sort.Slice(res.Lat, func(i, j int) bool { return res.Lat[i] < res.Lat[j] })
	return res
}
