package notify

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/notify/render"
	"porchlight/hooks/schema"
)

// DefaultLocale is the locale of the embedded templates.
const DefaultLocale = "en"

// defaultTemplate is one embedded message template.
type defaultTemplate struct {
	Key, Channel string
	render.Template
}

// loadDefaults reads messages/<key>.<channel>.md. An email file starts with
// "Subject: …" and a blank line. Every template is checked: a broken default
// fails at boot, not when the first delay email goes out.
func loadDefaults(fsys fs.FS) (map[string]defaultTemplate, error) {
	out := map[string]defaultTemplate{}
	entries, err := fs.ReadDir(fsys, "messages")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".md" {
			continue
		}
		key, ch, ok := strings.Cut(strings.TrimSuffix(name, ".md"), ".")
		if !ok || (ch != schema.ChannelEmail && ch != schema.ChannelSMS) {
			return nil, fmt.Errorf("messages/%s: name must be <key>.<email|sms>.md", name)
		}
		b, err := fs.ReadFile(fsys, "messages/"+name)
		if err != nil {
			return nil, err
		}
		src := strings.ReplaceAll(string(b), "\r\n", "\n")
		t := render.Template{Body: strings.TrimSpace(src)}
		if ch == schema.ChannelEmail {
			first, rest, _ := strings.Cut(src, "\n")
			subj, ok := strings.CutPrefix(first, "Subject:")
			if !ok {
				return nil, fmt.Errorf("messages/%s: first line must be \"Subject: …\"", name)
			}
			t = render.Template{Subject: strings.TrimSpace(subj), Body: strings.TrimSpace(rest)}
		}
		if err := render.Check(t.Subject, t.Body, render.Channel(ch)); err != nil {
			return nil, fmt.Errorf("messages/%s: %w", name, err)
		}
		out[key+"."+ch] = defaultTemplate{Key: key, Channel: ch, Template: t}
	}
	return out, nil
}

// FlowVariant is one arm of an A/B test: its share and its template.
type FlowVariant struct {
	Key         string `json:"key"`
	Weight      int    `json:"weight"`
	TemplateKey string `json:"template_key"`
}

// Conditions narrow a flow. Empty lists match everything.
type Conditions struct {
	ProductTypes   []string `json:"product_types,omitempty"`
	AdAngles       []string `json:"ad_angles,omitempty"`
	AcqSources     []string `json:"acq_sources,omitempty"`
	Countries      []string `json:"countries,omitempty"`
	CustomerStates []string `json:"customer_states,omitempty"`
	FirstOrder     *bool    `json:"first_order,omitempty"` // true: first orders only; false: repeat orders only
	MinTotalCents  int      `json:"min_total_cents,omitempty"`
	MaxTotalCents  int      `json:"max_total_cents,omitempty"`
}

type defaultFlow struct {
	name, trigger, channel, category string
	delayMinutes                     int
	cond                             Conditions
}

var defaultFlows = func() []defaultFlow {
	var out []defaultFlow
	out = append(out, defaultFlow{"Order confirmation (email)", schema.TrigOrderConfirmed, schema.ChannelEmail, schema.Transactional, 0, Conditions{}})
	for _, t := range []string{schema.TrigShipped, schema.TrigOutForDelivery, schema.TrigDelivered, schema.TrigDelayed,
		schema.TrigException, schema.TrigAvailableForPickup, schema.TrigFailedAttempt} {
		label := strings.ReplaceAll(t, "_", " ")
		label = strings.ToUpper(label[:1]) + label[1:]
		out = append(out,
			defaultFlow{label + " (email)", t, schema.ChannelEmail, schema.Transactional, 0, Conditions{}},
			defaultFlow{label + " (SMS)", t, schema.ChannelSMS, schema.Transactional, 0, Conditions{}})
	}
	out = append(out,
		defaultFlow{"Post-delivery tips (email)", schema.TrigPostDeliveryTips, schema.ChannelEmail, schema.Marketing, 3 * 24 * 60,
			Conditions{ProductTypes: []string{schema.TypeSetupHeavy, schema.TypeFitSensitive, schema.TypeConsumable}}},
		defaultFlow{"Review request (email)", schema.TrigReviewRequest, schema.ChannelEmail, schema.Marketing, 13 * 24 * 60, Conditions{}},
		defaultFlow{"Replenishment reminder (email)", schema.TrigReplenish, schema.ChannelEmail, schema.Marketing, 0,
			Conditions{ProductTypes: []string{schema.TypeConsumable}}},
	)
	return out
}()

// Seed creates the default templates and flows that are missing. Existing
// records are never touched: the merchant's edits win.
func (n *Notifier) Seed(app core.App) error {
	if n.d.Content == nil {
		return nil
	}
	defs, err := n.defaults()
	if err != nil {
		return fmt.Errorf("notify seed: %w", err)
	}
	return app.RunInTransaction(func(tx core.App) error {
		tcol, err := tx.FindCachedCollectionByNameOrId(schema.CTemplates)
		if err != nil {
			return err
		}
		t := schema.Templates
		for _, d := range defs {
			_, err := tx.FindFirstRecordByFilter(schema.CTemplates, t.Key+" = {:k} && "+t.Channel+" = {:c} && "+t.Locale+" = {:l}",
				dbx.Params{"k": d.Key, "c": d.Channel, "l": DefaultLocale})
			if err == nil {
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			r := core.NewRecord(tcol)
			r.Set(t.Key, d.Key)
			r.Set(t.Channel, d.Channel)
			r.Set(t.Locale, DefaultLocale)
			r.Set(t.Subject, d.Subject)
			r.Set(t.Body, d.Body)
			if err := tx.Save(r); err != nil {
				return fmt.Errorf("seed template %s.%s: %w", d.Key, d.Channel, err)
			}
		}
		fcol, err := tx.FindCachedCollectionByNameOrId(schema.CFlows)
		if err != nil {
			return err
		}
		f := schema.Flows
		for _, d := range defaultFlows {
			if _, err := tx.FindFirstRecordByData(schema.CFlows, f.Name, d.name); err == nil {
				continue
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			r := core.NewRecord(fcol)
			r.Set(f.Name, d.name)
			r.Set(f.Trigger, d.trigger)
			r.Set(f.Channel, d.channel)
			r.Set(f.Category, d.category)
			r.Set(f.DelayMinutes, d.delayMinutes)
			r.Set(f.Conditions, d.cond)
			r.Set(f.Variants, []FlowVariant{})
			r.Set(f.TemplateKey, d.trigger)
			r.Set(f.Active, true)
			if err := tx.Save(r); err != nil {
				return fmt.Errorf("seed flow %s: %w", d.name, err)
			}
		}
		return nil
	})
}
