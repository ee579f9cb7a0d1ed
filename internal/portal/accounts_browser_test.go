package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axeScript is axe-core as npm installs it for the HTML report's test
// (npm ci --prefix internal/html/axe).
var axeScript = filepath.Join("..", "html", "axe", "node_modules", "axe-core", "axe.min.js")

// accountsScreenshots is where TestAccountsAccessible leaves its screenshots.
var accountsScreenshots = filepath.Join(os.TempDir(), "papers-accounts-screenshots")

// browserTools returns Chromium and axe-core, or skips the test when either
// is missing (fails when PAPERS_REQUIRE_TOOLS is set: CI must have them).
func browserTools(t *testing.T) (chromium string, axe []byte) {
	t.Helper()
	missing := func(msg string) {
		t.Helper()
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s, and PAPERS_REQUIRE_TOOLS is set (CI must install it)", msg)
		}
		t.Skipf("%s: skipping the browser check", msg)
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		missing("chromium is not installed (apt-get install chromium)")
	}
	axe, err := os.ReadFile(axeScript)
	if err != nil {
		missing("axe-core is not installed (npm ci --prefix internal/html/axe)")
	}
	return chromium, axe
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// TestAccountsAccessible walks the clerk's Accounts pages in headless
// Chromium, in each state they can be in (the list with lead owners to
// invite, an invitation with mistakes, an account's page, its one-time
// password, a removal not confirmed, the clerk's own account), and wants
// axe-core to find no violation of the rules it runs by default (WCAG 2.x
// A and AA, and best practices), and no sideways scrolling on a phone. It
// leaves a screenshot of each page at desktop and phone widths.
func TestAccountsAccessible(t *testing.T) {
	chromium, axe := browserTools(t)
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	h := newHarness(t)
	for range DefaultSignInLimit {
		h.client().signIn("jane@example.gov.uk", "a guess")
	}
	robert := h.user("robert@example.gov.uk")
	clerk := h.user("clerk@example.gov.uk")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	click := func(step, css string) {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(css))))
		must(step, err)
	}
	open := func(path string) {
		t.Helper()
		must("open "+path, chromedp.Do(ctx, chromedp.Navigate(h.ts.URL+path)))
	}
	must("mkdir", os.MkdirAll(accountsScreenshots, 0o755))
	// check runs axe on the page as it is, looks at it 375 and 320 pixels
	// wide, and saves screenshots.
	runAxe := func(name string) []axeViolation {
		t.Helper()
		must("load axe", chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](string(axe)),
			// Closed <details> are opened for axe to check, then closed again.
			chromedp.Evaluate[chromedp.Void](`window.closedDetails = [...document.querySelectorAll("details:not([open])")]; closedDetails.forEach(d => { d.open = true })`)))
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
			r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`,
			chromedp.EvalAwaitPromise))
		must("run axe on "+name, err)
		must("close details", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`closedDetails.forEach(d => { d.open = false })`)))
		var vs []axeViolation
		must("read axe's result", json.Unmarshal(raw, &vs))
		return vs
	}
	check := func(name string, wants ...string) {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		must("read "+name, err)
		for _, w := range wants {
			if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) { // innerText: tags are in capitals
				t.Errorf("%s: the page lacks %q:\n%s", name, w, text)
			}
		}
		vs := runAxe(name)
		for _, v := range vs {
			t.Errorf("%s: axe: %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
		}
		shot := func(suffix string) {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			must("screenshot", err)
			must("save screenshot", os.WriteFile(filepath.Join(accountsScreenshots, name+suffix+".png"), png, 0o644))
		}
		must("desktop", chromedp.Do(ctx, chromedp.EmulateViewport(1100, 900)))
		shot("")
		for _, width := range []int64{375, 320} {
			must("phone", chromedp.Do(ctx, chromedp.EmulateViewport(width, 740)))
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			must("measure", err)
			if overflow > 0 {
				t.Errorf("%s: at %d px wide the page is %d px too wide: it scrolls sideways", name, width, overflow)
			}
			if width == 375 {
				shot("-phone")
			}
		}
		must("reset viewport", chromedp.Do(ctx, chromedp.ResetViewport()))
	}

	open("/signin")
	must("sign in", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "clerk@example.gov.uk"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword)))
	click("sign in", `main button[type="submit"]`)

	open("/clerk/accounts")
	// A planted fault first: the check must be able to fail.
	must("plant an image with no alt", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("main").appendChild(document.createElement("img"))`)))
	if vs := runAxe("planted"); !slices.ContainsFunc(vs, func(v axeViolation) bool { return v.ID == "image-alt" }) {
		t.Fatalf("axe missed the planted fault (an image without alt): %+v", vs)
	}
	open("/clerk/accounts")
	check("accounts", "Lead owners with no account", "Cllr Paffey", "Locked")
	// An invitation with no email address: the error beside the field.
	must("open the invitation", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("details summary"))))
	click("invite", `form[action="/clerk/accounts/invite"] button`)
	check("accounts-invite-error", "There is a problem", "Enter the email address they will sign in with")

	open(fmt.Sprintf("/clerk/accounts/%d", robert.ID))
	check("account", "Robert Henderson", "Lead owners", "Reset password")
	click("reset", "#reset")
	check("account-password", "One-time password for Robert Henderson", "It is shown only now")
	must("open removal", chromedp.Do(ctx, chromedp.Click(chromedp.CSS("details summary"))))
	click("remove unconfirmed", "#remove")
	check("account-remove-error", "Tick the box to confirm that the account is to be removed")
	open(fmt.Sprintf("/clerk/accounts/%d", clerk.ID))
	check("account-own", "This is your own account.")
	t.Logf("screenshots: %s", accountsScreenshots)
}
