package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"porchlight/hooks/clock"
	"porchlight/hooks/storefront/model"
)

// PerPage is the page size the catch-up client asks for (the API maximum).
const PerPage = 100

// MaxPageBytes bounds one page of orders read from the store.
const MaxPageBytes = 64 << 20

// Client reads orders from a store's REST API (/wp-json/wc/v3) to catch up
// on anything the webhooks missed. Authentication is HTTP basic with the
// consumer key and secret, which WooCommerce only accepts over HTTPS, so
// BaseURL must be https — plain http is allowed for loopback hosts only
// (tests, a local store in development).
type Client struct {
	// BaseURL is the store's home URL, e.g. "https://shop.example".
	BaseURL string
	Key     string
	Secret  string
	// HTTP is the client used for requests; nil means a client with a 30 s
	// timeout.
	HTTP *http.Client
	// Clock turns an HTTP-date Retry-After into a duration; nil means the
	// wall clock.
	Clock clock.Clock
}

// RateLimitError is returned for 429 Too Many Requests, and for 503 with a
// Retry-After header. RetryAfter is zero when the store did not say; the
// caller then applies its own backoff.
type RateLimitError struct {
	StatusCode int
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("woocommerce: rate limited (HTTP %d), retry after %s", e.StatusCode, e.RetryAfter)
	}
	return fmt.Sprintf("woocommerce: rate limited (HTTP %d)", e.StatusCode)
}

// HTTPError is any other non-2xx answer. Body is a sanitized excerpt of
// the response for logs; it is not for shoppers or merchants.
type HTTPError struct {
	StatusCode int
	Body       string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("woocommerce: HTTP %d: %s", e.StatusCode, e.Body)
}

// Unauthorized reports whether the store refused the credentials.
func (e *HTTPError) Unauthorized() bool {
	return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
}

// OrderError is one order of a page that could not be used.
type OrderError struct {
	// ID is the order id when it could be read.
	ID  string
	Err error
}

// PageError reports orders skipped from an otherwise good page. When
// OrdersModifiedSince returns a *PageError, its orders and more results
// are valid: the caller stores the orders, logs the skipped ones and
// carries on, so one bad order does not stall the catch-up forever.
type PageError struct {
	Skipped []OrderError
}

func (e *PageError) Error() string {
	var ids []string
	for i, s := range e.Skipped {
		if i == 5 {
			ids = append(ids, fmt.Sprintf("and %d more", len(e.Skipped)-i))
			break
		}
		ids = append(ids, fmt.Sprintf("%s (%v)", s.ID, s.Err))
	}
	return fmt.Sprintf("woocommerce: skipped %d orders: %s", len(e.Skipped), strings.Join(ids, "; "))
}

// OrdersModifiedSince fetches one page (1-based) of orders modified after
// since (all orders when since is zero), oldest first:
//
//	GET {base}/wp-json/wc/v3/orders?modified_after=…&dates_are_gmt=true
//	    &orderby=modified&order=asc&per_page=100&page=N
//
// more reports whether further pages exist (X-WP-TotalPages, or a full
// page when the header is missing). modified_after is exclusive and has
// one-second resolution, so a caller should page through to the end for
// one since value before advancing it to the newest UpdatedAt seen, and
// should dedupe on (ExternalID, UpdatedAt): orders modified during the walk
// can shift between pages.
//
// Errors: *RateLimitError (429, or 503 with Retry-After), *HTTPError for
// other non-2xx answers, *PageError when some orders of the page were
// unusable (the rest are returned), and plain errors for transport, URL
// or JSON problems.
func (c *Client) OrdersModifiedSince(ctx context.Context, since time.Time, page int) ([]model.Order, bool, error) {
	if page < 1 {
		page = 1
	}
	endpoint, err := c.endpoint("/wp-json/wc/v3/orders")
	if err != nil {
		return nil, false, err
	}
	q := url.Values{}
	if !since.IsZero() { // zero since: everything, for a first full sync
		q.Set("modified_after", since.UTC().Format("2006-01-02T15:04:05"))
	}
	q.Set("dates_are_gmt", "true")
	q.Set("orderby", "modified")
	q.Set("order", "asc")
	q.Set("per_page", strconv.Itoa(PerPage))
	q.Set("page", strconv.Itoa(page))
	endpoint.RawQuery = q.Encode()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint.String(), nil)
	if err != nil {
		return nil, false, fmt.Errorf("woocommerce: build request: %w", err)
	}
	req.SetBasicAuth(c.Key, c.Secret)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Porchlight")

	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, false, fmt.Errorf("woocommerce: list orders page %d: %w", page, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode == http.StatusTooManyRequests ||
		(resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "") {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, false, &RateLimitError{StatusCode: resp.StatusCode, RetryAfter: c.retryAfter(resp.Header.Get("Retry-After"))}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, false, &HTTPError{StatusCode: resp.StatusCode, Body: model.SanitizeLine(string(excerpt))}
	}

	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxPageBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("woocommerce: read orders page %d: %w", page, err)
	}
	if len(body) > MaxPageBytes {
		return nil, false, fmt.Errorf("woocommerce: orders page %d is larger than %d bytes", page, MaxPageBytes)
	}
	orders, skipped, err := parsePage(body)
	if err != nil {
		return nil, false, fmt.Errorf("woocommerce: orders page %d: %w", page, err)
	}

	more := len(orders)+len(skipped) >= PerPage
	if tp := strings.TrimSpace(resp.Header.Get("X-WP-TotalPages")); tp != "" {
		if n, err := strconv.Atoi(tp); err == nil && n >= 0 {
			more = page < n
		}
	}
	if len(skipped) > 0 {
		return orders, more, &PageError{Skipped: skipped}
	}
	return orders, more, nil
}

// parsePage splits a JSON array of orders and parses each one on its own.
func parsePage(body []byte) ([]model.Order, []OrderError, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '[' {
		return nil, nil, errors.New("response is not a JSON array")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return nil, nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if len(raw) > PerPage*2 {
		return nil, nil, fmt.Errorf("page has %d orders; asked for %d", len(raw), PerPage)
	}
	orders := make([]model.Order, 0, len(raw))
	var skipped []OrderError
	for _, r := range raw {
		o, err := ParseOrder(r)
		if err != nil {
			id := o.ExternalID
			if id == "" {
				id = peekID(r)
			}
			skipped = append(skipped, OrderError{ID: id, Err: err})
			continue
		}
		orders = append(orders, o)
	}
	return orders, skipped, nil
}

func peekID(raw json.RawMessage) string {
	var v struct {
		ID json.Number `json:"id"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	s := model.SanitizeLine(v.ID.String())
	if len(s) > model.MaxIDRunes {
		return ""
	}
	return s
}

// endpoint joins path onto BaseURL and enforces https for non-loopback
// hosts, so consumer secrets never cross the network in clear text.
func (c *Client) endpoint(path string) (*url.URL, error) {
	base := strings.TrimSpace(c.BaseURL)
	if base == "" {
		return nil, errors.New("woocommerce: BaseURL is empty")
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("woocommerce: BaseURL %q is not an absolute URL", base)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("woocommerce: BaseURL must use https (basic auth over http is refused for %s)", u.Hostname())
		}
	default:
		return nil, fmt.Errorf("woocommerce: BaseURL scheme %q not supported", u.Scheme)
	}
	if u.User != nil {
		return nil, errors.New("woocommerce: BaseURL must not contain credentials")
	}
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = ""
	u.Fragment = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// retryAfter parses Retry-After as delay-seconds or an HTTP-date; anything
// else (or a date in the past) is zero. Absurd values are capped at a day.
func (c *Client) retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const maxWait = 24 * time.Hour
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxWait/time.Second) {
			return maxWait
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	var cl clock.Clock = clock.Real{}
	if c.Clock != nil {
		cl = c.Clock
	}
	d := t.Sub(cl.Now())
	if d <= 0 {
		return 0
	}
	return min(d.Round(time.Second), maxWait)
}
