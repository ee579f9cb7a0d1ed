package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"papers/internal/document"
	"papers/internal/plan"
)

// Colours (GOV.UK palette) for statuses and RAG.
var statusColour = map[plan.Status]string{
	plan.StatusOverdue:      "D4351C",
	plan.StatusDueSoon:      "F47738",
	plan.StatusOnTrack:      "00703C",
	plan.StatusNoDate:       "B1B4B6",
	plan.StatusCompleteLate: "5694CA",
	plan.StatusComplete:     "1D70B8",
}

// ragFill is the light background a status cell gets for its derived RAG.
var ragFill = map[plan.RAG]string{
	plan.RAGRed:   "F6D7D2",
	plan.RAGAmber: "FCE4CC",
	plan.RAGGreen: "CCE2D8",
	plan.RAGBlue:  "D2E2F1",
}

func appendixHeading(n int) document.Heading {
	return document.Heading{Level: 1, Text: fmt.Sprintf("Appendix %d: %s", n, appendixTitles[n-1])}
}

// statusText is an action's status as the appendices print it. It is
// put together in one buffer: every row of the position statement has one.
func statusText(ix *index, a *plan.ActionChange) string {
	b := make([]byte, 0, 64)
	switch a.Status {
	case plan.StatusOverdue:
		b = append(b, "Overdue by "...)
		b = appendDayCount(b, a.OverdueDays)
	case plan.StatusCompleteLate:
		b = append(b, "Complete, "...)
		b = appendDayCount(b, a.CompletedLateDays)
		b = append(b, " late"...)
	default:
		b = append(b, a.Status.Label()...)
	}
	if !a.Action.Completed.IsZero() {
		b = append(b, '\n')
		b = append(b, ix.display(a.Action.Completed)...)
	}
	if a.RAG != plan.RAGNone {
		b = append(b, "\nRAG: "...)
		b = append(b, a.RAG...)
	}
	if a.ReportedRAG != plan.RAGNone && a.ReportedRAG != a.RAG {
		b = append(b, "\n(officer: "...)
		b = append(b, a.ReportedRAG...)
		b = append(b, ')')
	}
	return string(b)
}

// dayCount is "1 day" or "n days".
func dayCount(n int) string { return string(appendDayCount(make([]byte, 0, 24), n)) }

// appendDayCount appends "1 day" or "n days".
func appendDayCount(b []byte, n int) []byte {
	if n == 1 {
		return append(b, "1 day"...)
	}
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " days"...)
}

func signedDays(p *int) string {
	switch {
	case p == nil:
		return ""
	case *p > 0:
		return "+" + strconv.Itoa(*p)
	default:
		return strconv.Itoa(*p)
	}
}

// rowCells hands out the cells of a table's rows from blocks of many rows
// each: a 20,000-row table then makes a few dozen allocations for its
// cells, not 20,000.
type rowCells struct{ free []document.Cell }

// row returns cells as a row's own slice.
func (rc *rowCells) row(cells ...document.Cell) []document.Cell {
	if cap(rc.free)-len(rc.free) < len(cells) {
		rc.free = make([]document.Cell, 0, 512*len(cells))
	}
	n := len(rc.free)
	rc.free = append(rc.free, cells...)
	return rc.free[n:len(rc.free):len(rc.free)]
}

// appendixPosition is the position statement: every current action under its
// recommendation.
func appendixPosition(c *plan.Comparison, ix *index) []document.Block {
	t := document.Table{Columns: []document.Column{
		{Title: "Recommendation", Width: 17},
		{Title: "Ref", Width: 4.5},
		{Title: "Action", Width: 24},
		{Title: "Lead owner(s)", Width: 11},
		{Title: "Start / target date", Width: 11},
		{Title: "Status", Width: 10},
		{Title: "Update", Width: 32},
	}}
	rows := 0
	for i := range c.Actions {
		if c.Actions[i].Change != plan.ChangeRemoved {
			rows++
		}
	}
	t.Rows = make([]document.Row, 0, rows)
	var cells rowCells
	prevRec := "\x00"
	for i := range c.Actions {
		a := &c.Actions[i]
		if a.Change == plan.ChangeRemoved {
			continue
		}
		rec := document.Cell{Text: ix.recLabel[a.Action.Recommendation], Merge: document.MergeStart}
		if a.Action.Recommendation == prevRec {
			rec = document.Cell{Merge: document.MergeContinue}
		}
		prevRec = a.Action.Recommendation
		update := a.Action.Update
		for _, f := range a.Action.Extra {
			if strings.TrimSpace(f.Value) != "" {
				update += "\n" + f.Name + ": " + f.Value
			}
		}
		t.Rows = append(t.Rows, document.Row{Cells: cells.row(
			rec,
			document.Cell{Text: a.Action.Ref},
			document.Cell{Text: a.Action.Text},
			document.Cell{Text: a.Action.Owner},
			document.Cell{Text: a.Action.Schedule.Text},
			document.Cell{Text: statusText(ix, a), Fill: ragFill[a.RAG]},
			document.Cell{Text: update},
		)})
	}
	blocks := []document.Block{
		appendixHeading(1),
		document.Text(fmt.Sprintf("%s, as at %s. Status is worked out from each action's target and completion dates as at that date.",
			cmp.Or(c.Current.Title, c.Current.File), longDate(c.AsOf))),
	}
	if len(t.Rows) == 0 {
		return append(blocks, document.Text("The statement holds no actions."))
	}
	return append(blocks, t)
}

// appendixChanges lists what changed since the previous statement.
func appendixChanges(c *plan.Comparison, ix *index) []document.Block {
	t := document.Table{Columns: []document.Column{
		{Title: "Ref", Width: 5},
		{Title: "Action", Width: 34},
		{Title: "Lead owner(s)", Width: 13},
		{Title: "Change", Width: 14},
		{Title: "Detail", Width: 34},
	}}
	var cells rowCells
	var changes [][2]string
	for i := range c.Actions {
		a := &c.Actions[i]
		changes = changesOf(ix, a, changes[:0])
		for _, ch := range changes {
			t.Rows = append(t.Rows, document.Row{Cells: cells.row(
				document.Cell{Text: a.Action.Ref}, document.Cell{Text: a.Action.Text}, document.Cell{Text: a.Action.Owner},
				document.Cell{Text: ch[0], Bold: true}, document.Cell{Text: ch[1]},
			)})
		}
	}
	blocks := []document.Block{
		appendixHeading(2),
		document.Text(fmt.Sprintf("%s compared with %s. Actions are matched by their text; a match that is not certain is shown as removed and new, for the clerk to check.",
			cmp.Or(c.Current.Title, c.Current.File), cmp.Or(c.Previous.Title, c.Previous.File))),
	}
	if len(t.Rows) == 0 {
		return append(blocks, document.Text(noChanges(c)))
	}
	return append(blocks, t)
}

// noChanges says what did and did not change when no action was added,
// removed, completed, moved, reworded or given a new lead owner: often
// only the updates changed, which Appendix 1 gives.
func noChanges(c *plan.Comparison) string {
	updated := 0
	for i := range c.Actions {
		if a := &c.Actions[i]; a.Change != plan.ChangeRemoved && a.UpdateChanged {
			updated++
		}
	}
	switch {
	case updated == 0:
		return "Nothing has changed since the previous statement: no action was added, removed, completed or moved, and no update is new."
	case updated == 1:
		return "No action was added, removed, completed, moved or reworded, and no lead owner changed. One action's update is new: Appendix 1 gives it."
	default:
		return fmt.Sprintf("No action was added, removed, completed, moved or reworded, and no lead owner changed. The updates of %d actions are new: Appendix 1 gives them.", updated)
	}
}

// changesOf appends an action's changes to out as (change, detail) pairs.
func changesOf(ix *index, a *plan.ActionChange, out [][2]string) [][2]string {
	possible := func() string {
		if a.PossibleMatch == nil {
			return ""
		}
		other := a.PossibleMatch.CurrentRef
		if a.Change == plan.ChangeNew {
			other = a.PossibleMatch.PreviousRef
		}
		return fmt.Sprintf(" Possible match: %s (similarity %.0f%%) — please check.", other, a.PossibleMatch.Score*100)
	}
	switch a.Change {
	case plan.ChangeNew:
		out = append(out, [2]string{"New", "Not in the previous statement." + possible()})
	case plan.ChangeRemoved:
		return append(out, [2]string{"Removed", "No longer in the plan." + possible()})
	}
	if a.CompletedThisPeriod {
		d := "Completed " + ix.display(a.Action.Completed)
		if a.Action.Completed.IsZero() {
			d = "Marked complete, with no date completed"
			if a.Action.CompleteFrom != "" {
				d += " (" + a.Action.CompleteFrom + ")"
			}
		}
		if a.CompletedLateDays > 0 {
			d += ", " + dayCount(a.CompletedLateDays) + " after its target date"
		}
		out = append(out, [2]string{"Completed", d + "."})
	}
	if a.TargetMoved() && a.Previous != nil {
		word := "later"
		if a.BroughtForward() {
			word = "earlier"
		}
		n := *a.SlipDays
		if n < 0 {
			n = -n
		}
		out = append(out, [2]string{"Target moved", "From " + ix.targetText(a.Previous.Schedule.Target) +
			" to " + ix.targetText(a.Action.Schedule.Target) + ": " + dayCount(n) + " " + word + "."})
	}
	if a.TargetLost() {
		out = append(out, [2]string{"Target date lost", fmt.Sprintf("Was %s; now %q, which gives no date: ask the lead owner for one.",
			ix.targetText(a.Previous.Schedule.Target), a.Action.Schedule.Text)})
	}
	if a.OwnerChanged && a.Previous != nil {
		out = append(out, [2]string{"Lead owner changed", "Was " + a.Previous.Owner + "."})
	}
	if a.UpdateCopied {
		out = append(out, [2]string{"Update unchanged", "The update is word for word the previous statement's."})
	}
	if a.Match != nil && a.Match.Score < 1 && a.Match.PreviousRef != a.Action.Ref {
		out = append(out, [2]string{"Reworded or moved", fmt.Sprintf("Matched to %s in the previous statement (%s, %.0f%%).",
			a.Match.PreviousRef, a.Match.Reason, a.Match.Score*100)})
	} else if a.Match != nil && a.Match.Score < 1 {
		out = append(out, [2]string{"Reworded", fmt.Sprintf("Wording changed (%s, %.0f%%).", a.Match.Reason, a.Match.Score*100)})
	}
	return out
}

// appendixExceptions lists overdue actions and moved targets, with days.
func appendixExceptions(c *plan.Comparison, ix *index) []document.Block {
	var rows []*plan.ActionChange
	for i := range c.Actions {
		a := &c.Actions[i]
		if a.Change == plan.ChangeRemoved {
			continue
		}
		if a.Status == plan.StatusOverdue || a.TargetMoved() || a.MovedFromBaseline() || a.TargetLost() {
			rows = append(rows, a)
		}
	}
	slices.SortStableFunc(rows, func(a, b *plan.ActionChange) int {
		return cmp.Or(cmp.Compare(b.OverdueDays, a.OverdueDays), cmp.Compare(days(b.SlipDays), days(a.SlipDays)))
	})
	t := document.Table{Columns: []document.Column{
		{Title: "Ref", Width: 5},
		{Title: "Action", Width: 22},
		{Title: "Lead owner(s)", Width: 11},
		{Title: "Agreed target", Width: 8},
		{Title: "Previous target", Width: 8},
		{Title: "Current target", Width: 8},
		{Title: "Moved (days)", Width: 6, Align: document.Right},
		{Title: "Moved since agreed (days)", Width: 7, Align: document.Right},
		{Title: "Overdue (days)", Width: 6, Align: document.Right},
		{Title: "The update says (not confirmed)", Width: 19},
	}}
	t.Rows = make([]document.Row, 0, len(rows))
	var cells rowCells
	for _, a := range rows {
		agreed, previous := "", ""
		if a.Baseline != nil {
			agreed = ix.targetText(a.Baseline.Schedule.Target)
		}
		if a.Previous != nil {
			previous = ix.targetText(a.Previous.Schedule.Target)
		}
		overdue, says := "", ""
		if a.Status == plan.StatusOverdue {
			overdue = strconv.Itoa(a.OverdueDays)
			says = updateSaysText(ix, a.UpdateSays)
		}
		t.Rows = append(t.Rows, document.Row{Cells: cells.row(
			document.Cell{Text: a.Action.Ref}, document.Cell{Text: a.Action.Text}, document.Cell{Text: a.Action.Owner},
			document.Cell{Text: agreed}, document.Cell{Text: previous}, document.Cell{Text: ix.targetText(a.Action.Schedule.Target)},
			document.Cell{Text: signedDays(a.SlipDays)}, document.Cell{Text: signedDays(a.BaselineSlipDays)},
			document.Cell{Text: overdue, Bold: overdue != "", Fill: ragFill[a.RAG]},
			document.Cell{Text: says},
		)})
	}
	blocks := []document.Block{
		appendixHeading(3),
		document.Text(fmt.Sprintf("Actions past their target date as at %s, and actions whose target date has moved. Days moved are the current target less the previous (or agreed) target: positive is later. "+
			"Beside each overdue action is what its lead owner's update reports, in the officer's words; an action reported done is counted as complete only when a date completed is given.",
			longDate(c.AsOf))),
	}
	if len(t.Rows) == 0 {
		return append(blocks, document.Text("No action is overdue and no target date has moved."))
	}
	return append(blocks, t)
}

// appendixOwners lists the lead owners, their roles and their actions' position.
func appendixOwners(c *plan.Comparison, ix *index) []document.Block {
	type tally struct {
		name, role                  string
		led, overdue, complete, due int
	}
	var order []string
	tallies := map[string]*tally{}
	get := func(name string) *tally {
		k := ix.ownerKey(name)
		if tallies[k] == nil {
			tallies[k] = &tally{name: ix.ownerName(name)}
			order = append(order, k)
		}
		return tallies[k]
	}
	for _, o := range ix.owners {
		get(o.Name).role = o.Role
	}
	for i := range c.Actions {
		a := &c.Actions[i]
		if a.Change == plan.ChangeRemoved {
			continue
		}
		for _, o := range a.Action.Owners {
			t := get(o)
			t.led++
			switch a.Status {
			case plan.StatusOverdue:
				t.overdue++
			case plan.StatusComplete, plan.StatusCompleteLate:
				t.complete++
			case plan.StatusDueSoon:
				t.due++
			}
		}
	}
	tbl := document.Table{Columns: []document.Column{
		{Title: "Lead owner", Width: 20},
		{Title: "Role", Width: 36},
		{Title: "Actions led", Width: 11, Align: document.Right},
		{Title: "Complete", Width: 11, Align: document.Right},
		{Title: "Due soon", Width: 11, Align: document.Right},
		{Title: "Overdue", Width: 11, Align: document.Right},
	}}
	for _, k := range order {
		t := tallies[k]
		role := t.role
		if role == "" {
			role = "Role not given"
		}
		tbl.Rows = append(tbl.Rows, document.Row{Cells: []document.Cell{
			{Text: t.name, Bold: true}, {Text: role},
			{Text: fmt.Sprint(t.led)}, {Text: fmt.Sprint(t.complete)}, {Text: fmt.Sprint(t.due)},
			{Text: fmt.Sprint(t.overdue), Fill: map[bool]string{true: ragFill[plan.RAGRed]}[t.overdue > 0]},
		}})
	}
	blocks := []document.Block{
		appendixHeading(4),
		document.Text("Lead owners named in the plan, their roles and the position of the actions they lead. Joint actions count for each owner."),
	}
	if len(tbl.Rows) == 0 {
		return append(blocks, document.Text("The plan names no lead owners."))
	}
	return append(blocks, tbl)
}

// maxChartBars is the most recommendations the chart shows.
const maxChartBars = 30

// chartSeries are the chart's segments: the statuses, with overdue in two,
// those whose update reports them done or booked and the rest.
var chartSeries = []struct {
	name   string
	colour string
	status plan.Status
	met    bool // overdue only: the update reports it met (plan.UpdateSays.ReportsMet)
}{
	{plan.StatusComplete.Label(), statusColour[plan.StatusComplete], plan.StatusComplete, false},
	{plan.StatusCompleteLate.Label(), statusColour[plan.StatusCompleteLate], plan.StatusCompleteLate, false},
	{plan.StatusOnTrack.Label(), statusColour[plan.StatusOnTrack], plan.StatusOnTrack, false},
	{plan.StatusDueSoon.Label(), statusColour[plan.StatusDueSoon], plan.StatusDueSoon, false},
	{"Overdue (reported done or booked)", reportedColour, plan.StatusOverdue, true},
	{"Overdue (not reported done)", statusColour[plan.StatusOverdue], plan.StatusOverdue, false},
	{plan.StatusNoDate.Label(), statusColour[plan.StatusNoDate], plan.StatusNoDate, false},
}

// reportedColour is the overdue actions whose updates report them done or
// booked (GOV.UK pink: apart from the red of the rest).
const reportedColour = "912B88"

// seriesOf is the chart series an action is counted in, or -1.
func seriesOf(a *plan.ActionChange) int {
	met := a.Status == plan.StatusOverdue && a.UpdateSays.ReportsMet()
	for j, s := range chartSeries {
		if s.status == a.Status && s.met == met {
			return j
		}
	}
	return -1
}

// statusChart counts each recommendation's actions by status, overdue
// actions in two: those whose updates report them done or booked (not yet
// confirmed: still overdue), and the rest.
func statusChart(c *plan.Comparison, ix *index) document.Chart {
	pos := map[string]int{}
	var cats []string
	for _, r := range ix.recs {
		pos[r.Ref] = len(cats)
		cats = append(cats, cmp.Or(r.Title, "Recommendation "+r.Ref))
	}
	values := make([][]float64, len(chartSeries))
	for i := range values {
		values[i] = make([]float64, len(cats))
	}
	for i := range c.Actions {
		a := &c.Actions[i]
		if a.Change == plan.ChangeRemoved {
			continue
		}
		p, ok := pos[a.Action.Recommendation]
		if !ok {
			p = len(cats)
			pos[a.Action.Recommendation] = p
			cats = append(cats, "Recommendation "+a.Action.Recommendation)
			for j := range values {
				values[j] = append(values[j], 0)
			}
		}
		if j := seriesOf(a); j >= 0 {
			values[j][p]++
		}
	}
	ch := document.Chart{Title: "Status of actions by recommendation, as at " + longDate(c.AsOf), Categories: cats}
	// A chart of more bars than a page holds helps nobody: show the first
	// maxChartBars and say so; the appendices list every action.
	if len(cats) > maxChartBars {
		ch.Title += fmt.Sprintf(" (the first %d of %d recommendations)", maxChartBars, len(cats))
		cats = cats[:maxChartBars]
		ch.Categories = cats
		for j := range values {
			values[j] = values[j][:maxChartBars]
		}
	}
	for j, s := range chartSeries {
		ch.Series = append(ch.Series, document.Series{Name: s.name, Color: s.colour, Values: values[j]})
	}
	var parts []string
	for p, cat := range cats {
		var segs []string
		for j, s := range chartSeries {
			if v := values[j][p]; v > 0 {
				segs = append(segs, fmt.Sprintf("%g %s", v, strings.ToLower(s.name)))
			}
		}
		if len(segs) == 0 {
			segs = []string{"no actions"}
		}
		parts = append(parts, cat+": "+strings.Join(segs, ", "))
	}
	ch.Caption = strings.Join(parts, "; ") + "."
	return ch
}

// updateSaysText is what an update reports, as appendix 3 shows it:
// "Done on 8 Oct 2020: “Improvement plan was reviewed …”", or "" when it
// reports nothing clear.
func updateSaysText(ix *index, u plan.UpdateSays) string {
	if u.State == "" || u.State == plan.UpdateNone {
		return ""
	}
	p := u.Phrase(ix.asOf)
	return strings.ToUpper(p[:1]) + p[1:] + ": “" + u.Quote + "”"
}
