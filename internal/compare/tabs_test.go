package compare

import (
	"testing"

	"papers/internal/plan"
)

// Plans kept on several tabs: an action that moved tab is carried, not
// removed and added; one that became complete by its status alone (no
// date) is completed this period and is not overdue; and one dropped from
// the tracker once complete is removed, not lost.
func TestActionsAcrossTabs(t *testing.T) {
	asOf := plan.Day(2017, 9, 30)
	due := plan.TargetDate{Date: plan.Day(2017, 7, 31), Precision: plan.PrecisionDay, Text: "31/07/2017"}
	a := func(ref, sheet, text, status string) plan.Action {
		return plan.Action{Ref: ref, RefGiven: true, Text: text, RawText: text, Sheet: sheet, Owner: "Matron, Acute Wards",
			Owners: []string{"Matron, Acute Wards"}, Schedule: plan.Schedule{Target: due, Text: due.Text}, Status: status}
	}
	prev := &plan.Statement{File: "2017-06.xlsx", Actions: []plan.Action{
		a("MD1", "Must do", "Carry out and record ligature risk assessments on every ward", "In progress"),
		a("SD1", "Should do", "Review the arrangements for observing patients at night", "In progress"),
		a("SD5", "Should do", "Make information on how to complain available on every ward", "Complete"),
	}}
	cur := &plan.Statement{File: "2017-09.xlsx", Actions: []plan.Action{
		a("MD1", "Must do", "Carry out and record ligature risk assessments on every ward", "Implemented"),
		a("SD1", "Must do", "Review the arrangements for observing patients at night", "In progress"), // moved tab
	}}
	c, err := Compare(plan.Inputs{Previous: prev, Current: cur}, DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[string]plan.ActionChange{}
	for _, ch := range c.Actions {
		byRef[ch.Action.Ref] = ch
	}
	if ch := byRef["SD1"]; ch.Change != plan.ChangeCarried {
		t.Errorf("SD1 moved tab: %s", ch.Change)
	}
	if ch := byRef["MD1"]; !ch.CompletedThisPeriod || ch.Status == plan.StatusOverdue {
		t.Errorf("MD1 implemented: completed this period %v, status %s", ch.CompletedThisPeriod, ch.Status)
	}
	if ch, ok := byRef["SD5"]; !ok || ch.Change != plan.ChangeRemoved {
		t.Errorf("SD5, complete and dropped: %+v", ch)
	}
	if n := len(c.Actions); n != 3 {
		t.Errorf("%d actions in the comparison, want 3", n)
	}
}
