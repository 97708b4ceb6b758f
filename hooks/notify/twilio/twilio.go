// Package twilio sends SMS through twilio-go's Messages API and validates
// Twilio's webhook signatures. Only the client and api/v2010 packages are
// imported (the root package pulls in every Twilio product).
//
// It does not import PocketBase; the notify dispatcher owns the queue.
package twilio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	twclient "github.com/twilio/twilio-go/client"
	twapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// Settings configure the sender.
type Settings struct {
	AccountSID, AuthToken string
	// From is an E.164 number or a Messaging Service SID (MG…).
	From string
	// StatusCallback is the absolute URL Twilio posts delivery updates to.
	StatusCallback string
	// HTTPClient lets tests point the real client at a loopback server.
	HTTPClient *http.Client
}

// Sender sends SMS.
type Sender struct {
	api      *twapi.ApiService
	from     string
	callback string
}

// New builds a sender on twilio-go's own client.
func New(s Settings) (*Sender, error) {
	if s.AccountSID == "" || s.AuthToken == "" || s.From == "" {
		return nil, errors.New("twilio: account SID, auth token and from are required")
	}
	c := &twclient.Client{Credentials: twclient.NewCredentials(s.AccountSID, s.AuthToken), HTTPClient: s.HTTPClient}
	c.SetAccountSid(s.AccountSID)
	return &Sender{api: twapi.NewApiServiceWithClient(c), from: s.From, callback: s.StatusCallback}, nil
}

// Error is a send failure with its class.
type Error struct {
	Temp   bool
	Status int // HTTP status, 0 for network errors
	Code   int // Twilio error code (21610 = recipient opted out, 21211 = invalid number)
	Err    error
}

func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("twilio error %d (HTTP %d): %v", e.Code, e.Status, e.Err)
	}
	return fmt.Sprintf("twilio: %v", e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Temporary says whether a retry may succeed.
func (e *Error) Temporary() bool { return e.Temp }

// Twilio error codes with a meaning for consent.
const (
	CodeOptedOut      = 21610 // the recipient replied STOP
	CodeInvalidNumber = 21211
)

// Send posts one message and returns its SID.
func (s *Sender) Send(to, body string) (string, error) {
	p := &twapi.CreateMessageParams{}
	p.SetTo(to).SetBody(body)
	if strings.HasPrefix(s.from, "MG") {
		p.SetMessagingServiceSid(s.from)
	} else {
		p.SetFrom(s.from)
	}
	if s.callback != "" {
		p.SetStatusCallback(s.callback)
	}
	m, err := s.api.CreateMessage(p)
	if err != nil {
		return "", classify(err)
	}
	if m == nil || m.Sid == nil {
		return "", &Error{Temp: true, Err: errors.New("response without a message SID")}
	}
	return *m.Sid, nil
}

// classify: 429 and 5xx are temporary, other API errors permanent, anything
// without an API error (network, timeouts) temporary.
func classify(err error) error {
	var re *twclient.TwilioRestError
	if errors.As(err, &re) {
		return &Error{Temp: re.Status == http.StatusTooManyRequests || re.Status >= 500, Status: re.Status, Code: re.Code, Err: err}
	}
	return &Error{Temp: true, Err: err}
}

// Validate checks X-Twilio-Signature of a form POST to fullURL (the URL as
// configured in Twilio, including any query string).
func Validate(authToken, fullURL string, form url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	params := make(map[string]string, len(form))
	for k, v := range form {
		params[k] = strings.Join(v, "")
	}
	rv := twclient.NewRequestValidator(authToken)
	return rv.Validate(fullURL, params, signature)
}
