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

func TestBaselineAndLostTargetRules(t *testing.T) {
	days := func(n int) *int { return &n }
	dated := Action{Schedule: Schedule{Target: TargetDate{Date: Day(2021, 3, 31), Precision: PrecisionDay}}}
	cases := []struct {
		name                string
		c                   ActionChange
		fromBaseline, moved bool
		lost                bool
	}{
		{"later than agreed", ActionChange{BaselineSlipDays: days(61), Change: ChangeCarried, Action: dated}, true, true, false},
		{"earlier than agreed", ActionChange{BaselineSlipDays: days(-5), Change: ChangeCarried, Action: dated}, false, true, false},
		{"as agreed", ActionChange{BaselineSlipDays: days(0), Change: ChangeCarried, Action: dated}, false, false, false},
		{"no baseline", ActionChange{Change: ChangeCarried, Action: dated}, false, false, false},
		{"target lost", ActionChange{Change: ChangeCarried, Previous: &dated, Action: Action{Schedule: Schedule{Text: "Ongoing"}}}, false, false, true},
		{"target lost, but complete", ActionChange{Change: ChangeCarried, Previous: &dated, Action: Action{Status: "Complete"}}, false, false, false},
		{"no target before either", ActionChange{Change: ChangeCarried, Previous: &Action{}, Action: Action{}}, false, false, false},
		{"new, no target", ActionChange{Change: ChangeNew, Action: Action{}}, false, false, false},
	}
	for _, c := range cases {
		if got := [3]bool{c.c.SlippedFromBaseline(), c.c.MovedFromBaseline(), c.c.TargetLost()}; got != [3]bool{c.fromBaseline, c.moved, c.lost} {
			t.Errorf("%s: SlippedFromBaseline, MovedFromBaseline, TargetLost = %v", c.name, got)
		}
	}
}

// The first-quarter rule: with no previous statement, the current one is
// compared with the plan as agreed, and the comparison says so.
func TestFirstQuarterRule(t *testing.T) {
	prev, cur, base := &Statement{File: "2020-10.xlsx"}, &Statement{File: "2021-01.xlsx"}, &Statement{File: "2020-08 plan.xlsx"}
	cases := []struct {
		name   string
		in     Inputs
		with   *Statement
		first  bool
		saysAs bool // the comparison says it is against the plan as agreed
	}{
		{"a normal quarter", Inputs{Previous: prev, Current: cur, Baseline: base}, prev, false, false},
		{"the first quarter", Inputs{Current: cur, Baseline: base}, base, true, true},
		{"the baseline given as the previous file", Inputs{Previous: &Statement{File: base.File}, Current: cur, Baseline: base}, nil, false, true},
		{"no baseline", Inputs{Previous: prev, Current: cur}, prev, false, false},
		{"nothing to compare with", Inputs{Current: cur}, nil, false, false},
	}
	for _, c := range cases {
		with := c.in.ComparedWith()
		if c.with != nil && with != c.with {
			t.Errorf("%s: compared with %v, want %s", c.name, with, c.with.File)
		}
		if c.in.FirstQuarter() != c.first {
			t.Errorf("%s: FirstQuarter %v", c.name, c.in.FirstQuarter())
		}
		cmp := &Comparison{Previous: with, Current: c.in.Current, Baseline: c.in.Baseline}
		if cmp.ComparedWithBaseline() != c.saysAs {
			t.Errorf("%s: ComparedWithBaseline %v", c.name, cmp.ComparedWithBaseline())
		}
	}
}
