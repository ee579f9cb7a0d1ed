package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"papers/internal/mail/mailtest"
	"papers/internal/workbook"
)

// TestEmailInBrowser runs papers serve with email on, in Chromium: the
// clerk invites a lead owner from Accounts and is told the email is on its
// way (no password on the page); the invitation arrives at the SMTP server;
// the new officer signs in with the emailed one-time password, chooses
// their own, downloads their return, fills it in and submits it; the
// receipt arrives with the file's SHA-256.
func TestEmailInBrowser(t *testing.T) {
	exe := chromium(t)
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	srv := mailtest.Start(t)
	cfg := portalConfigFile(t)
	clerkPW := addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")
	serveMail(t, cfg, srv)
	october, err := filepath.Abs(octoberStatement)
	if err != nil {
		t.Fatal(err)
	}
	base, stderr, stop := startServe(t, cfg)

	b := newTab(t, exe, base)
	ctx, must, click, expect, signIn, screenshot, download := b.ctx, b.must, b.click, b.expectExact, b.signIn, b.screenshot, b.download
	waitMail := func(to, subject string) mailtest.Received {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			for _, m := range srv.To(to) {
				if strings.HasPrefix(m.Subject(), subject) {
					return m
				}
			}
		}
		t.Fatalf("no %q email to %s arrived:\n%s", subject, to, stderr.String())
		return mailtest.Received{}
	}

	// The clerk adds October's statement, opens the quarter and invites a
	// lead owner with no account.
	signIn("clerk@council.example", clerkPW)
	expect("Quarters")
	must("add statement", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("statement-quarter"), "2020-Q4"),
		chromedp.SetUploadFiles(chromedp.ID("statement-file"), []string{october}),
	))
	click("add statement", `form[action="/clerk/statements"] button`)
	must("open quarter", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("quarter"), "2021-Q1"),
		chromedp.SendKeys(chromedp.ID("deadline"), "15/01/2021"),
	))
	click("open quarter", "#open")
	expect("Quarter 2021-Q1")
	click("accounts", `.account a[href="/clerk/accounts"]`)
	owner, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`form[action="/clerk/accounts/invite"] input[name="owner"]`)))
	must("read the first lead owner to invite", err)
	must("fill the invitation", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".invite details summary")),
		chromedp.WaitVisible(chromedp.ID("invite-email-1")),
		chromedp.SendKeys(chromedp.ID("invite-email-1"), "invited@council.example"),
	))
	click("invite", `form[action="/clerk/accounts/invite"] button`)
	text := expect(owner, "an email with a one-time password and the portal's address is on its way to them")
	screenshot("clerk-account-invitation-emailed.png")
	invitation := waitMail("invited@council.example", "Your account on the action plan portal")
	pw := oneTimePassword.FindStringSubmatch(invitation.Body)
	if pw == nil {
		t.Fatalf("no one-time password in the invitation:\n%s", invitation.Body)
	}
	if strings.Contains(text, pw[1]) {
		t.Error("the emailed one-time password is on the clerk's page too")
	}
	click("sign out", ".account button")

	// The new officer signs in with the emailed password, chooses their
	// own, and submits the return.
	signIn("invited@council.example", pw[1])
	expect("Choose a new password")
	must("choose a password", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), "the invited officer's own password"),
		chromedp.SendKeys(chromedp.ID("confirm"), "the invited officer's own password"),
	))
	click("save password", `form[action="/password"] button`)
	expect("Your returns", "Return for "+owner)
	blank := download(`a[href*="/return?owner="]`)
	ret, err := workbook.ReadReturn(bytes.NewReader(blank), "return.xlsx", workbook.Options{})
	must("read the return", err)
	ret.Lines[0].Update = "Work under way with partners."
	var filled bytes.Buffer
	must("fill the return", workbook.WriteReturn(&filled, ret, workbook.WriteOptions{}))
	path := filepath.Join(t.TempDir(), "my return.xlsx")
	must("save the return", os.WriteFile(path, filled.Bytes(), 0o644))
	must("choose file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("file-0-0"), []string{path})))
	click("upload", `form[action$="/upload"] button`)
	expect("Check your return before you submit it")
	click("submit", "#submit")
	expect("Return received", "version 1")
	receipt := waitMail("invited@council.example", "Received: the 2021-Q1 return for "+owner)
	db := openConfigDB(t, cfg)
	rs, err := db.ReturnsFor(context.Background(), "Learning Report Action Plan", "2021-Q1")
	if err != nil || len(rs) != 1 {
		t.Fatalf("returns: %v, %d", err, len(rs))
	}
	if !strings.Contains(receipt.Body, "  SHA-256:       "+rs[0].SHA256+"\n") || !strings.Contains(receipt.Body, "  File:          my return.xlsx\n") {
		t.Errorf("receipt:\n%s", receipt.Body)
	}
	if code := stop(); code != 0 {
		t.Errorf("papers serve: exit %d\n%s", code, stderr.String())
	}
}
