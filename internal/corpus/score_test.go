package corpus

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"papers/internal/plan"
)

var update = flag.Bool("update", false, "write testdata/layouts/scores.txt and raise baseline.yaml to today's scores")

const (
	corpusDir    = "../../testdata/layouts"
	baselineFile = "baseline.yaml"
	scoresFile   = "scores.txt"
)

const baselineHeader = `# The layout corpus's scores, in percent, below which TestScore fails: a
# ratchet. The goal is 100 on every field of every layout. A miss the key
# accepts (a key line with a "why:" explaining it) counts as a hit, so a
# field below 100 here is work still to do, not a decision.
#
# go test ./internal/corpus -run TestScore -update raises these to today's
# scores (never lowers them); lower one only by hand, saying why in the
# commit.
`

// baseline is baseline.yaml: scores by layout ("TOTAL" for all) and field.
type baseline struct {
	Scores map[string]map[string]float64 `yaml:"scores"`
}

// TestScore scores papers against the corpus and fails where a score falls
// below its baseline. go test ./internal/corpus -run TestScore -v prints
// the table.
func TestScore(t *testing.T) {
	r, err := Score(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Layouts) < 13 {
		t.Errorf("the corpus has %d layouts, want at least 13", len(r.Layouts))
	}
	t.Log("\n" + r.Table())

	path := filepath.Join(corpusDir, baselineFile)
	var base baseline
	if b, err := os.ReadFile(path); err == nil {
		if err := yaml.Unmarshal(b, &base); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else if !*update {
		t.Fatalf("%v: record the baseline with -update", err)
	}
	if base.Scores == nil {
		base.Scores = map[string]map[string]float64{}
	}
	raised := false
	check := func(layout string, fields map[string]*Tally) {
		for _, f := range Fields {
			p, ok := fields[f].Percent()
			if !ok {
				continue
			}
			b, known := base.Scores[layout][f]
			switch {
			case *update && (!known || p > b):
				if base.Scores[layout] == nil {
					base.Scores[layout] = map[string]float64{}
				}
				base.Scores[layout][f] = p
				raised = true
			case !known:
				t.Errorf("%s %s: %.1f%% has no baseline: record it with -update", layout, f, p)
			case p < b:
				t.Errorf("%s %s: %.1f%%, below its baseline %.1f%%", layout, f, p, b)
			case p > b:
				t.Logf("%s %s: %.1f%%, above its baseline %.1f%%: raise it with -update", layout, f, p, b)
			}
		}
	}
	for _, l := range r.Layouts {
		check(l.Layout, l.Fields)
	}
	check("TOTAL", r.Total)

	if *update {
		if raised {
			out, err := yaml.Marshal(base)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append([]byte(baselineHeader), out...), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		text := "# Written by go test ./internal/corpus -run TestScore -update.\n\n" + r.Table() + "\nMisses:\n" + r.Details()
		if err := os.WriteFile(filepath.Join(corpusDir, scoresFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKeys checks that every key names workbooks that exist, rows inside
// them, and changes of actions it lists.
func TestKeys(t *testing.T) {
	keys, err := Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	for _, k := range keys {
		ids := map[string]bool{}
		for _, wk := range k.Workbooks {
			if _, err := os.Stat(filepath.Join(corpusDir, k.Layout, wk.File)); err != nil {
				t.Errorf("%s: %v", k.Layout, err)
			}
			if _, err := day(wk.AsOf); err != nil {
				t.Errorf("%s %s: as_of %q", k.Layout, wk.File, wk.AsOf)
			}
			for _, a := range wk.Actions {
				ids[a.ID] = true
				if a.Row < 1 || a.Text == "" || a.Sheet == "" {
					t.Errorf("%s %s: action %s lacks a row, text or sheet", k.Layout, wk.File, a.ID)
				}
				if _, err := day(a.Target); err != nil && a.Target != "vague" && a.Target != "none" {
					t.Errorf("%s %s: action %s: target %q is no date, vague or none", k.Layout, wk.File, a.ID, a.Target)
				}
			}
		}
		for _, p := range k.Pairs {
			pairs++
			for _, c := range p.Changes {
				if !ids[c.ID] {
					t.Errorf("%s %s → %s: change of %s, which no workbook has", k.Layout, p.Previous, p.Current, c.ID)
				}
				if !slices.Contains([]string{ChangeNew, ChangeRemoved, ChangeCompleted, ChangeSlipped, ChangeOwner}, c.Change) {
					t.Errorf("%s: unknown change %q", k.Layout, c.Change)
				}
			}
		}
	}
	withPairs := 0
	for _, k := range keys {
		if len(k.Pairs) > 0 {
			withPairs++
		}
	}
	if withPairs < 8 {
		t.Errorf("%d layouts key quarter pairs, want at least 8", withPairs)
	}
}

// TestScoreWorkbook checks the scorer itself on a statement made by hand:
// it must find what is right, and count what is wrong.
func TestScoreWorkbook(t *testing.T) {
	key := func() *WorkbookKey {
		return &WorkbookKey{File: "plan.xlsx", AsOf: "2021-01-31",
			Actions: []ActionKey{
				{ID: "a", Ref: "1.1", Text: "Publish the local offer", Sheet: "Plan", Row: 3, Owners: []string{"Head of Service"}, Target: "2021-03-31"},
				{ID: "b", Text: "Hold quarterly consultation events with young people", Sheet: "Plan", Row: 4, Owners: []string{"A Smith", "Cllr B Jones"}, Target: "vague", Complete: true},
			},
			NotActions: []RowKey{{Sheet: "Plan", Row: 1, Kind: "title"}, {Sheet: "Plan", Row: 2, Kind: "header"}, {Sheet: "Plan", Row: 5, Kind: "legend"}, {Sheet: "Plan", Row: 6, Kind: "blank"}},
		}
	}
	st := &plan.Statement{Sheet: "Plan", Actions: []plan.Action{
		{Ref: "1.1", RefGiven: true, Text: "Publish the local offer", Row: 3, Cell: "B3", Owners: []string{"Head of Service"},
			Schedule: plan.Schedule{Target: plan.TargetDate{Date: plan.Day(2021, 3, 31), Precision: plan.PrecisionDay}}},
		{Ref: "1.2", Text: "Hold quarterly consultation events with young people", Row: 4, Cell: "B4", Owners: []string{"A Smith / Cllr B Jones"}, Status: "Complete"},
		{Ref: "1.3", Text: "Green - on track", Row: 5, Cell: "B5"},
	}}
	score := func(wk *WorkbookKey, st *plan.Statement) map[string]string {
		ls := LayoutScore{Fields: newFields()}
		scoreWorkbook(&ls, &read{key: wk, st: st}, time.Date(2021, 1, 31, 0, 0, 0, 0, time.UTC))
		out := map[string]string{}
		for f, tl := range ls.Fields {
			out[f] = fmt.Sprintf("%d/%d", tl.Hits, tl.Total)
		}
		return out
	}
	tests := []struct {
		name string
		key  func() *WorkbookKey
		st   *plan.Statement
		want map[string]string
	}{
		{"one owner list unsplit, one legend row read as an action", key, st, map[string]string{
			"found": "2/2", "precision": "2/3", "refs": "1/1", "owners": "1/2", "targets": "2/2", "completion": "2/2", "not_actions": "2/3"}},
		{"a key that says otherwise makes the target a miss", func() *WorkbookKey {
			k := key()
			k.Actions[0].Target = "2021-04-30"
			return k
		}, st, map[string]string{"targets": "1/2"}},
		{"a miss the key explains counts as a hit", func() *WorkbookKey {
			k := key()
			k.Actions[1].Why = map[string]string{"owners": "the cell names two people with a slash that papers should split"}
			k.NotActions[2].Why = "a legend row in the plan's own columns"
			return k
		}, st, map[string]string{"owners": "2/2", "not_actions": "3/3"}},
		{"a refused workbook scores nothing", key, nil, map[string]string{
			"found": "0/2", "precision": "0/2", "refs": "0/1", "owners": "0/2", "targets": "0/2", "completion": "0/2", "not_actions": "0/3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := score(tc.key(), tc.st)
			for f, w := range tc.want {
				if got[f] != w {
					t.Errorf("%s = %s, want %s", f, got[f], w)
				}
			}
		})
	}
}

func TestReportTable(t *testing.T) {
	r := &Report{Total: newFields(), Layouts: []LayoutScore{{Layout: "01-x", Fields: newFields(), Refusals: []string{"x.xlsx: no header row found"}}}}
	r.Layouts[0].Fields["found"].add(Tally{Hits: 1, Total: 3})
	r.Total["found"].add(Tally{Hits: 1, Total: 3})
	tab := r.Table()
	for _, want := range []string{"01-x", "33.3%", "TOTAL", "no header row found"} {
		if !strings.Contains(tab, want) {
			t.Errorf("table lacks %q:\n%s", want, tab)
		}
	}
}
