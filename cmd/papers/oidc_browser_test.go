package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"
)

// TestOIDCInBrowser signs the clerk in through the council's identity
// provider (a real OpenID Connect provider on loopback) in Chromium, with
// papers serve configured from config.yaml: the sign-in page offers the
// provider's button, the provider sends the clerk back, and they reach
// their home page. Someone the provider knows but papers does not gets the
// page telling them to ask to be added. axe-core checks both pages.
func TestOIDCInBrowser(t *testing.T) {
	exe := chromium(t)
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })

	// The portal's address is in config (base_url) before it starts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr

	cfg := portalConfigFile(t)
	secret := filepath.Join(filepath.Dir(cfg), "oidc-secret")
	if err := os.WriteFile(secret, []byte(idp.ClientSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	settings := "portal:\n  base_url: " + base + "\n  oidc:\n    issuer: " + idp.Issuer() + "\n    client_id: " + idp.ClientID +
		"\n    client_secret_file: oidc-secret\n    label: Sign in with Example Council\n"
	if !strings.Contains(string(b), "\nportal:\n") {
		t.Fatal("the sample config has no portal: section")
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "\nportal:\n", "\n"+settings, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	addUser(t, cfg, "Clara Clerk", "--email", "clerk@council.example", "--role", "clerk")

	sctx, stop := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(sctx, []string{"serve", "--config", cfg, "--addr", addr}, &stdout, &stderr)
	}()
	t.Cleanup(func() {
		stop()
		if code := <-exited; code != 0 {
			t.Errorf("papers serve: exit %d\n%s", code, stderr.String())
		}
	})
	for deadline := time.Now().Add(10 * time.Second); !regexp.MustCompile(`portal at http://`).MatchString(stdout.String()); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the portal did not start:\n%s", stderr.String())
		}
	}
	if !strings.Contains(stderr.String(), "sign-in with the identity provider is on") {
		t.Errorf("the log does not say the identity provider was found:\n%s", stderr.String())
	}

	browserTab := newTab(t, exe, base)
	ctx, must, text, screenshot := browserTab.ctx, browserTab.must, browserTab.text, browserTab.screenshot
	pressButton := func() {
		t.Helper()
		must("sign-in page", chromedp.Do(ctx, chromedp.Navigate(base+"/")))
		if h1 := text("h1"); h1 != "Sign in" {
			t.Fatalf("start page %q, want the sign-in page", h1)
		}
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`a[href^="/signin/oidc"]`))))
		must("press the provider's button", err)
	}

	must("sign-in page", chromedp.Do(ctx, chromedp.Navigate(base+"/")))
	button := text(`a[href^="/signin/oidc"]`)
	if button != "Sign in with Example Council" {
		t.Errorf("the provider's button says %q", button)
	}
	if _, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("password"))); err != nil {
		t.Errorf("the password form is gone while passwords are on: %v", err)
	}
	screenshot("signin-oidc.png")
	axeCheck(t, ctx, "sign-in page")

	idp.QueueUser(&mockoidc.MockUser{Subject: "c1", Email: "Clerk@Council.example", EmailVerified: true})
	pressButton()
	if h1 := text("h1"); h1 != "Quarters" {
		t.Fatalf("after signing in with the provider: %q, want the clerk's Quarters page\n%s", h1, text("main"))
	}
	if who := text(".account"); !strings.Contains(who, "Clara Clerk") {
		t.Errorf("signed in as %q", who)
	}
	_, err = chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(".account button"))))
	must("sign out", err)

	idp.QueueUser(&mockoidc.MockUser{Subject: "s1", Email: "stranger@council.example", EmailVerified: true})
	pressButton()
	if h1 := text("h1"); h1 != "You do not have an account here" {
		t.Errorf("a stranger: %q", h1)
	}
	if p := text("main"); !strings.Contains(p, "stranger@council.example") || !strings.Contains(p, "ask a clerk to add you") {
		t.Errorf("a stranger is told:\n%s", p)
	}
	screenshot("signin-oidc-no-account.png")
	axeCheck(t, ctx, "no account page")
}

// axeScriptPath is axe-core as npm installs it (npm ci --prefix internal/html/axe).
var axeScriptPath = filepath.Join("..", "..", "internal", "html", "axe", "node_modules", "axe-core", "axe.min.js")

// axeCheck runs axe-core on the page the browser shows and wants no
// violation; without axe-core it skips (fails with PAPERS_REQUIRE_TOOLS).
func axeCheck(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	t.Run("axe "+name, func(t *testing.T) {
		axe, err := os.ReadFile(axeScriptPath)
		if err != nil {
			if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
				t.Fatalf("axe-core is not installed (npm ci --prefix internal/html/axe), and PAPERS_REQUIRE_TOOLS is set")
			}
			t.Skip("axe-core is not installed (npm ci --prefix internal/html/axe): skipping the accessibility check")
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
			t.Fatal(err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
			r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`,
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var violations []struct {
			ID, Impact, Help string
			Nodes            []string
		}
		if err := json.Unmarshal(raw, &violations); err != nil {
			t.Fatalf("axe's result: %v\n%s", err, raw)
		}
		for _, v := range violations {
			t.Errorf("axe: %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
		}
	})
}
