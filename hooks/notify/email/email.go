// Package email sends rendered messages over SMTP with go-mail: a small pool
// of SMTP connections (one go-mail connection carries one message at a time),
// optional DKIM signing, RFC 8058 one-click unsubscribe headers, and errors
// classified as temporary (4xx, network) or permanent (5xx).
//
// It does not import PocketBase; the notify dispatcher owns the queue.
package email

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Settings is how to reach the SMTP server.
type Settings struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is implicit TLS (port 465); otherwise STARTTLS is used when the
	// server offers it.
	TLS bool
	// Conns is how many SMTP connections send in parallel (default 4).
	Conns int
	// HELO name; default go-mail's.
	HELO string
	// DKIM signing, when Domain and Key are set.
	DKIMDomain, DKIMSelector string
	DKIMKey                  crypto.Signer
	Timeout                  time.Duration
}

// LoadDKIMKey reads a PEM private key (PKCS#1 or PKCS#8, RSA or Ed25519).
func LoadDKIMKey(path string) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read DKIM key: %w", err)
	}
	k, err := mail.PrivKeyFromPEM(b)
	if err != nil {
		return nil, fmt.Errorf("parse DKIM key %s: %w", path, err)
	}
	return k, nil
}

// Message is one email ready to send.
type Message struct {
	MessageID string // without angle brackets: "<id>@<domain>"
	FromName  string
	From      string
	// EnvelopeFrom is the SMTP MAIL FROM (bounces); default From.
	EnvelopeFrom string
	ReplyTo      string
	To           string
	Subject      string
	HTML         string
	Text         string
	// Unsubscribe is the https URL for List-Unsubscribe with RFC 8058
	// one-click POST; empty for transactional mail.
	Unsubscribe string
	// Headers are extra headers (X-Porchlight-Message, ...).
	Headers map[string]string
}

// Error is a send failure with its class.
type Error struct {
	Temp bool
	Code int // SMTP reply code when there was one
	Err  error
}

func (e *Error) Error() string {
	kind := "permanent"
	if e.Temp {
		kind = "temporary"
	}
	if e.Code != 0 {
		return fmt.Sprintf("smtp %s error %d: %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("smtp %s error: %v", kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Temporary says whether a retry may succeed.
func (e *Error) Temporary() bool { return e.Temp }

// Sender sends messages over a pool of SMTP connections.
type Sender struct {
	client *mail.Client
	dkim   *mail.DKIMSigner
	conns  chan *smtp.Client // idle connections; nil entries are slots to dial
	closed sync.Once
}

// New prepares a sender; connections are dialled on first use.
func New(s Settings) (*Sender, error) {
	if s.Host == "" {
		return nil, errors.New("email: no SMTP host")
	}
	if s.Port == 0 {
		s.Port = 587
	}
	if s.Conns <= 0 {
		s.Conns = 4
	}
	if s.Timeout <= 0 {
		s.Timeout = 20 * time.Second
	}
	opts := []mail.Option{mail.WithPort(s.Port), mail.WithTimeout(s.Timeout)}
	if s.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(s.Username), mail.WithPassword(s.Password))
	}
	if s.TLS {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSOpportunistic))
	}
	if s.HELO != "" {
		opts = append(opts, mail.WithHELO(s.HELO))
	}
	c, err := mail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("email: client: %w", err)
	}
	snd := &Sender{client: c, conns: make(chan *smtp.Client, s.Conns)}
	for range s.Conns {
		snd.conns <- nil
	}
	if s.DKIMDomain != "" && s.DKIMKey != nil {
		snd.dkim = mail.NewDKIMSigner(s.DKIMDomain, s.DKIMSelector, s.DKIMKey)
	}
	return snd, nil
}

// Conns is the pool size: how many messages may be in flight at once.
func (s *Sender) Conns() int { return cap(s.conns) }

// Build turns m into a go-mail message (exported for tests and previews).
func (s *Sender) Build(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(m.FromName, m.From); err != nil {
		return nil, &Error{Err: fmt.Errorf("from %q: %w", m.From, err)}
	}
	if err := msg.To(m.To); err != nil {
		return nil, &Error{Err: fmt.Errorf("to %q: %w", m.To, err)}
	}
	if m.EnvelopeFrom != "" {
		if err := msg.EnvelopeFrom(m.EnvelopeFrom); err != nil {
			return nil, &Error{Err: fmt.Errorf("envelope from %q: %w", m.EnvelopeFrom, err)}
		}
	}
	if m.ReplyTo != "" {
		_ = msg.ReplyTo(m.ReplyTo)
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	if m.Unsubscribe != "" {
		if err := msg.SetListUnsubscribeOneClick(m.Unsubscribe); err != nil {
			return nil, &Error{Err: err}
		}
	}
	for k, v := range m.Headers {
		msg.SetGenHeader(mail.Header(k), v)
	}
	if s != nil && s.dkim != nil {
		msg.SetDKIM(s.dkim)
	}
	return msg, nil
}

// Send delivers one message on a pooled connection and returns the
// Message-ID as the provider id. It blocks while every connection is busy.
func (s *Sender) Send(ctx context.Context, m Message) (string, error) {
	msg, err := s.Build(m)
	if err != nil {
		return "", err
	}
	var conn *smtp.Client
	select {
	case conn = <-s.conns:
	case <-ctx.Done():
		return "", &Error{Temp: true, Err: ctx.Err()}
	}
	healthy := false
	defer func() {
		if !healthy && conn != nil {
			_ = s.client.CloseWithSMTPClient(conn)
			conn = nil
		}
		s.conns <- conn
	}()
	if conn != nil {
		if err := s.client.ResetWithSMTPClient(conn); err != nil {
			_ = s.client.CloseWithSMTPClient(conn)
			conn = nil
		}
	}
	if conn == nil {
		conn, err = s.client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return "", classify(err)
		}
	}
	if err := s.client.SendWithSMTPClient(conn, msg); err != nil {
		return "", classify(err)
	}
	healthy = true
	id := msg.GetGenHeader(mail.HeaderMessageID)
	if len(id) > 0 {
		return strings.Trim(id[0], "<>"), nil
	}
	return m.MessageID, nil
}

// Close closes the idle connections.
func (s *Sender) Close() {
	s.closed.Do(func() {
		for range cap(s.conns) {
			if c := <-s.conns; c != nil {
				_ = s.client.CloseWithSMTPClient(c)
			}
		}
	})
}

// classify maps go-mail errors to temporary or permanent. SMTP 5xx replies
// are permanent; 4xx replies, timeouts and network errors are temporary.
func classify(err error) error {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case code >= 500:
			return &Error{Code: code, Err: err}
		case code >= 400:
			return &Error{Temp: true, Code: code, Err: err}
		}
		return &Error{Temp: true, Err: err}
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return &Error{Temp: tp.Code < 500, Code: tp.Code, Err: err}
	}
	return &Error{Temp: true, Err: err}
}
