package notify_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"porchlight/hooks/notify"
	"porchlight/hooks/schema"
	"porchlight/hooks/testapp"
)

// Previews: superuser only; a sent message is shown as it went out, a
// scheduled one is rendered strictly so a missing variable fails the
// preview (the send itself renders it empty).
func TestPreviewAndTemplateChecks(t *testing.T) {
	e := newEnv(t, notify.Deps{})
	e.customerOrder(t, false)
	h := testapp.Handler(t, e.app)
	tok := testapp.Superuser(t, e.app)
	get := func(path string, auth bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if auth {
			req.Header.Set("Authorization", tok)
		}
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		return rr
	}
	conf := e.byKey(t, notify.IdempotencyKey(e.order.Id, schema.TrigOrderConfirmed, schema.ChannelEmail))
	path := "/api/notify/messages/" + conf.Id + "/preview"
	if rr := get(path, false); rr.Code != http.StatusUnauthorized {
		t.Fatalf("anonymous preview = %d", rr.Code)
	}
	rr := get(path, true)
	if rr.Code != http.StatusOK || !strings.Contains(rr.Body.String(), "House beans") || rr.Header().Get("X-Message-Subject") != "Thanks for your order #1001" {
		t.Fatalf("preview of a scheduled message = %d %q", rr.Code, rr.Header().Get("X-Message-Subject"))
	}

	// A merchant template with a typo: the preview names it, the send
	// still goes out (the variable renders empty).
	tp := schema.Templates
	tr, err := e.app.FindFirstRecordByFilter(schema.CTemplates, tp.Key+" = 'order_confirmed' && "+tp.Channel+" = 'email'")
	must(t, err)
	tr.Set(tp.Body, "Hi {{customer.first_name}}, order {{order.number}} is in.")
	must(t, e.app.Save(tr))
	// Bypass the save check to simulate a template that went stale.
	_, err = e.app.DB().Update(schema.CTemplates, dbx.Params{tp.Body: "Hi {{customer.frist_name}}"}, dbx.HashExp{schema.FID: tr.Id}).Execute()
	must(t, err)
	if rr := get(path, true); rr.Code != http.StatusUnprocessableEntity || !strings.Contains(rr.Body.String(), "customer.frist_name") {
		t.Fatalf("strict preview = %d %s", rr.Code, rr.Body)
	}
	e.dispatch(t)
	conf, _ = e.app.FindRecordById(schema.CMessages, conf.Id)
	if conf.GetString(schema.Messages.Status) != schema.MsgSent || !strings.HasPrefix(conf.GetString(schema.Messages.BodyText), "Hi") {
		t.Fatalf("send with a stale variable: %q %q", conf.GetString(schema.Messages.Status), conf.GetString(schema.Messages.BodyText))
	}
	if rr := get(path+"?part=text", true); rr.Code != http.StatusOK || !strings.HasPrefix(rr.Body.String(), "Hi") {
		t.Errorf("preview of the sent text = %d %q", rr.Code, rr.Body)
	}

	// Saving a broken template is refused.
	tr, _ = e.app.FindRecordById(schema.CTemplates, tr.Id)
	tr.Set(tp.Body, "Hello {{#order.items}}")
	if err := e.app.Save(tr); err == nil {
		t.Error("a template with an unclosed section was saved")
	}

	// SMS templates: segment count in the notes and in the preview, with a
	// warning above one segment.
	long := e.save(t, schema.CTemplates, map[string]any{tp.Key: "long", tp.Channel: schema.ChannelSMS, tp.Locale: "en",
		tp.Body: strings.Repeat("Your parcel is on its way. ", 7) + "{{links.tracking}}"})
	if notes := long.GetString(tp.Notes); !strings.Contains(notes, "Segments: 2") || !strings.Contains(notes, "WARNING") {
		t.Errorf("notes %q", notes)
	}
	rr = get("/api/notify/templates/"+long.Id+"/preview", true)
	var out struct {
		Segments int    `json:"segments"`
		Encoding string `json:"encoding"`
		Warning  string `json:"warning"`
	}
	_ = json.Unmarshal(rr.Body.Bytes(), &out)
	if rr.Code != http.StatusOK || out.Segments != 2 || out.Encoding == "" || out.Warning == "" {
		t.Errorf("SMS preview = %d %s", rr.Code, rr.Body)
	}
	short, err := e.app.FindFirstRecordByFilter(schema.CTemplates, tp.Key+" = 'shipped' && "+tp.Channel+" = 'sms'")
	must(t, err)
	rr = get("/api/notify/templates/"+short.Id+"/preview", true)
	if rr.Code != http.StatusOK || !strings.Contains(rr.Body.String(), `"segments":1`) || strings.Contains(rr.Body.String(), "warning") {
		t.Errorf("default SMS is not one segment: %s", rr.Body)
	}
}
