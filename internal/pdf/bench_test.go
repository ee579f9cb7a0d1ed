package pdf

import (
	"fmt"
	"io"
	"testing"

	"papers/internal/document"
)

// benchDoc is a short cover and a landscape table of n wrapped rows in six
// columns, a recommendation merged over every ten rows.
func benchDoc(n int) *document.Doc {
	t := document.Table{Columns: []document.Column{
		{Title: "Recommendation", Width: 17},
		{Title: "Action", Width: 26},
		{Title: "Lead owner(s)", Width: 11},
		{Title: "Start / target date", Width: 11},
		{Title: "Status", Width: 10},
		{Title: "Update", Width: 32},
	}}
	for i := range n {
		rec := document.Cell{Text: recText(i/10 + 1), Merge: document.MergeStart}
		if i%10 != 0 {
			rec.Merge, rec.Text = document.MergeContinue, ""
		}
		t.Rows = append(t.Rows, document.Row{Cells: []document.Cell{
			rec,
			{Text: fmt.Sprintf("%s the %s (item %d);", words(i, 8+i%7), words(i+1, 3), i)},
			{Text: fmt.Sprintf("Officer %d / Officer %d", i%23, (i+5)%23)},
			{Text: fmt.Sprintf("By 28th %s %d", []string{"Jan", "Feb", "Mar", "Apr"}[i%4], 21+i%2)},
			{Text: "On track\nRAG: Green", Fill: "CCE2D8"},
			{Text: fmt.Sprintf("Quarter 1: %s progressing; %s scheduled.", words(i, 10+i%9), words(i+2, 4))},
		}})
	}
	d := sampleDoc()
	d.Sections = []document.Section{
		d.Sections[0],
		{Orientation: document.Landscape, Blocks: []document.Block{
			document.Heading{Level: 1, Text: "Appendix 1: Position statement"}, t,
		}},
	}
	return d
}

func benchWrite(b *testing.B, n int) {
	d := benchDoc(n)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite2000(b *testing.B)  { benchWrite(b, 2000) }
func BenchmarkWrite20000(b *testing.B) { benchWrite(b, 20000) }
