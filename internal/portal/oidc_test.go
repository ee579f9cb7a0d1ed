package portal

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"papers/internal/store"
)

// provider is a real OpenID Connect provider on loopback (mockoidc), with a
// hook that can change the ID token it issues, re-signed with its own key
// (or another), to see that the portal checks each claim.
type provider struct {
	*mockoidc.MockOIDC
	mu     sync.Mutex
	tamper func(claims jwt.MapClaims) *rsa.PrivateKey // nil: issue tokens as they are
}

// newProvider starts a provider on ln (a new loopback listener when nil).
func newProvider(t testing.TB, ln net.Listener) *provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{MockOIDC: m}
	m.AddMiddleware(p.tamperTokens)
	if ln == nil {
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

func (p *provider) setTamper(f func(jwt.MapClaims) *rsa.PrivateKey) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamper = f
}

// tamperTokens rewrites the token endpoint's ID token when p.tamper is set.
func (p *provider) tamperTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		tamper := p.tamper
		p.mu.Unlock()
		if r.URL.Path != mockoidc.TokenEndpoint || tamper == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["id_token"] == nil {
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		parts := strings.Split(body["id_token"].(string), ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		claims := jwt.MapClaims{}
		json.Unmarshal(payload, &claims)
		key := tamper(claims)
		kp := p.Keypair
		if key != nil {
			kp, _ = mockoidc.NewKeypair(key)
		}
		signed, err := kp.SignJWT(claims)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		body["id_token"] = signed
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(body)
	})
}

// withProvider gives the portal p as its identity provider. The callback
// address is set by useProvider once the test server has its address.
func withProvider(p *provider) option {
	return func(c *Config) {
		c.OIDC = OIDC{Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret,
			RedirectURL: "http://127.0.0.1:1" + OIDCCallbackPath, Label: "Sign in with Example Council"}
	}
}

// providerHarness is newHarness with p as the identity provider, whose
// clock is the portal's.
func providerHarness(t *testing.T, p *provider, opts ...option) *harness {
	t.Helper()
	h := newHarness(t, append([]option{withProvider(p)}, opts...)...)
	useProvider(t, h, p)
	return h
}

func useProvider(t *testing.T, h *harness, p *provider) {
	t.Helper()
	idp := h.srv.idp
	idp.mu.Lock()
	idp.cfg.RedirectURL = h.ts.URL + OIDCCallbackPath
	if idp.oauth != nil {
		idp.oauth.RedirectURL = idp.cfg.RedirectURL
	}
	idp.mu.Unlock()
	was := mockoidc.NowFunc
	mockoidc.NowFunc = h.clock.Now
	t.Cleanup(func() { mockoidc.NowFunc = was })
}

// user queues who signs in at the provider next.
func (p *provider) user(email string, verified bool) {
	p.QueueUser(&mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: verified})
}

// oidcFlow is one sign-in at the provider, step by step.
type flowSteps struct {
	authorize *url.URL // where the portal sent the browser
	callback  string   // where the provider sent it back: a path and query on the portal
}

// startOIDC presses the button and lets the provider sign the browser in,
// stopping before the callback.
func (c *client) startOIDC(next string) flowSteps {
	c.t.Helper()
	path := "/signin/oidc"
	if next != "" {
		path += "?next=" + url.QueryEscape(next)
	}
	res := c.get(path)
	if res.status != http.StatusSeeOther {
		c.t.Fatalf("start: %d, want 303\n%s", res.status, res.body)
	}
	auth, err := url.Parse(res.header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	pr, err := c.c.Get(auth.String())
	if err != nil {
		c.t.Fatal(err)
	}
	pr.Body.Close()
	back, err := url.Parse(pr.Header.Get("Location"))
	if err != nil || pr.StatusCode != http.StatusFound {
		c.t.Fatalf("provider: %d %q", pr.StatusCode, pr.Header.Get("Location"))
	}
	if back.Host != strings.TrimPrefix(c.h.ts.URL, "http://") || back.Path != OIDCCallbackPath {
		c.t.Fatalf("the provider sent the browser to %s", back)
	}
	return flowSteps{authorize: auth, callback: back.RequestURI()}
}

// oidcSignIn signs in through the provider and returns the callback's answer.
func (c *client) oidcSignIn(next string) result {
	c.t.Helper()
	return c.get(c.startOIDC(next).callback)
}

// signedInAs reports whose session c holds: the name on the home page, or "".
func (c *client) signedInAs() string {
	c.t.Helper()
	res := c.get("/").follow(c)
	for _, n := range []string{"Clara Clerk", "Robert Henderson", "Jane Smith"} {
		if strings.Contains(res.body, n+` <span class="role">`) {
			return n
		}
	}
	return ""
}

func TestOIDCSignIn(t *testing.T) {
	p := newProvider(t, nil)
	h := providerHarness(t, p)

	t.Run("the clerk, email in another case, reaches the clerk's home", func(t *testing.T) {
		c := h.client()
		p.user("Clerk@Example.GOV.uk", true)
		steps := c.startOIDC("")
		q := steps.authorize.Query()
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 43 {
				t.Errorf("authorisation request: %s = %q, want a random value", k, q.Get(k))
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("client_id") != p.ClientID || q.Get("scope") != "openid email profile" {
			t.Errorf("authorisation request %s: want PKCE S256, our client ID and openid email profile", steps.authorize)
		}
		res := c.get(steps.callback)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/clerk" {
			t.Fatalf("callback: %d → %q, want 303 → /clerk\n%s", res.status, res.header.Get("Location"), res.body)
		}
		if who := c.signedInAs(); who != "Clara Clerk" {
			t.Errorf("signed in as %q, want Clara Clerk", who)
		}
		es := h.events("user.signin")
		if len(es) == 0 || es[len(es)-1].Actor != "clerk@example.gov.uk" || !strings.HasPrefix(es[len(es)-1].Detail, "sign-in (oidc) from ") {
			t.Errorf("audit log: %+v, want a sign-in (oidc) by the clerk", es)
		}
	})

	t.Run("an officer returns to the page they asked for", func(t *testing.T) {
		c := h.client()
		p.user("robert@example.gov.uk", true)
		next := h.qpath("/officer", "/return?owner=Robert+Henderson")
		res := c.oidcSignIn(next)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != next {
			t.Fatalf("callback: %d → %q, want 303 → %s", res.status, res.header.Get("Location"), next)
		}
		if got := c.get(next); got.status != http.StatusOK {
			t.Errorf("the return: %d", got.status)
		}
	})

	t.Run("a next leaving the site goes home instead", func(t *testing.T) {
		c := h.client()
		p.user("robert@example.gov.uk", true)
		res := c.oidcSignIn("/\t/evil.example/")
		if loc := res.header.Get("Location"); res.status != http.StatusSeeOther || loc != "/officer" {
			t.Errorf("callback: %d → %q, want 303 → /officer", res.status, loc)
		}
	})

	t.Run("Entra ID: no email_verified, but xms_edov", func(t *testing.T) {
		p.setTamper(func(c jwt.MapClaims) *rsa.PrivateKey { delete(c, "email_verified"); c["xms_edov"] = true; return nil })
		defer p.setTamper(nil)
		c := h.client()
		p.user("jane@example.gov.uk", false)
		if res := c.oidcSignIn(""); res.status != http.StatusSeeOther || c.signedInAs() != "Jane Smith" {
			t.Errorf("callback: %d, signed in as %q\n%.2000s", res.status, c.signedInAs(), res.body)
		}
	})

	t.Run("a session cookie brought along is replaced", func(t *testing.T) {
		jane := h.signedIn("jane@example.gov.uk")
		old := jarCookie(t, jane, sessionCookie)
		c := h.client()
		p.user("robert@example.gov.uk", true)
		cb := c.startOIDC("").callback
		setCookie(c, sessionCookie, old) // planted, or left from before
		if res := c.get(cb); res.status != http.StatusSeeOther {
			t.Fatalf("callback: %d", res.status)
		}
		if jarCookie(t, c, sessionCookie) == old {
			t.Error("the session token was not replaced")
		}
		if _, err := h.db.SessionByTokenHash(context.Background(), tokenHash(old), h.clock.Now()); err == nil {
			t.Error("the old session is still valid")
		}
	})
}

// jarCookie is the value of the cookie c holds for the portal.
func jarCookie(t *testing.T, c *client, name string) string {
	t.Helper()
	u, _ := url.Parse(c.h.ts.URL)
	for _, k := range c.c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

func setCookie(c *client, name, value string) {
	u, _ := url.Parse(c.h.ts.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

func TestOIDCRefused(t *testing.T) {
	p := newProvider(t, nil)
	h := providerHarness(t, p)
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	robert, err := h.db.UserByEmail(context.Background(), "robert@example.gov.uk")
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		email  string
		verify bool
		tamper func(jwt.MapClaims) *rsa.PrivateKey
		// between runs between the provider and the callback: it may
		// change the callback or the browser.
		between func(c *client, callback string) string
		status  int
		says    string
	}{
		{name: "email not verified", email: "robert@example.gov.uk", status: 403, says: "did not confirm your email address"},
		{name: "no account for the email", email: "stranger@example.gov.uk", verify: true, status: 403, says: "ask a clerk to add you"},
		{name: "state changed", email: "robert@example.gov.uk", verify: true, status: 400, says: "start again",
			between: func(c *client, cb string) string { return strings.Replace(cb, "state=", "state=x", 1) }},
		{name: "callback in another browser", email: "robert@example.gov.uk", verify: true, status: 400, says: "started in another browser",
			between: func(c *client, cb string) string { setCookie(c, oidcCookie, ""); return cb }},
		{name: "sign-in cookie forged", email: "robert@example.gov.uk", verify: true, status: 400, says: "start again",
			between: func(c *client, cb string) string {
				v := []byte(jarCookie(t, c, oidcCookie))
				v[20] ^= 1
				setCookie(c, oidcCookie, string(v))
				return cb
			}},
		{name: "took longer than ten minutes", email: "robert@example.gov.uk", verify: true, status: 400, says: "had expired",
			between: func(c *client, cb string) string { h.clock.advance(11 * time.Minute); return cb }},
		{name: "code too long", email: "robert@example.gov.uk", verify: true, status: 400, says: "start again",
			between: func(c *client, cb string) string {
				u, _ := url.Parse(cb)
				q := u.Query()
				q.Set("code", strings.Repeat("a", 5000))
				u.RawQuery = q.Encode()
				return u.RequestURI()
			}},
		{name: "state given twice", email: "robert@example.gov.uk", verify: true, status: 400, says: "start again",
			between: func(c *client, cb string) string { return cb + "&state=x" }},
		{name: "provider refused", email: "robert@example.gov.uk", verify: true, status: 403, says: "did not sign you in",
			between: func(c *client, cb string) string { return cb + "&error=access_denied" }},
		{name: "nonce of another sign-in", email: "robert@example.gov.uk", verify: true, status: 403, says: "could not be trusted",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { c["nonce"] = "another"; return nil }},
		{name: "token for another client", email: "robert@example.gov.uk", verify: true, status: 403, says: "could not be trusted",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { c["aud"] = []string{"another-client"}; return nil }},
		{name: "token from another issuer", email: "robert@example.gov.uk", verify: true, status: 403, says: "could not be trusted",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { c["iss"] = "https://evil.example/"; return nil }},
		{name: "token expired", email: "robert@example.gov.uk", verify: true, status: 403, says: "could not be trusted",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { c["exp"] = h.clock.Now().Add(-time.Minute).Unix(); return nil }},
		{name: "token signed with another key", email: "robert@example.gov.uk", verify: true, status: 403, says: "could not be trusted",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { return otherKey }},
		{name: "xms_edov false, no email_verified", email: "robert@example.gov.uk", verify: true, status: 403, says: "did not confirm",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { delete(c, "email_verified"); c["xms_edov"] = false; return nil }},
		{name: "no email", email: "", verify: true, status: 403, says: "did not confirm"},
		{name: "email_verified false as text", email: "robert@example.gov.uk", verify: true, status: 403, says: "did not confirm",
			tamper: func(c jwt.MapClaims) *rsa.PrivateKey { c["email_verified"] = "false"; return nil }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p.setTamper(tc.tamper)
			defer p.setTamper(nil)
			c := h.client()
			p.user(tc.email, tc.verify)
			cb := c.startOIDC("").callback
			if tc.between != nil {
				cb = tc.between(c, cb)
			}
			res := c.get(cb)
			if res.status != tc.status || !strings.Contains(res.body, tc.says) {
				t.Errorf("callback: %d, want %d saying %q\n%.2000s", res.status, tc.status, tc.says, res.body)
			}
			if who := c.signedInAs(); who != "" {
				t.Errorf("signed in as %s", who)
			}
			if jarCookie(t, c, oidcCookie) != "" {
				t.Error("the sign-in cookie was not removed")
			}
		})
	}

	t.Run("a callback replayed with its cookie", func(t *testing.T) {
		c := h.client()
		p.user("robert@example.gov.uk", true)
		cb := c.startOIDC("").callback
		flow := jarCookie(t, c, oidcCookie)
		if res := c.get(cb); res.status != http.StatusSeeOther {
			t.Fatalf("first callback: %d", res.status)
		}
		other := h.client()
		setCookie(other, oidcCookie, flow)
		if res := other.get(cb); res.status != 400 || other.signedInAs() != "" {
			t.Errorf("replayed callback: %d, signed in as %q", res.status, other.signedInAs())
		}
	})

	t.Run("a disabled account", func(t *testing.T) {
		e := store.Event{At: h.clock.Now(), Actor: "clerk@example.gov.uk", Action: "user.disable", Detail: "test"}
		if err := h.db.SetDisabled(context.Background(), robert.ID, true, e); err != nil {
			t.Fatal(err)
		}
		defer h.db.SetDisabled(context.Background(), robert.ID, false, e)
		c := h.client()
		p.user("robert@example.gov.uk", true)
		res := c.oidcSignIn("")
		if res.status != 403 || !strings.Contains(res.body, "ask a clerk to add you") || c.signedInAs() != "" {
			t.Errorf("callback: %d, signed in as %q\n%.2000s", res.status, c.signedInAs(), res.body)
		}
		es := h.events("user.signin.failed")
		if len(es) == 0 || !strings.Contains(es[len(es)-1].Detail, "account disabled; sign-in (oidc)") {
			t.Errorf("audit log: %+v", es)
		}
	})
}

func TestOIDCSignInPage(t *testing.T) {
	p := newProvider(t, nil)
	t.Run("passwords and the provider", func(t *testing.T) {
		h := providerHarness(t, p)
		c := h.client()
		page := c.get("/signin?next=%2Fclerk").body
		mustContain(t, page, `href="/signin/oidc?next=%2fclerk">Sign in with Example Council</a>`, `name="password"`)
		if res := c.signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("password sign-in: %d", res.status)
		}
	})
	t.Run("passwords off", func(t *testing.T) {
		h := providerHarness(t, p, func(c *Config) { c.PasswordsOff = true })
		c := h.client()
		page := c.get("/signin").body
		mustContain(t, page, `href="/signin/oidc">Sign in with Example Council</a>`)
		if strings.Contains(page, `type="password"`) || strings.Contains(page, `action="/signin"`) {
			t.Errorf("the sign-in page offers a password:\n%s", page)
		}
		// Even with a token from the page of a portal with passwords on.
		res := c.post("/signin", url.Values{"email": {"robert@example.gov.uk"}, "password": {testPassword}, csrfField: {"x"}})
		if res.status != http.StatusForbidden || c.signedInAs() != "" {
			t.Errorf("password sign-in: %d, signed in as %q", res.status, c.signedInAs())
		}
		// A one-time password is not asked to be changed, and there is no
		// password to change.
		u, _ := h.db.UserByEmail(context.Background(), "robert@example.gov.uk")
		h.db.SetPasswordHash(context.Background(), u.ID, u.PasswordHash, true)
		p.user("robert@example.gov.uk", true)
		if res := c.oidcSignIn(""); res.header.Get("Location") != "/officer" {
			t.Errorf("callback: %d → %q, want → /officer", res.status, res.header.Get("Location"))
		}
		home := c.get("/officer")
		if home.status != 200 || strings.Contains(home.body, "Change password") {
			t.Errorf("home: %d, with a Change password link: %v", home.status, strings.Contains(home.body, "Change password"))
		}
	})
	t.Run("passwords off without a provider", func(t *testing.T) {
		h := newHarness(t)
		cfg := h.cfg
		cfg.PasswordsOff = true
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "nobody could sign in") {
			t.Errorf("New: %v", err)
		}
	})
}

// TestOIDCProviderDown: a provider that cannot be reached at start-up does
// not stop the portal, nor password sign-in; it is tried again when someone
// presses the button.
func TestOIDCProviderDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	h := newHarness(t, func(c *Config) {
		c.OIDC = OIDC{Issuer: "http://" + addr + mockoidc.IssuerBase, ClientID: "id", ClientSecret: "secret", RedirectURL: "http://127.0.0.1:1" + OIDCCallbackPath}
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	if !strings.Contains(logs.String(), "the identity provider cannot be reached") {
		t.Errorf("log says nothing of the provider:\n%s", logs.String())
	}
	c := h.client()
	if res := c.signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
		t.Errorf("password sign-in: %d", res.status)
	}
	c = h.client()
	if res := c.get("/signin/oidc"); res.status != http.StatusServiceUnavailable || !strings.Contains(res.body, "sign in with it instead") {
		t.Errorf("button while the provider is down: %d\n%s", res.status, res.body)
	}

	// The provider comes up on its address; the next press finds it.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{MockOIDC: m}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	h.srv.idp.retry = 0
	h.srv.idp.cfg.ClientID, h.srv.idp.cfg.ClientSecret = m.ClientID, m.ClientSecret
	useProvider(t, h, p)
	p.user("robert@example.gov.uk", true)
	if res := c.oidcSignIn(""); res.status != http.StatusSeeOther || c.signedInAs() != "Robert Henderson" {
		t.Errorf("after the provider came up: %d, signed in as %q", res.status, c.signedInAs())
	}
}

// TestOIDCBounds: the provider's answers are bounded in size.
func TestOIDCBounds(t *testing.T) {
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"issuer":"`)
		w.Write(bytes.Repeat([]byte("a"), 2<<20))
		io.WriteString(w, `"}`)
	}))
	defer big.Close()
	idp := newIdentityProvider(OIDC{Issuer: big.URL, ClientID: "id", ClientSecret: "s"}, time.Now)
	_, _, err := idp.discover(context.Background())
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("discovery of a 2 MiB document: %v", err)
	}
}

func TestValidateOIDC(t *testing.T) {
	good := OIDC{Issuer: "https://login.microsoftonline.com/x/v2.0", ClientID: "id", ClientSecret: "s", RedirectURL: "https://papers.example.gov.uk/signin/oidc/callback"}
	if err := ValidateOIDC(good); err != nil {
		t.Errorf("good settings: %v", err)
	}
	for name, edit := range map[string]func(*OIDC){
		"plain http issuer":   func(o *OIDC) { o.Issuer = "http://login.example/" },
		"no client ID":        func(o *OIDC) { o.ClientID = "" },
		"no secret":           func(o *OIDC) { o.ClientSecret = "" },
		"wrong callback path": func(o *OIDC) { o.RedirectURL = "https://papers.example.gov.uk/callback" },
	} {
		o := good
		edit(&o)
		if err := ValidateOIDC(o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
