package html_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"papers/internal/compare"
	"papers/internal/document"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/workbook"
)

// axeScript is axe-core as npm installs it from axe/package-lock.json.
var axeScript = filepath.Join("axe", "node_modules", "axe-core", "axe.min.js")

// needTools skips the test when Chromium or axe-core is missing, unless CI
// says they must be there (PAPERS_REQUIRE_TOOLS).
func needTools(t *testing.T) (chromium string, axe []byte) {
	t.Helper()
	missing := func(format string, a ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, a...)
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s, and PAPERS_REQUIRE_TOOLS is set (CI must install it)", msg)
		}
		t.Skipf("%s: skipping the accessibility check", msg)
	}
	var err error
	for _, name := range []string{"chromium", "chromium-browser"} {
		if chromium, err = exec.LookPath(name); err == nil {
			break
		}
	}
	if chromium == "" {
		missing("chromium is not installed (apt-get install chromium)")
	}
	if axe, err = os.ReadFile(axeScript); err != nil {
		missing("axe-core is not installed (npm ci --prefix internal/html/axe)")
	}
	return chromium, axe
}

// violation is what axe reports of one broken rule.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// TestAxe loads each page in headless Chromium, runs axe-core on it (with
// the chart's table opened, so that it is checked too) and wants no
// violation of any rule axe runs by default: WCAG 2.x A and AA, and axe's
// best practices.
func TestAxe(t *testing.T) {
	chromium, axe := needTools(t)
	pages := map[string][]byte{
		"sample":         render(t, sampleDoc()),
		"sample report":  render(t, sampleReport(t)),
		"empty document": render(t, &document.Doc{}),
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()

	// A planted fault first: the check must be able to fail.
	planted := axeRun(t, ctx, axe, []byte(`<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="data:,"></main></body></html>`))
	found := map[string]bool{}
	for _, v := range planted {
		found[v.ID] = true
	}
	if !found["html-has-lang"] || !found["image-alt"] {
		t.Fatalf("axe missed the planted faults (no lang, an image without alt): %+v", planted)
	}

	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			for _, v := range axeRun(t, ctx, axe, page) {
				t.Errorf("axe: %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
			}
			// Reflow (WCAG 1.4.10): at 320 CSS pixels wide the page
			// scrolls down only, tables included.
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
				t.Fatal(err)
			}
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.ResetViewport()); err != nil {
				t.Fatal(err)
			}
			if overflow > 0 {
				t.Errorf("at 320 px wide the page is %d px too wide: it scrolls sideways", overflow)
			}
		})
	}
}

// axeRun serves page on 127.0.0.1, loads it in the browser, opens its
// <details> and returns what axe-core finds wrong.
func axeRun(t *testing.T, ctx context.Context, axe, page []byte) []violation {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/report.html"),
		chromedp.Evaluate[chromedp.Void](string(axe)),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => { d.open = true })`),
	); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	var violations []violation
	if err := json.Unmarshal(raw, &violations); err != nil {
		t.Fatalf("axe's result: %v\n%s", err, raw)
	}
	return violations
}

func TestSampleReportStructure(t *testing.T) {
	checkStructure(t, render(t, sampleReport(t)))
}

// sampleReport is the report on the repository's sample workbooks, as
// "papers report" builds it for the meeting of 26 November 2020.
func sampleReport(t *testing.T) *document.Doc {
	t.Helper()
	read := func(name string) *plan.Statement {
		s, err := workbook.ReadFile(filepath.Join("..", "..", "data", name), workbook.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	prev := read("2020-08 draft action plan.xlsx")
	cur := read("2020-10 position statement.xlsx")
	meeting := plan.Day(2020, 11, 26)
	c, err := compare.Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, compare.DefaultOptions(meeting))
	if err != nil {
		t.Fatal(err)
	}
	d, err := report.Build(c, report.Meta{
		Council: "Southampton City Council", Committee: "Children and Families Scrutiny Panel",
		MeetingDate: meeting, DecisionMaker: "Children and Families Scrutiny Panel",
		Subject:  "Progress against the action plan responding to the learning report into the whistleblowing complaint within Children's Social Care Services",
		ReportOf: "Chief Executive", PlanName: "Learning Report Action Plan",
		Contact:         report.Contact{Title: "Chief Executive", Name: "Sandy Hopkins", Tel: "023 8083 2966", Email: "sandy.hopkins@southampton.gov.uk"},
		Confidentiality: "None", KeyDecision: "No", Wards: "All Wards", DueSoonDays: 28,
	}, report.DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	return d
}
