package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// tab is a headless Chromium tab on a portal at base, with the steps the
// browser tests take in it. Every step fails the test with what it was
// doing.
type tab struct {
	t         *testing.T
	ctx       context.Context
	base      string
	downloads string
}

// newTab starts Chromium (exe) for the rest of the test, with a fresh
// profile and a two-minute limit on everything done in it.
func newTab(t *testing.T, exe, base string) *tab {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return &tab{t: t, ctx: ctx, base: base, downloads: t.TempDir()}
}

func (b *tab) must(step string, err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

// click clicks an element that loads a new page, and waits for it.
func (b *tab) click(step, css string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(css))))
	b.must(step, err)
}

// text waits for the element css and returns its text as shown.
func (b *tab) text(css string) string {
	b.t.Helper()
	b.must("wait for "+css, chromedp.Do(b.ctx, chromedp.WaitVisible(chromedp.CSS(css))))
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(css)))
	b.must("read "+css, err)
	return s
}

// expect checks the page's h1 and that its main text has each of wants,
// without regard to case (innerText is as shown: tags in capitals are in
// capitals), and returns that text.
func (b *tab) expect(h1 string, wants ...string) string {
	b.t.Helper()
	return b.expectIn(strings.ToLower, h1, wants...)
}

// expectExact is expect with the case of wants kept.
func (b *tab) expectExact(h1 string, wants ...string) string {
	b.t.Helper()
	return b.expectIn(func(s string) string { return s }, h1, wants...)
}

func (b *tab) expectIn(fold func(string) string, h1 string, wants ...string) string {
	b.t.Helper()
	got := b.text("h1")
	text := b.text("main")
	if !strings.Contains(got, h1) {
		b.t.Fatalf("page heading %q, want %q\n%s", got, h1, text)
	}
	for _, w := range wants {
		if !strings.Contains(fold(text), fold(w)) {
			b.t.Errorf("page %q lacks %q:\n%s", h1, w, text)
		}
	}
	return text
}

// signIn signs in on the portal's sign-in page with a password.
func (b *tab) signIn(email, password string) {
	b.t.Helper()
	b.must("sign in as "+email, chromedp.Do(b.ctx,
		chromedp.Navigate(b.base+"/"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	))
	b.click("sign in", `main button[type="submit"]`)
}

// screenshot saves the whole page under screenshotDir as name.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	b.must("screenshot", err)
	b.must("mkdir", os.MkdirAll(screenshotDir, 0o755))
	p := filepath.Join(screenshotDir, name)
	b.must("save screenshot", os.WriteFile(p, png, 0o644))
	b.t.Logf("screenshot: %s", p)
}

// download clicks a link and returns the file the browser saved.
func (b *tab) download(css string) []byte {
	b.t.Helper()
	progress := chromedp.Events(b.ctx, browser.DownloadProgress)
	b.must("download "+css, chromedp.Do(b.ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: b.downloads, EventsEnabled: new(true),
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(css)),
	))
	for ev, err := range progress {
		b.must("download progress", err)
		switch ev.State {
		case browser.DownloadProgressStateCanceled:
			b.t.Fatalf("download of %s cancelled", css)
		case browser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(b.downloads, ev.GUID))
			b.must("read download", err)
			return data
		}
	}
	return nil
}
