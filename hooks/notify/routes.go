package notify

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/brand"
	"porchlight/hooks/notify/render"
	"porchlight/hooks/notify/sms"
	"porchlight/hooks/schema"
	"porchlight/hooks/token"
)

func (n *Notifier) bindRoutes(se *core.ServeEvent) {
	if n.d.Inbox != nil {
		n.d.Inbox.Bind(se, PathTwilioInbound, SourceTwilioInbound, n.twilioVerifier(SourceTwilioInbound))
		n.d.Inbox.Bind(se, PathTwilioStatus, SourceTwilioStatus, n.twilioVerifier(SourceTwilioStatus))
	}
	se.Router.GET(PathClick+"{id}/{n}", n.click)
	se.Router.GET("/u/{token}", n.unsubscribePage)
	se.Router.POST("/u/{token}", n.unsubscribePost).Bind(apis.BodyLimit(4 << 10))
	admin := se.Router.Group("/api/notify")
	admin.Bind(apis.RequireSuperuserAuth())
	admin.GET("/messages/{id}/preview", n.previewMessage)
	admin.GET("/templates/{id}/preview", n.previewTemplate)
	admin.GET("/flows/{id}/results", n.flowResults)
}

var unsubPage = template.Must(template.New("u").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Shop}}: email preferences</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d1d1b}button{font:inherit;padding:.6rem 1rem;border-radius:6px;border:1px solid #1f5f4a;background:#1f5f4a;color:#fff}</style>
</head><body>
<h1>{{.Shop}}</h1>
{{if .NotFound}}<p>This link is not valid any more.</p>{{else}}
{{if .Done}}<p>{{.Done}}</p>{{end}}
<p>Marketing emails (review requests, tips, reminders) to <strong>{{.Email}}</strong> are <strong>{{if .Subscribed}}on{{else}}off{{end}}</strong>.
Order and delivery updates are always sent.</p>
<form method="post">{{if .Subscribed}}<input type="hidden" name="action" value="unsubscribe"><button>Unsubscribe from marketing emails</button>
{{else}}<input type="hidden" name="action" value="resubscribe"><button>Subscribe again</button>{{end}}</form>
{{end}}
</body></html>`))

type unsubView struct {
	Shop, Email, Done    string
	Subscribed, NotFound bool
}

func (n *Notifier) customerByToken(app core.App, tok string) *core.Record {
	if !token.Valid(tok) {
		return nil
	}
	c, err := app.FindFirstRecordByData(schema.CCustomers, schema.Customers.UnsubscribeToken, tok)
	if err != nil {
		return nil
	}
	return c
}

func (n *Notifier) renderUnsub(e *core.RequestEvent, code int, v unsubView) error {
	b, _ := brand.Load(e.App)
	v.Shop = b.Name
	var sb strings.Builder
	if err := unsubPage.Execute(&sb, v); err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.HTML(code, sb.String())
}

// unsubscribePage shows the preference and a button; a GET never changes
// anything (mail scanners follow links).
func (n *Notifier) unsubscribePage(e *core.RequestEvent) error {
	c := n.customerByToken(e.App, e.Request.PathValue("token"))
	if c == nil {
		return n.renderUnsub(e, http.StatusNotFound, unsubView{NotFound: true})
	}
	return n.renderUnsub(e, http.StatusOK, unsubView{Email: c.GetString(schema.Customers.Email), Subscribed: c.GetBool(schema.Customers.EmailMarketing)})
}

// unsubscribePost handles the page's form and RFC 8058 one-click POSTs
// (body "List-Unsubscribe=One-Click", no cookies, no login).
func (n *Notifier) unsubscribePost(e *core.RequestEvent) error {
	c := n.customerByToken(e.App, e.Request.PathValue("token"))
	if c == nil {
		return n.renderUnsub(e, http.StatusNotFound, unsubView{NotFound: true})
	}
	body, _ := io.ReadAll(io.LimitReader(e.Request.Body, 4<<10))
	form, _ := parseForm(string(body))
	oneClick := form["List-Unsubscribe"] == "One-Click"
	subscribe := !oneClick && form["action"] == "resubscribe"
	f := schema.Customers
	var log []map[string]any
	_ = c.UnmarshalJSONField(f.ConsentLog, &log)
	src := "unsubscribe_page"
	if oneClick {
		src = "list_unsubscribe_one_click"
	}
	log = append(log, map[string]any{"at": n.clock.Now().UTC().Format(time.RFC3339), "source": src, "email_marketing": subscribe})
	c.Set(f.ConsentLog, log)
	c.Set(f.EmailMarketing, subscribe)
	if err := e.App.Save(c); err != nil {
		return e.InternalServerError("", err)
	}
	if oneClick {
		return e.String(http.StatusOK, "unsubscribed\n")
	}
	done := "You're unsubscribed from marketing emails."
	if subscribe {
		done = "You're subscribed to marketing emails again."
	}
	return n.renderUnsub(e, http.StatusOK, unsubView{Email: c.GetString(f.Email), Subscribed: subscribe, Done: done})
}

func parseForm(s string) (map[string]string, error) {
	out := map[string]string{}
	vals, err := url.ParseQuery(s)
	for k, v := range vals {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out, err
}

// previewMessage shows a message as the recipient sees (or will see) it:
// the stored rendering once sent, else a strict render now, which fails on
// missing variables instead of sending blanks. ?part=text for the text
// alternative.
func (n *Notifier) previewMessage(e *core.RequestEvent) error {
	rec, err := e.App.FindRecordById(schema.CMessages, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("Unknown message.", err)
	}
	m := schema.Messages
	subj, html, text := rec.GetString(m.Subject), rec.GetString(m.BodyHTML), rec.GetString(m.BodyText)
	if text == "" {
		s, err := loadSubject(e.App, rec)
		if err != nil {
			return e.InternalServerError("", err)
		}
		b, _ := brand.Load(e.App)
		subj, html, text, _, err = n.compose(e.App, rec, s, b, true)
		if err != nil {
			return e.JSON(http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		}
	}
	e.Response.Header().Set("X-Message-Subject", strings.ReplaceAll(subj, "\n", " "))
	if rec.GetString(m.Channel) == schema.ChannelSMS || e.Request.URL.Query().Get("part") == "text" || html == "" {
		return e.String(http.StatusOK, text)
	}
	return e.HTML(http.StatusOK, html)
}

// previewTemplate renders a template with sample data, strictly, and for
// SMS reports its segments (a warning above one).
func (n *Notifier) previewTemplate(e *core.RequestEvent) error {
	r, err := e.App.FindRecordById(schema.CTemplates, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("Unknown template.", err)
	}
	t := schema.Templates
	tmpl := render.Template{Subject: r.GetString(t.Subject), Body: r.GetString(t.Body)}
	b, _ := brand.Load(e.App)
	if r.GetString(t.Channel) == schema.ChannelSMS {
		body, err := render.PreviewSMS(tmpl, render.SampleVars())
		if err != nil {
			return e.JSON(http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
		}
		info := sms.Segments(body)
		out := map[string]any{"body": body, "segments": info.Segments, "encoding": info.Encoding, "chars": info.Chars, "per_segment": info.PerSegment}
		if info.Segments > 1 {
			out["warning"] = fmt.Sprintf("this SMS is %d segments (%s); keep it to one", info.Segments, info.Encoding)
		}
		return e.JSON(http.StatusOK, out)
	}
	_, html, _, err := render.PreviewEmail(tmpl, render.SampleVars(), render.Brand{Name: b.Name, PrimaryColor: b.PrimaryColor})
	if err != nil {
		return e.JSON(http.StatusUnprocessableEntity, map[string]string{"error": err.Error()})
	}
	return e.HTML(http.StatusOK, html)
}

// validateTemplate refuses to save a template that does not check, and
// notes an SMS template's segment count (warning above one).
func (n *Notifier) validateTemplate(e *core.RecordEvent) error {
	t := schema.Templates
	r := e.Record
	ch := r.GetString(t.Channel)
	if ch == "" {
		ch = schema.ChannelEmail
	}
	checked := false // the embedded defaults were checked when loaded
	if defs, err := n.defaults(); err == nil {
		d, ok := defs[r.GetString(t.Key)+"."+ch]
		checked = ok && d.Subject == r.GetString(t.Subject) && d.Body == r.GetString(t.Body)
	}
	if !checked {
		if err := render.Check(r.GetString(t.Subject), r.GetString(t.Body), render.Channel(ch)); err != nil {
			return errors.New("template: " + err.Error())
		}
	}
	if ch == schema.ChannelSMS {
		body, _ := render.SMS(render.Template{Body: r.GetString(t.Body)}, render.SampleVars())
		info := sms.Segments(body)
		note := fmt.Sprintf("Segments: %d (%s, %d chars with sample data)", info.Segments, info.Encoding, info.Chars)
		if info.Segments > 1 {
			note += " WARNING: more than one segment"
		}
		lines := strings.Split(r.GetString(t.Notes), "\n")
		kept := lines[:0]
		for _, l := range lines {
			if !strings.HasPrefix(l, "Segments: ") && l != "" {
				kept = append(kept, l)
			}
		}
		r.Set(t.Notes, strings.Join(append([]string{note}, kept...), "\n"))
	}
	return e.Next()
}

// VariantResult is how one A/B arm of a flow did.
type VariantResult struct {
	Variant   string `json:"variant"`
	Sent      int    `json:"sent"`
	Delivered int    `json:"delivered"`
	Clicked   int    `json:"clicked"`
	Orders90d int    `json:"orders_90d"` // orders by the recipient within 90 days after the message
}

// Results computes per-variant results of a flow.
func Results(app core.App, flowID string) ([]VariantResult, error) {
	m := schema.Messages
	recs, err := app.FindAllRecords(schema.CMessages, dbx.HashExp{m.Flow: flowID}, dbx.In(m.Status, schema.MsgSent, schema.MsgDelivered))
	if err != nil {
		return nil, err
	}
	by := map[string]*VariantResult{}
	var order []string
	for _, r := range recs {
		k := r.GetString(m.Variant)
		v := by[k]
		if v == nil {
			v = &VariantResult{Variant: k}
			by[k] = v
			order = append(order, k)
		}
		v.Sent++
		if r.GetString(m.Status) == schema.MsgDelivered || !r.GetDateTime(m.DeliveredAt).IsZero() {
			v.Delivered++
		}
		if !r.GetDateTime(m.ClickedAt).IsZero() {
			v.Clicked++
		}
		if cid := r.GetString(m.Customer); cid != "" {
			sent := r.GetDateTime(m.SentAt).Time()
			o := schema.Orders
			k, _ := app.CountRecords(schema.COrders, dbx.HashExp{o.Customer: cid},
				dbx.NewExp(o.PlacedAt+" > {:a} AND "+o.PlacedAt+" <= {:b}", dbx.Params{"a": schema.DBTime(sent), "b": schema.DBTime(sent.Add(90 * 24 * time.Hour))}))
			v.Orders90d += int(k)
		}
	}
	out := make([]VariantResult, 0, len(order))
	for _, k := range order {
		out = append(out, *by[k])
	}
	return out, nil
}

func (n *Notifier) flowResults(e *core.RequestEvent) error {
	res, err := Results(e.App, e.Request.PathValue("id"))
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"variants": res})
}
