package returns

import (
	"strings"
	"time"

	"papers/internal/plan"
	"papers/internal/updates"
)

// Blank makes the returns for a quarter from the latest statement s: one
// for each lead owner, in the order the owners first appear in s, listing
// the actions they own (a joint action goes to each of its owners), then the
// combined return (Owner "") listing every action. Actions already complete
// in s are left out, and so is an owner with nothing left to do. The
// editable cells are blank, but for a Date completed suggested by the
// previous update (Suggest).
func Blank(s *plan.Statement, quarter Quarter, deadline time.Time) []*Return {
	mk := func(owner string) *Return {
		return &Return{Sheet: SheetName, Owner: owner, Quarter: quarter.String(), Deadline: deadline,
			Title: s.Title, Based: s.File}
	}
	var (
		out   []*Return
		byKey = map[string]*Return{}
		all   = mk("")
	)
	for i := range s.Actions {
		a := &s.Actions[i]
		if a.IsComplete() {
			continue
		}
		line := lineFor(s, a)
		all.Lines = append(all.Lines, line)
		for _, o := range a.Owners {
			k := plan.OwnerKey(o)
			r := byKey[k]
			if r == nil {
				r = mk(o)
				byKey[k] = r
				out = append(out, r)
			}
			r.Lines = append(r.Lines, line)
		}
	}
	return append(out, all)
}

// SheetName is the name of a return's sheet.
const SheetName = "Return"

// lineFor is an action's line as a return shows it before it is filled in:
// the locked cells.
func lineFor(s *plan.Statement, a *plan.Action) Line {
	rec := a.Recommendation
	if r, ok := s.Recommendation(a.Recommendation); ok {
		rec = r.Label()
	}
	sg := Suggest(a)
	return Line{
		Ref:            a.Ref,
		Recommendation: rec,
		Action:         a.Text,
		Owner:          a.Owner,
		Target:         a.Schedule.Text,
		Previous:       a.Update,
		Completed:      sg.Date,
		Suggested:      sg.Date,
		Suggestion:     sg.Text,
	}
}

// Suggestion is what an action's previous update suggests for its Date
// completed.
type Suggestion struct {
	// Date is the day the update reports the action done on (a month's
	// last day, for "in October 2020"), as the cell holds it; zero when it
	// gives none.
	Date plan.TargetDate
	// Text is the return's locked cell beside it: what the update says,
	// quoted, and what to do. "" when the update reports nothing done.
	Text string
}

// Suggest reads a's update (package updates) for a Date completed to
// suggest: the date it reports the action done on, filled in for the lead
// owner to keep or clear. An update reporting it done with no date, or
// booked where the target is to book, gets the quote and a request for the
// date, with nothing filled in. Anything else suggests nothing.
func Suggest(a *plan.Action) Suggestion {
	u := updates.Read(a)
	if !u.ReportsMet() {
		return Suggestion{}
	}
	said := "your last update says " + u.Phrase(time.Time{}) + ": “" + u.Quote + "”"
	if u.State == plan.UpdateDone && !u.Date.IsZero() {
		// The cell holds a day, as a date typed in it would: October 2020
		// is filled in as 31/10/2020, and the text quoted says "in Oct 2020".
		day := u.Date.Date.Format("02/01/2006")
		return Suggestion{Date: plan.TargetDate{Date: u.Date.Date, Precision: plan.PrecisionDay, Text: day},
			Text: filledIn + day + ", as " + said + " If it was completed then, leave the date and choose Complete under Status; if not, clear the date."}
	}
	return Suggestion{Text: strings.ToUpper(said[:1]) + said[1:] + " If the action is complete, type the date it was completed."}
}

// filledIn opens a suggestion's text when a date was filled in, which
// SuggestedDate reads back.
const filledIn = "Filled in: "

// SuggestedDate reads the date filled in from a suggestion's text (a
// return's locked cell), or a zero date.
func SuggestedDate(text string) plan.TargetDate {
	rest, ok := strings.CutPrefix(text, filledIn)
	if !ok {
		return plan.TargetDate{}
	}
	d, _, _ := strings.Cut(rest, ",")
	t, err := time.Parse("02/01/2006", d)
	if err != nil {
		return plan.TargetDate{}
	}
	return plan.TargetDate{Date: t, Precision: plan.PrecisionDay, Text: d}
}

// ownsAction reports whether a lead owner named owner is one of a's.
func ownsAction(a *plan.Action, owner string) bool {
	for _, o := range a.Owners {
		if plan.SameOwner(o, owner) {
			return true
		}
	}
	return false
}
