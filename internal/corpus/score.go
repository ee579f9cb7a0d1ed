// Package corpus scores papers' reading of the layout corpus in
// testdata/layouts: workbooks imitating real published plans, each with an
// answer key (key.yaml) saying what papers should report. Score reads each
// workbook with the product's reader (workbook.Read, with the options the
// CLI uses when there is no config) and compares it, field by field, with
// the key; pairs of quarters are compared with the product's compare
// package, as `papers compare` does.
//
// Fields, each a count of hits out of a total:
//
//   - found: the key's actions that papers reads (matched by ref, else by
//     text), out of the key's actions;
//   - precision: papers' actions that are the key's, out of papers' actions;
//   - refs: the key's actions with a ref that papers reports with that ref;
//   - owners: the key's actions whose lead owners papers reports exactly;
//   - targets: the key's actions whose target papers reads to the day, or
//     reads as no date when the key says "vague" or "none";
//   - completion: the key's actions that papers rates complete exactly when
//     the key does (compare's rule: a completion date, or a status saying so);
//   - not_actions: the key's rows that are not actions (titles, headings,
//     legends, steps, ...) that papers does not read as actions;
//   - changes: for each pair of quarters, the changes papers reports (new,
//     removed, completed, slipped by N days, owner changed) that the key
//     expects, out of those either expects or reports.
//
// A workbook papers refuses scores 0 on every field, and its refusal is
// recorded. A miss the key explains with a "why" counts as a hit (and is
// counted as accepted).
package corpus

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"

	"papers/internal/compare"
	"papers/internal/plan"
	"papers/internal/workbook"
)

// Key is a layout's answer key, key.yaml.
type Key struct {
	Layout    string        `yaml:"layout"`
	Workbooks []WorkbookKey `yaml:"workbooks"`
	Pairs     []PairKey     `yaml:"pairs,omitempty"`
}

// WorkbookKey is what papers should read from one workbook.
type WorkbookKey struct {
	File       string      `yaml:"file"`
	AsOf       string      `yaml:"as_of"`
	Actions    []ActionKey `yaml:"actions"`
	NotActions []RowKey    `yaml:"not_actions"`
}

// ActionKey is one action as papers should report it.
type ActionKey struct {
	// ID names the action across a layout's quarters (for PairKey).
	ID string `yaml:"id"`
	// Ref is the ref papers should report; "" when the sheet gives none,
	// and the action is then matched by its text.
	Ref   string `yaml:"ref,omitempty"`
	Text  string `yaml:"text"`
	Sheet string `yaml:"sheet"`
	Row   int    `yaml:"row"`
	// Owners are the lead owners, as papers should split them.
	Owners []string `yaml:"owners,flow"`
	// Target is YYYY-MM-DD, or "vague" (the sheet gives a timescale that
	// is no date: "Ongoing", "Termly") or "none" (no timescale at all):
	// papers should then read no date.
	Target     string `yaml:"target"`
	TargetText string `yaml:"target_text,omitempty"`
	Complete   bool   `yaml:"complete"`
	// Completion says where the sheet shows completion.
	Completion string `yaml:"completion"`
	// Why explains an accepted miss, by field (found, ref, owners,
	// target, completion).
	Why map[string]string `yaml:"why,omitempty"`
}

// RowKey is a row that is not an action.
type RowKey struct {
	Sheet string `yaml:"sheet"`
	Row   int    `yaml:"row"`
	Kind  string `yaml:"kind"`
	Why   string `yaml:"why,omitempty"`
}

// PairKey is the changes expected from one quarter's workbook to the next.
type PairKey struct {
	Previous string      `yaml:"previous"`
	Current  string      `yaml:"current"`
	AsOf     string      `yaml:"as_of"`
	Changes  []ChangeKey `yaml:"changes"`
}

// ChangeKey is one expected change of one action (by its ID).
type ChangeKey struct {
	ID     string `yaml:"id"`
	Change string `yaml:"change"`
	Days   int    `yaml:"days,omitempty"` // for slipped
	Why    string `yaml:"why,omitempty"`
}

// Change kinds, in papers' terms (plan.ActionChange).
const (
	ChangeNew       = "new"
	ChangeRemoved   = "removed"
	ChangeCompleted = "completed"
	ChangeSlipped   = "slipped"
	ChangeOwner     = "owner_changed"
)

// Fields, in the order the table shows them.
var Fields = []string{"found", "precision", "refs", "owners", "targets", "completion", "not_actions", "changes"}

// Tally counts one field's hits.
type Tally struct {
	Hits     int // right, or a miss the key accepts
	Accepted int // of Hits, misses the key accepts
	Total    int
}

// Percent is the score as a percentage rounded to 0.1, and false when
// there is nothing to score.
func (t Tally) Percent() (float64, bool) {
	if t.Total == 0 {
		return 0, false
	}
	return roundPct(float64(t.Hits) / float64(t.Total) * 100), true
}

func roundPct(p float64) float64 { return float64(int(p*10+0.5)) / 10 }

func (t *Tally) add(o Tally) {
	t.Hits += o.Hits
	t.Accepted += o.Accepted
	t.Total += o.Total
}

// LayoutScore is one layout's score.
type LayoutScore struct {
	Layout string
	Fields map[string]*Tally
	// Refusals are the workbooks papers refused, with its message.
	Refusals []string
	// Misses describe what went wrong, one line each.
	Misses []string
}

// Report is the corpus's score.
type Report struct {
	Layouts []LayoutScore
	Total   map[string]*Tally
}

func newFields() map[string]*Tally {
	m := map[string]*Tally{}
	for _, f := range Fields {
		m[f] = &Tally{}
	}
	return m
}

// Load reads every layout's key under dir (each folder with a key.yaml).
func Load(dir string) ([]Key, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var keys []Key
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name(), "key.yaml"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var k Key
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&k); err != nil {
			return nil, fmt.Errorf("%s/key.yaml: %v", e.Name(), err)
		}
		if k.Layout != e.Name() {
			return nil, fmt.Errorf("%s/key.yaml: layout %q is not its folder's name", e.Name(), k.Layout)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Score reads every layout under dir and scores papers against its key.
func Score(dir string) (*Report, error) {
	keys, err := Load(dir)
	if err != nil {
		return nil, err
	}
	r := &Report{Total: newFields()}
	for _, k := range keys {
		ls, err := ScoreLayout(filepath.Join(dir, k.Layout), k)
		if err != nil {
			return nil, err
		}
		for f, t := range ls.Fields {
			r.Total[f].add(*t)
		}
		r.Layouts = append(r.Layouts, ls)
	}
	return r, nil
}

// read is one workbook as papers reads it.
type read struct {
	key    *WorkbookKey
	st     *plan.Statement
	refuse string
	match  matching
}

// ScoreLayout scores one layout, whose workbooks are in dir.
func ScoreLayout(dir string, k Key) (LayoutScore, error) {
	ls := LayoutScore{Layout: k.Layout, Fields: newFields()}
	reads := map[string]*read{}
	for i := range k.Workbooks {
		wk := &k.Workbooks[i]
		rd := &read{key: wk}
		reads[wk.File] = rd
		f, err := os.Open(filepath.Join(dir, wk.File))
		if err != nil {
			return ls, err
		}
		rd.st, err = workbook.Read(f, wk.File, workbook.DefaultOptions())
		f.Close()
		if err != nil {
			rd.refuse = err.Error()
			ls.Refusals = append(ls.Refusals, err.Error())
		}
		asOf, err := day(wk.AsOf)
		if err != nil {
			return ls, fmt.Errorf("%s: as_of: %v", wk.File, err)
		}
		scoreWorkbook(&ls, rd, asOf)
	}
	for _, pk := range k.Pairs {
		prev, cur := reads[pk.Previous], reads[pk.Current]
		if prev == nil || cur == nil {
			return ls, fmt.Errorf("pair %s → %s: a workbook the key does not list", pk.Previous, pk.Current)
		}
		asOf, err := day(pk.AsOf)
		if err != nil {
			return ls, fmt.Errorf("pair %s → %s: as_of: %v", pk.Previous, pk.Current, err)
		}
		scorePair(&ls, pk, prev, cur, asOf)
	}
	return ls, nil
}

func day(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }

// scoreWorkbook scores the fields of one workbook's reading.
func scoreWorkbook(ls *LayoutScore, rd *read, asOf time.Time) {
	wk := rd.key
	fields := ls.Fields
	miss := func(format string, args ...any) {
		ls.Misses = append(ls.Misses, wk.File+": "+fmt.Sprintf(format, args...))
	}
	scored := 0
	for _, r := range wk.NotActions {
		if r.Kind != "blank" {
			scored++
		}
	}
	if rd.st == nil {
		// Refused: every field scores 0, except the misses the key accepts.
		for _, a := range wk.Actions {
			fields["precision"].Total++
			for _, f := range []string{"found", "owners", "targets", "completion"} {
				tallyMiss(fields[f], a.Why[whyName(f)])
			}
			if a.Ref != "" {
				tallyMiss(fields["refs"], a.Why["ref"])
			}
		}
		for _, r := range wk.NotActions {
			if r.Kind != "blank" {
				tallyMiss(fields["not_actions"], r.Why)
			}
		}
		return
	}
	st := rd.st
	rd.match = match(wk.Actions, st)
	complete := completeness(st, asOf)

	// precision
	if len(st.Actions) == 0 {
		fields["precision"].Total += len(wk.Actions)
	}
	for i, a := range st.Actions {
		fields["precision"].Total++
		if _, ok := rd.match.byStmt[i]; ok {
			fields["precision"].Hits++
		} else {
			miss("read row %d as an action that the key does not have: %q", a.Row, short(a.Text))
		}
	}
	for ki, k := range wk.Actions {
		si, found := rd.match.byKey[ki]
		var a *plan.Action
		if found {
			a = &st.Actions[si]
		}
		check := func(field string, ok bool, format string, args ...any) {
			t := fields[field]
			t.Total++
			switch why := k.Why[whyName(field)]; {
			case ok:
				t.Hits++
			case why != "":
				t.Hits++
				t.Accepted++
			default:
				if format != "" {
					miss("%s: "+format, append([]any{k.label()}, args...)...)
				}
			}
		}
		check("found", found, "not found")
		if !found {
			for _, f := range []string{"owners", "targets", "completion"} {
				check(f, false, "")
			}
			if k.Ref != "" {
				check("refs", false, "")
			}
			continue
		}
		if k.Ref != "" {
			check("refs", normRef(a.Ref) == normRef(k.Ref), "ref %q, want %q", a.Ref, k.Ref)
		}
		check("owners", SameOwners(a.Owners, k.Owners), "owners %q, want %q", a.Owners, k.Owners)
		got := a.Target().ISO()
		switch k.Target {
		case "vague", "none":
			check("targets", got == "", "target %s from %q, want no date (%s)", got, a.Schedule.Text, k.Target)
		default:
			check("targets", got == k.Target, "target %q from %q, want %s", got, a.Schedule.Text, k.Target)
		}
		check("completion", complete[si] == k.Complete, "complete %v, want %v (%s)", complete[si], k.Complete, k.Completion)
	}
	read := map[rowAt]bool{}
	for _, a := range st.Actions {
		read[rowAt{sheetOf(st, &a), a.Row}] = true
	}
	for _, r := range wk.NotActions {
		if r.Kind == "blank" {
			continue
		}
		t := fields["not_actions"]
		t.Total++
		switch {
		case !read[rowAt{r.Sheet, r.Row}]:
			t.Hits++
		case r.Why != "":
			t.Hits++
			t.Accepted++
		}
	}
}

// whyName is the name a key's why uses for a field.
func whyName(field string) string {
	switch field {
	case "refs":
		return "ref"
	case "targets":
		return "target"
	}
	return field
}

func tallyMiss(t *Tally, why string) {
	t.Total++
	if why != "" {
		t.Hits++
		t.Accepted++
	}
}

func (k ActionKey) label() string {
	if k.Ref != "" {
		return fmt.Sprintf("%s (sheet %q row %d)", k.Ref, k.Sheet, k.Row)
	}
	return fmt.Sprintf("%q (sheet %q row %d)", short(k.Text), k.Sheet, k.Row)
}

func short(s string) string {
	if r := []rune(s); len(r) > 50 {
		return string(r[:50]) + "…"
	}
	return s
}

type rowAt struct {
	sheet string
	row   int
}

// completeness is whether papers rates each action complete, by compare's
// rule (the statement compared with itself).
func completeness(st *plan.Statement, asOf time.Time) []bool {
	out := make([]bool, len(st.Actions))
	c, err := compare.Compare(plan.Inputs{Previous: st, Current: st}, compare.DefaultOptions(asOf))
	if err != nil {
		return out
	}
	for i, ch := range c.Actions {
		if i < len(out) {
			out[i] = ch.Status == plan.StatusComplete || ch.Status == plan.StatusCompleteLate
		}
	}
	return out
}

// scorePair scores the changes papers reports between two quarters.
func scorePair(ls *LayoutScore, pk PairKey, prev, cur *read, asOf time.Time) {
	t := ls.Fields["changes"]
	want := map[string]ChangeKey{}
	for _, c := range pk.Changes {
		want[factOf(c)] = c
	}
	got := map[string]bool{}
	if prev.st != nil && cur.st != nil {
		c, err := compare.Compare(plan.Inputs{Previous: prev.st, Current: cur.st}, compare.DefaultOptions(asOf))
		if err != nil {
			ls.Misses = append(ls.Misses, fmt.Sprintf("%s → %s: compare: %v", pk.Previous, pk.Current, err))
		} else {
			for _, f := range reportedFacts(c, prev, cur) {
				got[f] = true
			}
		}
	}
	for f, c := range want {
		t.Total++
		switch {
		case got[f]:
			t.Hits++
		case c.Why != "":
			t.Hits++
			t.Accepted++
		case prev.st != nil && cur.st != nil:
			ls.Misses = append(ls.Misses, fmt.Sprintf("%s → %s: missed %s", pk.Previous, pk.Current, f))
		}
	}
	for f := range got {
		if _, ok := want[f]; !ok {
			t.Total++
			ls.Misses = append(ls.Misses, fmt.Sprintf("%s → %s: reported %s, which the key does not expect", pk.Previous, pk.Current, f))
		}
	}
}

func factOf(c ChangeKey) string {
	if c.Change == ChangeSlipped {
		return fmt.Sprintf("%s %s %+d days", c.ID, c.Change, c.Days)
	}
	return c.ID + " " + c.Change
}

// reportedFacts are the changes a comparison reports, naming each action by
// its key ID (or by its row when it is none of the key's).
func reportedFacts(c *plan.Comparison, prev, cur *read) []string {
	id := func(rd *read, a *plan.Action) string {
		for i := range rd.st.Actions {
			s := &rd.st.Actions[i]
			if s.Row == a.Row && s.Cell == a.Cell && s.Ref == a.Ref {
				if k, ok := rd.match.byStmt[i]; ok {
					return rd.key.Actions[k].ID
				}
				break
			}
		}
		return fmt.Sprintf("(%s row %d)", rd.key.File, a.Row)
	}
	var out []string
	for i := range c.Actions {
		ch := &c.Actions[i]
		if ch.Change == plan.ChangeRemoved {
			out = append(out, factOf(ChangeKey{ID: id(prev, &ch.Action), Change: ChangeRemoved}))
			continue
		}
		n := id(cur, &ch.Action)
		if ch.Change == plan.ChangeNew {
			out = append(out, factOf(ChangeKey{ID: n, Change: ChangeNew}))
		}
		if ch.CompletedThisPeriod {
			out = append(out, factOf(ChangeKey{ID: n, Change: ChangeCompleted}))
		}
		if ch.Slipped() {
			out = append(out, factOf(ChangeKey{ID: n, Change: ChangeSlipped, Days: *ch.SlipDays}))
		}
		if ch.OwnerChanged {
			out = append(out, factOf(ChangeKey{ID: n, Change: ChangeOwner}))
		}
	}
	return out
}

// matching pairs the key's actions with a statement's.
type matching struct {
	byKey  map[int]int // key action → statement action
	byStmt map[int]int // statement action → key action
}

// textMatch is the least word similarity at which a statement's action is
// taken for the key's.
const textMatch = 0.6

// match pairs the key's actions with the statement's: first by ref (when
// the key gives one, on the statement's sheet, and the texts are not
// unrelated or the row is the same), then by text, the most similar pairs
// first.
func match(keys []ActionKey, st *plan.Statement) matching {
	m := matching{byKey: map[int]int{}, byStmt: map[int]int{}}
	words := make([]map[string]bool, len(st.Actions))
	for i := range st.Actions {
		words[i] = wordSet(st.Actions[i].Text)
	}
	for ki, k := range keys {
		if k.Ref == "" {
			continue
		}
		kw := wordSet(k.Text)
		for si := range st.Actions {
			a := &st.Actions[si]
			if _, taken := m.byStmt[si]; taken || k.Sheet != sheetOf(st, a) || normRef(a.Ref) != normRef(k.Ref) {
				continue
			}
			if a.Row == k.Row || similarity(kw, words[si]) >= 0.3 {
				m.byKey[ki], m.byStmt[si] = si, ki
				break
			}
		}
	}
	type pair struct {
		k, s int
		sim  float64
		dist int
	}
	var pairs []pair
	for ki, k := range keys {
		if _, ok := m.byKey[ki]; ok {
			continue
		}
		kw := wordSet(k.Text)
		for si := range st.Actions {
			if _, taken := m.byStmt[si]; taken || k.Sheet != sheetOf(st, &st.Actions[si]) {
				continue
			}
			if sim := similarity(kw, words[si]); sim >= textMatch {
				d := k.Row - st.Actions[si].Row
				pairs = append(pairs, pair{ki, si, sim, max(d, -d)})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(b.sim, a.sim), cmp.Compare(a.dist, b.dist))
	})
	for _, p := range pairs {
		if _, ok := m.byKey[p.k]; ok {
			continue
		}
		if _, ok := m.byStmt[p.s]; ok {
			continue
		}
		m.byKey[p.k], m.byStmt[p.s] = p.s, p.k
	}
	return m
}

// wordSet is a text's words, lower case, letters and digits only.
func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out[w] = true
	}
	return out
}

// similarity is the Jaccard similarity of two word sets.
func similarity(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// normRef is a ref as refs are compared: lower case, without spaces and a
// trailing '.' or ')'.
func normRef(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	return strings.TrimRight(s, ".)")
}

// SameOwners reports whether two lists name the same owners, in any order,
// ignoring case, spacing and trailing punctuation.
func SameOwners(a, b []string) bool {
	norm := func(xs []string) []string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			x = strings.ToLower(strings.Join(strings.Fields(x), " "))
			if x = strings.Trim(x, " .,;:"); x != "" {
				out = append(out, x)
			}
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(norm(a), norm(b))
}

// DaysBetween is b − a in days when both are YYYY-MM-DD dates.
func DaysBetween(a, b string) (int, bool) {
	da, err1 := day(a)
	db, err2 := day(b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return plan.DaysBetween(da, db), true
}

// Table is the report as a text table: a row per layout and a total, a
// column per field ("-" where there is nothing to score), then the
// refusals.
func (r *Report) Table() string {
	var b strings.Builder
	width := len("TOTAL")
	for _, l := range r.Layouts {
		width = max(width, len(l.Layout))
	}
	fmt.Fprintf(&b, "%-*s", width, "layout")
	for _, f := range Fields {
		fmt.Fprintf(&b, " %*s", max(len(f), 6), f)
	}
	b.WriteString("\n")
	line := func(name string, fields map[string]*Tally) {
		fmt.Fprintf(&b, "%-*s", width, name)
		for _, f := range Fields {
			cell := "-"
			if p, ok := fields[f].Percent(); ok {
				cell = fmt.Sprintf("%.1f%%", p)
			}
			fmt.Fprintf(&b, " %*s", max(len(f), 6), cell)
		}
		b.WriteString("\n")
	}
	for _, l := range r.Layouts {
		line(l.Layout, l.Fields)
	}
	line("TOTAL", r.Total)
	b.WriteString("\nCounts (hits/total, accepted misses in brackets):\n")
	for _, f := range Fields {
		t := r.Total[f]
		fmt.Fprintf(&b, "  %-12s %d/%d (%d)\n", f, t.Hits, t.Total, t.Accepted)
	}
	b.WriteString("\nRefusals:\n")
	n := 0
	for _, l := range r.Layouts {
		for _, m := range l.Refusals {
			fmt.Fprintf(&b, "  %s: %s\n", l.Layout, m)
			n++
		}
	}
	if n == 0 {
		b.WriteString("  none\n")
	}
	return b.String()
}

// Details lists each layout's misses, for the person improving the reader.
func (r *Report) Details() string {
	var b strings.Builder
	for _, l := range r.Layouts {
		if len(l.Misses) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s:\n", l.Layout)
		for _, m := range l.Misses {
			fmt.Fprintf(&b, "  %s\n", m)
		}
	}
	return b.String()
}

// sheetOf is the sheet an action was read from: its own, else the
// statement's.
func sheetOf(st *plan.Statement, a *plan.Action) string {
	if a.Sheet != "" {
		return a.Sheet
	}
	return st.Sheet
}
