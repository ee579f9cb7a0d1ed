package main

import (
	"archive/zip"
	"encoding/json"
	"encoding/xml"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// The bounds on refusing a workbook papers cannot read (issue 5).
const (
	refuseTime   = 5 * time.Second
	refuseMemory = 500 << 20
)

// unreadableInputs are the corpus's files papers must refuse, with what the
// one line says besides the file's name.
var unreadableInputs = map[string]string{
	"truncated.xlsx":          "not a workbook (the file is damaged or incomplete)",
	"not-a-zip.xlsx":          "not a workbook (its contents are not a spreadsheet)",
	"csv-renamed.xlsx":        "not a workbook (it is a text file, perhaps CSV): save it as .xlsx",
	"legacy.xls":              "is an Excel 97-2003 .xls file: open it in Excel or LibreOffice and save it as .xlsx",
	"zero-byte.xlsx":          "is empty (0 bytes)",
	"no-sheet-content.xlsx":   "has no data in any sheet",
	"no-header.xlsx":          "no header row found",
	"password-protected.xlsx": "is password-protected: remove the password",
	"zip-bomb.xlsx":           "is too large: it unpacks to more than 256 MiB",
	"zip-bomb-lying.xlsx":     `sheet "Position Statement", cell B4: has a value of more than 32,767 characters, more than Excel allows in a cell`,
	"rows-100000.xlsx":        `holds more than 16,000,000 characters of text, far more than any action plan: remove sheets and text it does not need and save it again (a longer plan needs a higher ingest.max_rows in config.yaml)`,
}

// TestBadInputCorpus runs papers, each time in a process of its own, on
// every file of testdata/bad-input (and on a 100,000-row plan made here):
// each unreadable one is refused with one line naming it, exit status 1, in
// bounded time and memory, writing nothing; each readable one gives a
// report in which the officers' text survives.
func TestBadInputCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs papers 30 times")
	}
	dir := t.TempDir()
	rows := filepath.Join(dir, "rows-100000.xlsx")
	must(t, os.WriteFile(rows, manyRowsBook(t, 100000), 0o644))
	paths := map[string]string{"rows-100000.xlsx": rows}
	for _, c := range badInputs {
		paths[c.name] = filepath.Join(badInputDir, c.name)
		if _, ok := unreadableInputs[c.name]; ok == c.readable {
			t.Fatalf("%s: readable is %v, but unreadableInputs says otherwise", c.name, c.readable)
		}
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range paths {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		path := paths[name]
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("%v: run go test ./cmd/papers -run TestMakeBadInputCorpus -update", err)
			}
			if want, ok := unreadableInputs[name]; ok {
				refused(t, path, want)
			} else {
				readable(t, name, path)
			}
		})
	}
}

// refused checks that report and check refuse path with one line that
// names it and says want.
func refused(t *testing.T, path, want string) {
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{
		{"report", "--config", sampleConfig, "--current", path, "--out", out},
		{"check", path},
	} {
		r := papersProcess(t, "", time.Minute, args...)
		t.Logf("papers %s: exit %d in %v, peak %d MiB: %s", args[0], r.Code, r.Wall.Round(time.Millisecond), r.MaxRSS>>20, strings.TrimSpace(r.Stderr))
		if r.Code != 1 {
			t.Errorf("papers %s: exit %d, want 1", args[0], r.Code)
		}
		lines := strings.Split(strings.TrimRight(r.Stderr, "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "papers: "+path+": ") || !strings.Contains(lines[0], want) {
			t.Errorf("papers %s: want one line starting %q and saying %q, got:\n%s", args[0], "papers: "+path+": ", want, r.Stderr)
		}
		if strings.Contains(r.Stderr, "panic") || strings.Contains(r.Stderr, "goroutine") {
			t.Errorf("papers %s: stack trace shown:\n%s", args[0], r.Stderr)
		}
		if r.Stdout != "" {
			t.Errorf("papers %s: wrote to stdout:\n%s", args[0], r.Stdout)
		}
		if r.Wall > refuseTime {
			t.Errorf("papers %s: took %v to refuse it, want under %v", args[0], r.Wall, refuseTime)
		}
		if r.MaxRSS > refuseMemory {
			t.Errorf("papers %s: peak memory %d MiB, want under %d MiB", args[0], r.MaxRSS>>20, refuseMemory>>20)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("the output folder %s was created for a refused workbook", out)
	}
}

// reportJSON is the part of the report's JSON these tests read.
type reportJSON struct {
	Current struct {
		Title string `json:"title"`
	} `json:"current"`
	Actions []struct {
		Ref        string  `json:"ref"`
		Action     string  `json:"action"`
		Owner      string  `json:"owner"`
		Update     string  `json:"update"`
		Target     *string `json:"target"`
		TargetText string  `json:"target_text"`
		Change     string  `json:"change"`
	} `json:"actions"`
}

// readable checks that papers reports on path, and that the officers' text
// reaches the JSON and the PDF as they typed it.
func readable(t *testing.T, name, path string) {
	out := filepath.Join(t.TempDir(), "out")
	r := papersProcess(t, "", 2*time.Minute, "report", "--config", sampleConfig, "--current", path, "--out", out)
	t.Logf("papers report: exit %d in %v, peak %d MiB", r.Code, r.Wall.Round(time.Millisecond), r.MaxRSS>>20)
	if r.Code != 0 {
		t.Fatalf("exit %d:\n%s", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stderr, "panic") || strings.Contains(r.Stderr, "goroutine") {
		t.Errorf("stack trace shown:\n%s", r.Stderr)
	}
	files := map[string][]byte{}
	for _, ext := range []string{".pdf", ".docx", ".html", ".json"} {
		b, err := os.ReadFile(filepath.Join(out, "action-plan-progress"+ext))
		if err != nil || len(b) < 1000 {
			t.Fatalf("%s: %v (%d bytes)", ext, err, len(b))
		}
		files[ext] = b
	}
	var rep reportJSON
	must(t, json.Unmarshal(files[".json"], &rep))
	var current []string // every text of the current statement's actions
	actions := 0
	for _, a := range rep.Actions {
		if a.Change != "removed" {
			current = append(current, a.Action, a.Owner, a.Update, a.TargetText)
			actions++
		}
	}
	current = append(current, rep.Current.Title)
	inJSON := func(want ...string) {
		t.Helper()
		for _, w := range want {
			if !slices.Contains(current, w) {
				t.Errorf("the report's JSON has no action text %.80q", w)
			}
		}
	}
	docXML := docxText(t, files[".docx"])
	page := html.UnescapeString(string(files[".html"]))
	var pdf string // the PDF's text without white space
	inPDF := func(want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(pdf, noSpace(w)) {
				t.Errorf("the PDF's text lacks %.80q", w)
			}
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil || os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
		needTool(t, "pdftotext")
		p := filepath.Join(out, "action-plan-progress.pdf")
		b, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
		must(t, err)
		pdf = noSpace(string(b))
	} else {
		t.Log("pdftotext is not installed: the PDF's text is not checked")
		inPDF = func(...string) {}
	}
	// inText checks the JSON, the DOCX and the HTML, which keep every
	// character (Word and browsers find a font for what Liberation Sans
	// lacks); inAll the PDF as well.
	inText := func(want ...string) {
		t.Helper()
		inJSON(want...)
		for _, w := range want {
			if !strings.Contains(docXML, w) {
				t.Errorf("the DOCX lacks %.80q", w)
			}
			if !strings.Contains(page, w) {
				t.Errorf("the HTML lacks %.80q", w)
			}
		}
	}
	inAll := func(want ...string) {
		t.Helper()
		inText(want...)
		inPDF(want...)
	}

	switch name {
	case "formatted-blank-rows.xlsx":
		inAll(ordinaryPlan()[3].action, ordinaryPlan()[3].update)
		if actions != len(ordinaryPlan()) {
			t.Errorf("%d actions in the current statement, want %d", actions, len(ordinaryPlan()))
		}
	case "long-cells.xlsx":
		long := longText(maxCell)
		inJSON(long)
		inPDF(longStart, longEnd)
		if !strings.Contains(docXML, long) || !strings.Contains(page, long) {
			t.Error("the DOCX or the HTML lacks the 32,767-character cell")
		}
	case "control-chars.xlsx":
		// Control characters are dropped as the workbook is read (white
		// space ones become spaces); everything visible is kept.
		inAll("Update with a bell, a tab here, an escape [31mred[0m and a form feed .",
			"Robert Henderson",
			"Relaunch the staff conference]0;owned with practitioners;",
			"Position Statement October 2020")
		inText("Zerowidth, bidi \u202Eoverride\u202C, NEL line, C1 quote, DEL, CRLF line, CR line.")
		for ext, b := range files {
			if ext == ".pdf" || ext == ".docx" {
				continue
			}
			if i := strings.IndexFunc(string(b), isControl); i >= 0 {
				t.Errorf("%s has a control character at byte %d: %q", ext, i, b[max(0, i-20):min(len(b), i+20)])
			}
		}
		if i := strings.IndexFunc(docXML, isControl); i >= 0 {
			t.Errorf("the DOCX has a control character at %d", i)
		}
	case "formula-text.xlsx":
		inAll(formulaTexts...)
	case "welsh-rtl-emoji.xlsx":
		inText(welshAction, welshOwner, arabicUpdate, hebrewUpdate, emojiUpdate, cjkUpdate)
		// In the PDF: Welsh as it is; each emoji the font lacks as one
		// visible □ (its skin tone and a flag's tags go with it);
		// right-to-left words in the order of their letters, drawn left to
		// right (the PDF writer has no bidi), which pdftotext may turn round.
		inPDF(welshAction, welshOwner, cjkUpdate, "Done ✅ □ thanks to the team □ Cymru □")
		if pdf != "" {
			for _, w := range strings.Fields(arabicUpdate + " " + hebrewUpdate) {
				w = strings.Trim(w, ":")
				if !strings.Contains(pdf, w) && !strings.Contains(pdf, reverse(w)) {
					t.Errorf("the PDF's text lacks the right-to-left word %q", w)
				}
			}
		}
	case "impossible-dates.xlsx":
		// Kept as text, with no date, and warned about with the cell.
		inAll(impossibleDates...)
		for i, d := range impossibleDates {
			ok := false
			for _, a := range rep.Actions {
				if a.TargetText == d && a.Change != "removed" {
					ok = a.Target == nil
				}
			}
			if !ok {
				t.Errorf("%q: not kept as the target's text with no date", d)
			}
			cell := "D" + string(rune('4'+i))
			want := name + `: sheet "Position Statement", cell ` + cell + `: cannot read date "` + d + `"`
			if !strings.Contains(r.Stderr, "papers: warning: "+want) {
				t.Errorf("no warning %q in stderr:\n%s", want, r.Stderr)
			}
		}
	default:
		t.Fatalf("no checks for %s", name)
	}

	// papers check reads it too: exit 0 (warnings are not errors), and
	// nothing on stdout a terminal would act on.
	c := papersProcess(t, "", time.Minute, "check", path)
	if c.Code != 0 || c.Stderr != "" {
		t.Errorf("papers check: exit %d, stderr:\n%s", c.Code, c.Stderr)
	}
	if i := strings.IndexFunc(c.Stdout, func(r rune) bool { return isControl(r) && r != '\n' }); i >= 0 {
		t.Errorf("papers check printed a control character: %q", c.Stdout[max(0, i-20):min(len(c.Stdout), i+20)])
	}
	if name == "impossible-dates.xlsx" {
		for i, d := range impossibleDates {
			want := `warning: ` + name + `: sheet "Position Statement", cell D` + string(rune('4'+i)) + `: cannot read date "` + d + `"`
			if !strings.Contains(c.Stdout, want) {
				t.Errorf("papers check does not list %q:\n%s", want, c.Stdout)
			}
		}
	}
}

// isControl reports a control character other than tab and line breaks.
func isControl(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u202B' || r == '\u202C' { // pdftotext marks right-to-left runs
			return -1
		}
		return r
	}, s)
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// docxText is the text of a DOCX's body, its runs joined.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(strings.NewReader(string(b)), int64(len(b)))
	must(t, err)
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		must(t, err)
		defer rc.Close()
		// A strict XML parse: a character XML forbids would stop Word too.
		d := xml.NewDecoder(rc)
		var text strings.Builder
		inText := false
		for {
			tok, err := d.Token()
			if err == io.EOF {
				return text.String()
			}
			if err != nil {
				t.Fatalf("word/document.xml: %v", err)
			}
			switch v := tok.(type) {
			case xml.StartElement:
				inText = v.Name.Local == "t"
				if v.Name.Local == "p" {
					text.WriteByte('\n')
				}
			case xml.EndElement:
				inText = false
			case xml.CharData:
				if inText {
					text.Write(v)
				}
			}
		}
	}
	t.Fatal("the DOCX has no word/document.xml")
	return ""
}
