package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAccountsWithoutPasswords: when people sign in only with the identity
// provider, an invitation gives no one-time password (it could never be
// used), by email or on the page; the account shows as active, not waiting
// for a password; and there is no password to reset.
func TestAccountsWithoutPasswords(t *testing.T) {
	p := newProvider(t, nil)
	mailer := &fakeMailer{}
	for _, withMail := range []bool{false, true} {
		t.Run(map[bool]string{false: "shown on the page", true: "by email"}[withMail], func(t *testing.T) {
			opts := []option{func(c *Config) { c.PasswordsOff = true }}
			if withMail {
				opts = append(opts, func(c *Config) { c.Mailer = mailer })
			}
			h := providerHarness(t, p, opts...)
			clerk := h.client()
			p.user("clerk@example.gov.uk", true)
			clerk.oidcSignIn("")
			clerk.csrf = csrfOf(t, clerk.get("/clerk/accounts").body)
			form := url.Values{"owner": {"Cllr Paffey"}, "n": {"1"}, "name": {"Pat Paffey"}, "email": {"pat.paffey@example.gov.uk"}}
			loc := wantRedirect(t, clerk.post("/clerk/accounts/invite", form), "/clerk/accounts/")
			u := h.user("pat.paffey@example.gov.uk")
			want := fmt.Sprintf("/clerk/accounts/%d?done=invitedsso", u.ID)
			if withMail {
				want += "sent"
			}
			if loc != want {
				t.Errorf("redirect %q, want %q", loc, want)
			}
			page := clerk.get(loc).body
			if strings.Contains(page, "one-time password") || strings.Contains(page, "One-time password") || oneTimeShown.MatchString(page) {
				t.Errorf("the page speaks of a one-time password:\n%s", page)
			}
			mustContain(t, page, "no password is needed", ">Active<")
			if strings.Contains(page, `/reset"`) {
				t.Error("the account page offers a password reset")
			}
			if withMail {
				if len(mailer.sent) != 1 || mailer.sent[0].Password != "" || mailer.sent[0].Provider != "Sign in with Example Council" {
					t.Errorf("invitations sent: %+v", mailer.sent)
				}
			}
			res := clerk.post(fmt.Sprintf("/clerk/accounts/%d/reset", u.ID), url.Values{})
			if res.status != http.StatusConflict || !strings.Contains(res.body, "no password to reset") {
				t.Errorf("reset: %d\n%s", res.status, res.body)
			}
			if e := h.events("user.reset"); len(e) != 0 {
				t.Errorf("a reset was recorded: %+v", e)
			}
		})
	}
}
