package workbook

import (
	"testing"

	"papers/internal/plan"
)

func TestLegend(t *testing.T) {
	cases := []struct {
		name     string
		rows     [][]string
		complete []plan.RAG
		not      []plan.RAG
	}{
		{"none: Blue is complete", nil, []plan.RAG{plan.RAGBlue}, []plan.RAG{plan.RAGGreen, plan.RAGAmber, plan.RAGRed}},
		{"BRAG key in one row", [][]string{{"BRAG key:", "Blue - complete", "Green - on track", "Amber - some slippage", "Red - significant concern"}},
			[]plan.RAG{plan.RAGBlue}, []plan.RAG{plan.RAGGreen}},
		{"Green means implemented, Blue does not", [][]string{{"RAG:", "Green - implemented and evidenced", "Amber - on track", "Red - off track", "Blue - timeline reconsidered"}},
			[]plan.RAG{plan.RAGGreen}, []plan.RAG{plan.RAGBlue, plan.RAGAmber}},
		{"colour and meaning in two cells", [][]string{{"Status:"}, {"Green", "recommendation achieved - monitor"}, {"Amber", "acceptable progress made"}, {"Red", "not yet implemented"}},
			[]plan.RAG{plan.RAGGreen}, []plan.RAG{plan.RAGAmber, plan.RAGRed}},
		{"an action row is no key", [][]string{{"1.1", "Do it", "Jane Smith", "31/03/2021", "Green - on track", "Work started", "x", "y"}},
			[]plan.RAG{plan.RAGBlue}, []plan.RAG{plan.RAGGreen}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := readLegend(c.rows)
			for _, g := range c.complete {
				if ok, _ := l.complete(g); !ok {
					t.Errorf("%s is not complete (%v)", g, l)
				}
			}
			for _, g := range c.not {
				if ok, _ := l.complete(g); ok {
					t.Errorf("%s is complete (%v)", g, l)
				}
			}
		})
	}
}

func TestPercentComplete(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{{"100%", 100, true}, {"100", 100, true}, {"1", 100, true}, {"0.5", 50, true}, {"50%", 50, true}, {"0%", 0, true}, {"half", 0, false}} {
		got, ok := percentComplete(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("percentComplete(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestCalendarQuarters(t *testing.T) {
	if !saysCalendarQuarters([][]string{{"Target dates are calendar quarters: Q1 2005 means completion by 31st March 2005"}}) {
		t.Error("the note is not read")
	}
	if saysCalendarQuarters([][]string{{"Q3 2016/17 means the financial year's third quarter"}}) {
		t.Error("a financial-year note is read as calendar quarters")
	}
	for in, want := range map[string]string{"Q2 2005": "2005-06-30", "Q1 2005": "2005-03-31", "by Q4 2005": "2005-12-31", "Q3 2005": "2005-09-30"} {
		td, ok := calendarQuarter(in)
		if !ok || td.ISO() != want {
			t.Errorf("calendarQuarter(%q) = %v %v, want %s", in, td.ISO(), ok, want)
		}
	}
	if _, ok := calendarQuarter("Q3 2016/17"); ok {
		t.Error("a financial-year quarter read as calendar")
	}
}

func TestWrittenComplete(t *testing.T) {
	for in, want := range map[string]bool{"Complete": true, "Completed": true, "Done": true, "Complete 31/03/21": false, "Ongoing": false, "Completion by March": false} {
		if got := writtenComplete(in); got != want {
			t.Errorf("writtenComplete(%q) = %v", in, got)
		}
	}
}
