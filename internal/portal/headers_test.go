package portal

import (
	"net/http"
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
