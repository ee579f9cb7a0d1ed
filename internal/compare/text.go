package compare

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"papers/internal/plan"
)

// WriteText writes a summary for the terminal: what was compared, the
// counts, then the overdue, slipped, completed, new and removed actions and
// the possible matches for the clerk to check.
func WriteText(w io.Writer, c *plan.Comparison) error {
	if c == nil || c.Previous == nil || c.Current == nil {
		return errors.New("compare: no comparison to write")
	}
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	name := func(s *plan.Statement) string {
		switch {
		case s.Title == "":
			return s.File
		case s.File == "":
			return s.Title
		}
		return fmt.Sprintf("%s (%s)", s.Title, s.File)
	}

	p("Current:  %s\n", name(c.Current))
	p("Previous: %s\n", name(c.Previous))
	if c.Baseline != nil {
		p("Baseline: %s\n", name(c.Baseline))
	}
	p("Status as at %s.\n\n", c.AsOf.Format("2 January 2006"))

	s := c.Summary
	p("%s in the current statement: %d carried, %d new; %d removed since the previous statement.\n",
		plural(s.Total, "action"), s.ByChange[plan.ChangeCarried], s.ByChange[plan.ChangeNew], s.ByChange[plan.ChangeRemoved])
	for _, st := range plan.Statuses {
		if st == plan.StatusRemoved {
			continue
		}
		p("  %-22s %4d\n", st.Label(), s.ByStatus[st])
	}
	p("  %-22s %4d\n", "Completed this period", s.CompletedThisPeriod)
	p("  %-22s %4d\n", "Target moved later", s.Slipped)
	p("  %-22s %4d\n", "Update copied forward", s.UpdateCopied)
	p("  %-22s %4d\n", "Lead owner changed", s.OwnerChanged)
	p("  %-22s %4d\n", "Possible matches", s.PossibleMatches)

	section := func(title string, keep func(a *plan.ActionChange) bool, detail func(a *plan.ActionChange) string) {
		first := true
		for i := range c.Actions {
			a := &c.Actions[i]
			if !keep(a) {
				continue
			}
			if first {
				p("\n%s\n", title)
				first = false
			}
			p("  %-6s %s", a.Action.Ref, short(a.Action.Text, 60))
			if a.Action.Owner != "" {
				p(" (%s)", a.Action.Owner)
			}
			if d := detail(a); d != "" {
				p(": %s", d)
			}
			p("\n")
		}
	}
	current := func(a *plan.ActionChange) bool { return a.Change != plan.ChangeRemoved }

	section("Overdue", func(a *plan.ActionChange) bool { return current(a) && a.Status == plan.StatusOverdue },
		func(a *plan.ActionChange) string {
			d := fmt.Sprintf("target %s, %s overdue", a.Action.Target().Display(), plural(a.OverdueDays, "day"))
			if u := a.UpdateSays; u.State != "" && u.State != plan.UpdateNone {
				d += fmt.Sprintf("; the update says %s: “%s”", u.Phrase(c.AsOf), short(u.Quote, 100))
			}
			return d
		})
	section("Target moved later", func(a *plan.ActionChange) bool { return current(a) && a.Slipped() },
		func(a *plan.ActionChange) string {
			d := fmt.Sprintf("%s → %s, %s later", a.Previous.Target().Display(), a.Action.Target().Display(), plural(*a.SlipDays, "day"))
			if a.BaselineSlipDays != nil && *a.BaselineSlipDays != *a.SlipDays {
				d += fmt.Sprintf(" (%+d days against the plan as agreed)", *a.BaselineSlipDays)
			}
			if a.Action.IsComplete() {
				d += "; now complete"
			}
			return d
		})
	section("Target brought forward", func(a *plan.ActionChange) bool { return current(a) && a.BroughtForward() },
		func(a *plan.ActionChange) string {
			return fmt.Sprintf("%s → %s, %s earlier", a.Previous.Target().Display(), a.Action.Target().Display(), plural(-*a.SlipDays, "day"))
		})
	section("Completed this period", func(a *plan.ActionChange) bool { return current(a) && a.CompletedThisPeriod },
		func(a *plan.ActionChange) string {
			d := "complete"
			if !a.Action.Completed.IsZero() {
				d = "completed " + a.Action.Completed.Display()
			}
			if a.CompletedLateDays > 0 {
				d += fmt.Sprintf(", %s after its target", plural(a.CompletedLateDays, "day"))
			}
			return d
		})
	section("Update copied forward", func(a *plan.ActionChange) bool { return current(a) && a.UpdateCopied },
		func(*plan.ActionChange) string { return "" })
	section("Lead owner changed", func(a *plan.ActionChange) bool { return current(a) && a.OwnerChanged },
		func(a *plan.ActionChange) string { return "was " + a.Previous.Owner })
	section("New", func(a *plan.ActionChange) bool { return a.Change == plan.ChangeNew },
		func(a *plan.ActionChange) string { return target(a) })
	section("Removed (refs as in the previous statement)", func(a *plan.ActionChange) bool { return a.Change == plan.ChangeRemoved },
		func(a *plan.ActionChange) string { return target(a) })
	section("Reworded or moved (matched as similar)", func(a *plan.ActionChange) bool {
		return a.Match != nil && (a.Match.Reason == ReasonSimilarSame || a.Match.Reason == ReasonSimilarOther)
	}, func(a *plan.ActionChange) string {
		return fmt.Sprintf("was %s, %s, %.0f%%", a.Match.PreviousRef, a.Match.Reason, a.Match.Score*100)
	})
	section("Possible matches (reported as removed and new: please check)", func(a *plan.ActionChange) bool {
		return a.Change == plan.ChangeNew && a.PossibleMatch != nil
	}, func(a *plan.ActionChange) string {
		return fmt.Sprintf("may be %s in the previous statement (similarity %.0f%%)", a.PossibleMatch.PreviousRef, a.PossibleMatch.Score*100)
	})
	return b.Flush()
}

func target(a *plan.ActionChange) string {
	if t := a.Action.Target(); !t.IsZero() {
		return "target " + t.Display()
	}
	return "no target date"
}

func plural(n int, word string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// short keeps the first n characters of s, on a word boundary, ending "…"
// when cut.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ;:,.") + "…"
}
