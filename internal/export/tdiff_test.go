package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"papers/internal/plan"
)

func td(y, m, d int) plan.TargetDate {
	return plan.TargetDate{Date: plan.Day(y, 1, 1).AddDate(0, m-1, d-1), Precision: plan.PrecisionDay}
}

func act(ref, rec, text, owner string, target plan.TargetDate, update string) plan.Action {
	return plan.Action{Ref: ref, Recommendation: rec, Text: text, Owner: owner, Schedule: plan.Schedule{Target: target, Text: "By " + target.Display()}, Update: update}
}

// comparison has one row of each kind: context, modified, modified with an
// arrow in its text, new, removed, and a target that could not be read.
func comparison() *plan.Comparison {
	recs := []plan.Recommendation{{Ref: "1", Title: "Recommendation One", Text: "Develop a vision"}, {Ref: "2", Title: "Recommendation Two"}}
	prev := &plan.Statement{File: "2020-10.xlsx", Recommendations: recs, Actions: []plan.Action{
		act("1.1", "1", "Develop an ambitious vision", "Robert Henderson", td(2020, 12, 31), "Drafted."),
		act("1.2", "1", "Embed outcomes", "Sandy Hopkins", td(2021, 3, 31), "Ongoing, \"in progress\"."),
		act("2.1", "2", "Co-design a strategy -> then launch it", "Robert Henderson", td(2021, 3, 31), "Started."),
		act("2.2", "2", "Monthly visits", "Robert Henderson", td(2020, 9, 30), "Set."),
		{Ref: "2.3", Recommendation: "2", Text: "Meetings to be diarised", Owner: "Sandy Hopkins", Schedule: plan.Schedule{Text: "When the Leader is free"}, Update: "Booked."},
	}}
	cur := &plan.Statement{File: "2021-01.xlsx", Recommendations: recs, Actions: []plan.Action{
		act("1.1", "1", "Develop an ambitious vision", "Robert Henderson", td(2020, 12, 31), "Drafted."),
		act("1.2", "1", "Embed outcomes", "Sandy Hopkins / Mike Harris", td(2021, 6, 30), "Ongoing, \"in progress\".\nNow with finance."),
		act("2.1", "2", "Co-design a strategy -> then launch it", "Robert Henderson", td(2021, 3, 31), "Started --> nearly done."),
		act("2.4", "2", "Establish a Practitioners' Improvement Board", "Robert Henderson", td(2021, 3, 31), ""),
		{Ref: "2.3", Recommendation: "2", Text: "Meetings to be diarised", Owner: "Sandy Hopkins", Schedule: plan.Schedule{Text: "When the Leader is free"}, Update: "Booked."},
	}}
	return &plan.Comparison{
		AsOf: plan.Day(2021, 1, 28), Previous: prev, Current: cur,
		Actions: []plan.ActionChange{
			{Action: cur.Actions[0], Previous: &prev.Actions[0], Change: plan.ChangeCarried, Status: plan.StatusOnTrack},
			{Action: cur.Actions[1], Previous: &prev.Actions[1], Change: plan.ChangeCarried, Status: plan.StatusOnTrack},
			{Action: cur.Actions[2], Previous: &prev.Actions[2], Change: plan.ChangeCarried, Status: plan.StatusDueSoon},
			{Action: cur.Actions[3], Change: plan.ChangeNew, Status: plan.StatusOnTrack},
			{Action: prev.Actions[3], Change: plan.ChangeRemoved, Status: plan.StatusRemoved},
			{Action: cur.Actions[4], Previous: &prev.Actions[4], Change: plan.ChangeCarried, Status: plan.StatusNoDate},
		},
	}
}

func TestWriteTDiff(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTDiff(&b, comparison()); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("the diff is not CSV: %v\n%s", err, b.String())
	}
	want := [][]string{
		{"@@", "Ref", "Recommendation", "Action", "Lead owner(s)", "Target", "Status", "Update"},
		{"", "1.1", "Recommendation One: Develop a vision", "Develop an ambitious vision", "Robert Henderson", "2020-12-31", "On track", "Drafted."},
		{"->", "1.2", "Recommendation One: Develop a vision", "Embed outcomes", "Sandy Hopkins->Sandy Hopkins / Mike Harris", "2021-03-31->2021-06-30", "On track",
			"Ongoing, \"in progress\".->Ongoing, \"in progress\".\nNow with finance."},
		// The action's text holds "->" and the update "-->": the row's arrow is longer than both.
		{"--->", "2.1", "Recommendation Two", "Co-design a strategy -> then launch it", "Robert Henderson", "2021-03-31", "Due soon", "Started.--->Started --> nearly done."},
		{"+++", "2.4", "Recommendation Two", "Establish a Practitioners' Improvement Board", "Robert Henderson", "2021-03-31", "On track", ""},
		{"---", "2.2", "Recommendation Two", "Monthly visits", "Robert Henderson", "2020-09-30", "Removed", "Set."},
		{"", "2.3", "Recommendation Two", "Meetings to be diarised", "Sandy Hopkins", "When the Leader is free", "No date", "Booked."},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), b.String())
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}

func TestTDiffCellsSplitBack(t *testing.T) {
	// A tool reading the diff splits a modified cell at the row's arrow and
	// gets back exactly the two values.
	var b bytes.Buffer
	if err := WriteTDiff(&b, comparison()); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&b).ReadAll()
	c := comparison()
	for i, row := range rows[1:] {
		arrow := row[0]
		if !strings.HasSuffix(arrow, "->") || strings.Trim(arrow, "-") != ">" {
			continue
		}
		ch := c.Actions[i]
		olds := []string{ch.Previous.Owner, ch.Previous.Update}
		news := []string{ch.Action.Owner, ch.Action.Update}
		for k, col := range []int{4, 7} {
			cell := row[col]
			if olds[k] == news[k] {
				if cell != news[k] {
					t.Errorf("row %d col %d: unchanged cell %q, want %q", i+1, col, cell, news[k])
				}
				continue
			}
			parts := strings.Split(cell, arrow)
			if len(parts) != 2 || parts[0] != olds[k] || parts[1] != news[k] {
				t.Errorf("row %d col %d: %q does not split at %q into %q and %q", i+1, col, cell, arrow, olds[k], news[k])
			}
		}
	}
}

func TestTDiffEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTDiff(&b, &plan.Comparison{}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "@@,Ref,Recommendation,Action,Lead owner(s),Target,Status,Update\n" {
		t.Errorf("empty comparison: %q", got)
	}
	if err := WriteTDiff(&b, nil); err == nil {
		t.Error("no error for a nil comparison")
	}
}

// Officer text that looks like a formula reaches a spreadsheet as text.
func TestTDiffFormulaText(t *testing.T) {
	c := comparison()
	n := slices.IndexFunc(c.Actions, func(ch plan.ActionChange) bool { return ch.Change == plan.ChangeNew })
	c.Actions[n].Action.Update = `=HYPERLINK("http://evil.example","Click")`
	c.Actions[n].Action.Owner = "@SUM(A1)"
	var b bytes.Buffer
	if err := WriteTDiff(&b, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for i, cell := range row[1:] {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("column %d: %q would be read as a formula", i+1, cell)
			}
		}
	}
	if !strings.Contains(out, `'=HYPERLINK(""http://evil.example"",""Click"")`) {
		t.Errorf("the officer's text is not kept as text:\n%s", out)
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "Visits paused": "Visits paused", "=1+2": "'=1+2", "+44 23": "'+44 23", "-2": "'-2",
		"@SUM(A1)": "'@SUM(A1)", "\t=1": "'\t=1", "\r=1": "'\r=1", "a=1": "a=1", "'=1": "'=1",
	} {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
