package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"papers/internal/plan"
	"papers/internal/workbook"
)

// chromium returns Debian's Chromium, or skips the test when it is absent
// (fails when PAPERS_REQUIRE_TOOLS is set: CI must have it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
		t.Fatal("chromium is not installed, and PAPERS_REQUIRE_TOOLS is set (CI must install it)")
	}
	t.Skip("chromium is not installed: skipping the browser test (apt-get install --no-install-recommends chromium)")
	return ""
}

// screenshotDir is where the browser test leaves its screenshots.
var screenshotDir = filepath.Join(os.TempDir(), "papers-portal-screenshots")

// TestPortalInBrowser runs a quarter through papers serve in Chromium: the
// clerk adds October's statement and opens 2021-Q1; on Accounts, the clerk
// invites a lead owner with no account, who signs in with the one-time
// password and must choose their own; the officer downloads
// the return, fills it in, uploads it, checks the preview and submits; the
// clerk accepts the statement, builds the report and downloads the PDF.
func TestPortalInBrowser(t *testing.T) {
	exe := chromium(t)
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	cfg := portalConfigFile(t)
	clerkPW := addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")
	officerPW := addUser(t, cfg, "Robert Henderson", "--email", "robert@council.example", "--role", "officer", "--owner", "Robert Henderson")
	october, err := filepath.Abs(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}

	sctx, stop := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(sctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	t.Cleanup(func() {
		stop()
		if code := <-exited; code != 0 {
			t.Errorf("papers serve: exit %d\n%s", code, stderr.String())
		}
	})
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`portal at (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the portal did not start:\n%s", stderr.String())
		}
	}

	b := newTab(t, exe, base)
	ctx, must, click, expect, signIn, download, screenshot := b.ctx, b.must, b.click, b.expect, b.signIn, b.download, b.screenshot
	signOut := func() {
		t.Helper()
		click("sign out", ".account button")
		expect("Sign in")
	}

	// The clerk adds October's statement and opens the quarter.
	signIn("clerk@council.example", clerkPW)
	expect("Quarters", "No quarter has been opened yet")
	plan0, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("statement-plan")))
	must("read plan", err)
	if plan0 != "Learning Report Action Plan" {
		t.Errorf("the plan's name is not offered from config: %q", plan0)
	}
	must("add statement", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("statement-quarter"), "2020-Q4"),
		chromedp.SetUploadFiles(chromedp.ID("statement-file"), []string{october}),
	))
	click("add statement", `form[action="/clerk/statements"] button`)
	expect("Quarters", "2020-10 position statement.xlsx is kept as the position statement for 2020-Q4, version 1")
	screenshot("clerk-home.png")
	must("open quarter", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("quarter"), "2021-Q1"),
		chromedp.SendKeys(chromedp.ID("deadline"), "15/01/2021"),
	))
	click("open quarter", "#open")
	expect("Quarter 2021-Q1", "15 January 2021", "0 received")

	// The clerk opens Accounts and invites the first lead owner of
	// October's statement who has no account.
	click("accounts", `.account a[href="/clerk/accounts"]`)
	expect("Accounts", "Robert Henderson", "Lead owners with no account", "2020-Q4")
	screenshot("clerk-accounts.png")
	owner, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`form[action="/clerk/accounts/invite"] input[name="owner"]`)))
	must("read the first lead owner to invite", err)
	if owner == "" || strings.EqualFold(owner, "Robert Henderson") {
		t.Fatalf("lead owner to invite: %q", owner)
	}
	must("fill the invitation", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".invite details summary")),
		chromedp.WaitVisible(chromedp.ID("invite-email-1")),
		chromedp.SendKeys(chromedp.ID("invite-email-1"), "invited@council.example"),
	))
	click("invite", `form[action="/clerk/accounts/invite"] button`)
	expect(owner, "The account is made", "One-time password for "+owner, "It is shown only now", owner)
	screenshot("clerk-account-invited.png")
	invitedPW, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("one-time-password")))
	must("read the one-time password", err)
	invitedPW = strings.TrimSpace(invitedPW)
	signOut()

	// The new officer signs in with it, must choose their own password,
	// and sees the return for their lead owner.
	signIn("invited@council.example", invitedPW)
	expect("Choose a new password", "works only once")
	must("choose a password", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), "the invited officer's own password"),
		chromedp.SendKeys(chromedp.ID("confirm"), "the invited officer's own password"),
	))
	click("save password", `form[action="/password"] button`)
	expect("Your returns", "Return for "+owner)
	signOut()
	signIn("invited@council.example", invitedPW)
	expect("Sign in", "Enter a correct email address and password") // it worked once

	// The officer downloads the return, fills it in and uploads it.
	signIn("robert@council.example", officerPW)
	expect("Your returns", "Return for Robert Henderson", "Not sent yet")
	screenshot("officer-returns.png")
	blank := download(`a[href*="/return?owner="]`)
	ret, err := workbook.ReadReturn(bytes.NewReader(blank), "return.xlsx", workbook.Options{})
	must("read the downloaded return", err)
	// The officer's typing: the first action done, the second's target
	// revised with a reason, and a little HTML in an update.
	ret.Lines[0].Update, ret.Lines[0].Status = "Vision launched at the partnership board. <b>Well received</b>.", "Complete"
	ret.Lines[0].Completed = plan.TargetDate{Date: plan.Day(2020, time.December, 15), Precision: plan.PrecisionDay, Text: "15/12/2020"}
	ret.Lines[1].Update, ret.Lines[1].Status = "Drafting slowed by the Covid surge.", "At risk"
	ret.Lines[1].Revised = plan.TargetDate{Date: plan.Day(2021, time.April, 30), Precision: plan.PrecisionDay, Text: "30/04/2021"}
	ret.Lines[1].Reason = "Staff redeployed in the second wave"
	var filled bytes.Buffer
	must("fill the return", workbook.WriteReturn(&filled, ret, workbook.WriteOptions{}))
	path := filepath.Join(t.TempDir(), "2021-Q1 return - Robert Henderson (done).xlsx")
	must("save the return", os.WriteFile(path, filled.Bytes(), 0o644))
	must("choose file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("file-0-0"), []string{path})))
	click("upload", `form[action$="/upload"] button`)
	expect("Check your return before you submit it",
		"2021-Q1 return - Robert Henderson (done).xlsx", "Completed on 15 Dec 2020", "Target moved from Mar 2021 to 30 Apr 2021 (30 days later)",
		"Status given: At risk", "Reason for change: Staff redeployed in the second wave",
		"Vision launched at the partnership board. <b>Well received</b>.", "You left")
	screenshot("officer-upload-preview.png")
	click("submit", "#submit")
	expect("Return received", "version 1")
	signOut()

	// The clerk accepts, builds and downloads the PDF.
	signIn("clerk@council.example", clerkPW)
	expect("Quarters")
	click("go to the quarter", `table a[href^="/clerk/quarters/"]`)
	expect("Quarter 2021-Q1", "1 received", "No conflicts", "Completed this quarter")
	screenshot("clerk-quarter.png")
	click("accept", "#accept-button")
	expect("Quarter 2021-Q1", "accepted and kept in the history")
	must("meeting date", chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("meeting"), "28/01/2021")))
	click("build", "#build")
	expect("Quarter 2021-Q1", "The report is built", "The report as PDF")
	screenshot("clerk-quarter-built.png")
	pdf := download(`a[href$="/report/pdf"]`)
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("the report is not a PDF: %.40q", pdf)
	}
	if _, err := url.Parse(base); err != nil {
		t.Fatal(err)
	}
}
