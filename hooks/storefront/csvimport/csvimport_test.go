package csvimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"porchlight/hooks/storefront/model"
)

func open(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func byNumber(orders []model.Order) map[string]model.Order {
	m := map[string]model.Order{}
	for _, o := range orders {
		m[o.Number] = o
	}
	return m
}

func TestParseGood(t *testing.T) {
	orders, rowErrs, err := Parse(bytes.NewReader(open(t, "good.csv")))
	if err != nil {
		t.Fatal(err)
	}
	if len(rowErrs) != 0 {
		t.Fatalf("row errors: %v", rowErrs)
	}
	if len(orders) != 3 || orders[0].Number != "2001" || orders[2].Number != "2003" {
		t.Fatalf("orders = %d %v", len(orders), orders)
	}
	o := orders[0]
	want := model.Order{
		Source:        model.SourceCSV,
		ExternalID:    "legacy-88412",
		Number:        "2001",
		PlacedAt:      time.Date(2025, 2, 3, 14, 14, 0, 0, time.UTC),
		Currency:      "USD",
		TotalCents:    9140,
		ShippingCents: 795,
		TaxCents:      645,
		Customer:      model.Customer{Email: "ada.mensah@example.com", Phone: "+1 (614) 555-0142", FirstName: "Ada", LastName: "Mensah"},
		ShippingAddress: model.Address{
			Name: "Ada Mensah", Line1: "88 Oak Street", City: "Columbus", Region: "OH", PostalCode: "43215", Country: "US",
		},
		Items: []model.LineItem{
			{ExternalID: "2001:1", SKU: "TOTE-NAT", Title: "Canvas Tote", VariantTitle: "Natural", Quantity: 1, PriceCents: 3800},
			{ExternalID: "2001:2", SKU: "MUG-SAGE", Title: "Enamel Mug", VariantTitle: "Sage", Quantity: 2, PriceCents: 1950},
		},
		Fulfillments: []model.Fulfillment{{
			ExternalID:      "csv:1Z999AA10123456784",
			Status:          "success",
			TrackingNumbers: []string{"1Z999AA10123456784"},
			TrackingCompany: "UPS",
			TrackingURLs:    []string{"https://www.ups.com/track?tracknum=1Z999AA10123456784"},
			LineItemIDs:     []string{"2001:1", "2001:2"},
		}},
		Acquisition: model.Acquisition{Source: "google", Medium: "cpc", Campaign: "winter_sale", Term: "canvas tote", AdAngle: "durability"},
		Note:        "Gift — please no invoice in the box, thanks!",
		Tags:        []string{"vip", "repeat"},
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("order 2001\n got %+v\nwant %+v", o, want)
	}
	m := byNumber(orders)
	if gb := m["2002"]; gb.Currency != "GBP" || gb.DiscountCents != 200 || gb.Customer.LastName != "O'Duya" ||
		gb.Items[0].Title != "Beeswax Candle, 3-pack" || gb.ShippingAddress.Line2 != "14 Mill Lane" || gb.Fulfillments[0].TrackingCompany != "Royal Mail" {
		t.Errorf("order 2002 = %+v", gb)
	}
	if jp := m["2003"]; jp.TotalCents != 4800 || jp.Items[0].PriceCents != 4000 || jp.ShippingAddress.Name != "佐藤 健二" ||
		jp.Items[0].Title != "Linen Apron 🌿" || jp.Note != "<b>bold</b> note kept as data" || jp.Fulfillments != nil {
		t.Errorf("order 2003 = %+v", jp)
	}
}

func TestParseBroken(t *testing.T) {
	orders, rowErrs, err := Parse(bytes.NewReader(open(t, "broken.csv")))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range orders {
		got = append(got, o.Number)
	}
	// 3001 (two lines), 3006 (quoted newline), 3008 (lower-case codes
	// normalized), 3011 and 3015 import; everything else is rejected whole.
	if strings.Join(got, ",") != "3001,3006,3008,3011,3015" {
		t.Errorf("imported %v", got)
	}
	m := byNumber(orders)
	if len(m["3001"].Items) != 2 {
		t.Errorf("3001 items = %+v", m["3001"].Items)
	}
	if m["3006"].Note != `Ring twice,`+"\n"+`then knock — "loudly"` {
		t.Errorf("3006 note = %q", m["3006"].Note)
	}
	if m["3008"].Currency != "EUR" || m["3008"].ShippingAddress.Country != "DE" {
		t.Errorf("3008 = %+v", m["3008"])
	}

	type want struct {
		line         int
		field, order string
		reason       string
	}
	wants := []want{
		{4, "placed_at", "3002", "not a date"},
		{6, "quantity", "3003", "greater than 0"},
		{7, "email", "3004", "is required"},
		{9, "", "3005", "has 8 columns; the header has 13"},
		{12, "price", "3007", "not an amount"},
		{15, "currency", "3009", "line 14"},
		{16, "order_number", "", "is required"},
		{17, "", "3010", "line 16"},
		{19, "tracking_url", "3012", "http or https"},
		{20, "", "", "cannot be read"},
		{21, "", "3014", "line 20"},
	}
	if len(rowErrs) != len(wants) {
		for _, e := range rowErrs {
			t.Log(e)
		}
		t.Fatalf("got %d row errors, want %d", len(rowErrs), len(wants))
	}
	for i, w := range wants {
		e := rowErrs[i]
		if e.Line != w.line || e.Field != w.field || e.Order != w.order || !strings.Contains(e.Reason, w.reason) {
			t.Errorf("row error %d = %+v, want %+v", i, e, w)
		}
	}
	// 3009 was poisoned by the orphan row too, but its own conflict is
	// the reported reason; 3013 never became an order.
	if _, ok := m["3013"]; ok {
		t.Error("3013 imported from an unreadable row")
	}
}

func TestParseShopifyExport(t *testing.T) {
	orders, rowErrs, err := Parse(bytes.NewReader(open(t, "shopify_export.csv")))
	if err != nil {
		t.Fatal(err)
	}
	if len(rowErrs) != 0 {
		t.Fatalf("row errors: %v", rowErrs)
	}
	if len(orders) != 2 {
		t.Fatalf("orders = %d", len(orders))
	}
	o := orders[0]
	want := model.Order{
		Source:            model.SourceShopify,
		ExternalID:        "5820183011455",
		Number:            "#1042",
		PlacedAt:          time.Date(2025, 3, 14, 14, 21, 7, 0, time.UTC),
		Currency:          "USD",
		TotalCents:        7499,
		SubtotalCents:     6300,
		ShippingCents:     695,
		TaxCents:          504,
		DiscountCents:     700,
		FinancialStatus:   "paid",
		FulfillmentStatus: "fulfilled",
		Customer: model.Customer{
			Email: "maya.okafor@example.com", FirstName: "Maya", LastName: "Okafor", AcceptsEmailMarketing: ptr(true),
		},
		ShippingAddress: model.Address{
			Name: "Maya Okafor", Line1: "1200 Bardstown Rd", Line2: "Apt 3", City: "Louisville", Region: "KY",
			PostalCode: "40204", Country: "US", Phone: "+15025550123",
		},
		Items: []model.LineItem{
			{ExternalID: "#1042:1", SKU: "TOTE-NAT", Title: "Canvas Tote - Natural", Quantity: 1, PriceCents: 3800},
			{ExternalID: "#1042:2", SKU: "MUG-SAGE", Title: "Enamel Mug - Sage", Quantity: 2, PriceCents: 1600},
		},
		Acquisition: model.Acquisition{Source: "facebook", Campaign: "spring_launch", AdAngle: "gift-for-mom", SourceName: "web"},
		Note:        "Please leave with the neighbour at #5 if nobody's home.",
		Tags:        []string{"gift", "spring-launch"},
	}
	if !reflect.DeepEqual(o, want) {
		t.Errorf("#1042\n got %+v\nwant %+v", o, want)
	}
	ca := orders[1]
	if ca.Currency != "CAD" || ca.Customer.Email != "" || ca.Customer.Phone != "+1 514-555-0177" ||
		ca.ShippingAddress.City != "Montréal" || ca.Customer.FirstName != "Élodie" || ca.Acquisition.SourceName != "pos" ||
		ca.Customer.AcceptsEmailMarketing == nil || *ca.Customer.AcceptsEmailMarketing {
		t.Errorf("#1043 = %+v", ca)
	}
}

func TestParseShopifyExportWithoutID(t *testing.T) {
	src := strings.Replace(string(open(t, "shopify_export.csv")), ",Id,", ",Order Id,", 1)
	orders, _, err := Parse(strings.NewReader(src))
	if err != nil || len(orders) != 2 || orders[0].Source != model.SourceCSV || orders[0].ExternalID != "#1042" {
		t.Errorf("orders = %+v, %v", orders, err)
	}
}

func TestParseFatal(t *testing.T) {
	scenarios := []struct {
		name string
		in   string
		want error
		msg  string
	}{
		{"empty", "", ErrEmpty, ""},
		{"only bom", "\uFEFF", ErrEmpty, ""},
		{"unknown header", "a,b,c\n1,2,3\n", ErrUnknownFormat, ""},
		{"missing required", "order_number,email\n1,a@b.co\n", nil, "missing required column(s): placed_at, currency, total, quantity, sku or product_title"},
		{"duplicate column", "order_number,placed_at,email,currency,total,quantity,sku,sku\n", nil, "twice"},
		{"shopify missing lineitem price ok but total missing", "Name,Created at,Currency,Lineitem quantity,Lineitem name\n", nil, "missing required column(s): total"},
		{"binary", "\x00\x01\x02,\xff\xfe\n", ErrUnknownFormat, ""},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			orders, rowErrs, err := Parse(strings.NewReader(s.in))
			if err == nil || (s.want != nil && !errors.Is(err, s.want)) || (s.msg != "" && !strings.Contains(err.Error(), s.msg)) {
				t.Errorf("err = %v, want %v %q", err, s.want, s.msg)
			}
			if orders != nil || rowErrs != nil {
				t.Error("results alongside a fatal error")
			}
		})
	}
}

const miniHeader = "order_number,placed_at,email,currency,total,sku,quantity,price\n"

func TestFieldTooLarge(t *testing.T) {
	big := strings.Repeat("x", MaxFieldBytes+1)
	in := miniHeader +
		"1,2025-01-01,a@b.co,USD,1,SKU,1,1\n" +
		"2,2025-01-01,a@b.co,USD,1," + big + ",1,1\n" +
		"3,2025-01-01,a@b.co,USD,1,SKU,1,1\n"
	orders, rowErrs, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || len(rowErrs) != 1 || rowErrs[0].Line != 3 || rowErrs[0].Field != "sku" || rowErrs[0].Order != "2" {
		t.Errorf("orders %d, errs %+v", len(orders), rowErrs)
	}
}

// repeatReader yields header then the same row forever.
type repeatReader struct {
	header, row []byte
	sent        bool
	buf         []byte
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if !r.sent {
		r.sent = true
		r.buf = append(r.buf, r.header...)
	}
	for len(r.buf) < len(p) {
		r.buf = append(r.buf, r.row...)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func TestFileTooLarge(t *testing.T) {
	// Long rows so the byte limit trips before the row limit.
	row := []byte("1,2025-01-01,a@b.co,USD,1," + strings.Repeat("s", 5000) + ",1,1\n")
	_, _, err := Parse(&repeatReader{header: []byte(miniHeader), row: row})
	if !errors.Is(err, ErrFileTooLarge) {
		t.Errorf("err = %v", err)
	}
}

func TestTooManyRows(t *testing.T) {
	// Rows without an order number take the cheapest path through the
	// parser; the limit counts every data row regardless.
	var b bytes.Buffer
	b.WriteString(miniHeader)
	b.WriteString(strings.Repeat(",,,,,,,\n", MaxRows+1))
	orders, rowErrs, err := Parse(&b)
	if !errors.Is(err, ErrTooManyRows) || orders != nil || rowErrs != nil {
		t.Errorf("err = %v", err)
	}
}

func TestExactlyMaxRows(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(miniHeader)
	b.WriteString(strings.Repeat(",,,,,,,\n", MaxRows))
	_, rowErrs, err := Parse(&b)
	if err != nil || len(rowErrs) != MaxRows {
		t.Errorf("err = %v, %d row errors", err, len(rowErrs))
	}
}

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(miniHeader)
	for i := range 2000 {
		fmt.Fprintf(&b, "%d,2025-01-01,a@b.co,USD,1,S,1,1\n", i)
	}
	size := int64(b.Len())
	var calls []Progress
	orders, _, err := ParseWithOptions(&b, Options{Size: size, Progress: func(p Progress) { calls = append(calls, p) }})
	if err != nil || len(orders) != 2000 {
		t.Fatalf("%d orders, %v", len(orders), err)
	}
	// Every 1,000 rows, and the final report is not repeated.
	if len(calls) != 2 || calls[0].Rows != 1000 || calls[1].Rows != 2000 {
		t.Fatalf("calls = %+v", calls)
	}
	last := calls[1]
	if last.Bytes != size || last.TotalBytes != size || calls[0].Bytes > size || calls[0].Bytes == 0 {
		t.Errorf("bytes = %+v (size %d)", calls, size)
	}
}

func TestOrderRowsNotAdjacent(t *testing.T) {
	in := miniHeader +
		"A,2025-01-01,a@b.co,USD,3,S1,1,1\n" +
		"B,2025-01-01,b@b.co,USD,1,S1,1,1\n" +
		"A,2025-01-01,a@b.co,USD,3,S2,2,1\n"
	orders, rowErrs, err := Parse(strings.NewReader(in))
	if err != nil || len(rowErrs) != 0 || len(orders) != 2 || len(orders[0].Items) != 2 {
		t.Errorf("orders %+v errs %v %v", orders, rowErrs, err)
	}
}

func TestValidationMapsToLines(t *testing.T) {
	in := "order_number,placed_at,email,currency,total,sku,quantity,price,ship_country,first_name\n" +
		"A,2025-01-01,a@b.co,USD,3,S1,1,1,US,Ann\n" +
		"A,2025-01-01,,USD,3,S2,1,1,,\n" +
		"B,2025-01-01,not-an-email,USD,3,S1,1,1,Germany," + strings.Repeat("n", 201) + "\n" +
		"C,1850-01-01,c@b.co,DOLLARS,3,S1,1,1,US,\n"
	orders, rowErrs, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 || orders[0].Number != "A" {
		t.Errorf("orders = %+v", orders)
	}
	got := map[string]bool{}
	for _, e := range rowErrs {
		got[fmt.Sprintf("%d %s %s", e.Line, e.Field, e.Order)] = true
	}
	for _, w := range []string{"4 email B", "4 ship_country B", "4 first_name B", "5 placed_at C", "5 currency C"} {
		if !got[w] {
			t.Errorf("missing row error %q in %+v", w, rowErrs)
		}
	}
}

func TestRowErrorString(t *testing.T) {
	e := RowError{Line: 7, Field: "quantity", Reason: "must be greater than 0", Order: "1002"}
	if e.Error() != "line 7, quantity: must be greater than 0 (order 1002 not imported)" {
		t.Errorf("got %q", e.Error())
	}
}

func TestDetectFormat(t *testing.T) {
	if f, err := DetectFormat(Columns); err != nil || f != FormatPorchlight {
		t.Errorf("Columns: %v %v", f, err)
	}
	if f, err := DetectFormat([]string{"\uFEFFName", " Lineitem  Quantity ", "LINEITEM NAME"}); err != nil || f != FormatShopify {
		t.Errorf("shopify: %v %v", f, err)
	}
}

// errReader fails after some bytes.
type errReader struct{ r io.Reader }

func (e errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReaderError(t *testing.T) {
	_, _, err := Parse(errReader{strings.NewReader(miniHeader + "1,2025-01-01,a@b.co,USD,1,S,1,1\n")})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v", err)
	}
}
