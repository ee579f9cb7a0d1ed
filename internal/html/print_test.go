package html_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPrintPageNumbers prints the sample report's page from headless
// Chromium, without the browser's own header and footer, and wants every
// page to carry "Page N of M" from the stylesheet's @page margin box.
func TestPrintPageNumbers(t *testing.T) {
	chromium := needChromium(t)
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatal("pdftotext is not installed (apt-get install poppler-utils), and PAPERS_REQUIRE_TOOLS is set (CI must install it)")
		}
		t.Skip("pdftotext is not installed (apt-get install poppler-utils): skipping the print check")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	d := sampleReport(t)
	if err := os.WriteFile(page, render(t, d), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer",
		"--print-to-pdf="+out, "file://"+page)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium --print-to-pdf: %v\n%s", err, b)
	}
	b, err := exec.CommandContext(ctx, pdftotext, "-layout", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(b), "\f"), "\f")
	if len(pages) < 2 {
		t.Fatalf("the printed report has %d page(s); want several", len(pages))
	}
	for i, p := range pages {
		want := fmt.Sprintf("Page %d of %d", i+1, len(pages))
		if !strings.Contains(p, want) {
			t.Errorf("printed page %d does not say %q", i+1, want)
		}
		if !strings.Contains(strings.Join(strings.Fields(p), " "), d.Footer) {
			t.Errorf("printed page %d lacks the footer %q, which the PDF and DOCX print on every page", i+1, d.Footer)
		}
	}
}

// needChromium is needTools without axe-core: printing needs only the
// browser.
func needChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium), and PAPERS_REQUIRE_TOOLS is set (CI must install it)")
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipping the print check")
	return ""
}
