package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"papers/internal/returns"
)

const octoberStatement = "../../data/2020-10 position statement.xlsx"

// writeReturns runs papers returns on the October sample into a temporary
// folder.
func writeReturns(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "returns")
	stdout, stderr, code := papers(t, "returns", "--config", sampleConfig, "--out", out)
	if code != 0 {
		t.Fatalf("papers returns: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Returns for 2021-Q1 (January to March 2021), due back by Friday 15 January 2021") ||
		!strings.Contains(stdout, "Date completed filled in from the last update, for the lead owner to keep or clear: 2.4, 2.6, 2.7, 2.10, 5.2, 5.5.") {
		t.Errorf("stdout:\n%s", stdout)
	}
	return out
}

// fillReturn types values into a return's cells, by the action's ref, as an
// officer would, and saves it.
func fillReturn(t *testing.T, path string, values map[string]map[returns.Field]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(returns.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	for ref, fields := range values {
		row := 0
		for i, r := range rows {
			if i > 1 && len(r) > 0 && r[0] == ref {
				row = i + 1
			}
		}
		if row == 0 {
			t.Fatalf("%s has no action %s", path, ref)
		}
		for fld, v := range fields {
			cell, _ := excelize.CoordinatesToCellName(int(fld)+1, row)
			if err := f.SetCellStr(returns.SheetName, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

func TestReturnsCommand(t *testing.T) {
	out := writeReturns(t)
	want := []string{"2021-Q1 return - Cllr Paffey.xlsx", "2021-Q1 return - Janet King.xlsx", "2021-Q1 return - John Harrison.xlsx",
		"2021-Q1 return - Mike Harris.xlsx", "2021-Q1 return - Robert Henderson.xlsx", "2021-Q1 return - Sandy Hopkins.xlsx",
		"2021-Q1 return - all lead owners.xlsx"}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same inputs give the same bytes.
	again := writeReturns(t)
	for _, name := range want {
		a, _ := os.ReadFile(filepath.Join(out, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	// Flags.
	stdout, stderr, code := papers(t, "returns", "--config", sampleConfig, "--statement", octoberStatement,
		"--quarter", "2021-Q2", "--deadline", "2021-04-09", "--out", filepath.Join(t.TempDir(), "q2"))
	if code != 0 || !strings.Contains(stdout, "Returns for 2021-Q2 (April to June 2021), due back by Friday 9 April 2021") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, tc := range []struct{ flag, value, want string }{
		{"--quarter", "Q1 2021", "write it as YYYY-Qn"},
		{"--deadline", "15/01/2021", "YYYY-MM-DD"},
		{"--statement", "no such.xlsx", "no such file"},
	} {
		_, stderr, code := papers(t, "returns", "--config", sampleConfig, tc.flag, tc.value, "--out", t.TempDir())
		if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%s %q: exit %d, %q", tc.flag, tc.value, code, stderr)
		}
	}
}

func TestMergeCommand(t *testing.T) {
	dir := writeReturns(t)
	ret := func(owner string) string { return filepath.Join(dir, "2021-Q1 return - "+owner+".xlsx") }
	fillReturn(t, ret("Robert Henderson"), map[string]map[returns.Field]string{
		"2.2": {returns.FieldUpdate: "Visits continue monthly."},
		"2.1": {returns.FieldUpdate: `=HYPERLINK("http://example.org","Strategy")`},
	})
	fillReturn(t, ret("Cllr Paffey"), map[string]map[returns.Field]string{
		"2.2": {returns.FieldUpdate: "Visits paused during lockdown."},
	})
	fillReturn(t, ret("Sandy Hopkins"), map[string]map[returns.Field]string{
		"2.8": {returns.FieldUpdate: "Postponed.", returns.FieldRevised: "31/03/2021"},
		"2.9": {returns.FieldUpdate: "Done.", returns.FieldStatus: "Complete", returns.FieldCompleted: "15/12/2020"},
	})
	args := []string{"merge", "--config", sampleConfig, ret("Robert Henderson"), ret("Cllr Paffey"), ret("Sandy Hopkins"), ret("John Harrison")}
	merged := filepath.Join(t.TempDir(), "2021-01 position statement.xlsx")

	// An unresolved conflict: nothing written, exit 1.
	stdout, stderr, code := papers(t, append(args, "--out", merged)...)
	if code != 1 || !strings.Contains(stderr, "nothing written: 1 conflict unresolved") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"Merged 4 returns for 2021-Q1 into 32 actions: 4 updated, 28 with no update received.",
		"2.2: the returns give different updates:",
		`1. Robert Henderson (2021-Q1 return - Robert Henderson.xlsx, cell G5): "Visits continue monthly."`,
		`2. Cllr Paffey (2021-Q1 return - Cllr Paffey.xlsx, cell G3): "Visits paused during lockdown."`,
		`--choose "2.2:update=Robert Henderson"`,
		`cell J5: 2.8: the target is revised to 31 Mar 2021 with no reason for change`,
		"John Harrison (returned, left blank): 2.5, 5.1",
		"Janet King (sent no return): 3.1, 4.1",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(merged); err == nil {
		t.Error("the statement was written despite the conflict")
	}

	// Resolved: written, and read by papers check and papers report.
	stdout, stderr, code = papers(t, append(args, "--out", merged, "--choose", "2.2:update=Cllr Paffey")...)
	if code != 0 || !strings.Contains(stdout, "resolved: took 2.") || !strings.Contains(stdout, "Wrote "+merged) {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = papers(t, "check", "--format", "json", merged)
	if code != 0 {
		t.Fatalf("check: exit %d %s", code, stderr)
	}
	if !strings.Contains(stdout, `"Visits paused during lockdown."`) || !strings.Contains(stdout, `"=HYPERLINK(\"http://example.org\",\"Strategy\")"`) {
		t.Errorf("check of the merged statement:\n%s", stdout)
	}
	out := t.TempDir()
	_, stderr, code = papers(t, "report", "--config", sampleConfig, "--previous", octoberStatement, "--current", merged,
		"--as-of", "2021-01-28", "--out", out)
	if code != 0 {
		t.Fatalf("report on the merged statement: exit %d %s", code, stderr)
	}
	var cmp struct {
		Summary struct {
			Slipped             int `json:"slipped"`
			CompletedThisPeriod int `json:"completed_this_period"`
		} `json:"summary"`
	}
	b, err := os.ReadFile(filepath.Join(out, "action-plan-progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cmp); err != nil {
		t.Fatal(err)
	}
	if cmp.Summary.Slipped != 1 || cmp.Summary.CompletedThisPeriod != 1 {
		t.Errorf("comparison summary %+v: want 2.8's slip and 2.9's completion", cmp.Summary)
	}

	// JSON, and --allow-conflicts.
	stdout, stderr, code = papers(t, append(args, "--out", merged, "--format", "json", "--allow-conflicts")...)
	if code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	var j struct {
		Quarter   string `json:"quarter"`
		Statement string `json:"statement"`
		Merged    int    `json:"merged"`
		Conflicts []struct {
			Key      string `json:"key"`
			Resolved bool   `json:"resolved"`
			Values   []struct {
				Text string `json:"text"`
			} `json:"values"`
		} `json:"conflicts"`
		Chase []struct {
			Owner    string   `json:"owner"`
			Refs     []string `json:"refs"`
			Returned bool     `json:"returned"`
		} `json:"chase"`
	}
	if err := json.Unmarshal([]byte(stdout), &j); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if j.Quarter != "2021-Q1" || j.Statement != merged || j.Merged != 4 || len(j.Conflicts) != 1 || j.Conflicts[0].Key != "2.2:update" ||
		j.Conflicts[0].Resolved || len(j.Conflicts[0].Values) != 2 || len(j.Chase) == 0 {
		t.Errorf("json: %+v", j)
	}
}

func TestMergeRejectsChangedReturn(t *testing.T) {
	dir := writeReturns(t)
	path := filepath.Join(dir, "2021-Q1 return - John Harrison.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.UnprotectSheet(returns.SheetName, "papers"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr(returns.SheetName, "D3", "Someone Else"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	notReturn := filepath.Join(t.TempDir(), "notes.xlsx")
	if err := os.WriteFile(notReturn, []byte("ref,update\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(t.TempDir(), "merged.xlsx")
	stdout, stderr, code := papers(t, "merge", "--config", sampleConfig, "--out", merged, path, notReturn, octoberStatement)
	if code != 1 || !strings.Contains(stderr, "nothing written: 3 returns rejected") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		`2021-Q1 return - John Harrison.xlsx: sheet "Return", cell D3: the lead owner of 2.5 was changed from "John Harrison" to "Someone Else"`,
		"notes.xlsx: not a workbook (it is a text file, perhaps CSV)",
		"2020-10 position statement.xlsx: is not a return",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(merged); err == nil {
		t.Error("written despite rejected returns")
	}
}
