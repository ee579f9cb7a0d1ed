package document

import (
	"slices"
	"testing"
)

func TestOutlineLevels(t *testing.T) {
	for _, tc := range []struct {
		name  string
		asked []int
		want  []int
	}{
		{"sibling sub-headings under a section stay siblings", []int{1, 3, 3, 1}, []int{1, 2, 2, 1}},
		{"four sub-headings after Appendices are its siblings", []int{1, 3, 3, 3, 3, 3}, []int{1, 2, 2, 2, 2, 2}},
		{"a skipped level closes up", []int{1, 3, 4}, []int{1, 2, 3}},
		{"a document that starts below level 1", []int{2, 2, 3}, []int{1, 1, 2}},
		{"true nesting is kept", []int{1, 2, 3, 2, 3, 1}, []int{1, 2, 3, 2, 3, 1}},
		{"a lower level after deeper ones goes back up", []int{1, 2, 3, 3, 2}, []int{1, 2, 3, 3, 2}},
		{"level 0 or less is level 1", []int{0, -1, 2}, []int{1, 1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o Outline
			var got []int
			for _, l := range tc.asked {
				got = append(got, o.Level(Heading{Level: l, Text: "x"}))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("levels %v = %v, want %v", tc.asked, got, tc.want)
			}
		})
	}
}

func TestOutlineSkipsEmptyHeadings(t *testing.T) {
	var o Outline
	o.Level(Heading{Level: 1, Text: "A"})
	if got := o.Level(Heading{Level: 2, Text: "  "}); got != 0 {
		t.Errorf("empty heading level = %d, want 0", got)
	}
	if got := o.Level(Heading{Level: 3, Text: "B"}); got != 2 {
		t.Errorf("heading after an empty one = %d, want 2", got)
	}
}
