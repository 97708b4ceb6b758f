// Package csvimport reads order history from a CSV file, for merchants who
// start with Porchlight mid-season or sell somewhere without webhooks. Two
// formats are recognised by their header row:
//
// # Porchlight format
//
// The documented column set is Columns. Column names are case-insensitive,
// order does not matter, unknown columns are ignored. One row is one line
// item; rows sharing an order_number are one order (keep them adjacent).
// Order-level columns may be repeated on every row of an order or left
// empty after the first; a non-empty value that differs from the first row
// is an error.
//
//	order_number     required; what the shopper sees ("1001", "#1001")
//	external_id      optional; the store's order id (defaults to order_number)
//	placed_at        required; RFC 3339 ("2025-03-14T10:21:07-04:00") or YYYY-MM-DD
//	email            required
//	phone, first_name, last_name
//	currency         required; ISO 4217 ("USD")
//	total            required; decimal in currency units ("74.99")
//	shipping, tax, discount  optional decimals
//	sku, product_title       at least one per row
//	variant_title
//	quantity         required; whole number > 0
//	price            unit price, decimal (default 0)
//	ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal,
//	ship_country     (ISO 3166-1 alpha-2)
//	carrier, tracking_number, tracking_url
//	                 rows with the same tracking number form one shipment
//	utm_source, utm_medium, utm_campaign, utm_content, utm_term, ad_angle
//	note, tags       (tags comma-separated)
//
// # Shopify orders export
//
// The CSV from Shopify admin → Orders → Export (Name, Email, Financial
// Status, …, Lineitem quantity, Lineitem name, …, Id, Tags, Source).
// Continuation rows for extra line items carry the same Name with the
// order-level columns empty. Note Attributes lines of the form
// "utm_source: facebook" and "ad_angle: gift" fill the acquisition data.
//
// # Errors and limits
//
// A bad row never half-imports its order: if any row of an order is bad,
// the whole order is skipped and RowErrors name the offending lines. When a
// row cannot be read at all (broken quoting), the orders on the rows just
// before and after it are skipped too, since it may have belonged to
// either. A field over 10 KB is a row error; a file over 50 MB or with more
// than 200,000 data rows is a fatal error (nothing is returned). A UTF-8
// byte-order mark and CRLF line ends are accepted; quoted fields may contain
// newlines.
//
// # Progress
//
// ParseWithOptions calls Options.Progress every 1,000 rows and once at the
// end with rows read and bytes consumed, so the CLI can draw a bar from the
// file size it passes in Options.Size.
package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"porchlight/hooks/storefront/model"
)

// Limits.
const (
	MaxFileBytes  = 50 << 20
	MaxRows       = 200_000
	MaxFieldBytes = 10 << 10
	// progressEvery is how many rows pass between Progress calls.
	progressEvery = 1000
)

// Fatal errors; Parse wraps them with detail.
var (
	ErrFileTooLarge  = errors.New("file is larger than 50 MB")
	ErrTooManyRows   = errors.New("file has more than 200000 rows")
	ErrUnknownFormat = errors.New("unrecognised CSV header")
	ErrEmpty         = errors.New("file is empty")
)

// Columns is the Porchlight CSV format, in the order an export would write
// them. See the package documentation for what each column means.
var Columns = []string{
	"order_number", "external_id", "placed_at", "email", "phone", "first_name", "last_name",
	"currency", "total", "shipping", "tax", "discount",
	"sku", "product_title", "variant_title", "quantity", "price",
	"ship_name", "ship_line1", "ship_line2", "ship_city", "ship_region", "ship_postal", "ship_country",
	"carrier", "tracking_number", "tracking_url",
	"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "ad_angle",
	"note", "tags",
}

// Format names a recognised CSV layout.
type Format string

// The recognised formats.
const (
	FormatPorchlight Format = "porchlight"
	FormatShopify    Format = "shopify"
)

// RowError is a problem with one line of the file. Line is the 1-based line
// where the record starts (the header is line 1). Field is the column name
// as it appears in the header, or "" for the whole row. Order is the order
// number the row belongs to when known; that order was not imported.
type RowError struct {
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	Order  string `json:"order,omitempty"`
}

func (e RowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d", e.Line)
	if e.Field != "" {
		fmt.Fprintf(&b, ", %s", e.Field)
	}
	fmt.Fprintf(&b, ": %s", e.Reason)
	if e.Order != "" {
		fmt.Fprintf(&b, " (order %s not imported)", e.Order)
	}
	return b.String()
}

// Progress is reported while parsing.
type Progress struct {
	Rows       int   // data rows read so far
	Bytes      int64 // bytes consumed from the reader so far
	TotalBytes int64 // Options.Size, 0 if unknown
}

// Options tune ParseWithOptions.
type Options struct {
	// Size is the input size in bytes if known (os.FileInfo.Size()); it is
	// passed back in Progress.TotalBytes.
	Size int64
	// Progress, if set, is called every 1,000 rows and once at the end.
	Progress func(Progress)
}

// Parse reads a CSV file in either recognised format and returns the orders
// that imported cleanly, the row errors for everything else, and a fatal
// error (unreadable input, unknown header, size limits) in which case no
// orders are returned.
func Parse(r io.Reader) (orders []model.Order, rowErrs []RowError, err error) {
	return ParseWithOptions(r, Options{})
}

// ParseWithOptions is Parse with progress reporting.
func ParseWithOptions(r io.Reader, opt Options) ([]model.Order, []RowError, error) {
	lr := &limitReader{r: r, max: MaxFileBytes}
	br := bufio.NewReaderSize(lr, 64<<10)
	if bom, _ := br.Peek(3); len(bom) == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked per row so the row can still be attributed
	cr.ReuseRecord = false

	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, nil, ErrEmpty
	case errors.Is(err, ErrFileTooLarge):
		return nil, nil, err
	case err != nil:
		return nil, nil, fmt.Errorf("read header: %w", err)
	}
	layout, err := newLayout(header)
	if err != nil {
		return nil, nil, err
	}

	p := &parser{layout: layout, builds: map[string]*build{}}
	reported := -1
	report := func() {
		if opt.Progress != nil && p.rows != reported {
			reported = p.rows
			opt.Progress(Progress{Rows: p.rows, Bytes: lr.n, TotalBytes: opt.Size})
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, ErrFileTooLarge) {
			return nil, nil, fmt.Errorf("%w (stopped near line %d)", ErrFileTooLarge, p.lastLine+1)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.rows++
			p.unreadable(pe.StartLine, pe.Err.Error())
		} else if err != nil {
			return nil, nil, fmt.Errorf("read line %d: %w", p.lastLine+1, err)
		} else {
			p.rows++
			line, _ := cr.FieldPos(0)
			p.row(line, rec)
		}
		if p.rows > MaxRows {
			return nil, nil, fmt.Errorf("%w", ErrTooManyRows)
		}
		if p.rows%progressEvery == 0 {
			report()
		}
	}
	report()
	orders := p.finish()
	slices.SortStableFunc(p.errs, func(a, b RowError) int { return a.Line - b.Line })
	return orders, p.errs, nil
}

// limitReader fails with ErrFileTooLarge once more than max bytes arrive.
type limitReader struct {
	r      io.Reader
	n, max int64
}

func (l *limitReader) Read(b []byte) (int, error) {
	if l.n >= l.max {
		var probe [1]byte
		k, err := l.r.Read(probe[:])
		if k > 0 {
			return 0, ErrFileTooLarge
		}
		return 0, err
	}
	if rest := l.max - l.n; int64(len(b)) > rest {
		b = b[:rest]
	}
	k, err := l.r.Read(b)
	l.n += int64(k)
	return k, err
}
