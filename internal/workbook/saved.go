package workbook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// SavedLayout is a sheet's layout as a clerk saved (and perhaps corrected)
// it in config.yaml: the header row's headings, which recognise the sheet,
// and the column of each field. A saved layout always wins over what the
// reader would infer.
type SavedLayout struct {
	// Headings are the header row's texts, in column order from A.
	Headings []string `yaml:"headings"`
	// Columns maps a field ("action", "owner", "target", ...) to its column
	// letter ("D").
	Columns map[string]string `yaml:"columns"`
}

// check reports what is wrong with a saved layout, for the clerk.
func (l SavedLayout) check() error {
	if len(l.Headings) == 0 {
		return fmt.Errorf("it has no headings to recognise its sheet by")
	}
	if l.Columns[fieldAction] == "" {
		return fmt.Errorf("it names no action column (columns: action: D)")
	}
	for f, cols := range l.Columns {
		if !slices.Contains(fields, f) {
			return fmt.Errorf("columns: %q is not a field; use one of %s", f, strings.Join(fields, ", "))
		}
		for _, col := range strings.Split(cols, ",") {
			if _, err := excelize.ColumnNameToNumber(strings.TrimSpace(col)); err != nil {
				return fmt.Errorf("columns: %s: %q is not a column letter", f, col)
			}
		}
	}
	return nil
}

// matches reports whether a row's cells are the saved headings.
func (l SavedLayout) matches(cells []string) bool {
	last := len(cells)
	for last > 0 && isBlank(cells[last-1]) {
		last--
	}
	want := len(l.Headings)
	for want > 0 && strings.TrimSpace(l.Headings[want-1]) == "" {
		want--
	}
	if last != want || want == 0 {
		return false
	}
	for i := range want {
		if normHeader(cells[i]) != normHeader(l.Headings[i]) {
			return false
		}
	}
	return true
}

// savedHeader is the header row a saved layout gives a sheet, or nil when
// no saved layout's headings are in its first rows.
func savedHeader(saved []SavedLayout, rows [][]string) *header {
	for i, cells := range rows {
		if i >= headerSearchRows {
			break
		}
		for _, l := range saved {
			if !l.matches(cells) {
				continue
			}
			h := &header{row: i + 1, texts: map[int]string{}, col: map[string]int{}, field: map[int]string{},
				cands: map[int]string{}, exact: map[int]bool{}, weak: map[int]bool{}, order: map[int]int{}, saved: true}
			for j, c := range cells {
				if !isBlank(c) {
					h.texts[j+1] = c
				}
			}
			for _, f := range fields {
				for i, col := range strings.Split(l.Columns[f], ",") {
					if n, err := excelize.ColumnNameToNumber(strings.TrimSpace(col)); err == nil {
						h.cands[n] = f
						h.exact[n] = true
						h.order[n] = i
					}
				}
			}
			h.choose(nil)
			return h
		}
	}
	return nil
}

// Saved returns a sheet's layout, to save in config.yaml.
func (sl SheetLayout) Saved() SavedLayout {
	l := SavedLayout{Headings: slices.Clone(sl.Headings), Columns: map[string]string{}}
	for _, c := range sl.Columns {
		switch {
		case c.Field == "":
		case l.Columns[c.Field] != "":
			l.Columns[c.Field] += ", " + c.Column // several owner columns
		default:
			l.Columns[c.Field] = c.Column
		}
	}
	return l
}
