// Command gen writes the blind layout set: for each layout in
// testdata/blind, its workbooks (one per quarter) and its answer key,
// key.yaml (in the same format as testdata/layouts), from one declarative
// description in this package. Run it from the module root:
//
//	go run ./testdata/blind/gen
//
// The blind set is a measurement of how well papers reads plans laid out in
// ways its authors have not seen: its layouts were written without reading
// the reader's code, from published plans that the corpus in
// testdata/layouts does not imitate.
//
// The output is deterministic: the same bytes on every run (excelize writes
// the package's parts in sorted order and fixed document dates, and the
// dates set here are the quarters' own).
//
// A layout says, row by row, what each sheet holds and what each row is: an
// action (with the truth about it: its ref as papers should report it, its
// owners, its target to the day or "vague", whether it is complete) or a row
// that is not an action (a title, a heading, a legend, a step, ...). The key
// is written from the same description, so the two cannot disagree.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	log.SetFlags(0)
	out := flag.String("out", "testdata/blind", "the blind set's folder")
	flag.Parse()
	for _, l := range layouts() {
		if err := write(*out, l); err != nil {
			log.Fatalf("%s: %v", l.dir, err)
		}
	}
}

// layout is one kind of real-world plan: its workbooks, one per quarter.
type layout struct {
	dir      string
	quarters []quarter
	// build returns the workbook of quarter q (0-based).
	build func(q int) *book
}

// quarter is one workbook of a layout.
type quarter struct {
	file string // "2017-03 improvement plan.xlsx"
	asOf string // the report date the quarter's statuses are worked out at
}

// book is a workbook.
type book struct {
	sheets []*sheet
}

func (b *book) sheet(name string, widths ...float64) *sheet {
	s := &sheet{name: name, widths: widths}
	b.sheets = append(b.sheets, s)
	return s
}

// sheet is one worksheet, row by row from row 1.
type sheet struct {
	name   string
	widths []float64
	rows   []*row
}

// row is one sheet row: its cells from column A, and what it is.
type row struct {
	cells []cell
	kind  string // "action", or what the row is instead (title, header, heading, ...)
	acts  []truth
}

// Kinds of rows that are not actions.
const (
	kindTitle     = "title"
	kindHeader    = "header"
	kindRepeat    = "repeated header"
	kindHeading   = "heading"
	kindRec       = "recommendation"
	kindLegend    = "legend"
	kindNote      = "note"
	kindStep      = "step"
	kindBlank     = "blank"
	kindAction    = "action"
	kindSummary   = "summary"
	kindObjective = "objective"
)

// cell is one cell: its value (string, float64, int or time.Time), style
// and merge.
type cell struct {
	v      any
	bold   bool
	wrap   bool
	fill   string // "RRGGBB"
	pct    bool   // a 0..1 number shown as a percentage
	across int    // merge this many columns to the right
	down   int    // merge this many rows down
	numFmt string // a custom number format for a date ("mmm-yy"); dd/mm/yyyy by default
}

// t is a plain cell of text (wrapped, as plans are).
func t(s string) cell { return cell{v: s, wrap: true} }

// bd is a bold cell.
func bd(s string) cell { return cell{v: s, bold: true, wrap: true} }

// fl is a filled cell.
func fl(fill, s string) cell { return cell{v: s, fill: fill, wrap: true} }

// e is an empty cell.
func e() cell { return cell{} }

// day is a real Excel date cell.
func day(iso string) cell { return cell{v: mustDay(iso)} }

// pct is a percentage cell.
func pct(f float64) cell { return cell{v: f, pct: true} }

// hdr is a header cell: bold on grey.
func hdr(s string) cell { return cell{v: s, bold: true, wrap: true, fill: "D9D9D9"} }

func hdrs(names ...string) []cell {
	out := make([]cell, len(names))
	for i, n := range names {
		out[i] = hdr(n)
	}
	return out
}

// add appends a row that is not an action.
func (s *sheet) add(kind string, cells ...cell) *row {
	r := &row{cells: cells, kind: kind}
	s.rows = append(s.rows, r)
	return r
}

// action appends a row holding one or more actions.
func (s *sheet) action(acts []truth, cells ...cell) *row {
	r := &row{cells: cells, kind: kindAction, acts: acts}
	s.rows = append(s.rows, r)
	return r
}

// next is the number the next row will have.
func (s *sheet) next() int { return len(s.rows) + 1 }

// truth is what papers should report about one action in one quarter.
type truth struct {
	id         string   // stable across quarters
	ref        string   // as papers should report it; "" when the sheet gives none
	text       string   // the action (one bullet's text when a cell holds several)
	owners     []string // the lead owners
	target     string   // YYYY-MM-DD, "vague" or "none"
	targetText string   // what the sheet says
	complete   bool
	completion string // where completion is shown
	why        map[string]string
}

// act describes one action across a layout's quarters. Per-quarter slices
// hold one entry per quarter; a shorter slice repeats its last entry.
type act struct {
	id, ref, text string
	owner         string // as typed
	lead          string // the true owners, "|"-separated
	// From quarter ownerAt on, owner2 and lead2 replace owner and lead.
	owner2, lead2 string
	ownerAt       int
	when          []string // timescale as typed; "@YYYY-MM-DD" is a real date
	target        []string // the true target; defaults to the date of an "@" when
	status        []string
	update        []string
	revised       []string // a second timescale column as typed (a revised or end date)
	start         string   // a start date as typed, where the plan has one
	done          []bool
	from          int // the first quarter it is in
	to            int // the last quarter it is in, 0 for the last of all
}

func pick[T any](xs []T, q int) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[min(q, len(xs)-1)]
}

// in reports whether the action is in quarter q of n.
func (a act) in(q, n int) bool {
	to := a.to
	if to == 0 {
		to = n - 1
	}
	return q >= a.from && q <= to
}

func (a act) typedOwner(q int) string {
	if a.owner2 != "" && q >= a.ownerAt {
		return a.owner2
	}
	return a.owner
}

func (a act) owners(q int) []string {
	l := a.lead
	if a.lead2 != "" && q >= a.ownerAt {
		l = a.lead2
	}
	if l == "" {
		return []string{}
	}
	return strings.Split(l, "|")
}

// whenCell is the timescale cell of quarter q.
func (a act) whenCell(q int) cell { return dateCell(pick(a.when, q)) }

// dateCell is a timescale as typed: "@YYYY-MM-DD" is a real Excel date
// shown dd/mm/yyyy, "@YYYY-MM-DD~FMT" one shown in the number format FMT,
// anything else text.
func dateCell(w string) cell {
	if strings.HasPrefix(w, "@") {
		iso, fmt, _ := strings.Cut(w[1:], "~")
		c := day(iso)
		c.numFmt = fmt
		return c
	}
	return t(w)
}

// dateOf is the day of an "@" timescale, or "".
func dateOf(w string) string {
	if strings.HasPrefix(w, "@") {
		iso, _, _ := strings.Cut(w[1:], "~")
		return iso
	}
	return ""
}

// truth is the action's truth in quarter q; completion names where
// completion is shown.
func (a act) truth(q int, completion string) truth {
	w := pick(a.when, q)
	tg := pick(a.target, q)
	text := w
	if iso := dateOf(w); iso != "" {
		text = "Excel date " + mustDay(iso).Format("02/01/2006")
		if _, f, ok := strings.Cut(w, "~"); ok {
			text += " shown as " + f
		}
		if tg == "" {
			tg = iso
		}
	}
	if tg == "" && w == "" {
		tg = "none"
	}
	if tg == "" {
		panic(fmt.Sprintf("action %s: no target for quarter %d", a.id, q))
	}
	return truth{id: a.id, ref: a.ref, text: a.text, owners: a.owners(q), target: tg, targetText: text,
		complete: pick(a.done, q), completion: completion}
}

func mustDay(iso string) time.Time {
	d, err := time.Parse("2006-01-02", iso)
	if err != nil {
		panic(err)
	}
	return d
}

// write writes a layout's workbooks and key.
func write(root string, l layout) error {
	dir := filepath.Join(root, l.dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	k := keyFile{Layout: l.dir}
	var books []*book
	for q, qt := range l.quarters {
		b := l.build(q)
		books = append(books, b)
		if err := writeBook(filepath.Join(dir, qt.file), b, qt.asOf); err != nil {
			return fmt.Errorf("%s: %w", qt.file, err)
		}
		k.Workbooks = append(k.Workbooks, bookKey(qt, b))
	}
	for q := 1; q < len(books); q++ {
		k.Pairs = append(k.Pairs, pairKey(l.quarters[q-1], l.quarters[q], k.Workbooks[q-1], k.Workbooks[q]))
	}
	return writeKey(filepath.Join(dir, "key.yaml"), k)
}

// styleKey identifies a cell style.
type styleKey struct {
	bold, wrap, date, pct bool
	fill, numFmt          string
}

func writeBook(path string, b *book, asOf string) error {
	f := excelize.NewFile()
	defer f.Close()
	when := mustDay(asOf).Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "papers blind set", Created: when, Modified: when,
		LastModifiedBy: "papers blind set"}); err != nil {
		return err
	}
	styles := map[styleKey]int{}
	style := func(k styleKey) (int, error) {
		if id, ok := styles[k]; ok {
			return id, nil
		}
		st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: k.wrap}}
		if k.bold {
			st.Font = &excelize.Font{Bold: true}
		}
		if k.fill != "" {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{k.fill}}
		}
		if k.date {
			f := "dd/mm/yyyy"
			if k.numFmt != "" {
				f = k.numFmt
			}
			st.CustomNumFmt = &f
		}
		if k.pct {
			st.NumFmt = 9
		}
		id, err := f.NewStyle(st)
		styles[k] = id
		return id, err
	}
	for i, s := range b.sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		for c, w := range s.widths {
			col, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(s.name, col, col, w); err != nil {
				return err
			}
		}
		for r, rw := range s.rows {
			for c, cl := range rw.cells {
				if cl.v == nil && cl.fill == "" && !cl.bold {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if cl.v != nil {
					if err := f.SetCellValue(s.name, ref, cl.v); err != nil {
						return err
					}
				}
				_, isDate := cl.v.(time.Time)
				id, err := style(styleKey{bold: cl.bold, wrap: cl.wrap, date: isDate, pct: cl.pct, fill: cl.fill, numFmt: cl.numFmt})
				if err != nil {
					return err
				}
				end := ref
				if cl.across > 0 || cl.down > 0 {
					end, _ = excelize.CoordinatesToCellName(c+1+cl.across, r+1+cl.down)
					if err := f.MergeCell(s.name, ref, end); err != nil {
						return err
					}
				}
				if err := f.SetCellStyle(s.name, ref, end, id); err != nil {
					return err
				}
			}
		}
	}
	f.SetActiveSheet(0)
	return f.SaveAs(path)
}
