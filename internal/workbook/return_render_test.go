package workbook

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"papers/internal/returns"
)

// retNeedTool returns the path of a program from Debian the test needs. It
// skips the test when the program is missing, unless PAPERS_REQUIRE_TOOLS is
// set (as in CI), when it fails.
func retNeedTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed (Debian package %s) and PAPERS_REQUIRE_TOOLS is set", name, pkg)
		}
		t.Skipf("%s is not installed (Debian package %s): skipping", name, pkg)
	}
	return p
}

// TestLibreOfficeOpensReturn converts a filled-in return to PDF with
// LibreOffice, as a clerk might print it, and checks every cell's text is
// on the page: the row heights leave no wrapped text cut off. The PDF and
// a PNG of its first page (pdftoppm -r 60) are left in PAPERS_RENDER_DIR
// when that is set, to look at.
func TestLibreOfficeOpensReturn(t *testing.T) {
	if testing.Short() {
		t.Skip("starts LibreOffice")
	}
	soffice := retNeedTool(t, "soffice", "libreoffice-calc-nogui")
	pdftotext := retNeedTool(t, "pdftotext", "poppler-utils")
	pdftoppm := retNeedTool(t, "pdftoppm", "poppler-utils")

	r := retFor(t, "Robert Henderson")
	updates := []string{
		"Vision statement agreed by the Improvement Board on 14 December 2020 and published to all staff; practice framework workshops held with every team, and the vision is now part of induction for new starters.",
		"Strategy drafted with the communications lead; staff reference group consulted in December.",
	}
	for i := range r.Lines[:len(updates)] {
		r.Lines[i].Update = updates[i]
		r.Lines[i].Status = returns.StatusOnTrack
	}
	dir := os.Getenv("PAPERS_RENDER_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "return.xlsx")
	if err := os.WriteFile(xlsx, retBytes(t, r, WriteOptions{}), 0o644); err != nil {
		t.Fatal(err)
	}
	profile := "file://" + filepath.ToSlash(t.TempDir())
	out, err := exec.Command(soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf", "--outdir", dir, xlsx).CombinedOutput()
	pdf := filepath.Join(dir, "return.pdf")
	if _, statErr := os.Stat(pdf); err != nil || statErr != nil {
		t.Fatalf("soffice: %v %v\n%s", err, statErr, out)
	}
	if out, err := exec.Command(pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", pdf, filepath.Join(dir, "return")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	t.Logf("rendered %s and its first page as PNG in %s (set PAPERS_RENDER_DIR to keep them)", pdf, dir)

	// Saved again by LibreOffice, as an officer without Excel would, the
	// return reads back the same and keeps its protection.
	resaved := filepath.Join(t.TempDir(), "resaved")
	out, err = exec.Command(soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
		"--outdir", resaved, xlsx).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	again, err := ReadReturnFile(filepath.Join(resaved, "return.xlsx"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Owner != r.Owner || again.Quarter != r.Quarter || len(again.Lines) != len(r.Lines) {
		t.Fatalf("LibreOffice's copy reads as %q %q with %d lines", again.Owner, again.Quarter, len(again.Lines))
	}
	for i, l := range again.Lines {
		w := r.Lines[i]
		if l.Ref != w.Ref || l.Action != w.Action || l.Previous != w.Previous || l.Update != w.Update || l.Status != w.Status {
			t.Errorf("LibreOffice's copy, line %d: %+v", i, l)
		}
	}
	if b, err := os.ReadFile(filepath.Join(resaved, "return.xlsx")); err != nil ||
		!strings.Contains(retPart(t, b, "xl/worksheets/sheet1.xml"), `<sheetProtection algorithmName="SHA-512"`) {
		t.Errorf("LibreOffice's copy lost the sheet's protection (%v)", err)
	}

	txt, err := exec.Command(pdftotext, "-raw", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Compare words, ignoring the line breaks LibreOffice chose.
	text := strings.Join(strings.Fields(string(txt)), " ")
	for _, want := range []string{"Quarterly return for Robert Henderson", "Previous update", "Reason for change"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	// The last words of every wrapped cell are on the page: none is cut off
	// by too short a row.
	for _, l := range r.Lines {
		for _, cell := range []string{l.Action, l.Previous, l.Update} {
			words := strings.Fields(cell)
			if len(words) < 3 {
				continue
			}
			tail := strings.Join(words[len(words)-2:], " ")
			if !strings.Contains(text, tail) {
				t.Errorf("%s: the end of %q is not on the page (cut off?)", l.Ref, cell)
			}
		}
	}
}
