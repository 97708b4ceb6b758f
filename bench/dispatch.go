package main

import (
	"bufio"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// smtpSink is a minimal loopback SMTP server that accepts and discards
// every message (no TLS, no auth): the far end of the dispatch phase.
type smtpSink struct {
	ln       net.Listener
	received atomic.Int64
	wg       sync.WaitGroup
}

func startSMTPSink() (*smtpSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smtpSink{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	return s, nil
}

func (s *smtpSink) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpSink) Close() {
	s.ln.Close()
	s.wg.Wait()
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	say := func(line string) bool {
		w.WriteString(line + "\r\n")
		return w.Flush() == nil
	}
	if !say("220 sink.localhost ESMTP bench") {
		return
	}
	for {
		c.SetReadDeadline(time.Now().Add(time.Minute))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-sink.localhost\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SMTPUTF8")
		case strings.HasPrefix(cmd, "HELO"):
			say("250 sink.localhost")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 end with <CRLF>.<CRLF>")
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
			}
			s.received.Add(1)
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default: // MAIL, RCPT, RSET, NOOP
			say("250 ok")
		}
	}
}

// dispatchResult is one side of the dispatch comparison.
type dispatchResult struct {
	Sent    int
	Elapsed time.Duration
	Err     string
}

func (d dispatchResult) PerSecond() float64 {
	if d.Elapsed <= 0 {
		return 0
	}
	return float64(d.Sent) / d.Elapsed.Seconds()
}

// bareSMTP sends rendered messages to the sink over one kept-open
// connection for d: the ceiling any dispatcher can reach on this machine.
// It uses net/smtp because go-mail is not in go.mod yet (it arrives with the
// dispatcher); swap it for a go-mail loop then.
func bareSMTP(sink *smtpSink, d time.Duration) dispatchResult {
	c, err := smtp.Dial(net.JoinHostPort("127.0.0.1", strconv.Itoa(sink.Port())))
	if err != nil {
		return dispatchResult{Err: err.Error()}
	}
	defer c.Close()
	if err := c.Hello("bench.localhost"); err != nil {
		return dispatchResult{Err: err.Error()}
	}
	start := time.Now()
	sent := 0
	for time.Since(start) < d {
		to := "shopper" + strconv.Itoa(sent) + "@example.com"
		if err := sendOne(c, to, sent); err != nil {
			return dispatchResult{Sent: sent, Elapsed: time.Since(start), Err: fmt.Sprintf("send: %v", err)}
		}
		sent++
	}
	_ = c.Quit()
	return dispatchResult{Sent: sent, Elapsed: time.Since(start)}
}

func sendOne(c *smtp.Client, to string, n int) error {
	if err := c.Mail("hello@example.com"); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "From: Fernhill Coffee <hello@example.com>\r\nTo: %s\r\nSubject: Your order #%d is on its way\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b1\r\n\r\n"+
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Sam,\r\n\r\nYour parcel left our roastery today. Track it any time:\r\nhttps://shop.example.com/t/abcdefghijklmnopqrstuvwxyz\r\n"+
		"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi Sam,</p><p>Your parcel left our roastery today. <a href=\"https://shop.example.com/t/abcdefghijklmnopqrstuvwxyz\">Track it</a>.</p>\r\n--b1--\r\n",
		to, 100001+n)
	if err := w.Close(); err != nil {
		return err
	}
	return c.Reset()
}
