package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

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
	// Says is what the action's update reports, in a few words ("done on
	// 8 Oct 2020", "booked for 12 Nov 2020, a date now passed", "in
	// progress"), and Quote the officer's words it was read from (cut
	// after 45 words); both "" when the update reports nothing clear.
	Says  string
	Quote string
}

// OwnerCount is a lead owner and how many actions of a list they lead.
type OwnerCount struct {
	Name  string
	Count int
}

// coverData is what the cover template may use (see README).
type coverData struct {
	Meta
	Date              string
	AsOf              string
	DueSoonBy         string
	Previous, Current plan.StatementRef
	Baseline          plan.StatementRef
	HasBaseline       bool
	SamePrevious      bool // the previous statement is the baseline plan itself
	// Since and Before name what the report compares with, for "moved later
	// since …" and "in … but no longer": the last statement, or in a first
	// quarter the plan as agreed.
	Since, Before       string
	Total               int
	Count               map[string]int
	CompletedThisPeriod []Item
	Overdue             []Item
	OverdueReported     []Item // overdue, and the update reports it done (or booked, where the target is to book)
	OverdueNotReported  []Item // overdue, and the update does not
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
		return strconv.Itoa(n) + " " + noun + "s"
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
	data := newCoverData(c, meta, ix)
	var b strings.Builder
	// In a large plan the cover lists thousands of actions: the builder is
	// sized for them once rather than doubling as it fills.
	b.Grow(len(tpl.Text) + data.listedSize())
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("cover report wording: %w", err)
	}
	return parseMarkup(tpl.Name, b.String(), chart)
}

func newCoverData(c *plan.Comparison, meta Meta, ix *index) coverData {
	d := coverData{
		Meta:      meta,
		Date:      longDate(meta.MeetingDate),
		AsOf:      longDate(c.AsOf),
		DueSoonBy: longDate(c.AsOf.AddDate(0, 0, meta.DueSoonDays)),
		Previous:  plan.StatementRef{File: esc(c.Previous.File), Title: esc(c.Previous.Title)},
		Current:   plan.StatementRef{File: esc(c.Current.File), Title: esc(c.Current.Title)},
		Count:     map[string]int{},
	}
	// The longest lists hold thousands of items in a large plan: their
	// sizes from the summary (a hint only; the lists are worked out below).
	d.Overdue = make([]Item, 0, c.Summary.ByStatus[plan.StatusOverdue])
	d.Slipped = make([]Item, 0, c.Summary.Slipped)
	d.New = make([]Item, 0, c.Summary.ByChange[plan.ChangeNew])
	d.Removed = make([]Item, 0, c.Summary.ByChange[plan.ChangeRemoved])
	if c.Baseline != nil {
		d.HasBaseline = true
		d.Baseline = plan.StatementRef{File: esc(c.Baseline.File), Title: esc(c.Baseline.Title)}
		d.SamePrevious = c.ComparedWithBaseline()
	}
	d.Since, d.Before = "the last statement", "the last statement"
	if d.SamePrevious {
		d.Since, d.Before = "the plan was agreed", "the plan as agreed"
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
			d.Removed = append(d.Removed, item(ix, a, 0))
			if a.PossibleMatch != nil {
				d.PossibleMatches = append(d.PossibleMatches, item(ix, a, 0))
			}
			continue
		}
		d.Total++
		if a.CompletedThisPeriod {
			d.CompletedThisPeriod = append(d.CompletedThisPeriod, item(ix, a, a.CompletedLateDays))
		}
		switch a.Status {
		case plan.StatusOverdue:
			it := item(ix, a, a.OverdueDays)
			d.Overdue = append(d.Overdue, it)
			if a.UpdateSays.ReportsMet() {
				d.OverdueReported = append(d.OverdueReported, it)
			} else {
				d.OverdueNotReported = append(d.OverdueNotReported, it)
			}
			for _, o := range a.Action.Owners {
				k := ix.ownerKey(o)
				if owners[k] == nil {
					owners[k] = &OwnerCount{Name: esc(ix.ownerName(o))}
				}
				owners[k].Count++
			}
		case plan.StatusDueSoon:
			d.DueSoon = append(d.DueSoon, item(ix, a, 0))
		}
		if a.SlippedOpen() {
			d.Slipped = append(d.Slipped, item(ix, a, days(a.SlipDays)))
		}
		if a.Change == plan.ChangeNew {
			d.New = append(d.New, item(ix, a, 0))
		}
		if a.UpdateCopied {
			d.Copied = append(d.Copied, item(ix, a, 0))
		}
		if a.TargetLost() {
			it := item(ix, a, 0)
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
	d.Count["overdue_reported"] = len(d.OverdueReported)
	d.Count["overdue_not_reported"] = len(d.OverdueNotReported)
	// Most overdue first; ties in plan order.
	for _, list := range [][]Item{d.Overdue, d.OverdueReported, d.OverdueNotReported} {
		slices.SortStableFunc(list, func(a, b Item) int { return cmp.Compare(b.Days, a.Days) })
	}
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

// listedSize estimates what the built-in wording writes for the actions it
// lists: their fields and about 48 bytes of words each. A council's own
// wording may list more, and the builder then grows as it would anyway.
func (d *coverData) listedSize() int {
	n := 0
	for _, list := range [][]Item{d.CompletedThisPeriod, d.Overdue, d.Slipped, d.TargetLost, d.New, d.Removed} {
		for i := range list {
			it := &list[i]
			n += len(it.Ref) + len(it.Short) + len(it.Owner) + len(it.Target) + len(it.PreviousTarget) + 48
		}
	}
	// The built-in wording lists overdue actions in two parts, with what
	// their updates say.
	for i := range d.Overdue {
		it := &d.Overdue[i]
		n += len(it.Says) + len(it.Quote) + 32
	}
	return n
}

func item(ix *index, a *plan.ActionChange, n int) Item {
	it := Item{
		Ref:    esc(a.Action.Ref),
		Short:  esc(shorten(a.Action.Text, 14)),
		Owner:  esc(ix.ownersText(a.Action)),
		Target: esc(ix.targetText(a.Action.Schedule.Target)),
		Days:   n,
	}
	if a.Previous != nil {
		it.PreviousTarget = esc(ix.targetText(a.Previous.Schedule.Target))
	}
	if a.Baseline != nil {
		it.BaselineTarget = esc(ix.targetText(a.Baseline.Schedule.Target))
	}
	// Against the plan as agreed, when that says more than the move since
	// the last statement.
	if a.SlippedFromBaseline() && (a.SlipDays == nil || *a.BaselineSlipDays != *a.SlipDays) {
		it.BaselineDays = *a.BaselineSlipDays
	}
	if u := a.UpdateSays; u.State != "" && u.State != plan.UpdateNone {
		it.Says = esc(u.Phrase(ix.asOf))
		it.Quote = esc(quoteWords(u.Quote, 45))
	}
	return it
}

// quoteWords keeps an officer's first n words as they wrote them, ending
// with "…" when cut.
func quoteWords(s string, n int) string {
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.TrimRight(strings.Join(words[:n], " "), ";:,.–-") + "…"
}

// shorten keeps an action's first n words, ending with "…" when cut.
func shorten(s string, n int) string {
	s = strings.TrimRight(strings.TrimSpace(s), ";:.,")
	// Action text is cleaned, its words one space apart: the words kept
	// are then the start of s, and need no copying.
	if end, cut, ok := firstWords(s, n); ok {
		if !cut {
			return s[:end]
		}
		return strings.TrimRight(s[:end], ";:,.") + "…"
	}
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	return strings.TrimRight(strings.Join(words[:n], " "), ";:,.") + "…"
}

// firstWords finds the end of s's first n words, and whether more words
// follow, when s does not start with white space and those words are one
// ASCII space apart; ok is false otherwise. Words are as strings.Fields
// splits them.
func firstWords(s string, n int) (end int, cut, ok bool) {
	words, inWord := 0, false
	oneSpace := false // the white space since the last word is one ' '
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isSpace(r):
			oneSpace = inWord && r == ' '
			if inWord {
				end, inWord = i, false
			}
		case inWord:
		case words == n:
			return end, true, true
		case i > 0 && !oneSpace:
			return 0, false, false
		default:
			words++
			inWord = true
		}
		i += size
	}
	if inWord {
		end = len(s)
	}
	return end, false, true
}

// isSpace is unicode.IsSpace, with a table for ASCII.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiSpace[r]
	}
	return unicode.IsSpace(r)
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
