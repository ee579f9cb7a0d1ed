// Package document is the one model of a report that every writer renders:
// sections of headings, paragraphs, key–value blocks, tables and charts. The
// report package builds a Doc once; the PDF, DOCX and text writers only draw
// it, so they can never disagree on content.
package document

import "time"

// Doc is a whole document.
type Doc struct {
	Title    string
	Author   string
	Subject  string
	Keywords string
	Language string    // BCP 47, e.g. "en-GB"
	Date     time.Time // stamped as the creation and modification date; never the clock
	// Footer is printed at the foot of every page, left; writers add
	// "Page N of M" on the right.
	Footer   string
	Sections []Section
}

// Orientation of a section's pages.
type Orientation int

// Orientations.
const (
	Portrait Orientation = iota
	Landscape
)

// Section is a run of pages with one orientation. Every section after the
// first starts on a new page.
type Section struct {
	Orientation Orientation
	Blocks      []Block
}

// Block is one of Heading, Paragraph, KeyValue, Table, Chart, PageBreak.
type Block interface{ block() }

// Heading is a section title. Level 1 is the largest. Every heading is a
// bookmark (PDF) and a navigation-pane entry (DOCX).
type Heading struct {
	Level int
	Text  string
}

// Run is a piece of a paragraph's text with one style.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
}

// Paragraph is running text. Label, when set, is hung in the left margin
// like a list number: "(i)", "3.", "•".
type Paragraph struct {
	Label string
	Runs  []Run
	// Indent is the nesting depth for lists (0 = none).
	Indent int
	Small  bool // notes and captions
}

// Text returns a paragraph of one plain run.
func Text(s string) Paragraph { return Paragraph{Runs: []Run{{Text: s}}} }

// Labelled returns a plain paragraph with a hanging label.
func Labelled(label, s string) Paragraph {
	return Paragraph{Label: label, Runs: []Run{{Text: s}}}
}

// Plain returns the paragraph's text without styling.
func (p Paragraph) Plain() string {
	n := 0
	for _, r := range p.Runs {
		n += len(r.Text)
	}
	b := make([]byte, 0, n)
	for _, r := range p.Runs {
		b = append(b, r.Text...)
	}
	return string(b)
}

// KeyValue is the boxed block at the top of a council cover report:
// "DECISION MAKER: | CHILDREN AND FAMILIES SCRUTINY PANEL". Keys are bold.
type KeyValue struct {
	Pairs []Pair
}

// Columns shares width w between a box's key and value columns, in
// whatever unit the writer measures in: the key takes 35%, more when a key
// is too long for that and every value is short (a question answered "No"),
// leaving the value column at least minValue. measure gives the width of
// the widest line of a text set in the writer's box font, padding included.
// Every writer sizes the box from these widths, so none squeezes a question
// another prints across the page.
func (kv KeyValue) Columns(w, minValue float64, measure func(text string, bold bool) float64) []Column {
	maxKey, maxVal := 0.0, 0.0
	for _, p := range kv.Pairs {
		maxKey = max(maxKey, measure(p.Key, true))
		maxVal = max(maxVal, measure(p.Value, false))
	}
	keyW := 0.35 * w
	if maxKey > keyW && maxVal <= w-keyW {
		keyW = min(maxKey, w-max(maxVal, minValue))
		keyW = max(keyW, 0.35*w)
	}
	return []Column{{Width: keyW}, {Width: w - keyW}}
}

// Pair is one key and its value.
type Pair struct {
	Key   string
	Value string
}

// Align of a table column.
type Align int

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// Column describes one table column. Width is relative: writers share the
// page's text width among columns in proportion.
type Column struct {
	Title string
	Width float64
	Align Align
}

// Table is a grid with one header row that writers repeat on every page.
type Table struct {
	Caption string // optional, printed above the table
	Columns []Column
	Rows    []Row
}

// Row is a table row. Cells has exactly one entry per column.
type Row struct {
	Cells []Cell
	// Group, when set, is a full-width band printed before this row (a
	// recommendation or phase heading in a long table). Writers keep it with
	// the row that follows.
	Group string
}

// Merge says how a cell joins the cells above and below it in its column.
// A byte, with Bold beside it, keeps a Cell to 40 bytes: a large plan's
// appendices hold hundreds of thousands of cells.
type Merge uint8

// Merges. A MergeStart cell carries the text; the MergeContinue cells below
// it are drawn as one cell with it (DOCX vertical merge; in PDF the text is
// repeated, marked "(continued)", when the merged block crosses a page).
const (
	MergeNone Merge = iota
	MergeStart
	MergeContinue
)

// Cell is one table cell.
type Cell struct {
	Text  string
	Fill  string // background as RRGGBB hex, "" for none
	Bold  bool
	Merge Merge
}

// Chart is a horizontal stacked bar chart: one bar per category, one
// segment per series.
type Chart struct {
	Title      string
	Categories []string // bar labels, top to bottom
	Series     []Series
	// Caption describes the chart in words, for readers who cannot see it
	// (PDF alt text, DOCX description, text rendering).
	Caption string
}

// Series is one coloured segment of every bar.
type Series struct {
	Name   string
	Color  string    // RRGGBB hex
	Values []float64 // one per category
}

// PageBreak starts a new page within a section.
type PageBreak struct{}

func (Heading) block()   {}
func (Paragraph) block() {}
func (KeyValue) block()  {}
func (Table) block()     {}
func (Chart) block()     {}
func (PageBreak) block() {}

// ContinuedMark is set, in italic after a space, beside a merged cell's
// text where a page starts inside its block, so the cell is never blank.
const ContinuedMark = "(continued)"

// Continued is the text a merged cell shows at the top of a page inside
// its block: its own text, then the suffix in italic.
func Continued(text string) (plain, italic string) {
	if text == "" {
		return "", ContinuedMark
	}
	return text, " " + ContinuedMark
}
