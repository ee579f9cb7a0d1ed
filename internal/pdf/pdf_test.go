package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"papers/internal/document"
)

func render(t testing.TB, d *document.Doc) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

// writeTemp renders d to a file. Set PAPERS_PDF_OUT to a directory to keep
// the files for a look.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	dir := os.Getenv("PAPERS_PDF_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (poppler-utils): skipping the checks that read the PDF back", name)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// squash collapses runs of white space, as text is compared across lines.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestDeterministic(t *testing.T) {
	a := render(t, sampleDoc())
	b := render(t, sampleDoc())
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same document differ")
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.HasSuffix(a, []byte("%%EOF\n")) {
		t.Fatal("output is not a PDF")
	}
	// The date is the document's, never the clock's.
	if !bytes.Contains(a, []byte("/CreationDate (D:20201126093000Z00'00')")) || !bytes.Contains(a, []byte("/ModDate (D:20201126093000Z00'00')")) {
		t.Error("creation or modification date is not the document's date")
	}
	// Page contents are compressed.
	if n := bytes.Count(a, []byte("/FlateDecode")); n < 10 {
		t.Errorf("%d compressed streams; page contents are not compressed", n)
	}
}

// pageInfo is what pdfinfo says of every page.
func pageSizes(t *testing.T, path string, n int) []string {
	out := run(t, "pdfinfo", "-f", "1", "-l", strconv.Itoa(n), path)
	re := regexp.MustCompile(`(?m)^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts`)
	sizes := make([]string, n)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		i, _ := strconv.Atoi(m[1])
		w, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[3], 64)
		switch {
		case math.Abs(w-595.28) < 1 && math.Abs(h-841.89) < 1:
			sizes[i-1] = "portrait"
		case math.Abs(w-841.89) < 1 && math.Abs(h-595.28) < 1:
			sizes[i-1] = "landscape"
		default:
			sizes[i-1] = fmt.Sprintf("%gx%g", w, h)
		}
	}
	return sizes
}

func TestReadBack(t *testing.T) {
	needTool(t, "pdftotext")
	needTool(t, "pdfinfo")
	path := writeTemp(t, "sample.pdf", render(t, sampleDoc()))

	info := run(t, "pdfinfo", path)
	field := func(name string) string {
		m := regexp.MustCompile(`(?m)^` + name + `:\s*(.*)$`).FindStringSubmatch(info)
		if m == nil {
			return ""
		}
		return strings.TrimSpace(m[1])
	}
	for name, want := range map[string]string{
		"Title":   "Progress against the action plan",
		"Author":  "Chief Executive",
		"Subject": "Children and Families Scrutiny Panel, 26 November 2020",
		"Creator": "papers",
	} {
		if got := field(name); got != want {
			t.Errorf("pdfinfo %s = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(field("Keywords"), "position statement") {
		t.Errorf("pdfinfo Keywords = %q", field("Keywords"))
	}
	if !strings.Contains(field("CreationDate"), "2020") {
		t.Errorf("pdfinfo CreationDate = %q", field("CreationDate"))
	}
	pages, err := strconv.Atoi(field("Pages"))
	if err != nil || pages < 10 {
		t.Fatalf("pdfinfo Pages = %q", field("Pages"))
	}

	raw := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	pageText := strings.Split(raw, "\f")
	if len(pageText) < pages {
		t.Fatalf("pdftotext gave %d pages, pdfinfo %d", len(pageText), pages)
	}
	pageText = pageText[:pages]
	all := squash(raw)

	t.Run("text", func(t *testing.T) {
		for _, want := range []string{
			"DECISION MAKER:", "CHILDREN AND FAMILIES SCRUTINY PANEL", "26 NOVEMBER 2020", "CONTACT DETAILS",
			"sandy.hopkins@southampton.gov.uk", "BRIEF SUMMARY", "Learning Report Action Plan",
			"120 are complete", "Figures are provisional.", "RECOMMENDATIONS:", "(iii)",
			"To note the progress made against the Learning Report Action Plan",
			"Status of actions by recommendation, as at 28 January 2021", "Complete", "Overdue",
			"Appendix 1: Position statement", "Table 1: Actions by recommendation",
			"Phase 1:", "Appendix 2: Lead owners and roles", "Notes follow on a new page.",
			"Children and Families Scrutiny Panel – 26 November 2020",
			welsh, "ŵ", "ŷ", "£25,000", "“quoted”",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	})

	t.Run("page numbers", func(t *testing.T) {
		for i, p := range pageText {
			want := fmt.Sprintf("Page %d of %d", i+1, pages)
			if !strings.Contains(squash(p), want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	})

	sizes := pageSizes(t, path, pages)
	var tablePages []int
	for i, p := range pageText {
		if strings.Contains(p, "Lead owner(s)") {
			tablePages = append(tablePages, i)
		}
	}

	t.Run("page sizes", func(t *testing.T) {
		if sizes[0] != "portrait" {
			t.Errorf("page 1 is %s, want A4 portrait", sizes[0])
		}
		if sizes[pages-1] != "portrait" {
			t.Errorf("last page is %s, want A4 portrait", sizes[pages-1])
		}
		if len(tablePages) < 10 {
			t.Fatalf("the 300-row table is on %d pages", len(tablePages))
		}
		for _, i := range tablePages {
			if sizes[i] != "landscape" {
				t.Errorf("appendix page %d is %s, want A4 landscape", i+1, sizes[i])
			}
		}
		appendix2 := slices.IndexFunc(pageText, func(s string) bool { return strings.Contains(s, "Appendix 2: Lead owners") })
		if appendix2 < 0 || sizes[appendix2] != "portrait" {
			t.Errorf("Appendix 2 page %d is not portrait", appendix2+1)
		}
	})

	t.Run("header row on every table page", func(t *testing.T) {
		first, last := tablePages[0], tablePages[len(tablePages)-1]
		for i := first; i <= last; i++ {
			p := squash(pageText[i])
			for _, h := range []string{"Recommendation", "Ref", "Lead owner(s)", "Start / target", "Status", "Update"} {
				if !strings.Contains(p, h) {
					t.Errorf("table page %d lacks header %q", i+1, h)
				}
			}
		}
		// Every row is there.
		for i := range sampleRows {
			if ref := fmt.Sprintf("A%03d", i+1); strings.Count(all, ref) != 1 {
				t.Errorf("row %s appears %d times", ref, strings.Count(all, ref))
			}
		}
	})

	t.Run("merged cells continued", func(t *testing.T) {
		refRE := regexp.MustCompile(`\bA(\d{3})\b`)
		crossings := 0
		for _, i := range tablePages[1:] {
			p := squash(pageText[i])
			// The first row on the page: the lowest ref, or the giant row
			// when the page continues it.
			firstRow := math.MaxInt
			for _, m := range refRE.FindAllStringSubmatch(p, -1) {
				n, _ := strconv.Atoi(m[1])
				firstRow = min(firstRow, n-1)
			}
			if strings.Contains(p, "Giant line") && !strings.Contains(p, fmt.Sprintf("A%03d", giantRow+1)) {
				firstRow = giantRow
			}
			if firstRow == math.MaxInt || firstRow%10 == 0 {
				continue
			}
			crossings++
			rec := fmt.Sprintf("Recommendation %d:", firstRow/10+1)
			if !strings.Contains(p, rec) || !strings.Contains(p, "(continued)") {
				t.Errorf("page %d starts inside %s's merged block but does not repeat it with (continued)", i+1, rec)
			}
		}
		if crossings < 3 {
			t.Errorf("only %d pages start inside a merged block; the sample should have more", crossings)
		}
		// A band inside a merged block restarts it too.
		if !strings.Contains(all, "Recommendation 6:") {
			t.Error("lacks Recommendation 6")
		}
	})

	t.Run("giant cell split", func(t *testing.T) {
		if n := len(giantText()); n < 5500 {
			t.Fatalf("giant cell is only %d bytes", n)
		}
		pagesWith := 0
		for _, p := range pageText {
			if strings.Contains(p, "Giant line") {
				pagesWith++
			}
		}
		if pagesWith < 2 {
			t.Errorf("giant cell is on %d pages; it should be split", pagesWith)
		}
		for i := 1; i <= giantLines; i++ {
			line := giantLine(i)
			if n := strings.Count(all, line); n != 1 {
				t.Errorf("giant cell line %q appears %d times", line, n)
			}
			if n := strings.Count(all, line[:15]); n != 1 {
				t.Errorf("giant cell line %q appears %d times", line[:15], n)
			}
		}
	})
}

// outlineItem is a bookmark read from the raw PDF.
type outlineItem struct {
	title  string
	parent int
	y      float64
}

// readOutline finds outline items ("N 0 obj <</Title (…) /Parent …") in the
// uncompressed object text the writer gives them.
func readOutline(t *testing.T, pdf []byte) map[int]outlineItem {
	t.Helper()
	re := regexp.MustCompile(`(?s)(\d+) 0 obj\n<</Title \((.*?)\)\n/Parent (\d+) 0 R.*?/Dest \[\d+ 0 R /XYZ 0 ([\d.]+) null\]`)
	items := map[int]outlineItem{}
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		p, _ := strconv.Atoi(string(m[3]))
		y, _ := strconv.ParseFloat(string(m[4]), 64)
		items[n] = outlineItem{title: decodePDFString(m[2]), parent: p, y: y}
	}
	return items
}

func decodePDFString(b []byte) string {
	var raw []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
			switch b[i] {
			case 'r':
				raw = append(raw, '\r')
			case 'n':
				raw = append(raw, '\n')
			default:
				raw = append(raw, b[i])
			}
			continue
		}
		raw = append(raw, b[i])
	}
	if len(raw) >= 2 && raw[0] == 0xfe && raw[1] == 0xff {
		raw = raw[2:]
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	return string(raw)
}

func TestBookmarks(t *testing.T) {
	data := render(t, sampleDoc())
	if !bytes.Contains(data, []byte("/PageMode /UseOutlines")) {
		t.Error("the catalogue does not open the outline")
	}
	items := readOutline(t, data)
	byTitle := map[string]outlineItem{}
	for _, it := range items {
		byTitle[it.title] = it
	}
	d := sampleDoc()
	for _, s := range d.Sections {
		for _, b := range s.Blocks {
			if h, ok := b.(document.Heading); ok {
				if _, ok := byTitle[h.Text]; !ok {
					t.Errorf("no bookmark for heading %q", h.Text)
				}
			}
		}
	}
	parentTitle := func(title string) string {
		it, ok := byTitle[title]
		if !ok {
			return "(missing)"
		}
		p, ok := items[it.parent]
		if !ok {
			return "(top level)"
		}
		return p.title
	}
	for child, parent := range map[string]string{
		"Capital/Revenue":                "RESOURCE IMPLICATIONS",
		"Property/Other":                 "Capital/Revenue",
		"BRIEF SUMMARY":                  "(top level)",
		"Appendix 1: Position statement": "(top level)",
	} {
		if got := parentTitle(child); got != parent {
			t.Errorf("bookmark %q is under %q, want %q", child, got, parent)
		}
	}
	// Destinations point inside their page: the appendix heading sits near
	// the top of a landscape page (595 pt high).
	if y := byTitle["Appendix 1: Position statement"].y; y < 500 || y > 595.28 {
		t.Errorf("Appendix 1 bookmark points at y = %.1f pt, want near the top of a landscape page", y)
	}
	if y := byTitle["CONTACT DETAILS"].y; y < 300 || y > 841.89 {
		t.Errorf("CONTACT DETAILS bookmark points at y = %.1f pt", y)
	}
}

func TestFontsEmbedded(t *testing.T) {
	needTool(t, "pdffonts")
	path := writeTemp(t, "fonts.pdf", render(t, sampleDoc()))
	out := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 5 {
		t.Fatalf("pdffonts lists too few fonts:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type… encoding emb sub uni object ID
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
		if !strings.Contains(strings.ToLower(f[0]), "liberationsans") {
			t.Errorf("unexpected font %s", f[0])
		}
	}
}

func TestMalformedTable(t *testing.T) {
	d := sampleDoc()
	d.Sections[1].Blocks = append(d.Sections[1].Blocks, document.Table{
		Columns: []document.Column{{Title: "A"}, {Title: "B"}},
		Rows:    []document.Row{{Cells: []document.Cell{{Text: "1"}, {Text: "2"}}}, {Cells: []document.Cell{{Text: "only one"}}}},
	})
	var b bytes.Buffer
	err := Write(&b, d)
	if err == nil {
		t.Fatal("a row with the wrong number of cells gave no error")
	}
	if !strings.Contains(err.Error(), "row 2 has 1 cells, want 2") {
		t.Errorf("error = %v", err)
	}
	if b.Len() != 0 {
		t.Errorf("wrote %d bytes despite the error", b.Len())
	}

	for name, d := range map[string]*document.Doc{
		"nil":           nil,
		"no columns":    {Sections: []document.Section{{Blocks: []document.Block{document.Table{}}}}},
		"nil block":     {Sections: []document.Section{{Blocks: []document.Block{nil}}}},
		"nil pointer":   {Sections: []document.Section{{Blocks: []document.Block{(*document.Table)(nil)}}}},
		"pointer table": {Sections: []document.Section{{Blocks: []document.Block{&document.Table{Columns: []document.Column{{}}, Rows: []document.Row{{}}}}}}},
	} {
		if err := Write(&bytes.Buffer{}, d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestAwkwardInput renders what a careless caller might pass: it must give
// a readable PDF, not a panic.
func TestAwkwardInput(t *testing.T) {
	long := strings.Repeat("Supercalifragilisticexpialidocious", 20)
	d := &document.Doc{
		Title:    "Awkward \xff input 😀",
		Language: "en-GB\") /Evil (",
		Footer:   strings.Repeat("A very long footer ", 30),
		Sections: []document.Section{
			{Blocks: []document.Block{
				document.Heading{Level: 0, Text: "Level zero"},
				document.Heading{Level: 7, Text: "Level seven, straight after"},
				document.Text("Invalid \xff\xfe UTF-8, emoji 😀, CJK 漢字, controls \x00\x07, tab\there, CRLF\r\nline, CR\rline."),
				document.Text(long),
				document.Text(""),
				document.Paragraph{Label: "(viii)(ix)(x)(xi)", Indent: 20, Runs: []document.Run{{Text: "Wide label, deep indent.", Bold: true, Italic: true}}},
				&document.Paragraph{Runs: []document.Run{{Text: "A pointer block."}}},
				document.KeyValue{},
				document.KeyValue{Pairs: []document.Pair{{Key: long, Value: long}}},
				document.Chart{Title: "No data"},
				document.Chart{Title: "Odd values", Categories: []string{"a", "b", "c"}, Series: []document.Series{
					{Name: "x", Color: "nonsense", Values: []float64{math.NaN(), -3, math.Inf(1)}},
					{Name: "huge", Values: []float64{1e308, 1e308, 1e308}},
					{Name: "", Color: "#00FF00", Values: []float64{0.5}},
				}},
				document.PageBreak{}, document.PageBreak{},
			}},
			{Orientation: document.Landscape, Blocks: []document.Block{
				document.Table{Columns: []document.Column{{Title: "Empty table"}}},
				document.Table{
					Columns: []document.Column{{Title: "A", Width: -1}, {Title: "B", Width: math.Inf(1)}, {Title: "C", Width: 0}},
					Rows: []document.Row{
						{Cells: []document.Cell{{Merge: document.MergeContinue, Text: "orphan"}, {Text: long, Fill: "zzzzzz"}, {Text: "x", Merge: document.MergeStart}}},
						{Cells: []document.Cell{{Text: strings.Repeat("tall merged text ", 600), Merge: document.MergeStart}, {}, {}}},
						{Cells: []document.Cell{{Merge: document.MergeContinue}, {Text: "b"}, {Text: "c"}}, Group: "A band inside a merged block"},
						{Cells: []document.Cell{{Merge: document.MergeContinue}, {Text: "\n\n\n"}, {Text: "c"}}},
					},
				},
			}},
		},
	}
	// A chart of many bars with a long caption; a heading, band and
	// header far too long.
	many := document.Chart{Title: "Many bars", Series: []document.Series{{Name: "n", Color: "1D70B8"}}}
	var caption []string
	for i := range 120 {
		many.Categories = append(many.Categories, fmt.Sprintf("Cat%03d", i))
		many.Series[0].Values = append(many.Series[0].Values, float64(i%7+1))
		caption = append(caption, fmt.Sprintf("entry%03d has %d", i, i%7+1))
	}
	many.Caption = strings.Join(caption, "; ")
	huge := strings.Repeat("overlong words ", 250)
	d.Sections = append(d.Sections, document.Section{Blocks: []document.Block{
		many,
		document.Heading{Level: 1, Text: huge},
		document.Table{Columns: []document.Column{{Title: huge}, {Title: "B"}}, Rows: []document.Row{
			{Cells: []document.Cell{{Text: "x"}, {Text: "y"}}, Group: huge},
		}},
	}})
	a := render(t, d)
	if b := render(t, d); !bytes.Equal(a, b) {
		t.Error("not deterministic")
	}
	if bytes.Contains(a, []byte("/Evil")) {
		t.Error("language tag not sanitised")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return
	}
	path := writeTemp(t, "awkward.pdf", a)
	text := squash(run(t, "pdftotext", "-enc", "UTF-8", path, "-"))
	for _, want := range []string{"Level zero", "CJK 漢字", "tab here", "A pointer block.", "A band inside a merged block", "orphan"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for i := range 120 {
		for _, w := range []string{fmt.Sprintf("Cat%03d", i), fmt.Sprintf("entry%03d", i)} {
			if n := strings.Count(text, w); n != 1 {
				t.Errorf("%q appears %d times", w, n)
			}
		}
	}
	// A merged text taller than a page is split over pages, whole.
	if n := strings.Count(text, "tall"); n != 600 {
		t.Errorf("\"tall\" appears %d times, want 600", n)
	}
}

func TestEmptyDoc(t *testing.T) {
	data := render(t, &document.Doc{})
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if !bytes.Contains(data, []byte("/CreationDate (D:20000101000000Z00'00')")) {
		t.Error("a document without a date is not given a fixed one")
	}
	needTool(t, "pdfinfo")
	info := run(t, "pdfinfo", writeTemp(t, "empty.pdf", data))
	if !regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) {
		t.Errorf("empty document:\n%s", info)
	}
}

func TestWrap(t *testing.T) {
	widthsOnce.Do(loadWidths)
	lines := func(s string, max float64) []string {
		runs := []textRun{{text: s}}
		var out []string
		for _, l := range lineSlices(wrap(runs, 10, max, nil)) {
			out = append(out, s[l[0].start:l[len(l)-1].end])
		}
		return out
	}
	for _, c := range []struct {
		in   string
		max  float64
		want []string
	}{
		{"", 50, []string{""}},
		{"one two three", 1000, []string{"one two three"}},
		{"one two three", 15, []string{"one two", "three"}},
		{"one  two   three  ", 15, []string{"one  two", "three"}},
		{"a\n\nb\n", 100, []string{"a", "", "b"}},
		// A word too long for a line breaks after "@" or ".", else anywhere.
		{"sandy.hopkins@southampton.gov.uk", 40, []string{"sandy.hopkins@", "southampton.gov.uk"}},
		{"sandy.hopkins@southampton.gov.uk", 25, []string{"sandy.", "hopkins@", "southampton.", "gov.uk"}},
		{"contact sandy.hopkins@southampton.gov.uk", 40, []string{"contact", "sandy.hopkins@", "southampton.gov.uk"}},
		{"abcdefghijklmnopqrstuvwxyz", 20, []string{"abcdefghijkl", "mnopqrstuv", "wxyz"}},
		{"front-line staff", 14, []string{"front-line", "staff"}},
		{"front-line staff", 10, []string{"front-", "line", "staff"}},
		{"x", 0.1, []string{"x"}},
	} {
		got := lines(c.in, c.max)
		if !slices.Equal(got, c.want) {
			t.Errorf("wrap(%q, %g) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
	// Mixed styles wrap as one text.
	runs := []textRun{{text: "Of the 300 actions, "}, {text: "120 are complete", style: bold}, {text: " and the rest on track."}}
	sp := wrap(runs, 11, 60, nil)
	var b strings.Builder
	for _, s := range sp {
		if s.newLine && b.Len() > 0 {
			b.WriteString("|")
		}
		b.WriteString(runs[s.run].text[s.start:s.end])
	}
	if got := b.String(); got != "Of the 300 actions, 120 are|complete and the rest on track." {
		t.Errorf("mixed runs wrapped as %q", got)
	}
}

func TestCleanAndDate(t *testing.T) {
	if got := clean("a\tb\r\nc\rd\x00e\xff😀"); got != "a b\nc\nde?□" {
		t.Errorf("clean = %q", got)
	}
	s := "plain text – ŵ"
	if got := clean(s); got != s {
		t.Errorf("clean changed %q to %q", s, got)
	}
	// What Word leaves in text: separators, invisible marks, the
	// non-breaking hyphen; and C1 control characters.
	for in, want := range map[string]string{
		"a\u2028b\u2029c\u0085d":      "a\nb\nc\nd",
		"co\u00adop\ufeffer\u2060ate": "cooperate",
		"e\u2011mail":                 "e\u2010mail",
		"x\u0080\u009fy":              "xy",
		"\u00a0\u00e9\u00ff\u2010":    "\u00a0\u00e9\u00ff\u2010", // left alone
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	d := sampleDoc()
	d.Date = time.Date(2021, 2, 4, 0, 0, 0, 0, time.UTC)
	if !bytes.Contains(render(t, d), []byte("/CreationDate (D:20210204000000Z00'00')")) {
		t.Error("date not taken from the document")
	}
}

// TestCrossReference checks the cross-reference table: viewers
// repair a wrong one silently, so poppler's tools would not tell.
func TestCrossReference(t *testing.T) {
	data := render(t, sampleDoc())
	offs, xref, err := objectOffsets(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data[xref:xref+200], []byte("/Type /XRef")) {
		t.Fatal("startxref does not point at the cross-reference stream")
	}
	// Every object in an object stream is where its entry says.
	entries, _, _ := readXref(data)
	o := readObjects(t, data)
	for n, e := range entries {
		if e.typ != 2 {
			continue
		}
		if !strings.Contains(o.dict[e.a], "/Type /ObjStm") {
			t.Fatalf("object %d: in object %d, not an object stream", n, e.a)
		}
		if got := o.packedAt[[2]int{e.a, e.b}]; got != n {
			t.Fatalf("object %d: entry %d of stream %d is object %d", n, e.b, e.a, got)
		}
	}
	for n := 1; n < len(offs); n++ {
		if offs[n] < 0 {
			continue // in an object stream
		}
		if want := fmt.Sprintf("%d 0 obj\n", n); !bytes.HasPrefix(data[offs[n]:], []byte(want)) {
			t.Fatalf("object %d: offset %d points at %q", n, offs[n], data[offs[n]:min(offs[n]+20, len(data))])
		}
	}
	// Every stream's /Length is right.
	re := regexp.MustCompile(`/Length (\d+)>>\nstream\n`)
	for _, m := range re.FindAllSubmatchIndex(data, -1) {
		n, _ := strconv.Atoi(string(data[m[2]:m[3]]))
		if !bytes.HasPrefix(data[m[1]+n:], []byte("\nendstream")) {
			t.Fatalf("stream at %d: /Length %d is wrong", m[0], n)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	want := render(t, sampleDoc())
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var b bytes.Buffer
			err := Write(&b, sampleDoc())
			if err == nil && !bytes.Equal(b.Bytes(), want) {
				err = fmt.Errorf("a concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// objectOffsets reads the cross-reference stream: each object's offset
// (index 0 unused; -1 for an object in an object stream) and the stream's
// own offset.
func objectOffsets(src []byte) ([]int, int, error) {
	entries, xref, err := readXref(src)
	if err != nil {
		return nil, 0, err
	}
	offs := make([]int, len(entries))
	for n, e := range entries {
		switch {
		case n == 0:
		case e.typ == 1:
			if e.a <= 0 || e.a > xref {
				return nil, 0, fmt.Errorf("pdf: object %d at offset %d, outside the file", n, e.a)
			}
			offs[n] = e.a
		case e.typ == 2:
			offs[n] = -1
		default:
			return nil, 0, fmt.Errorf("pdf: object %d has cross-reference type %d", n, e.typ)
		}
	}
	return offs, xref, nil
}

// xrefEntry is an entry of a cross-reference stream: type 1, offset a; or
// type 2, object stream a, index b.
type xrefEntry struct{ typ, a, b int }

// readXref reads the cross-reference stream startxref points at.
func readXref(src []byte) ([]xrefEntry, int, error) {
	bad := errors.New("pdf: unexpected cross-reference stream")
	s := bytes.LastIndex(src, []byte("startxref\n"))
	if s < 0 {
		return nil, 0, bad
	}
	line := src[s+len("startxref\n"):]
	if k := bytes.IndexByte(line, '\n'); k >= 0 {
		line = line[:k]
	}
	xref, err := strconv.Atoi(string(line))
	if err != nil || xref < 0 || xref >= s {
		return nil, 0, bad
	}
	m := regexp.MustCompile(`^\d+ 0 obj\n<<(/Filter /FlateDecode )?/Length (\d+) /Type /XRef /Size (\d+) /W \[1 4 2\][^\n]*>>\nstream\n`).FindSubmatch(src[xref:])
	if m == nil {
		return nil, 0, bad
	}
	l, _ := strconv.Atoi(string(m[2]))
	size, _ := strconv.Atoi(string(m[3]))
	data := src[xref+len(m[0]) : xref+len(m[0])+l]
	if len(m[1]) > 0 {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, 0, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, 0, err
		}
	}
	if len(data) != 7*size {
		return nil, 0, bad
	}
	entries := make([]xrefEntry, size)
	for n := range entries {
		e := data[7*n:]
		entries[n] = xrefEntry{typ: int(e[0]), a: int(binary.BigEndian.Uint32(e[1:])), b: int(binary.BigEndian.Uint16(e[5:]))}
	}
	return entries, xref, nil
}

// TestSectionsSideBySide checks what laying the sections out side by side
// must keep as one pass would have it: each section's pages in order with
// their own orientation, bookmarks pointing at the right page, a section
// whose first heading skips levels nested under the previous section's
// last bookmark, and one "Page N of M" count over all of them.
func TestSectionsSideBySide(t *testing.T) {
	var rows []document.Row
	for i := range 400 {
		rows = append(rows, document.Row{Cells: []document.Cell{{Text: fmt.Sprintf("row %d of the long table", i)}}})
	}
	long := document.Table{Columns: []document.Column{{Title: "Text", Width: 100}}, Rows: rows}
	d := &document.Doc{Title: "Sections", Sections: []document.Section{
		{Orientation: document.Portrait, Blocks: []document.Block{document.Heading{Level: 1, Text: "First"}, long}},
		{Orientation: document.Landscape, Blocks: []document.Block{document.Heading{Level: 4, Text: "Second, skipping a level"}, long}},
		{Orientation: document.Portrait, Blocks: []document.Block{document.Heading{Level: 1, Text: "Third"}, document.Paragraph{Runs: []document.Run{{Text: "Short."}}}}},
	}}
	data := render(t, d)
	path := writeTemp(t, "sections.pdf", data)
	needTool(t, "pdfinfo")
	needTool(t, "pdftotext")
	n := 0
	fmt.Sscanf(regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))[1], "%d", &n)
	if n < 5 {
		t.Fatalf("%d pages, want the long table over several", n)
	}
	// Each section starts a page; find them by their headings.
	starts := map[string]int{}
	for p := 1; p <= n; p++ {
		text := run(t, "pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), path, "-")
		for _, h := range []string{"First", "Second, skipping a level", "Third"} {
			if strings.Contains(text, h) {
				if _, ok := starts[h]; !ok {
					starts[h] = p
				}
			}
		}
		if want := fmt.Sprintf("Page %d of %d", p, n); !strings.Contains(text, want) {
			t.Errorf("page %d lacks %q", p, want)
		}
	}
	if !(starts["First"] == 1 && starts["Second, skipping a level"] > 1 && starts["Third"] == n) {
		t.Fatalf("sections start on pages %v of %d", starts, n)
	}
	sizes := pageSizes(t, path, n)
	if sizes[0] != "portrait" || sizes[starts["Second, skipping a level"]-1] != "landscape" || sizes[n-1] != "portrait" {
		t.Errorf("page sizes %v", sizes)
	}
	items := readOutline(t, data)
	byTitle := map[string]outlineItem{}
	for _, it := range items {
		byTitle[it.title] = it
	}
	if p := items[byTitle["Second, skipping a level"].parent].title; p != "First" {
		t.Errorf("the second section's heading is under %q, want under First", p)
	}
	if _, ok := items[byTitle["Third"].parent]; ok {
		t.Error("Third is not at the top level")
	}
	// Each bookmark points at its section's first page.
	pageObjs := regexp.MustCompile(`(\d+) 0 obj\n<</Type /Page\n`).FindAllSubmatch(data, -1)
	for title, page := range starts {
		at := bytes.Index(data, append([]byte("<</Title "), textString(title)...))
		dest := regexp.MustCompile(`/Dest \[(\d+) 0 R`).FindSubmatch(data[max(at, 0):])
		if at < 0 || dest == nil || string(dest[1]) != string(pageObjs[page-1][1]) {
			t.Errorf("bookmark %q does not point at page %d", title, page)
		}
	}
}

// WriteSections lays out sections as they come: sections handed over in
// any order, the first last, make the same bytes as Write; a section that
// cannot be had, or is malformed, is an error, not a panic.
func TestWriteSections(t *testing.T) {
	d := sampleDoc()
	want := render(t, d)
	meta := *d
	meta.Sections = nil
	n := len(d.Sections)
	if n < 3 {
		t.Fatalf("the sample has %d sections; the test needs several", n)
	}
	// Section 0 is handed over only after every other one has been.
	others := make(chan struct{}, n)
	section := func(i int) (document.Section, error) {
		if i == 0 {
			for range n - 1 {
				<-others
			}
		} else {
			others <- struct{}{}
		}
		return d.Sections[i], nil
	}
	var got bytes.Buffer
	if err := WriteSections(&got, &meta, n, section); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Error("sections handed over late make a different PDF")
	}

	failing := errors.New("cover report wording: t.md: broken")
	err := WriteSections(io.Discard, &meta, n, func(i int) (document.Section, error) {
		if i == 1 {
			return document.Section{}, failing
		}
		return d.Sections[i], nil
	})
	if !errors.Is(err, failing) {
		t.Errorf("err = %v, want the section's", err)
	}
	malformed := document.Section{Blocks: []document.Block{document.Table{Columns: []document.Column{{Title: "A"}}, Rows: []document.Row{{}}}}}
	err = WriteSections(io.Discard, &meta, 2, func(i int) (document.Section, error) { return malformed, nil })
	if err == nil || !strings.Contains(err.Error(), "section 1, block 1") {
		t.Errorf("malformed section: err = %v", err)
	}
}
