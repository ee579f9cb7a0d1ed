// Package export writes papers' results in formats that other systems read:
// a comparison as a tabular diff (the daff / Frictionless Tabular Diff
// Format, a CSV that diff viewers, daff's patch and a spreadsheet all
// understand) and a meeting's agenda and papers as OParl 1.1 JSON, the
// German standard interface for council information systems.
package export

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"papers/internal/plan"
)

// tdiffColumns are the tabular diff's columns, after the action column.
var tdiffColumns = []string{"Ref", "Recommendation", "Action", "Lead owner(s)", "Target", "Status", "Update"}

// Action-column tags of the Tabular Diff Format.
const (
	tagHeader   = "@@"
	tagInserted = "+++"
	tagDeleted  = "---"
	tagModified = "->"
)

// WriteTDiff writes the comparison as a tabular diff of the previous
// statement's actions (LOCAL, in the format's terms) against the current
// one's (REMOTE): a header row tagged "@@", then one row per action in the
// comparison's order. A new action is tagged "+++" and a removed one "---";
// an action whose ref, recommendation, text, lead owner(s), target or update
// changed is tagged "->", each changed cell written "old->new"; an
// unchanged action has an empty tag. When a row's text itself contains
// "->", the row uses a longer arrow ("-->", "--->", ...) that none of its
// cells contains, in its tag and in its cells, as the format prescribes.
//
// Target is the target date as YYYY-MM-DD, or the officer's words when no
// date could be read from them. Status is the comparison's status as at its
// date ("Overdue", "On track", "Removed", ...): it belongs to the current
// statement only, so it is never written old->new.
//
// A cell that a spreadsheet would read as a formula (it starts with = + -
// or @) is written with a leading apostrophe: see CSVSafe.
func WriteTDiff(w io.Writer, c *plan.Comparison) error {
	if c == nil {
		return errors.New("tabular diff: no comparison")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{tagHeader}, tdiffColumns...)); err != nil {
		return err
	}
	for i := range c.Actions {
		ch := &c.Actions[i]
		var rec []string
		switch {
		case ch.Change == plan.ChangeNew:
			rec = append([]string{tagInserted}, tdiffRow(c.Current, &ch.Action, ch.Status)...)
		case ch.Change == plan.ChangeRemoved:
			rec = append([]string{tagDeleted}, tdiffRow(c.Previous, &ch.Action, ch.Status)...)
		case ch.Previous == nil:
			rec = append([]string{""}, tdiffRow(c.Current, &ch.Action, ch.Status)...)
		default:
			rec = modified(tdiffRow(c.Previous, ch.Previous, ch.Status), tdiffRow(c.Current, &ch.Action, ch.Status))
		}
		for i := 1; i < len(rec); i++ { // rec[0] is the format's own tag
			rec[i] = CSVSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// tdiffRow is an action's cells as a statement has it.
func tdiffRow(s *plan.Statement, a *plan.Action, st plan.Status) []string {
	rec := a.Recommendation
	if s != nil {
		if r, ok := s.Recommendation(a.Recommendation); ok {
			rec = r.Label()
		}
	}
	target := a.Target().ISO()
	if target == "" {
		target = a.Schedule.Text
	}
	return []string{a.Ref, rec, a.Text, a.Owner, target, st.Label(), a.Update}
}

// modified merges a carried action's previous and current cells: an
// unchanged row is context, a changed one is tagged with the shortest arrow
// that none of its values contains.
func modified(old, cur []string) []string {
	arrow := tagModified
	changed := false
	for i := range cur {
		if old[i] != cur[i] {
			changed = true
		}
	}
	if !changed {
		return append([]string{""}, cur...)
	}
	for clash := true; clash; {
		clash = false
		for i := range cur {
			if strings.Contains(old[i], arrow) || strings.Contains(cur[i], arrow) {
				clash = true
				arrow = "-" + arrow
				break
			}
		}
	}
	rec := []string{arrow}
	for i := range cur {
		if old[i] == cur[i] {
			rec = append(rec, cur[i])
		} else {
			rec = append(rec, old[i]+arrow+cur[i])
		}
	}
	return rec
}
