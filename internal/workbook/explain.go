package workbook

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"papers/internal/plan"
)

// Layout is what the reader inferred about a workbook, with its evidence,
// for a person to check (papers check --explain): which sheets hold the
// plan, each one's header row, what each column is, and what every row is.
type Layout struct {
	File   string        `json:"file"`
	Sheets []SheetLayout `json:"sheets"`
}

// SheetLayout is one sheet of a Layout.
type SheetLayout struct {
	Name      string         `json:"name"`
	Read      bool           `json:"read"` // read as (part of) the plan
	Why       string         `json:"why"`
	HeaderRow int            `json:"header_row,omitempty"`
	Headings  []string       `json:"headings,omitempty"` // the header row's texts, from column A
	Title     string         `json:"title,omitempty"`
	Columns   []ColumnLayout `json:"columns,omitempty"`
	Rows      []RowLayout    `json:"rows,omitempty"`
}

// ColumnLayout is what a column of a plan's sheet was read as.
type ColumnLayout struct {
	Column string `json:"column"`          // "D"
	Header string `json:"header"`          // as typed
	Role   string `json:"role"`            // "lead owner", "target date", "extra column", ...
	Field  string `json:"field,omitempty"` // the field read from it ("owner"), as a saved layout names it
	Why    string `json:"why"`
}

// RowLayout is what a row of a plan's sheet was read as.
type RowLayout struct {
	Row  int     `json:"row"`
	Kind RowKind `json:"kind"`
	Why  string  `json:"why,omitempty"`
}

// ReadFileLayout is ReadFile that also returns the layout it inferred. On
// an error that refuses the workbook the layout (of what was looked at) is
// still returned when there is one.
func ReadFileLayout(path string, opt Options) (*plan.Statement, *Layout, error) {
	lay := &Layout{File: filepath.Base(path)}
	opt.layout = lay
	s, err := ReadFile(path, opt)
	return s, lay, err
}

// roleNames are the fields in a clerk's words.
var roleNames = map[string]string{
	fieldRef: "ref", fieldRecommendation: "recommendation", fieldAction: "action",
	fieldOwner: "lead owner", fieldOwner2: "lead owner", fieldSchedule: "start and target dates",
	fieldStart: "start date", fieldTarget: "target date", fieldRevised: "revised target date (the target when filled in)",
	fieldCompleted: "date completed", fieldUpdate: "progress update", fieldRAG: "RAG rating",
	fieldStatus: "status", fieldPercent: "% complete",
}

// explainSheet describes a sheet the reader read as the plan.
func (b *builder) explainSheet(why string) SheetLayout {
	sl := SheetLayout{Name: b.sheet, Read: true, Why: why, HeaderRow: b.h.row, Title: b.s.Title}
	if b.h.row >= 1 && b.h.row <= len(b.rows) {
		for _, c := range b.rows[b.h.row-1] {
			sl.Headings = append(sl.Headings, clean(c))
		}
		for len(sl.Headings) > 0 && sl.Headings[len(sl.Headings)-1] == "" {
			sl.Headings = sl.Headings[:len(sl.Headings)-1]
		}
	}
	var rows []int // the sheet's action rows
	for _, a := range b.s.Actions {
		if a.Sheet == b.sheet || a.Sheet == "" {
			rows = append(rows, a.Row)
		}
	}
	slices.Sort(rows)
	rows = slices.Compact(rows)
	cols := slices.Clone(b.used)
	for c := range b.h.texts {
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	slices.Sort(cols)
	for _, c := range cols {
		cl := ColumnLayout{Column: colName(c), Header: clean(b.h.texts[c])}
		f, mapped := b.h.field[c]
		if mapped {
			cl.Field = f
			if f == fieldOwner2 {
				cl.Field = fieldOwner2
			}
		}
		switch {
		case mapped && f == fieldAction && b.h.recAsAction:
			cl.Role = "action"
			cl.Why = fmt.Sprintf("header %q means the recommendation; with no action column, each recommendation is an action", cl.Header)
		case mapped && b.h.saved:
			cl.Role = roleNames[f]
			cl.Why = "as the layout saved in config.yaml says"
		case mapped && b.h.inferred[c] != "":
			cl.Role = roleNames[f]
			cl.Why = fmt.Sprintf("by its content: %s (its header %q names no field)", b.h.inferred[c], cl.Header)
		case mapped:
			cl.Role = roleNames[f]
			cl.Why = fmt.Sprintf("header %q", cl.Header)
			if f == fieldOwner2 {
				cl.Why += " (a director, executive lead or portfolio holder: read as a lead owner, as the sheet has no lead column)"
			}
		case b.h.cands[c] != "":
			cl.Role = "extra column"
			cl.Why = fmt.Sprintf("header %q could mean %s, but another column is the sheet's %s", cl.Header, roleNames[b.h.cands[c]], roleNames[b.h.cands[c]])
		case !slices.Contains(b.used, c):
			cl.Role = "not read"
			cl.Why = "a hidden helper column"
		default:
			cl.Role = "extra column"
			cl.Why = "kept beside each action as typed"
			if cl.Header == "" {
				cl.Header = b.names[c]
			}
		}
		if n := b.filled(c, rows); len(rows) > 0 && slices.Contains(b.used, c) {
			cl.Why += fmt.Sprintf("; %s in %d of %d action rows", b.contentWord(f, mapped), n, len(rows))
		}
		sl.Columns = append(sl.Columns, cl)
	}
	for r := 1; r <= len(b.rows); r++ {
		rl := RowLayout{Row: r}
		switch n, ok := b.kinds[r]; {
		case ok:
			rl.Kind, rl.Why = n.Kind, n.Why
		case r == b.h.row:
			rl.Kind, rl.Why = RowHeader, "names the "+b.h.namesText()
		case r < b.h.row && joinCells(b.rows[r-1]) != "":
			rl.Kind, rl.Why = RowKey, fmt.Sprintf("above the header row: %q", short(joinCells(b.rows[r-1])))
			if joinCells(b.rows[r-1]) == b.s.Title {
				rl.Kind, rl.Why = RowTitle, fmt.Sprintf("%q, the plan's title", short(b.s.Title))
			}
		case joinCells(b.rows[r-1]) == "":
			rl.Kind = RowBlank
		default:
			rl.Kind, rl.Why = RowBlank, "text only in columns that are not read"
		}
		sl.Rows = append(sl.Rows, rl)
	}
	return sl
}

// filled counts the rows among rows whose cell in column c has text.
func (b *builder) filled(c int, rows []int) int {
	n := 0
	for _, r := range rows {
		if v, _ := b.value(r, c); !isBlank(v) {
			n++
		}
	}
	return n
}

func (b *builder) contentWord(f string, mapped bool) string {
	if !mapped {
		return "text"
	}
	switch f {
	case fieldOwner, fieldOwner2:
		return "names, initials or job titles"
	case fieldCompleted:
		return "dates completed, or yes or no"
	case fieldTarget, fieldRevised, fieldStart, fieldSchedule:
		return "dates or timescales"
	case fieldRef:
		return "refs"
	}
	return "text"
}

// joinCells is a row's cells with text, joined.
func joinCells(cells []string) string {
	var ts []string
	for _, c := range cells {
		if t := clean(c); t != "" {
			ts = append(ts, t)
		}
	}
	return strings.Join(ts, " | ")
}

// explainSkipped says why a sheet was not read as the plan, with the row
// that came closest to a header.
func (rd *reader) explainSkipped(si *sheetInfo, hasPlan bool) SheetLayout {
	sl := SheetLayout{Name: si.name}
	switch {
	case isOwnersSheet(si.name):
		sl.Why = "a list of lead owners and their roles"
	case len(readLegend(si.top)) > 0:
		sl.Why = "a key to the RAG colours: " + legendText(readLegend(si.top))
	case si.header.usable() && si.hidden:
		sl.Why = "hidden: a hidden sheet is read only when no visible sheet holds the plan"
	case si.header.usable():
		sl.Why = "its header row differs from the plan's preferred sheet's"
	case !hasText(si.top):
		sl.Why = "empty"
	default:
		sl.Why = "no header row naming an action and its owner, dates or update in rows 1–30"
		if best := closestHeader(rd.m, si.top); best != nil {
			sl.Why += "; " + best.describe()
		}
		if !hasPlan {
			for r, row := range si.top {
				if t := joinCells(row); t != "" {
					sl.Rows = append(sl.Rows, RowLayout{Row: r + 1, Kind: RowKey, Why: short(t)})
				}
			}
		}
	}
	return sl
}

func legendText(l legend) string {
	var parts []string
	for _, g := range []plan.RAG{plan.RAGBlue, plan.RAGGreen, plan.RAGAmber, plan.RAGRed} {
		if m, ok := l[g]; ok {
			parts = append(parts, fmt.Sprintf("%s %q", g, m))
		}
	}
	return strings.Join(parts, ", ")
}

// closestHeader is the row among rows whose headings mean the most fields,
// usable or not.
func closestHeader(m *matcher, rows [][]string) *header {
	var best *header
	for i, cells := range rows {
		if i >= headerSearchRows {
			break
		}
		if h := readHeader(m, i+1, cells); len(h.cands) > 0 && (best == nil || len(h.cands) > len(best.cands)) {
			best = h
		}
	}
	return best
}

// describe says what a header row that is not usable names, and lacks.
func (h *header) describe() string {
	var found []string
	cols := make([]int, 0, len(h.cands))
	for c := range h.cands {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	for _, c := range cols {
		found = append(found, fmt.Sprintf("%q (%s)", clean(h.texts[c]), roleNames[h.cands[c]]))
	}
	var lacks []string
	if h.col[fieldAction] == 0 {
		lacks = append(lacks, "an action (or recommendation) column")
	}
	if len(h.owners) == 0 && h.col[fieldTarget] == 0 && h.col[fieldSchedule] == 0 && h.col[fieldUpdate] == 0 && h.col[fieldRevised] == 0 {
		lacks = append(lacks, "a lead owner, date or update column")
	}
	return fmt.Sprintf("row %d has %s, but no %s", h.row, strings.Join(found, ", "), strings.Join(lacks, " or "))
}

// namesText lists what a usable header row names, in the clerk's words.
func (h *header) namesText() string {
	var names []string
	for _, f := range fields {
		if c := h.col[f]; c > 0 && roleNames[f] != "" && !slices.Contains(names, roleNames[f]) {
			names = append(names, roleNames[f])
		}
	}
	return strings.Join(names, ", ")
}
