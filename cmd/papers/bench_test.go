package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/compare"
	"papers/internal/docx"
	"papers/internal/html"
	"papers/internal/meeting"
	"papers/internal/pack"
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

// The scale benchmarks. docs/performance.md has their figures and the
// command that reproduces them:
//
//	go test ./cmd/papers -run '^$' -bench . -benchtime 3x -timeout 60m
//
// Each stage reports ns/op and B/op as usual, plus peak-heap-MB: the most
// heap in use (live objects and garbage not yet collected) at any moment of
// the stage, above what was in use before it. The whole-process peak (RSS)
// is in BenchmarkVersusLibreOffice, which runs papers as its own process.

var sizes = []int{200, 2000, 20000}

// benchMaxRows lifts the workbook's row limit (10,000 by default, far beyond
// any real plan) for the 20,000-action runs, as ingest.max_rows does.
const benchMaxRows = 25000

// benchConfig writes a config for generated plans: the council and meeting,
// the row limit lifted, and the history database db (relative to dir).
func benchConfig(tb testing.TB, dir, name, db string) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	text := fmt.Sprintf("council: Council\nmeeting:\n  committee: Panel\n  date: 2021-06-30\ningest:\n  max_rows: %d\nportal:\n  database: %s\n", benchMaxRows, db)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func BenchmarkStages(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("actions=%d", n), func(b *testing.B) { benchStages(b, n) })
	}
}

func benchStages(b *testing.B, n int) {
	dir := b.TempDir()
	prevPath, curPath := filepath.Join(dir, "prev.xlsx"), filepath.Join(dir, "cur.xlsx")
	writePlan(b, prevPath, n, 0)
	writePlan(b, curPath, n, 1)
	opt := workbook.DefaultOptions()
	opt.MaxRows = benchMaxRows
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
	c, err := compare.Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, compare.DefaultOptions(asOf))
	if err != nil {
		b.Fatal(err)
	}
	doc, err := report.Build(c, meta, report.DefaultTemplate())
	if err != nil {
		b.Fatal(err)
	}
	var reportPDF bytes.Buffer
	if err := pdf.Write(&reportPDF, doc); err != nil {
		b.Fatal(err)
	}

	stage(b, "ingest", func() error { _, err := workbook.ReadFile(curPath, opt); return err })
	stage(b, "compare", func() error {
		_, err := compare.Compare(plan.Inputs{Previous: prev, Current: cur, Baseline: prev}, compare.DefaultOptions(asOf))
		return err
	})
	stage(b, "build", func() error { _, err := report.Build(c, meta, report.DefaultTemplate()); return err })
	stage(b, "pdf", func() error { return pdf.Write(io.Discard, doc) })
	stage(b, "docx", func() error { return docx.Write(io.Discard, doc, docx.Options{}) })
	stage(b, "html", func() error { return html.Write(io.Discard, doc) })
	stage(b, "json", func() error { return compare.WriteJSON(io.Discard, c) })
	m := benchMeeting(asOf)
	stage(b, "pack", func() error {
		_, err := pack.Build(context.Background(), m, pack.Options{Reports: map[string][]byte{"progress": reportPDF.Bytes()}, Published: asOf.AddDate(0, 0, -10)})
		return err
	})
	stage(b, "whole", func() error {
		cfg := &config{dir: dir, path: "bench"}
		cfg.Meeting.Date = "2021-06-30"
		cfg.Ingest.MaxRows = benchMaxRows
		return runReport(context.Background(), reportOptions{cfg: cfg, Previous: prevPath, Current: curPath, Baseline: prevPath,
			AsOf: asOf, Meeting: asOf, Out: filepath.Join(dir, "out"), Name: "r", Stdout: io.Discard, Stderr: io.Discard})
	})
}

// benchMeeting is a meeting whose agenda carries the report twice: once in
// public and once as an exempt item, so both packs hold all its pages.
func benchMeeting(day time.Time) *meeting.Meeting {
	return &meeting.Meeting{Council: "Council", Committee: "Scrutiny Panel", Date: day, Time: "17:30", Venue: "Civic Centre",
		Clerk: meeting.Contact{Name: "Clerk"},
		Items: []meeting.Item{
			{Number: 1, Title: "Apologies"},
			{Number: 2, Title: "Action plan progress", Report: "progress"},
			{Number: 3, Title: "Action plan progress: staffing detail", Report: "progress", Exempt: []int{1}},
		}}
}

// stage runs one stage as a sub-benchmark and reports its peak heap.
func stage(b *testing.B, name string, f func() error) {
	b.Run(name, func(b *testing.B) {
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			done := watchHeap()
			if err := f(); err != nil {
				b.Fatal(err)
			}
			peak = max(peak, done())
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	})
}

// watchHeap samples the heap in use every millisecond until the returned
// function is called, which gives the peak above the level at the start.
func watchHeap() (done func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	stop, result := make(chan struct{}), make(chan uint64)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		peak := base
		for {
			select {
			case <-tick.C:
				peak = max(peak, read())
			case <-stop:
				result <- max(peak, read()) - base
				return
			}
		}
	}()
	return func() uint64 { close(stop); return <-result }
}

// BenchmarkHistory is the report built from a history database holding
// eight quarters of the plan (papers report --history), and the ninth
// quarter added to it (papers history add).
func BenchmarkHistory(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("actions=%d", n), func(b *testing.B) { benchHistory(b, n) })
	}
}

func benchHistory(b *testing.B, n int) {
	dir := b.TempDir()
	db := filepath.Join(dir, "papers.db")
	cfgPath := benchConfig(b, dir, "config.yaml", "papers.db")
	for q := 0; q <= 8; q++ {
		path := filepath.Join(dir, fmt.Sprintf("q%d.xlsx", q))
		writePlan(b, path, n, q)
		if q == 8 {
			break
		}
		kind := "statement"
		if q == 0 {
			kind = "baseline"
		}
		if _, stderr, code := papersQuiet("history", "--config", cfgPath, "add", path, "--quarter", quarterName(q), "--kind", kind, "--by", "bench"); code != 0 {
			b.Fatalf("history add: %s", stderr)
		}
	}
	stage(b, "report-from-8-quarters", func() error {
		if _, stderr, code := papersQuiet("report", "--config", cfgPath, "--history", "--out", filepath.Join(dir, "out")); code != 0 {
			return fmt.Errorf("%s", stderr)
		}
		return nil
	})
	ninth := filepath.Join(dir, "q8.xlsx")
	i := 0
	stage(b, "add-a-quarter", func() error {
		// A fresh copy of the eight quarters each time, outside the timing
		// would be fairer; the copy is a file copy, small beside the add.
		b.StopTimer()
		fresh := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		i++
		copyFile(b, db, fresh)
		cfg := benchConfig(b, dir, "copy.yaml", filepath.Base(fresh))
		b.StartTimer()
		if _, stderr, code := papersQuiet("history", "--config", cfg, "add", ninth, "--quarter", quarterName(8), "--by", "bench"); code != 0 {
			return fmt.Errorf("%s", stderr)
		}
		return nil
	})
}

func quarterName(q int) string { return fmt.Sprintf("%d-Q%d", 2021+q/4, q%4+1) }

func papersQuiet(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkVersusLibreOffice runs, side by side on the same workbook, what a
// clerk does by hand today (LibreOffice headless converting the officers'
// workbook to PDF, before any comparing or writing) and the whole of papers
// report (reading this quarter's and last quarter's workbooks, comparing,
// and writing the PDF, DOCX, HTML and JSON), each as a process of its own.
// It reports each one's seconds and peak memory, and how many times faster
// papers is.
//
// Each round runs papers twice: straight after LibreOffice (papers-s,
// times-faster), and again straight after itself (papers-warm-s,
// times-faster-warm). On the virtual machines we measure on, fresh memory
// is slow to touch, more or less so depending on what ran before
// (docs/performance.md, "Memory is time on a virtual machine"), so the two
// figures can differ: on the first machine the one after LibreOffice was
// the slower by a quarter at 20,000 actions; on the second they are equal.
func BenchmarkVersusLibreOffice(b *testing.B) {
	if _, err := exec.LookPath("soffice"); err != nil {
		b.Skip("LibreOffice (soffice) is not installed")
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("actions=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			prev, cur := filepath.Join(dir, "prev.xlsx"), filepath.Join(dir, "cur.xlsx")
			writePlan(b, prev, n, 0)
			writePlan(b, cur, n, 1)
			cfg := benchConfig(b, dir, "config.yaml", "papers.db")
			profile := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
			soffice := func() procUsage {
				return timeProcess(b, exec.Command("soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", filepath.Join(dir, "lo"), cur))
			}
			soffice() // the first run creates LibreOffice's profile: a clerk's is already there
			ours := func() procUsage {
				return timeProcess(b, papersCommand(context.Background(), "", "report", "--config", cfg,
					"--previous", prev, "--current", cur, "--baseline", prev, "--as-of", "2021-06-30", "--meeting", "2021-06-30",
					"--out", filepath.Join(dir, "out")))
			}
			var p, warm, l procUsage
			for b.Loop() {
				l = l.add(soffice())
				p = p.add(ours())
				warm = warm.add(ours())
			}
			runs := float64(b.N)
			b.ReportMetric(p.wall.Seconds()/runs, "papers-s")
			b.ReportMetric(warm.wall.Seconds()/runs, "papers-warm-s")
			b.ReportMetric(l.wall.Seconds()/runs, "libreoffice-s")
			b.ReportMetric(l.wall.Seconds()/p.wall.Seconds(), "times-faster")
			b.ReportMetric(l.wall.Seconds()/warm.wall.Seconds(), "times-faster-warm")
			b.ReportMetric(float64(p.maxRSS)/(1<<20), "papers-peak-MB")
			b.ReportMetric(float64(l.maxRSS)/(1<<20), "libreoffice-peak-MB")
		})
	}
}

type procUsage struct {
	wall   time.Duration
	maxRSS int64
}

func (u procUsage) add(v procUsage) procUsage {
	return procUsage{u.wall + v.wall, max(u.maxRSS, v.maxRSS)}
}

// timeProcess runs cmd under GNU time, which gives its peak memory (time
// starts it with fork, so the figure is the command's own; see peakRSS for
// why wait4's figure is not), and times it from start to exit. GNU time's
// own elapsed time is in hundredths of a second, too coarse for a report
// that takes 0.03 s; the clock here includes starting GNU time, about a
// millisecond.
func timeProcess(b *testing.B, cmd *exec.Cmd) procUsage {
	b.Helper()
	gnuTime, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		b.Skip("GNU time is not installed (apt-get install time)")
	}
	report := filepath.Join(b.TempDir(), "time")
	cmd.Args = append([]string{gnuTime, "-o", report, "-f", "%M"}, cmd.Args...)
	cmd.Path = gnuTime
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", cmd.Args, err, errb.String())
	}
	wall := time.Since(start)
	out, err := os.ReadFile(report)
	if err != nil {
		b.Fatal(err)
	}
	var kb int64
	if _, err := fmt.Sscanf(string(out), "%d", &kb); err != nil {
		b.Fatalf("GNU time said %q: %v", out, err)
	}
	return procUsage{wall: wall, maxRSS: kb << 10}
}
