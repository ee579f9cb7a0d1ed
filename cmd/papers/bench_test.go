package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"papers/internal/compare"
	"papers/internal/docx"
	"papers/internal/pdf"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/workbook"
)

var words = []string{"review", "develop", "ensure", "safeguarding", "practice", "managers", "front-line", "staff",
	"improvement", "board", "quality", "assurance", "framework", "supervision", "workforce", "strategy", "recruitment",
	"retention", "social", "workers", "caseloads", "partners", "communication", "children", "families", "outcomes",
	"training", "appraisals", "performance", "reporting", "accommodation", "technology", "engagement", "independent"}

// writePlan writes a generated statement of n actions in the samples' layout:
// title row, header row, a merged recommendation cell per 10 actions, text dates.
// quarter shifts wording, dates and updates so two quarters differ.
func writePlan(tb testing.TB, path string, n, quarter int) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Position Statement"
	f.SetSheetName("Sheet1", sh)
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		tb.Fatal(err)
	}
	sw.SetRow("A1", []any{fmt.Sprintf("Generated position statement, quarter %d", quarter)})
	sw.SetRow("A3", []any{"Recommendation", "Action", "Lead Owner (s)", "Start date / Completion date", "Update"})
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"}
	for i := 0; i < n; i++ {
		row := i + 4
		rec := ""
		if i%10 == 0 {
			rec = fmt.Sprintf("Recommendation %d: %s %s %s across the council.", i/10+1, words[i%len(words)], words[(i+3)%len(words)], words[(i+7)%len(words)])
		}
		text := fmt.Sprintf("%s the %s %s and %s %s for %s (item %d);", words[i%len(words)], words[(i*7+1)%len(words)],
			words[(i*3+2)%len(words)], words[(i*5+3)%len(words)], words[(i*11+4)%len(words)], words[(i*13+5)%len(words)], i)
		if quarter > 0 && i%17 == 0 {
			text = "• " + text + " with partners"
		}
		day := 28
		month := months[(i+quarter)%12]
		sched := fmt.Sprintf("By %dth %s %d", day, month, 21+i%2)
		if i%9 == 0 {
			sched = fmt.Sprintf("Start: Sept 20 Completed by: %s %d", month, 21+i%2)
		}
		update := fmt.Sprintf("Quarter %d: %s %s progressing; %s scheduled for %s.", quarter, words[(i+quarter)%len(words)], words[(i*2)%len(words)], words[(i*3)%len(words)], month)
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, []any{rec, text, fmt.Sprintf("Officer %d / Officer %d", i%23, (i+5)%23), sched, update}); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < n; i += 10 {
		end := min(i+9, n-1)
		sw.MergeCell(fmt.Sprintf("A%d", i+4), fmt.Sprintf("A%d", end+4))
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
}

func benchPipeline(b *testing.B, n int) {
	dir := b.TempDir()
	prevPath, curPath := filepath.Join(dir, "prev.xlsx"), filepath.Join(dir, "cur.xlsx")
	writePlan(b, prevPath, n, 0)
	writePlan(b, curPath, n, 1)
	opt := workbook.DefaultOptions()
	asOf := plan.Day(2021, 6, 30)
	meta := report.Meta{Committee: "Panel", MeetingDate: asOf, DecisionMaker: "Panel", Subject: "Progress", PlanName: "plan"}

	prev, err := workbook.ReadFile(prevPath, opt)
	if err != nil {
		b.Fatal(err)
	}
	cur, err := workbook.ReadFile(curPath, opt)
	if err != nil {
		b.Fatal(err)
	}
	if len(cur.Actions) != n {
		b.Fatalf("read %d actions, want %d", len(cur.Actions), n)
	}
	c, err := compare.Compare(prev, cur, prev, compare.DefaultOptions(asOf))
	if err != nil {
		b.Fatal(err)
	}
	doc, err := report.Build(c, meta, report.DefaultTemplate())
	if err != nil {
		b.Fatal(err)
	}

	b.Run("ingest", func(b *testing.B) {
		for b.Loop() {
			if _, err := workbook.ReadFile(curPath, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("compare", func(b *testing.B) {
		for b.Loop() {
			compare.Compare(prev, cur, prev, compare.DefaultOptions(asOf))
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			report.Build(c, meta, report.DefaultTemplate())
		}
	})
	b.Run("pdf", func(b *testing.B) {
		for b.Loop() {
			if err := pdf.Write(io.Discard, doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("docx", func(b *testing.B) {
		for b.Loop() {
			if err := docx.Write(io.Discard, doc, docx.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("whole", func(b *testing.B) {
		cfg := &config{dir: dir, path: "bench"}
		cfg.Meeting.Date = "2021-06-30"
		for b.Loop() {
			err := runReport(context.Background(), reportOptions{cfg: cfg, Previous: prevPath, Current: curPath, Baseline: prevPath,
				AsOf: asOf, Meeting: asOf, Out: filepath.Join(dir, "out"), Name: "r", Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPipeline2000(b *testing.B)  { benchPipeline(b, 2000) }
func BenchmarkPipeline20000(b *testing.B) { benchPipeline(b, 20000) }
