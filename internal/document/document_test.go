package document

import (
	"fmt"
	"testing"
	"unsafe"
)

// A 20,000-action report's appendices hold about half a million cells:
// each byte of a Cell is half a megabyte of memory the report must touch.
func TestCellSize(t *testing.T) {
	if n := unsafe.Sizeof(Cell{}); n > 40 {
		t.Errorf("a Cell is %d bytes, want at most 40: keep Bold and Merge together after the strings", n)
	}
}

func TestChartDecisions(t *testing.T) {
	c := Chart{
		Categories: []string{"One", "Two", "Three"},
		Series: []Series{
			{Name: "Complete", Values: []float64{0, 0, 0}},
			{Name: "On track", Values: []float64{2, 4, 0}},
			{Name: "", Values: []float64{1, 1, 1}},
			{Name: "Overdue", Values: []float64{0, 7, -3}},
		},
	}
	var names []string
	for _, s := range c.Legend() {
		names = append(names, s.Name)
	}
	if got, want := fmt.Sprint(names), "[On track Overdue]"; got != want {
		t.Errorf("legend %s, want %s: series with nothing to show, or no name, have no key", got, want)
	}
	if got, want := fmt.Sprint(c.Totals()), "[3 12 1]"; got != want {
		t.Errorf("totals %s, want %s (negative values add nothing)", got, want)
	}
	for _, tc := range []struct {
		most       float64
		step, axis float64
	}{{0, 1, 1}, {1, 1, 1}, {8, 1, 8}, {9, 2, 10}, {11, 2, 12}, {17, 5, 20}, {41, 10, 50}, {0.4, 1, 1}, {137, 20, 140}, {2000, 500, 2000}, {1e6, 200000, 1e6}} {
		c := Chart{Categories: []string{"x"}, Series: []Series{{Name: "s", Values: []float64{tc.most}}}}
		if step, end := c.Axis(); step != tc.step || end != tc.axis {
			t.Errorf("longest bar %g: axis step %g to %g, want %g to %g", tc.most, step, end, tc.step, tc.axis)
		}
	}
}

func TestPage(t *testing.T) {
	w, h, m := Portrait.Page()
	lw, lh, lm := Landscape.Page()
	if w != lh || h != lw || w != 210 || h != 297 {
		t.Errorf("portrait %gx%g, landscape %gx%g: want A4 turned", w, h, lw, lh)
	}
	if m != 20 || lm != 15 {
		t.Errorf("margins %g and %g mm, want 20 and 15", m, lm)
	}
}
