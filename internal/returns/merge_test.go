package returns

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"papers/internal/plan"
)

// base is a small statement: two recommendations, a joint action (1.2), an
// action already complete (2.2) and one with no lead owner (2.3).
func base() *plan.Statement {
	month := func(y int, m time.Month, text string) plan.TargetDate {
		return plan.TargetDate{Date: plan.Day(y, m+1, 0), Precision: plan.PrecisionMonth, Text: text}
	}
	return &plan.Statement{
		File:  "2020-10 position statement.xlsx",
		Sheet: "Position Statement",
		Title: "Action plan - Position Statement: October 2020",
		Recommendations: []plan.Recommendation{
			{Ref: "1", Title: "Recommendation One", Text: "Develop a vision."},
			{Ref: "2", Title: "Recommendation Two", Text: "Promote an inclusive culture."},
		},
		Actions: []plan.Action{
			{Ref: "1.1", Recommendation: "1", Text: "Draft the vision.", Owner: "Ann Lee", Owners: []string{"Ann Lee"},
				Schedule: plan.Schedule{Start: plan.TargetDate{Date: plan.Day(2020, 9, 1), Precision: plan.PrecisionMonth, Text: "Start: Sept 20"},
					Target: month(2020, 12, "Completed by: December 20"), Text: "Start: Sept 20 Completed by: December 20"},
				Update: "Drafting."},
			{Ref: "1.2", Recommendation: "1", Text: "Consult staff.", Owner: "Ann Lee / Cllr Bell", Owners: []string{"Ann Lee", "Cllr Bell"},
				Schedule: plan.Schedule{Target: month(2021, 3, "By Mar 21"), Text: "By Mar 21"}, Update: "Planned.",
				Extra: []plan.Field{{Name: "Impact", Value: "High"}, {Name: ReasonField, Value: "Last quarter's reason."}}},
			{Ref: "2.1", Recommendation: "2", Text: "Hold staff conferences.", Owner: "Cllr Bell", Owners: []string{"Cllr Bell"},
				Schedule: plan.Schedule{Target: month(2021, 3, "By Mar 21"), Text: "By Mar 21"}, Update: NoUpdate + previousUpdate + "Booked."},
			{Ref: "2.2", Recommendation: "2", Text: "Appoint a lead.", Owner: "Ann Lee", Owners: []string{"Ann Lee"},
				Completed: plan.TargetDate{Date: plan.Day(2020, 10, 1), Precision: plan.PrecisionDay}, Update: "Appointed."},
			{Ref: "2.3", Recommendation: "2", Text: "Review the plan.", Update: ""},
		},
	}
}

var q1 = Quarter{2021, 1}

// blank returns the base's blank return for an owner ("" for combined).
func blank(t *testing.T, owner string) *Return {
	t.Helper()
	for _, r := range Blank(base(), q1, plan.Day(2021, 1, 15)) {
		if r.Owner == owner {
			r.File = strings.ToLower(strings.ReplaceAll(owner, " ", "-")) + ".xlsx"
			if owner == "" {
				r.File = "combined.xlsx"
			}
			for i := range r.Lines {
				r.Lines[i].Row = 3 + i
			}
			return r
		}
	}
	t.Fatalf("no return for %q", owner)
	return nil
}

// fill sets a line's editable cells, found by ref.
func fill(t *testing.T, r *Return, ref string, set func(l *Line)) *Return {
	t.Helper()
	for i := range r.Lines {
		if r.Lines[i].Ref == ref {
			set(&r.Lines[i])
			return r
		}
	}
	t.Fatalf("%s has no line %s", r.File, ref)
	return r
}

func update(text string) func(*Line) { return func(l *Line) { l.Update = text } }

func day(y int, m time.Month, d int) plan.TargetDate {
	return plan.TargetDate{Date: plan.Day(y, m, d), Precision: plan.PrecisionDay, Text: plan.Day(y, m, d).Format("02/01/2006")}
}

func action(t *testing.T, res *Result, ref string) *plan.Action {
	t.Helper()
	for i := range res.Statement.Actions {
		if res.Statement.Actions[i].Ref == ref {
			return &res.Statement.Actions[i]
		}
	}
	t.Fatalf("merged statement has no action %s", ref)
	return nil
}

func warnings(res *Result) string {
	var out []string
	for _, w := range res.Warnings {
		out = append(out, w.String())
	}
	return strings.Join(out, "\n")
}

func TestBlank(t *testing.T) {
	rs := Blank(base(), q1, plan.Day(2021, 1, 15))
	var got []string
	for _, r := range rs {
		var refs []string
		for _, l := range r.Lines {
			refs = append(refs, l.Ref)
		}
		got = append(got, r.Owner+": "+strings.Join(refs, " "))
	}
	// 2.2 is complete: in no return. 2.3 has no owner: only in the combined.
	want := []string{"Ann Lee: 1.1 1.2", "Cllr Bell: 1.2 2.1", ": 1.1 1.2 2.1 2.3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("returns %q, want %q", got, want)
	}
	l := rs[0].Lines[1]
	if l.Recommendation != "Recommendation One: Develop a vision." || l.Owner != "Ann Lee / Cllr Bell" || l.Target != "By Mar 21" || l.Previous != "Planned." {
		t.Errorf("line %+v", l)
	}
	if rs[0].Quarter != "2021-Q1" || rs[0].Based != "2020-10 position statement.xlsx" || rs[0].Sheet != SheetName {
		t.Errorf("return %+v", rs[0])
	}
}

func TestMergeJointOwners(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ann, bell string
		choose    map[string]string
		conflict  bool
		resolved  bool
		want      string
	}{
		{name: "same update", ann: "Staff consulted.", bell: "Staff  consulted. ", want: "Staff consulted."},
		{name: "one gives an update", ann: "Staff consulted.", bell: "", want: "Staff consulted."},
		{name: "different updates", ann: "Staff consulted.", bell: "Consultation delayed.", conflict: true, want: "Planned."},
		{name: "chosen by owner", ann: "Staff consulted.", bell: "Consultation delayed.", conflict: true, resolved: true,
			choose: map[string]string{"1.2:update": "Councillor Bell"}, want: "Consultation delayed."},
		{name: "chosen by number", ann: "Staff consulted.", bell: "Consultation delayed.", conflict: true, resolved: true,
			choose: map[string]string{"1.2:update": "1"}, want: "Staff consulted."},
		{name: "choice matches nothing", ann: "Staff consulted.", bell: "Consultation delayed.", conflict: true,
			choose: map[string]string{"1.2:update": "Someone Else"}, want: "Planned."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ann := fill(t, blank(t, "Ann Lee"), "1.2", update(tc.ann))
			bell := fill(t, blank(t, "Cllr Bell"), "1.2", update(tc.bell))
			res := Merge(base(), []*Return{ann, bell}, Options{Choose: tc.choose})
			if got := action(t, res, "1.2").Update; got != tc.want {
				t.Errorf("update %q, want %q", got, tc.want)
			}
			if got := len(res.Conflicts) > 0; got != tc.conflict {
				t.Fatalf("conflicts %v", res.Conflicts)
			}
			if !tc.conflict {
				return
			}
			c := res.Conflicts[0]
			if c.Key() != "1.2:update" || len(c.Values) != 2 || c.Values[0].From[0].Owner != "Ann Lee" ||
				c.Values[0].From[0].Cell != "G4" || c.Values[1].Text != "Consultation delayed." || c.Resolved() != tc.resolved {
				t.Errorf("conflict %+v", c)
			}
			unresolved := len(res.Unresolved()) > 0
			if unresolved == tc.resolved {
				t.Errorf("unresolved %v", res.Unresolved())
			}
			if hasProblem := len(res.Statement.Problems) > 0; hasProblem != unresolved {
				t.Errorf("problems %v", res.Statement.Problems)
			}
			if unresolved && !strings.Contains(c.String(), `1.2: update differs between returns (1. Ann Lee (ann-lee.xlsx, cell G4): "Staff consulted."; 2. Cllr Bell (cllr-bell.xlsx, cell G3): "Consultation delayed."); unresolved`) {
				t.Errorf("conflict reads %q", c.String())
			}
			if tc.choose != nil && !tc.resolved && !strings.Contains(warnings(res), "matches none of its values") {
				t.Errorf("warnings %q", warnings(res))
			}
		})
	}
}

func TestMergeConflictsPerField(t *testing.T) {
	ann := fill(t, blank(t, "Ann Lee"), "1.2", func(l *Line) {
		l.Update, l.Status = "Done.", "complete"
		l.Completed = day(2020, 12, 10)
		l.Revised, l.Reason = day(2021, 6, 30), "Staff shortage."
	})
	bell := fill(t, blank(t, "Cllr Bell"), "1.2", func(l *Line) {
		l.Update, l.Status = "Done.", "Complete"
		l.Completed = day(2020, 12, 11)
		l.Revised, l.Reason = day(2021, 6, 30), "Staff shortage."
	})
	res := Merge(base(), []*Return{ann, bell}, Options{})
	if len(res.Conflicts) != 1 || res.Conflicts[0].Key() != "1.2:date completed" {
		t.Fatalf("conflicts %v", res.Conflicts)
	}
	a := action(t, res, "1.2")
	if a.Update != "Done." || a.Status != StatusComplete || !a.Completed.IsZero() || !a.Schedule.Target.Date.Equal(plan.Day(2021, 6, 30)) {
		t.Errorf("merged %+v", a)
	}
	if w := warnings(res); strings.Contains(w, "no date completed") {
		t.Errorf("a conflict over the date is not a missing date: %s", w)
	}
}

func TestMergeChaseList(t *testing.T) {
	ann := fill(t, blank(t, "Ann Lee"), "1.1", update("Vision drafted."))
	bellUntouched := blank(t, "Cllr Bell")
	res := Merge(base(), []*Return{ann, bellUntouched}, Options{})
	want := []Chase{
		{Owner: "Ann Lee", Refs: []string{"1.2"}, Returned: true},
		{Owner: "Cllr Bell", Refs: []string{"1.2", "2.1"}, Returned: true},
		{Owner: NoOwner, Refs: []string{"2.3"}},
	}
	if !reflect.DeepEqual(res.Chase, want) {
		t.Errorf("chase\n got %+v\nwant %+v", res.Chase, want)
	}
	if res.Returned != 1 || res.Outstanding != 3 {
		t.Errorf("returned %d outstanding %d", res.Returned, res.Outstanding)
	}
	for ref, want := range map[string]string{
		"1.1": "Vision drafted.",
		"1.2": "No update received. Previous update: Planned.",
		"2.1": "No update received. Previous update: Booked.", // not "No update received." twice
		"2.2": "Appointed.",                                   // complete: carried as it was
		"2.3": "No update received.",
	} {
		if got := action(t, res, ref).Update; got != want {
			t.Errorf("%s: update %q, want %q", ref, got, want)
		}
	}
	if x := action(t, res, "1.2").Extra; !reflect.DeepEqual(x, []plan.Field{{Name: "Impact", Value: "High"}}) {
		t.Errorf("last quarter's reason for change is carried forward: %v", x)
	}

	// Nobody returned anything: every owner is chased, none has returned.
	res = Merge(base(), nil, Options{Quarter: "2021-Q1"})
	if len(res.Chase) != 3 || res.Chase[0].Returned || res.Outstanding != 4 {
		t.Errorf("chase %+v", res.Chase)
	}
}

func TestMergeRevisedTarget(t *testing.T) {
	for _, tc := range []struct {
		name     string
		set      func(l *Line)
		target   time.Time
		text     string
		reason   string
		warning  string
		noChange bool
	}{
		{name: "with a reason", set: func(l *Line) { l.Update, l.Revised, l.Reason = "Delayed.", day(2021, 3, 31), "Staff shortage." },
			target: plan.Day(2021, 3, 31), text: "Start: Sep 2020. Revised target: 31 Mar 2021 (was Dec 2020)", reason: "Staff shortage."},
		{name: "without a reason", set: func(l *Line) { l.Update, l.Revised = "Delayed.", day(2021, 3, 31) },
			target: plan.Day(2021, 3, 31), text: "Start: Sep 2020. Revised target: 31 Mar 2021 (was Dec 2020)",
			warning: `ann-lee.xlsx: sheet "Return", cell J3: 1.1: the target is revised to 31 Mar 2021 with no reason for change`},
		{name: "a reason without a date", set: func(l *Line) { l.Update, l.Reason = "Delayed.", "Staff shortage." },
			target: plan.Day(2020, 12, 31), reason: "Staff shortage.", noChange: true,
			warning: "cell K3: 1.1: a reason for change is given but no revised target date"},
		{name: "the same date", set: func(l *Line) { l.Update, l.Revised = "On track.", day(2020, 12, 31) },
			target: plan.Day(2020, 12, 31), noChange: true},
		{name: "no update", set: func(l *Line) { l.Revised, l.Reason = day(2021, 3, 31), "Staff shortage." },
			target: plan.Day(2021, 3, 31), reason: "Staff shortage.", text: "Start: Sep 2020. Revised target: 31 Mar 2021 (was Dec 2020)",
			warning: "cell J3: 1.1: no new update is given; the previous update is kept"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Merge(base(), []*Return{fill(t, blank(t, "Ann Lee"), "1.1", tc.set)}, Options{})
			a := action(t, res, "1.1")
			if !a.Schedule.Target.Date.Equal(tc.target) {
				t.Errorf("target %v, want %v", a.Schedule.Target.Date, tc.target)
			}
			if tc.noChange && a.Schedule.Text != "Start: Sept 20 Completed by: December 20" {
				t.Errorf("schedule text changed: %q", a.Schedule.Text)
			}
			if !tc.noChange && (a.Schedule.Text != tc.text || a.Schedule.Start.Display() != "Sep 2020" || a.Schedule.Target.Precision != plan.PrecisionDay) {
				t.Errorf("schedule %+v", a.Schedule)
			}
			var reason string
			for _, x := range a.Extra {
				if x.Name == ReasonField {
					reason = x.Value
				}
			}
			if reason != tc.reason {
				t.Errorf("reason %q, want %q", reason, tc.reason)
			}
			w := warnings(res)
			if (tc.warning == "") != (w == "") || !strings.Contains(w, tc.warning) {
				t.Errorf("warnings %q, want %q", w, tc.warning)
			}
		})
	}
}

func TestMergeCompletion(t *testing.T) {
	res := Merge(base(), []*Return{
		fill(t, fill(t, blank(t, "Ann Lee"), "1.1", func(l *Line) { l.Update, l.Status = "Vision published.", "Complete" }),
			"1.2", func(l *Line) { l.Update, l.Status, l.Completed = "Consulted.", "complete", day(2020, 12, 15) }),
		fill(t, blank(t, "Cllr Bell"), "2.1", func(l *Line) { l.Update, l.Status = "Held.", "Finished" }),
	}, Options{})
	if a := action(t, res, "1.1"); !a.Completed.IsZero() || a.Status != StatusComplete {
		t.Errorf("1.1 %+v", a)
	}
	if a := action(t, res, "1.2"); !a.Completed.Date.Equal(plan.Day(2020, 12, 15)) || a.Status != StatusComplete {
		t.Errorf("1.2 %+v", a)
	}
	w := warnings(res)
	for _, want := range []string{
		`ann-lee.xlsx: sheet "Return", cell H3: 1.1: the status is Complete but no date completed is given; ask for the date`,
		`cllr-bell.xlsx: sheet "Return", cell H4: 2.1: the status "Finished" is not one of Not started, On track, At risk, Complete`,
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if strings.Contains(w, "1.2: the status") {
		t.Errorf("1.2 has its date: %s", w)
	}

	// A date completed the reader could not read has its warning from the
	// reader: it is not also said to be missing.
	r := fill(t, blank(t, "Ann Lee"), "1.1", func(l *Line) {
		l.Update, l.Status, l.Completed = "Vision published.", "Complete", plan.TargetDate{Text: "31/02/2021"}
	})
	r.Problems = []plan.Problem{{Cell: "I3", Severity: plan.SeverityWarning, Message: `date completed: cannot read date "31/02/2021": day 31 is not in February; it is ignored`}}
	w = warnings(Merge(base(), []*Return{r}, Options{}))
	if strings.Count(w, "\n") != 0 || !strings.Contains(w, "cell I3: date completed: cannot read date") {
		t.Errorf("one warning about the date, from the reader, wanted:\n%s", w)
	}
}

func TestMergeRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(r *Return)
		want   string
	}{
		{"action text", func(r *Return) { r.Lines[0].Action = "Draft a shorter vision." },
			`ann-lee.xlsx: sheet "Return", cell C3: the action of 1.1 was changed from "Draft the vision." to "Draft a shorter vision."`},
		{"recommendation", func(r *Return) { r.Lines[1].Recommendation = "Recommendation One: Something else." },
			`cell B4: the recommendation of 1.2 was changed from "Recommendation One: Develop a vision." to "Recommendation One: Something else."`},
		{"owner", func(r *Return) { r.Lines[0].Owner = "Bob Smith" },
			`cell D3: the lead owner of 1.1 was changed from "Ann Lee" to "Bob Smith"`},
		{"target", func(r *Return) { r.Lines[0].Target = "By June 21" },
			`cell E3: the current target of 1.1 was changed from "Start: Sept 20 Completed by: December 20" to "By June 21"`},
		{"previous update", func(r *Return) { r.Lines[0].Previous = "Drafted." },
			`cell F3: the previous update of 1.1 was changed from "Drafting." to "Drafted."`},
		{"unknown ref", func(r *Return) { r.Lines[0].Ref = "9.9" },
			`cell A3: the ref "9.9" is not an action of the statement`},
		{"empty ref", func(r *Return) { r.Lines[0].Ref = "" }, `cell A3: the ref is empty`},
		{"ref twice", func(r *Return) { r.Lines[1].Ref = "1.1" }, `cell A4: the ref "1.1" is given twice`},
		{"quarter", func(r *Return) { r.Quarter = "2020-Q4" }, `ann-lee.xlsx: is a return for 2020-Q4, not 2021-Q1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := fill(t, blank(t, "Ann Lee"), "1.1", update("Changed things."))
			tc.change(bad)
			good := fill(t, blank(t, "Cllr Bell"), "2.1", update("Held."))
			res := Merge(base(), []*Return{good, bad}, Options{Quarter: "2021-Q1"})
			if len(res.Rejected) != 1 {
				t.Fatalf("rejected %v", res.Rejected)
			}
			msg := res.Rejected[0].Error()
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "ann-lee.xlsx: rejected") {
				t.Errorf("rejection:\n%s\nwant %q", msg, tc.want)
			}
			if a := action(t, res, "1.1"); !strings.HasPrefix(a.Update, NoUpdate) {
				t.Errorf("a rejected return's update was merged: %q", a.Update)
			}
			if a := action(t, res, "2.1"); a.Update != "Held." {
				t.Errorf("the good return was not merged: %q", a.Update)
			}
		})
	}
}

func TestMergeStatementShape(t *testing.T) {
	b := base()
	res := Merge(b, []*Return{fill(t, blank(t, ""), "2.3", update("Reviewed."))}, Options{})
	s := res.Statement
	if s.Title != "Action plan - Position Statement: January 2021" || res.Quarter != "2021-Q1" {
		t.Errorf("title %q quarter %q", s.Title, res.Quarter)
	}
	if !reflect.DeepEqual(s.Recommendations, b.Recommendations) || len(s.Actions) != len(b.Actions) {
		t.Error("recommendations or actions differ from the statement's")
	}
	for i, a := range s.Actions {
		o := b.Actions[i]
		if a.Ref != o.Ref || a.Text != o.Text || a.Owner != o.Owner || !reflect.DeepEqual(a.Owners, o.Owners) || a.Recommendation != o.Recommendation {
			t.Errorf("action %d: %+v", i, a)
		}
	}
	if action(t, res, "2.3").Update != "Reviewed." {
		t.Error("the combined return was not merged")
	}
	// The statement given is not changed.
	if !reflect.DeepEqual(b, base()) {
		t.Error("Merge changed the statement it was given")
	}
	if got := Merge(b, nil, Options{Quarter: "2021-Q1", Title: "My title"}).Statement.Title; got != "My title" {
		t.Errorf("title %q", got)
	}
}

func TestMergeWarnsAboutAnotherStatement(t *testing.T) {
	r := fill(t, blank(t, "Ann Lee"), "1.1", update("Vision drafted."))
	r.Based = "2020-07 position statement.xlsx"
	res := Merge(base(), []*Return{r}, Options{})
	if !strings.Contains(warnings(res), "was made from 2020-07 position statement.xlsx") {
		t.Errorf("warnings %q", warnings(res))
	}
}

func TestQuarter(t *testing.T) {
	for _, tc := range []struct {
		in, want, label, next string
		start, end            time.Time
	}{
		{"2021-Q1", "2021-Q1", "January to March 2021", "2021-Q2", plan.Day(2021, 1, 1), plan.Day(2021, 3, 31)},
		{"2020q4", "2020-Q4", "October to December 2020", "2021-Q1", plan.Day(2020, 10, 1), plan.Day(2020, 12, 31)},
	} {
		q, err := ParseQuarter(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if q.String() != tc.want || q.Label() != tc.label || q.Next().String() != tc.next || !q.Start().Equal(tc.start) || !q.End().Equal(tc.end) {
			t.Errorf("%s: %s %q %s %v %v", tc.in, q, q.Label(), q.Next(), q.Start(), q.End())
		}
	}
	for _, bad := range []string{"", "2021-Q5", "Q1 2021", "2021"} {
		if _, err := ParseQuarter(bad); err == nil {
			t.Errorf("%q read as a quarter", bad)
		}
	}
	if q := QuarterOf(plan.Day(2020, 11, 26)); q.String() != "2020-Q4" {
		t.Errorf("QuarterOf = %s", q)
	}
}

func TestRetitle(t *testing.T) {
	for in, want := range map[string]string{
		"Position Statement: October 2020":      "Position Statement: January 2021",
		"Position Statement - Sept. 2020":       "Position Statement - January 2021",
		"Action plan":                           "Action plan: January 2021",
		"":                                      "Position Statement: January 2021",
		"Response to the 2020 review: Oct 2020": "Response to the 2020 review: January 2021",
	} {
		if got := retitle(in, q1); got != want {
			t.Errorf("retitle(%q) = %q, want %q", in, got, want)
		}
	}
}
