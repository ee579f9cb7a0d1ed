package portal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"papers/internal/store"
)

// oneTimeShown is the one-time password an account's page shows.
var oneTimeShown = regexp.MustCompile(`id="one-time-password">([^<]+)<`)

// user is the stored account for email.
func (h *harness) user(email string) store.User {
	h.t.Helper()
	u, err := h.db.UserByEmail(context.Background(), email)
	if err != nil {
		h.t.Fatalf("account %s: %v", email, err)
	}
	return u
}

// lastEvent is the newest audit line of action.
func (h *harness) lastEvent(action string) store.Event {
	h.t.Helper()
	es := h.events(action)
	if len(es) == 0 {
		h.t.Fatalf("no %s line in the audit log", action)
	}
	return es[len(es)-1]
}

// wantRedirect wants a 303 to a path starting with prefix, and returns it.
func wantRedirect(t *testing.T, res result, prefix string) string {
	t.Helper()
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%d → %q, want a redirect to %s\n%.3000s", res.status, loc, prefix, res.body)
	}
	return loc
}

// wantFieldError wants the page to show msg beside the field with id and
// in the error summary, linked to the field.
func wantFieldError(t *testing.T, res result, status int, id, msg string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%d, want %d\n%s", res.status, status, res.body)
	}
	body := html.UnescapeString(res.body)
	if !strings.Contains(body, `<li><a href="#`+id+`">`+msg+`</a></li>`) {
		t.Errorf("the summary does not link %q to #%s:\n%s", msg, id, body)
	}
	beside := regexp.MustCompile(`<p class="error-message" id="` + regexp.QuoteMeta(id) + `-error"><span class="visually-hidden">Error:</span> ` + regexp.QuoteMeta(msg) + `</p>\s*<(input|textarea|div|select)[^>]*`)
	m := beside.FindString(body)
	if m == "" {
		t.Errorf("no error %q beside #%s:\n%s", msg, id, body)
	} else if !strings.Contains(m, `aria-describedby`) && !strings.Contains(m, `<div`) {
		t.Errorf("the field does not point at its error: %s", m)
	}
}

// TestAccountsPage: the clerk's Accounts page lists every account with its
// role, lead owners, last sign-in and state, and the lead owners of the
// latest statement whom no account answers for (Cllr = Councillor).
func TestAccountsPage(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	h.signedIn("robert@example.gov.uk")
	jane := h.user("jane@example.gov.uk")
	for range DefaultSignInLimit {
		h.client().signIn("jane@example.gov.uk", "a guess")
	}
	res := clerk.get("/clerk/accounts")
	if res.status != http.StatusOK {
		t.Fatalf("%d\n%s", res.status, res.body)
	}
	text := html.UnescapeString(res.body)
	mustContain(t, text,
		`<a href="/clerk/accounts">Accounts</a>`, // in the header, for clerks
		`Clara Clerk</a> (you)`, "clerk@example.gov.uk",
		fmt.Sprintf(`<a href="/clerk/accounts/%d">Jane Smith</a>`, jane.ID),
		`<td data-label="Lead owners">Robert Henderson</td>`,
		`<td data-label="Last sign-in">10 Jan 2021 09:00</td>`,
		`<td data-label="Last sign-in">Never</td>`,
		`<strong class="tag tag-red">Locked</strong>`,
		"<strong>Cllr Paffey</strong>", "leads 1 action in "+testPlan,
		`name="owner" value="Cllr Paffey"`)
	for _, name := range []string{"<strong>Robert Henderson</strong>", "<strong>Jane Smith</strong>"} {
		if strings.Contains(text, name) {
			t.Errorf("%s has an account but is listed to invite", name)
		}
	}
	if robert := h.signedIn("robert@example.gov.uk"); robert.get("/clerk/accounts").status != http.StatusForbidden {
		t.Error("an officer reached the Accounts page")
	}

	// An account for "Councillor Paffey" answers for "Cllr Paffey".
	h.addUser("paffey@example.gov.uk", "Cllr Paffey", store.RoleOfficer, "Councillor  paffey")
	text = clerk.get("/clerk/accounts").body
	mustContain(t, text, "Every lead owner in the latest statement has an account that answers for them.")
	if strings.Contains(text, `name="owner"`) {
		t.Errorf("Cllr Paffey is still offered an invitation:\n%s", text)
	}
}

// TestInviteOwner: the clerk invites a lead owner with no account; the
// account is an officer's answering for that lead owner, the one-time
// password is shown once (never stored or logged as it is), the audit log
// has the line papers users add writes, and the new officer must change
// the password at the first sign-in.
func TestInviteOwner(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	clerk := h.signedIn("clerk@example.gov.uk")
	form := url.Values{"owner": {"Cllr Paffey"}, "n": {"1"}, "name": {"Pat Paffey"}, "email": {"pat.paffey@example.gov.uk"}}
	loc := wantRedirect(t, clerk.post("/clerk/accounts/invite", form), "/clerk/accounts/")
	u := h.user("pat.paffey@example.gov.uk")
	if u.Role != store.RoleOfficer || !u.MustChangePassword || u.Name != "Pat Paffey" {
		t.Errorf("account: %+v", u)
	}
	owners, _ := h.db.OwnersOf(context.Background(), u.ID)
	if len(owners) != 1 || owners[0] != "Cllr Paffey" {
		t.Errorf("lead owners %q", owners)
	}
	if !strings.Contains(loc, fmt.Sprintf("/clerk/accounts/%d?done=invited&shown=", u.ID)) {
		t.Errorf("redirect %q", loc)
	}
	page := clerk.get(loc)
	m := oneTimeShown.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no one-time password on the page:\n%s", page.body)
	}
	password := m[1]
	mustContain(t, page.body, "The account is made. Pass on the one-time password below.", "It is shown only now")
	// Refreshing the page does not show it again, nor invite again.
	again := clerk.get(loc)
	if strings.Contains(again.body, password) || !strings.Contains(again.body, "The one-time password was shown once and is not shown again") {
		t.Errorf("the password is shown twice:\n%s", again.body)
	}
	e := h.lastEvent("user.add")
	if e.Actor != "clerk@example.gov.uk" || e.Detail != fmt.Sprintf("added officer account %d for pat.paffey@example.gov.uk; lead owners: Cllr Paffey", u.ID) {
		t.Errorf("audit: %+v", e)
	}
	for what, text := range map[string]string{"hash": u.PasswordHash, "log": logs.String(), "audit": fmt.Sprint(h.events(""))} {
		if strings.Contains(text, password) {
			t.Errorf("the password is in the %s", what)
		}
	}
	// The list no longer offers Cllr Paffey.
	if strings.Contains(clerk.get("/clerk/accounts").body, `name="owner" value="Cllr Paffey"`) {
		t.Error("Cllr Paffey is offered again after the invitation")
	}

	pat := h.client()
	wantRedirect(t, pat.signIn("pat.paffey@example.gov.uk", password), "/password")
	pat.csrf = csrfOf(t, pat.get("/password").body)
	wantRedirect(t, pat.get("/officer"), "/password")
	wantRedirect(t, pat.post("/password", url.Values{"password": {"pat's own long password"}, "confirm": {"pat's own long password"}}), "/officer")
	if res := pat.get("/officer"); res.status != http.StatusOK || !strings.Contains(res.body, "Cllr Paffey") {
		t.Errorf("the new officer's page: %d\n%s", res.status, res.body)
	}
}

// TestInviteMistakes: a mistake in an invitation is shown beside its field
// and in the summary, the form keeps what was typed, and nothing is made.
func TestInviteMistakes(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	before := len(h.events("user.add"))
	for _, tc := range []struct {
		name, person, email string
		field, msg          string
	}{
		{"no email", "Pat Paffey", "", "invite-email-1", "Enter the email address they will sign in with"},
		{"no name", "", "pat@example.gov.uk", "invite-name-1", "Enter the name of the person who answers for Cllr Paffey"},
		{"not an email", "Pat Paffey", "pat at example", "invite-email-1", `"pat at example" is not an email address`},
		{"taken", "Pat Paffey", "robert@example.gov.uk", "invite-email-1", "There is already an account for robert@example.gov.uk"},
		{"name too long", strings.Repeat("P", MaxNameLength+1), "pat@example.gov.uk", "invite-name-1", "The name is longer than 200 characters"},
		{"email too long", "Pat", strings.Repeat("p", 250) + "@example.gov.uk", "invite-email-1", "An email address has at most 254 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := clerk.post("/clerk/accounts/invite", url.Values{"owner": {"Cllr Paffey"}, "n": {"1"}, "name": {tc.person}, "email": {tc.email}})
			wantFieldError(t, res, http.StatusBadRequest, tc.field, tc.msg)
			mustContain(t, html.UnescapeString(res.body), `<details class="details" open>`, `value="`+tc.email+`"`)
		})
	}
	if n := len(h.events("user.add")); n != before {
		t.Errorf("%d accounts added by mistaken forms", n-before)
	}
	// Sent twice: the second finds the account made and the lead owner no
	// longer listed, and says so in the summary.
	form := url.Values{"owner": {"Cllr Paffey"}, "n": {"1"}, "name": {"Pat Paffey"}, "email": {"pat@example.gov.uk"}}
	wantRedirect(t, clerk.post("/clerk/accounts/invite", form), "/clerk/accounts/")
	res := clerk.post("/clerk/accounts/invite", form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "<li>There is already an account for pat@example.gov.uk</li>") {
		t.Errorf("invited twice: %d\n%s", res.status, res.body)
	}
}

// TestAccountChanges: each change on an account's page is a POST that
// redirects to the page with a notice, makes the change, and writes the
// audit line papers users writes for it, naming the clerk.
func TestAccountChanges(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	clerk := h.signedIn("clerk@example.gov.uk")
	robert := h.signedIn("robert@example.gov.uk")
	u := h.user("robert@example.gov.uk")
	path := fmt.Sprintf("/clerk/accounts/%d", u.ID)
	do := func(t *testing.T, action string, form url.Values, notice string) {
		t.Helper()
		loc := wantRedirect(t, clerk.post(path+"/"+action, form), path+"?done=")
		mustContain(t, html.UnescapeString(clerk.get(loc).body), notice)
	}
	audited := func(t *testing.T, action, detail string) {
		t.Helper()
		e := h.lastEvent(action)
		if e.Actor != "clerk@example.gov.uk" || e.Detail != detail {
			t.Errorf("audit: %+v, want %q by the clerk", e, detail)
		}
	}

	t.Run("page", func(t *testing.T) {
		res := clerk.get(path)
		if res.status != http.StatusOK {
			t.Fatalf("%d", res.status)
		}
		mustContain(t, res.body, "<h1>Robert Henderson</h1>", "robert@example.gov.uk", ">Robert Henderson</textarea>", "10 Jan 2021 09:00")
	})
	t.Run("disable", func(t *testing.T) {
		do(t, "disable", nil, "The account is disabled")
		audited(t, "user.disable", fmt.Sprintf("disabled officer account %d for robert@example.gov.uk", u.ID))
		if !h.user("robert@example.gov.uk").Disabled {
			t.Error("not disabled")
		}
		wantRedirect(t, robert.get("/officer"), "/signin")
		mustContain(t, clerk.get("/clerk/accounts").body, `<strong class="tag tag-grey">Disabled</strong>`)
	})
	t.Run("enable", func(t *testing.T) {
		do(t, "enable", nil, "The account is enabled")
		audited(t, "user.enable", fmt.Sprintf("enabled officer account %d for robert@example.gov.uk", u.ID))
		do(t, "enable", nil, "Nothing changed")
		robert = h.signedIn("robert@example.gov.uk")
	})
	t.Run("lead owners", func(t *testing.T) {
		do(t, "owners", url.Values{"owners": {"Robert Henderson\r\n  Cllr   Paffey \r\n\r\nrobert henderson"}}, "The lead owners are saved")
		audited(t, "user.owners", fmt.Sprintf("lead owners of officer account %d for robert@example.gov.uk: Robert Henderson; Cllr Paffey (were: Robert Henderson)", u.ID))
		if got, _ := h.db.OwnersOf(ctx, u.ID); strings.Join(got, "; ") != "Cllr Paffey; Robert Henderson" && strings.Join(got, "; ") != "Robert Henderson; Cllr Paffey" {
			t.Errorf("lead owners %q", got)
		}
		do(t, "owners", url.Values{"owners": {"Robert Henderson\nBob Hendersen"}}, "The lead owners are saved")
		mustContain(t, html.UnescapeString(clerk.get(path).body), `No action in the latest statement has “Bob Hendersen” as its lead owner`)
	})
	t.Run("lead owners: mistakes", func(t *testing.T) {
		wantFieldError(t, clerk.post(path+"/owners", url.Values{"owners": {" \n "}}), http.StatusBadRequest, "owners",
			"Enter at least one lead owner, as the plan names them, one a line")
		var many []string
		for i := range MaxOwners + 1 {
			many = append(many, fmt.Sprintf("Owner %d", i))
		}
		res := clerk.post(path+"/owners", url.Values{"owners": {strings.Join(many, "\n")}})
		wantFieldError(t, res, http.StatusBadRequest, "owners", "51 lead owners: an account may answer for at most 50")
		mustContain(t, res.body, "Owner 50</textarea>") // what was typed is kept
	})
	t.Run("role", func(t *testing.T) {
		do(t, "role", url.Values{"role": {"clerk"}}, "The role is changed")
		audited(t, "user.role", fmt.Sprintf("changed officer account %d for robert@example.gov.uk to clerk; lead owners were: Bob Hendersen; Robert Henderson", u.ID))
		if got, _ := h.db.OwnersOf(ctx, u.ID); len(got) != 0 {
			t.Errorf("a clerk answers for %q", got)
		}
		if res := clerk.post(path+"/owners", url.Values{"owners": {"Robert Henderson"}}); res.status != http.StatusBadRequest ||
			!strings.Contains(html.UnescapeString(res.body), "<li>A clerk answers for no lead owners: make the account an officer's first</li>") {
			t.Errorf("a clerk given lead owners: %d\n%s", res.status, res.body)
		}
		do(t, "role", url.Values{"role": {"officer"}}, "The role is changed")
		audited(t, "user.role", fmt.Sprintf("changed clerk account %d for robert@example.gov.uk to officer", u.ID))
		wantFieldError(t, clerk.post(path+"/role", url.Values{"role": {"administrator"}}), http.StatusBadRequest, "role-officer", "Choose officer or clerk")
		do(t, "owners", url.Values{"owners": {"Robert Henderson"}}, "The lead owners are saved")
	})
	t.Run("unlock", func(t *testing.T) {
		for range DefaultSignInLimit {
			h.client().signIn("robert@example.gov.uk", "a guess")
		}
		mustContain(t, clerk.get(path).body, "5 wrong passwords in the last 15 minutes", `<strong class="tag tag-red">Locked</strong>`)
		do(t, "unlock", nil, "The failed sign-ins are forgotten")
		audited(t, "user.unlock", fmt.Sprintf("forgot the failed sign-ins of officer account %d for robert@example.gov.uk", u.ID))
		if fs, _ := h.db.SignInFailures(ctx, "robert@example.gov.uk", "", h.clock.Now().Add(-DefaultSignInWindow), 10); len(fs) != 0 {
			t.Errorf("%d failures left", len(fs))
		}
		mustContain(t, clerk.get(path).body, "No wrong passwords in the last 15 minutes")
	})
	t.Run("reset", func(t *testing.T) {
		loc := wantRedirect(t, clerk.post(path+"/reset", nil), path+"?done=reset&shown=")
		m := oneTimeShown.FindStringSubmatch(clerk.get(loc).body)
		if m == nil {
			t.Fatal("no one-time password shown")
		}
		if strings.Contains(clerk.get(loc).body, m[1]) {
			t.Error("shown twice")
		}
		audited(t, "user.reset", fmt.Sprintf("reset the password of officer account %d for robert@example.gov.uk to a one-time password", u.ID))
		wantRedirect(t, robert.get("/officer"), "/signin") // signed out everywhere
		if h.client().signIn("robert@example.gov.uk", testPassword).status == http.StatusSeeOther {
			t.Error("the old password still works")
		}
		wantRedirect(t, h.client().signIn("robert@example.gov.uk", m[1]), "/password")
		// Another clerk's session cannot take the password shown to this one.
		other := h.signedIn("clerk@example.gov.uk")
		loc = wantRedirect(t, clerk.post(path+"/reset", nil), path+"?done=reset&shown=")
		if oneTimeShown.MatchString(other.get(loc).body) {
			t.Error("another session saw the one-time password")
		}
	})
	t.Run("remove", func(t *testing.T) {
		res := clerk.post(path+"/remove", nil)
		wantFieldError(t, res, http.StatusBadRequest, "confirm", "Tick the box to confirm that the account is to be removed")
		mustContain(t, res.body, ">Robert Henderson</textarea>") // the other forms keep their values
		loc := wantRedirect(t, clerk.post(path+"/remove", url.Values{"confirm": {"yes"}}), "/clerk/accounts?done=removed")
		mustContain(t, clerk.get(loc).body, "The account is removed")
		audited(t, "user.remove", fmt.Sprintf("removed officer account %d for robert@example.gov.uk (Robert Henderson); lead owners were: Robert Henderson", u.ID))
		if _, err := h.db.UserByID(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("still there: %v", err)
		}
		if res := clerk.get(path); res.status != http.StatusNotFound {
			t.Errorf("a removed account's page: %d", res.status)
		}
		// Robert Henderson is now a lead owner with no account.
		mustContain(t, clerk.get("/clerk/accounts").body, `name="owner" value="Robert Henderson"`)
	})
	t.Run("no such account", func(t *testing.T) {
		for _, p := range []string{"/clerk/accounts/99999", "/clerk/accounts/x", "/clerk/accounts/99999999999999999999"} {
			if res := clerk.get(p); res.status != http.StatusNotFound {
				t.Errorf("%s: %d", p, res.status)
			}
		}
		if res := clerk.post("/clerk/accounts/99999/disable", nil); res.status != http.StatusNotFound {
			t.Errorf("disable no one: %d", res.status)
		}
	})
}

// TestAccountsOwnAccount: a clerk cannot disable, remove, demote or reset
// their own account on the page (they would shut themselves out), and is
// not offered to; the store keeps the last enabled clerk whatever the page.
func TestAccountsOwnAccount(t *testing.T) {
	h := newHarness(t)
	clerk := h.signedIn("clerk@example.gov.uk")
	me := h.user("clerk@example.gov.uk")
	path := fmt.Sprintf("/clerk/accounts/%d", me.ID)
	page := clerk.get(path).body
	mustContain(t, page, "This is your own account.")
	for _, action := range []string{"/disable", "/remove", "/role", "/reset"} {
		if strings.Contains(page, `action="`+path+action+`"`) {
			t.Errorf("your own account's page offers %s", action)
		}
	}
	before := len(h.events(""))
	for _, tc := range []struct {
		action string
		form   url.Values
		msg    string
	}{
		{"disable", nil, "You cannot disable your own account here"},
		{"remove", url.Values{"confirm": {"yes"}}, "You cannot remove your own account here"},
		{"role", url.Values{"role": {"officer"}}, "You cannot change the role of your own account here"},
		{"reset", nil, "You cannot reset your own password here"},
	} {
		res := clerk.post(path+"/"+tc.action, tc.form)
		if res.status != http.StatusConflict || !strings.Contains(res.body, tc.msg) {
			t.Errorf("%s: %d\n%s", tc.action, res.status, res.body)
		}
	}
	if n := len(h.events("")); n != before {
		t.Errorf("%d audit lines from refused changes", n-before)
	}
	if u := h.user("clerk@example.gov.uk"); u.Disabled || u.Role != store.RoleClerk || u.PasswordHash != me.PasswordHash {
		t.Errorf("own account changed: %+v", u)
	}
	// The rule the CLI shares: the last enabled clerk stays.
	if _, err := SetAccountDisabled(context.Background(), h.db, me, true, "test", h.clock.Now()); !errors.Is(err, store.ErrLastClerk) {
		t.Errorf("disabling the last clerk: %v", err)
	}
}

// fakeMailer records invitations, or fails.
type fakeMailer struct {
	mu   sync.Mutex
	sent []Invitation
	err  error
}

func (m *fakeMailer) SendInvitation(ctx context.Context, inv Invitation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.sent = append(m.sent, inv)
	return nil
}

// TestAccountsMailer: with a mailer, an invitation's and a reset's one-time
// password go by email (with the portal's sign-in page) and are not shown;
// when sending fails, the page shows the password and says so.
func TestAccountsMailer(t *testing.T) {
	mailer := &fakeMailer{}
	h := newHarness(t, func(c *Config) { c.Mailer = mailer })
	clerk := h.signedIn("clerk@example.gov.uk")
	loc := wantRedirect(t, clerk.post("/clerk/accounts/invite", url.Values{"owner": {"Cllr Paffey"}, "n": {"1"}, "name": {"Pat Paffey"}, "email": {"pat@example.gov.uk"}}), "/clerk/accounts/")
	page := clerk.get(loc).body
	if oneTimeShown.MatchString(page) || !strings.Contains(page, "an email with a one-time password and the portal&#39;s address is on its way") {
		t.Errorf("page after an emailed invitation:\n%s", page)
	}
	if len(mailer.sent) != 1 {
		t.Fatalf("%d emails", len(mailer.sent))
	}
	inv := mailer.sent[0]
	if inv.Email != "pat@example.gov.uk" || inv.Name != "Pat Paffey" || inv.URL != h.ts.URL+"/signin" || inv.Reset || inv.Password == "" {
		t.Errorf("invitation %+v", inv)
	}
	wantRedirect(t, h.client().signIn("pat@example.gov.uk", inv.Password), "/password")

	u := h.user("pat@example.gov.uk")
	wantRedirect(t, clerk.post(fmt.Sprintf("/clerk/accounts/%d/reset", u.ID), nil), fmt.Sprintf("/clerk/accounts/%d?done=resetsent", u.ID))
	if len(mailer.sent) != 2 || !mailer.sent[1].Reset || mailer.sent[1].Password == inv.Password {
		t.Errorf("reset email: %+v", mailer.sent)
	}

	mailer.err = errors.New("connection refused")
	loc = wantRedirect(t, clerk.post(fmt.Sprintf("/clerk/accounts/%d/reset", u.ID), nil), fmt.Sprintf("/clerk/accounts/%d?done=reset&shown=", u.ID))
	page = html.UnescapeString(clerk.get(loc).body)
	if !oneTimeShown.MatchString(page) || !strings.Contains(page, mailFailed) {
		t.Errorf("page after a failed email:\n%s", page)
	}
}

// TestShownOnceBounds: the one-time passwords waiting to be shown are kept
// for the session that made them, for a while, and only so many at once.
func TestShownOnceBounds(t *testing.T) {
	var o shownOnce
	h := newHarness(t)
	now := h.clock.Now()
	first := o.put("s1", 1, "pw-first", now)
	for i := range shownOnceMax {
		o.put("s2", 2, fmt.Sprint("pw", i), now.Add(1))
	}
	if len(o.entries) > shownOnceMax {
		t.Errorf("%d kept", len(o.entries))
	}
	if o.take(first, "s1", 1, now) != "" {
		t.Error("the oldest was kept past the bound")
	}
	k := o.put("s1", 1, "pw", now)
	if o.take(k, "s1", 2, now) != "" || o.take(k, "s9", 1, now) != "" {
		t.Error("taken for another account or session")
	}
	k = o.put("s1", 1, "pw", now)
	if o.take(k, "s1", 1, now.Add(shownOnceTTL)) != "" {
		t.Error("taken after it expired")
	}
	k = o.put("s1", 1, "pw", now)
	if o.take(k, "s1", 1, now) != "pw" || o.take(k, "s1", 1, now) != "" {
		t.Error("not shown exactly once")
	}
}

// syncBuffer is a buffer a logger can write to from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
