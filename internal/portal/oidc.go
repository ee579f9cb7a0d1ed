package portal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"papers/internal/store"
)

// OIDC is the council's identity provider, for signing in with OpenID
// Connect (Microsoft Entra ID, Google Workspace or any other). A zero
// Issuer means there is none.
type OIDC struct {
	Issuer       string // the provider's issuer URL, as its discovery document gives it
	ClientID     string
	ClientSecret string
	// RedirectURL is the portal's callback as the provider knows it: the
	// portal's public address followed by OIDCCallbackPath.
	RedirectURL string
	Scopes      []string // DefaultOIDCScopes when empty
	Label       string   // the button's words, e.g. "Sign in with Microsoft"
	// HTTPClient talks to the provider; nil is a client with the portal's
	// time and size bounds (oidcClient).
	HTTPClient *http.Client
}

// Identity-provider settings and bounds.
const (
	// OIDCCallbackPath is where the provider sends the browser back.
	OIDCCallbackPath = "/signin/oidc/callback"
	// oidcFlowTTL is how long a sign-in at the provider may take, from the
	// button to the callback.
	oidcFlowTTL = 10 * time.Minute
	// oidcWait bounds each call to the provider: discovery, keys, the
	// token exchange.
	oidcWait = 10 * time.Second
	// oidcRetry is how long after a failed discovery the portal tries again.
	oidcRetry = 15 * time.Second
	// oidcBodyLimit bounds every response read from the provider.
	oidcBodyLimit = 1 << 20
	// oidcParamLimit bounds each callback parameter and oidcQueryLimit the
	// whole query: a code is a few hundred characters at most.
	oidcParamLimit = 4096
	oidcQueryLimit = 8192
	// oidcUsedLimit bounds how many finished sign-ins are remembered (for
	// oidcFlowTTL) so that none is used twice.
	oidcUsedLimit = 10000
	oidcCookie    = "papers_oidc"
)

// DefaultOIDCScopes are the scopes asked for when none are configured.
var DefaultOIDCScopes = []string{oidc.ScopeOpenID, "email", "profile"}

// identityProvider is the configured provider, discovered at start-up or,
// if it could not be reached then, at the first sign-in with it.
type identityProvider struct {
	cfg    OIDC
	client *http.Client
	now    func() time.Time

	retry time.Duration // oidcRetry; shorter in tests

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
	failedAt time.Time // when discovery last failed; zero if it has not
	lastErr  error
	used     map[string]time.Time // finished sign-ins' states → when they expire
}

func newIdentityProvider(cfg OIDC, now func() time.Time) *identityProvider {
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultOIDCScopes
	}
	if cfg.Label == "" {
		cfg.Label = "Sign in with your organisation's account"
	}
	c := cfg.HTTPClient
	if c == nil {
		c = oidcClient()
	}
	return &identityProvider{cfg: cfg, client: c, now: now, retry: oidcRetry, used: map[string]time.Time{}}
}

// oidcClient is an HTTP client for the provider with a time bound on
// every request and a size bound on every response.
func oidcClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = oidcWait
	return &http.Client{Timeout: oidcWait, Transport: limitedTransport{t}}
}

// limitedTransport fails a response body that is longer than oidcBodyLimit.
type limitedTransport struct{ rt http.RoundTripper }

func (l limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := l.rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	res.Body = &limitedBody{rc: res.Body, left: oidcBodyLimit}
	return res, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

var errTooLong = fmt.Errorf("the identity provider's answer is longer than %d bytes", oidcBodyLimit)

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, errTooLong
		}
		return b.rc.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// discover reads the provider's discovery document, within oidcWait, unless
// it has been read already. After a failure it waits oidcRetry before
// trying again, so a provider that is down is not asked at every click.
func (p *identityProvider) discover(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth != nil {
		return p.oauth, p.verifier, nil
	}
	now := time.Now()
	if !p.failedAt.IsZero() && now.Sub(p.failedAt) < p.retry {
		return nil, nil, p.lastErr
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, p.client), oidcWait)
	defer cancel()
	prov, err := oidc.NewProvider(ctx, p.cfg.Issuer)
	if err != nil {
		p.failedAt, p.lastErr = now, fmt.Errorf("discover the identity provider %s: %w", p.cfg.Issuer, err)
		return nil, nil, p.lastErr
	}
	p.oauth = &oauth2.Config{
		ClientID:     p.cfg.ClientID,
		ClientSecret: p.cfg.ClientSecret,
		Endpoint:     prov.Endpoint(),
		RedirectURL:  p.cfg.RedirectURL,
		Scopes:       p.cfg.Scopes,
	}
	// The verifier checks the signature against the provider's published
	// keys (fetched with the bounded client), the issuer, the audience (our
	// client ID) and the expiry, by the portal's clock.
	p.verifier = prov.VerifierContext(oidc.ClientContext(context.Background(), p.client), &oidc.Config{ClientID: p.cfg.ClientID, Now: p.now})
	p.failedAt, p.lastErr = time.Time{}, nil
	return p.oauth, p.verifier, nil
}

// markUsed records that a sign-in's state has been used, and reports false
// if it had been already (or too many are remembered to tell).
func (p *identityProvider) markUsed(state string, expires, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := tokenHash(state)
	if _, seen := p.used[key]; seen {
		return false
	}
	if len(p.used) >= oidcUsedLimit {
		for k, exp := range p.used {
			if now.After(exp) {
				delete(p.used, k)
			}
		}
		if len(p.used) >= oidcUsedLimit {
			return false
		}
	}
	p.used[key] = expires
	return true
}

// oidcFlow is what the browser carries, sealed, between the button and the
// callback: it binds the sign-in to this browser.
type oidcFlow struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"` // the PKCE code verifier
	Next     string    `json:"x"`
	Expires  time.Time `json:"e"`
}

// seal encrypts and authenticates f under the portal's process key: the
// browser can neither read the PKCE verifier nor change anything.
func (s *Server) seal(f oidcFlow) string {
	b, _ := json.Marshal(f)
	aead := s.oidcAEAD()
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, b, []byte(oidcCookie)))
}

func (s *Server) open(v string) (oidcFlow, bool) {
	var f oidcFlow
	if len(v) > 2048 {
		return f, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	aead := s.oidcAEAD()
	if err != nil || len(raw) < aead.NonceSize() {
		return f, false
	}
	b, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(oidcCookie))
	if err != nil || json.Unmarshal(b, &f) != nil {
		return f, false
	}
	return f, true
}

func (s *Server) oidcAEAD() cipher.AEAD {
	key := sha256.Sum256(append([]byte("papers oidc flow\x00"), s.anonKey...))
	block, _ := aes.NewCipher(key[:])
	aead, _ := cipher.NewGCM(block)
	return aead
}

// oidcStart sends the browser to the provider with a new state, nonce and
// PKCE challenge, remembered in a sealed cookie for oidcFlowTTL.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.idp == nil {
		s.notFound(w, r)
		return
	}
	next := r.URL.Query().Get("next")
	if v, err := s.visitorOf(r); err == nil && v != nil {
		http.Redirect(w, r, localPath(next), http.StatusSeeOther)
		return
	}
	oauth, _, err := s.idp.discover(r.Context())
	if err != nil {
		s.log.WarnContext(r.Context(), "sign-in with the identity provider: it cannot be reached", "err", err)
		s.idpDown(w, r)
		return
	}
	f := oidcFlow{State: randomToken(), Nonce: randomToken(), Verifier: oauth2.GenerateVerifier(), Next: localPath(next), Expires: s.now().Add(oidcFlowTTL)}
	c := s.cookie(r, oidcCookie, s.seal(f), int(oidcFlowTTL/time.Second))
	http.SetCookie(w, c)
	http.Redirect(w, r, oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusSeeOther)
}

func (s *Server) idpDown(w http.ResponseWriter, r *http.Request) {
	msg := "The council's sign-in service cannot be reached just now. Try again in a few minutes."
	if s.cfg.Passwords() {
		msg += " If you have a password for this portal, you can sign in with it instead."
	}
	s.errorPage(w, r, nil, http.StatusServiceUnavailable, "Sign-in is not available", msg+" If it keeps happening, tell "+administrator+".")
}

// oidcRestart is the page for a sign-in that cannot be finished: nothing
// about why is given away beyond "start again".
func (s *Server) oidcRestart(w http.ResponseWriter, r *http.Request, why string) {
	s.log.WarnContext(r.Context(), "sign-in with the identity provider refused", "reason", why, "address", s.clientAddress(r))
	http.SetCookie(w, s.cookie(r, oidcCookie, "", -1))
	s.errorPage(w, r, nil, http.StatusBadRequest, "Sign-in was not finished",
		"This sign-in had expired, was started in another browser or window, or was used already. Go to the sign-in page and start again.")
}

// oidcCallback finishes a sign-in at the provider: it checks the state
// against this browser's cookie (once only), exchanges the code with the
// PKCE verifier, verifies the ID token and its nonce, and signs in the
// account whose email the provider has verified.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.idp == nil {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	if len(r.URL.RawQuery) > oidcQueryLimit || !boundedParams(q) {
		s.oidcRestart(w, r, "callback parameters too long or repeated")
		return
	}
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		s.oidcRestart(w, r, "no sign-in cookie")
		return
	}
	f, ok := s.open(c.Value)
	now := s.now()
	switch {
	case !ok:
		s.oidcRestart(w, r, "sign-in cookie not ours")
		return
	case now.After(f.Expires):
		s.oidcRestart(w, r, "sign-in expired")
		return
	case !hmac.Equal([]byte(q.Get("state")), []byte(f.State)):
		s.oidcRestart(w, r, "state does not match")
		return
	case !s.idp.markUsed(f.State, f.Expires, now):
		s.oidcRestart(w, r, "state used already")
		return
	}
	http.SetCookie(w, s.cookie(r, oidcCookie, "", -1))
	if e := q.Get("error"); e != "" {
		s.log.WarnContext(r.Context(), "the identity provider did not sign the visitor in", "error", short(e), "description", short(q.Get("error_description")))
		s.errorPage(w, r, nil, http.StatusForbidden, "Sign-in was not finished",
			"The council's sign-in service did not sign you in. Go to the sign-in page and try again; if it keeps happening, tell "+administrator+".")
		return
	}
	oauth, verifier, err := s.idp.discover(r.Context())
	if err != nil {
		s.log.WarnContext(r.Context(), "sign-in with the identity provider: it cannot be reached", "err", err)
		s.idpDown(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), oauth2.HTTPClient, s.idp.client), oidcWait)
	defer cancel()
	tok, err := oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.log.WarnContext(r.Context(), "sign-in with the identity provider: the code was not accepted", "err", err)
		s.errorPage(w, r, nil, http.StatusBadGateway, "Sign-in was not finished",
			"The council's sign-in service did not confirm who you are. Go to the sign-in page and start again; if it keeps happening, tell "+administrator+".")
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		s.oidcUntrusted(w, r, errors.New("no id_token in the token response"))
		return
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		s.oidcUntrusted(w, r, err)
		return
	}
	if !hmac.Equal([]byte(idt.Nonce), []byte(f.Nonce)) {
		s.oidcUntrusted(w, r, errors.New("the ID token's nonce is not this sign-in's"))
		return
	}
	// Microsoft Entra ID sends no email_verified: its optional claim
	// xms_edov ("email domain owner verified") says the same, for an
	// address in a domain the tenant has verified.
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		DomainOwner   any    `json:"xms_edov"`
	}
	if err := idt.Claims(&claims); err != nil {
		s.oidcUntrusted(w, r, err)
		return
	}
	email := strings.TrimSpace(claims.Email)
	if email == "" || !(verified(claims.EmailVerified) || verified(claims.DomainOwner)) {
		s.log.WarnContext(r.Context(), "sign-in with the identity provider refused: no verified email", "email", email, "subject", idt.Subject)
		s.errorPage(w, r, nil, http.StatusForbidden, "Your email address is not confirmed",
			"The council's sign-in service did not confirm your email address, and this portal finds your account by it. Ask "+administrator+" to check your account with the sign-in service.")
		return
	}
	u, err := s.db.UserByEmail(r.Context(), email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, nil, err)
		return
	}
	ip := s.clientAddress(r)
	if err != nil || u.Disabled {
		if err == nil {
			s.audit(r.Context(), u.Email, "user.signin.failed", "", "account disabled; sign-in (oidc) from "+ip)
		} else {
			s.log.WarnContext(r.Context(), "sign-in with the identity provider refused: no account", "email", email)
		}
		s.noAccount(w, r, email)
		return
	}
	if err := s.signInAs(w, r, u, now, "sign-in (oidc) from "+ip); err != nil {
		s.serverError(w, r, nil, err)
		return
	}
	next := f.Next
	if next == "/" {
		next = homeOf(u.Role)
	}
	if u.MustChangePassword && s.cfg.Passwords() {
		next = "/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// noAccount is the page for a person the provider knows who has no papers
// account they may use: the same for no account and a disabled one.
func (s *Server) noAccount(w http.ResponseWriter, r *http.Request, email string) {
	s.errorPage(w, r, nil, http.StatusForbidden, "You do not have an account here",
		fmt.Sprintf("You signed in as %s, but this portal has no account you can use with that email address. Accounts, and what each person may do, are set up here by the clerks: ask %s to add you.", email, accountKeeper))
}

// oidcUntrusted is the page for an answer from the provider that fails a
// check (signature, issuer, audience, expiry, nonce).
func (s *Server) oidcUntrusted(w http.ResponseWriter, r *http.Request, err error) {
	s.log.WarnContext(r.Context(), "sign-in with the identity provider refused: the ID token failed a check", "err", err, "address", s.clientAddress(r))
	s.errorPage(w, r, nil, http.StatusForbidden, "Sign-in was not finished",
		"The answer from the council's sign-in service could not be trusted, so you were not signed in. Go to the sign-in page and start again; if it keeps happening, tell "+administrator+".")
}

// boundedParams reports whether every parameter of a callback is within
// oidcParamLimit and given once.
func boundedParams(q url.Values) bool {
	for _, vs := range q {
		if len(vs) > 1 || len(vs[0]) > oidcParamLimit {
			return false
		}
	}
	return true
}

// verified reads an email_verified claim: true, or "true" as some
// providers send it.
func verified(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// short is s cut for a log line.
func short(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// ValidateOIDC checks an identity provider's settings before the portal
// starts.
func ValidateOIDC(o OIDC) error {
	u, err := url.Parse(o.Issuer)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname()))):
		return fmt.Errorf("issuer %q is not an https:// address", o.Issuer)
	case o.ClientID == "":
		return errors.New("no client_id")
	case o.ClientSecret == "":
		return errors.New("no client secret")
	}
	ru, err := url.Parse(o.RedirectURL)
	if err != nil || ru.Host == "" || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Path != OIDCCallbackPath {
		return fmt.Errorf("redirect URL %q must be the portal's address followed by %s", o.RedirectURL, OIDCCallbackPath)
	}
	return nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
