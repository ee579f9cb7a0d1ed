package workbook

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"papers/internal/plan"
)

// This file decides what a row that is not plainly an action is: a
// heading (a theme, area, objective or section above actions), a step
// under an action, or the sheet's key and notes below the plan. None of
// them is ever an action.

// RowKind says what a row of a plan's sheet is.
type RowKind string

// Row kinds, as papers check --explain names them.
const (
	RowTitle          RowKind = "title"
	RowHeader         RowKind = "header row"
	RowAction         RowKind = "action"
	RowRecommendation RowKind = "recommendation"
	RowHeading        RowKind = "heading"
	RowPhase          RowKind = "phase"
	RowStep           RowKind = "step"
	RowKey            RowKind = "key or note"
	RowRepeatedHeader RowKind = "repeated header"
	RowContinued      RowKind = "continued marker"
	RowOwners         RowKind = "lead owners"
	RowBlank          RowKind = "blank"
)

// rowNote is what the reader made of a row, and why.
type rowNote struct {
	Kind RowKind
	Why  string
}

// note records what row r was read as, for papers check --explain; it
// costs nothing when no layout is asked for.
func (b *builder) note(r int, k RowKind, format string, args ...any) {
	if !b.explain {
		return
	}
	if b.kinds == nil {
		b.kinds = map[int]rowNote{}
	}
	b.kinds[r] = rowNote{k, fmt.Sprintf(format, args...)}
}

var (
	// "Key", "Key:", "BRAG key:", "RAG key", "Legend", "Notes:", "Status:"
	keyMarker = regexp.MustCompile(`(?i)^(?:b?rag(?:\s+status)?\s+)?(?:key|legend|notes?|glossary|abbreviations)\s*:?$|^(?:b?rag|status)\s*:$`)
	// A heading's label: "Area 1:", "Corporate Aim 2:", "Key Objective (a):",
	// "Cause of concern:", "AFI 3:", "Priority B:", "Theme 1 -"
	headingLabel = regexp.MustCompile(`(?i)^(?:(?:corporate|strategic|key|improvement)\s+)?(?:aim|objective|priority|area|theme|outcome|recommendation|section|part|workstream|cause\s+of\s+concern|area\s+for\s+improvement|afi|must\s+do|should\s+do|standard|domain|goal|ambition|pillar|inspection|review|report|audit|finding|issue)\b[^:]{0,24}[:\-–]`)
	// An action's number in a column of its own: "1.1", "2.3a"
	subNumber = regexp.MustCompile(`^\d{1,3}\.\d{1,3}[a-z]?$`)
	// A number that heads a heading: "1", "1.1", "R2", "2(a)"
	headingNumber = regexp.MustCompile(`^(?:[A-Z]{0,4}\s?)?\d{1,3}(?:[.)]\d{1,3})*[a-z]?[.):]?$`)
)

// detail reports whether column c says something about an action: its
// owners, dates, update, status, RAG or % complete.
func (b *builder) detail(c int) bool {
	if c == 0 {
		return false
	}
	for _, o := range b.h.owners {
		if c == o {
			return true
		}
	}
	switch b.h.field[c] {
	case fieldSchedule, fieldStart, fieldTarget, fieldRevised, fieldCompleted, fieldUpdate, fieldRAG, fieldStatus, fieldPercent:
		return true
	}
	return false
}

// notAnAction reads a row that names no owner, date, update or status, or
// that belongs to the key below the plan. It returns false for a row that
// is an action after all.
func (b *builder) notAnAction(r int, own rowText) bool {
	refCol, actCol := b.h.col[fieldRef], b.h.col[fieldAction]
	details := 0
	for _, t := range own {
		if b.detail(t.col) {
			details++
		}
	}
	if b.inKey {
		b.note(r, RowKey, "below the key %q", b.keyText)
		return true
	}
	// Most rows are plainly actions: text in the action column, an owner,
	// date or update beside it, and neither a key's first words nor a
	// colour's name to start them.
	if raw := own.at(actCol); details >= 2 && !isBlank(raw) && !startsWithColour(raw) && !stepMarked(raw) &&
		(len(own[0].text) >= 40 || !keyMarker.MatchString(strings.TrimSpace(own[0].text))) {
		return false
	}
	texts := make([]string, 0, len(own))
	for _, t := range own {
		texts = append(texts, clean(t.text))
	}
	if len(own) <= 6 && len(b.s.Actions) > 0 {
		if t := texts[0]; len(t) < 40 && keyMarker.MatchString(t) && (len(own) == 1 && own[0].col != actCol || len(own) > 1) {
			b.inKey, b.keyText = true, t
			b.note(r, RowKey, "starts the key: %q", short(strings.Join(texts, " | ")))
			return true
		}
		if l := readLegend([][]string{texts}); len(l) > 1 || len(l) == 1 && details <= 1 {
			b.note(r, RowKey, "explains a colour: %q", short(strings.Join(texts, " | ")))
			return true
		}
	}
	ref := clean(own.at(refCol))
	text := clean(own.at(actCol))
	if c, t, ok := only(own); ok && text == "" && ref == "" && len(b.s.Actions) > 0 && !b.fits(c, t) {
		// A footnote or a note below the plan, alone in a column whose
		// cells it does not resemble ("* Dependent on funding", "Status:
		// Done = delivered; …").
		b.note(r, RowKey, "a note alone in column %s, which holds %s: %q", colName(c), b.contentWord(b.h.field[c], true), short(t))
		return true
	}
	// A step's marker, looked for before clean takes the bullet off; a
	// cell of several bullets is several actions, not a step.
	marked := stepMarked(own.at(actCol)) && len(bulletItems(own.at(actCol))) < 2
	if b.recRow == r && b.cur >= 0 {
		if details > 0 {
			return false
		}
		// The recommendation's own row, with words but no owner, date or
		// update: a note on it ("To be addressed through R2, above").
		rec := b.s.Recommendations[b.cur]
		for _, t := range own {
			b.problem(cellKey{r, t.col}, plan.SeverityWarning, "%q is read as a note on %s, not as an action: it has no owner, date or update", short(clean(t.text)), or(rec.Title, "the recommendation"))
		}
		b.note(r, RowRecommendation, "%q, with a note and no action", short(rec.Label()))
		b.lastAction = -1
		return true
	}
	if details > 0 {
		// A step may have a date of its own, but no ref or owner.
		if b.lastAction >= 0 && ref == "" && text != "" && marked && !b.hasOwner(own) {
			var rest []string
			for _, t := range own {
				if t.col != actCol {
					rest = append(rest, clean(t.text))
				}
			}
			b.step(r, text+" ("+strings.Join(rest, "; ")+")", "under the action in row %d, marked as a step", b.s.Actions[b.lastAction].Row)
			return true
		}
		return false
	}
	var other string // text in a column that is neither ref nor action
	for _, t := range own {
		if t.col != refCol && t.col != actCol {
			other = clean(t.text)
			break
		}
	}
	switch {
	case text != "" && b.lastAction >= 0 && ref == "" && marked:
		b.step(r, text, "under the action in row %d, marked as a step", b.s.Actions[b.lastAction].Row)
		return true
	case text != "" && b.lastAction >= 0 && ref == "" && other == "" && b.refsGiven() && !headingLabel.MatchString(text):
		b.step(r, text, "under the action in row %d, with no ref of its own, owner or date", b.s.Actions[b.lastAction].Row)
		return true
	}
	// A heading: its text wherever it is, numbered by its ref or its label.
	label := text
	if label == "" {
		label = other
	}
	if label == "" {
		label = ref
	}
	if ref != "" && label != ref && headingNumber.MatchString(ref) {
		b.newRec(recHeading{ref: strings.TrimRight(ref, ".):"), title: ref, text: label, numbered: true}, label, cellKey{r, refCol})
		b.note(r, RowRecommendation, "numbered %q in %s, with no owner or date", ref, b.names[refCol])
	} else {
		rh := parseRec(label)
		if !rh.numbered {
			// Numbered by its row, so that it is never taken for a
			// numbered recommendation further down.
			rh = recHeading{ref: fmt.Sprintf("row %d", r), text: label}
		}
		b.newRec(rh, label, cellKey{r, own[0].col})
		b.note(r, RowHeading, "%q, with no owner, date or update", short(label))
	}
	b.section = label
	b.lastAction = -1
	return true
}

// hasOwner reports whether a row names an owner.
func (b *builder) hasOwner(own rowText) bool {
	for _, t := range own {
		for _, c := range b.h.owners {
			if t.col == c {
				return true
			}
		}
	}
	return false
}

// step adds a step row to the action above it: kept in its Extra, and its
// date, when it has one, read as the action's target if the action has
// none.
func (b *builder) step(r int, text, format string, args ...any) {
	a := &b.s.Actions[b.lastAction]
	a.Extra = append(a.Extra, plan.Field{Name: "Step", Value: text})
	b.note(r, RowStep, format, args...)
}

// refsGiven reports whether the sheet's actions so far have refs of their
// own: then a row without one, under an action, is a step.
func (b *builder) refsGiven() bool {
	n := 0
	for _, a := range b.s.Actions {
		if a.RefGiven {
			n++
		}
	}
	return len(b.s.Actions) > 0 && n*2 >= len(b.s.Actions)
}

// sectionRefs makes refs that restart under each section unique: "1" under
// "Payroll 2021/22" becomes "Payroll 2021/22 #1". Only a sheet whose given
// refs repeat is changed.
func (b *builder) sectionRefs() {
	count := map[string]int{}
	for _, a := range b.s.Actions {
		if a.RefGiven {
			count[a.Ref]++
		}
	}
	dup := false
	for _, n := range count {
		dup = dup || n > 1
	}
	if !dup {
		return
	}
	for i := range b.s.Actions {
		a := &b.s.Actions[i]
		if s := b.sections[i]; a.RefGiven && s != "" {
			a.Ref = qualify(s, a.Ref)
		}
	}
}

func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fits reports whether text is the kind of thing column c holds: a date
// in a date column, an owner in an owner column; anything in others.
func (b *builder) fits(c int, text string) bool {
	if b.hasOwner(rowText{{c, text}}) {
		return plan.LooksLikeOwner(text)
	}
	switch b.h.field[c] {
	case fieldTarget, fieldRevised, fieldStart, fieldSchedule, fieldCompleted:
		return dateLike(text)
	case fieldRAG:
		_, ok := ragWord(text, false)
		return ok
	case fieldPercent:
		_, ok := percentComplete(text)
		return ok
	}
	return true
}

// stepMarked reports whether a cell starts with a step's marker: "Task:",
// "Step 2", "- draft shared", "• book rooms".
func stepMarked(raw string) bool {
	t := strings.TrimLeft(raw, " \t\r\n")
	if t == "" {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(t); strings.ContainsRune("-–—•·*▪◦", r) {
		return true
	}
	end := 0
	for end < len(t) && end < 12 && (t[end]|0x20 >= 'a' && t[end]|0x20 <= 'z' || t[end] == '-') {
		end++
	}
	switch strings.ToLower(t[:end]) {
	case "task", "step", "sub-action", "subaction", "sub-task", "subtask", "activity", "milestone":
		return end == len(t) || !unicode.IsLetter(rune(t[end]))
	}
	return false
}
