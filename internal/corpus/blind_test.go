package corpus

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

var updateBlind = flag.Bool("update-blind", false, "write testdata/blind/scores.txt with today's scores")

// blindDir is the blind set: layouts imitating published plans that the
// corpus does not, written without reading the reader's code, to measure
// whether the reader generalises beyond the corpus it was built against.
const blindDir = "../../testdata/blind"

// TestBlind scores papers against the blind set and prints the table. It is
// a measurement, not a ratchet: it fails only when a key is malformed (a
// workbook or a pair it names missing, a row outside the sheet's, a target
// that is no date, a change of an action no workbook has), never on a low
// score.
//
//	go test ./internal/corpus -run TestBlind -v
//	go test ./internal/corpus -run TestBlind -update-blind   # rewrite scores.txt
func TestBlind(t *testing.T) {
	keys, err := Load(blindDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 8 {
		t.Errorf("the blind set has %d layouts, want at least 8", len(keys))
	}
	withPairs := 0
	for _, k := range keys {
		checkKey(t, blindDir, k)
		if len(k.Pairs) > 0 {
			withPairs++
		}
	}
	if withPairs < 5 {
		t.Errorf("%d blind layouts key quarter pairs, want at least 5", withPairs)
	}
	if t.Failed() {
		return
	}

	r, err := Score(blindDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.Table())
	if testing.Verbose() {
		t.Log("\nMisses:\n" + r.Details())
	}
	if *updateBlind {
		text := "# Written by go test ./internal/corpus -run TestBlind -update-blind.\n" +
			"# A measurement of the reader on layouts written without reading it (see README.md: since used to fix general misses): no baseline, no ratchet.\n\n" +
			r.Table() + "\nMisses:\n" + r.Details()
		if err := os.WriteFile(filepath.Join(blindDir, scoresFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkKey reports what is malformed in a layout's key: workbooks that do
// not exist or cannot be opened, sheets they do not have, rows past a
// sheet's last, dates that are not dates, actions without a row, text or
// sheet, ids that repeat within a workbook, rows keyed twice, and pairs
// that name workbooks or actions the key does not have.
func checkKey(t *testing.T, dir string, k Key) {
	t.Helper()
	files := map[string]bool{}
	ids := map[string]bool{}
	for _, wk := range k.Workbooks {
		files[wk.File] = true
		sheetRows := map[string]int{}
		if f, err := excelize.OpenFile(filepath.Join(dir, k.Layout, wk.File)); err != nil {
			t.Errorf("%s: %v", k.Layout, err)
		} else {
			for _, name := range f.GetSheetList() {
				rows, err := f.GetRows(name)
				if err != nil {
					t.Errorf("%s %s: sheet %q: %v", k.Layout, wk.File, name, err)
				}
				sheetRows[name] = len(rows)
			}
			f.Close()
		}
		inSheet := func(sheet string, row int, kind string) {
			n, ok := sheetRows[sheet]
			switch {
			case !ok:
				t.Errorf("%s %s: no sheet %q", k.Layout, wk.File, sheet)
			case row > n && kind != "blank":
				t.Errorf("%s %s: sheet %q has %d rows, the key names row %d", k.Layout, wk.File, sheet, n, row)
			}
		}
		if _, err := day(wk.AsOf); err != nil {
			t.Errorf("%s %s: as_of %q is no date", k.Layout, wk.File, wk.AsOf)
		}
		if len(wk.Actions) == 0 {
			t.Errorf("%s %s: no actions", k.Layout, wk.File)
		}
		seen := map[string]bool{}
		rows := map[rowAt]string{}
		for _, a := range wk.Actions {
			if a.ID == "" || seen[a.ID] {
				t.Errorf("%s %s: action id %q is empty or repeated", k.Layout, wk.File, a.ID)
			}
			seen[a.ID] = true
			ids[a.ID] = true
			if a.Row < 1 || a.Text == "" || a.Sheet == "" {
				t.Errorf("%s %s: action %s lacks a row, text or sheet", k.Layout, wk.File, a.ID)
			}
			if _, err := day(a.Target); err != nil && a.Target != "vague" && a.Target != "none" {
				t.Errorf("%s %s: action %s: target %q is no date, vague or none", k.Layout, wk.File, a.ID, a.Target)
			}
			if a.Owners == nil {
				t.Errorf("%s %s: action %s has no owners list (an empty one says it has no owner)", k.Layout, wk.File, a.ID)
			}
			inSheet(a.Sheet, a.Row, "action")
			rows[rowAt{a.Sheet, a.Row}] = "action"
		}
		for _, r := range wk.NotActions {
			at := rowAt{r.Sheet, r.Row}
			if r.Row < 1 || r.Sheet == "" || r.Kind == "" {
				t.Errorf("%s %s: a row that is not an action lacks a row, sheet or kind", k.Layout, wk.File)
			}
			inSheet(r.Sheet, r.Row, r.Kind)
			if _, dup := rows[at]; dup {
				t.Errorf("%s %s: sheet %q row %d is keyed twice", k.Layout, wk.File, r.Sheet, r.Row)
			}
			rows[at] = r.Kind
		}
	}
	for _, p := range k.Pairs {
		if !files[p.Previous] || !files[p.Current] {
			t.Errorf("%s: pair %s → %s names a workbook the key does not list", k.Layout, p.Previous, p.Current)
		}
		if _, err := day(p.AsOf); err != nil {
			t.Errorf("%s: pair %s → %s: as_of %q is no date", k.Layout, p.Previous, p.Current, p.AsOf)
		}
		for _, c := range p.Changes {
			if !ids[c.ID] {
				t.Errorf("%s %s → %s: change of %s, which no workbook has", k.Layout, p.Previous, p.Current, c.ID)
			}
			if !slices.Contains([]string{ChangeNew, ChangeRemoved, ChangeCompleted, ChangeSlipped, ChangeOwner}, c.Change) {
				t.Errorf("%s: unknown change %q", k.Layout, c.Change)
			}
			if c.Change == ChangeSlipped && c.Days <= 0 {
				t.Errorf("%s: %s slipped by %d days", k.Layout, c.ID, c.Days)
			}
		}
	}
}
