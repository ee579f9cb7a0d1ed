package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOneTimePasswordExpires: a one-time password (an invitation's, or a
// reset's) works for OneTimePasswordLife and then no more, so one that
// went astray does not stay a way in; the clerk gives a new one.
func TestOneTimePasswordExpires(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	invite := func(owner, email string) string {
		t.Helper()
		loc := wantRedirect(t, clerk.post("/clerk/accounts/invite", url.Values{"owner": {owner}, "n": {"1"}, "name": {owner}, "email": {email}}), "/clerk/accounts/")
		m := oneTimeShown.FindStringSubmatch(clerk.get(loc).body)
		if m == nil {
			t.Fatalf("no one-time password shown for %s", email)
		}
		return m[1]
	}
	late := invite("Cllr Paffey", "pat@example.gov.uk")
	h.clock.advance(OneTimePasswordLife - time.Hour)
	clerk = h.signedIn("clerk@example.gov.uk") // the session has ended meanwhile
	onTime := invite("Sandy Hopkins", "sandy@example.gov.uk")
	h.clock.advance(2 * time.Hour) // the first is now past its life; the second is not

	res := h.client().signIn("pat@example.gov.uk", late)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "This one-time password has expired") {
		t.Errorf("an expired one-time password: %d\n%s", res.status, res.body)
	}
	if e := h.lastEvent("user.signin.failed"); !strings.Contains(e.Detail, "one-time password expired") {
		t.Errorf("audit line %q", e.Detail)
	}
	if res := h.client().signIn("sandy@example.gov.uk", onTime); res.status != http.StatusSeeOther || res.header.Get("Location") != "/password" {
		t.Errorf("a one-time password within its life: %d, to %q", res.status, res.header.Get("Location"))
	}

	// A reset gives a new life.
	clerk = h.signedIn("clerk@example.gov.uk")
	u := h.user("pat@example.gov.uk")
	loc := wantRedirect(t, clerk.post(fmt.Sprintf("/clerk/accounts/%d/reset", u.ID), url.Values{}), "/clerk/accounts/")
	m := oneTimeShown.FindStringSubmatch(clerk.get(loc).body)
	if m == nil {
		t.Fatal("no one-time password shown after the reset")
	}
	if res := h.client().signIn("pat@example.gov.uk", m[1]); res.status != http.StatusSeeOther {
		t.Errorf("a reset's one-time password: %d\n%s", res.status, res.body)
	}
}
