package pack

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"papers/internal/document"
	"papers/internal/docx"
	"papers/internal/meeting"
	"papers/internal/pdf"
)

// needTool skips when a Debian program is absent, unless CI says it must be there.
func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed, and PAPERS_REQUIRE_TOOLS is set (CI must install it)", name)
		}
		t.Skipf("%s is not installed: skipping (apt-get install poppler-utils libreoffice-writer-nogui)", name)
	}
}

// paper is an officer's report for tests: a title page with marker on it,
// numbered headings (which become bookmarks), pages of text, appendices.
func paper(title, marker string, pages int) *document.Doc {
	d := &document.Doc{Title: title, Author: "Test officer", Language: "en-GB",
		Date: time.Date(2020, 11, 10, 0, 0, 0, 0, time.UTC), Footer: title}
	blocks := []document.Block{
		document.Heading{Level: 1, Text: title},
		document.Text(marker + " is on the first page of this paper."),
		document.Heading{Level: 2, Text: "1. Introduction"},
	}
	para := strings.Repeat("The panel is asked to note the progress described in this report and the risks that remain. ", 6)
	for p := 1; p <= pages; p++ {
		if p > 1 {
			blocks = append(blocks, document.PageBreak{}, document.Heading{Level: 2, Text: fmt.Sprintf("%d. Section %d", p, p)})
		}
		for range 4 {
			blocks = append(blocks, document.Text(para))
		}
	}
	d.Sections = []document.Section{
		{Blocks: blocks},
		{Orientation: document.Landscape, Blocks: []document.Block{
			document.Heading{Level: 1, Text: "Appendix 1: " + title + " data"},
			document.Text("Appendix text."),
		}},
	}
	return d
}

func writePDF(t testing.TB, path string, d *document.Doc) {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.Write(&b, d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func pdfBytes(t testing.TB, d *document.Doc) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.Write(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeDOCX(t testing.TB, path string, d *document.Doc) {
	t.Helper()
	var b bytes.Buffer
	if err := docx.Write(&b, d, docx.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The exempt items' secrets: none may appear anywhere in the public pack.
const (
	zebraText     = "ZEBRA-CONFIDENTIAL-4471"
	zebraTitle    = "Disposal of the Quagga Lane depot to Okapi Holdings"
	zebraFile     = "QUAGGA-secret-disposal.docx"
	zebraReportOf = "Head of Quagga Estates"
	okapiText     = "OKAPI-CONFIDENTIAL-9902"
	okapiTitle    = "Staffing restructure in the Tapir Unit"
	okapiFile     = "TAPIR-restructure.pdf"
)

// fixtureMeeting writes a meeting's papers into a temp folder and reads its
// meeting file: apologies (no papers), minutes (PDF), the generated report,
// an officer's DOCX report, an exempt DOCX and an exempt PDF, then any
// other business (no papers).
func fixtureMeeting(t testing.TB) (*meeting.Meeting, Options) {
	t.Helper()
	dir := t.TempDir()
	papers := filepath.Join(dir, "papers")
	if err := os.Mkdir(papers, 0o755); err != nil {
		t.Fatal(err)
	}
	writePDF(t, filepath.Join(papers, "minutes.pdf"), paper("Minutes of the meeting on 22 October 2020", "MARK-MINUTES", 2))
	writeDOCX(t, filepath.Join(papers, "performance.docx"), paper("Quarterly performance", "MARK-PERFORMANCE", 3))
	zebra := paper(zebraTitle, zebraText, 2)
	zebra.Author = zebraReportOf
	writeDOCX(t, filepath.Join(papers, zebraFile), zebra)
	okapi := paper(okapiTitle, okapiText, 1)
	okapi.Author, okapi.Subject, okapi.Keywords = "OKAPI-AUTHOR", "OKAPI-SUBJECT", "OKAPI-KEYWORDS"
	writePDF(t, filepath.Join(papers, okapiFile), okapi)
	yml := `council: Southampton City Council
committee: Children and Families Scrutiny Panel
date: 2020-11-26
time: "17:30"
venue: Virtual meeting
members:
  - {name: Councillor Bogle, role: Chair}
  - {name: Councillor Paffey, role: Vice-Chair}
  - {name: Councillor Fielker}
clerk: {name: Pat Clerk, tel: 023 8083 0000, email: democratic.support@example.gov.uk}
items:
  - title: Apologies and changes in membership
  - title: Minutes of the previous meeting
    file: papers/minutes.pdf
  - title: Progress against the action plan
    report: action-plan-progress
    report_of: Chief Executive
  - title: Quarterly performance
    file: papers/performance.docx
    report_of: Director of Children's Services
  - title: ` + zebraTitle + `
    file: papers/` + zebraFile + `
    report_of: ` + zebraReportOf + `
    description: Approve the disposal of the depot
    exempt: 3
  - title: ` + okapiTitle + `
    file: papers/` + okapiFile + `
    exempt: [1, 2]
    public_title: Staffing matter
  - title: Any other business
`
	path := filepath.Join(dir, "meeting.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, Options{
		Reports:   map[string][]byte{"action-plan-progress": pdfBytes(t, paper("Progress against the action plan", "MARK-REPORT", 4))},
		Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC),
	}
}

// buildFixture builds the fixture meeting's packs once per test binary.
var fixture struct {
	packs *Packs
	m     *meeting.Meeting
	err   error
	took  time.Duration
}

func fixturePacks(t *testing.T) (*meeting.Meeting, *Packs) {
	t.Helper()
	needTool(t, "soffice")
	if fixture.packs == nil && fixture.err == nil {
		m, opt := fixtureMeeting(t)
		start := time.Now()
		fixture.packs, fixture.err = Build(context.Background(), m, opt)
		fixture.took = time.Since(start)
		fixture.m = m
	}
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.m, fixture.packs
}

// pdfToText runs pdftotext on pages first..last (0 for all), layout kept.
func pdfToText(t *testing.T, b []byte, first, last int) string {
	t.Helper()
	needTool(t, "pdftotext")
	args := []string{"-layout"}
	if first > 0 {
		args = append(args, "-f", fmt.Sprint(first), "-l", fmt.Sprint(last))
	}
	cmd := exec.Command("pdftotext", append(args, "-", "-")...)
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pdfInfo is pdfinfo's report, with the metadata stream.
func pdfInfo(t *testing.T, b []byte) string {
	t.Helper()
	needTool(t, "pdfinfo")
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-meta", f).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	info, _ := exec.Command("pdfinfo", f).CombinedOutput()
	return string(info) + string(out)
}

var streamRE = regexp.MustCompile(`(?s)stream\r?\n`)

// rawForms are the byte strings a text may take inside a PDF file: as it
// is, in UTF-16BE (text strings), and either of those in hex (<…>
// strings), upper or lower case.
func rawForms(s string) [][]byte {
	u := utf16.Encode([]rune(s))
	u16 := make([]byte, 0, 2*len(u))
	for _, c := range u {
		u16 = append(u16, byte(c>>8), byte(c))
	}
	forms := [][]byte{[]byte(s), u16}
	for _, f := range [][]byte{[]byte(s), u16} {
		h := hex.EncodeToString(f)
		forms = append(forms, []byte(h), []byte(strings.ToUpper(h)))
	}
	return forms
}

// inflated is the file with every deflated stream (page contents, object
// streams holding dictionaries and strings, metadata) decompressed and
// appended: what qpdf --qdf would show, without needing qpdf.
func inflated(b []byte) []byte {
	out := bytes.Clone(b)
	for _, loc := range streamRE.FindAllIndex(b, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(b[loc[1]:]))
		if err != nil {
			continue
		}
		data, _ := io.ReadAll(io.LimitReader(zr, 64<<20))
		out = append(out, '\n')
		out = append(out, data...)
	}
	return out
}

// rawContains reports whether any form of s is in the file's bytes or its
// decompressed streams.
func rawContains(b []byte, s string) bool {
	all := inflated(b)
	for _, f := range rawForms(s) {
		if bytes.Contains(all, f) {
			return true
		}
	}
	return false
}

// contains is a case-insensitive search of text that pdftotext may have
// spread over several spaces.
func contains(text, s string) bool {
	norm := func(x string) string { return strings.ToLower(strings.Join(strings.Fields(x), " ")) }
	return strings.Contains(norm(text), norm(s))
}

// untaggedPDF is a one-page PDF with a line of text and no structure
// tree, as a scanner or an old word processor writes: the kind of paper a
// pack keeps as it is.
func untaggedPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<</Type /Catalog /Pages 2 0 R>>",
		"<</Type /Pages /Kids [3 0 R] /Count 1>>",
		"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 4 0 R>>>> /Contents 5 0 R>>",
		"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>",
		fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content)+1, content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
