// Package mail sends email over SMTP: the one place github.com/wneessen/go-mail
// is used. A Sender holds the server's settings; Send delivers one Message,
// plain text with an optional HTML alternative, within a time limit.
//
// The connection is encrypted by default: STARTTLS is required (the session
// fails rather than carry on in the clear), or TLS from the first byte
// (implicit TLS, usually port 465). An unencrypted session is allowed only to
// a server on this machine (loopback), for testing.
//
// A Message's content is the caller's: nothing in it is taken from the
// clock or from chance, so the same message is the same bytes. Its Date
// header is the time the caller gives.
package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// TLS is how the connection to the server is protected.
type TLS string

// TLS modes.
const (
	// StartTLS connects in the clear and switches to TLS with STARTTLS
	// before anything else is said; a server that does not offer it is
	// refused. The default, on port 587.
	StartTLS TLS = "starttls"
	// Implicit speaks TLS from the start (SMTPS), on port 465.
	Implicit TLS = "implicit"
	// None sends in the clear: allowed only to a loopback address.
	None TLS = "none"
)

// Limits on a message: the scheduler's messages are short, and a message
// that is not is a fault, not something to send.
const (
	MaxSubject = 200      // characters
	MaxBody    = 64 << 10 // bytes of the text, and of the HTML
)

// DefaultTimeout bounds one message's whole SMTP session when Config
// gives none.
const DefaultTimeout = 30 * time.Second

// Config is an SMTP server and how to use it.
type Config struct {
	Host     string
	Port     int // 0: 587 for StartTLS and None, 465 for Implicit
	Username string
	Password string // with Username: authentication is required
	From     string // the sender's address, "Democratic Services <papers@council.gov.uk>"
	TLS      TLS    // "": StartTLS
	// RootCAs, if set, are the certificate authorities the server's
	// certificate is checked against instead of the system's (a council's
	// own CA, or a test's).
	RootCAs *x509.CertPool
	Timeout time.Duration // 0: DefaultTimeout
}

// Message is one email to one recipient.
type Message struct {
	To      string // an address, optionally with a name: "Ann Officer <ann@council.gov.uk>"
	Subject string
	Text    string // the plain-text body
	HTML    string // optional: an HTML alternative to Text
	Date    time.Time
	// ID, if set, makes the Message-ID: the same ID gives the same header,
	// so a message sent again after a failure is recognisably the same one.
	ID string
}

// Sender sends messages through one SMTP server.
type Sender struct {
	cfg  Config
	from *netmail.Address
}

// New checks cfg and returns a Sender for it. It does not connect.
func New(cfg Config) (*Sender, error) {
	if strings.TrimSpace(cfg.Host) == "" {
		return nil, errors.New("no SMTP server: set mail.host")
	}
	if cfg.TLS == "" {
		cfg.TLS = StartTLS
	}
	switch cfg.TLS {
	case StartTLS, Implicit:
	case None:
		if !isLoopback(cfg.Host) {
			return nil, fmt.Errorf("mail.tls none sends passwords and messages in the clear: it is allowed only to a server on this machine (localhost), not %s; use starttls or implicit", cfg.Host)
		}
	default:
		return nil, fmt.Errorf("mail.tls %q: write starttls, implicit or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == Implicit {
			cfg.Port = 465
		}
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mail.port %d is not a port (1 to 65535)", cfg.Port)
	}
	if cfg.Username != "" && cfg.Password == "" {
		return nil, fmt.Errorf("mail.username %s has no password: set mail.password_file or mail.password_env", cfg.Username)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail.from %q is not an email address: %v", cfg.From, err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Sender{cfg: cfg, from: from}, nil
}

// From is the sender's address.
func (s *Sender) From() string { return s.from.Address }

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoadCAs reads PEM certificates from a file, for Config.RootCAs.
func LoadCAs(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mail.ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("mail.ca_file %s: no PEM certificate in it", path)
	}
	return pool, nil
}

// Check reports what is wrong with m, if anything, before it is sent.
func Check(m Message) error {
	to, err := netmail.ParseAddress(m.To)
	switch {
	case err != nil:
		return fmt.Errorf("recipient %q is not an email address: %v", m.To, err)
	case strings.ContainsAny(m.Subject, "\r\n"):
		return errors.New("the subject has a line break")
	case strings.TrimSpace(m.Subject) == "":
		return fmt.Errorf("the message to %s has no subject", to.Address)
	case utf8.RuneCountInString(m.Subject) > MaxSubject:
		return fmt.Errorf("the subject of the message to %s is longer than %d characters", to.Address, MaxSubject)
	case strings.TrimSpace(m.Text) == "":
		return fmt.Errorf("the message to %s has no text", to.Address)
	case len(m.Text) > MaxBody || len(m.HTML) > MaxBody:
		return fmt.Errorf("the message to %s is larger than %d KiB", to.Address, MaxBody>>10)
	case !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) || !utf8.ValidString(m.Subject):
		return fmt.Errorf("the message to %s is not valid UTF-8", to.Address)
	case m.Date.IsZero():
		return fmt.Errorf("the message to %s has no date", to.Address)
	}
	return nil
}

// Send delivers m, giving up after the configured timeout or when ctx
// ends, whichever comes first. An error says what failed (connecting,
// the TLS handshake, authentication, or the server refusing the message).
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	c, err := s.client()
	if err != nil {
		return err
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send to %s via %s:%d: %w", msg.GetToString()[0], s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}

// Bytes is m as it would be sent: for tests and previews.
func (s *Sender) Bytes(m Message) ([]byte, error) {
	msg, err := s.build(m)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func (s *Sender) build(m Message) (*gomail.Msg, error) {
	if err := Check(m); err != nil {
		return nil, err
	}
	id := m.ID
	if id == "" {
		id = m.To + "\x00" + m.Subject + "\x00" + m.Text + "\x00" + m.HTML + "\x00" + m.Date.UTC().Format(time.RFC3339Nano)
	}
	sum := sha256.Sum256([]byte(id))
	token := hex.EncodeToString(sum[:16])
	// A fixed boundary keeps a message with an HTML part the same bytes
	// each time; a body containing it is not possible (the text is hex).
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithBoundary("papers-"+token))
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.Date)
	domain := s.from.Address[strings.LastIndexByte(s.from.Address, '@')+1:]
	msg.SetMessageIDWithValue(token + "@" + domain)
	msg.SetUserAgent("papers")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// client is a go-mail client for one session.
func (s *Sender) client() (*gomail.Client, error) {
	tc := &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: s.cfg.RootCAs}
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithTLSConfig(tc),
	}
	switch s.cfg.TLS {
	case Implicit:
		opts = append(opts, gomail.WithSSL())
	case None:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.TLS == None {
			auth = gomail.SMTPAuthPlainNoEnc // loopback only: checked in New
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return c, nil
}
