package notify

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"porchlight/hooks/schema"
)

// PathClick is the tracked-link redirect: /c/{message id}/{link index}.
const PathClick = "/c/"

var hrefAttr = regexp.MustCompile(`href="(https?://[^"]+)"`)

// trackLinks rewrites the http(s) links of an email's HTML to go through
// /c/{id}/{n} so a click is counted for the message (and its A/B variant),
// and returns the original targets. The unsubscribe link is left alone, and
// the plain-text alternative keeps the real URLs.
func trackLinks(htmlBody, base, msgID, unsubscribe string) (string, []string) {
	var targets []string
	out := hrefAttr.ReplaceAllStringFunc(htmlBody, func(m string) string {
		raw := hrefAttr.FindStringSubmatch(m)[1]
		target := html.UnescapeString(raw)
		if unsubscribe != "" && target == unsubscribe {
			return m
		}
		targets = append(targets, target)
		return `href="` + html.EscapeString(base+PathClick+msgID+"/"+strconv.Itoa(len(targets)-1)) + `"`
	})
	return out, targets
}

// click records the first click on a message and redirects to the link.
func (n *Notifier) click(e *core.RequestEvent) error {
	rec, err := e.App.FindRecordById(schema.CMessages, e.Request.PathValue("id"))
	if err != nil {
		return e.Redirect(http.StatusFound, n.baseURL()+"/track")
	}
	var links []string
	_ = rec.UnmarshalJSONField(schema.MessageNotify.Links, &links)
	i, err := strconv.Atoi(e.Request.PathValue("n"))
	if err != nil || i < 0 || i >= len(links) || !(strings.HasPrefix(links[i], "https://") || strings.HasPrefix(links[i], "http://")) {
		return e.Redirect(http.StatusFound, n.baseURL()+"/track")
	}
	if rec.GetDateTime(schema.Messages.ClickedAt).IsZero() {
		rec.Set(schema.Messages.ClickedAt, n.clock.Now())
		if err := e.App.Save(rec); err != nil {
			e.App.Logger().Warn("notify: record click", "message", rec.Id, "err", err)
		}
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.Redirect(http.StatusFound, links[i])
}
