// Package pages serves Porchlight's shopper-facing pages: tracking lookup,
// order status, static assets. Pages are server-rendered HTML that works
// without JavaScript, branded from the brand record.
package pages

import (
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/clock"
)

// Deps is what the pages capability needs from the outside.
type Deps struct {
	Clock     clock.Clock
	Templates fs.FS // page templates (embedded, possibly overlaid)
	Public    fs.FS // static assets served from the site root
}

// Pages is the registered capability; tests use it to render directly.
type Pages struct {
	deps  Deps
	views *Views
}

// Register parses the templates (failing start-up when one is broken) and
// binds the shopper routes.
func Register(app core.App, d Deps) (*Pages, error) {
	views, err := LoadViews(d.Templates, d.Public, template.FuncMap{})
	if err != nil {
		return nil, err
	}
	p := &Pages{deps: d, views: views}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/track", p.lookupForm)
		se.Router.POST("/track", p.lookup).Bind(apis.BodyLimit(8 << 10))
		se.Router.GET("/t/{token}", p.orderStatus)
		if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
			se.Router.GET("/{path...}", p.static())
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
	Lang  string
	Nonce string
	Brand brand.Brand
	Theme theme
	// Page-specific fields.
	Title, Text     string
	Error           string
	Number, Contact string
	Order           orderView
	Shipments       []shipmentView
}

type theme struct{ Primary, Accent, Background, Text, OnPrimary string }

func (p *Pages) base(e *core.RequestEvent) (page, error) {
	b, err := brand.Load(e.App)
	if err != nil {
		return page{}, err
	}
	return page{
		Lang: b.Locale, Nonce: newNonce(), Brand: b,
		Theme: theme{Primary: b.PrimaryColor, Accent: b.AccentColor, Background: b.BackgroundColor, Text: b.TextColor, OnPrimary: "#ffffff"},
	}, nil
}

// render writes an HTML page with the security headers every shopper page
// carries. Tokens live in URLs, hence no-referrer.
func (p *Pages) render(e *core.RequestEvent, code int, name string, data page) error {
	out, err := p.views.Render(name, data)
	if err != nil {
		e.App.Logger().Error("render page", "page", name, "err", err)
		return p.fail(e)
	}
	h := e.Response.Header()
	h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'none'; style-src 'self' 'nonce-%s'; img-src 'self' data: https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'", data.Nonce))
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	return e.Blob(code, "text/html; charset=utf-8", out)
}

// fail shows the friendly error page; details go to the log, never the page.
func (p *Pages) fail(e *core.RequestEvent) error {
	b := brand.Default()
	if loaded, err := brand.Load(e.App); err == nil {
		b = loaded
	}
	data := page{Lang: b.Locale, Nonce: newNonce(), Brand: b, Title: "Something went wrong", Text: "We couldn't load this page. Please try again in a minute."}
	out, err := p.views.Render("message", data)
	if err != nil {
		return e.String(http.StatusInternalServerError, "Something went wrong. Please try again in a minute.")
	}
	return e.Blob(http.StatusInternalServerError, "text/html; charset=utf-8", out)
}

func (p *Pages) notFound(e *core.RequestEvent) error {
	data, err := p.base(e)
	if err != nil {
		return p.fail(e)
	}
	data.Title, data.Text = "We couldn't find that page", "The link may have expired or been mistyped. You can look up your order with its number and your email."
	return p.render(e, http.StatusNotFound, "message", data)
}

func isNotFound(err error) bool { return errors.Is(err, sql.ErrNoRows) }
