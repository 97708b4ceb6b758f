package woocommerce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"porchlight/hooks/clock"
)

// fakeStore speaks just enough of /wp-json/wc/v3/orders for the client.
type fakeStore struct {
	t        *testing.T
	pages    [][]byte // page bodies, 1-based by index+1
	header   bool     // send X-WP-TotalPages
	status   int      // if non-zero, answer this status instead
	retry    string   // Retry-After value with status
	errBody  string
	requests atomic.Int32
	lastURL  atomic.Value
}

func (s *fakeStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.lastURL.Store(r.URL.String())
	user, pass, ok := r.BasicAuth()
	if !ok || user != "ck_demo" || pass != "cs_demo" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`)
		return
	}
	if s.status != 0 {
		if s.retry != "" {
			w.Header().Set("Retry-After", s.retry)
		}
		w.WriteHeader(s.status)
		fmt.Fprint(w, s.errBody)
		return
	}
	var page int
	fmt.Sscan(r.URL.Query().Get("page"), &page)
	if page < 1 || page > len(s.pages) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "[]")
		return
	}
	if s.header {
		w.Header().Set("X-WP-Total", fmt.Sprint(len(s.pages)*2))
		w.Header().Set("X-WP-TotalPages", fmt.Sprint(len(s.pages)))
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(s.pages[page-1])
}

func pageOf(t *testing.T, fixtures ...string) []byte {
	var parts []string
	for _, f := range fixtures {
		parts = append(parts, string(readFixture(t, f)))
	}
	return []byte("[" + strings.Join(parts, ",") + "]")
}

func newClient(srv *httptest.Server) *Client {
	return &Client{BaseURL: srv.URL, Key: "ck_demo", Secret: "cs_demo", HTTP: srv.Client()}
}

func TestOrdersModifiedSincePaging(t *testing.T) {
	store := &fakeStore{t: t, header: true, pages: [][]byte{
		pageOf(t, "order_created.json", "order_updated.json"),
		pageOf(t, "order_restored.json"),
	}}
	srv := httptest.NewServer(store)
	defer srv.Close()
	c := newClient(srv)
	since := time.Date(2025, 3, 14, 14, 0, 0, 0, time.FixedZone("CET", 3600))

	orders, more, err := c.OrdersModifiedSince(context.Background(), since, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || !more || orders[0].ExternalID != "1187" || orders[1].SourceStatus != "completed" {
		t.Fatalf("page 1 = %d orders, more=%v", len(orders), more)
	}
	want := "/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=2025-03-14T13%3A00%3A00&order=asc&orderby=modified&page=1&per_page=100"
	if got := store.lastURL.Load().(string); got != want {
		t.Errorf("request URL\n got %s\nwant %s", got, want)
	}

	orders, more, err = c.OrdersModifiedSince(context.Background(), since, 2)
	if err != nil || len(orders) != 1 || more {
		t.Fatalf("page 2 = %d orders, more=%v, %v", len(orders), more, err)
	}
	// Page 0 is treated as page 1.
	if _, _, err := c.OrdersModifiedSince(context.Background(), since, 0); err != nil ||
		!strings.Contains(store.lastURL.Load().(string), "page=1&") {
		t.Errorf("page 0: %v %s", err, store.lastURL.Load())
	}
}

func TestOrdersModifiedSinceWithoutTotalPages(t *testing.T) {
	full := make([]string, PerPage)
	for i := range full {
		full[i] = string(readFixture(t, "order_created.json"))
	}
	store := &fakeStore{t: t, pages: [][]byte{[]byte("[" + strings.Join(full, ",") + "]"), []byte("[]")}}
	srv := httptest.NewServer(store)
	defer srv.Close()
	c := newClient(srv)
	orders, more, err := c.OrdersModifiedSince(context.Background(), time.Time{}, 1)
	if err != nil || len(orders) != PerPage || !more {
		t.Fatalf("full page: %d, %v, %v", len(orders), more, err)
	}
	if u := store.lastURL.Load().(string); strings.Contains(u, "modified_after") {
		t.Errorf("zero since should fetch everything: %s", u)
	}
	orders, more, err = c.OrdersModifiedSince(context.Background(), time.Time{}, 2)
	if err != nil || len(orders) != 0 || more {
		t.Fatalf("empty page: %d, %v, %v", len(orders), more, err)
	}
}

func TestOrdersModifiedSinceBasePath(t *testing.T) {
	var gotPath string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath = r.URL.Path
		fmt.Fprint(w, "[]")
	}))
	defer srv.Close()
	c := newClient(srv)
	c.BaseURL = srv.URL + "/shop/?ignored=1#frag"
	if _, _, err := c.OrdersModifiedSince(context.Background(), time.Time{}, 1); err != nil {
		t.Fatal(err)
	}
	if gotPath != "/shop/wp-json/wc/v3/orders" {
		t.Errorf("path = %q", gotPath)
	}
}

func TestOrdersModifiedSinceErrors(t *testing.T) {
	fixed := clock.NewFixed(time.Date(2025, 3, 17, 9, 0, 0, 0, time.UTC))
	scenarios := []struct {
		name  string
		store *fakeStore
		check func(t *testing.T, err error)
	}{
		{"429 seconds", &fakeStore{status: 429, retry: "120"}, func(t *testing.T, err error) {
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Minute || rl.StatusCode != 429 {
				t.Errorf("err = %#v", err)
			}
		}},
		{"429 http date", &fakeStore{status: 429, retry: "Mon, 17 Mar 2025 09:05:00 GMT"}, func(t *testing.T, err error) {
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 5*time.Minute {
				t.Errorf("err = %#v", err)
			}
		}},
		{"429 without header", &fakeStore{status: 429}, func(t *testing.T, err error) {
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 0 {
				t.Errorf("err = %#v", err)
			}
		}},
		{"429 absurd", &fakeStore{status: 429, retry: "99999999999"}, func(t *testing.T, err error) {
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 24*time.Hour {
				t.Errorf("err = %#v", err)
			}
		}},
		{"503 with retry", &fakeStore{status: 503, retry: "30"}, func(t *testing.T, err error) {
			var rl *RateLimitError
			if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
				t.Errorf("err = %#v", err)
			}
		}},
		{"503 without retry", &fakeStore{status: 503, errBody: "maintenance\x00\x1b"}, func(t *testing.T, err error) {
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != 503 || he.Body != "maintenance" {
				t.Errorf("err = %#v", err)
			}
		}},
		{"500 long body", &fakeStore{status: 500, errBody: strings.Repeat("x", 10000)}, func(t *testing.T, err error) {
			var he *HTTPError
			if !errors.As(err, &he) || len(he.Body) > 512 {
				t.Errorf("err = %v", err)
			}
		}},
		{"not json", &fakeStore{pages: [][]byte{[]byte("<html>WordPress database error</html>")}}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "not a JSON array") {
				t.Errorf("err = %v", err)
			}
		}},
		{"object instead of array", &fakeStore{pages: [][]byte{[]byte(`{"code":"rest_no_route"}`)}}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "not a JSON array") {
				t.Errorf("err = %v", err)
			}
		}},
		{"truncated array", &fakeStore{pages: [][]byte{[]byte(`[{"id":1},`)}}, func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "malformed JSON") {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			srv := httptest.NewServer(s.store)
			defer srv.Close()
			c := newClient(srv)
			c.Clock = fixed
			orders, more, err := c.OrdersModifiedSince(context.Background(), time.Time{}, 1)
			if orders != nil || more {
				t.Errorf("orders = %v, more = %v alongside an error", orders, more)
			}
			s.check(t, err)
		})
	}
}

func TestOrdersModifiedSinceUnauthorized(t *testing.T) {
	srv := httptest.NewServer(&fakeStore{})
	defer srv.Close()
	c := newClient(srv)
	c.Secret = "wrong"
	_, _, err := c.OrdersModifiedSince(context.Background(), time.Time{}, 1)
	var he *HTTPError
	if !errors.As(err, &he) || !he.Unauthorized() || !strings.Contains(he.Body, "cannot list resources") {
		t.Errorf("err = %v", err)
	}
}

func TestOrdersModifiedSinceSkipsBadOrders(t *testing.T) {
	page := []byte("[" + string(readFixture(t, "order_created.json")) +
		`,{"id": 1200, "currency": "EUR"}` + // missing date and total: parse error
		`,{"id": 1201, "number": "1201", "date_created_gmt": "2025-03-14T10:00:00", "currency": "EUR", "total": "1.00", "line_items": [{"id": 1, "name": "x", "quantity": -1, "price": 1}]}` + // validation error
		`,"not an order"]`)
	srv := httptest.NewServer(&fakeStore{header: true, pages: [][]byte{page}})
	defer srv.Close()
	orders, more, err := newClient(srv).OrdersModifiedSince(context.Background(), time.Time{}, 1)
	var pe *PageError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v", err)
	}
	if len(orders) != 1 || orders[0].ExternalID != "1187" || more {
		t.Errorf("orders = %d, more = %v", len(orders), more)
	}
	if len(pe.Skipped) != 3 || pe.Skipped[0].ID != "1200" || pe.Skipped[1].ID != "1201" || pe.Skipped[2].ID != "" {
		t.Errorf("skipped = %+v", pe.Skipped)
	}
	if !strings.Contains(pe.Error(), "skipped 3 orders") {
		t.Errorf("message = %q", pe.Error())
	}
}

func TestOrdersModifiedSinceRefusesPlainHTTP(t *testing.T) {
	for _, base := range []string{"http://shop.example", "ftp://shop.example", "shop.example", "", "https://user:pw@shop.example", "http://10.0.0.5"} {
		c := &Client{BaseURL: base, Key: "k", Secret: "s", HTTP: &http.Client{Transport: failTransport{t}}}
		if _, _, err := c.OrdersModifiedSince(context.Background(), time.Time{}, 1); err == nil {
			t.Errorf("BaseURL %q accepted", base)
		}
	}
	for _, base := range []string{"http://localhost:1", "http://127.0.0.1:1", "http://[::1]:1"} {
		c := &Client{BaseURL: base}
		if _, err := c.endpoint("/x"); err != nil {
			t.Errorf("loopback %q refused: %v", base, err)
		}
	}
}

type failTransport struct{ t *testing.T }

func (f failTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("request sent to %s", r.URL)
	return nil, errors.New("no")
}

func TestOrdersModifiedSinceContextAndSize(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "9" {
			_, _ = io.WriteString(w, "[")
			chunk := strings.Repeat(" ", 1<<20)
			for range MaxPageBytes/len(chunk) + 1 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
			return
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := newClient(srv)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := c.OrdersModifiedSince(ctx, time.Time{}, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ctx err = %v", err)
	}
	if _, _, err := c.OrdersModifiedSince(context.Background(), time.Time{}, 9); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("size err = %v", err)
	}
}
