package updates

import (
	"papers/internal/dates"
	"papers/internal/plan"
)

// clauseSplitters are the words that start a new clause.
var clauseSplitters = set(`and but whilst while although though however whereas so`)

// relativeWords start a relative clause after a noun, which is passed over.
var relativeWords = set(`that which who whom whose where`)

// clauses splits a sentence's tokens into clauses: at ";" and the
// clauseSplitters (not beside a date, nor inside brackets, nor in "up and
// running"), passing over relative clauses ("that EDCS is coordinating")
// to the next "," ";" or splitter. After a reporting verb ("has updated
// that …") what follows "that" is a clause of its own.
func clauses(b *buffer, toks []token) [][]token {
	out := b.clauses[:0]
	defer func() { b.clauses = out }()
	// Every clause is a part of one buffer, which never grows: a clause
	// holds fewer tokens than the sentence.
	if cap(b.clause) < len(toks) {
		b.clause = make([]token, 0, len(toks)+len(toks)/2)
	}
	buf := b.clause[:0]
	cur := buf
	depth := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur[:len(cur):len(cur)])
		}
		buf = buf[:len(buf)+len(cur)]
		cur = buf[len(buf):len(buf)]
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.p == '(' || t.p == '[':
			depth++
		case t.p == ')' || t.p == ']':
			if depth > 0 {
				depth--
			}
		case t.p == ';' && depth == 0:
			flush()
			continue
		case depth == 0 && t.is(cSplitter):
			next := wordAt(toks, i+1)
			switch {
			case t.w == "and" && (wordAt(toks, i-1) == "up" && next == "running" || wordAt(toks, i-1) == "between"):
				// "up and running", "between … and …"
			case (t.w == "and" || t.w == "or") && !clauseAhead(toks, i+1):
				// "presentation to EMT and lead members in November 2020",
				// "booked for 12/11/2020 and 12/05/2021": no verb follows,
				// so no new clause.
			case t.w == "so" && (next == "far" || next == "much" || next == "as"):
			case t.w == "so" && next == "that":
				// A purpose ("so that we can embed …"): passed over.
				flush()
				i = skipRelative(toks, i+2)
				continue
			default:
				flush()
				continue
			}
		case t.is(cRelative) && len(cur) > 0:
			prev := cur[len(cur)-1]
			if t.w == "that" && prev.is(cReporting) {
				// "EDCS has updated that he will liaise …": the report is
				// read, not the reporting.
				cur = cur[:len(cur)-1]
				flush()
				continue
			}
			if prev.p != 0 && prev.p != ')' && prev.p != '\'' && prev.p != '"' {
				break // "…: that meeting"
			}
			if prev.is(cFunction) {
				break // "to that end", "and that"
			}
			i = skipRelative(toks, i+1)
			continue
		}
		cur = append(cur, t)
	}
	flush()
	return out
}

// clauseAhead reports whether the words from toks[i] to the next ";" or
// clause splitter hold a verb: an auxiliary or modal, or a word that may be
// a cue ("and submitted to Ofsted", "and practitioner representatives are
// being invited").
func clauseAhead(toks []token, i int) bool {
	for ; i < len(toks); i++ {
		t := &toks[i]
		if t.p == ';' || t.is(cSplitter) {
			return false
		}
		if w := t.w; t.is(cBe|cHave|cModal|cDone|cProgress|cBook|cPostpone|cEd) ||
			w == "underway" || w == "ongoing" || w == "place" {
			return true
		}
	}
	return false
}

// skipRelative passes over a relative clause starting at toks[i], up to
// the next "," ";" or clause splitter (outside brackets), and returns the
// index of the last token passed over.
func skipRelative(toks []token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.p == '(':
			depth++
		case t.p == ')':
			if depth == 0 {
				return i - 1
			}
			depth--
		case depth == 0 && (t.p == ',' || t.p == ';' || t.is(cSplitter) && t.w != "so"):
			return i - 1
		}
	}
	return i - 1
}

// cueKind is what a cue word reports before the words around it qualify it.
type cueKind int

const (
	cueDone cueKind = iota + 1
	cueBooked
	cueProgress
	cuePostponed
	cueEvent // an event that may lie ahead: "take place", "meet"
	cueStart // work beginning: "begin", "start"
)

// cue is a cue found in a clause: its kind and tokens [i, end).
type cue struct {
	kind   cueKind
	i, end int
	word   string
}

// qualifiers are what the words before a cue say about it.
type qualifiers struct {
	neg, modal, toInf, partial, other, plan, will bool
	yet                                           bool // "still to be", "yet to be": not done yet
	planSubject                                   bool // "Plans are in place to …" once "to" follows
}

func (q qualifiers) or(p qualifiers) qualifiers {
	return qualifiers{neg: q.neg || p.neg, modal: q.modal || p.modal, toInf: q.toInf || p.toInf,
		partial: q.partial || p.partial, other: q.other || p.other, plan: q.plan || p.plan, will: q.will || p.will,
		yet: q.yet || p.yet, planSubject: q.planSubject || p.planSubject}
}

// readSentence reads each clause of a sentence, returning a reading for
// each cue that counts.
func readSentence(b *buffer, toks []token, ds []dates.Mention) []reading {
	out := b.readings[:0]
	defer func() { b.readings = out }()
	var last *qualifiers // the qualifiers of the last cue, for an "and" with no subject
	for _, cl := range clauses(b, toks) {
		from := 0
		for i := 0; i < len(cl); {
			c, ok := cueAt(cl, i)
			if !ok {
				i++
				continue
			}
			q := qualify(cl, from, c.i)
			if last != nil && !hasContent(cl[from:c.i]) {
				q = q.or(*last)
			}
			last = &q
			if q.plan || q.planSubject && infinitive(cl, c.end) {
				break // a plan for the future: "Plans are in place to hold …"
			}
			if r, ok := resolve(cl, c, q, ds); ok {
				out = append(out, r)
			}
			from = c.end
			i = c.end
		}
	}
	return out
}

// infinitive reports whether toks[i] is "to" and a verb: "to hold", not
// "to Ofsted" or "to the data team".
func infinitive(toks []token, i int) bool {
	if wordAt(toks, i) != "to" || i+1 >= len(toks) {
		return false
	}
	t := &toks[i+1]
	return t.isWord() && !t.upper && !t.is(cDet|cPrep)
}

// hasContent reports whether toks hold a word other than a conjunction or
// an adverb, or a date.
func hasContent(toks []token) bool {
	for i := range toks {
		t := &toks[i]
		if t.date > 0 || t.w != "" && !t.is(cConj|cAdverb|cBe|cHave) {
			return true
		}
	}
	return false
}

// qualify reads the words toks[from:at] before a cue.
func qualify(toks []token, from, at int) qualifiers {
	var q qualifiers
	for k := from; k < at; k++ {
		t := &toks[k]
		w := t.w
		next := wordAt(toks, k+1)
		switch {
		case t.is(cNeg) && !(w == "no" && t.upper && k > 0):
			// (Not "the No Limits advocacy service".)
			q.neg = true
		case t.is(cModal) && !(w == "may" && t.upper && k > 0):
			q.modal = true
			if w == "will" || w == "shall" {
				q.will = true
			}
		case w == "to" && k > from && toks[k-1].is(cIntent):
			q.modal = true
		case t.is(cPartial):
			q.partial = true
		case t.is(cOther):
			q.other = true
		case t.is(cPlan) && (next == "to" || next == "for"):
			q.plan = true
		case t.is(cPlan):
			q.planSubject = true
		}
		if toks[k].p == '%' && k > 0 && toks[k-1].num && toks[k-1].w != "100" {
			q.partial = true
		}
	}
	// "to be diarised", "is to be reviewed": an infinitive.
	for k := at - 1; k >= from; k-- {
		w := toks[k].w
		if w == "to" {
			switch prev := wordAt(toks, k-1); prev {
			case "still", "yet":
				q.yet = true
			case "had":
				// "had to be cancelled": it was, not it will be.
			default:
				q.toInf = true
			}
			break
		}
		if !toks[k].is(cBe | cHave | cAdverb) {
			break
		}
	}
	return q
}

// resolve turns a qualified cue into a reading, or drops it.
func resolve(toks []token, c cue, q qualifiers, ds []dates.Mention) (reading, bool) {
	future := q.modal || q.toInf
	switch c.kind {
	case cueStart:
		return reading{state: plan.UpdateInProgress}, true
	case cueEvent:
		if q.neg {
			return reading{state: plan.UpdateInProgress}, true
		}
		if d, ok := dateAfter(toks, c.end, ds, firstDate); future && ok {
			return reading{state: plan.UpdateBooked, date: d}, true
		}
		return reading{}, false
	case cueDone:
		switch {
		case q.neg || q.yet:
			return reading{state: plan.UpdateInProgress}, true
		case future:
			if toks[c.i].is(cEvent) {
				if d, ok := dateAfter(toks, c.end, ds, firstDate); ok {
					return reading{state: plan.UpdateBooked, date: d}, true
				}
			}
			return reading{}, false
		case q.partial:
			return reading{state: plan.UpdateInProgress}, true
		}
		if d, ok := dateAfter(toks, c.end, ds, forDate); ok {
			return reading{state: plan.UpdateBooked, date: d}, true
		}
		if q.other {
			return reading{}, false
		}
		return reading{state: plan.UpdateDone, date: doneDate(toks, c, ds)}, true
	case cueBooked:
		switch {
		case q.neg || q.yet:
			return reading{state: plan.UpdateInProgress}, true
		case future:
			return reading{}, false
		}
		d, ok := dateAfter(toks, c.end, ds, firstDate)
		if !ok {
			d, _ = dateBefore(toks, c.i, ds)
		}
		return reading{state: plan.UpdateBooked, date: d}, true
	case cuePostponed:
		if q.neg || future && !q.will {
			return reading{}, false
		}
		d, _ := dateAfter(toks, c.end, ds, toDate)
		return reading{state: plan.UpdatePostponed, date: d}, true
	case cueProgress:
		if future && !q.neg && !q.yet {
			return reading{}, false
		}
		return reading{state: plan.UpdateInProgress}, true
	}
	return reading{}, false
}

// Which date after a cue to take.
const (
	firstDate = iota // the first date after the cue
	forDate          // the first date after the cue, when "for" introduces it: a booking
	toDate           // the date after "to", "until", "till", "for" or "into"; else the first
)

// dateAfter finds a date in toks after index from.
func dateAfter(toks []token, from int, ds []dates.Mention, which int) (plan.TargetDate, bool) {
	var first *token
	for k := from; k < len(toks); k++ {
		t := &toks[k]
		if t.date == 0 {
			continue
		}
		intro := introducer(toks, k)
		switch which {
		case forDate:
			d := ds[t.date-1].Date
			if intro == "for" && d.Precision >= plan.PrecisionMonth {
				return d, true
			}
			return plan.TargetDate{}, false
		case toDate:
			if intro == "to" || intro == "until" || intro == "till" || intro == "for" || intro == "into" {
				return ds[t.date-1].Date, true
			}
		}
		if first == nil {
			first = t
		}
		if which == firstDate {
			break
		}
	}
	if first == nil {
		return plan.TargetDate{}, false
	}
	return ds[first.date-1].Date, true
}

// dateBefore finds the first date in toks before index to.
func dateBefore(toks []token, to int, ds []dates.Mention) (plan.TargetDate, bool) {
	for k := 0; k < to; k++ {
		if toks[k].date > 0 {
			return ds[toks[k].date-1].Date, true
		}
	}
	return plan.TargetDate{}, false
}

// doneDate is the date a done cue gives: the latest date after it in its
// clause, else the latest before it; never one after "since" or "from".
func doneDate(toks []token, c cue, ds []dates.Mention) plan.TargetDate {
	pick := func(from, to int) plan.TargetDate {
		var d plan.TargetDate
		for k := from; k < to; k++ {
			t := &toks[k]
			if t.date == 0 {
				continue
			}
			// "on 8th October 2020", "in October 2020", "took place
			// 23/08/12"; not "since March", "for 12 May 2021", nor a
			// programme's "September 2012-March 2013".
			switch in := introducer(toks, k); {
			case in == "on" || in == "in" || in == "at" || in == "during" || in == "by" || in == "dated" || in == "and" || in == "":
			case k > 0 && k-1 < c.end && k-1 >= c.i:
			default:
				continue
			}
			if m := ds[t.date-1].Date; d.IsZero() || m.Date.After(d.Date) {
				d = m
			}
		}
		return d
	}
	if d := pick(c.end, len(toks)); !d.IsZero() {
		return d
	}
	return pick(0, c.i)
}

// introducer is the word before the date at toks[k], passing over "the",
// "end", "of", "mid", "early" and the like.
func introducer(toks []token, k int) string {
	for j := k - 1; j >= 0 && j >= k-4; j-- {
		switch w := toks[j].w; w {
		case "the", "end", "of", "mid", "early", "late", "beginning", "start", "wc", "w", "c", "week", "commencing", "":
			if toks[j].p != 0 && toks[j].p != '-' && toks[j].p != '/' {
				return ""
			}
			continue
		default:
			return w
		}
	}
	return ""
}

// cueAt reads the cue that starts at toks[i], if any.
func cueAt(toks []token, i int) (cue, bool) {
	t := &toks[i]
	w := t.w
	if w == "" || t.num {
		return cue{}, false
	}
	next, next2 := wordAt(toks, i+1), wordAt(toks, i+2)
	mk := func(k cueKind, n int) (cue, bool) { return cue{kind: k, i: i, end: i + n, word: w}, true }
	if t.is(cStart | cEventBase) {
		// "will begin", "to meet on …": qualified by what comes before.
		if a := aux(toks, i); a.modal || a.to {
			if t.is(cStart) {
				return mk(cueStart, 1)
			}
			return mk(cueEvent, 1)
		}
	}
	switch {
	// Phrases.
	case (w == "took" || w == "taken") && next == "place":
		return mk(cueDone, 2)
	case (w == "take" || w == "takes") && next == "place":
		return mk(cueEvent, 2)
	case (w == "went" || w == "gone") && next == "live":
		return mk(cueDone, 2)
	case (w == "go" || w == "goes") && next == "live":
		return mk(cueStart, 2)
	case w == "in" && next == "place":
		return mk(cueDone, 2)
	case w == "put" && next == "in" && next2 == "place":
		return mk(cueDone, 3)
	case w == "up" && next == "and" && next2 == "running":
		return mk(cueDone, 3)
	case (w == "put" || w == "pushed" || w == "moved" || w == "set") && next == "back":
		return mk(cuePostponed, 2)
	case w == "taking" && next == "place":
		return mk(cueProgress, 2)
	case w == "on" && next == "hold":
		return mk(cuePostponed, 2)
	case w == "on" && (next == "track" || next == "target"):
		return mk(cueProgress, 2)
	case w == "under" && (next == "way" || next == "review" || next == "consideration" || next == "development" ||
		next == "exploration" || next == "discussion" || next == "negotiation" || next == "construction"):
		return mk(cueProgress, 2)
	case w == "in" && (next == "progress" || next == "hand" || next == "train" || next == "development" || next == "draft" || next == "discussion"):
		return mk(cueProgress, 2)
	case w == "no" && next == "progress":
		return mk(cueProgress, 2)
	case w == "underway" || w == "awaiting" || w == "awaited" || w == "pending" || w == "progressing" ||
		w == "continues" || w == "continued" || w == "continuing":
		return mk(cueProgress, 1)
	case w == "ongoing":
		// "Ongoing", "is ongoing", "remains ongoing", "work ongoing" — not
		// "clear on-going arrangements in place".
		prev := wordAt(toks, i-1)
		if i == 0 || is(toks, i-1, cBe) || prev == "remains" || prev == "remain" || prev == "work" || prev == "works" ||
			i+1 == len(toks) || toks[i+1].p != 0 || prev == "with" {
			return mk(cueProgress, 1)
		}
		return cue{}, false
	case w == "outstanding":
		if prev := wordAt(toks, i-1); is(toks, i-1, cBe) || prev == "remains" || prev == "remain" || prev == "still" {
			return mk(cueProgress, 1)
		}
		return cue{}, false
	case w == "still":
		if next == "to" || next == "being" || next == "awaited" || next == "awaiting" || next == "ongoing" ||
			next == "outstanding" || next == "pending" || next == "underway" || next == "in" || next == "under" ||
			next == "not" || is(toks, i+1, cIng) {
			return mk(cueProgress, 1)
		}
		return cue{}, false
	case w == "yet":
		if is(toks, i-1, cNeg|cHave|cBe) || wordAt(toks, i-1) == "still" {
			return mk(cueProgress, 1)
		}
		if i == 0 || next == "to" {
			return mk(cueProgress, 1)
		}
		return cue{}, false
	case w == "being" && i+1 < len(toks) && participle(toks, i+1):
		return mk(cueProgress, 2)
	case w == "due":
		if next == "to" {
			if is(toks, i+2, cStart) || next2 == "go" && wordAt(toks, i+3) == "live" {
				return mk(cueStart, 3)
			}
			return cue{}, false
		}
		for k := i + 1; k < len(toks) && k <= i+3; k++ {
			if toks[k].date > 0 {
				return mk(cueBooked, 1)
			}
		}
		return cue{}, false
	case w == "set":
		switch {
		case next == "up":
			return verbCue(toks, i, cueDone, 2)
		case next == "for":
			return mk(cueBooked, 1)
		case next == "to" || next == "out":
			return cue{}, false
		}
		if aux(toks, i).past || aux(toks, i).present {
			return mk(cueBooked, 1)
		}
		return cue{}, false
	case (w == "diary" || w == "diaries") && (wordAt(toks, i-1) == "in" || wordAt(toks, i-2) == "in" ||
		wordAt(toks, i-3) == "in" || wordAt(toks, i-4) == "in"):
		return mk(cueBooked, 1)
	case (w == "planned" || w == "organised" || w == "organized" || w == "confirmed" || w == "fixed") && next == "for" &&
		i+2 < len(toks) && toks[i+2].date > 0:
		return mk(cueBooked, 1)
	case t.is(cSlip) && (next == "to" || next == "until" || next == "till" || next == "into") && i+2 < len(toks) && toks[i+2].date > 0:
		return mk(cuePostponed, 1)
	case t.is(cPostpone):
		if adjectival(toks, i) {
			return cue{}, false
		}
		return mk(cuePostponed, 1)
	case t.is(cBook):
		if adjectival(toks, i) {
			return cue{}, false
		}
		return mk(cueBooked, 1)
	case t.is(cReporting) && next == "that":
		return cue{}, false
	case t.is(cIntent) && infinitive(toks, i+1):
		return cue{}, false
	case w == "complete":
		return completeCue(toks, i)
	case w == "done":
		if a := aux(toks, i); a.past || a.present || i == 0 {
			return mk(cueDone, 1)
		}
		return cue{}, false
	case w == "signed" && next == "off", (w == "carried" || w == "rolled" || w == "sent" || w == "handed" || w == "signed" || w == "drawn") &&
		(next == "out" || next == "over" || next == "up"):
		return verbCue(toks, i, cueDone, 2)
	case t.is(cProgress):
		return verbCue(toks, i, cueProgress, 1)
	case w == "signedoff":
		return verbCue(toks, i, cueDone, 1)
	}
	// A participle after "has", "was", "been" …, or a known one as a verb.
	if a := aux(toks, i); a.past && participle(toks, i) {
		return mk(cueDone, 1)
	}
	if t.is(cDone) {
		if targetWords(toks, i) {
			return cue{}, false
		}
		return verbCue(toks, i, cueDone, 1)
	}
	// "are coordinating", "is leading on": work under way.
	if t.is(cIng) && !t.is(cIngNotWork) {
		if a := aux(toks, i); a.present || a.past {
			return mk(cueProgress, 1)
		}
	}
	return cue{}, false
}

// targetWords reports whether the word at toks[i] opens a target written
// as a schedule writes one, "Completed by: 31st Mar 21" (after nothing, a
// date or a colon): a target, not a report.
func targetWords(toks []token, i int) bool {
	if i > 0 && toks[i-1].date == 0 && toks[i-1].p != ':' {
		return false
	}
	k := i + 1
	if wordAt(toks, k) != "by" {
		return false
	}
	k++
	if k < len(toks) && toks[k].p == ':' {
		k++
	}
	return k < len(toks) && toks[k].date > 0
}

// auxiliaries are the auxiliary verbs before a word.
type auxiliaries struct {
	past    bool // has, have, had, was, were, been
	have    bool // has, have, had
	present bool // is, are, am
	now     bool // "now" among them: "is now in place"
	modal   bool // will, may, …
	to      bool // "to" (an infinitive)
}

// aux reads the auxiliaries and adverbs just before toks[i].
func aux(toks []token, i int) auxiliaries {
	var a auxiliaries
	for k := i - 1; k >= 0; k-- {
		t := &toks[k]
		w := t.w
		switch {
		case w == "":
			return a
		case t.is(cPastAux):
			a.past = true
			a.have = a.have || t.is(cHave)
		case w == "is" || w == "are" || w == "am":
			a.present = true
		case w == "be" || w == "being":
		case t.is(cModal):
			a.modal = true
			return a
		case w == "to":
			a.to = true
			return a
		case w == "now":
			a.now = true
		case t.is(cAdverb):
		default:
			return a
		}
	}
	return a
}

// participle reports whether toks[i] is a past participle: a known one,
// or a word ending in -ed that is no adjective of need or plan.
func participle(toks []token, i int) bool {
	t := &toks[i]
	return t.isWord() && t.is(cDone|cBook|cPostpone|cProgress|cSlip|cEd|cIrregular)
}

// notParticiple are -ed words that report nothing done after "is" or
// "has been": "is required", "has been asked to".
var notParticiple = set(`based needed required interested involved concerned expected planned proposed hoped
	intended asked supposed used tasked focused focussed linked related aligned pleased committed obliged
	entitled titled called named headed unable noted reminded encouraged advised superseded subsumed`)

// adjectival reports whether the participle at toks[i] qualifies a noun:
// after a determiner or preposition ("the reconstituted Board", "with
// revised dates").
func adjectival(toks []token, i int) bool {
	k := i - 1
	for k >= 0 && toks[k].is(cAdverb) {
		k--
	}
	if k < 0 {
		return false
	}
	t := &toks[k]
	return t.is(cDet) || t.is(cPrep) && t.w != "by" || t.w == "new"
}

// verbCue reads a done (or in-progress) word at toks[i] as a verb, or not:
// after an auxiliary ("has been submitted", "is now established"); after a
// subject ("EDC attended", "Lead representatives established", "new chair
// … appointed"); or opening a clause with an object or nothing after it
// ("Reviewed the model", "Completed."). After a determiner or preposition,
// or opening a clause that has its own verb later ("Revised data requests
// have been submitted"), it is an adjective.
func verbCue(toks []token, i int, kind cueKind, n int) (cue, bool) {
	c := cue{kind: kind, i: i, end: i + n, word: toks[i].w}
	a := aux(toks, i)
	switch {
	case a.past:
		return c, true
	case a.present:
		if a.now || toks[i].is(cState) || kind == cueProgress {
			return c, true
		}
		return cue{}, false
	case a.modal || a.to:
		return c, true // qualified as future by the words before it
	}
	k := i - 1
	for k >= 0 && toks[k].is(cAdverb) {
		k--
	}
	if k >= 0 {
		t := &toks[k]
		switch {
		case t.date > 0:
		case t.p != 0:
			if t.p == ')' || t.p == '\'' || t.p == '"' || t.p == '”' {
				return c, true
			}
		case t.is(cFunction):
			return cue{}, false
		default:
			return c, true // after a subject
		}
	}
	// Opening the clause.
	if i+n >= len(toks) {
		return c, true
	}
	nt := &toks[i+n]
	if nt.p != 0 || nt.date > 0 || nt.is(cDet|cPrep|cConj|cAdverb) {
		return c, true
	}
	for k := i + n; k < len(toks); k++ {
		if toks[k].is(cBe | cHave | cModal) {
			return cue{}, false
		}
	}
	return c, true
}

// completeCue reads "complete": done after "is" or "now" or a subject, at
// a clause's end or before a date or preposition ("Action complete",
// "is now complete", "complete 8 October 2020"); not as a verb with an
// object ("complete the revision"), nor after a percentage below 100.
func completeCue(toks []token, i int) (cue, bool) {
	c := cue{kind: cueDone, i: i, end: i + 1, word: "complete"}
	if i+1 < len(toks) {
		nt := &toks[i+1]
		if nt.isWord() && !nt.is(cPrep|cConj|cAdverb) {
			return cue{}, false
		}
	}
	if i > 0 && toks[i-1].p == '%' {
		if i > 1 && toks[i-2].w != "100" {
			c.kind = cueProgress
		}
		return c, true
	}
	a := aux(toks, i)
	if a.past || a.present || a.now || a.modal || a.to {
		return c, true
	}
	if i == 0 {
		return c, true
	}
	k := i - 1
	for k >= 0 && toks[k].is(cAdverb) {
		k--
	}
	if k < 0 || toks[k].p != 0 || !toks[k].is(cFunction) {
		return c, true
	}
	return cue{}, false
}
