package portal

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

// TestDisabledAccount: disabling an account (papers users disable) ends its
// sessions, and its right password is then refused with the same message
// as a wrong one; enabled again, it signs in.
func TestDisabledAccount(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	robert := h.signedIn("robert@example.gov.uk")
	if res := robert.get("/officer"); res.status != http.StatusOK {
		t.Fatalf("before: %d", res.status)
	}
	u, err := h.db.UserByEmail(ctx, "robert@example.gov.uk")
	if err != nil {
		t.Fatal(err)
	}
	if !u.LastSignIn.Equal(h.clock.Now()) {
		t.Errorf("last sign-in %v, want %v", u.LastSignIn, h.clock.Now())
	}
	if err := h.db.SetDisabled(ctx, u.ID, true, store.Event{At: h.clock.Now(), Actor: "command line (test)", Action: "user.disable"}); err != nil {
		t.Fatal(err)
	}
	if res := robert.get("/officer"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
		t.Errorf("a disabled account's session: %d, Location %q; want a redirect to sign in", res.status, res.header.Get("Location"))
	}

	// A session started in the moment between disabling and its sessions'
	// deletion is not honoured either.
	token := randomToken()
	now := h.clock.Now()
	if err := h.db.CreateSession(ctx, store.Session{TokenHash: tokenHash(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour), CSRFSecret: "s"}); err != nil {
		t.Fatal(err)
	}
	late := h.client()
	site, _ := url.Parse(h.ts.URL)
	late.c.Jar.SetCookies(site, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
	if res := late.get("/officer"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
		t.Errorf("a session of a disabled account: %d, Location %q; want a redirect to sign in", res.status, res.header.Get("Location"))
	}

	right := h.client().signIn("robert@example.gov.uk", testPassword)
	wrong := h.client().signIn("jane@example.gov.uk", "not the password")
	if right.status != http.StatusBadRequest || right.status != wrong.status {
		t.Errorf("disabled with the right password: %d; wrong password: %d", right.status, wrong.status)
	}
	for _, res := range []result{right, wrong} {
		if !strings.Contains(html.UnescapeString(res.body), badSignIn) {
			t.Errorf("no %q in:\n%s", badSignIn, res.body)
		}
		if strings.Contains(strings.ToLower(res.body), "disabled") {
			t.Errorf("the page says the account is disabled:\n%s", res.body)
		}
	}
	if es := h.events("user.signin.failed"); len(es) == 0 || !strings.Contains(es[0].Detail, "disabled") {
		t.Errorf("audit: %+v", es)
	}

	if err := h.db.SetDisabled(ctx, u.ID, false, store.Event{At: h.clock.Now(), Actor: "command line (test)", Action: "user.enable"}); err != nil {
		t.Fatal(err)
	}
	if res := h.client().signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
		t.Errorf("enabled again: %d", res.status)
	}
}
