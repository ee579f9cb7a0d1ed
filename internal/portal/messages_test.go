package portal

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"papers/internal/store"
)

// askTheAdministrator is advice to go to whoever runs the portal about an
// account, which the clerks look after on the Accounts page.
var askTheAdministrator = regexp.MustCompile(`(?i)(ask|tell) the administrator|set up by the administrator|only the administrator`)

// TestRefusalsSayWhoCanHelp: the pages that refuse someone (too many
// sign-ins, a page or lead owner that is not theirs) tell them what is true:
// wait so long, or ask a clerk, who sets up accounts, resets passwords,
// unlocks accounts and sets lead owners on the Accounts page.
func TestRefusalsSayWhoCanHelp(t *testing.T) {
	h := newHarness(t)
	check := func(t *testing.T, res result, status int, wants ...string) {
		t.Helper()
		if res.status != status {
			t.Fatalf("%d, want %d\n%s", res.status, status, res.body)
		}
		mustContain(t, res.body, wants...)
		if m := askTheAdministrator.FindString(res.body); m != "" {
			t.Errorf("the page says %q:\n%s", m, res.body)
		}
	}

	t.Run("sign-in page", func(t *testing.T) {
		check(t, h.client().get("/signin"), http.StatusOK, "No account yet, or forgotten your password? Ask a clerk in Democratic Services: clerks set up accounts and reset passwords.")
	})
	t.Run("too many sign-ins", func(t *testing.T) {
		c := h.client()
		for range DefaultSignInLimit {
			c.signIn("jane@example.gov.uk", "guess")
		}
		check(t, c.signIn("jane@example.gov.uk", testPassword), http.StatusTooManyRequests,
			"Wait 15 minutes and try again", "If you have forgotten your password, ask a clerk to reset it.")
		h.clock.advance(DefaultSignInWindow - time.Minute)
		check(t, c.signIn("jane@example.gov.uk", testPassword), http.StatusTooManyRequests, "Wait 1 minute and try again")
		h.clock.advance(time.Minute)
	})
	t.Run("too many wrong current passwords", func(t *testing.T) {
		c := h.signedIn("robert@example.gov.uk")
		form := url.Values{"current": {"not it"}, "password": {"a new and long password"}, "confirm": {"a new and long password"}}
		for range DefaultSignInLimit {
			c.post("/password", form)
		}
		check(t, c.post("/password", form), http.StatusTooManyRequests, "Wait 15 minutes and try again", "Your password has not been changed")
		h.clock.advance(DefaultSignInWindow)
	})
	t.Run("another lead owner's return", func(t *testing.T) {
		jane := h.signedIn("jane@example.gov.uk")
		check(t, jane.get(h.qpath("/officer", "/return?owner=Robert+Henderson")), http.StatusForbidden,
			"Your account answers for Jane Smith, not &#34;Robert Henderson&#34;.",
			"A clerk can change which lead owners an account answers for: ask one if this is wrong.")
	})
	t.Run("a clerk's page", func(t *testing.T) {
		robert := h.signedIn("robert@example.gov.uk")
		check(t, robert.get("/clerk"), http.StatusForbidden, "This page is for clerks. You are signed in as robert@example.gov.uk (officer).",
			"Accounts and their roles are set up by the clerks: ask one if you need this page.")
	})
	t.Run("an officer's page", func(t *testing.T) {
		clerk := h.signedIn("clerk@example.gov.uk")
		check(t, clerk.get("/officer"), http.StatusForbidden, "This page is for officers.", "Accounts and their roles are set up by the clerks")
	})
}

// commandName is one of papers' command-line commands, named in text.
var commandName = regexp.MustCompile(`\bpapers (check|compare|returns|merge|history|export|serve|users|report|pack|run-scheduled|help|completion)\b`)

// sha256Hex is a SHA-256 as papers shows one.
var sha256Hex = regexp.MustCompile(`\b[0-9a-fA-F]{64}\b`)

// TestOfficerPagesNameNoCommands goes through every page an officer can
// be shown, the refusals included: none names a papers command or shows a
// SHA-256. Officers use the portal only; the command line and file
// digests are the clerk's and the administrator's.
func TestOfficerPagesNameNoCommands(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.UploadLimit = 64 << 10 })
	robert := h.signedIn("robert@example.gov.uk")
	pages := map[string]result{
		"sign-in page":                h.client().get("/signin"),
		"returns page":                robert.get("/officer"),
		"password page":               robert.get("/password"),
		"page not found":              robert.get("/nowhere"),
		"a clerk's page":              robert.get("/clerk"),
		"another lead owner's return": robert.get(h.qpath("/officer", "/return?owner=Jane+Smith")),
	}
	pages["not a workbook"], _ = robert.uploadReturn("Robert Henderson", []byte("Ref,Action\n"))
	pages["too large"], _ = robert.uploadReturn("Robert Henderson", make([]byte, 100<<10))
	pages["for another quarter"], _ = robert.uploadReturn("Robert Henderson", xlsx("WRONG QUARTER return", ownerRows(sampleRows, "Robert Henderson")))
	pages["others' actions"], _ = robert.uploadReturn("Robert Henderson", xlsx("Return", sampleRows))
	preview, id := robert.uploadReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Done: " + r.Update }))
	pages["preview"] = preview
	pages["receipt"] = robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}}).follow(robert)
	pages["submitted twice"] = robert.post(h.qpath("/officer", "/submit"), url.Values{"pending": {id}})
	pages["returns page with a return"] = robert.get("/officer")
	pages["a joint owner's returns page"] = h.signedIn("jane@example.gov.uk").get("/officer")
	if id == "" || pages["receipt"].status != http.StatusOK {
		t.Fatalf("upload and submit: %d, %d", preview.status, pages["receipt"].status)
	}
	for name, res := range pages {
		if m := commandName.FindString(res.body); m != "" {
			t.Errorf("%s (%d) names the command %q:\n%s", name, res.status, m, res.body)
		}
		if m := sha256Hex.FindString(res.body); m != "" {
			t.Errorf("%s (%d) shows a SHA-256 (%s):\n%s", name, res.status, m, res.body)
		}
	}
}

// TestOwnerInNoAction: an officer whose lead owner is in no action of the
// last statement (a name spelt otherwise than the plan spells it) is told
// so, not that the owner's actions are all complete.
func TestOwnerInNoAction(t *testing.T) {
	h := newHarness(t)
	h.addUser("rob@example.gov.uk", "Rob Henderson", store.RoleOfficer, "Robert Hendersen", "Robert Henderson")
	page := h.signedIn("rob@example.gov.uk").get("/officer")
	mustContain(t, page.body, "No action in the last statement has Robert Hendersen as its lead owner, so there is nothing to return.",
		"Robert Henderson leads 2 open actions")
	if strings.Contains(page.body, "Robert Hendersen leads no open actions") {
		t.Errorf("the unknown name is said to lead only complete actions:\n%s", page.body)
	}
}
