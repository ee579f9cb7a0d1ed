package returns

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"papers/internal/plan"
)

// NoUpdate starts the update of an action nobody returned; the previous
// update follows it ("No update received. Previous update: …").
const NoUpdate = "No update received."

const previousUpdate = " Previous update: "

// ReasonField is the name of the Action.Extra field holding the reason for a
// revised target.
const ReasonField = "Reason for change"

// Options says how to merge.
type Options struct {
	// Quarter is the quarter the returns are for ("2021-Q1"); a return for
	// another quarter is rejected. "" takes the first return's quarter.
	Quarter string
	// Choose resolves conflicts: it maps a Conflict's Key ("2.2:update") to
	// the value to take, named by who gave it (a lead owner's name, or a file
	// name) or by its number in Conflict.Values, counting from 1.
	Choose map[string]string
	// Title is the merged statement's title. "" takes the statement's, its
	// closing month and year ("October 2020") replaced by the quarter's first
	// month ("January 2021").
	Title string
}

// Result is a quarter's returns merged into a position statement.
type Result struct {
	// Statement is the merged position statement: the statement's
	// recommendations, actions and owners, with each action's update,
	// status, date completed and target replaced from the returns. Its
	// File is "" until the caller writes it somewhere.
	Statement *plan.Statement
	Quarter   string
	// Conflicts are fields that joint owners' returns give differently, in
	// statement order; an unresolved one leaves the previous value.
	Conflicts []Conflict
	Warnings  []Warning
	// Rejected returns were not merged at all.
	Rejected []Rejection
	// Chase lists, for each lead owner with actions nobody returned, those
	// actions (the chase list), in the order owners appear in the statement.
	Chase []Chase
	// Returned counts the actions updated from a return; Outstanding those
	// carried forward with NoUpdate.
	Returned, Outstanding int
}

// Unresolved returns the conflicts no choice settles.
func (r *Result) Unresolved() []Conflict {
	var out []Conflict
	for _, c := range r.Conflicts {
		if !c.Resolved() {
			out = append(out, c)
		}
	}
	return out
}

// Origin is the cell a value came from.
type Origin struct {
	Owner string // the return's lead owner; "" for the combined return
	File  string
	Sheet string
	Cell  string
}

// Name names the origin for a person: the lead owner, else the file.
func (o Origin) Name() string {
	if o.Owner != "" {
		return o.Owner
	}
	return o.File
}

func (o Origin) where() string { return where(o.File, o.Sheet, o.Cell) }

// Value is one of the values returns give for a field.
type Value struct {
	Text string   // as given; a date as dd/mm/yyyy
	From []Origin // every return that gave it, in the order given to Merge

	date plan.TargetDate
}

// Conflict is a field that returns give differently: joint owners (or two
// returns from one owner) disagree. Merge never picks one by itself.
type Conflict struct {
	Ref    string
	Field  Field
	Values []Value // each distinct value once, in the order given to Merge
	// Chosen is the index in Values of the value taken (Options.Choose), or
	// -1 while the conflict is unresolved and the previous value stands.
	Chosen int
}

// Key names the conflict in Options.Choose: "2.2:update".
func (c Conflict) Key() string { return c.Ref + ":" + c.Field.String() }

// Resolved reports whether a choice settles the conflict.
func (c Conflict) Resolved() bool { return c.Chosen >= 0 }

// String describes the conflict in one line.
func (c Conflict) String() string {
	var parts []string
	for i, v := range c.Values {
		var names []string
		for _, o := range v.From {
			names = append(names, fmt.Sprintf("%s (%s, cell %s)", o.Name(), o.File, o.Cell))
		}
		parts = append(parts, fmt.Sprintf("%d. %s: %q", i+1, strings.Join(names, ", "), v.Text))
	}
	state := "unresolved: the previous value is kept"
	if c.Resolved() {
		state = "resolved: took " + strconv.Itoa(c.Chosen+1)
	}
	return fmt.Sprintf("%s: %s differs between returns (%s); %s", c.Ref, c.Field, strings.Join(parts, "; "), state)
}

// Warning is something in a return that was merged but deserves a look.
type Warning struct {
	File, Sheet, Cell string // "" when it concerns the merge as a whole
	Ref               string // the action, if any
	Message           string
}

// String positions the warning: `file.xlsx: sheet "Return", cell J5: 2.1: …`.
func (w Warning) String() string {
	s := where(w.File, w.Sheet, w.Cell)
	if s != "" {
		s += ": "
	}
	if w.Ref != "" {
		s += w.Ref + ": "
	}
	return s + w.Message
}

// Change is a locked cell whose text differs from the statement's.
type Change struct {
	Sheet, Cell string
	Ref         string
	Field       Field
	Old, New    string // the statement's text, the return's
}

// Rejection is a return left out of the merge: its locked cells were
// changed, it has a ref the statement lacks, or it is for another quarter.
type Rejection struct {
	File   string
	Owner  string
	Reason string   // why, when it is not changed cells
	Change []Change // the locked cells changed
}

// Error says why, one line per changed cell, e.g.
//
//	r.xlsx: sheet "Return", cell C5: the action of 2.1 was changed from "Old" to "New"
func (r Rejection) Error() string {
	var lines []string
	if r.Reason != "" {
		lines = append(lines, r.File+": "+r.Reason)
	}
	for _, c := range r.Change {
		var msg string
		switch {
		case c.Field == FieldRef && c.New == "":
			msg = "the ref is empty (was the Ref column edited?)"
		case c.Field == FieldRef && c.Old == c.New:
			msg = fmt.Sprintf("the ref %q is given twice (was a row copied?)", c.New)
		case c.Field == FieldRef && c.Old == "":
			msg = fmt.Sprintf("the ref %q is not an action of the statement (was the Ref column edited, or the return made from another statement?)", c.New)
		case c.Field == FieldRef:
			msg = fmt.Sprintf("the ref was changed from %q to %q", c.Old, c.New)
		default:
			msg = fmt.Sprintf("the %s of %s was changed from %q to %q", lockedName(c.Field), c.Ref, c.Old, c.New)
		}
		lines = append(lines, where(r.File, c.Sheet, c.Cell)+": "+msg)
	}
	return strings.Join(lines, "\n") + "\n" + r.File + ": rejected: locked cells must not be edited; send the lead owner a new return (papers returns)"
}

func lockedName(f Field) string {
	switch f {
	case FieldOwner:
		return "lead owner"
	case FieldTarget:
		return "current target"
	}
	return f.String()
}

// Chase is a lead owner's actions that nobody returned.
type Chase struct {
	Owner string
	Refs  []string
	// Returned is whether a return from this owner was merged (they sent
	// one but left these actions blank).
	Returned bool
}

// NoOwner names, in the chase list, actions that have no lead owner.
const NoOwner = "(no lead owner)"

func where(file, sheet, cell string) string {
	switch {
	case sheet == "" && cell == "":
		return file
	case cell == "":
		return fmt.Sprintf("%s: sheet %q", file, sheet)
	default:
		return fmt.Sprintf("%s: sheet %q, cell %s", file, sheet, cell)
	}
}

// Merge merges a quarter's returns into the position statement they were
// made from (base, which is not changed). Returns are taken in the order
// given; the same values from several returns count once. See the package
// comment for what happens to each action.
func Merge(base *plan.Statement, rets []*Return, opt Options) *Result {
	m := &merger{base: base, opt: opt, res: &Result{Quarter: opt.Quarter}, byRef: map[string]int{},
		given: map[string]map[Field][]Value{}, returned: map[string]bool{}, sent: map[string]bool{}, unreadDone: map[string]bool{}}
	for i := range base.Actions {
		if _, dup := m.byRef[base.Actions[i].Ref]; !dup {
			m.byRef[base.Actions[i].Ref] = i
		}
	}
	for _, r := range rets {
		m.add(r)
	}
	m.build()
	return m.res
}

type merger struct {
	base     *plan.Statement
	opt      Options
	res      *Result
	byRef    map[string]int               // ref → index in base.Actions
	given    map[string]map[Field][]Value // ref → field → distinct values
	returned map[string]bool              // refs with a filled line in an accepted return
	sent     map[string]bool              // person keys of owners whose return was accepted
	used     map[string]bool              // choices that matched a conflict
	// unreadDone: refs whose date completed was given but could not be
	// read. The reader has warned about it, so it is not warned about
	// again as missing.
	unreadDone map[string]bool
}

func (m *merger) warn(w Warning) { m.res.Warnings = append(m.res.Warnings, w) }

// add checks one return and, when it is sound, collects its values.
func (m *merger) add(r *Return) {
	rej := Rejection{File: r.File, Owner: r.Owner}
	switch {
	case r.Quarter != "" && m.res.Quarter == "":
		m.res.Quarter = r.Quarter
	case r.Quarter != "" && r.Quarter != m.res.Quarter:
		rej.Reason = fmt.Sprintf("is a return for %s, not %s", r.Quarter, m.res.Quarter)
		m.res.Rejected = append(m.res.Rejected, rej)
		return
	}
	seen := map[string]bool{}
	for i := range r.Lines {
		l := &r.Lines[i]
		ref := tidy(l.Ref)
		refCell := r.Cell(FieldRef, l.Row)
		idx, known := m.byRef[ref]
		switch {
		case ref == "":
			rej.Change = append(rej.Change, Change{Sheet: r.Sheet, Cell: refCell, Field: FieldRef})
			continue
		case !known:
			rej.Change = append(rej.Change, Change{Sheet: r.Sheet, Cell: refCell, Field: FieldRef, New: ref})
			continue
		}
		if seen[ref] {
			rej.Change = append(rej.Change, Change{Sheet: r.Sheet, Cell: refCell, Ref: ref, Field: FieldRef, Old: ref, New: ref})
			continue
		}
		seen[ref] = true
		want := lineFor(m.base, &m.base.Actions[idx])
		for _, f := range Fields {
			if f == FieldRef || f.Editable() {
				continue
			}
			if f == FieldSuggestion && r.Columns != nil && r.Columns[f] == 0 {
				continue // a return made before the column was added
			}
			if got, exp := tidy(l.Text(f)), tidy(want.Text(f)); got != exp {
				rej.Change = append(rej.Change, Change{Sheet: r.Sheet, Cell: r.Cell(f, l.Row), Ref: ref, Field: f, Old: exp, New: got})
			}
		}
	}
	if len(rej.Change) > 0 {
		m.res.Rejected = append(m.res.Rejected, rej)
		return
	}
	if r.Based != "" && m.base.File != "" && r.Based != m.base.File {
		m.warn(Warning{File: r.File, Message: fmt.Sprintf("was made from %s, and is merged into %s; every line matched it", r.Based, m.base.File)})
	}
	for _, p := range r.Problems {
		m.warn(Warning{File: r.File, Sheet: r.Sheet, Cell: p.Cell, Message: p.Message})
	}
	if r.Owner != "" {
		m.sent[plan.OwnerKey(r.Owner)] = true
	}
	for i := range r.Lines {
		l := &r.Lines[i]
		if !l.Filled() {
			if l.LeftSuggested() {
				m.warn(Warning{File: r.File, Sheet: r.Sheet, Cell: r.Cell(FieldCompleted, l.Row), Ref: tidy(l.Ref),
					Message: "the date completed filled in from the previous update was left in, with nothing else given: it is not taken (to confirm it, the lead owner chooses Complete under Status)"})
			}
			continue
		}
		ref := tidy(l.Ref)
		if a := &m.base.Actions[m.byRef[ref]]; r.Owner != "" && !ownsAction(a, r.Owner) {
			m.warn(Warning{File: r.File, Sheet: r.Sheet, Cell: r.Cell(FieldRef, l.Row), Ref: ref,
				Message: fmt.Sprintf("is %s's action, not %s's; merged all the same", a.Owner, r.Owner)})
		}
		m.returned[ref] = true
		for _, f := range Fields {
			if !f.Editable() {
				continue
			}
			v := Value{Text: tidy(l.Text(f)), From: []Origin{{Owner: r.Owner, File: r.File, Sheet: r.Sheet, Cell: r.Cell(f, l.Row)}}}
			switch f {
			case FieldCompleted:
				v.date = l.Completed
			case FieldRevised:
				v.date = l.Revised
			}
			if v.Text == "" || (f.IsDate() && v.date.IsZero()) {
				if v.Text != "" && f == FieldCompleted {
					m.unreadDone[ref] = true
				}
				continue // blank, or a date the reader could not read (a warning already)
			}
			if f == FieldStatus {
				v.Text = canonicalStatus(v.Text)
			}
			m.addValue(ref, f, v)
		}
	}
}

// addValue records a value for a field, once per distinct value.
func (m *merger) addValue(ref string, f Field, v Value) {
	fields := m.given[ref]
	if fields == nil {
		fields = map[Field][]Value{}
		m.given[ref] = fields
	}
	for i, have := range fields[f] {
		if same(f, have, v) {
			fields[f][i].From = append(fields[f][i].From, v.From...)
			return
		}
	}
	fields[f] = append(fields[f], v)
}

func same(f Field, a, b Value) bool {
	switch {
	case f.IsDate():
		return a.date.Date.Equal(b.date.Date)
	case f == FieldStatus:
		return strings.EqualFold(a.Text, b.Text)
	}
	return a.Text == b.Text
}

// canonicalStatus spells a status as the drop-down does when it is one.
func canonicalStatus(s string) string {
	for _, st := range Statuses {
		if strings.EqualFold(s, st) {
			return st
		}
	}
	return s
}

// build makes the merged statement.
func (m *merger) build() {
	base := m.base
	q, qerr := ParseQuarter(m.res.Quarter)
	s := &plan.Statement{
		Sheet:           "Position Statement",
		Title:           m.opt.Title,
		Recommendations: slices.Clone(base.Recommendations),
		Actions:         make([]plan.Action, 0, len(base.Actions)),
		Owners:          slices.Clone(base.Owners),
		Problems:        []plan.Problem{},
	}
	if s.Title == "" {
		s.Title = base.Title
		if qerr == nil {
			s.Title = retitle(base.Title, q)
		}
	}
	m.used = map[string]bool{}
	chase := map[string][]string{}
	var owners []string // person keys in order of first appearance
	names := map[string]string{}
	for i := range base.Actions {
		a := base.Actions[i]
		a.Owners = slices.Clone(a.Owners)
		a.Extra = slices.Clone(a.Extra)
		a.Cell, a.Row, a.RAG = "", 0, plan.RAGNone
		for _, o := range ownersOf(&a) {
			k := plan.OwnerKey(o)
			if _, ok := names[k]; !ok {
				names[k] = o
				owners = append(owners, k)
			}
		}
		switch {
		case a.IsComplete() && !m.returned[a.Ref]:
		case m.returned[a.Ref]:
			m.apply(&a, s)
			m.res.Returned++
		default:
			if !strings.HasPrefix(a.Update, NoUpdate) {
				if a.Update == "" {
					a.Update = NoUpdate
				} else {
					a.Update = NoUpdate + previousUpdate + a.Update
				}
			}
			a.Extra = withoutField(a.Extra, ReasonField)
			m.res.Outstanding++
			for _, o := range ownersOf(&a) {
				k := plan.OwnerKey(o)
				chase[k] = append(chase[k], a.Ref)
			}
		}
		s.Actions = append(s.Actions, a)
	}
	for _, k := range owners {
		if refs := chase[k]; len(refs) > 0 {
			m.res.Chase = append(m.res.Chase, Chase{Owner: names[k], Refs: refs, Returned: m.sent[k]})
		}
	}
	for key := range m.opt.Choose {
		if !m.used[key] {
			m.warn(Warning{Message: fmt.Sprintf("the choice for %q matches no conflict", key)})
		}
	}
	m.res.Statement = s
}

// ownersOf is an action's owners for the chase list.
func ownersOf(a *plan.Action) []string {
	if len(a.Owners) == 0 {
		return []string{NoOwner}
	}
	return a.Owners
}

// pick settles one field of an action: the value to apply, if any.
func (m *merger) pick(a *plan.Action, f Field, s *plan.Statement) (Value, bool) {
	vals := m.given[a.Ref][f]
	switch len(vals) {
	case 0:
		return Value{}, false
	case 1:
		return vals[0], true
	}
	c := Conflict{Ref: a.Ref, Field: f, Values: vals, Chosen: -1}
	if choice, ok := m.opt.Choose[c.Key()]; ok {
		m.used[c.Key()] = true
		c.Chosen = choose(vals, choice)
		if !c.Resolved() {
			m.warn(Warning{Ref: a.Ref, Message: fmt.Sprintf("the choice %q for %s matches none of its values; it is unresolved", choice, c.Key())})
		}
	}
	m.res.Conflicts = append(m.res.Conflicts, c)
	if !c.Resolved() {
		s.Problems = append(s.Problems, plan.Problem{Severity: plan.SeverityError, Message: c.String()})
		return Value{}, false
	}
	return vals[c.Chosen], true
}

// choose finds the value a choice names: by its number, or by who gave it.
func choose(vals []Value, choice string) int {
	choice = strings.TrimSpace(choice)
	if n, err := strconv.Atoi(choice); err == nil && n >= 1 && n <= len(vals) {
		return n - 1
	}
	found := -1
	for i, v := range vals {
		for _, o := range v.From {
			if plan.SameOwner(o.Owner, choice) || strings.EqualFold(o.File, choice) {
				if found >= 0 && found != i {
					return -1 // names two values
				}
				found = i
			}
		}
	}
	return found
}

// apply replaces an action's fields from the returns.
func (m *merger) apply(a *plan.Action, s *plan.Statement) {
	given := m.given[a.Ref]
	first := func(f Field) Origin {
		if vs := given[f]; len(vs) > 0 {
			return vs[0].From[0]
		}
		return Origin{}
	}
	warnAt := func(o Origin, format string, args ...any) {
		m.warn(Warning{File: o.File, Sheet: o.Sheet, Cell: o.Cell, Ref: a.Ref, Message: fmt.Sprintf(format, args...)})
	}
	if v, ok := m.pick(a, FieldUpdate, s); ok {
		a.Update = v.Text
	} else if len(given[FieldUpdate]) == 0 {
		o := first(FieldStatus)
		for _, f := range []Field{FieldCompleted, FieldRevised, FieldReason} {
			if o.File == "" {
				o = first(f)
			}
		}
		warnAt(o, "no new update is given; the previous update is kept")
	}
	if v, ok := m.pick(a, FieldStatus, s); ok {
		a.Status = v.Text
		if !slices.Contains(Statuses, v.Text) {
			warnAt(v.From[0], "the status %q is not one of %s; it is kept as typed", v.Text, strings.Join(Statuses, ", "))
		}
	}
	if v, ok := m.pick(a, FieldCompleted, s); ok {
		a.Completed = v.date
		if sg := Suggest(&m.base.Actions[m.byRef[a.Ref]]); !sg.Date.IsZero() && sg.Date.Date.Equal(v.date.Date) {
			warnAt(v.From[0], "the date completed, %s, is the one filled in from the previous update, left in with the rest of the line: it is taken as given",
				v.date.Date.Format("2 Jan 2006"))
		}
	}
	reason, hasReason := m.pick(a, FieldReason, s)
	a.Extra = withoutField(a.Extra, ReasonField)
	if hasReason {
		a.Extra = append(a.Extra, plan.Field{Name: ReasonField, Value: reason.Text})
	}
	if v, ok := m.pick(a, FieldRevised, s); ok {
		if !v.date.Date.Equal(a.Schedule.Target.Date) {
			a.Schedule = revise(a.Schedule, v.date)
			if !hasReason && len(given[FieldReason]) == 0 {
				warnAt(v.From[0], "the target is revised to %s with no reason for change", v.date.Date.Format("2 Jan 2006"))
			}
		}
	} else if hasReason && len(given[FieldRevised]) == 0 {
		warnAt(reason.From[0], "a reason for change is given but no revised target date; the target is unchanged")
	}
	if strings.EqualFold(a.Status, StatusComplete) && a.Completed.IsZero() && len(given[FieldCompleted]) == 0 && !m.unreadDone[a.Ref] {
		warnAt(first(FieldStatus), "the status is Complete but no date completed is given; ask for the date")
	}
}

// revise returns a schedule whose target is the revised date. Its text keeps
// the start and the original target: "Start: Sep 2020. Revised target: 31
// Mar 2021 (was Dec 2020)". Written so that reading it back gives the same
// start and target (an introduced target is taken before a bare date).
func revise(s plan.Schedule, revised plan.TargetDate) plan.Schedule {
	var b strings.Builder
	if !s.Start.IsZero() {
		b.WriteString("Start: " + s.Start.Display() + ". ")
	}
	t := "Revised target: " + revised.Date.Format("2 Jan 2006")
	b.WriteString(t)
	if was := s.Target.Display(); was != "" {
		b.WriteString(" (was " + was + ")")
	} else {
		b.WriteString(" (previously no date)")
	}
	return plan.Schedule{
		Start:  s.Start,
		Target: plan.TargetDate{Date: revised.Date, Precision: plan.PrecisionDay, Text: t},
		Text:   b.String(),
	}
}

func withoutField(fields []plan.Field, name string) []plan.Field {
	return slices.DeleteFunc(fields, func(f plan.Field) bool { return f.Name == name })
}

var closingMonth = regexp.MustCompile(`(?i)\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{4}\s*$`)

// retitle gives the merged statement's title: the statement's, its closing
// month and year replaced by the quarter's first month, else with the
// quarter added.
func retitle(title string, q Quarter) string {
	month := q.Start().Format("January 2006")
	if closingMonth.MatchString(title) {
		return closingMonth.ReplaceAllString(title, month)
	}
	if title == "" {
		return "Position Statement: " + month
	}
	return title + ": " + month
}
