package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestCheckExplain: papers check --explain shows the layout it inferred,
// with its evidence, for every sheet, column and row.
func TestCheckExplain(t *testing.T) {
	ofsted := "../../testdata/layouts/02-ofsted-ilacs/2016-12 improvement plan.xlsx"
	out, stderr, code := papers(t, "check", "--explain", ofsted)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`sheet "Improvement Plan": read as the plan`,
		`header row 4`,
		`column D "Lead" → lead owner (header "Lead"; names, initials or job titles in 8 of 8 action rows)`,
		`column F "By When" → target date`,
		`column I "Monitoring and Evaluation" → extra column`,
		`row 1   title:`,
		`row 4   header row`,
		`row 8   step: under the action in row 7`,
		`row 13  action:`,
		`8 actions read.`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--explain lacks %q:\n%s", want, out)
		}
	}
	// Every row of the sheet is accounted for.
	for r := 1; r <= 13; r++ {
		if !strings.Contains(out, "    row "+strconv.Itoa(r)+" ") {
			t.Errorf("row %d is not accounted for", r)
		}
	}

	// Several tabs, and a key on a sheet of its own.
	out, _, code = papers(t, "check", "--explain", "../../testdata/layouts/11-consolidated-reviews/2025-05 consolidated action plan.xlsx")
	if code != 0 || !strings.Contains(out, `sheet "Summary": not read as the plan: a key to the RAG colours: Blue "complete"`) ||
		!strings.Contains(out, `sheet "BVI 2025": read as the plan`) || !strings.Contains(out, "one of the 4 plan tabs") {
		t.Errorf("several tabs (exit %d):\n%s", code, out)
	}

	// A workbook refused shows the rows it looked at, and exits 1.
	out, stderr, code = papers(t, "check", "--explain", "../../testdata/bad-input/no-header.xlsx")
	if code != 1 || !strings.Contains(out, `sheet "Budget": not read as the plan`) || !strings.Contains(out, "Cost centre | Budget £000") ||
		!strings.Contains(stderr, "no header row found") {
		t.Errorf("refused (exit %d):\n%s\n%s", code, out, stderr)
	}

	// As JSON.
	out, _, code = papers(t, "check", "--explain", "--format", "json", ofsted)
	var lay struct {
		Sheets []struct {
			Name    string
			Read    bool
			Columns []struct{ Column, Header, Role string }
			Rows    []struct {
				Row  int
				Kind string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &lay); err != nil || code != 0 || len(lay.Sheets) != 1 || !lay.Sheets[0].Read {
		t.Fatalf("JSON (exit %d, %v):\n%s", code, err, out)
	}
	if got := lay.Sheets[0].Rows[7]; got.Row != 8 || got.Kind != "step" {
		t.Errorf("JSON row 8: %+v", got)
	}
}
