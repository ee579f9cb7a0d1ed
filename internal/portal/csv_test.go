package portal

import (
	"encoding/csv"
	"strings"
	"testing"
)

// A lead owner's name that a spreadsheet would run as a formula reaches the
// clerk's chase list as text.
func TestChaseListIsNotAFormula(t *testing.T) {
	h := newHarness(t)
	rows := append([]row{}, sampleRows...)
	rows[3].Owner = `=cmd|'calc'!A0`
	h.addStatement("2020-Q4", rows)
	clerk := h.signedIn("clerk@example.gov.uk")
	body := clerk.get(h.qpath("/clerk", "/chase.csv")).body
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q would be read as a formula", cell)
			}
			found = found || cell == `'=cmd|'calc'!A0`
		}
	}
	if !found {
		t.Errorf("the owner's name is not in the chase list as text:\n%s", body)
	}
}
