package workbook

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestInferByContent: a plan whose headings mean nothing to papers is read
// by what its columns hold, and the layout says so.
func TestInferByContent(t *testing.T) {
	b := newBook(t, "Our plan")
	b.rows("Our plan", 1,
		[]any{"Improvement plan 2024"},
		[]any{"Item", "Thing to do", "Named person", "Expected", "Where we are"},
		[]any{"1", "Review the housing allocations policy with tenants", "Head of Housing", "31/03/2024", "The draft review has been circulated to members for comment and a workshop is booked."},
		[]any{"2", "Publish the repairs performance each quarter", "Repairs Manager / Cllr Ahmed", "Ongoing", "The first quarter's figures were published on the website in April as agreed."},
		[]any{"3", "Train every housing officer in the new damp and mould procedure", "Jane Smith", "June 2024", "Training has been commissioned and the first sessions are being arranged."},
	)
	path := b.save("plan.xlsx")
	s, lay, err := ReadFileLayout(path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Actions) != 3 {
		t.Fatalf("%d actions", len(s.Actions))
	}
	a := s.Actions[1]
	if a.Text != "Publish the repairs performance each quarter" || !reflect.DeepEqual(a.Owners, []string{"Repairs Manager", "Cllr Ahmed"}) ||
		a.Schedule.Text != "Ongoing" || !strings.HasPrefix(a.Update, "The first quarter's") {
		t.Errorf("action read by content: %+v", a)
	}
	if got := s.Actions[0].Target().ISO(); got != "2024-03-31" {
		t.Errorf("target %q", got)
	}
	var roles []string
	for _, c := range lay.Sheets[0].Columns {
		roles = append(roles, c.Column+":"+c.Role)
		if c.Column == "C" && !strings.Contains(c.Why, "by its content: names, initials or job titles in 3 of 3") {
			t.Errorf("column C's evidence: %q", c.Why)
		}
	}
	if want := []string{"A:ref", "B:action", "C:lead owner", "D:target date", "E:progress update"}; !reflect.DeepEqual(roles, want) {
		t.Errorf("roles %q, want %q", roles, want)
	}
}

// TestInferRefusesWhatIsNoPlan: content that is no plan is still refused,
// naming the rows looked at.
func TestInferRefusesWhatIsNoPlan(t *testing.T) {
	b := newBook(t, "Budget")
	b.rows("Budget", 1,
		[]any{"Cost centre", "Budget £000", "Forecast £000", "Variance £000"},
		[]any{"Looked after children", 28450, 31020, 2570},
		[]any{"Fieldwork teams", 9310, 9100, -210},
		[]any{"Safeguarding", 2140, 2190, 50},
	)
	_, err := Read(bytes.NewReader(b.bytes()), "budget.xlsx", DefaultOptions())
	if !errors.Is(err, ErrNoHeader) {
		t.Fatalf("a budget read as a plan: %v", err)
	}
}
