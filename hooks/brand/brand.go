// Package brand reads the single brand record: names, colours, contact
// details and the store policies (processing days, cutoff, return window,
// quiet hours...) that every capability consults.
package brand

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/clock"
	"porchlight/hooks/memo"
	"porchlight/hooks/schema"
)

// Brand is the typed view of the brand record.
type Brand struct {
	ID                  string
	Name                string
	LogoURL             string // served path of the uploaded logo, or the default
	PrimaryColor        string
	AccentColor         string
	BackgroundColor     string
	TextColor           string
	SupportEmail        string
	SupportPhone        string
	WebsiteURL          string
	Timezone            string
	Locale              string
	Locales             []string
	SenderName          string
	SenderEmail         string
	SMSFrom             string
	ProcessingDays      int
	OrderCutoffHour     int
	Holidays            []string // YYYY-MM-DD, merchant closures on top of public holidays
	ReturnWindowDays    int
	StoreCreditBonusPct int
	QuietStart          string
	QuietEnd            string
	ReviewURL           string
	DeliveryGraceHours  int
}

// DefaultLogo is the embedded logo served from pb_public.
const DefaultLogo = "/logo.svg"

// Default is what a new install starts with; the merchant edits it in /_/.
func Default() Brand {
	return Brand{
		Name: "My Store", LogoURL: DefaultLogo,
		PrimaryColor: "#1f5f4a", AccentColor: "#c8553d", BackgroundColor: "#fbfaf7", TextColor: "#1d1d1b",
		SupportEmail: "support@example.com", Timezone: "America/New_York", Locale: "en",
		Locales: []string{"en", "es", "de", "fr"}, SenderName: "My Store", SenderEmail: "hello@example.com",
		ProcessingDays: 1, OrderCutoffHour: 14, ReturnWindowDays: 30, StoreCreditBonusPct: 10,
		QuietStart: "08:00", QuietEnd: "21:00", DeliveryGraceHours: 24,
	}
}

// Location returns the brand's time zone, falling back to UTC when the
// merchant typed something unknown.
func (b Brand) Location() *time.Location {
	if loc, err := clock.Location(b.Timezone); err == nil && b.Timezone != "" {
		return loc
	}
	return time.UTC
}

// storeKey is where Register keeps the in-memory copy in the app's store
// (shared by the app and its transactions).
const storeKey = "porchlight:brand"

// Register keeps the brand in memory until the record changes: tracking
// events, messages and every shopper page read it, and it changes only when
// the merchant edits it. Calling it again is harmless.
func Register(app core.App) {
	if app.Store().Has(storeKey) {
		return
	}
	app.Store().Set(storeKey, memo.New[struct{}, Brand](app, schema.CBrand))
}

// Load reads the brand record, or Default() when none exists yet. After
// Register it answers from memory (see memo.Get for transactions).
func Load(app core.App) (Brand, error) {
	if m, ok := app.Store().Get(storeKey).(*memo.Memo[struct{}, Brand]); ok {
		return m.Get(app, struct{}{}, load)
	}
	return load(app)
}

func load(app core.App) (Brand, error) {
	rec, err := find(app)
	if errors.Is(err, sql.ErrNoRows) {
		return Default(), nil
	}
	if err != nil {
		return Default(), fmt.Errorf("load brand: %w", err)
	}
	return FromRecord(rec), nil
}

func find(app core.App) (*core.Record, error) {
	recs, err := app.FindRecordsByFilter(schema.CBrand, "", "created", 1, 0)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, sql.ErrNoRows
	}
	return recs[0], nil
}

// FromRecord maps a brand record onto Brand, keeping defaults for blanks.
func FromRecord(r *core.Record) Brand {
	f, d := schema.Brand, Default()
	str := func(name, def string) string {
		if v := r.GetString(name); v != "" {
			return v
		}
		return def
	}
	num := func(name string, def int) int {
		if r.GetString(name) == "" {
			return def
		}
		return r.GetInt(name)
	}
	b := Brand{
		ID: r.Id, Name: str(f.Name, d.Name), LogoURL: d.LogoURL,
		PrimaryColor: str(f.PrimaryColor, d.PrimaryColor), AccentColor: str(f.AccentColor, d.AccentColor),
		BackgroundColor: str(f.BackgroundColor, d.BackgroundColor), TextColor: str(f.TextColor, d.TextColor),
		SupportEmail: str(f.SupportEmail, ""), SupportPhone: r.GetString(f.SupportPhone),
		WebsiteURL: r.GetString(f.WebsiteURL), Timezone: str(f.Timezone, d.Timezone), Locale: str(f.Locale, d.Locale),
		Locales: r.GetStringSlice(f.Locales), SenderName: str(f.SenderName, r.GetString(f.Name)),
		SenderEmail: str(f.SenderEmail, d.SenderEmail), SMSFrom: r.GetString(f.SMSFrom),
		ProcessingDays: num(f.ProcessingDays, d.ProcessingDays), OrderCutoffHour: num(f.OrderCutoffHour, d.OrderCutoffHour),
		ReturnWindowDays: num(f.ReturnWindowDays, d.ReturnWindowDays), StoreCreditBonusPct: num(f.StoreCreditBonusPct, d.StoreCreditBonusPct),
		QuietStart: str(f.QuietStart, d.QuietStart), QuietEnd: str(f.QuietEnd, d.QuietEnd),
		ReviewURL: r.GetString(f.ReviewURL), DeliveryGraceHours: num(f.DeliveryGraceHours, d.DeliveryGraceHours),
	}
	if len(b.Locales) == 0 {
		b.Locales = d.Locales
	}
	_ = r.UnmarshalJSONField(f.Holidays, &b.Holidays)
	if logo := r.GetString(f.Logo); logo != "" {
		b.LogoURL = "/api/files/" + r.Collection().Id + "/" + r.Id + "/" + logo
	}
	return b
}

// Apply writes b onto a brand record (used by seeding).
func Apply(r *core.Record, b Brand) {
	f := schema.Brand
	r.Set(f.Name, b.Name)
	r.Set(f.PrimaryColor, b.PrimaryColor)
	r.Set(f.AccentColor, b.AccentColor)
	r.Set(f.BackgroundColor, b.BackgroundColor)
	r.Set(f.TextColor, b.TextColor)
	r.Set(f.SupportEmail, b.SupportEmail)
	r.Set(f.SupportPhone, b.SupportPhone)
	r.Set(f.WebsiteURL, b.WebsiteURL)
	r.Set(f.Timezone, b.Timezone)
	r.Set(f.Locale, b.Locale)
	r.Set(f.Locales, b.Locales)
	r.Set(f.SenderName, b.SenderName)
	r.Set(f.SenderEmail, b.SenderEmail)
	r.Set(f.SMSFrom, b.SMSFrom)
	r.Set(f.ProcessingDays, b.ProcessingDays)
	r.Set(f.OrderCutoffHour, b.OrderCutoffHour)
	r.Set(f.Holidays, b.Holidays)
	r.Set(f.ReturnWindowDays, b.ReturnWindowDays)
	r.Set(f.StoreCreditBonusPct, b.StoreCreditBonusPct)
	r.Set(f.QuietStart, b.QuietStart)
	r.Set(f.QuietEnd, b.QuietEnd)
	r.Set(f.ReviewURL, b.ReviewURL)
	r.Set(f.DeliveryGraceHours, b.DeliveryGraceHours)
}

// Ensure creates the brand record from b when none exists; an existing
// record (the merchant's) is never overwritten.
func Ensure(app core.App, b Brand) error {
	if _, err := find(app); err == nil {
		return nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("ensure brand: %w", err)
	}
	col, err := app.FindCachedCollectionByNameOrId(schema.CBrand)
	if err != nil {
		return fmt.Errorf("ensure brand: %w", err)
	}
	rec := core.NewRecord(col)
	Apply(rec, b)
	if err := app.Save(rec); err != nil {
		return fmt.Errorf("ensure brand: %w", err)
	}
	return nil
}
