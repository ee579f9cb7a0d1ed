package mail_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"papers/internal/mail"
	"papers/internal/mail/mailtest"
)

func config(srv *mailtest.Server) mail.Config {
	return mail.Config{Host: srv.Host, Port: srv.Port, Username: mailtest.User, Password: mailtest.Password,
		From: "Democratic Services <papers@council.example>", RootCAs: srv.RootCAs, Timeout: 10 * time.Second}
}

var day = time.Date(2021, 1, 11, 7, 0, 0, 0, time.UTC)

func message() mail.Message {
	return mail.Message{To: "Ann Officer <ann@council.example>", Subject: "Your return for 2021-Q1 is due on Friday 15 January 2021",
		Text: "Dear Ann,\n\nYour return is due.\nLine with = and é.\n", Date: day, ID: "reminder/1"}
}

func TestSendOverSTARTTLSWithAuth(t *testing.T) {
	srv := mailtest.Start(t)
	s, err := mail.New(config(srv))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(got))
	}
	m := got[0]
	if !m.TLS || !m.Authed {
		t.Errorf("session: TLS %v, authenticated %v; want both", m.TLS, m.Authed)
	}
	if m.From != "papers@council.example" || len(m.To) != 1 || m.To[0] != "ann@council.example" {
		t.Errorf("envelope from %q to %q", m.From, m.To)
	}
	for h, want := range map[string]string{
		"From":    `"Democratic Services" <papers@council.example>`,
		"To":      `"Ann Officer" <ann@council.example>`,
		"Date":    "Mon, 11 Jan 2021 07:00:00 +0000",
		"Subject": "Your return for 2021-Q1 is due on Friday 15 January 2021",
	} {
		if got := m.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if id := m.Header.Get("Message-Id"); !strings.HasSuffix(id, "@council.example>") {
		t.Errorf("Message-ID %q is not in the sender's domain", id)
	}
	if !strings.HasPrefix(m.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("Content-Type %q, want text/plain", m.Header.Get("Content-Type"))
	}
	if m.Body != message().Text {
		t.Errorf("body:\n%q\nwant\n%q", m.Body, message().Text)
	}
}

func TestHTMLAlternative(t *testing.T) {
	srv := mailtest.Start(t)
	s, _ := mail.New(config(srv))
	m := message()
	m.HTML = "<p>Your return is due.</p>"
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()[0]
	if !strings.HasPrefix(got.Header.Get("Content-Type"), "multipart/alternative") {
		t.Fatalf("Content-Type %q", got.Header.Get("Content-Type"))
	}
	if got.Body != m.Text || !bytes.Contains(got.Raw, []byte("<p>Your return is due.</p>")) {
		t.Errorf("text %q; raw has the HTML: %v", got.Body, bytes.Contains(got.Raw, []byte("<p>")))
	}
}

func TestSameMessageSameBytes(t *testing.T) {
	srv := mailtest.Start(t)
	s, _ := mail.New(config(srv))
	m := message()
	m.HTML = "<p>x</p>"
	a, err := s.Bytes(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Bytes(m)
	if !bytes.Equal(a, b) {
		t.Errorf("two renderings of one message differ:\n%s\n---\n%s", a, b)
	}
}

func TestRequiresSTARTTLS(t *testing.T) {
	srv := mailtest.StartPlain(t)
	s, err := mail.New(config(srv))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), message())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("sending to a server without STARTTLS: %v, want a STARTTLS error", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages went in the clear", n)
	}
}

func TestPlainOnlyToLoopback(t *testing.T) {
	srv := mailtest.StartPlain(t)
	cfg := config(srv)
	cfg.TLS = mail.None
	s, err := mail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), message()); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].TLS || !got[0].Authed {
		t.Errorf("plain send to loopback: %+v", got)
	}
	cfg.Host = "smtp.council.example"
	if _, err := mail.New(cfg); err == nil || !strings.Contains(err.Error(), "only to a server on this machine") {
		t.Errorf("tls none to a remote host: %v, want refused", err)
	}
}

func TestWrongPassword(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := config(srv)
	cfg.Password = "wrong"
	s, _ := mail.New(cfg)
	if err := s.Send(context.Background(), message()); err == nil || !strings.Contains(err.Error(), "AUTH") {
		t.Errorf("wrong password: %v, want an authentication error", err)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := config(srv)
	cfg.RootCAs = nil // the system's: the test certificate is not among them
	s, _ := mail.New(cfg)
	if err := s.Send(context.Background(), message()); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v, want a certificate error", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent to an untrusted server", n)
	}
}

func TestTimeout(t *testing.T) {
	srv := mailtest.Start(t)
	release := srv.Hold()
	defer release()
	cfg := config(srv)
	cfg.Timeout = 300 * time.Millisecond
	s, _ := mail.New(cfg)
	if err := s.Send(context.Background(), message()); err == nil {
		t.Error("a server that never answers: Send returned no error")
	}
}

func TestRefusesBadMessages(t *testing.T) {
	srv := mailtest.Start(t)
	s, _ := mail.New(config(srv))
	for name, change := range map[string]func(*mail.Message){
		"no recipient":      func(m *mail.Message) { m.To = "" },
		"bad recipient":     func(m *mail.Message) { m.To = "ann at council" },
		"header injection":  func(m *mail.Message) { m.Subject = "Hi\r\nBcc: everyone@example.com" },
		"subject too long":  func(m *mail.Message) { m.Subject = strings.Repeat("x", mail.MaxSubject+1) },
		"body too large":    func(m *mail.Message) { m.Text = strings.Repeat("x", mail.MaxBody+1) },
		"empty body":        func(m *mail.Message) { m.Text = " \n" },
		"no date":           func(m *mail.Message) { m.Date = time.Time{} },
		"recipient newline": func(m *mail.Message) { m.To = "ann@council.example\r\nBcc: x@example.com" },
	} {
		t.Run(name, func(t *testing.T) {
			m := message()
			change(&m)
			if err := s.Send(context.Background(), m); err == nil {
				t.Error("sent")
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d bad messages arrived", n)
	}
}

func TestConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		cfg  mail.Config
		want string
	}{
		"no host":           {mail.Config{From: "a@b.example"}, "mail.host"},
		"bad tls":           {mail.Config{Host: "h", From: "a@b.example", TLS: "ssl"}, "starttls, implicit or none"},
		"bad from":          {mail.Config{Host: "h", From: "nobody"}, "mail.from"},
		"user, no secret":   {mail.Config{Host: "h", From: "a@b.example", Username: "u"}, "password"},
		"port out of range": {mail.Config{Host: "h", From: "a@b.example", Port: 70000}, "mail.port"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := mail.New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
