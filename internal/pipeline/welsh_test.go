package pipeline

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"papers/internal/pdfua"
	"papers/internal/plan"
	"papers/internal/report"
)

// A council whose wording marks Welsh ([text]{lang=cy}) gets those words
// in Welsh in every writer: the PDF's Spans with /Lang, the HTML's lang
// attributes, the DOCX's w:lang; the PDF still passes the accessibility
// check. An officer's text that looks like the markup stays text.
func TestWelshWordingEndToEnd(t *testing.T) {
	cover := report.DefaultTemplate().Text
	for _, r := range [][2]string{
		{"## BRIEF SUMMARY\n", "## BRIEF SUMMARY / [CRYNODEB]{lang=cy}\n\n[Mae’r adroddiad hwn yn nodi’r cynnydd yn erbyn y cynllun gweithredu.]{lang=cy}\n"},
		{"## RECOMMENDATIONS:\n", "## RECOMMENDATIONS:\n\n**Recommendations / [Argymhellion]{lang=cy}**\n"},
	} {
		if !strings.Contains(cover, r[0]) {
			t.Fatalf("the built-in wording has no %q", r[0])
		}
		cover = strings.Replace(cover, r[0], r[1], 1)
	}
	s := settings()
	s.Template = report.Template{Name: "cover-report.md", Text: cover}
	prev, cur := bigStatement(20), bigStatement(21)
	const officer = "[Cynnydd]{lang=cy} **not bold** {lang=cy}"
	cur.Actions[20].Text = officer
	cur.Actions[20].Owner, cur.Actions[20].Owners = "Swyddog ]{lang=en}", []string{"Swyddog ]{lang=en}"}
	out, err := Build(context.Background(), plan.Inputs{Previous: prev, Current: cur}, s, nil)
	if err != nil {
		t.Fatal(err)
	}

	// PDF: the Welsh heading, paragraph and sub-heading words are Spans
	// with /Lang (cy); nothing else is.
	if n := strings.Count(inflated(out.PDF), "/S /Span"); n != 3 {
		t.Errorf("%d Span elements in the PDF, want 3", n)
	}
	if got := regexp.MustCompile(`<<[^<>]*/S /Span[^<>]*/Lang \(cy\)>>`).FindAllString(inflated(out.PDF), -1); len(got) != 3 {
		t.Errorf("%d Spans with /Lang (cy), want 3: %q", len(got), got)
	}
	rep, err := pdfua.Check(bytes.NewReader(out.PDF))
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Err(); err != nil || !rep.Tagged {
		t.Errorf("the PDF fails the accessibility check (tagged %v): %v", rep.Tagged, err)
	}

	page := string(out.HTML)
	for _, want := range []string{
		`>BRIEF SUMMARY / <span lang="cy">CRYNODEB</span></h2>`,
		`<p><span lang="cy">Mae’r adroddiad hwn yn nodi’r cynnydd yn erbyn y cynllun gweithredu.</span></p>`,
		`>Recommendations / <span lang="cy">Argymhellion</span></h3>`,
		`[Cynnydd]{lang=cy} **not bold** {lang=cy} (Swyddog ]{lang=en}).`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if n := strings.Count(page, `<span lang=`); n != 3 {
		t.Errorf("%d spans with a lang in the HTML, want 3", n)
	}

	doc := docxPart(t, out.DOCX, "word/document.xml")
	if n := strings.Count(doc, `<w:lang w:val="cy"/>`); n != 3 {
		t.Errorf("%d runs in Welsh in the DOCX, want 3", n)
	}
	if !strings.Contains(doc, officer) {
		t.Errorf("the DOCX lacks the officer's text as written: %s", officer)
	}

	needPoppler(t)
	path := filepath.Join(t.TempDir(), "report.pdf")
	os.WriteFile(path, out.PDF, 0o644)
	st, err := exec.Command("pdfinfo", "-struct-text", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Span (inline)\n      \"CRYNODEB\"", "Span (inline)\n      \"Argymhellion\""} {
		if !strings.Contains(string(st), want) {
			t.Errorf("pdfinfo -struct-text lacks %q", want)
		}
	}
	text, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(text)), " "), "[Cynnydd]{lang=cy} **not bold** {lang=cy} (Swyddog ]{lang=en})") {
		t.Error("the PDF lacks the officer's text as written")
	}
}

func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PAPERS_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s not installed (poppler-utils) and PAPERS_REQUIRE_TOOLS=1", tool)
			}
			t.Skipf("%s not installed (poppler-utils): skipping the PDF's text", tool)
		}
	}
}

// inflated is a PDF's compressed streams, object streams among them,
// inflated and joined: where the structure tree's objects are.
func inflated(pdf []byte) string {
	var b strings.Builder
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		if zr, err := zlib.NewReader(bytes.NewReader(rest)); err == nil {
			data, _ := io.ReadAll(zr)
			b.Write(data)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func docxPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return string(b)
		}
	}
	t.Fatalf("the DOCX has no %s", name)
	return ""
}
