package render

import "strings"

// SMS renders an SMS body for sending: plain text, values raw, line endings
// normalised, surrounding whitespace trimmed. Unknown variables render empty;
// broken syntax returns an error. Segment counting lives in package sms.
func SMS(t Template, v Vars) (string, error) {
	return smsBody(t, v, false)
}

// PreviewSMS renders like SMS but fails on unknown or misused variables.
func PreviewSMS(t Template, v Vars) (string, error) {
	return smsBody(t, v, true)
}

func smsBody(t Template, v Vars, strict bool) (string, error) {
	if strict {
		if err := Check("", t.Body, ChannelSMS); err != nil {
			return "", err
		}
	}
	tree, err := parse(t.Body, "body")
	if err != nil {
		return "", err
	}
	out, err := expandPlain(tree, &v)
	if err != nil {
		return "", err
	}
	out = strings.ReplaceAll(out, "\r\n", "\n")
	return strings.TrimSpace(out), nil
}
