package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"papers/internal/document"
)

const welsh = "Gwasanaethau ŵ ŷ £25,000 – ’ • “quoted”"

var sampleDate = time.Date(2020, 8, 27, 9, 30, 0, 0, time.UTC)

// sampleDoc exercises every block type: a portrait cover, a landscape
// appendix with a long table of merged recommendation cells and group
// bands, and a closing portrait section.
func sampleDoc(rows int) *document.Doc {
	cover := []document.Block{
		document.KeyValue{Pairs: []document.Pair{
			{Key: "DECISION MAKER:", Value: "CHILDREN AND FAMILIES SCRUTINY PANEL"},
			{Key: "SUBJECT:", Value: "PROGRESS AGAINST THE ACTION PLAN RESPONDING TO THE LEARNING REPORT INTO THE WHISTLEBLOWING COMPLAINT"},
			{Key: "DATE OF DECISION:", Value: "27 AUGUST 2020"},
			{Key: "REPORT OF:", Value: "CHIEF EXECUTIVE"},
		}},
		document.Heading{Level: 1, Text: "BRIEF SUMMARY"},
		document.Text("This report sets out progress against the draft action plan. " + welsh + "."),
		document.Heading{Level: 1, Text: "RECOMMENDATIONS:"},
		document.Paragraph{Label: "(i)", Runs: []document.Run{{Text: "To note "}, {Text: "the report", Bold: true}, {Text: " and its recommendations."}}},
		document.Paragraph{Label: "(ii)", Runs: []document.Run{{Text: "To note the draft action plan developed by the directorate management team in response to the report, which will be a living document owned by colleagues across the directorate."}}},
		document.Heading{Level: 1, Text: "RESOURCE IMPLICATIONS"},
		document.Heading{Level: 2, Text: "Capital/Revenue"},
		document.Labelled("4.", "The independent investigation and all reports have come at a cost of £25,000."),
		document.Paragraph{Indent: 1, Label: "•", Runs: []document.Run{{Text: "A bullet nested one level, "}, {Text: "in italics", Italic: true}, {Text: "."}}},
		document.Paragraph{Indent: 1, Runs: []document.Run{{Text: "An indented paragraph without a label."}}},
		document.Heading{Level: 3, Text: "Property/Other"},
		document.Paragraph{Small: true, Runs: []document.Run{{Text: "¹ Appreciative Inquiry (AI) — a small note."}}},
		document.Chart{
			Title:      "Status of actions by recommendation, as at 27 August 2020",
			Categories: []string{"1. Leadership and culture", "2. Practice standards", "3. Workforce"},
			Series: []document.Series{
				{Name: "Complete", Color: "1D70B8", Values: []float64{4, 2, 1}},
				{Name: "On track", Color: "00703C", Values: []float64{3, 5, 0}},
				{Name: "Overdue", Color: "D4351C", Values: []float64{2, 3, 1}},
			},
			Caption: "1. Leadership and culture: 4 complete, 3 on track, 2 overdue; 2. Practice standards: 2 complete, 5 on track, 3 overdue; 3. Workforce: 1 complete, 1 overdue.",
		},
		document.Table{Caption: "Table 1: Summary", Columns: []document.Column{
			{Title: "Status", Width: 3}, {Title: "Actions", Width: 1, Align: document.Right},
		}, Rows: []document.Row{
			{Cells: []document.Cell{{Text: "Overdue", Fill: "F6D7D2"}, {Text: "6", Bold: true}}},
			{Cells: []document.Cell{{Text: "Complete"}, {Text: "7"}}},
		}},
	}
	t := document.Table{Caption: "Position statement", Columns: []document.Column{
		{Title: "Recommendation", Width: 17},
		{Title: "Ref", Width: 4.5},
		{Title: "Action", Width: 24},
		{Title: "Lead owner(s)", Width: 11},
		{Title: "Status", Width: 10},
		{Title: "Update", Width: 32, Align: document.Left},
	}}
	rec := 0
	for i := 0; i < rows; i++ {
		r := document.Row{}
		cellRec := document.Cell{Merge: document.MergeContinue}
		if i%7 == 0 {
			rec++
			cellRec = document.Cell{Text: fmt.Sprintf("Recommendation %d: leadership and culture (rec-%d)", rec, rec), Merge: document.MergeStart}
			if rec%3 == 1 {
				r.Group = fmt.Sprintf("Phase %d", rec/3+1)
			}
		}
		update := fmt.Sprintf("Update for row %d. %s.", i+1, welsh)
		if i == 40 {
			update = strings.Repeat("A long update that has to be allowed to split across pages. ", 120)
		}
		fill := ""
		if i%5 == 0 {
			fill = "F6D7D2"
		}
		r.Cells = []document.Cell{
			cellRec,
			{Text: fmt.Sprintf("%d.%d", rec, i%7+1)},
			{Text: fmt.Sprintf("Action text for row-%04d: review caseloads & supervision <weekly>", i+1)},
			{Text: "Executive Director\nChildren's Services"},
			{Text: "Overdue by 3 days\nRAG: Red", Fill: fill, Bold: i%5 == 0},
			{Text: update},
		}
		t.Rows = append(t.Rows, r)
	}
	return &document.Doc{
		Title:    "Action plan progress",
		Author:   "Southampton City Council",
		Subject:  "Children and Families Scrutiny Panel",
		Keywords: "scrutiny; action plan",
		Language: "en-GB",
		Date:     sampleDate,
		Footer:   "Children and Families Scrutiny Panel, 27 August 2020",
		Sections: []document.Section{
			{Orientation: document.Portrait, Blocks: cover},
			{Orientation: document.Landscape, Blocks: []document.Block{
				document.Heading{Level: 1, Text: "Appendix 1: Position statement"},
				document.Text("Every current action under its recommendation."),
				t,
			}},
			{Orientation: document.Portrait, Blocks: []document.Block{
				document.Heading{Level: 1, Text: "Appendix 2: Notes"},
				document.Text("Closing portrait section."),
				document.PageBreak{},
				document.Text("After a page break."),
			}},
		},
	}
}

func render(t testing.TB, d *document.Doc, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// unzip returns the parts in order.
func unzip(t testing.TB, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = data
		names = append(names, f.Name)
	}
	return files, names
}

// node is a parsed XML element.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	kids  []*node
	text  strings.Builder
}

func parse(t testing.TB, name string, b []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := &node{}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			n := &node{name: v.Name, attrs: v.Attr}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			stack[len(stack)-1].text.Write(v)
		}
	}
	if len(root.kids) != 1 {
		t.Fatalf("%s: %d root elements", name, len(root.kids))
	}
	return root.kids[0]
}

// all returns the descendants (not n itself) with the local name, in order.
func (n *node) all(local string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		for _, k := range m.kids {
			if k.name.Local == local {
				out = append(out, k)
			}
			walk(k)
		}
	}
	walk(n)
	return out
}

func (n *node) child(local string) *node {
	for _, k := range n.kids {
		if k.name.Local == local {
			return k
		}
	}
	return nil
}

func (n *node) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// plain is the text of the w:t descendants.
func (n *node) plain() string {
	var b strings.Builder
	for _, t := range n.all("t") {
		b.WriteString(t.text.String())
	}
	return b.String()
}

// tableParts returns the body's tables, each as its parts: a table the
// writer broke across pages is several w:tbl joined by page-break
// paragraphs.
func tableParts(body *node) [][]*node {
	var out [][]*node
	prev, joined := "", false
	for _, k := range body.kids {
		switch {
		case k.name.Local == "tbl" && joined:
			out[len(out)-1] = append(out[len(out)-1], k)
		case k.name.Local == "tbl":
			out = append(out, []*node{k})
		}
		joined = prev == "tbl" && k.name.Local == "p" && k.child("pPr") != nil && k.child("pPr").child("pageBreakBefore") != nil
		prev = k.name.Local
	}
	return out
}

// checkPackage checks that every XML part parses, that the content types
// cover every part and that every internal relationship resolves.
func checkPackage(t *testing.T, files map[string][]byte) {
	t.Helper()
	ct := parse(t, "[Content_Types].xml", files["[Content_Types].xml"])
	defaults, overrides := map[string]bool{}, map[string]bool{}
	for _, d := range ct.all("Default") {
		defaults[strings.ToLower(d.attr("Extension"))] = true
	}
	for _, o := range ct.all("Override") {
		p := strings.TrimPrefix(o.attr("PartName"), "/")
		overrides[p] = true
		if _, ok := files[p]; !ok {
			t.Errorf("content type override for missing part %s", p)
		}
	}
	for name, b := range files {
		if name == "[Content_Types].xml" {
			continue
		}
		ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
		if !overrides[name] && !defaults[ext] {
			t.Errorf("no content type for %s", name)
		}
		if ext == "xml" || ext == "rels" {
			parse(t, name, b)
		}
		if ext == "rels" {
			dir := path.Dir(path.Dir(name))
			for _, r := range parse(t, name, b).all("Relationship") {
				if r.attr("TargetMode") == "External" {
					continue
				}
				target := resolve(dir, rel{Target: r.attr("Target")})
				if _, ok := files[target]; !ok {
					t.Errorf("%s: relationship %s → %s does not resolve", name, r.attr("Id"), target)
				}
			}
		}
	}
}

// relTargets maps a part's relationship IDs to part names.
func relTargets(t *testing.T, files map[string][]byte, part string) map[string]string {
	out := map[string]string{}
	rp := relsPathOf(part)
	for _, r := range parse(t, rp, files[rp]).all("Relationship") {
		out[r.attr("Id")] = resolve(path.Dir(part), rel{Target: r.attr("Target")})
	}
	return out
}

func TestWrite(t *testing.T) {
	d := sampleDoc(300)
	b := render(t, d, Options{})
	files, names := unzip(t, b)
	if names[0] != "[Content_Types].xml" {
		t.Errorf("first part is %s", names[0])
	}
	checkPackage(t, files)
	doc := parse(t, "word/document.xml", files["word/document.xml"])
	body := doc.child("body")

	// Headings use the built-in style IDs.
	headings := map[string][]string{}
	for _, p := range body.all("p") {
		if ps := p.all("pStyle"); len(ps) > 0 && strings.HasPrefix(ps[0].attr("val"), "Heading") {
			headings[ps[0].attr("val")] = append(headings[ps[0].attr("val")], p.plain())
		}
	}
	if h := strings.Join(headings["Heading1"], "|"); h != "BRIEF SUMMARY|RECOMMENDATIONS:|RESOURCE IMPLICATIONS|Appendix 1: Position statement|Appendix 2: Notes" {
		t.Errorf("Heading1 paragraphs: %s", h)
	}
	if h := strings.Join(headings["Heading2"], "|"); h != "Capital/Revenue" {
		t.Errorf("Heading2 paragraphs: %s", h)
	}
	if h := strings.Join(headings["Heading3"], "|"); h != "Property/Other" {
		t.Errorf("Heading3 paragraphs: %s", h)
	}
	styles := string(files["word/styles.xml"])
	for _, want := range []string{
		`w:styleId="Heading1"><w:name w:val="heading 1"/>`, `<w:outlineLvl w:val="0"/>`, `<w:outlineLvl w:val="2"/>`,
		`w:styleId="Normal"`, `w:ascii="Arial"`, `<w:sz w:val="22"/>`, `w:styleId="TableGrid"`, `w:styleId="Caption"`, `w:styleId="Small"`,
		`<w:lang w:val="en-GB"`,
	} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	if !strings.Contains(body.plain(), welsh) {
		t.Error("Welsh and typographic text lost")
	}

	// Labelled paragraph: label, tab, text, hanging indent.
	var found bool
	for _, p := range body.all("p") {
		if strings.HasPrefix(p.plain(), "(i)To note the report") {
			found = true
			ind := p.all("ind")
			if len(ind) != 1 || ind[0].attr("hanging") != "567" || ind[0].attr("left") != "567" {
				t.Errorf("labelled paragraph indent wrong")
			}
			runs := p.all("r")
			if len(runs) < 3 || runs[1].child("tab") == nil {
				t.Errorf("label is not followed by a tab")
			}
			if len(p.all("b")) != 1 || !strings.Contains(p.all("r")[3].plain(), "the report") || len(p.all("r")[3].all("b")) != 1 {
				t.Errorf("bold run lost")
			}
		}
	}
	if !found {
		t.Error("labelled paragraph (i) not found")
	}

	// Tables: the cover box, the summary and the appendix.
	parts := tableParts(body)
	if len(parts) != 3 {
		t.Fatalf("%d tables, want 3", len(parts))
	}
	if len(parts[2]) < 2 {
		t.Fatalf("the %d-row appendix is in %d part(s): the writer does not break it at its pages", len(d.Sections[1].Blocks[2].(document.Table).Rows), len(parts[2]))
	}
	tables := []*node{parts[0][0], parts[1][0], parts[2][0]}
	kv := tables[0]
	if len(kv.all("tr")) != 4 || len(kv.all("tr")[0].all("tc")[0].all("b")) == 0 {
		t.Error("key-value box: want 4 rows with bold keys")
	}
	app := tables[2]
	if got := len(app.all("gridCol")); got != 6 {
		t.Errorf("appendix grid has %d columns", got)
	}
	sum := 0
	for _, g := range app.all("gridCol") {
		var w int
		fmt.Sscan(g.attr("w"), &w)
		sum += w
	}
	if sum != 16838-2*850 {
		t.Errorf("landscape grid adds to %d, want the text width %d (15 mm margins, as the PDF)", sum, 16838-2*850)
	}
	// The rows of every part, each part's header row but the first's left
	// out; pageStart marks the first body row of each part after the first.
	trs := app.all("tr")
	pageStart := map[int]bool{}
	for _, part := range parts[2][1:] {
		rows := part.all("tr")
		if tp := rows[0].child("trPr"); tp == nil || tp.child("tblHeader") == nil || rows[0].plain() != trs[0].plain() {
			t.Errorf("a part of the appendix does not start with the header row")
		}
		pageStart[len(trs)] = true
		trs = append(trs, rows[1:]...)
	}
	if trPr := trs[0].child("trPr"); trPr == nil || trPr.child("tblHeader") == nil {
		t.Error("header row not marked to repeat (w:tblHeader)")
	}
	if shd := trs[0].all("shd"); len(shd) != 6 || shd[0].attr("fill") != fillHeader {
		t.Error("header row not shaded")
	}
	for _, tr := range trs[1:] {
		if tp := tr.child("trPr"); tp != nil && tp.child("tblHeader") != nil {
			t.Fatal("a body row is marked as a header row")
		}
	}
	// Walk the rows against the model: group bands, merges, fills.
	tbl := d.Sections[1].Blocks[2].(document.Table)
	i := 1
	longRowSplits, continued := false, 0
	for ri, r := range tbl.Rows {
		if r.Group != "" {
			tr := trs[i]
			i++
			if gs := tr.all("gridSpan"); len(gs) != 1 || gs[0].attr("val") != "6" || tr.plain() != r.Group {
				t.Errorf("group band %q not a full-width row", r.Group)
			}
			if len(tr.all("keepNext")) == 0 || len(tr.all("b")) == 0 {
				t.Errorf("group band %q not bold and kept with the next row", r.Group)
			}
		}
		fresh := pageStart[i] && r.Group == ""
		tr := trs[i]
		i++
		cells := []*node{}
		for _, k := range tr.kids {
			if k.name.Local == "tc" {
				cells = append(cells, k)
			}
		}
		if len(cells) != 6 {
			t.Fatalf("row %d has %d cells", ri, len(cells))
		}
		vm := cells[0].all("vMerge")
		switch r.Cells[0].Merge {
		case document.MergeStart:
			if len(vm) != 1 || vm[0].attr("val") != "restart" || !strings.HasPrefix(cells[0].plain(), "Recommendation") {
				t.Errorf("row %d: want vMerge restart with the text", ri)
			}
		case document.MergeContinue:
			if fresh {
				continued++
				// The first row on a new page says what it continues.
				if len(vm) != 1 || vm[0].attr("val") != "restart" || !strings.HasPrefix(cells[0].plain(), "Recommendation") || !strings.HasSuffix(cells[0].plain(), " (continued)") || len(cells[0].all("i")) == 0 {
					t.Errorf("row %d starts a page inside a merged block: want its text again with (continued) in italic, got %q", ri, cells[0].plain())
				}
			} else if len(vm) != 1 || vm[0].attr("val") != "continue" || cells[0].plain() != "" {
				t.Errorf("row %d: want vMerge continue, empty", ri)
			}
		}
		if len(cells[1].all("vMerge")) != 0 {
			t.Errorf("row %d: unmerged cell has vMerge", ri)
		}
		if r.Cells[4].Fill != "" {
			if shd := cells[4].all("shd"); len(shd) != 1 || shd[0].attr("fill") != r.Cells[4].Fill || len(cells[4].all("b")) == 0 {
				t.Errorf("row %d: fill or bold lost", ri)
			}
		} else if len(cells[4].all("shd")) != 0 {
			t.Errorf("row %d: unfilled cell shaded", ri)
		}
		if got, br := len(cells[3].all("p")), len(cells[3].all("br")); got != 1 || br != 1 {
			t.Errorf("row %d: a two-line cell has %d paragraphs and %d line breaks, want one paragraph broken once (as the PDF pads it)", ri, got, br)
		}
		cant := tr.child("trPr") != nil && tr.child("trPr").child("cantSplit") != nil
		if ri == 40 {
			longRowSplits = !cant
		} else if !cant {
			t.Errorf("short row %d may split across pages", ri)
		}
	}
	if !longRowSplits {
		t.Error("the very long row 40 is not allowed to split across pages")
	}
	if continued == 0 {
		t.Error("no page of the appendix starts inside a merged block: the (continued) check checked nothing")
	}
	if i != len(trs) {
		t.Errorf("%d rows written, %d expected", len(trs), i)
	}

	// Sections: portrait, landscape, portrait; each with a footer.
	sects := body.all("sectPr")
	if len(sects) != 3 {
		t.Fatalf("%d sections, want 3", len(sects))
	}
	if body.kids[len(body.kids)-1].name.Local != "sectPr" {
		t.Error("the last section's properties are not the body's last child")
	}
	rels := relTargets(t, files, "word/document.xml")
	for i, s := range sects {
		sz := s.child("pgSz")
		w, h, orient := sz.attr("w"), sz.attr("h"), sz.attr("orient")
		if i == 1 {
			if w != "16838" || h != "11906" || orient != "landscape" {
				t.Errorf("section 2 page %s×%s %s, want landscape A4", w, h, orient)
			}
		} else if w != "11906" || h != "16838" || orient != "" {
			t.Errorf("section %d page %s×%s %s, want portrait A4", i+1, w, h, orient)
		}
		// The PDF's margins: 20 mm portrait, 15 mm landscape.
		m := s.child("pgMar")
		wantM := map[bool]string{true: "850", false: "1134"}[i == 1]
		for _, side := range []string{"top", "right", "bottom", "left"} {
			if m.attr(side) != wantM {
				t.Errorf("section %d %s margin %s, want %s", i+1, side, m.attr(side), wantM)
			}
		}
		fr := s.all("footerReference")
		if len(fr) == 0 {
			t.Fatalf("section %d has no footer", i+1)
		}
		footer := string(files[rels[fr[0].attr("id")]])
		for _, want := range []string{" PAGE ", " NUMPAGES ", "Page ", " of ", xmlEsc(d.Footer), `w:val="right"`} {
			if !strings.Contains(footer, want) {
				t.Errorf("section %d footer lacks %q", i+1, want)
			}
		}
		wantTab := map[bool]string{true: "15138", false: "9638"}[i == 1]
		if !strings.Contains(footer, `w:pos="`+wantTab+`"`) {
			t.Errorf("section %d footer right tab is not at the margin %s", i+1, wantTab)
		}
	}

	// Chart: an inline picture with the caption as its description.
	docPr := body.all("docPr")
	if len(docPr) != 1 || docPr[0].attr("descr") != d.Sections[0].Blocks[13].(document.Chart).Caption {
		t.Error("chart picture lacks its description")
	}
	blip := body.all("blip")
	if len(blip) != 1 {
		t.Fatal("no picture")
	}
	img, err := png.Decode(bytes.NewReader(files[rels[blip[0].attr("embed")]]))
	if err != nil || img.Bounds().Dx() != chartWidthPx {
		t.Errorf("chart picture: %v", err)
	}

	// Document properties.
	core := parse(t, "docProps/core.xml", files["docProps/core.xml"])
	for field, want := range map[string]string{
		"title": d.Title, "subject": d.Subject, "creator": d.Author, "keywords": d.Keywords,
		"language": "en-GB", "created": "2020-08-27T09:30:00Z", "modified": "2020-08-27T09:30:00Z",
	} {
		if got := core.child(field); got == nil || got.text.String() != want {
			t.Errorf("core.xml %s: want %q", field, want)
		}
	}
	if app := parse(t, "docProps/app.xml", files["docProps/app.xml"]); app.child("Application").text.String() != "papers" {
		t.Error("app.xml Application is not papers")
	}
}

func xmlEsc(s string) string { return escText(s) }

func TestDeterministic(t *testing.T) {
	d := sampleDoc(50)
	a, b := render(t, d, Options{}), render(t, d, Options{})
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same document differ")
	}
	zr, _ := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	for _, f := range zr.File {
		if !f.Modified.Equal(sampleDate.Truncate(2 * time.Second)) {
			t.Errorf("%s modified %v, want the document date", f.Name, f.Modified)
		}
	}
	d.Date = time.Time{}
	zr2 := render(t, d, Options{})
	files, _ := unzip(t, zr2)
	if strings.Contains(string(files["docProps/core.xml"]), "dcterms:created") {
		t.Error("a document without a date got a creation date")
	}
}

func TestEmptyAndOddDocs(t *testing.T) {
	for name, d := range map[string]*document.Doc{
		"empty":     {},
		"landscape": {Sections: []document.Section{{Orientation: document.Landscape, Blocks: []document.Block{document.Table{Columns: []document.Column{{Title: "A"}}}}}}},
		"tables": {Sections: []document.Section{{Blocks: []document.Block{
			document.Table{Columns: []document.Column{{Title: "A"}, {Title: "B"}}, Rows: []document.Row{{Cells: []document.Cell{{Text: "x\x00\x1b<&>\"", Fill: "nothex"}}}}},
			document.Table{Columns: []document.Column{{Title: "A"}}, Rows: []document.Row{{Cells: []document.Cell{{Merge: document.MergeContinue}}}}},
			document.KeyValue{},
			document.Heading{Level: 9, Text: "deep"},
			document.Text("bad utf8 \xff here"),
		}}}},
	} {
		t.Run(name, func(t *testing.T) {
			files, _ := unzip(t, render(t, d, Options{}))
			checkPackage(t, files)
		})
	}
}

// houseTemplate builds a small council template: a custom Normal font, a
// header with a logo picture and the word HOUSE-HEADER, narrower margins
// and a body that must not survive.
func houseTemplate(t testing.TB) []byte {
	t.Helper()
	var logo bytes.Buffer
	// A 1×1 red PNG as the "logo".
	logo.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"))
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>House template</dc:title><dc:creator>Someone</dc:creator></cp:coreProperties>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`},
		{"word/_rels/header1.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.png"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:p><w:r><w:t>TEMPLATE BODY TEXT</w:t></w:r></w:p><w:sectPr><w:headerReference w:type="default" rel:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1701" w:right="1021" w:bottom="1134" w:left="1021" w:header="567" w:footer="454" w:gutter="0"/></w:sectPr></w:body></w:document>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="DejaVu Serif" w:hAnsi="DejaVu Serif"/><w:sz w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:color w:val="7030A0"/><w:sz w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4513"/><w:tab w:val="right" w:pos="9026"/></w:tabs></w:pPr></w:style></w:styles>`},
		{"word/header1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:p><w:r><w:drawing><wp:inline><wp:extent cx="360000" cy="360000"/><wp:docPr id="100" name="Logo" descr="Council logo"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="100" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="360000" cy="360000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve"> HOUSE-HEADER Southampton City Council</w:t></w:r></w:p></w:hdr>`},
		{"word/media/logo.png", logo.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, p.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTemplate(t *testing.T) {
	tpl := houseTemplate(t)
	d := sampleDoc(30)
	b := render(t, d, Options{TemplateData: tpl})
	if !bytes.Equal(b, render(t, d, Options{TemplateData: tpl})) {
		t.Error("template renders differ")
	}
	files, _ := unzip(t, b)
	checkPackage(t, files)
	if !strings.Contains(string(files["word/header1.xml"]), "HOUSE-HEADER") || files["word/media/logo.png"] == nil {
		t.Error("the template's header or its logo was lost")
	}
	styles := string(files["word/styles.xml"])
	for _, want := range []string{`w:ascii="DejaVu Serif"`, `<w:color w:val="7030A0"/>`, `w:styleId="TableGrid"`, `w:styleId="TableText"`, `w:styleId="Heading2"`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles lack %s (template style kept, missing ones added)", want)
		}
	}
	if strings.Count(styles, `w:styleId="Heading1"`) != 1 || strings.Count(styles, `w:styleId="Normal"`) != 1 {
		t.Error("a template style was duplicated")
	}
	docXML := string(files["word/document.xml"])
	if strings.Contains(docXML, "TEMPLATE BODY") {
		t.Error("the template's body survived")
	}
	ct := string(files["[Content_Types].xml"])
	if strings.Contains(ct, "template.main+xml") || !strings.Contains(ct, ctMain) {
		t.Error("main part content type not turned into a document")
	}
	if strings.Contains(string(files["docProps/core.xml"]), "House template") {
		t.Error("template's core properties kept")
	}
	doc := parse(t, "word/document.xml", files["word/document.xml"])
	rels := relTargets(t, files, "word/document.xml")
	sects := doc.all("sectPr")
	if len(sects) != 3 {
		t.Fatalf("%d sections", len(sects))
	}
	for i, s := range sects {
		hr := s.all("headerReference")
		if len(hr) != 1 || rels[hr[0].attr("id")] != "word/header1.xml" {
			t.Errorf("section %d does not use the house header", i+1)
		}
		fr := s.all("footerReference")
		if len(fr) != 1 {
			t.Fatalf("section %d: no footer", i+1)
		}
		footer := string(files[rels[fr[0].attr("id")]])
		if !strings.Contains(footer, `<w:tab w:val="clear" w:pos="4513"/>`) {
			t.Errorf("section %d footer does not clear the house Footer style's centre tab", i+1)
		}
		m := s.child("pgMar")
		if m.attr("top") != "1701" || m.attr("left") != "1021" {
			t.Errorf("section %d margins are not the template's", i+1)
		}
	}
	if dp := doc.all("docPr"); len(dp) != 1 || dp[0].attr("id") != "101" {
		t.Error("chart drawing ID does not follow the header logo's")
	}
	// Our text width follows the template's margins.
	if !strings.Contains(docXML, `<w:tblW w:w="`+itoa(11906-2*1021)+`"`) {
		t.Error("portrait table width does not follow the template's margins")
	}
}

func TestTemplateErrors(t *testing.T) {
	if err := Write(io.Discard, sampleDoc(1), Options{Template: filepath.Join(t.TempDir(), "missing.docx")}); err == nil {
		t.Error("missing template accepted")
	}
	if err := Write(io.Discard, sampleDoc(1), Options{TemplateData: []byte("not a zip")}); err == nil {
		t.Error("non-zip template accepted")
	}
	if err := Write(io.Discard, nil, Options{}); err == nil {
		t.Error("nil doc accepted")
	}
}

// TestLibreOffice converts the sample to PDF with LibreOffice and checks
// the text and page orientations. DOCX_KEEP=dir keeps the files.
func TestLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice round trip skipped in -short mode")
	}
	for _, tool := range []string{"soffice", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH: LibreOffice round trip not tested (install libreoffice-writer-nogui and poppler-utils)", tool)
		}
	}
	dir := t.TempDir()
	if keep := os.Getenv("DOCX_KEEP"); keep != "" {
		dir = keep
		os.MkdirAll(dir, 0o755)
	}
	sample := filepath.Join(dir, "sample.docx")
	house := filepath.Join(dir, "house.docx")
	os.WriteFile(sample, render(t, sampleDoc(300), Options{}), 0o644)
	os.WriteFile(house, render(t, sampleDoc(20), Options{TemplateData: houseTemplate(t)}), 0o644)

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	profile := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "lo-profile"))
	cmd := exec.CommandContext(ctx, "soffice", "-env:UserInstallation="+profile, "--headless",
		"--convert-to", "pdf", "--outdir", dir, sample, house)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	text := func(pdf string) string {
		out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", pdf, err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	pdf := filepath.Join(dir, "sample.pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("LibreOffice made no PDF: %v", err)
	}
	got := text(pdf)
	for _, want := range []string{
		"DECISION MAKER:", "BRIEF SUMMARY", "RECOMMENDATIONS:", "Capital/Revenue", "Property/Other",
		"Appendix 1: Position statement", "Appendix 2: Notes", welsh,
		"Action text for row-0001", "Action text for row-0300", "Recommendation 43", "Phase 15",
		"Status of actions by recommendation", "Page 1 of", "Children and Families Scrutiny Panel, 27 August 2020",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// LibreOffice takes the headings as the outline: the PDF's bookmarks.
	raw, _ := os.ReadFile(pdf)
	for _, h := range []string{"BRIEF SUMMARY", "Capital/Revenue", "Property/Other", "Appendix 1: Position statement"} {
		hex := "FEFF"
		for _, r := range h {
			hex += fmt.Sprintf("%04X", r)
		}
		if !bytes.Contains(raw, []byte("/Title<"+hex+">")) {
			t.Errorf("heading %q is not in the PDF outline", h)
		}
	}
	// The header row repeats: "Lead owner(s)" once per appendix page.
	info, err := exec.Command("pdfinfo", "-f", "1", "-l", "999", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	sizes := regexp.MustCompile(`Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts`).FindAllStringSubmatch(string(info), -1)
	landscape, portrait := 0, 0
	for _, s := range sizes {
		var w, h float64
		fmt.Sscan(s[1], &w)
		fmt.Sscan(s[2], &h)
		if w > h {
			landscape++
		} else {
			portrait++
		}
	}
	t.Logf("%d pages: %d portrait, %d landscape", len(sizes), portrait, landscape)
	if landscape < 5 || portrait < 3 {
		t.Errorf("want the appendix on several landscape pages between portrait ones: %d portrait, %d landscape", portrait, landscape)
	}
	if n := strings.Count(got, "Lead owner(s)"); n < landscape {
		t.Errorf("header row printed %d times on %d landscape pages: not repeated", n, landscape)
	}
	if n := strings.Count(got, "Page "); n < len(sizes) {
		t.Errorf("footer on %d of %d pages", n, len(sizes))
	}
	houseText := text(filepath.Join(dir, "house.pdf"))
	for _, want := range []string{"HOUSE-HEADER", "BRIEF SUMMARY", "Action text for row-0020"} {
		if !strings.Contains(houseText, want) {
			t.Errorf("house-template PDF lacks %q", want)
		}
	}
	if strings.Contains(houseText, "TEMPLATE BODY") {
		t.Error("house-template PDF shows the template's body")
	}
}

func benchmarkWrite(b *testing.B, rows int) {
	d := sampleDoc(rows)
	var buf bytes.Buffer
	Write(&buf, d, Options{})
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite2000(b *testing.B)  { benchmarkWrite(b, 2000) }
func BenchmarkWrite20000(b *testing.B) { benchmarkWrite(b, 20000) }

func TestFitHeaders(t *testing.T) {
	cols := []document.Column{
		{Title: "Lead owner", Width: 22}, {Title: "Role", Width: 42},
		{Title: "Actions led", Width: 9}, {Title: "Complete", Width: 9}, {Title: "Due soon", Width: 9}, {Title: "Overdue", Width: 9},
	}
	total := a4.textWidth()
	w := colWidths(cols, total)
	before := w[3]
	fitHeaders(w, cols, 2*cellMarLR)
	sum := 0
	for _, x := range w {
		sum += x
	}
	if sum != total {
		t.Errorf("widths add to %d, want %d", sum, total)
	}
	complete := boldWordWidth("Complete", tableTextSz)
	if complete < 700 || complete > 950 {
		t.Errorf("\"Complete\" in 9 pt bold measured %d twips", complete)
	}
	if w[3] <= before || w[3] < complete+2*cellMarLR {
		t.Errorf("Complete column %d → %d twips, word needs %d", before, w[3], complete+2*cellMarLR)
	}
	if w[1] >= colWidths(cols, total)[1] {
		t.Error("the wide Role column gave nothing")
	}
	// Columns that fit are left alone.
	wide := []document.Column{{Title: "A", Width: 1}, {Title: "B", Width: 1}}
	w = colWidths(wide, total)
	fitHeaders(w, wide, 2*cellMarLR)
	if w[0] != total/2 {
		t.Errorf("fitting columns changed: %v", w)
	}
}

// A chart drawn early (Draw) gives the same DOCX as one Write draws itself;
// Write uses the early drawing of a chart equal to the document's (titles
// aside), and draws a chart no drawing matches.
func TestDrawn(t *testing.T) {
	d := sampleDoc(3)
	var c document.Chart
	for _, b := range d.Sections[0].Blocks {
		if ch, ok := b.(document.Chart); ok {
			c = ch
		}
	}
	write := func(opt Options) []byte {
		t.Helper()
		var buf bytes.Buffer
		if err := Write(&buf, d, opt); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	want := write(Options{})
	if got := write(Options{Drawn: []*Drawing{Draw(c)}}); !bytes.Equal(got, want) {
		t.Error("with the chart drawn early, the DOCX differs")
	}
	// A finished drawing whose picture is a marker: Write must take it.
	marker := func(ch document.Chart) *Drawing {
		ch.Title = ""
		done := make(chan struct{})
		close(done)
		return &Drawing{chart: ch, done: done, png: []byte("marker picture")}
	}
	retitled := c
	retitled.Title = "Another title"
	files, _ := unzip(t, write(Options{Drawn: []*Drawing{marker(retitled)}}))
	if got := string(files["word/media/chart1.png"]); got != "marker picture" {
		t.Errorf("the early drawing was not used: the picture is %d bytes", len(got))
	}
	other := c
	other.Series = append([]document.Series(nil), c.Series...)
	other.Series[0].Values = []float64{9, 9, 9}
	if got := write(Options{Drawn: []*Drawing{marker(other)}}); !bytes.Equal(got, want) {
		t.Error("a drawing of another chart was used")
	}
}

// gridShares returns each table's w:gridCol widths as shares of the grid.
func gridShares(t *testing.T, files map[string][]byte) [][]float64 {
	t.Helper()
	doc := parse(t, "word/document.xml", files["word/document.xml"])
	var out [][]float64
	for _, parts := range tableParts(doc.child("body")) {
		g := parts[0].child("tblGrid")
		var ws []float64
		sum := 0.0
		for _, c := range g.all("gridCol") {
			w, err := strconv.ParseFloat(c.attr("w"), 64)
			if err != nil {
				t.Fatalf("gridCol w:w=%q: %v", c.attr("w"), err)
			}
			ws = append(ws, w)
			sum += w
		}
		for i := range ws {
			ws[i] /= sum
		}
		out = append(out, ws)
	}
	return out
}

// modelShares returns a table's Column.Width values as shares of their sum.
func modelShares(cols []document.Column) []float64 {
	sum := 0.0
	for _, c := range cols {
		sum += c.Width
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = c.Width / sum
	}
	return out
}

// The equality and data-protection questions of the cover report, answered
// "No", get the width the PDF gives them (85%), not a third; every table's
// grid follows the model's column proportions.
func TestGridFollowsModel(t *testing.T) {
	equality := document.KeyValue{Pairs: []document.Pair{{
		Key:   "Do the implications/subject of the report require an Equality and Safety Impact Assessment (ESIA) to be carried out.",
		Value: "No",
	}}}
	dpia := document.KeyValue{Pairs: []document.Pair{{
		Key:   "Do the implications/subject of the report require a Data Protection Impact Assessment (DPIA) to be carried out.",
		Value: "No",
	}}}
	short := document.KeyValue{Pairs: []document.Pair{{Key: "Decision maker:", Value: "Children and Families Scrutiny Panel"}}}
	d := sampleDoc(20)
	d.Sections[0].Blocks = append(d.Sections[0].Blocks, equality, dpia, short)
	files, _ := unzip(t, render(t, d, Options{}))
	grids := gridShares(t, files)

	// Key–value boxes (nil here) are sized by KeyValue.Columns, whose
	// outcome for the cover's boxes is checked below.
	var want [][]float64
	var what []string
	for _, s := range d.Sections {
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case document.Table:
				want = append(want, modelShares(v.Columns))
				what = append(what, "table "+v.Columns[0].Title)
			case document.KeyValue:
				want = append(want, nil) // checked below against the rule's outcome
				what = append(what, "box "+v.Pairs[0].Key)
			}
		}
	}
	if len(grids) != len(want) {
		t.Fatalf("%d tables in the DOCX, %d in the model", len(grids), len(want))
	}
	const tol = 0.03 // of the table's width: headers may take a little from wide columns
	for i, g := range grids {
		if want[i] == nil {
			continue
		}
		if len(g) != len(want[i]) {
			t.Errorf("%s: %d grid columns, want %d", what[i], len(g), len(want[i]))
			continue
		}
		for c := range g {
			if math.Abs(g[c]-want[i][c]) > tol {
				t.Errorf("%s: column %d is %.1f%% of the width, the model says %.1f%%", what[i], c, 100*g[c], 100*want[i][c])
			}
		}
	}
	// The three boxes close the first section.
	first := 0
	for _, b := range d.Sections[0].Blocks {
		switch b.(type) {
		case document.Table, document.KeyValue:
			first++
		}
	}
	last := grids[first-3 : first]
	for i, name := range []string{"equality", "data protection"} {
		if k := last[i][0]; k < 0.80 || k > 0.90 {
			t.Errorf("%s question: key column is %.1f%% of the width, want about 85%% as in the PDF", name, 100*k)
		}
	}
	if k := last[2][0]; math.Abs(k-0.35) > 0.01 {
		t.Errorf("short box: key column is %.1f%% of the width, want 35%% as in the PDF", 100*k)
	}
}
