package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"papers/internal/plan"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The cover's bold sub-headings ("Capital/Revenue", "Property/Other", the
// five under "SUPPORTING DOCUMENTATION") are siblings one level below their
// section, and no heading skips a level, in every writer alike: the PDF's
// tags and bookmarks, the HTML's h2–h4 and the DOCX's heading styles.
func TestHeadingLevelsAgree(t *testing.T) {
	s := bigStatement(30)
	out, err := Build(context.Background(), plan.Inputs{Previous: s, Current: s}, settings(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1:RESOURCE IMPLICATIONS", "2:Capital/Revenue", "2:Property/Other", "1:LEGAL IMPLICATIONS",
		"1:SUPPORTING DOCUMENTATION", "2:Appendices", "2:Documents In Members' Rooms", "2:Equality Impact Assessment",
		"2:Data Protection Impact Assessment", "2:Other Background Documents", "1:Appendix 1: Position statement"}

	htmlH := htmlHeadings(t, out.HTML)
	docxH := docxHeadings(t, out.DOCX)
	checkOutline(t, "HTML", htmlH, want)
	checkOutline(t, "DOCX", docxH, want)
	if strings.Join(htmlH, "\n") != strings.Join(docxH, "\n") {
		t.Errorf("HTML and DOCX headings differ:\nHTML %q\nDOCX %q", htmlH, docxH)
	}

	for _, tool := range []string{"pdfinfo", "pdftohtml"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PAPERS_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s not installed (poppler-utils) and PAPERS_REQUIRE_TOOLS=1", tool)
			}
			t.Skipf("%s not installed (poppler-utils): skipping the PDF's tags and bookmarks", tool)
		}
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, out.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	tags := pdfTagHeadings(t, path)
	marks := pdfBookmarks(t, path)
	checkOutline(t, "PDF tags", tags, want)
	checkOutline(t, "PDF bookmarks", marks, want)
	for name, got := range map[string][]string{"PDF tags": tags, "PDF bookmarks": marks} {
		if strings.Join(got, "\n") != strings.Join(htmlH, "\n") {
			t.Errorf("%s and HTML headings differ:\n%s %q\nHTML %q", name, name, got, htmlH)
		}
	}
}

// checkOutline checks that headings (level:text) hold want in order and
// that no heading is more than one level below the one before.
func checkOutline(t *testing.T, name string, headings, want []string) {
	t.Helper()
	prev := 0
	for _, h := range headings {
		l, _ := strconv.Atoi(h[:strings.IndexByte(h, ':')])
		if l > prev+1 {
			t.Errorf("%s: %q skips a level after level %d", name, h, prev)
		}
		prev = l
	}
	i := 0
	for _, h := range headings {
		if i < len(want) && h == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("%s: headings %q\nlack %q (in order)", name, headings, want[i])
	}
}

var (
	htmlHeading = regexp.MustCompile(`(?s)<h([2-6])[^>]*>(.*?)</h[2-6]>`)
	docxPara    = regexp.MustCompile(`(?s)<w:p>(.*?)</w:p>`)
	docxStyle   = regexp.MustCompile(`<w:pStyle w:val="Heading(\d)"/>`)
	docxText    = regexp.MustCompile(`<w:t(?: [^>]*)?>([^<]*)</w:t>`)
)

// htmlHeadings are the page's headings below its title, h2 as level 1.
func htmlHeadings(t *testing.T, page []byte) []string {
	var out []string
	for _, m := range htmlHeading.FindAllSubmatch(page, -1) {
		l, _ := strconv.Atoi(string(m[1]))
		out = append(out, fmt.Sprintf("%d:%s", l-1, html.UnescapeString(string(m[2]))))
	}
	return out
}

func docxHeadings(t *testing.T, file []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			doc, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	var out []string
	for _, p := range docxPara.FindAllSubmatch(doc, -1) {
		st := docxStyle.FindSubmatch(p[1])
		if st == nil {
			continue
		}
		var text strings.Builder
		for _, m := range docxText.FindAllSubmatch(p[1], -1) {
			text.WriteString(html.UnescapeString(string(m[1])))
		}
		out = append(out, string(st[1])+":"+text.String())
	}
	return out
}

var structHeading = regexp.MustCompile(`(?m)^\s*H([1-6])\b.*\n\s*"(.*)"$`)

// pdfTagHeadings are the H1–H6 elements of the PDF's structure tree.
func pdfTagHeadings(t *testing.T, path string) []string {
	t.Helper()
	b, err := exec.Command("pdfinfo", "-struct-text", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo -struct-text: %v\n%s", err, b)
	}
	var out []string
	for _, m := range structHeading.FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1]+":"+strings.TrimSpace(m[2]))
	}
	return out
}

// pdfBookmarks are the PDF's outline items, by depth, as poppler reads them.
func pdfBookmarks(t *testing.T, path string) []string {
	t.Helper()
	b, err := exec.Command("pdftohtml", "-xml", "-i", "-stdout", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftohtml: %v\n%s", err, b)
	}
	s := string(b)
	i := strings.Index(s, "<outline>")
	if i < 0 {
		t.Fatal("the PDF has no bookmarks")
	}
	var out []string
	depth := 0
	tok := regexp.MustCompile(`<outline>|</outline>|<item[^>]*>(.*?)</item>`)
	for _, m := range tok.FindAllStringSubmatch(s[i:], -1) {
		switch m[0] {
		case "<outline>":
			depth++
		case "</outline>":
			depth--
		default:
			out = append(out, fmt.Sprintf("%d:%s", depth, html.UnescapeString(m[1])))
		}
	}
	return out
}
