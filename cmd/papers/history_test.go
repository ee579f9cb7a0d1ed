package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"papers/internal/store"
)

// A quarter through the history: baseline and statements added from the
// command line, the report taken from the history, and the scheduled run.
func TestHistoryAndScheduledRun(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "papers.db")
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(`meeting:
  committee: Children and Families Scrutiny Panel
  date: 2021-02-04
report:
  name: progress
  plan_name: Learning report
  as_of: 2021-01-28
portal:
  database: papers.db
schedule:
  lock: papers.lock
`), 0o644)
	aug := filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx")
	oct := filepath.Join("..", "..", "data", "2020-10 position statement.xlsx")

	if _, stderr, code := papers(t, "history", "--config", cfg); code != 1 || !strings.Contains(stderr, "no history database") {
		t.Errorf("history before any statement: exit %d %q", code, stderr)
	}
	for _, args := range [][]string{
		{"history", "add", aug, "--quarter", "2020-Q3", "--kind", "baseline", "--by", "Clerk"},
		{"history", "add", oct, "--quarter", "2020-Q4", "--by", "Clerk"},
	} {
		if out, stderr, code := papers(t, append(args, "--config", cfg)...); code != 0 || !strings.Contains(out, "added Learning report") {
			t.Fatalf("%v: exit %d %s %s", args, code, out, stderr)
		}
	}
	out, _, code := papers(t, "history", "add", oct, "--quarter", "2020-Q4", "--by", "Clerk", "--config", cfg)
	if code != 0 || !strings.Contains(out, "already in the history") {
		t.Errorf("adding the same file again: exit %d %q", code, out)
	}
	if _, stderr, code := papers(t, "history", "add", oct, "--quarter", "October", "--by", "Clerk", "--config", cfg); code != 1 || !strings.Contains(stderr, "quarter") {
		t.Errorf("bad quarter: exit %d %q", code, stderr)
	}
	out, _, _ = papers(t, "history", "--config", cfg)
	if !strings.Contains(out, "2020-Q3  baseline") || !strings.Contains(out, "2020-Q4  statement  1") {
		t.Errorf("history listing:\n%s", out)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}

	// The scheduled run: builds once, then finds nothing new.
	out, stderr, code := papers(t, "run-scheduled", "--config", cfg)
	if code != 0 || !strings.Contains(out, "quarterly run done") {
		t.Fatalf("first scheduled run: exit %d %s %s", code, out, stderr)
	}
	meetingDir := filepath.Join(dir, "output", "scheduled", "2021-02-04")
	var cmp struct {
		Previous struct{ Title string } `json:"previous"`
		Current  struct{ Title string } `json:"current"`
		Summary  struct {
			ByChange map[string]int `json:"by_change"`
		} `json:"summary"`
	}
	readJSON := func() {
		b, err := os.ReadFile(filepath.Join(meetingDir, "progress.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &cmp); err != nil {
			t.Fatal(err)
		}
	}
	readJSON()
	if !strings.Contains(cmp.Current.Title, "October 2020") || !strings.Contains(cmp.Previous.Title, "Draft Action Plan") {
		t.Errorf("first quarter should compare October with the plan as agreed: %+v", cmp)
	}
	out, _, code = papers(t, "run-scheduled", "--config", cfg)
	if code != 0 || !strings.Contains(out, "nothing new") {
		t.Errorf("second run: exit %d %q", code, out)
	}

	// A new quarter accepted: the next run compares January with October.
	papers(t, "history", "add", januaryStatement, "--quarter", "2021-Q1", "--by", "Clerk", "--config", cfg)
	if out, stderr, code := papers(t, "run-scheduled", "--config", cfg); code != 0 || !strings.Contains(out, "quarterly run done") {
		t.Fatalf("run after a new quarter: exit %d %s %s", code, out, stderr)
	}
	readJSON()
	if !strings.Contains(cmp.Current.Title, "January 2021") || !strings.Contains(cmp.Previous.Title, "October 2020") || cmp.Summary.ByChange["new"] != 1 {
		t.Errorf("second quarter: %+v", cmp)
	}

	// papers report --history gives the same comparison.
	rep := filepath.Join(dir, "rep")
	if _, stderr, code := papers(t, "report", "--config", cfg, "--history", "--out", rep); code != 0 {
		t.Fatalf("report --history: %s", stderr)
	}
	a, _ := os.ReadFile(filepath.Join(rep, "progress.json"))
	b, _ := os.ReadFile(filepath.Join(meetingDir, "progress.json"))
	if string(a) != string(b) {
		t.Error("report --history and the scheduled run disagree")
	}
	// --current naming a file already in the history compares it with the
	// quarter before, not with itself.
	if _, stderr, code := papers(t, "report", "--config", cfg, "--history", "--current", januaryStatement, "--out", rep); code != 0 {
		t.Fatalf("report --history --current: %s", stderr)
	}
	a, _ = os.ReadFile(filepath.Join(rep, "progress.json"))
	if string(a) != string(b) {
		t.Error("report --history --current (a file in the history) should compare it with the quarter before")
	}
}

// The scheduled run also builds the meeting's agenda packs; packs built after
// the statutory deadline are recorded as a warning.
func TestScheduledRunBuildsPacks(t *testing.T) {
	needTool(t, "soffice")
	dir := t.TempDir()
	meetingFile, _ := filepath.Abs(filepath.Join("..", "..", "data", "meetings", "2020-11-26.yaml"))
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(`meeting:
  committee: Children and Families Scrutiny Panel
  date: 2020-11-26
  file: `+meetingFile+`
report:
  name: action-plan-progress
  plan_name: Learning report
portal:
  database: papers.db
`), 0o644)
	for _, args := range [][]string{
		{"history", "add", filepath.Join("..", "..", "data", "2020-08 draft action plan.xlsx"), "--quarter", "2020-Q3", "--kind", "baseline", "--by", "Clerk"},
		{"history", "add", filepath.Join("..", "..", "data", "2020-10 position statement.xlsx"), "--quarter", "2020-Q4", "--by", "Clerk"},
		{"run-scheduled"},
	} {
		if out, stderr, code := papers(t, append(args, "--config", cfg)...); code != 0 {
			t.Fatalf("%v: exit %d %s %s", args, code, out, stderr)
		}
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "output", "scheduled", "2020-11-26", "*pack.pdf"))
	if len(packs) != 2 {
		t.Fatalf("want the public and members' packs, found %v", packs)
	}
	db, err := openExisting(context.Background(), filepath.Join(dir, "papers.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runs, _ := db.Runs(context.Background(), 1)
	if len(runs) != 1 || runs[0].Status != "warnings" || len(runs[0].Outputs) != 6 || !strings.Contains(strings.Join(runs[0].Warnings, " "), "clear working days") {
		t.Errorf("run record: %+v", runs)
	}
}

// Each scheduled build is recorded once, through the quarter use case,
// with the statements it used; a run with nothing new and papers report
// --history record none.
func TestScheduledRunRecordedOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := historyConfig(t, dir, "")
	addSampleQuarters(t, cfg)
	runsOf := func() []store.Run {
		t.Helper()
		db, err := store.Open(context.Background(), filepath.Join(dir, "papers.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		all, err := db.Runs(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		return all
	}
	for i, args := range [][]string{{"run-scheduled"}, {"run-scheduled"}, {"report", "--history", "--out", filepath.Join(dir, "rep")}} {
		if out, stderr, code := papers(t, append(args, "--config", cfg)...); code != 0 {
			t.Fatalf("%d %v: exit %d %s %s", i, args, code, out, stderr)
		}
	}
	runs := runsOf()
	if len(runs) != 1 || runs[0].Job != "quarterly" || runs[0].Quarter != "2020-Q4" || runs[0].Plan != "Learning report" {
		t.Fatalf("runs after a build, a run with nothing new and a report --history: %+v", runs)
	}
	// The first quarter: October and the plan as agreed it is compared with.
	if in := runs[0].Inputs; len(in) != 2 || in[0].Name != "2020-10 position statement.xlsx" || in[1].Name != "2020-08 draft action plan.xlsx" {
		t.Errorf("inputs recorded: %+v", in)
	}
	if runs[0].Status != store.RunOK && runs[0].Status != store.RunWarnings {
		t.Errorf("run recorded as %s %q", runs[0].Status, runs[0].Error)
	}
}

// The first quarter from workbooks: with no previous statement the current
// one is compared with the plan as agreed, as the history does — the same
// report as naming the plan as agreed as the previous statement.
func TestReportFirstQuarterFromFiles(t *testing.T) {
	dir := t.TempDir()
	for name, args := range map[string][]string{
		"given":   {"report", "--config", sampleConfig, "--out", filepath.Join(dir, "given")},
		"omitted": {"report", "--config", sampleConfig, "--previous", "", "--out", filepath.Join(dir, "omitted")},
	} {
		if out, stderr, code := papers(t, args...); code != 0 {
			t.Fatalf("%s: exit %d %s %s", name, code, out, stderr)
		}
	}
	for _, ext := range []string{".json", ".html"} {
		a, err := os.ReadFile(filepath.Join(dir, "given", "action-plan-progress"+ext))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "omitted", "action-plan-progress"+ext))
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("%s differs with --previous left out", ext)
		}
		if ext == ".html" && !strings.Contains(string(b), "with the plan as agreed (") {
			t.Error("the first quarter's report does not say it compares with the plan as agreed")
		}
	}
	if _, stderr, code := papers(t, "report", "--config", sampleConfig, "--previous", "", "--baseline", "", "--out", filepath.Join(dir, "none")); code != 1 || !strings.Contains(stderr, "no workbooks to compare") {
		t.Errorf("neither previous nor baseline: exit %d %q", code, stderr)
	}
}
