package portal

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

// cookieOf returns the cookie called name in a response's Set-Cookie headers.
func cookieOf(res result, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSessionFixation(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	u, _ := url.Parse(h.ts.URL)
	// Someone plants a session cookie of their choosing before sign-in.
	planted := "attacker-chosen-session-token-aaaaaaaaaaaaaaa"
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
	page := c.get("/signin")
	before := cookieOf(page, signInCookie)
	if before == nil {
		t.Fatal("no cookie set before sign-in")
	}
	res := c.post("/signin", url.Values{"email": {"robert@example.gov.uk"}, "password": {testPassword}, csrfField: {csrfOf(t, page.body)}})
	after := cookieOf(res, sessionCookie)
	if res.status != http.StatusSeeOther || after == nil {
		t.Fatalf("sign in: %d, cookie %v", res.status, after)
	}
	if after.Value == planted || after.Value == before.Value {
		t.Fatalf("session cookie after sign-in %q is one the browser had before", after.Value)
	}
	if gone := cookieOf(res, signInCookie); gone == nil || gone.MaxAge >= 0 {
		t.Errorf("the sign-in cookie is not cleared: %v", gone)
	}
	// The planted token is not a session; the new one is.
	attacker := h.client()
	attacker.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: planted, Path: "/"}})
	if res := attacker.get("/officer"); res.status != http.StatusSeeOther {
		t.Errorf("planted cookie: %d", res.status)
	}
	if res := c.get("/officer"); res.status != http.StatusOK {
		t.Errorf("new session: %d", res.status)
	}

	// Signing in again from a signed-in browser rotates the session: the
	// old token stops working.
	old := after.Value
	page = c.get("/signin?next=/officer") // signed in: redirected
	if page.status != http.StatusSeeOther {
		t.Fatalf("sign-in page while signed in: %d", page.status)
	}
	c2 := h.client()
	token := csrfOf(t, c2.get("/signin").body)
	c2.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old, Path: "/"}})
	res = c2.post("/signin", url.Values{"email": {"robert@example.gov.uk"}, "password": {testPassword}, csrfField: {token}})
	if nc := cookieOf(res, sessionCookie); nc == nil || nc.Value == old {
		t.Fatalf("no new session: %v", nc)
	}
	stale := h.client()
	stale.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: old, Path: "/"}})
	if res := stale.get("/officer"); res.status != http.StatusSeeOther {
		t.Errorf("old session still works after a new sign-in with it: %d", res.status)
	}
	// The store keeps only a hash of the token.
	if _, err := h.db.SessionByTokenHash(t.Context(), old, h.clock.Now()); err == nil {
		t.Error("the store holds the raw token")
	}
}

func TestCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tls        bool
		secureConf bool
		wantSecure bool
	}{
		{"plain HTTP", false, false, false},
		{"behind a TLS proxy (config)", false, true, true},
		{"TLS", true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.SecureCookies = tc.secureConf })
			c := h.client()
			if tc.tls {
				ts := httptest.NewUnstartedServer(h.srv)
				ts.StartTLS()
				t.Cleanup(ts.Close)
				h.ts = ts
				jar, _ := cookiejar.New(nil)
				c.c = &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
					CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			}
			page := c.get("/signin")
			res := c.post("/signin", url.Values{"email": {"clerk@example.gov.uk"}, "password": {testPassword}, csrfField: {csrfOf(t, page.body)}})
			for _, ck := range []*http.Cookie{cookieOf(page, signInCookie), cookieOf(res, sessionCookie)} {
				if ck == nil {
					t.Fatal("cookie missing")
				}
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != tc.wantSecure {
					t.Errorf("%s: HttpOnly %v, SameSite %v, Path %q, Secure %v (want %v)", ck.Name, ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure, tc.wantSecure)
				}
			}
			// The session cookie lasts as long as the browser does; the
			// session's expiry is kept on the server (TestSessionExpires).
			if ck := cookieOf(res, sessionCookie); ck.MaxAge != 0 || !ck.Expires.IsZero() || ck.RawExpires != "" {
				t.Errorf("session cookie has Max-Age %d, Expires %q: want a browser-session cookie", ck.MaxAge, ck.RawExpires)
			}
			for _, line := range res.header.Values("Set-Cookie") {
				if strings.HasPrefix(line, sessionCookie+"=") && (strings.Contains(line, "Max-Age") || strings.Contains(line, "Expires")) {
					t.Errorf("Set-Cookie: %s", line)
				}
			}
		})
	}
}

func TestSessionExpires(t *testing.T) {
	h := newHarness(t)
	c := h.signedIn("clerk@example.gov.uk")
	h.clock.advance(DefaultSessionTTL + time.Second)
	if res := c.get("/clerk"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin?next=%2Fclerk") {
		t.Errorf("expired session: %d %s", res.status, res.header.Get("Location"))
	}
}

func TestBruteForce(t *testing.T) {
	t.Run("per account", func(t *testing.T) {
		h := newHarness(t)
		c := h.client()
		for i := range DefaultSignInLimit {
			if res := c.signIn("robert@example.gov.uk", "guess"); res.status != http.StatusBadRequest {
				t.Fatalf("attempt %d: %d", i+1, res.status)
			}
		}
		// Refused now, even with the right password, and from elsewhere.
		for _, cl := range []*client{c, h.client()} {
			res := cl.signIn("ROBERT@example.gov.uk", testPassword)
			if res.status != http.StatusTooManyRequests {
				t.Fatalf("after %d failures: %d", DefaultSignInLimit, res.status)
			}
			mustContain(t, res.body, "Too many attempts to sign in", "Wait 15 minutes and try again")
		}
		if len(h.events("user.signin.failed")) != DefaultSignInLimit {
			t.Errorf("failed sign-ins audited: %d", len(h.events("user.signin.failed")))
		}
		// Other accounts are not locked by it.
		if res := h.client().signIn("jane@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("another account: %d", res.status)
		}
		h.clock.advance(DefaultSignInWindow + time.Second)
		if res := c.signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
			t.Errorf("after the window: %d", res.status)
		}
	})
	t.Run("per address", func(t *testing.T) {
		h := newHarness(t)
		c := h.client()
		for i := range DefaultSignInIPLimit {
			// Made-up accounts, so no account limit is reached.
			if res := c.signIn("nobody"+strings.Repeat("x", i)+"@example.gov.uk", "guess"); res.status != http.StatusBadRequest {
				t.Fatalf("attempt %d: %d", i+1, res.status)
			}
		}
		if res := c.signIn("jane@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
			t.Fatalf("after %d failures from one address: %d", DefaultSignInIPLimit, res.status)
		}
	})
}

// TestCSRF tries every POST form without a token and with another
// session's token: each is refused with 403 and changes nothing.
func TestCSRF(t *testing.T) {
	h := newHarness(t)
	robert := h.signedIn("robert@example.gov.uk")
	clerk := h.signedIn("clerk@example.gov.uk")
	jane := h.signedIn("jane@example.gov.uk")
	_, pending := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update += " (new)" }))
	if pending == "" {
		t.Fatal("no pending upload")
	}
	ret := returnFor("Robert Henderson", nil)
	robertAccount, err := h.db.UserByEmail(context.Background(), "robert@example.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	account := fmt.Sprintf("/clerk/accounts/%d", robertAccount.ID)
	for _, tc := range []struct {
		name string
		c    *client
		path string
		form url.Values
		file []byte
	}{
		{"sign out", robert, "/signout", nil, nil},
		{"upload", robert, h.qpath("/officer", "/upload"), url.Values{"owner": {"Robert Henderson"}}, ret},
		{"submit", robert, h.qpath("/officer", "/submit"), url.Values{"pending": {pending}}, nil},
		{"open quarter", clerk, "/clerk/quarters", url.Values{"plan": {testPlan}, "quarter": {"2021-Q2"}, "deadline": {"2021-04-15"}}, nil},
		{"add statement", clerk, "/clerk/statements", url.Values{"plan": {testPlan}, "quarter": {"2021-Q2"}, "kind": {"statement"}}, ret},
		{"accept", clerk, h.qpath("/clerk", "/accept"), nil, nil},
		{"build report", clerk, h.qpath("/clerk", "/report"), url.Values{"meeting": {"2021-01-28"}}, nil},
		{"invite", clerk, "/clerk/accounts/invite", url.Values{"owner": {"Cllr Paffey"}, "name": {"Pat"}, "email": {"pat@example.gov.uk"}}, nil},
		{"disable account", clerk, account + "/disable", nil, nil},
		{"remove account", clerk, account + "/remove", url.Values{"confirm": {"yes"}}, nil},
		{"change role", clerk, account + "/role", url.Values{"role": {"clerk"}}, nil},
		{"change lead owners", clerk, account + "/owners", url.Values{"owners": {"Jane Smith"}}, nil},
		{"reset password", clerk, account + "/reset", nil, nil},
		{"unlock account", clerk, account + "/unlock", nil, nil},
	} {
		for _, token := range []struct{ name, value string }{{"missing", ""}, {"wrong", jane.csrf}, {"garbage", "x"}} {
			t.Run(tc.name+"/"+token.name, func(t *testing.T) {
				before := len(h.events("")) + len(h.returns()) + len(h.statements())
				form := url.Values{}
				for k, v := range tc.form {
					form[k] = v
				}
				form.Set(csrfField, token.value)
				var res result
				if tc.file != nil {
					res = tc.c.upload(tc.path, form, "return.xlsx", tc.file)
				} else {
					res = tc.c.post(tc.path, form)
				}
				if res.status != http.StatusForbidden {
					t.Fatalf("%d\n%s", res.status, res.body)
				}
				mustContain(t, res.body, "This form has expired", "Nothing was changed")
				if after := len(h.events("")) + len(h.returns()) + len(h.statements()); after != before {
					t.Errorf("records before %d, after %d", before, after)
				}
			})
		}
	}
	t.Run("sign in", func(t *testing.T) {
		c := h.client()
		c.get("/signin")
		for _, token := range []string{"", "x", jane.csrf} {
			res := c.post("/signin", url.Values{"email": {"clerk@example.gov.uk"}, "password": {testPassword}, csrfField: {token}})
			if res.status != http.StatusForbidden || cookieOf(res, sessionCookie) != nil {
				t.Errorf("token %q: %d", token, res.status)
			}
		}
		// A token from another browser's sign-in page is no good either.
		other := h.client()
		token := csrfOf(t, other.get("/signin").body)
		if res := c.post("/signin", url.Values{"email": {"clerk@example.gov.uk"}, "password": {testPassword}, csrfField: {token}}); res.status != http.StatusForbidden {
			t.Errorf("another browser's token: %d", res.status)
		}
	})
	// The pending upload survived every refused submit.
	if res := robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {pending}}); res.status != http.StatusSeeOther {
		t.Errorf("real submit after the refused ones: %d", res.status)
	}
}

func TestAddAccount(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	u, pw, err := AddAccount(ctx, h.db, Account{Name: "Olive Officer", Email: "olive@example.gov.uk", Role: store.RoleOfficer, Owners: []string{"Cllr Paffey"}}, "cli", h.clock.Now(), 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(pw) != 23 || strings.Count(pw, "-") != 3 || strings.ContainsAny(pw, "0O1lI") {
		t.Errorf("password %q", pw)
	}
	if strings.Contains(u.PasswordHash, pw) || !strings.HasPrefix(u.PasswordHash, "$2a$") {
		t.Errorf("hash %q", u.PasswordHash)
	}
	if owners, _ := h.db.OwnersOf(ctx, u.ID); len(owners) != 1 || owners[0] != "Cllr Paffey" {
		t.Errorf("owners %v", owners)
	}
	c := h.client()
	if res := c.signIn("olive@example.gov.uk", pw); res.status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", res.status)
	}
	if ev := h.events("user.add"); len(ev) != 1 || !strings.Contains(ev[0].Detail, "Cllr Paffey") || strings.Contains(ev[0].Detail, pw) {
		t.Errorf("audit %+v", ev)
	}
	for _, bad := range []Account{
		{Name: "X", Email: "not an email", Role: store.RoleClerk},
		{Name: "", Email: "x@example.gov.uk", Role: store.RoleClerk},
		{Name: "X", Email: "x@example.gov.uk", Role: "admin"},
		{Name: "X", Email: "x@example.gov.uk", Role: store.RoleOfficer},
		{Name: "X", Email: "x@example.gov.uk", Role: store.RoleClerk, Owners: []string{"Y"}},
		{Name: "X", Email: "olive@example.gov.uk", Role: store.RoleClerk},
	} {
		if _, _, err := AddAccount(ctx, h.db, bad, "cli", h.clock.Now(), 4); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if a, b := NewPassword(), NewPassword(); a == b {
		t.Error("two passwords alike")
	}
}
