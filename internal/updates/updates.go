// Package updates reads what an officer's progress update reports about its
// action, as a careful clerk reads it: done ("Improvement plan was reviewed
// by EDCS and submitted to Ofsted on 8th October 2020"), booked ("booked for
// 12/11/2020 and 12/05/2021"), in progress ("Improvement Board is being
// reconstituted"), postponed ("postponed to February 2021"), or nothing
// clear. The reading is shown with the officer's words quoted; it never
// changes an action's status or dates (only a "Date completed" does).
//
// It reads by rules, not guesses:
//
//   - The update is split into sentences (at line breaks, bullets, and a
//     full stop before anything but a small letter or a dash), and each
//     sentence into clauses (at ";", "but", "whilst", "although", "however",
//     "so", and at "and" when a verb follows it, so that "booked for
//     12/11/2020 and 12/05/2021" and "presentation to EMT and lead members
//     in November 2020" stay whole; never inside brackets). A relative
//     clause ("document that EDCS is coordinating") is passed over; after a
//     reporting verb ("EDCS has updated that he will liaise") the clause
//     reported is read on its own.
//   - A sentence that points at another action ("See above", "see
//     recommendation 1", "as action 2.4") is passed over.
//   - In each clause, cue words report a state: a past tense or a
//     participle after "has", "have", "was", "were" or "been" ("has been
//     submitted", "took place", "undertook", "is now in place", "Strategy
//     agreed by DMT") reports done; "booked", "diarised", "scheduled",
//     "arranged", "set for", "in the diary" report booked; "postponed",
//     "deferred", "delayed", "on hold", "paused", "cancelled", "extended to"
//     or "moved to" a date report postponed; "is being", "still to be",
//     "yet to", "underway", "ongoing", "awaiting", "started", "drafted", "is
//     developing" report in progress. A participle used as an adjective
//     ("the reconstituted Improvement Board", "Revised data requests") is no
//     cue.
//   - The words before a cue, back to the last cue or the clause's start,
//     qualify it. A negation ("not", "never", "no", "unable", "hasn't")
//     makes done or booked in progress ("not yet held"). A modal or future
//     ("will", "may", "should", "to be", "is due to", "planned to", "need
//     to") discards it ("will be submitted"), except that a future event
//     with a date is booked ("will take place on 3 March 2021") and a
//     future start is in progress ("due to begin in November 2020"). "Partly"
//     or "almost" make done in progress. A subject about something else
//     ("the next meeting", "another action", "other") is not done (it may
//     be booked); a plan for the future ("Plans are in place to hold …") is
//     passed over. An "and" with no subject of its own ("was reviewed and
//     submitted") shares the qualifiers before it.
//   - Done "for" a date ("request has been sent for Mid-October 2020") is a
//     booking.
//   - Of all the clauses, the reading is the first of the strongest:
//     postponed, then in progress, then done, then booked — so one clause
//     still under way outweighs another reported done — and, in a state, one
//     with a date before one without. Where the action's target is to
//     diarise, book or schedule something (BookingTarget), a booking ranks
//     with done: it meets the target.
//
// Dates are read by package dates (Find): "8th October 2020" is a day;
// "in October 2020" a month, taken as its last day as a target or a "Date
// completed" cell is (plan.PrecisionMonth keeps that it was a month). A
// date without its year ("wc 2nd November") is not read, and a sentence
// with no digit has no date. Done takes the latest date in its clause that
// says when ("on", "in", "at", "during", "by", or straight after the cue:
// "took place 23/08/12"), not "since March" nor a programme's "September
// 2012-March 2013"; booked the earliest after the cue; postponed the one
// after "to", "until", "till", "into" or "for". In progress has no date.
// "Completed by: 31st Mar 21" opening an update is a target, not a report.
package updates

import (
	"strings"
	"sync"
	"unicode"

	"papers/internal/dates"
	"papers/internal/plan"
)

// Read reads what action a's update reports about it.
func Read(a *plan.Action) plan.UpdateSays {
	booking := BookingTarget(a)
	r := read(a.Update, booking, a.Ref, a.Recommendation)
	r.BookingTarget = booking
	return r
}

// ReadText reads an update with no action to go with it: as Read, with
// no target to book and no ref of its own.
func ReadText(update string) plan.UpdateSays { return read(update, false, "", "") }

// BookingTarget reports whether an action's target is to diarise, book or
// schedule something ("Meetings to be diarised by 30th Sept 20"), so that a
// booking meets it: the target's text says so, or the action's text starts
// with such a verb ("Schedule quarterly meetings …").
func BookingTarget(a *plan.Action) bool {
	t := a.Schedule.Text
	for _, w := range bookingStems {
		if containsFold(t, w) {
			return true
		}
	}
	first := strings.TrimLeft(a.Text, " •·-*\t")
	if hasPrefixFold(first, "to ") {
		first = first[3:]
	}
	for _, w := range bookingVerbs {
		if hasPrefixFold(first, w) {
			return true
		}
	}
	return false
}

var (
	bookingStems = []string{"diaris", "diariz", "diary", "diaries", "book", "schedul", "arrang", "calendar", "timetabl"}
	bookingVerbs = []string{"diarise ", "diarize ", "book ", "schedule ", "arrange "}
)

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether s holds the lower-case ASCII sub, ignoring
// case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
	}
	return false
}

// noUpdate starts an update carried forward without a return (package
// returns writes it): nothing new was said.
const noUpdate = "no update received"

func read(text string, booking bool, ref, rec string) plan.UpdateSays {
	none := plan.UpdateSays{State: plan.UpdateNone}
	if hasPrefixFold(strings.TrimSpace(text), noUpdate) {
		return none
	}
	b := buffers.Get().(*buffer)
	defer buffers.Put(b)
	var best reading
	found := false
	for _, sp := range sentences(text) {
		var ds []dates.Mention
		if hasDigit(text[sp.pos:sp.end]) { // every date read has one
			ds = dates.Find(text[sp.pos:sp.end])
		}
		b.toks = tokenize(b.toks[:0], text, sp, ds)
		if pointsElsewhere(b.toks, ref, rec) {
			continue
		}
		for _, r := range readSentence(b, b.toks, ds) {
			r.sentence = sp
			if !found || r.better(&best, booking) {
				best, found = r, true
			}
		}
	}
	if !found {
		return none
	}
	return plan.UpdateSays{State: best.state, Date: best.date, Quote: quote(text[best.sentence.pos:best.sentence.end])}
}

// buffer is what reading an update needs, kept for the next update: a
// plan of 20,000 actions reads them side by side without making each
// one's anew.
type buffer struct {
	toks     []token   // the sentence's
	clause   []token   // its clauses, one after another
	clauses  [][]token // parts of clause
	readings []reading
}

var buffers = sync.Pool{New: func() any { return new(buffer) }}

// reading is one clause's reading.
type reading struct {
	state    plan.UpdateState
	date     plan.TargetDate
	sentence span
}

// rank orders states: the strongest first to be believed is the one most
// against the action being done.
func rank(s plan.UpdateState, booking bool) int {
	switch s {
	case plan.UpdatePostponed:
		return 5
	case plan.UpdateInProgress:
		return 4
	case plan.UpdateDone:
		return 3
	case plan.UpdateBooked:
		if booking {
			return 3
		}
		return 2
	}
	return 0
}

// better reports whether r is a better reading than b (which came first).
func (r *reading) better(b *reading, booking bool) bool {
	if x, y := rank(r.state, booking), rank(b.state, booking); x != y {
		return x > y
	}
	return !r.date.IsZero() && b.date.IsZero()
}

// quote is a sentence as quoted: its white space collapsed, a bullet
// before it dropped.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimLeftFunc(s, func(r rune) bool { return r == '-' || r == '–' || r == '*' || r == '·' || unicode.IsSpace(r) })
}

// pointsElsewhere reports whether a sentence points at another action or
// recommendation: "See above", "as above", "see recommendation 1", "as
// action 2.4", "refer to", "covered under". A mention of the action's own
// ref (or recommendation) does not count.
func pointsElsewhere(toks []token, ref, rec string) bool {
	for i := range toks {
		w := toks[i].w
		next := wordAt(toks, i+1)
		switch {
		case w == "see" && (next == "above" || next == "below" || next == "action" || next == "actions" ||
			next == "recommendation" || next == "rec" || next == "item" || next == "section" || next == "point" ||
			next == "appendix" || next == "ref" || i+1 < len(toks) && toks[i+1].num):
			return true
		case w == "as" && (next == "above" || next == "below"):
			return true
		case w == "refer" && next == "to", w == "covered" && (next == "under" || next == "in" || next == "by"),
			w == "duplicate" && next == "of", w == "duplicates":
			return true
		case (w == "action" || w == "rec" || w == "recommendation") && i+1 < len(toks) && toks[i+1].num:
			n := toks[i+1].w
			if n != strings.ToLower(ref) && n != strings.ToLower(rec) {
				return true
			}
		}
	}
	return false
}

// wordAt is the word at toks[i], or "".
func wordAt(toks []token, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return toks[i].w
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}
