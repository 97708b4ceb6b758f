// Package pages serves Porchlight's shopper-facing pages: tracking lookup,
// order status, gift view, guides, static assets. Pages are server-rendered
// HTML that works without JavaScript, branded from the brand record and
// localised (en, es, de, fr).
package pages

import (
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/clock"
	"porchlight/hooks/pages/i18n"
)

// Deps is what the pages capability needs from the outside.
type Deps struct {
	Clock     clock.Clock
	Templates fs.FS // page templates (embedded, possibly overlaid)
	Public    fs.FS // static assets served from the site root
	// Limits of failed lookups; zero values take the defaults.
	Limits Limits
}

// Pages is the registered capability; tests use it to render directly.
type Pages struct {
	deps     Deps
	views    *Views
	i18n     *i18n.Bundle
	limiter  *limiter
	recorder *viewRecorder
	cache    *siteCache
}

// Register parses the templates and catalogues (failing start-up when one
// is broken) and binds the shopper routes, the token re-issue route and the
// brand contrast check.
func Register(app core.App, d Deps) (*Pages, error) {
	if d.Clock == nil {
		d.Clock = clock.Real{}
	}
	views, err := LoadViews(d.Templates, d.Public, template.FuncMap{})
	if err != nil {
		return nil, err
	}
	bundle, err := i18n.Default()
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	p := &Pages{deps: d, views: views, i18n: bundle, limiter: newLimiter(d.Limits.withDefaults()), recorder: newViewRecorder(app), cache: newSiteCache(app)}
	bindContrastNotes(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		gz := apis.Gzip()
		se.Router.GET("/track", p.track).Bind(gz)
		se.Router.POST("/track", p.lookup).Bind(gz, apis.BodyLimit(8<<10))
		se.Router.GET("/t/{token}", p.orderStatus).Bind(gz)
		se.Router.POST("/t/{token}/help", p.helpRequest).Bind(gz, apis.BodyLimit(16<<10))
		se.Router.POST("/t/{token}/sms", p.smsOptIn).Bind(gz, apis.BodyLimit(4<<10))
		se.Router.GET("/g/{token}", p.giftView).Bind(gz)
		se.Router.GET("/guides/{slug}", p.guide).Bind(gz)
		se.Router.POST("/api/pages/orders/{id}/tokens", p.reissueTokens).Bind(apis.RequireSuperuserAuth())
		if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
			se.Router.GET("/{path...}", p.static()).Bind(gz)
		}
		return se.Next()
	})
	return p, nil
}

// static serves pb_public with long caching for fingerprinted URLs.
func (p *Pages) static() func(*core.RequestEvent) error {
	files := apis.Static(p.deps.Public, false)
	return func(e *core.RequestEvent) error {
		if e.Request.URL.Query().Get("v") != "" {
			e.Response.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			e.Response.Header().Set("Cache-Control", "public, max-age=300")
		}
		return files(e)
	}
}

// page is the data every template gets.
type page struct {
	Lang    string
	L       *i18n.Localizer
	Langs   []langLink
	Nonce   string
	Brand   brand.Brand
	Theme   theme
	Year    int
	Path    string // current path, for the language switcher
	Title   string
	Text    string
	Error   string
	Hint    string
	Number  string
	Contact string
	// Order status page.
	Order     orderView
	Shipments []shipmentView
	Parcel    *shipmentView // /track?number= view
	Guide     *guideView
}

type langLink struct {
	Code, Name, Href string
	Current          bool
}

func (p *Pages) base(e *core.RequestEvent) (page, error) {
	b, err := brand.Load(e.App)
	if err != nil {
		e.App.Logger().Error("pages: load brand", "err", err)
		return page{}, err
	}
	return p.baseFor(e, b), nil
}

func (p *Pages) baseFor(e *core.RequestEvent, b brand.Brand) page {
	q := e.Request.URL.Query().Get("lang")
	locale := p.i18n.Negotiate(q, e.Request.Header.Get("Accept-Language"), b.Locale)
	l := p.i18n.For(locale)
	data := page{
		Lang: l.Tag().String(), L: l, Nonce: newNonce(), Brand: b, Theme: themeFor(b),
		Year: p.deps.Clock.Now().Year(), Path: e.Request.URL.Path,
	}
	for _, code := range p.i18n.Locales() {
		data.Langs = append(data.Langs, langLink{Code: code, Name: p.i18n.For(code).Name(), Href: e.Request.URL.Path + "?lang=" + code, Current: code == locale})
	}
	return data
}

// render writes an HTML page with the security headers every shopper page
// carries. Tokens live in URLs, hence no-referrer.
func (p *Pages) render(e *core.RequestEvent, code int, name string, data page) error {
	out, err := p.views.Render(name, data)
	if err != nil {
		e.App.Logger().Error("render page", "page", name, "err", err)
		return p.fail(e)
	}
	setHeaders(e, data.Nonce)
	return e.Blob(code, "text/html; charset=utf-8", out)
}

func setHeaders(e *core.RequestEvent, nonce string) {
	h := e.Response.Header()
	h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; style-src 'self' 'nonce-%s'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'", nonce))
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
}

// fail shows the friendly error page in the shopper's language; details go
// to the log (the callers log them), never the page.
func (p *Pages) fail(e *core.RequestEvent) error {
	b := brand.Default()
	if loaded, err := brand.Load(e.App); err == nil {
		b = loaded
	}
	data := p.baseFor(e, b)
	data.Title, data.Text = data.L.T("error.heading"), data.L.T("error.message")
	out, err := p.views.Render("message", data)
	if err != nil {
		return e.String(http.StatusInternalServerError, "Something went wrong. Please try again in a minute.")
	}
	setHeaders(e, data.Nonce)
	return e.Blob(http.StatusInternalServerError, "text/html; charset=utf-8", out)
}

func (p *Pages) notFound(e *core.RequestEvent) error {
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	data.Title, data.Text = data.L.T("error.not_found_heading"), data.L.T("error.not_found_message")
	return p.render(e, http.StatusNotFound, "message", data)
}

// tooMany is the friendly 429 page of the lookup rate limit.
func (p *Pages) tooMany(e *core.RequestEvent, wait time.Duration) error {
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	mins := int((wait + time.Minute - 1) / time.Minute)
	if mins < 1 {
		mins = 1
	}
	data.Title = data.L.T("ratelimit.title")
	data.Text = data.L.T("ratelimit.message") + " " + data.L.Plural("ratelimit.retry", mins)
	e.Response.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	return p.render(e, http.StatusTooManyRequests, "message", data)
}

func isNotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }
