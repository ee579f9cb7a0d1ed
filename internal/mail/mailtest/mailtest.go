// Package mailtest runs a real SMTP server on loopback for tests
// (github.com/emersion/go-smtp): STARTTLS with a certificate made for the
// test, AUTH PLAIN, and every message kept so a test can read back what
// arrived.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The account the server accepts.
const (
	User     = "papers"
	Password = "correct horse battery staple"
)

// Server is an SMTP server on 127.0.0.1.
type Server struct {
	Host string
	Port int
	// RootCAs trusts the server's certificate, which CAPEM holds as PEM
	// (for a config's mail.ca_file).
	RootCAs *x509.CertPool
	CAPEM   []byte

	srv *smtp.Server
	mu  sync.Mutex
	got []Received
	// fail is how many of the next messages are refused, with a temporary
	// error, after their data is read.
	fail int
	// hold, when set, delays every message's acceptance until it is closed.
	hold  chan struct{}
	plain bool // no TLS offered
}

// Received is a message as it arrived.
type Received struct {
	From   string   // MAIL FROM
	To     []string // RCPT TO
	Raw    []byte
	Header netmail.Header
	Body   string // the text/plain part, decoded
	TLS    bool   // the session was encrypted when the message came
	Authed bool   // the session had authenticated
}

// Start starts a server that requires STARTTLS before AUTH, and AUTH before
// MAIL; it stops at the end of the test.
func Start(t testing.TB) *Server { return start(t, true) }

// StartPlain starts a server that offers no TLS and takes AUTH PLAIN in the
// clear: what a client set to require STARTTLS must refuse.
func StartPlain(t testing.TB) *Server { return start(t, false) }

func start(t testing.TB, withTLS bool) *Server {
	t.Helper()
	cert, pool := certificate(t)
	s := &Server{RootCAs: pool, CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), plain: !withTLS}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, c: c}, nil })
	s.srv = smtp.NewServer(be)
	s.srv.Domain = "localhost"
	if withTLS {
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	} else {
		s.srv.AllowInsecureAuth = true
	}
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 1 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// FailNext makes the server refuse the next n messages.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.fail = n
	s.mu.Unlock()
}

// Hold makes the server keep each message waiting until release is called.
func (s *Server) Hold() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.hold = ch
	s.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// Messages returns the messages received so far, in order of arrival.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// To returns the messages received for one address.
func (s *Server) To(addr string) []Received {
	var out []Received
	for _, m := range s.Messages() {
		for _, r := range m.To {
			if strings.EqualFold(r, addr) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

type session struct {
	s      *Server
	c      *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (x *session) encrypted() bool {
	_, ok := x.c.TLSConnectionState()
	return ok
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(mech string) (sasl.Server, error) {
	if !x.encrypted() && !x.s.plain {
		return nil, smtp.ErrAuthUnsupported
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != User || password != Password {
			return smtp.ErrAuthFailed
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	hold := x.s.hold
	x.s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.fail > 0 {
		x.s.fail--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m := Received{From: x.from, To: append([]string(nil), x.to...), Raw: raw, TLS: x.encrypted(), Authed: x.authed}
	if pm, err := netmail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = pm.Header
		m.Body = textPart(pm)
	}
	x.s.got = append(x.s.got, m)
	return nil
}

func (x *session) Reset() { x.from, x.to = "", nil }

func (x *session) Logout() error { return nil }

// Subject is the message's subject, decoded.
func (m Received) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

// textPart decodes a single-part text message's body (quoted-printable,
// base64 or 8bit), or the text/plain part of a multipart one.
func textPart(pm *netmail.Message) string {
	body, _ := io.ReadAll(pm.Body)
	mt, params, _ := mime.ParseMediaType(pm.Header.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return ""
			}
			if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
				b, _ := io.ReadAll(p)
				return decode(p.Header.Get("Content-Transfer-Encoding"), b)
			}
		}
	}
	return decode(pm.Header.Get("Content-Transfer-Encoding"), body)
}

func decode(enc string, b []byte) string {
	switch strings.ToLower(enc) {
	case "quoted-printable":
		d, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
		if err == nil {
			return strings.ReplaceAll(string(d), "\r\n", "\n")
		}
	case "base64":
		d, err := io.ReadAll(base64Reader(b))
		if err == nil {
			return strings.ReplaceAll(string(d), "\r\n", "\n")
		}
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// certificate makes a self-signed certificate for 127.0.0.1 and localhost.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "papers test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func base64Reader(b []byte) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, strings.NewReader(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))))
}
