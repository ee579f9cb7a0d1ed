package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"papers/internal/document"
	"papers/internal/plan"
)

// Item is one action as the cover report's wording mentions it. Text fields
// are escaped for the template's markup.
type Item struct {
	Ref            string
	Short          string // the action's first words
	Owner          string
	Target         string
	PreviousTarget string
	BaselineTarget string
	Days           int // overdue days, slip days or days completed late, as the list says
	BaselineDays   int
}

// OwnerCount is a lead owner and how many actions of a list they lead.
type OwnerCount struct {
	Name  string
	Count int
}

// coverData is what the cover template may use (see README).
type coverData struct {
	Meta
	Date                string
	AsOf                string
	DueSoonBy           string
	Previous, Current   plan.StatementRef
	Baseline            plan.StatementRef
	HasBaseline         bool
	SamePrevious        bool // the previous statement is the baseline plan itself
	Total               int
	Count               map[string]int
	CompletedThisPeriod []Item
	Overdue             []Item
	OverdueOwners       []OwnerCount
	DueSoon             []Item
	Slipped             []Item
	New                 []Item
	Removed             []Item
	Copied              []Item
	TargetLost          []Item // had a target date last time, none that can be read now
	PossibleMatches     []Item
	Appendices          []string
}

var funcs = template.FuncMap{
	"upper": strings.ToUpper,
	"inc":   func(i int) int { return i + 1 },
	// plural 3 "action" → "3 actions"; plural 1 "action" → "1 action".
	"plural": func(n int, noun string) string {
		if n == 1 {
			return "1 " + noun
		}
		return fmt.Sprintf("%d %ss", n, noun)
	},
	"isare":   func(n int) string { return pick(n, "is", "are") },
	"wasWere": func(n int) string { return pick(n, "was", "were") },
	"hasHave": func(n int) string { return pick(n, "has", "have") },
	"their":   func(n int) string { return pick(n, "its", "their") },
	"pick":    pick,
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func coverBlocks(c *plan.Comparison, meta Meta, tpl Template, ix *index, chart *document.Chart) ([]document.Block, error) {
	// Comments go before the template runs, so officers' text can never
	// open one and hide the rest of the report.
	t, err := template.New(tpl.Name).Funcs(funcs).Option("missingkey=error").Parse(stripComments(tpl.Text))
	if err != nil {
		return nil, fmt.Errorf("cover report wording: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, newCoverData(c, meta)); err != nil {
		return nil, fmt.Errorf("cover report wording: %w", err)
	}
	return parseMarkup(tpl.Name, b.String(), chart)
}

func newCoverData(c *plan.Comparison, meta Meta) coverData {
	d := coverData{
		Meta:      meta,
		Date:      longDate(meta.MeetingDate),
		AsOf:      longDate(c.AsOf),
		DueSoonBy: longDate(c.AsOf.AddDate(0, 0, meta.DueSoonDays)),
		Previous:  plan.StatementRef{File: esc(c.Previous.File), Title: esc(c.Previous.Title)},
		Current:   plan.StatementRef{File: esc(c.Current.File), Title: esc(c.Current.Title)},
		Count:     map[string]int{},
	}
	if c.Baseline != nil {
		d.HasBaseline = true
		d.Baseline = plan.StatementRef{File: esc(c.Baseline.File), Title: esc(c.Baseline.Title)}
		d.SamePrevious = c.Baseline.File == c.Previous.File
	}
	for _, s := range plan.Statuses {
		d.Count[string(s)] = 0
	}
	for _, ch := range []plan.Change{plan.ChangeNew, plan.ChangeRemoved, plan.ChangeCarried} {
		d.Count[string(ch)] = 0
	}
	owners := map[string]*OwnerCount{}
	for i := range c.Actions {
		a := &c.Actions[i]
		d.Count[string(a.Status)]++
		d.Count[string(a.Change)]++
		if a.Change == plan.ChangeRemoved {
			d.Removed = append(d.Removed, item(a, 0))
			if a.PossibleMatch != nil {
				d.PossibleMatches = append(d.PossibleMatches, item(a, 0))
			}
			continue
		}
		d.Total++
		if a.CompletedThisPeriod {
			d.CompletedThisPeriod = append(d.CompletedThisPeriod, item(a, a.CompletedLateDays))
		}
		switch a.Status {
		case plan.StatusOverdue:
			d.Overdue = append(d.Overdue, item(a, a.OverdueDays))
			for _, o := range a.Action.Owners {
				k := ownerKey(o)
				if owners[k] == nil {
					owners[k] = &OwnerCount{Name: esc(o)}
				}
				owners[k].Count++
			}
		case plan.StatusDueSoon:
			d.DueSoon = append(d.DueSoon, item(a, 0))
		}
		if a.Slipped() && !a.Action.IsComplete() {
			d.Slipped = append(d.Slipped, item(a, days(a.SlipDays)))
		}
		if a.Change == plan.ChangeNew {
			d.New = append(d.New, item(a, 0))
		}
		if a.UpdateCopied {
			d.Copied = append(d.Copied, item(a, 0))
		}
		if lostTarget(a) {
			it := item(a, 0)
			it.Target = esc(a.Action.Schedule.Text)
			d.TargetLost = append(d.TargetLost, it)
		}
	}
	d.Count["complete"] += d.Count[string(plan.StatusCompleteLate)]
	d.Count["slipped"] = len(d.Slipped)
	d.Count["copied"] = len(d.Copied)
	d.Count["target_lost"] = len(d.TargetLost)
	d.Count["completed_this_period"] = len(d.CompletedThisPeriod)
	d.Count["possible_matches"] = len(d.PossibleMatches)
	// Most overdue first; ties in plan order.
	slices.SortStableFunc(d.Overdue, func(a, b Item) int { return cmp.Compare(b.Days, a.Days) })
	slices.SortStableFunc(d.Slipped, func(a, b Item) int { return cmp.Compare(b.Days, a.Days) })
	for _, o := range owners {
		d.OverdueOwners = append(d.OverdueOwners, *o)
	}
	slices.SortFunc(d.OverdueOwners, func(a, b OwnerCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	d.Appendices = appendixTitles
	return d
}

func item(a *plan.ActionChange, n int) Item {
	it := Item{
		Ref:    esc(a.Action.Ref),
		Short:  esc(shorten(a.Action.Text, 14)),
		Owner:  esc(a.Action.Owner),
		Target: esc(targetText(a.Action.Schedule.Target)),
		Days:   n,
	}
	if a.Previous != nil {
		it.PreviousTarget = esc(targetText(a.Previous.Schedule.Target))
	}
	if a.Baseline != nil {
		it.BaselineTarget = esc(targetText(a.Baseline.Schedule.Target))
	}
	if a.BaselineSlipDays != nil && *a.BaselineSlipDays > 0 && (a.SlipDays == nil || *a.BaselineSlipDays != *a.SlipDays) {
		it.BaselineDays = *a.BaselineSlipDays
	}
	return it
}

// shorten keeps an action's first n words, ending with "…" when cut.
func shorten(s string, n int) string {
	s = strings.TrimRight(strings.TrimSpace(s), ";:.,")
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.TrimRight(strings.Join(words[:n], " "), ";:,.") + "…"
}

func targetText(t plan.TargetDate) string {
	if t.IsZero() {
		return "no date"
	}
	return t.Display()
}
