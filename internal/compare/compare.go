// Package compare sets this quarter's position statement against the
// previous one and the baseline plan: it matches actions across statements
// (there is usually no ID column), then works out for each action what
// changed and where it stands as of the report date.
//
// Matching goes by given Ref when both sheets have one, then identical text,
// then normalised text, then word-set similarity within the same
// recommendation, then across recommendations. A pairing scoring below
// Options.MatchThreshold is never merged: the two actions are reported as
// removed and new, each carrying a possible match for the clerk. Matching is
// near-linear: similar actions are found through an index of their rarer
// words, never by comparing every action with every other.
//
// Each action's update is read for what it reports (package updates): done,
// booked, in progress or postponed, with the officer's words quoted. The
// reading is kept beside the action (ActionChange.UpdateSays); it never
// changes the action's status.
package compare

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"papers/internal/plan"
	"papers/internal/updates"
)

// Options control a comparison. A zero MatchThreshold or PossibleThreshold
// means its default, and a nil RAG.ByStatus the default rules. DueSoonDays is
// taken as given: 0 means only a target due on the as-of day is due soon
// (DefaultOptions sets 28).
type Options struct {
	AsOf              time.Time // the report date: statuses are as of this day (required)
	DueSoonDays       int       // a target at most this many days off is "due soon"; DefaultOptions sets 28
	MatchThreshold    float64   // similarity at or above which two actions are the same; default 0.6
	PossibleThreshold float64   // similarity at or above which a pair is a "possible match"; default 0.35
	RAG               RAGRules
}

// RAGRules derive an action's RAG rating from its status.
type RAGRules struct {
	ByStatus map[plan.Status]plan.RAG
	// Slipped applies when the target moved later since the previous
	// statement (SlipDays > 0) and the action is not complete, if it is
	// worse than the rating by status.
	Slipped plan.RAG
}

// Defaults.
const (
	DefaultDueSoonDays       = 28
	DefaultMatchThreshold    = 0.6
	DefaultPossibleThreshold = 0.35
)

// DefaultOptions are the options for a report as of asOf: overdue Red, due
// soon Amber, on track Green, no date Amber, complete and complete late
// Green, slipped Amber. Each call returns a fresh ByStatus map.
func DefaultOptions(asOf time.Time) Options {
	return Options{
		AsOf:              asOf,
		DueSoonDays:       DefaultDueSoonDays,
		MatchThreshold:    DefaultMatchThreshold,
		PossibleThreshold: DefaultPossibleThreshold,
		RAG:               defaultRAG(),
	}
}

func defaultRAG() RAGRules {
	return RAGRules{
		ByStatus: map[plan.Status]plan.RAG{
			plan.StatusOverdue:      plan.RAGRed,
			plan.StatusDueSoon:      plan.RAGAmber,
			plan.StatusOnTrack:      plan.RAGGreen,
			plan.StatusNoDate:       plan.RAGAmber,
			plan.StatusComplete:     plan.RAGGreen,
			plan.StatusCompleteLate: plan.RAGGreen,
		},
		Slipped: plan.RAGAmber,
	}
}

// withDefaults fills zero values and checks the options.
func (o Options) withDefaults() (Options, error) {
	if o.AsOf.IsZero() {
		return o, errors.New("compare: no as-of date: statuses are worked out as at a date")
	}
	o.AsOf = plan.Day(o.AsOf.Date())
	if o.MatchThreshold == 0 {
		o.MatchThreshold = DefaultMatchThreshold
	}
	if o.PossibleThreshold == 0 {
		o.PossibleThreshold = min(DefaultPossibleThreshold, o.MatchThreshold)
	}
	if o.RAG.ByStatus == nil {
		o.RAG = defaultRAG()
	}
	switch {
	case o.DueSoonDays < 0:
		return o, fmt.Errorf("compare: due-soon days %d: must not be negative", o.DueSoonDays)
	case o.MatchThreshold <= 0 || o.MatchThreshold > 1:
		return o, fmt.Errorf("compare: match threshold %g: must be above 0 and at most 1", o.MatchThreshold)
	case o.PossibleThreshold <= 0 || o.PossibleThreshold > o.MatchThreshold:
		return o, fmt.Errorf("compare: possible-match threshold %g: must be above 0 and at most the match threshold %g", o.PossibleThreshold, o.MatchThreshold)
	}
	return o, nil
}

// Compare sets the current statement against the one it is compared with
// (in.ComparedWith: the previous statement, or in a plan's first quarter
// the baseline), and against the baseline (the plan as agreed) when there
// is one. The comparison's Previous is the statement compared with.
func Compare(in plan.Inputs, opt Options) (*plan.Comparison, error) {
	previous, current, baseline := in.ComparedWith(), in.Current, in.Baseline
	if previous == nil || current == nil {
		return nil, errors.New("compare: a previous and a current statement are needed")
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	prevE, curE := entries(previous.Actions), entries(current.Actions)
	m := match(curE, prevE, opt.MatchThreshold, opt.PossibleThreshold)

	curBase, prevBase := baselineLinks(previous, current, baseline, prevE, curE, m, opt)

	c := &plan.Comparison{AsOf: opt.AsOf, Previous: previous, Current: current, Baseline: baseline}
	order := place(previous, current, m)
	c.Actions = make([]plan.ActionChange, len(order))
	fill := func(from, to int) {
		for k := from; k < to; k++ {
			ch, at := &c.Actions[k], order[k]
			if at.removed {
				removedChange(ch, at.index, previous, current, baseline, m, prevBase)
			} else {
				currentChange(ch, at.index, previous, current, baseline, m, curBase, opt)
			}
			ch.RAG = rag(ch, opt.RAG)
		}
	}
	// Each change depends only on the matching, so a large plan's are
	// worked out in parts side by side, each part into its own slots: the
	// same result, sooner (the report waits for it with a core idle).
	parts := min(runtime.GOMAXPROCS(0), len(order)/minPart)
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		wg.Go(func() { fill(p*len(order)/parts, (p+1)*len(order)/parts) })
	}
	fill(0, len(order)/max(parts, 1))
	wg.Wait()
	c.Summary = summarise(c.Actions)
	return c, nil
}

// minPart is the fewest changes worth a goroutine of their own.
const minPart = 2000

// currentChange fills ch for current action i.
func currentChange(ch *plan.ActionChange, i int, previous, current, baseline *plan.Statement, m *matching, curBase []int, opt Options) {
	a := &current.Actions[i]
	ch.Action = *a
	ch.Change = plan.ChangeNew
	ch.ReportedRAG = a.RAG
	var prev, base *plan.Action
	if l := m.left[i]; l.other >= 0 {
		prev = &previous.Actions[l.other]
		ch.Change = plan.ChangeCarried
		ch.Previous = prev
		ch.Match = &plan.Match{PreviousRef: prev.Ref, Score: l.score, Reason: l.reason}
	} else if p := m.maybeLeft[i]; p.other >= 0 {
		ch.PossibleMatch = &plan.PossibleMatch{PreviousRef: previous.Actions[p.other].Ref, CurrentRef: a.Ref, Score: p.score}
	}
	if k := curBase[i]; k >= 0 {
		base = &baseline.Actions[k]
		ch.Baseline = base
	}
	ch.Status, ch.OverdueDays, ch.CompletedLateDays = status(a, opt.AsOf, opt.DueSoonDays)
	ch.CompletedThisPeriod = a.IsComplete() && (prev == nil || !prev.IsComplete())
	if prev != nil {
		same := sameUpdate(a.Update, prev.Update)
		ch.UpdateChanged = !same
		// An update left as it was on an action already complete last
		// time is not "copied forward": there is nothing more to say.
		ch.UpdateCopied = same && hasText(a.Update) && !(a.IsComplete() && prev.IsComplete())
		ch.OwnerChanged = !sameOwners(a, prev)
		ch.SlipDays = slip(prev.Target(), a.Target())
	}
	if base != nil {
		ch.BaselineSlipDays = slip(base.Target(), a.Target())
	}
	ch.TimesMoved = timesMoved(base, prev, a)
	ch.UpdateSays = updates.Read(a)
}

// removedChange fills ch for previous action j, which is not in current.
func removedChange(ch *plan.ActionChange, j int, previous, current, baseline *plan.Statement, m *matching, prevBase []int) {
	p := &previous.Actions[j]
	ch.Action = *p
	ch.Change = plan.ChangeRemoved
	ch.Status = plan.StatusRemoved
	ch.ReportedRAG = p.RAG
	var base *plan.Action
	if k := prevBase[j]; k >= 0 {
		base = &baseline.Actions[k]
		ch.Baseline = base
	}
	if q := m.maybeRgt[j]; q.other >= 0 {
		ch.PossibleMatch = &plan.PossibleMatch{PreviousRef: p.Ref, CurrentRef: current.Actions[q.other].Ref, Score: q.score}
	}
	ch.TimesMoved = timesMoved(base, p, nil)
	ch.UpdateSays = updates.Read(p)
}

// entries are a statement's actions as the matcher sees them.
func entries(as []plan.Action) []entry {
	es := make([]entry, len(as))
	for i := range as {
		es[i] = entry{text: as[i].Text, rec: as[i].Recommendation}
		if as[i].RefGiven {
			es[i].ref = normaliseRef(as[i].Ref)
		}
	}
	return es
}

// baselineLinks finds each current and each previous action's counterpart
// in the baseline (-1: none). Previous actions are matched with the baseline
// (each is itself when previous is the baseline); a carried action takes its
// previous action's, since wording drifts a little each quarter and each
// step is the smaller change. Current actions still without one — new
// actions, and carried ones whose previous action had none — are then
// matched with the baseline actions not yet taken.
func baselineLinks(previous, current, baseline *plan.Statement, prevE, curE []entry, m *matching, opt Options) (curBase, prevBase []int) {
	curBase = make([]int, len(curE))
	prevBase = make([]int, len(prevE))
	for i := range curBase {
		curBase[i] = -1
	}
	for j := range prevBase {
		prevBase[j] = -1
	}
	if baseline == nil {
		return curBase, prevBase
	}
	baseE := entries(baseline.Actions)
	taken := make([]bool, len(baseE))
	if baseline == previous {
		for j := range prevBase {
			prevBase[j] = j
		}
	} else {
		mb := match(prevE, baseE, opt.MatchThreshold, opt.PossibleThreshold)
		for j, l := range mb.left {
			prevBase[j] = l.other
		}
	}
	for _, k := range prevBase {
		if k >= 0 {
			taken[k] = true
		}
	}
	var li, ri []int
	for i, l := range m.left {
		if l.other >= 0 {
			curBase[i] = prevBase[l.other]
		}
		if curBase[i] < 0 {
			li = append(li, i)
		}
	}
	for k := range baseE {
		if !taken[k] {
			ri = append(ri, k)
		}
	}
	if len(li) > 0 && len(ri) > 0 {
		l, r := make([]entry, len(li)), make([]entry, len(ri))
		for x, i := range li {
			l[x] = curE[i]
		}
		for y, k := range ri {
			r[y] = baseE[k]
		}
		mb := match(l, r, opt.MatchThreshold, opt.PossibleThreshold)
		for x, lk := range mb.left {
			if lk.other >= 0 {
				curBase[li[x]] = ri[lk.other]
			}
		}
	}
	return curBase, prevBase
}

func hasText(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\u00a0' {
			return true
		}
	}
	return false
}

// status is an action's status as of asOf, with the days it is overdue or
// was completed late.
func status(a *plan.Action, asOf time.Time, dueSoon int) (st plan.Status, overdue, late int) {
	target := a.Target()
	if a.IsComplete() {
		if !a.Completed.IsZero() && !target.IsZero() {
			if d := plan.DaysBetween(target.Date, a.Completed.Date); d > 0 {
				return plan.StatusCompleteLate, 0, d
			}
		}
		return plan.StatusComplete, 0, 0
	}
	if target.IsZero() {
		return plan.StatusNoDate, 0, 0
	}
	switch d := plan.DaysBetween(asOf, target.Date); {
	case d < 0:
		return plan.StatusOverdue, -d, 0
	case d <= dueSoon:
		return plan.StatusDueSoon, 0, 0
	}
	return plan.StatusOnTrack, 0, 0
}

// slip is to − from in days, nil when either date is unknown.
func slip(from, to plan.TargetDate) *int {
	if from.IsZero() || to.IsZero() {
		return nil
	}
	d := plan.DaysBetween(from.Date, to.Date)
	return &d
}

// timesMoved counts the changes of target along baseline → previous →
// current, between known dates only.
func timesMoved(chain ...*plan.Action) int {
	n := 0
	var last time.Time
	for _, a := range chain {
		if a == nil || a.Target().IsZero() {
			continue
		}
		t := plan.Day(a.Target().Date.Date())
		if !last.IsZero() && !t.Equal(last) {
			n++
		}
		last = t
	}
	return n
}

// severity orders ratings, worst highest.
func severity(r plan.RAG) int {
	switch r {
	case plan.RAGRed:
		return 4
	case plan.RAGAmber:
		return 3
	case plan.RAGGreen:
		return 2
	case plan.RAGBlue:
		return 1
	}
	return 0
}

// rag derives an action's rating by the rules.
func rag(ch *plan.ActionChange, rules RAGRules) plan.RAG {
	r := rules.ByStatus[ch.Status]
	if ch.SlippedOpen() && severity(rules.Slipped) > severity(r) {
		r = rules.Slipped
	}
	return r
}

// slot is an entry of the comparison: a current action, or a removed
// previous one.
type slot struct {
	index   int
	removed bool
}

// place orders the comparison: the current statement's actions in order,
// each removed action after the last carried action of its recommendation
// (the recommendation's Ref as the previous statement had it); failing
// that, after the last current action of that recommendation; failing that
// (the whole recommendation went), after the current position of the
// nearest earlier previous action still present, or first of all. Removed
// actions in the same place keep their previous order.
func place(previous, current *plan.Statement, m *matching) []slot {
	type removedAt struct{ prev, after int }
	var removed []removedAt
	for j, l := range m.right {
		if l.other < 0 {
			removed = append(removed, removedAt{prev: j})
		}
	}
	order := make([]slot, 0, len(current.Actions)+len(removed))
	if len(removed) == 0 {
		for i := range current.Actions {
			order = append(order, slot{index: i})
		}
		return order
	}
	lastCarried, lastAny := map[string]int{}, map[string]int{}
	for i, a := range current.Actions {
		lastAny[a.Recommendation] = i
		if m.left[i].other >= 0 {
			lastCarried[a.Recommendation] = i
		}
	}
	for x := range removed {
		r := &removed[x]
		rec := previous.Actions[r.prev].Recommendation
		if i, ok := lastCarried[rec]; ok {
			r.after = i
			continue
		}
		if i, ok := lastAny[rec]; ok {
			r.after = i
			continue
		}
		r.after = -1
		for j := r.prev - 1; j >= 0; j-- {
			if i := m.right[j].other; i >= 0 {
				r.after = i
				break
			}
		}
	}
	slices.SortStableFunc(removed, func(a, b removedAt) int {
		return cmp.Or(cmp.Compare(a.after, b.after), cmp.Compare(a.prev, b.prev))
	})
	x := 0
	for ; x < len(removed) && removed[x].after < 0; x++ {
		order = append(order, slot{removed[x].prev, true})
	}
	for i := range current.Actions {
		order = append(order, slot{index: i})
		for ; x < len(removed) && removed[x].after == i; x++ {
			order = append(order, slot{removed[x].prev, true})
		}
	}
	return order
}

// summarise counts a comparison's actions.
func summarise(actions []plan.ActionChange) plan.Summary {
	s := plan.Summary{ByStatus: map[plan.Status]int{}, ByChange: map[plan.Change]int{}}
	for _, st := range plan.Statuses {
		s.ByStatus[st] = 0
	}
	for _, ch := range changes {
		s.ByChange[ch] = 0
	}
	for i := range actions {
		a := &actions[i]
		s.ByStatus[a.Status]++
		s.ByChange[a.Change]++
		if a.Change == plan.ChangeRemoved {
			continue
		}
		s.Total++
		if a.CompletedThisPeriod {
			s.CompletedThisPeriod++
		}
		if a.Slipped() {
			s.Slipped++
		}
		if a.UpdateCopied {
			s.UpdateCopied++
		}
		if a.OwnerChanged {
			s.OwnerChanged++
		}
		if a.PossibleMatch != nil {
			s.PossibleMatches++
		}
	}
	return s
}

// changes lists the changes in the order output shows them.
var changes = []plan.Change{plan.ChangeCarried, plan.ChangeNew, plan.ChangeRemoved}
