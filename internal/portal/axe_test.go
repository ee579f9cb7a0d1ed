package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// portalScreenshots is where TestEveryPageAccessible leaves its screenshots.
var portalScreenshots = filepath.Join(os.TempDir(), "papers-portal-screenshots")

// TestEveryPageAccessible walks every page of the portal in headless
// Chromium, in every state the tests can reach (signed out, as an officer,
// as a clerk, forms with mistakes, error pages), and wants axe-core to find
// no violation of the rules it runs by default (WCAG 2.x A and AA, and best
// practices). Every page is also looked at 375 and 320 pixels wide, as on
// a phone: an officer's page must not scroll sideways (nor, as it happens,
// does any other). It leaves a screenshot of each page at desktop and
// phone widths.
func TestEveryPageAccessible(t *testing.T) {
	chromium, axe := browserTools(t)
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	h := newHarness(t)
	// The quarter before: 2021-Q1 sent, accepted and reported on.
	robertC, janeC, clerkC := h.signedIn("robert@example.gov.uk"), h.signedIn("jane@example.gov.uk"), h.signedIn("clerk@example.gov.uk")
	robertC.submitReturn("Robert Henderson", returnFor("Robert Henderson", func(r *row) { r.Update = "Q1: " + r.Update }))
	janeC.submitReturn("Jane Smith", returnFor("Jane Smith", func(r *row) {
		r.Update = "Q1: " + r.Update
		if r.Ref == "1.2" {
			r.Target = "31/05/2021"
		}
	}))
	if res := clerkC.post(h.qpath("/clerk", "/accept"), nil); res.status != 303 {
		t.Fatalf("accept 2021-Q1: %d", res.status)
	}
	if res := clerkC.post(h.qpath("/clerk", "/report"), url.Values{"meeting": {"28/01/2021"}}); res.status != 303 {
		t.Fatalf("build 2021-Q1: %d %s", res.status, res.body)
	}
	q1 := h.qpath("/clerk", "")
	q1Return := h.returns()[1].ID // Robert's: by owner, Jane first
	if h.returns()[1].Owner != "Robert Henderson" {
		t.Fatalf("returns: %+v", h.returns())
	}
	// This quarter: 2021-Q2 open, Jane's return in, Robert's to come.
	h.openQuarter("2021-Q2", "2021-04-15")
	q2 := fmt.Sprintf("/clerk/quarters/%d/2021-Q2", h.planID)
	_, id := janeUpload(t, janeC, h, returnForQ2("Jane Smith", "Jane in Q2"))
	if res := janeC.post(q2Officer(h, "/submit"), url.Values{"pending": {id}}); res.status != 303 {
		t.Fatalf("Jane's 2021-Q2 submit: %d", res.status)
	}
	robertUser := h.user("robert@example.gov.uk")

	dir := t.TempDir()
	goodReturn := filepath.Join(dir, "return.xlsx")
	notXLSX := filepath.Join(dir, "notes.xlsx")
	agreed := filepath.Join(dir, "other plan.xlsx")
	must0 := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must0(os.WriteFile(goodReturn, returnForQ2("Robert Henderson", "Robert in Q2"), 0o644))
	must0(os.WriteFile(notXLSX, []byte("Ref,Action\n"), 0o644))
	must0(os.WriteFile(agreed, xlsx("Other plan", sampleRows), 0o644))

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
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
	b := &browser{t: t, ctx: ctx, base: h.ts.URL, axeJS: axe}
	must0(os.MkdirAll(portalScreenshots, 0o755))

	// Each page: who sees it, how to get there, and text it must show.
	type step func(b *browser)
	open := func(path string) step { return func(b *browser) { b.open(path) } }
	click := func(css string) step { return func(b *browser) { b.click(css) } }
	both := func(steps ...step) step {
		return func(b *browser) {
			for _, s := range steps {
				s(b)
			}
		}
	}
	setFile := func(css, file string) step {
		return func(b *browser) {
			b.must("choose "+file, chromedp.Do(b.ctx, chromedp.SetUploadFiles(chromedp.CSS(css), []string{file})))
		}
	}
	q2o := fmt.Sprintf("/officer/quarters/%d/2021-Q2", h.planID)
	pages := []struct {
		name, as string
		go_      step
		wants    []string
	}{
		{"signin", "", open("/signin"), []string{"Sign in"}},
		{"signin-error", "", both(open("/signin"), click(`main button[type="submit"]`)), []string{"There is a problem"}},
		{"not-found-signed-out", "", open("/nowhere"), []string{"Page not found"}},

		{"officer-home", "robert@example.gov.uk", open("/officer"), []string{"What your joint lead owners have sent", "Jane in Q2", "Your past returns"}},
		{"officer-upload-problem", "robert@example.gov.uk", both(open("/officer"), setFile("#file-0-0", notXLSX), click(`form[action$="/upload"] button`)),
			[]string{"There is a problem", "not an Excel workbook"}},
		{"officer-preview", "robert@example.gov.uk", both(open("/officer"), setFile("#file-0-0", goodReturn), click(`form[action$="/upload"] button`)),
			[]string{"Check your return before you submit it", "Robert in Q2"}},
		{"officer-receipt", "robert@example.gov.uk", click("#submit"), []string{"Return received", "Robert in Q2"}},
		{"officer-past-return", "robert@example.gov.uk", open(fmt.Sprintf("/officer/quarters/%d/2021-Q1/returns/%d", h.planID, q1Return)), []string{"The clerk has accepted this quarter"}},
		{"officer-forbidden-return", "robert@example.gov.uk", open(q2o + "/return?owner=Jane+Smith"), []string{"You cannot act for this lead owner"}},
		{"officer-clerk-page", "robert@example.gov.uk", open("/clerk"), []string{"You cannot use this page"}},
		{"password", "robert@example.gov.uk", open("/password"), []string{"Change your password"}},
		{"password-error", "robert@example.gov.uk", both(open("/password"), click(`main button[type="submit"]`)), []string{"There is a problem", "Enter your current password"}},
		{"signout", "robert@example.gov.uk", open("/signout"), []string{"Sign out"}},
		{"not-found", "robert@example.gov.uk", open("/nowhere"), []string{"Page not found"}},

		{"clerk-home", "clerk@example.gov.uk", open("/clerk"), []string{"Quarters", "Open a quarter"}},
		{"clerk-home-errors", "clerk@example.gov.uk", both(open("/clerk"), click("#open")), []string{"There is a problem", "Enter the quarter"}},
		{"clerk-home-added", "clerk@example.gov.uk", both(open("/clerk"), func(b *browser) {
			b.must("fill", chromedp.Do(b.ctx, chromedp.SetValue(chromedp.CSS("#statement-plan"), "Other Plan"), chromedp.SetValue(chromedp.CSS("#statement-quarter"), "2020-Q4"),
				chromedp.Click(chromedp.CSS("#kind-baseline"))))
		}, setFile("#statement-file", agreed), click(`form[action="/clerk/statements"] button`)), []string{"The workbook you added", "other plan.xlsx"}},
		{"quarter-conflicts", "clerk@example.gov.uk", open(q2), []string{"Conflicts to resolve", "give different values for the update", "Action by action"}},
		{"quarter-enter-error", "clerk@example.gov.uk", both(open(q2), click("#enter summary"), click("#enter-button")), []string{"There is a problem", "Choose the lead owner the return is for"}},
		{"quarter-choose-error", "clerk@example.gov.uk", both(open(q2), click(`form[action$="/choose"] button`)), []string{"Choose which value to use for 2.1"}},
		{"quarter-chosen", "clerk@example.gov.uk", both(open(q2), click("#choice-0-1"), click(`form[action$="/choose"] button`)), []string{"Values you chose", "update"}},
		{"quarter-accepted", "clerk@example.gov.uk", open(q1), []string{"Accepted", "for the meeting on 28 January 2021"}},
		{"return", "clerk@example.gov.uk", open(fmt.Sprintf("%s/returns/%d", q1, q1Return)), []string{"What the return says", "Download this version"}},
		{"history", "clerk@example.gov.uk", open(fmt.Sprintf("/clerk/plans/%d/history", h.planID)), []string{"History of"}},
		{"audit", "clerk@example.gov.uk", open("/clerk/audit"), []string{"Audit log", "statement.accept"}},
		{"audit-filtered", "clerk@example.gov.uk", open("/clerk/audit?quarter=2021-Q1&action=return.submit"), []string{"2 lines"}},
		{"audit-error", "clerk@example.gov.uk", open("/clerk/audit?quarter=Q9"), []string{"There is a problem", "Choose a quarter from the list"}},
		{"accounts", "clerk@example.gov.uk", open("/clerk/accounts"), []string{"Accounts"}},
		{"account", "clerk@example.gov.uk", open(fmt.Sprintf("/clerk/accounts/%d", robertUser.ID)), []string{"Robert Henderson"}},
		{"clerk-officer-page", "clerk@example.gov.uk", open("/officer"), []string{"You cannot use this page"}},
		{"clerk-not-found", "clerk@example.gov.uk", open("/clerk/quarters/1/2031-Q1"), []string{"There is no such quarter"}},
	}

	// A planted fault first: the check must be able to fail.
	b.open("/signin")
	b.must("plant an image with no alt", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("main").appendChild(document.createElement("img"))`)))
	if vs := b.axe(); !slices.ContainsFunc(vs, func(v axeViolation) bool { return v.ID == "image-alt" }) {
		t.Fatalf("axe missed the planted fault (an image without alt): %+v", vs)
	}
	// And a page too wide for a phone (styled from script: the portal's
	// Content-Security-Policy refuses a style attribute).
	b.open("/signin")
	b.must("plant a wide block", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(p => { p.textContent = "wide"; p.style.width = "900px"; document.querySelector("main").appendChild(p) })(document.createElement("p"))`)))
	if b.overflow(375) <= 0 {
		t.Fatal("a page 900 pixels wide is not seen to scroll sideways at 375")
	}

	as := ""
	for _, p := range pages {
		if p.as != as {
			if as != "" {
				b.signOut()
			}
			if p.as != "" {
				b.signIn(p.as)
			}
			as = p.as
		}
		p.go_(b)
		b.check(p.name, p.wants...)
	}
	t.Logf("screenshots: %s", portalScreenshots)
}

func q2Officer(h *harness, suffix string) string {
	return fmt.Sprintf("/officer/quarters/%d/2021-Q2%s", h.planID, suffix)
}

// returnForQ2 is owner's return for 2021-Q2: each update is update.
func returnForQ2(owner, update string) []byte {
	return returnFor(owner, func(r *row) { r.Update = update + " (" + r.Ref + ")" })
}

func janeUpload(t *testing.T, c *client, h *harness, b []byte) (result, string) {
	t.Helper()
	res := c.upload(q2Officer(h, "/upload"), url.Values{"owner": {"Jane Smith"}}, "return.xlsx", b).follow(c)
	m := pendingInput.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("Jane's 2021-Q2 upload: %d %.2000s", res.status, res.body)
	}
	return res, m[1]
}

// browser is headless Chromium on the test's portal.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	axeJS []byte
}

func (b *browser) must(step string, err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.must("open "+path, chromedp.Do(b.ctx, chromedp.Navigate(b.base+path)))
}

// click clicks css and, unless it is a summary or a radio button, waits
// for the page it loads.
func (b *browser) click(css string) {
	b.t.Helper()
	b.must("find "+css, chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(css))))
	inPage, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(e => e.tagName === "SUMMARY" || e.type === "radio")(document.querySelector(%q))`, css)))
	b.must("look at "+css, err)
	if inPage {
		b.must("click "+css, chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(css))))
		return
	}
	_, err = chromedp.Run(b.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(css))))
	b.must("click "+css, err)
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	b.open("/signin")
	b.must("sign in", chromedp.Do(b.ctx,
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword)))
	b.click(`main button[type="submit"]`)
}

func (b *browser) signOut() {
	b.t.Helper()
	b.open("/signout")
	b.click(`main button[type="submit"]`)
}

// axe runs axe-core on the page as it is, with closed <details> opened.
func (b *browser) axe() []axeViolation {
	b.t.Helper()
	b.must("load axe", chromedp.Do(b.ctx,
		chromedp.Evaluate[chromedp.Void](string(b.axeJS)),
		chromedp.Evaluate[chromedp.Void](`window.closedDetails = [...document.querySelectorAll("details:not([open])")]; closedDetails.forEach(d => { d.open = true })`)))
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`,
		chromedp.EvalAwaitPromise))
	b.must("run axe", err)
	b.must("close details", chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](`closedDetails.forEach(d => { d.open = false })`)))
	var vs []axeViolation
	b.must("read axe's result", json.Unmarshal(raw, &vs))
	return vs
}

// overflow is how many pixels too wide the page is at width.
func (b *browser) overflow(width int64) int {
	b.t.Helper()
	b.must("phone", chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 740)))
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	b.must("measure", err)
	return n
}

// check wants the page to show wants, axe to find nothing, and no
// sideways scrolling 375 pixels wide; it saves screenshots.
func (b *browser) check(name string, wants ...string) {
	b.t.Helper()
	text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("main")))
	b.must("read "+name, err)
	for _, w := range wants {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
			b.t.Errorf("%s: the page lacks %q:\n%s", name, w, text)
		}
	}
	for _, v := range b.axe() {
		b.t.Errorf("%s: axe: %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
	shot := func(suffix string) {
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		b.must("screenshot", err)
		b.must("save screenshot", os.WriteFile(filepath.Join(portalScreenshots, name+suffix+".png"), png, 0o644))
	}
	b.must("desktop", chromedp.Do(b.ctx, chromedp.EmulateViewport(1100, 900)))
	shot("")
	if n := b.overflow(320); n > 0 {
		b.t.Errorf("%s: at 320 px wide the page is %d px too wide: it scrolls sideways", name, n)
	}
	if n := b.overflow(375); n > 0 {
		b.must("phone", chromedp.Do(b.ctx, chromedp.EmulateViewport(375, 740)))
		wide, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`))
		b.t.Errorf("%s: at 375 px wide the page is %d px too wide: it scrolls sideways (%s)", name, n, wide)
	}
	shot("-phone")
	b.must("reset viewport", chromedp.Do(b.ctx, chromedp.ResetViewport()))
}
