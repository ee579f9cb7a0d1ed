package workbook

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeLargePlan writes a statement of n actions in the samples' layout
// with excelize's StreamWriter: title row, header row, a merged
// recommendation cell per 10 actions, text dates, long updates.
func writeLargePlan(tb testing.TB, path string, n int) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Position Statement"
	f.SetSheetName("Sheet1", sh)
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		tb.Fatal(err)
	}
	sw.SetRow("A1", []any{"Generated position statement"})
	sw.SetRow("A3", hdr)
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"}
	for i := 0; i < n; i++ {
		rec := ""
		if i%10 == 0 {
			rec = fmt.Sprintf("Recommendation %d: Develop the service across the council (%d).", i/10+1, i)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+4)
		err := sw.SetRow(cell, []any{rec,
			fmt.Sprintf("• Review the practice framework and ensure that managers and front-line staff are supported (item %d);", i),
			fmt.Sprintf("Officer %d / Officer %d", i%23, (i+5)%23),
			fmt.Sprintf("By 28th %s %d", months[i%12], 21+i%2),
			fmt.Sprintf("Quarter update %d: workshops held with staff and partners; further sessions are scheduled for %s.", i, months[(i+3)%12]),
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < n; i += 10 {
		sw.MergeCell(fmt.Sprintf("A%d", i+4), fmt.Sprintf("A%d", min(i+9, n-1)+4))
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
}

func benchRead(b *testing.B, n int) {
	path := filepath.Join(b.TempDir(), "plan.xlsx")
	writeLargePlan(b, path, n)
	opt := DefaultOptions()
	opt.MaxRows = max(opt.MaxRows, n+10) // the 20,000-action run is above the default limit, as papers' ingest.max_rows allows
	s, err := ReadFile(path, opt)
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Actions) != n || len(s.Recommendations) != (n+9)/10 || s.Actions[n-1].Recommendation != s.Recommendations[len(s.Recommendations)-1].Ref {
		b.Fatalf("read %d actions, %d recommendations", len(s.Actions), len(s.Recommendations))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadFile(path, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead2000(b *testing.B)  { benchRead(b, 2000) }
func BenchmarkRead20000(b *testing.B) { benchRead(b, 20000) }
