package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

// addOneTime adds an officer through AddAccount, as "papers users add"
// does, and returns the one-time password.
func (h *harness) addOneTime(email string) string {
	h.t.Helper()
	_, pw, err := AddAccount(context.Background(), h.db, Account{Name: "Sandy Hopkins", Email: email, Role: store.RoleOfficer,
		Owners: []string{"Jane Smith"}}, "test", h.clock.Now(), 4)
	if err != nil {
		h.t.Fatal(err)
	}
	return pw
}

func TestOneTimePassword(t *testing.T) {
	h := newHarness(t)
	const email = "sandy@example.gov.uk"
	oneTime := h.addOneTime(email)
	c := h.client()
	res := c.signIn(email, oneTime)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/password" {
		t.Fatalf("sign in with a one-time password: %d to %q", res.status, res.header.Get("Location"))
	}
	// Every page leads to the password page until a new one is chosen.
	for _, p := range []string{"/officer", h.qpath("/officer", "/return"), "/clerk"} {
		if res := c.get(p); res.status != http.StatusSeeOther || res.header.Get("Location") != "/password" {
			t.Errorf("GET %s: %d to %q, want the password page", p, res.status, res.header.Get("Location"))
		}
	}
	page := c.get("/password")
	if page.status != http.StatusOK {
		t.Fatalf("password page: %d", page.status)
	}
	mustContain(t, page.body, "<h1>Choose a new password</h1>", `<label class="label" for="password">New password</label>`,
		`<label class="label" for="confirm">`)
	if strings.Contains(page.body, `id="current"`) {
		t.Error("the forced change asks for the one-time password again")
	}
	c.csrf = csrfOf(t, page.body)
	if res := c.post("/officer/quarters/1/2021-Q1/submit", url.Values{"pending": {"x"}}); res.status != http.StatusSeeOther ||
		res.header.Get("Location") != "/password" {
		t.Errorf("POST elsewhere before choosing: %d to %q", res.status, res.header.Get("Location"))
	}

	const chosen = "marmalade orbit lantern"
	for _, tc := range []struct {
		name, password, confirm, field, want string
	}{
		{"blank", "", "", "password", "Enter a new password"},
		{"too short", "short-one", "short-one", "password", "at least 12 characters"},
		{"the one-time password", oneTime, oneTime, "password", "different from the one you were given"},
		{"confirm differs", chosen, chosen + "x", "confirm", "The passwords do not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post("/password", url.Values{"password": {tc.password}, "confirm": {tc.confirm}})
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d", res.status)
			}
			mustContain(t, res.body, "There is a problem", `<a href="#`+tc.field+`">`, tc.want)
		})
	}
	if got := h.events("user.password"); len(got) != 0 {
		t.Fatalf("audit events after refused changes: %+v", got)
	}

	oldCookie := sessionValue(t, c)
	res = c.post("/password", url.Values{"password": {chosen}, "confirm": {chosen}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/officer" {
		t.Fatalf("change: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
	}
	if nc := cookieOf(res, sessionCookie); nc == nil || nc.Value == oldCookie {
		t.Fatalf("the session is not rotated: %v", nc)
	}
	if res := c.get("/officer"); res.status != http.StatusOK {
		t.Errorf("officer page after the change: %d", res.status)
	}
	u, err := h.db.UserByEmail(t.Context(), email)
	if err != nil || u.MustChangePassword {
		t.Errorf("after the change: %+v, %v", u, err)
	}
	if es := h.events("user.password"); len(es) != 1 || es[0].Actor != email || !strings.Contains(es[0].Detail, "one-time") {
		t.Errorf("audit: %+v", es)
	}
	// The old session token is gone.
	stale := h.client()
	stale.c.Jar.SetCookies(mustURL(t, h.ts.URL), []*http.Cookie{{Name: sessionCookie, Value: oldCookie, Path: "/"}})
	if res := stale.get("/officer"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
		t.Errorf("old session after the change: %d to %q", res.status, res.header.Get("Location"))
	}
	// The one-time password no longer works; the chosen one does.
	if res := h.client().signIn(email, oneTime); res.status != http.StatusBadRequest {
		t.Errorf("sign in with the one-time password after the change: %d", res.status)
	}
	if res := h.client().signIn(email, chosen); res.status != http.StatusSeeOther || res.header.Get("Location") != "/officer" {
		t.Errorf("sign in with the chosen password: %d to %q", res.status, res.header.Get("Location"))
	}
}

func TestChangePassword(t *testing.T) {
	h := newHarness(t)
	c := h.signedIn("robert@example.gov.uk")
	page := c.get("/password")
	if page.status != http.StatusOK {
		t.Fatalf("password page: %d", page.status)
	}
	mustContain(t, page.body, "<h1>Change your password</h1>", `<label class="label" for="current">Current password</label>`)
	const chosen = "a much longer password"
	for _, tc := range []struct {
		name, current, want string
	}{
		{"no current password", "", "Enter your current password"},
		{"wrong current password", "not my password", "Your current password is not correct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post("/password", url.Values{"current": {tc.current}, "password": {chosen}, "confirm": {chosen}})
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d", res.status)
			}
			mustContain(t, res.body, `<a href="#current">`+tc.want)
		})
	}
	if res := c.post("/password", url.Values{"current": {testPassword}, "password": {testPassword}, "confirm": {testPassword}}); res.status != http.StatusBadRequest {
		t.Errorf("the same password again: %d", res.status)
	}
	res := c.post("/password", url.Values{"current": {testPassword}, "password": {chosen}, "confirm": {chosen}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.status, res.body)
	}
	if res := h.client().signIn("robert@example.gov.uk", testPassword); res.status != http.StatusBadRequest {
		t.Errorf("old password after the change: %d", res.status)
	}
	if res := h.client().signIn("robert@example.gov.uk", chosen); res.status != http.StatusSeeOther {
		t.Errorf("new password: %d", res.status)
	}
}

func TestPasswordRefused(t *testing.T) {
	h := newHarness(t)
	const chosen = "a much longer password"
	form := url.Values{"current": {testPassword}, "password": {chosen}, "confirm": {chosen}}

	// Anonymous: sent to sign in, for the page and the form.
	anon := h.client()
	if res := anon.get("/password"); res.status != http.StatusSeeOther || res.header.Get("Location") != "/signin?next=%2Fpassword" {
		t.Errorf("anonymous GET: %d to %q", res.status, res.header.Get("Location"))
	}
	if res := anon.post("/password", form); res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/signin") {
		t.Errorf("anonymous POST: %d to %q", res.status, res.header.Get("Location"))
	}

	// Signed in, but without the form's CSRF token, or with another session's.
	c := h.signedIn("robert@example.gov.uk")
	other := h.signedIn("jane@example.gov.uk")
	for name, token := range map[string]string{"none": "", "another session's": other.csrf} {
		f := url.Values{csrfField: {token}}
		for k, v := range form {
			f[k] = v
		}
		if res := c.post("/password", f); res.status != http.StatusForbidden {
			t.Errorf("CSRF token %s: %d", name, res.status)
		}
	}
	if res := h.client().signIn("robert@example.gov.uk", testPassword); res.status != http.StatusSeeOther {
		t.Errorf("the password changed without a CSRF token: %d", res.status)
	}
	if es := h.events("user.password"); len(es) != 0 {
		t.Errorf("audit: %+v", es)
	}
}

func sessionValue(t *testing.T, c *client) string {
	t.Helper()
	for _, ck := range c.c.Jar.Cookies(mustURL(t, c.h.ts.URL)) {
		if ck.Name == sessionCookie {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Wrong current passwords count with wrong sign-ins: after the limit the
// form is refused even with the right one, and signing in is refused too.
func TestPasswordGuessesAreLimited(t *testing.T) {
	h := newHarness(t)
	c := h.signedIn("robert@example.gov.uk")
	const chosen = "a much longer password"
	for i := range DefaultSignInLimit {
		res := c.post("/password", url.Values{"current": {fmt.Sprintf("guess %d", i)}, "password": {chosen}, "confirm": {chosen}})
		if res.status != http.StatusBadRequest {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	res := c.post("/password", url.Values{"current": {testPassword}, "password": {chosen}, "confirm": {chosen}})
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("the right password after %d guesses: %d", DefaultSignInLimit, res.status)
	}
	mustContain(t, res.body, "Too many attempts", "Your password has not been changed")
	if res := h.client().signIn("robert@example.gov.uk", testPassword); res.status != http.StatusTooManyRequests {
		t.Errorf("sign-in after the guesses: %d", res.status)
	}
	if n := len(h.events("user.password.failed")); n != DefaultSignInLimit {
		t.Errorf("audited guesses: %d", n)
	}
	h.clock.advance(DefaultSignInWindow + time.Second)
	if res := c.post("/password", url.Values{"current": {testPassword}, "password": {chosen}, "confirm": {chosen}}); res.status != http.StatusSeeOther && res.status != http.StatusOK {
		t.Errorf("after the window: %d", res.status)
	}
	if res := h.client().signIn("robert@example.gov.uk", chosen); res.status != http.StatusSeeOther {
		t.Errorf("the new password: %d", res.status)
	}
}
