package returns

import (
	"strings"
	"time"

	"papers/internal/plan"
)

// Blank makes the returns for a quarter from the latest statement s: one
// for each lead owner, in the order the owners first appear in s, listing
// the actions they own (a joint action goes to each of its owners), then the
// combined return (Owner "") listing every action. Actions already complete
// in s are left out, and so is an owner with nothing left to do. The
// editable cells are blank.
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
			k := personKey(o)
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
	return Line{
		Ref:            a.Ref,
		Recommendation: rec,
		Action:         a.Text,
		Owner:          a.Owner,
		Target:         a.Schedule.Text,
		Previous:       a.Update,
	}
}

// personKey is the form in which two spellings of a lead owner's name
// compare equal: case and spacing ignored, and "Cllr", "Cllr." and
// "Councillor" the same title.
func personKey(name string) string {
	k := strings.ToLower(tidy(strings.TrimRight(strings.TrimSpace(name), ":.")))
	for _, t := range []string{"cllr. ", "cllr ", "councilor "} {
		if strings.HasPrefix(k, t) {
			k = "councillor " + strings.TrimPrefix(k, t)
		}
	}
	return k
}

// ownsAction reports whether a lead owner named owner is one of a's.
func ownsAction(a *plan.Action, owner string) bool {
	k := personKey(owner)
	for _, o := range a.Owners {
		if personKey(o) == k {
			return true
		}
	}
	return false
}
