package html_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"papers/internal/document"
	"papers/internal/html"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Officer text that must come out inert.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `" onmouseover="alert(2)`
	xssTag    = `<img src=x onerror=alert(3)>`
)

// sampleDoc uses every kind of block, and puts hostile text wherever
// officers' words can reach.
func sampleDoc() *document.Doc {
	return &document.Doc{
		Title:    "Progress against the action plan " + xssScript,
		Author:   "Chief Executive",
		Subject:  "Children and Families Scrutiny Panel, 26 November 2020",
		Keywords: "action plan; scrutiny",
		Language: "en-GB",
		Date:     time.Date(2020, 11, 26, 0, 0, 0, 0, time.UTC),
		Footer:   "Children and Families Scrutiny Panel, 26 November 2020",
		Sections: []document.Section{
			{Blocks: []document.Block{
				document.KeyValue{Pairs: []document.Pair{
					{Key: "DECISION MAKER:", Value: "CHILDREN AND FAMILIES SCRUTINY PANEL"},
					{Key: "SUBJECT:", Value: "PROGRESS " + xssAttr},
				}},
				document.Heading{Level: 1, Text: "BRIEF SUMMARY"},
				document.Text("This report sets out progress as at 26 November 2020 & later."),
				document.Heading{Level: 1, Text: "RECOMMENDATIONS:"},
				document.Labelled("(i)", "To note the progress made."),
				document.Labelled("(ii)", "To note the changes "+xssTag),
				document.Heading{Level: 1, Text: "DETAIL"},
				document.Paragraph{Label: "3.", Runs: []document.Run{
					{Text: "Lead owners updated the plan. "},
					{Text: "Ten", Bold: true},
					{Text: " actions are "},
					{Text: "overdue", Italic: true},
					{Text: ":"},
				}},
				document.Paragraph{Label: "•", Indent: 1, Runs: []document.Run{{Text: "2.2 Monthly visit (Robert Henderson): 57 days overdue."}}},
				document.Paragraph{Label: "•", Indent: 1, Runs: []document.Run{{Text: "2.3 Bi-annual meeting " + xssScript}}},
				document.Paragraph{Small: true, Runs: []document.Run{{Text: "Overdue actions by lead owner:\nRobert Henderson 6"}}},
				document.Chart{
					Title:      "Status of actions by recommendation",
					Categories: []string{"Recommendation One", "Recommendation Two " + xssTag, "Recommendation Three with a much longer name than fits on one line of the chart's labels"},
					Series: []document.Series{
						{Name: "Complete", Color: "1D70B8", Values: []float64{0, 0, 0}},
						{Name: "On track", Color: "00703C", Values: []float64{2, 4, 6}},
						{Name: "Due soon", Color: "F47738", Values: []float64{0, 0, 1}},
						{Name: "Overdue " + xssScript, Color: `D4351C"/><script>`, Values: []float64{0, 7, 0}},
					},
					Caption: "Recommendation One: 2 on track; Recommendation Two: 4 on track, 7 overdue; Recommendation Three: 6 on track, 1 due soon.",
				},
				document.Heading{Level: 3, Text: "Capital/Revenue"},
				document.Labelled("6.", "None."),
				document.PageBreak{},
				document.Heading{Level: 1, Text: "SUPPORTING DOCUMENTATION"},
				document.Heading{Level: 3, Text: "Appendices"},
				document.Labelled("1.", "Position statement"),
			}},
			{Orientation: document.Landscape, Blocks: []document.Block{
				document.Heading{Level: 1, Text: "Appendix 1: Position statement"},
				document.Table{
					Columns: []document.Column{
						{Title: "Recommendation", Width: 3},
						{Title: "Ref", Width: 1, Align: document.Center},
						{Title: "Action", Width: 4},
						{Title: "Status", Width: 2},
						{Title: "Days", Width: 1, Align: document.Right},
					},
					Rows: []document.Row{
						{Cells: []document.Cell{{Text: "Recommendation One: Develop a vision", Merge: document.MergeStart}, {Text: "1.1"}, {Text: "Develop an ambitious vision"}, {Text: "On track", Fill: "CCE2D8"}, {Text: "0"}}},
						{Cells: []document.Cell{{Merge: document.MergeContinue}, {Text: "1.2"}, {Text: "Embed outcomes " + xssScript}, {Text: "Overdue\n57 days", Bold: true, Fill: "F6D7D2"}, {Text: "57"}}},
						{Group: "Phase two " + xssTag, Cells: []document.Cell{{Merge: document.MergeContinue}, {Text: "1.3"}, {Text: "Carried across the band"}, {Text: "Due soon", Fill: "not a colour; background:url(x)"}, {Text: "3"}}},
						{Cells: []document.Cell{{Merge: document.MergeContinue}, {Text: "1.4"}, {Text: "Merged again below the band"}, {Text: "On track"}, {Text: "0"}}},
						{Cells: []document.Cell{{Text: "Recommendation Two", Merge: document.MergeStart}, {Text: "2.1"}, {Text: "Co-design a strategy"}, {Text: "Complete"}}},
					},
				},
				document.Table{
					Caption: "Lead owners and their roles " + xssAttr,
					Columns: []document.Column{{Title: "Lead owner", Width: 2}, {Title: "", Width: 3}},
					Rows: []document.Row{
						{Cells: []document.Cell{{Text: "Sandy Hopkins"}, {Text: "Chief Executive"}}},
					},
				},
			}},
		},
	}
}

func render(t *testing.T, d *document.Doc) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := html.Write(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	got := render(t, sampleDoc())
	golden := filepath.Join("testdata", "sample.golden.html")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("HTML differs from %s (go test -update rewrites it if the change is meant):\n%s", golden, firstDiff(string(want), string(got)))
	}
	if again := render(t, sampleDoc()); !bytes.Equal(got, again) {
		t.Error("two renderings of the same document differ")
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + w + "\ngot:  " + g
		}
	}
	return ""
}

func TestStructure(t *testing.T) {
	checkStructure(t, render(t, sampleDoc()))
}

// checkStructure parses a page and checks what assistive technology relies
// on: the language, the title, one h1 and no skipped heading levels, headers
// with a scope in every table, a name for every data table, and a named
// chart image.
func checkStructure(t *testing.T, page []byte) *xhtml.Node {
	t.Helper()
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	root := find(doc, atom.Html)[0]
	if lang := attr(root, "lang"); lang == "" {
		t.Error("<html> has no lang")
	}
	if titles := find(doc, atom.Title); len(titles) == 0 || strings.TrimSpace(textOf(titles[0])) == "" {
		t.Error("no <title>")
	}
	ids := map[string]bool{}
	walk(doc, func(n *xhtml.Node) {
		if id := attr(n, "id"); id != "" {
			if ids[id] {
				t.Errorf("id %q is used twice", id)
			}
			ids[id] = true
		}
	})

	// Headings: one h1, first; then never more than one level deeper.
	prev := 0
	h1s := 0
	walk(doc, func(n *xhtml.Node) {
		level := map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}[n.DataAtom]
		if n.Type != xhtml.ElementNode || level == 0 {
			return
		}
		if level == 1 {
			h1s++
		}
		if level > prev+1 {
			t.Errorf("heading %q is h%d after h%d: a level is skipped", textOf(n), level, prev)
		}
		prev = level
	})
	if h1s != 1 {
		t.Errorf("%d h1 elements, want 1", h1s)
	}

	for _, table := range find(doc, atom.Table) {
		for _, th := range find(table, atom.Th) {
			switch attr(th, "scope") {
			case "col", "row", "rowgroup", "colgroup":
			default:
				t.Errorf("<th>%s</th> has no scope", textOf(th))
			}
		}
		if strings.Contains(attr(table, "class"), "kv") {
			continue
		}
		if len(find(table, atom.Thead)) != 1 {
			t.Errorf("table %q has no <thead>", name(table))
		}
		caption := find(table, atom.Caption)
		label := attr(table, "aria-labelledby")
		switch {
		case len(caption) > 0 && strings.TrimSpace(textOf(caption[0])) != "":
		case label != "" && ids[label]:
		default:
			t.Errorf("a table has neither a caption nor aria-labelledby naming an element (%q)", label)
		}
	}

	for _, svg := range find(doc, atom.Svg) {
		if attr(svg, "role") != "img" {
			t.Error("an <svg> is not role=img")
		}
		for _, ref := range []string{attr(svg, "aria-labelledby"), attr(svg, "aria-describedby")} {
			if ref == "" || !ids[ref] {
				t.Errorf("svg refers to %q, which is not an id on the page", ref)
			}
		}
	}
	return doc
}

func TestMergedCellsAndGroups(t *testing.T) {
	doc := checkStructure(t, render(t, sampleDoc()))
	var table *xhtml.Node
	for _, tb := range find(doc, atom.Table) {
		if attr(tb, "aria-labelledby") != "" {
			table = tb
		}
	}
	if table == nil {
		t.Fatal("no table labelled by its heading")
	}
	// The merge runs down two rows, stops at the group band, starts again
	// below it for two rows, and the second recommendation is a cell alone.
	var spans []string
	for _, td := range find(table, atom.Td) {
		if strings.HasPrefix(textOf(td), "Recommendation") {
			spans = append(spans, textOf(td)+"|"+attr(td, "rowspan"))
		}
	}
	want := []string{"Recommendation One: Develop a vision|2", "Recommendation One: Develop a vision|2", "Recommendation Two|"}
	if strings.Join(spans, ";") != strings.Join(want, ";") {
		t.Errorf("merged cells: %q, want %q", spans, want)
	}
	bodies := find(table, atom.Tbody)
	if len(bodies) != 2 {
		t.Fatalf("%d tbody, want 2 (one before and one from the group band)", len(bodies))
	}
	band := find(bodies[1], atom.Th)
	if len(band) == 0 || attr(band[0], "scope") != "rowgroup" || attr(band[0], "colspan") != "5" {
		t.Errorf("group band is not a full-width rowgroup header")
	}
	// A row with fewer cells than columns is padded.
	rows := find(bodies[1], atom.Tr)
	if last := rows[len(rows)-1]; len(find(last, atom.Td)) != 5 {
		t.Errorf("short row has %d cells, want 5", len(find(last, atom.Td)))
	}
}

func TestOfficerTextIsInert(t *testing.T) {
	page := render(t, sampleDoc())
	doc, err := xhtml.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	walk(doc, func(n *xhtml.Node) {
		if n.Type != xhtml.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.Script, atom.Img, atom.Iframe, atom.Object:
			t.Errorf("officer text became a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s> has an event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if a.Key == "style" && strings.Contains(a.Val, "url(") {
				t.Errorf("officer text reached a style attribute: %q", a.Val)
			}
			if a.Key == "fill" && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("officer text reached a fill attribute: %q", a.Val)
			}
		}
	})
	// The words are still there, as text.
	all := textOf(doc)
	for _, s := range []string{xssScript, strings.TrimSpace(xssAttr), xssTag} {
		if !strings.Contains(all, s) {
			t.Errorf("page text lacks %q", s)
		}
	}
}

func TestEmptyDocument(t *testing.T) {
	page := render(t, &document.Doc{})
	doc := checkStructure(t, page)
	if attr(find(doc, atom.Html)[0], "lang") != "en-GB" {
		t.Error("a document without a language is not marked en-GB")
	}
}

func TestHeadingLevels(t *testing.T) {
	d := &document.Doc{Title: "T", Language: "en-GB", Sections: []document.Section{{Blocks: []document.Block{
		document.Heading{Level: 3, Text: "a"}, // straight to 3: becomes h2
		document.Heading{Level: 5, Text: "b"}, // h3
		document.Heading{Level: 2, Text: " "}, // empty: left out
		document.Heading{Level: 1, Text: "c"}, // h2
		document.Heading{Level: 2, Text: "d"}, // h3
		document.Heading{Level: 9, Text: "e"}, // h4
	}}}}
	doc := checkStructure(t, render(t, d))
	var got []string
	walk(doc, func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && len(n.Data) == 2 && n.Data[0] == 'h' && n.Data[1] >= '1' && n.Data[1] <= '6' {
			got = append(got, n.Data+":"+textOf(n))
		}
	})
	want := "h1:T h2:a h3:b h2:c h3:d h4:e"
	if strings.Join(got, " ") != want {
		t.Errorf("headings %q, want %q", strings.Join(got, " "), want)
	}
}

// Helpers over the parsed tree.

func walk(n *xhtml.Node, f func(*xhtml.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func find(n *xhtml.Node, a atom.Atom) []*xhtml.Node {
	var out []*xhtml.Node
	walk(n, func(c *xhtml.Node) {
		if c.Type == xhtml.ElementNode && (c.DataAtom == a || (a == atom.Svg && c.Data == "svg")) {
			out = append(out, c)
		}
	})
	return out
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *xhtml.Node) string {
	var b strings.Builder
	walk(n, func(c *xhtml.Node) {
		if c.Type == xhtml.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func name(table *xhtml.Node) string {
	if c := find(table, atom.Caption); len(c) > 0 {
		return textOf(c[0])
	}
	return attr(table, "aria-labelledby")
}

// welshDoc has text marked as Welsh in a heading, a list item and a
// paragraph, one run bold.
func welshDoc() *document.Doc {
	return &document.Doc{Title: "Welsh", Language: "en-GB", Sections: []document.Section{{Blocks: []document.Block{
		document.Heading{Level: 1, Text: "Progress report / Adroddiad Cynnydd", Runs: []document.Run{{Text: "Progress report / "}, {Text: "Adroddiad Cynnydd", Lang: "cy"}}},
		document.Paragraph{Label: "1.", Runs: []document.Run{{Text: "The Panel, "}, {Text: "y Panel", Lang: "cy"}, {Text: ", is asked to note the report."}}},
		document.Paragraph{Runs: []document.Run{{Text: "Bold Welsh: "}, {Text: "Argymhellion", Bold: true, Lang: "cy-GB"}, {Text: "."}}},
	}}}}
}

// A run in a language of its own is a span with its lang, in headings
// and paragraphs; the rest of the page keeps the document's.
func TestLanguageSpans(t *testing.T) {
	page := string(render(t, welshDoc()))
	for _, want := range []string{
		`<html lang="en-GB"`,
		`>Progress report / <span lang="cy">Adroddiad Cynnydd</span></h2>`,
		`The Panel, <span lang="cy">y Panel</span>, is asked`,
		`Bold Welsh: <span lang="cy-GB"><strong>Argymhellion</strong></span>.</p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if n := strings.Count(page, "<span lang="); n != 3 {
		t.Errorf("%d spans with a lang, want 3", n)
	}
	checkStructure(t, []byte(page))
}
