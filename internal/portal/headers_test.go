package portal

import (
	"crypto/tls"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStaticServesOnlyFiles: /static/ serves the style sheet, and the
// portal's 404 page for its folder or anything not there: no listing.
func TestStaticServesOnlyFiles(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	if res := c.get("/static/style.css"); res.status != http.StatusOK || !strings.Contains(res.body, "font-family") {
		t.Errorf("style sheet: %d", res.status)
	}
	for _, path := range []string{"/static/", "/static/nothing.css", "/static/style.css/"} {
		res := c.get(path)
		if res.status != http.StatusNotFound || strings.Contains(res.body, `href="style.css"`) {
			t.Errorf("%s: %d\n%s", path, res.status, res.body)
		}
		mustContain(t, res.body, "Page not found")
	}
}

// TestSignOutPage: GET /signout shows a page whose button posts the
// sign-out form with the session's CSRF token; the GET itself signs no one
// out. Someone signed out is sent to the sign-in page.
func TestSignOutPage(t *testing.T) {
	h := newHarness(t)
	if res := h.client().get("/signout"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
		t.Errorf("signed out: %d → %q", res.status, res.header.Get("Location"))
	}
	robert := h.signedIn("robert@example.gov.uk")
	page := robert.get("/signout")
	if page.status != http.StatusOK {
		t.Fatalf("%d\n%s", page.status, page.body)
	}
	mustContain(t, page.body, "<h1>Sign out</h1>", "You are signed in as Robert Henderson (robert@example.gov.uk)",
		`<form method="post" action="/signout">`, `<button type="submit" class="button" id="sign-out">Sign out</button>`)
	form := formOf(t, page.body, "/signout")
	if form.Get(csrfField) != robert.csrf {
		t.Errorf("the form's CSRF token %q, want the session's", form.Get(csrfField))
	}
	for range 2 {
		robert.get("/signout")
	}
	if res := robert.get("/officer"); res.status != http.StatusOK || len(h.events("user.signout")) != 0 {
		t.Fatalf("GET /signout signed the officer out: %d, %d sign-outs audited", res.status, len(h.events("user.signout")))
	}
	// The button.
	if res := robert.post("/signout", form); res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin" {
		t.Fatalf("sign out: %d → %q", res.status, res.header.Get("Location"))
	}
	if res := robert.get("/officer"); res.status != http.StatusSeeOther || len(h.events("user.signout")) != 1 {
		t.Errorf("after signing out: %d, %d sign-outs audited", res.status, len(h.events("user.signout")))
	}
}

// TestHSTS: Strict-Transport-Security is sent when the portal is reached
// over TLS, or sits behind a proxy that terminates TLS (SecureCookies), on
// every response; never over plain HTTP.
func TestHSTS(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tls        bool
		secureConf bool
		want       string
	}{
		{"plain HTTP", false, false, ""},
		{"behind a TLS proxy (config)", false, true, "max-age=31536000"},
		{"TLS", true, false, "max-age=31536000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) { c.SecureCookies = tc.secureConf })
			c := h.client()
			if tc.tls {
				c = tlsClient(t, h)
			}
			for _, path := range []string{"/signin", "/static/style.css", "/static/", "/nowhere", "/officer"} {
				res := c.get(path)
				if got := res.header.Get("Strict-Transport-Security"); got != tc.want {
					t.Errorf("%s: Strict-Transport-Security %q, want %q", path, got, tc.want)
				}
			}
		})
	}
}

// tlsClient serves h's portal over TLS too (h.ts becomes the TLS server)
// and returns a client for it.
func tlsClient(t *testing.T, h *harness) *client {
	t.Helper()
	ts := httptest.NewUnstartedServer(h.srv)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	h.ts = ts
	c := h.client()
	jar, _ := cookiejar.New(nil)
	c.c = &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return c
}
