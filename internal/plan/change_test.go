package plan

import "testing"

func TestMovedTargetRules(t *testing.T) {
	days := func(n int) *int { return &n }
	cases := []struct {
		name                          string
		c                             ActionChange
		slipped, open, forward, moved bool
	}{
		{"later, open", ActionChange{SlipDays: days(30), Change: ChangeCarried}, true, true, false, true},
		{"later, complete by date", ActionChange{SlipDays: days(30), Change: ChangeCarried, Action: Action{Completed: TargetDate{Date: Day(2021, 1, 5)}}}, true, false, false, true},
		{"later, complete by status", ActionChange{SlipDays: days(30), Change: ChangeCarried, Action: Action{Status: "Implemented"}}, true, false, false, true},
		{"later, removed", ActionChange{SlipDays: days(30), Change: ChangeRemoved}, true, false, false, true},
		{"earlier", ActionChange{SlipDays: days(-10), Change: ChangeCarried}, false, false, true, true},
		{"unchanged", ActionChange{SlipDays: days(0), Change: ChangeCarried}, false, false, false, false},
		{"unknown", ActionChange{Change: ChangeNew}, false, false, false, false},
	}
	for _, c := range cases {
		if got := [4]bool{c.c.Slipped(), c.c.SlippedOpen(), c.c.BroughtForward(), c.c.TargetMoved()}; got != [4]bool{c.slipped, c.open, c.forward, c.moved} {
			t.Errorf("%s: Slipped, SlippedOpen, BroughtForward, TargetMoved = %v", c.name, got)
		}
	}
}
