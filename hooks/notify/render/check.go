package render

import (
	"errors"
	"fmt"
	"strings"
)

// Template is a message template as stored: a subject (email only) and a
// body (Markdown for email, plain text for SMS).
type Template struct {
	Subject string
	Body    string
}

// Channel is where a template is sent.
type Channel string

const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Check validates a template when it is saved and when the app boots. It
// reports every problem it finds (joined with errors.Join), each a
// *TemplateError naming the part, line, column and variable: syntax errors,
// unknown variables, lists used as values, item fields used outside their
// list, an empty body, and for email an empty subject. The subject is
// ignored for SMS. A template without such problems is then rendered once
// with SampleVars, so size and nesting limits also fail here, not at send
// time.
func Check(subject, body string, ch Channel) error {
	var errs []error
	parts := []struct{ name, src string }{{"body", body}}
	switch ch {
	case ChannelEmail:
		parts = append([]struct{ name, src string }{{"subject", subject}}, parts...)
		if strings.TrimSpace(subject) == "" {
			errs = append(errs, &TemplateError{Part: "subject", Msg: "subject is empty"})
		} else if strings.ContainsAny(subject, "\r\n") {
			errs = append(errs, &TemplateError{Part: "subject", Msg: "subject must be a single line"})
		}
	case ChannelSMS:
	default:
		return fmt.Errorf("unknown channel %q", ch)
	}
	if strings.TrimSpace(body) == "" {
		errs = append(errs, &TemplateError{Part: "body", Msg: "body is empty"})
	}
	for _, p := range parts {
		tree, err := parse(p.src, p.name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		validate(tree, p.name, &scope{}, &errs)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	// A trial render with sample data catches what only rendering shows:
	// output over the size limit, HTML nested too deeply for mail clients.
	var err error
	if ch == ChannelEmail {
		_, _, _, err = Email(Template{Subject: subject, Body: body}, SampleVars(), Brand{Name: "Sample"})
	} else {
		_, err = SMS(Template{Body: body}, SampleVars())
	}
	if err != nil {
		return fmt.Errorf("trial render with sample data: %w", err)
	}
	return nil
}
