package formats_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	nethtml "golang.org/x/net/html"

	"papers/internal/compare"
	"papers/internal/document"
	"papers/internal/docx"
	"papers/internal/html"
	"papers/internal/pdf"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/workbook"
)

// TestSameText writes the sample report as PDF, DOCX and HTML and wants
// each to show, section by section, the model's headings in order and
// every paragraph, box entry, table caption, column title, group band and
// cell, with only whitespace and line-end hyphenation allowed to differ.
// The PDF is read with pdftotext, the DOCX after LibreOffice prints it,
// the HTML from its text content. FORMATS_KEEP=dir keeps the files.
func TestSameText(t *testing.T) {
	soffice, pdftotext := need(t, "soffice", "libreoffice-writer-nogui"), need(t, "pdftotext", "poppler-utils")
	d := sampleReport(t)
	dir := t.TempDir()
	if keep := os.Getenv("FORMATS_KEEP"); keep != "" {
		dir = keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var p, w, h bytes.Buffer
	if err := pdf.Write(&p, d); err != nil {
		t.Fatal(err)
	}
	if err := docx.Write(&w, d, docx.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := html.Write(&h, d); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"report.pdf": p.Bytes(), "report.docx": w.Bytes(), "report.html": h.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "lo-profile"))
	out := filepath.Join(dir, "lo")
	if b, err := exec.CommandContext(ctx, soffice, "-env:UserInstallation="+profile, "--headless",
		"--convert-to", "pdf", "--outdir", out, filepath.Join(dir, "report.docx")).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}

	want := expected(d)
	if len(want) < 10 {
		t.Fatalf("the sample report has %d sections; want the whole report", len(want))
	}
	formats := []struct {
		name string
		text shown
	}{
		{"PDF", readPDF(t, ctx, pdftotext, filepath.Join(dir, "report.pdf"))},
		{"DOCX (printed by LibreOffice)", readPDF(t, ctx, pdftotext, filepath.Join(out, "report.pdf"))},
		{"HTML", readHTML(t, h.Bytes())},
	}
	for _, f := range formats {
		t.Run(strings.Fields(f.name)[0], func(t *testing.T) {
			compareWith(t, f.text, want)
		})
	}
	// The PDF and the DOCX paginate alike: as many pages, each turned the
	// same way, and a merged cell continued at the top of the same pages.
	t.Run("pages", func(t *testing.T) {
		p, w := formats[0].text, formats[1].text
		if len(p.pages) != len(w.pages) {
			t.Errorf("the PDF has %d pages, the DOCX %d", len(p.pages), len(w.pages))
		}
		for i := range min(len(p.pages), len(w.pages)) {
			a, b := p.pages[i], w.pages[i]
			if (a.landscape) != (b.landscape) {
				t.Errorf("page %d is landscape in the %s only", i+1, map[bool]string{true: "PDF", false: "DOCX"}[a.landscape])
			}
			if a.continued != b.continued {
				t.Errorf("page %d: a merged cell continued (%q) in the PDF %v, in the DOCX %v", i+1, document.ContinuedMark, a.continued, b.continued)
			}
		}
		n := 0
		for _, pg := range p.pages {
			if pg.continued {
				n++
			}
		}
		if n == 0 {
			t.Error("no page of the sample's PDF continues a merged cell: the check checked nothing")
		}
	})
}

// compareWith checks one format against the model, section by section,
// and then that a changed paragraph or cell would have been caught.
func compareWith(t *testing.T, got shown, want []section) {
	t.Helper()
	starts := make([]int, len(want)+1)
	starts[len(want)] = got.end()
	from := 0
	for i, s := range want {
		if s.heading == "" {
			continue // the cover, before the first heading
		}
		at := got.find(s.heading, from, got.end())
		if at < 0 {
			t.Fatalf("heading %d %q is missing, or out of order (looked after %q)", i, s.heading, want[max(i-1, 0)].heading)
		}
		starts[i], from = at, at+1
	}
	checked := 0
	for i, s := range want {
		for _, it := range s.items {
			if got.find(it, starts[i], starts[i+1]) < 0 {
				t.Errorf("section %q: %q is missing or changed", s.name(), short(it))
			}
			checked++
		}
	}
	if checked < 200 {
		t.Errorf("only %d texts compared: the model is not the whole report", checked)
	}
	// The comparison can fail: a text changed by one character, or with a
	// word dropped, is not found.
	for _, s := range want {
		for _, it := range s.items {
			words := strings.Fields(it)
			if len(words) < 4 {
				continue
			}
			changed := strings.Replace(it, words[2], words[2]+"x", 1)
			dropped := strings.Join(append(append([]string(nil), words[:2]...), words[3:]...), " ")
			for _, bad := range []string{changed, dropped} {
				if got.find(bad, 0, got.end()) >= 0 {
					t.Errorf("a text with a word changed or dropped was found anyway: %q", short(bad))
				}
			}
			break
		}
	}
}

// section is a heading and the texts under it, up to the next heading.
type section struct {
	heading string // "" for the cover
	items   []string
}

func (s section) name() string {
	if s.heading == "" {
		return "(cover)"
	}
	return s.heading
}

// expected lists the model's texts, section by section: what every
// writer must show.
func expected(d *document.Doc) []section {
	out := []section{{}}
	add := func(s string) {
		if norm(s) != "" {
			out[len(out)-1].items = append(out[len(out)-1].items, s)
		}
	}
	for _, sec := range d.Sections {
		for _, b := range sec.Blocks {
			switch v := b.(type) {
			case document.Heading:
				out = append(out, section{heading: v.Text})
			case document.Paragraph:
				add(v.Plain())
			case document.KeyValue:
				for _, p := range v.Pairs {
					add(p.Key)
					add(p.Value)
				}
			case document.Table:
				add(v.Caption)
				for _, c := range v.Columns {
					add(c.Title)
				}
				for _, r := range v.Rows {
					add(r.Group)
					for _, c := range r.Cells {
						if c.Merge != document.MergeContinue {
							add(c.Text)
						}
					}
				}
			case document.Chart:
				add(v.Title)
				add(v.Caption)
			}
		}
	}
	return out
}

// shown is a format's text as a reader sees it: words in reading order,
// each where it stands on its page (HTML has one endless page, one word
// per element's text).
type shown struct {
	words []word
	pages []page // PDF only
}

type page struct {
	landscape bool
	continued bool // shows document.ContinuedMark
}

type word struct {
	page           int
	x0, y0, x1, y1 float64
	text           string // normalised
}

func (s shown) end() int { return len(s.words) }

// find returns the index of the first word, in [from, to), at which text
// is shown whole: word after word along a line, or on to the next line
// of the same column, as a cell's or paragraph's text wraps. -1 if not.
func (s shown) find(text string, from, to int) int {
	t := norm(text)
	for i := from; i < to; i++ {
		if s.words[i].page < 0 {
			// HTML: an element's text holds the text whole (a list
			// label is in the same element).
			if strings.Contains(s.words[i].text, t) {
				return i
			}
			continue
		}
		if s.chain(i, t, i) {
			return i
		}
	}
	return -1
}

// chain reports whether rest, from word i on, is shown by word i and the
// words that follow it in the text's flow; first is the word that began
// the current line.
func (s shown) chain(i int, rest string, first int) bool {
	w := s.words[i]
	var after []string
	switch {
	case strings.HasPrefix(rest, w.text):
		after = append(after, rest[len(w.text):])
	case w.page >= 0 && strings.HasPrefix(w.text, rest) && len(rest) > 0 && i != first:
		// The text ends inside a word: a label glued to it, or text set
		// against the next cell. Only a last word may do this.
		return true
	}
	// A word ending in a hyphen at the end of a line the text does not
	// hyphenate.
	if h := strings.TrimSuffix(w.text, "-"); h != w.text && h != "" && strings.HasPrefix(rest, h) {
		after = append(after, rest[len(h):])
	}
	for _, r := range after {
		if r == "" {
			return true
		}
		for _, j := range s.next(i, first) {
			f := first
			if s.words[j].page != w.page || s.words[j].y0 > w.y0+0.5*(w.y1-w.y0) {
				f = j
			}
			if s.chain(j, r, f) {
				return true
			}
		}
	}
	return false
}

// next lists the words that may follow word i in a text's flow: the next
// word on its line, else the words starting the next line of its column.
func (s shown) next(i, first int) []int {
	w := s.words[i]
	h := w.y1 - w.y0
	var out []int
	// Words are sorted by page, line and x: the line's next word is near.
	// Text running on to the next page goes on in its first lines.
	top := -1.0
	for j := i + 1; j < len(s.words) && j < i+600; j++ {
		v := s.words[j]
		if v.page != w.page {
			if v.page > w.page+1 {
				break
			}
			if top < 0 {
				top = v.y0
			}
			if v.y0 < top+3*h && abs(v.x0-s.words[first].x0) < 0.8*h+30 {
				out = append(out, j)
			}
			continue
		}
		sameLine := abs(v.y0-w.y0) < 0.3*h
		switch {
		case sameLine && v.x0 >= w.x1-0.5 && v.x0-w.x1 < 0.6*h:
			out = append(out, j)
		case !sameLine && v.y0 > w.y0+0.3*h && v.y0 < w.y1+0.9*h &&
			v.x0 >= s.words[first].x0-0.8*h-30 && v.x0 < w.x1+0.8*h:
			out = append(out, j)
		}
	}
	return out
}

func abs(v float64) float64 { return max(v, -v) }

// norm keeps a text's characters but its whitespace (and soft hyphens):
// line breaks fall differently in each format.
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00AD' {
			return -1
		}
		return r
	}, s)
}

func short(s string) string {
	if r := []rune(s); len(r) > 70 {
		return string(r[:70]) + "…"
	}
	return s
}

// readPDF reads a PDF's words with their boxes (pdftotext -bbox), in
// reading order: page, line, left to right.
func readPDF(t *testing.T, ctx context.Context, pdftotext, path string) shown {
	t.Helper()
	b, err := exec.CommandContext(ctx, pdftotext, "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", path, err)
	}
	var doc struct {
		Pages []struct {
			W     string `xml:"width,attr"`
			H     string `xml:"height,attr"`
			Words []struct {
				XMin string `xml:"xMin,attr"`
				YMin string `xml:"yMin,attr"`
				XMax string `xml:"xMax,attr"`
				YMax string `xml:"yMax,attr"`
				Text string `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", path, err)
	}
	f := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	var s shown
	mark := norm(document.ContinuedMark)
	for p, pg := range doc.Pages {
		s.pages = append(s.pages, page{landscape: f(pg.W) > f(pg.H)})
		for _, w := range pg.Words {
			if strings.Contains(norm(w.Text), mark) {
				s.pages[p].continued = true
			}
			s.words = append(s.words, word{page: p, x0: f(w.XMin), y0: f(w.YMin), x1: f(w.XMax), y1: f(w.YMax), text: norm(w.Text)})
		}
	}
	if len(s.words) == 0 {
		t.Fatalf("%s shows no text", path)
	}
	// Reading order: lines by their top, a line's words left to right.
	sort.SliceStable(s.words, func(i, j int) bool {
		a, b := s.words[i], s.words[j]
		if a.page != b.page {
			return a.page < b.page
		}
		if abs(a.y0-b.y0) > 0.3*(a.y1-a.y0) {
			return a.y0 < b.y0
		}
		return a.x0 < b.x0
	})
	return s
}

// readHTML reads the page's text content in document order, one word per
// run of text between tags (inline tags join their text), leaving out
// the style sheet.
func readHTML(t *testing.T, b []byte) shown {
	t.Helper()
	root, err := nethtml.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	inline := map[string]bool{"strong": true, "em": true, "b": true, "i": true, "span": true, "a": true, "br": true, "abbr": true}
	var s shown
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			s.words = append(s.words, word{page: -1, text: norm(cur.String())})
			cur.Reset()
		}
	}
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		switch n.Type {
		case nethtml.TextNode:
			cur.WriteString(n.Data)
			return
		case nethtml.ElementNode:
			if n.Data == "style" || n.Data == "script" {
				return
			}
			if !inline[n.Data] {
				flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == nethtml.ElementNode && !inline[n.Data] {
			flush()
		}
	}
	walk(root)
	flush()
	return s
}

func need(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("PAPERS_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed (apt-get install %s), and PAPERS_REQUIRE_TOOLS is set (CI must install it)", tool, pkg)
		}
		t.Skipf("%s is not installed (apt-get install %s): skipping the comparison of the three formats", tool, pkg)
	}
	return p
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
