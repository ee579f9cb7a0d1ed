package returns_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/compare"
	"papers/internal/document"
	"papers/internal/plan"
	"papers/internal/report"
	"papers/internal/returns"
	"papers/internal/workbook"
)

const october = "../../data/2020-10 position statement.xlsx"

var (
	q1       = returns.Quarter{Year: 2021, N: 1}
	deadline = time.Date(2021, 1, 15, 0, 0, 0, 0, time.UTC)
	asOf     = time.Date(2021, 1, 28, 0, 0, 0, 0, time.UTC)
)

// officer is a lead owner's return workbook, opened to fill in as the
// officer would in Excel: only the unlocked cells are typed in.
type officer struct {
	t    *testing.T
	name string
	f    *excelize.File
}

func open(t *testing.T, r *returns.Return) *officer {
	t.Helper()
	var b bytes.Buffer
	if err := workbook.WriteReturn(&b, r, workbook.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return &officer{t: t, name: r.Owner, f: f}
}

// cell is the cell of a field in the row of the action ref.
func (o *officer) cell(ref string, f returns.Field) string {
	o.t.Helper()
	rows, err := o.f.GetRows(returns.SheetName)
	if err != nil {
		o.t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == ref && i > 1 {
			c, _ := excelize.CoordinatesToCellName(int(f)+1, i+1)
			return c
		}
	}
	o.t.Fatalf("%s's return has no action %s", o.name, ref)
	return ""
}

// set types a value: text, or a time.Time as Excel stores a typed date.
func (o *officer) set(ref string, f returns.Field, v any) *officer {
	o.t.Helper()
	var err error
	if s, ok := v.(string); ok {
		err = o.f.SetCellStr(returns.SheetName, o.cell(ref, f), s)
	} else {
		err = o.f.SetCellValue(returns.SheetName, o.cell(ref, f), v)
	}
	if err != nil {
		o.t.Fatal(err)
	}
	return o
}

// get is a cell's value as Excel shows it.
func (o *officer) get(ref string, f returns.Field) string {
	o.t.Helper()
	v, err := o.f.GetCellValue(returns.SheetName, o.cell(ref, f))
	if err != nil {
		o.t.Fatal(err)
	}
	return v
}

// send saves the workbook and reads it back as the clerk's papers would.
func (o *officer) send(file string) *returns.Return {
	o.t.Helper()
	b, err := o.f.WriteToBuffer()
	if err != nil {
		o.t.Fatal(err)
	}
	r, err := workbook.ReadReturn(bytes.NewReader(b.Bytes()), file, workbook.Options{})
	if err != nil {
		o.t.Fatal(err)
	}
	return r
}

func returnsFor(t *testing.T, s *plan.Statement) map[string]*returns.Return {
	t.Helper()
	out := map[string]*returns.Return{}
	for _, r := range returns.Blank(s, q1, deadline) {
		out[r.Owner] = r
	}
	return out
}

func find(t *testing.T, s *plan.Statement, ref string) *plan.Action {
	t.Helper()
	for i := range s.Actions {
		if s.Actions[i].Ref == ref {
			return &s.Actions[i]
		}
	}
	t.Fatalf("no action %s in %s", ref, s.Title)
	return nil
}

func day(y int, m time.Month, d int) time.Time { return plan.Day(y, m, d) }

const (
	agreed    = "Meetings held on 12/11/2020; next booked for 12/05/2021."
	hyperlink = `=HYPERLINK("http://example.org/minutes","Minutes of the strategy group")`
)

// TestQuarterRoundTrip runs a quarter: returns made from the October 2020
// statement, filled in by officers, read and merged; the merged statement
// written as a workbook, read back, compared with October's and reported.
func TestQuarterRoundTrip(t *testing.T) {
	oct, err := workbook.ReadFile(october, workbook.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	blank := returnsFor(t, oct)

	// John Harrison opens his return and saves it unchanged.
	harrison := open(t, blank["John Harrison"]).send("harrison.xlsx")
	// Sandy Hopkins revises one target with a reason and one without,
	// completes one action, and agrees the joint update for 2.3.
	hopkins := open(t, blank["Sandy Hopkins"]).
		set("1.2", returns.FieldUpdate, "Outcomes to be built into the 2022/23 business plans.").
		set("1.2", returns.FieldRevised, day(2023, 3, 31)).
		set("1.2", returns.FieldReason, "The 2021/22 planning cycle closed before the vision was agreed.").
		set("2.3", returns.FieldUpdate, agreed).
		set("2.8", returns.FieldUpdate, "First meeting postponed.").
		set("2.8", returns.FieldRevised, "31/03/2021").
		set("2.9", returns.FieldUpdate, "Item taken at the December board.").
		set("2.9", returns.FieldStatus, returns.StatusComplete).
		set("2.9", returns.FieldCompleted, day(2020, 12, 15)).
		send("hopkins.xlsx")
	// Robert Henderson gives a different update for the joint 2.2 from Cllr
	// Paffey's, the same for 2.3 (spaced differently), an update that looks
	// like a formula, and "Complete" for 1.1 without a date. His return
	// has dates completed filled in from his October updates (2.4, 2.6,
	// 2.7, 2.10, 5.2, 5.5): he confirms 2.6's by choosing Complete, clears
	// 5.2's and gives an update, and leaves the rest as they were, which
	// confirms nothing.
	hb := open(t, blank["Robert Henderson"])
	for ref, want := range map[string]time.Time{"2.4": day(2020, 10, 31), "2.6": day(2020, 10, 8), "2.7": day(2020, 10, 31),
		"2.10": day(2020, 10, 31), "5.2": day(2020, 10, 8), "5.5": day(2020, 9, 30)} {
		if got := hb.get(ref, returns.FieldCompleted); got != want.Format("02/01/2006") {
			t.Errorf("%s: date completed filled in as %q, want %s", ref, got, want.Format("02/01/2006"))
		}
		if got := hb.get(ref, returns.FieldSuggestion); !strings.HasPrefix(got, "Filled in: "+want.Format("02/01/2006")+", as your last update says done") {
			t.Errorf("%s: suggestion %q", ref, got)
		}
	}
	// 2.3's update reports the meetings booked, which its target asks
	// for: quoted, with no date filled in; 2.1's reports work in progress.
	if got := hb.get("2.3", returns.FieldSuggestion); !strings.HasPrefix(got, "Your last update says booked for 12 Nov 2020: “Bi-annual") ||
		!strings.HasSuffix(got, "If the action is complete, type the date it was completed.") || hb.get("2.3", returns.FieldCompleted) != "" {
		t.Errorf("2.3: suggestion %q, date completed %q", got, hb.get("2.3", returns.FieldCompleted))
	}
	if got := hb.get("2.1", returns.FieldSuggestion); got != "" {
		t.Errorf("2.1: suggestion %q", got)
	}
	henderson := hb.
		set("2.1", returns.FieldUpdate, hyperlink).
		set("2.2", returns.FieldUpdate, "Visits continue monthly; January visit to the MASH.").
		set("2.3", returns.FieldUpdate, "  Meetings held on 12/11/2020;  next booked for 12/05/2021. ").
		set("1.1", returns.FieldStatus, returns.StatusComplete).
		set("2.6", returns.FieldStatus, returns.StatusComplete).
		set("5.2", returns.FieldCompleted, "").
		set("5.2", returns.FieldUpdate, "Revised plan to go to the Improvement Board in February 2021.").
		send("henderson.xlsx")
	paffey := open(t, blank["Cllr Paffey"]).
		set("2.2", returns.FieldUpdate, "Visits paused during lockdown.").
		send("paffey.xlsx")
	// Janet King and Mike Harris send nothing.

	all := []*returns.Return{harrison, hopkins, henderson, paffey}
	res := returns.Merge(oct, all, returns.Options{})
	if len(res.Rejected) > 0 {
		t.Fatalf("rejected: %v", res.Rejected)
	}
	m := res.Statement
	if res.Quarter != "2021-Q1" || m.Title != "Response to Whistleblowing Investigation - Position Statement: January 2021" {
		t.Errorf("quarter %q, title %q", res.Quarter, m.Title)
	}
	if len(m.Actions) != len(oct.Actions) || !reflect.DeepEqual(m.Recommendations, oct.Recommendations) {
		t.Fatalf("%d actions, want %d, or the recommendations differ", len(m.Actions), len(oct.Actions))
	}

	// Field by field.
	prev := func(ref string) string { return find(t, oct, ref).Update }
	reason := func(a *plan.Action) string {
		for _, x := range a.Extra {
			if x.Name == returns.ReasonField {
				return x.Value
			}
		}
		return ""
	}
	for _, tc := range []struct {
		ref       string
		update    string
		status    string
		completed time.Time
		target    time.Time
		schedule  string
		reason    string
	}{
		{ref: "1.1", update: prev("1.1"), status: "Complete", target: day(2020, 12, 31), schedule: "Start: Sept 20 Completed by: December 20"},
		{ref: "1.2", update: "Outcomes to be built into the 2022/23 business plans.", target: day(2023, 3, 31),
			schedule: "Revised target: 31 Mar 2023 (was 2021/22)", reason: "The 2021/22 planning cycle closed before the vision was agreed."},
		{ref: "2.1", update: hyperlink, target: day(2021, 3, 31), schedule: "Start: Sept 20 Completed by: Mar 21"},
		{ref: "2.2", update: prev("2.2"), target: day(2020, 9, 30), schedule: "Visits for 20/21 to be diarised by 30th September 20"},
		{ref: "2.3", update: agreed, target: day(2020, 9, 30), schedule: "Meetings to be diarised by 30th Sept 20"},
		{ref: "2.5", update: "No update received. Previous update: " + prev("2.5"), target: day(2020, 10, 31), schedule: "Representative to be in place by 31st Oct 20"},
		{ref: "2.8", update: "First meeting postponed.", target: day(2021, 3, 31), schedule: "Revised target: 31 Mar 2021 (was 30 Sep 2020)"},
		{ref: "2.9", update: "Item taken at the December board.", status: "Complete", completed: day(2020, 12, 15), target: day(2020, 9, 30),
			schedule: "Meetings to be diarised by 30th Sept 20"},
		{ref: "2.6", update: prev("2.6"), status: "Complete", completed: day(2020, 10, 8), target: day(2020, 9, 30), schedule: "By 30th September 20"},
		{ref: "5.2", update: "Revised plan to go to the Improvement Board in February 2021.", target: day(2020, 9, 30), schedule: "By 30th Sept 20"},
		{ref: "2.4", update: "No update received. Previous update: " + prev("2.4"), target: day(2020, 9, 30),
			schedule: "Practitioners Improvement Board to be established by 30th Sept 20"},
		{ref: "3.1", update: "No update received. Previous update: " + prev("3.1"), target: day(2020, 12, 31), schedule: "By 31st December 20"},
		{ref: "4.3", update: "No update received. Previous update: " + prev("4.3"), target: day(2021, 3, 31), schedule: "Start: 14th Sept 20 Completed by 31st Mar 21"},
		{ref: "5.1", update: "No update received. Previous update: " + prev("5.1"), target: day(2020, 9, 30), schedule: "By 30th Sept 20"},
	} {
		a := find(t, m, tc.ref)
		o := find(t, oct, tc.ref)
		if a.Text != o.Text || a.Owner != o.Owner || !reflect.DeepEqual(a.Owners, o.Owners) || a.Recommendation != o.Recommendation {
			t.Errorf("%s: the locked fields changed: %+v", tc.ref, a)
		}
		if a.Update != tc.update {
			t.Errorf("%s: update %q, want %q", tc.ref, a.Update, tc.update)
		}
		if a.Status != tc.status {
			t.Errorf("%s: status %q, want %q", tc.ref, a.Status, tc.status)
		}
		if !a.Completed.Date.Equal(tc.completed) {
			t.Errorf("%s: completed %v, want %v", tc.ref, a.Completed.Date, tc.completed)
		}
		if !a.Target().Date.Equal(tc.target) || a.Schedule.Text != tc.schedule {
			t.Errorf("%s: target %v %q, want %v %q", tc.ref, a.Target().Date, a.Schedule.Text, tc.target, tc.schedule)
		}
		if got := reason(a); got != tc.reason {
			t.Errorf("%s: reason %q, want %q", tc.ref, got, tc.reason)
		}
	}

	// One conflict (2.2), unresolved; the identical 2.3 is none.
	if len(res.Conflicts) != 1 {
		t.Fatalf("conflicts: %v", res.Conflicts)
	}
	c := res.Conflicts[0]
	if c.Key() != "2.2:update" || c.Resolved() || len(c.Values) != 2 ||
		c.Values[0].From[0].Owner != "Robert Henderson" || c.Values[1].From[0].Owner != "Cllr Paffey" ||
		c.Values[1].Text != "Visits paused during lockdown." {
		t.Errorf("conflict %+v", c)
	}
	if len(m.Problems) != 1 || !strings.Contains(m.Problems[0].Message, "2.2: update differs between returns") {
		t.Errorf("the unresolved conflict is not marked: %v", m.Problems)
	}

	// Warnings, with their cells.
	var ws []string
	for _, w := range res.Warnings {
		ws = append(ws, w.String())
	}
	wantWarnings := []string{
		`hopkins.xlsx: sheet "Return", cell J5: 2.8: the target is revised to 31 Mar 2021 with no reason for change`,
		`henderson.xlsx: sheet "Return", cell H3: 1.1: no new update is given; the previous update is kept`,
		`henderson.xlsx: sheet "Return", cell H3: 1.1: the status is Complete but no date completed is given; ask for the date`,
		`henderson.xlsx: sheet "Return", cell H8: 2.6: no new update is given; the previous update is kept`,
		`henderson.xlsx: sheet "Return", cell I8: 2.6: the date completed, 8 Oct 2020, is the one filled in from the previous update, left in with the rest of the line: it is taken as given`,
	}
	for _, ref := range []string{"2.4 I7", "2.7 I9", "2.10 I10", "5.5 I29"} {
		ref, cell, _ := strings.Cut(ref, " ")
		wantWarnings = append(wantWarnings, `henderson.xlsx: sheet "Return", cell `+cell+`: `+ref+
			`: the date completed filled in from the previous update was left in, with nothing else given: it is not taken (to confirm it, the lead owner chooses Complete under Status)`)
	}
	for _, w := range wantWarnings {
		if !contains(ws, w) {
			t.Errorf("no warning %q in:\n%s", w, strings.Join(ws, "\n"))
		}
	}
	if len(ws) != len(wantWarnings) {
		t.Errorf("warnings:\n%s", strings.Join(ws, "\n"))
	}

	// The chase list: per owner, the actions nobody returned.
	chase := map[string]returns.Chase{}
	for _, ch := range res.Chase {
		chase[ch.Owner] = ch
	}
	for owner, want := range map[string]returns.Chase{
		"John Harrison": {Owner: "John Harrison", Refs: []string{"2.5", "5.1"}, Returned: true},
		"Janet King":    {Owner: "Janet King", Refs: []string{"3.1", "4.1"}},
		"Mike Harris":   {Owner: "Mike Harris", Refs: []string{"2.11", "4.4", "4.5", "4.6", "4.7"}},
		"Sandy Hopkins": {Owner: "Sandy Hopkins", Refs: []string{"4.3"}, Returned: true},
	} {
		if !reflect.DeepEqual(chase[owner], want) {
			t.Errorf("chase for %s: %+v, want %+v", owner, chase[owner], want)
		}
	}
	if _, ok := chase["Cllr Paffey"]; ok {
		t.Error("Cllr Paffey is chased for 2.2, which was returned")
	}
	// Of Robert Henderson's 27 actions, 1.1, 2.1, 2.2, 2.3, 2.6 and 5.2
	// were returned.
	if ch := chase["Robert Henderson"]; !ch.Returned || len(ch.Refs) != 27-6 {
		t.Errorf("Robert Henderson's chase: %+v", ch)
	}
	if res.Returned+res.Outstanding != len(oct.Actions) || res.Returned != 9 {
		t.Errorf("returned %d, outstanding %d", res.Returned, res.Outstanding)
	}

	// The clerk resolves the conflict.
	res = returns.Merge(oct, all, returns.Options{Choose: map[string]string{"2.2:update": "Cllr Paffey"}})
	if len(res.Unresolved()) != 0 || find(t, res.Statement, "2.2").Update != "Visits paused during lockdown." || len(res.Statement.Problems) != 0 {
		t.Errorf("resolved: unresolved %v, 2.2 %q", res.Unresolved(), find(t, res.Statement, "2.2").Update)
	}

	// Written as the position statement workbook and read back, as
	// papers report --current reads it.
	var b bytes.Buffer
	if err := workbook.WriteStatement(&b, res.Statement, workbook.WriteOptions{Created: q1.Start()}); err != nil {
		t.Fatal(err)
	}
	jan, err := workbook.Read(bytes.NewReader(b.Bytes()), "2021-Q1 position statement.xlsx", workbook.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*plan.Statement{res.Statement, jan} {
		checkComparison(t, oct, s)
	}
}

// checkComparison compares the merged statement with October's: the
// revised targets slip, 2.9 is completed this period, the actions nobody
// returned say so, and the report's text shows all three.
func checkComparison(t *testing.T, oct, merged *plan.Statement) {
	t.Helper()
	c, err := compare.Compare(plan.Inputs{Previous: oct, Current: merged}, compare.DefaultOptions(asOf))
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]*plan.ActionChange{}
	for i := range c.Actions {
		changes[c.Actions[i].Action.Ref] = &c.Actions[i]
	}
	for ref, days := range map[string]int{"1.2": 365, "2.8": 182} {
		ch := changes[ref]
		if ch == nil || ch.Change != plan.ChangeCarried || !ch.Slipped() || *ch.SlipDays != days {
			t.Errorf("%s: %+v, want a slip of %d days", ref, ch, days)
		}
	}
	if ch := changes["2.9"]; ch == nil || !ch.CompletedThisPeriod || ch.Status != plan.StatusCompleteLate || ch.CompletedLateDays != 76 {
		t.Errorf("2.9: %+v, want completed this period, 76 days late", ch)
	}
	// 1.1's status says Complete (without a date): compare counts it too;
	// 2.6's date completed was confirmed from the one filled in.
	if c.Summary.Slipped != 2 || c.Summary.CompletedThisPeriod != 3 || c.Summary.ByChange[plan.ChangeCarried] != len(oct.Actions) {
		t.Errorf("summary %+v", c.Summary)
	}

	doc, err := report.Build(c, report.Meta{Council: "Southampton City Council", Committee: "Children and Families Scrutiny Panel",
		MeetingDate: asOf, PlanName: "Learning Report Action Plan", DueSoonDays: 28}, report.DefaultTemplate())
	if err != nil {
		t.Fatal(err)
	}
	var txt bytes.Buffer
	if err := document.WriteText(&txt, doc); err != nil {
		t.Fatal(err)
	}
	text := txt.String()
	for _, want := range []string{
		"from 2021/22 to 31 Mar 2023, 365 days later",
		"from 30 Sep 2020 to 31 Mar 2021, 182 days later",
		"Revised target: 31 Mar 2023 (was 2021/22)",
		"Reason for change: The 2021/22 planning cycle closed before the vision was agreed.",
		"completed 76 days after its target date", // 2.9
		"15 Dec 2020",
		"No update received. Previous update: Improvement Board is being reconstituted",
		hyperlink,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report's text lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("report:\n%s", text)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// TestMergeRejectsEditedLockedCell: an officer removes the protection and
// rewrites an action; the return is rejected, naming the cell.
func TestMergeRejectsEditedLockedCell(t *testing.T) {
	oct, err := workbook.ReadFile(october, workbook.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	o := open(t, returnsFor(t, oct)["Mike Harris"])
	if err := o.f.UnprotectSheet(returns.SheetName, workbook.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	cell := o.cell("4.4", returns.FieldAction)
	old := find(t, oct, "4.4").Text
	if err := o.f.SetCellStr(returns.SheetName, cell, "Review the ICT equipment next year."); err != nil {
		t.Fatal(err)
	}
	o.set("4.4", returns.FieldUpdate, "Reviewed.")
	r := o.send("harris.xlsx")
	res := returns.Merge(oct, []*returns.Return{r}, returns.Options{})
	if len(res.Rejected) != 1 {
		t.Fatalf("rejected %v", res.Rejected)
	}
	want := `harris.xlsx: sheet "Return", cell ` + cell + `: the action of 4.4 was changed from "` + old + `" to "Review the ICT equipment next year."`
	if msg := res.Rejected[0].Error(); !strings.Contains(msg, want) {
		t.Errorf("rejection:\n%s\nwant %s", msg, want)
	}
	if cell != "C4" { // Mike Harris's second action, below 2.11
		t.Errorf("4.4 is in %s, expected C4", cell)
	}
	if a := find(t, res.Statement, "4.4"); !strings.HasPrefix(a.Update, returns.NoUpdate) {
		t.Errorf("the rejected update was merged: %q", a.Update)
	}
}
