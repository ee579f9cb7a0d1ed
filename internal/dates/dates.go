// Package dates reads the dates officers write in action plans: "By 31st Dec
// 20", "Start: Sept 20 Completed by: December 20", "Build into 21/22 business
// planning cycle", 31/12/2020. What it cannot read it keeps as text with a
// warning; it never guesses silently.
//
// # What a date means
//
// A date is read to a precision (plan.Precision) and taken as a day:
//
//   - A day: "31st Dec 20", "30 th Sept 20", "31/12/2020", "1/4/21" (1 April:
//     the day comes before the month), "2020-12-31", "31 December 2020",
//     "31-Dec-20", "December 31st 2020", "w/c 2nd November 2020" (the week's
//     first day). Two-digit years are 20xx; four-digit years must lie in
//     1900–2199.
//   - A month: "December 20", "Dec-20", "Sept. 2020", "12/2020", "2020-12".
//     As a target a month means its last day (Dec 20 is 31 December 2020); as
//     a start, its first day (Start: Sept 20 is 1 September 2020). A month
//     name then a two-digit number is a month and year, as in UK usage ("Dec
//     20" is December 2020); it is a day only with an ordinal or a four-digit
//     year after it ("Dec 20th 2020", "Dec 20, 2020").
//   - A bare number before a month is a day ("2 March 2021"), except after a
//     word that counts things: "Phase 2 March 2021" is March 2021.
//   - A financial year: "21/22", "2021/22", "2021-22", "2021/2022", "FY21/22"
//     (consecutive years only). As a target it means 31 March of its end
//     year, PrecisionFinancialYear. As a start it means 1 April of its first
//     year, given as PrecisionMonth (plan.TargetDate.Display shows a
//     financial year by its end date, so 1 April cannot carry that
//     precision).
//   - A quarter of a financial year: "Q3 2020/21", "Quarter 3 of 2020/21",
//     "2020/21 Q3". Q1 is April–June, Q2 July–September, Q3 October–December,
//     Q4 January–March. It is read like a month, PrecisionMonth: its last day
//     as a target (Q3 2020/21 is 31 December 2020), its first as a start. A
//     quarter of a calendar year ("Q3 2020") is not read: which quarter is
//     meant is unclear.
//   - "End of March 2021" is 31 March 2021 and "beginning of March 2021" is
//     1 March 2021, whether start or target, each PrecisionMonth (the
//     officer named a month, not a day). "End of 2020/21" is 31 March 2021,
//     PrecisionFinancialYear; "beginning of 2021/22" is 1 April 2021,
//     PrecisionMonth. "Mid", "early" and "late" are read past: "mid-March
//     2021" is March 2021.
//
// A lower-case "may" is never a month ("actions may slip") unless a day and a
// year stand either side of it ("3 may 2021"); "May" is, when a year comes
// with it.
//
// An Excel serial number given as text ("44196") is not read as a date: only
// the workbook reader, which sees the cell's type, can tell it is one.
//
// # Start and target
//
// A cell may hold a start and a target. "Start", "From", "Commencing" and
// "Between" introduce the start; "Completed by", "Complete by", "By",
// "Deadline", "Target", "Due", "End", "To" and "Until" introduce the target.
// Words such as "date", "the", "on" and ":" may stand between the keyword
// and its date ("Start date: Sept 20"). Two dates joined by "-", "to" or
// "until" ("Sept 20 - Dec 20", "Sept - Dec 20", "1st - 31st Dec 20"), or
// "between … and …", are a start and a target; the first of them takes its
// year, or month and year, from the second when it lacks them. A date
// followed by "onwards" is a start.
//
// A date no keyword introduces is the target when the cell has no
// introduced target. When several such dates compete, the latest is taken
// and a warning names them all. A financial year is context, not a target,
// when the cell has a more precise date that is: "Visits for 20/21 to be
// diarised by 30th September 20" is due on 30 September 2020. A date beside
// an introduced target is reported in a warning, unless it is such a
// financial year.
//
// # What is not read
//
// An empty or blank cell gives a zero Schedule and no warning. Otherwise,
// whenever the target is zero the Schedule carries a warning: `no date given
// ("Ongoing")` for words alone (Ongoing, TBC, N/A, Quarterly), "no target
// date" when only a start was given. An impossible date ("31/02/21", "By
// 32nd Dec 20", a year out of range) leaves both dates zero with a warning
// such as `cannot read date "By 32nd Dec 20": day 32 is not in December`. A
// date that lacks its year ("By 30th September", "by March") or its
// financial year ("Q3 2020") is warned about and left out. Numbers that may
// not be dates at all ("24/7", "12/20") are left out, and named in the
// warning only when the cell holds no date.
//
// Every date keeps the text it came from (plan.TargetDate.Text): the date and
// the keywords that introduce it, e.g. "Completed by: December 20".
//
// Parse never panics, takes time in proportion to the text's length, and
// allocates nothing for a cell it reads without a warning.
package dates

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"papers/internal/plan"
)

// ErrNoDate is matched (errors.Is) by the error ParseDate and ParseStart
// return for text that holds no date at all, such as "Ongoing" or "N/A".
var ErrNoDate = errors.New("no date given")

type dateError struct {
	msg    string
	noDate bool
}

func (e *dateError) Error() string { return e.msg }

func (e *dateError) Is(target error) bool { return e.noDate && target == ErrNoDate }

// Parse reads a "Start date / Completion date" cell into a start and a
// target date. Schedule.Text is text as given; Schedule.Warning says what
// could not be read, or what was chosen among several dates.
func Parse(text string) plan.Schedule {
	var tb [48]tok
	var fb [8]foundDate
	var n notes
	p := parser{s: text, toks: scan(text, tokBuf(text, tb[:0]))}
	p.found = p.read(fb[:0], &n)
	return p.schedule(text, &n)
}

// ParseDate reads a cell meant to hold one date (e.g. "Date completed"). A
// month gives its last day, a financial year 31 March of its end year. A
// blank cell gives a zero date and no error. Otherwise it returns an error,
// and a zero date keeping text, when the cell holds no date (errors.Is
// ErrNoDate), a date it cannot read, or more than one date.
func ParseDate(text string) (plan.TargetDate, error) { return parseOne(text, false) }

// ParseStart reads a cell meant to hold one start date (a separate "Start
// date" column), as ParseDate does, except that a month gives its first day
// and a financial year 1 April of its first year.
func ParseStart(text string) (plan.TargetDate, error) { return parseOne(text, true) }

func parseOne(text string, start bool) (plan.TargetDate, error) {
	var tb [48]tok
	var fb [8]foundDate
	var nt notes
	p := parser{s: text, toks: scan(text, tokBuf(text, tb[:0]))}
	p.found = p.read(fb[:0], &nt)
	if len(p.toks) == 0 {
		return plan.TargetDate{}, nil
	}
	fail := func(msg string, noDate bool) (plan.TargetDate, error) {
		return plan.TargetDate{Text: text}, &dateError{msg: msg, noDate: noDate}
	}
	if nt.hard != "" {
		return fail(nt.hard, false)
	}
	if nt.warn != "" {
		return fail(nt.warn, false)
	}
	fy := !p.hasPrecise()
	var one *foundDate
	n := 0
	for i := range p.found {
		if f := &p.found[i]; f.sp.fy == fy {
			one = f
			n++
		}
	}
	switch {
	case n == 0 && nt.weakWhy != "":
		return fail("cannot read date "+quote(text[nt.weakFrom:nt.weakEnd])+": "+nt.weakWhy, false)
	case n == 0:
		return fail("no date given ("+quote(text)+")", true)
	case n > 1:
		return fail("cell holds more than one date ("+p.list(roleAny, fy, true)+")", false)
	}
	if start {
		return p.start(text, one), nil
	}
	return p.target(text, one), nil
}

// tokBuf returns buf, or for a long text, a buffer that will mostly hold
// its tokens without growing (prose averages five bytes or more a token).
func tokBuf(text string, buf []tok) []tok {
	if len(text) > 8*cap(buf) {
		return make([]tok, 0, len(text)/4)
	}
	return buf
}

// read reads every date expression in the tokens, appending the dates it
// finds to found.
func (p *parser) read(found []foundDate, n *notes) []foundDate {
	last := 0 // the first token after the last expression
	for i := 0; i < len(p.toks); {
		r := p.dateAt(i)
		if r.n == 0 {
			i++
			continue
		}
		if r.none {
			i += r.n
			continue
		}
		role, from, kw := p.lookBack(i, last)
		if role == roleNone && p.wordIf(i+r.n)&wOnwards != 0 {
			role = roleStart // "Sept 20 onwards"
		}
		end := p.toks[i+r.n-1].end
		if p.toks[i+r.n-1].fl&fGlued != 0 && i+r.n < len(p.toks) {
			end = p.toks[i+r.n].end // "20xx"
		}
		switch {
		case r.err != "":
			n.note(&n.hard, &n.nHard, p.s[from:end], r.err)
		case r.soft != "" || r.weak != "" && role != roleNone:
			why := r.soft
			if why == "" {
				why = r.weak
			}
			n.note(&n.warn, &n.nWarn, p.s[from:end], why)
		case r.weak != "":
			if n.weakWhy == "" {
				n.weakFrom, n.weakEnd, n.weakWhy = from, end, r.weak
			}
		default:
			found = append(found, foundDate{sp: r.sp, role: role, between: kw&wBetween != 0,
				a: i, b: i + r.n, from: from, end: end})
		}
		i += r.n
		last = i
	}
	return found
}

// lookBack finds the keyword that introduces the expression at token i,
// looking back no further than token limit: its role, where the fragment
// starts, and the keyword's classes.
func (p *parser) lookBack(i, limit int) (role uint8, from int, kw uint32) {
	from = p.toks[i].pos
	for k, steps := i-1, 0; k >= limit && steps < 8; k, steps = k-1, steps+1 {
		t := &p.toks[k]
		switch t.kind {
		case kPunct:
			switch t.c {
			case ':', '-', ',', '(', '/', '\'', '"':
				continue
			case '.': // "approx. Dec 20"
				if k > limit && p.wordIf(k-1)&(wFiller|wPrefix) != 0 {
					continue
				}
			}
			return
		case kWord:
			c := t.cls
			switch {
			case c&wWeekVerb != 0 && k > limit && p.wordIf(k-1)&wWeek != 0:
				// "week commencing": part of the date, not a start
				k--
				from = p.toks[k].pos
			case c&(wStart|wTarget) != 0:
				if role == roleNone {
					role, kw = roleTarget, c
					if c&wStart != 0 {
						role = roleStart
					}
				}
				from = t.pos
			case c&wPrefix != 0:
				from = t.pos
			case c&wFiller != 0:
			default:
				return
			}
		default:
			return
		}
	}
	return
}

// rangeGap reports whether the tokens [a, b) join two dates into a range:
// one "-", "to", "until" (or "and" after "between"), and fillers.
func (p *parser) rangeGap(a, b int, between bool) bool {
	marks := 0
	for k := a; k < b; k++ {
		t := &p.toks[k]
		switch {
		case t.kind == kPunct && t.c == '-':
			marks++
		case t.kind == kWord && (t.cls&wRange != 0 || between && t.cls&wAnd != 0):
			marks++
		case t.kind == kWord && t.cls&(wFiller|wPrefix) != 0:
		default:
			return false
		}
	}
	return marks == 1
}

// hasPrecise reports whether any date read is more precise than a financial year.
func (p *parser) hasPrecise() bool {
	for i := range p.found {
		if !p.found[i].sp.fy {
			return true
		}
	}
	return false
}

// start returns f as a start date. (The text is passed apart from the parser
// so that the parser's token buffers, which escape analysis cannot tell from
// the text, stay on the stack.)
func (p *parser) start(text string, f *foundDate) plan.TargetDate {
	prec := f.sp.prec
	if prec == plan.PrecisionFinancialYear {
		prec = plan.PrecisionMonth // 1 April; see the package comment
	}
	return plan.TargetDate{Date: toTime(f.sp.lo), Precision: prec, Text: text[f.from:f.end]}
}

// target returns f as a target date.
func (p *parser) target(text string, f *foundDate) plan.TargetDate {
	return plan.TargetDate{Date: toTime(f.sp.hi), Precision: f.sp.prec, Text: text[f.from:f.end]}
}

// schedule settles the dates read from text into a start and a target.
func (p *parser) schedule(text string, n *notes) plan.Schedule {
	s := plan.Schedule{Text: text}
	if len(p.toks) == 0 {
		return s
	}
	if n.hard != "" {
		s.Warning = n.hard
		return s
	}
	// Ranges: "Sept 20 - Dec 20", "from Sept 20 to Dec 20", "between … and …".
	for i := 0; i+1 < len(p.found); i++ {
		a, b := &p.found[i], &p.found[i+1]
		if a.role != roleTarget && b.role != roleStart && a.sp.fy == b.sp.fy && p.rangeGap(a.b, b.a, a.between) {
			a.role, b.role = roleStart, roleTarget
		}
	}
	var st, tg *foundDate
	nStart, nTarget, nLoose, nLooseFY := 0, 0, 0, 0
	for i := range p.found {
		f := &p.found[i]
		switch f.role {
		case roleStart:
			nStart++
			if st == nil || f.sp.lo < st.sp.lo {
				st = f
			}
		case roleTarget:
			nTarget++
			if tg == nil || f.sp.hi > tg.sp.hi {
				tg = f
			}
		default:
			if f.sp.fy {
				nLooseFY++
			} else {
				nLoose++
			}
		}
	}
	warn := n.warn
	if nStart > 1 {
		warn = join(warn, "cell holds more than one start date ("+p.list(roleStart, false, false)+
			"); took the earliest, "+quote(p.s[st.from:st.end])+", as the start")
	}
	switch {
	case nTarget > 1:
		all := p.list(roleTarget, false, false)
		if nLoose > 0 {
			all += ", " + p.list(roleNone, false, true)
		}
		warn = join(warn, "cell holds more than one target date ("+all+
			"); took the latest, "+quote(p.s[tg.from:tg.end])+", as the target")
	case nTarget == 1 && nLoose > 0:
		warn = join(warn, "cell holds more than one date: took "+quote(p.s[tg.from:tg.end])+
			" as the target, not "+p.list(roleNone, false, true))
	case nTarget == 0 && (nLoose > 0 || nLooseFY > 0):
		fy := nLoose == 0
		cands := 0
		for i := range p.found {
			if f := &p.found[i]; f.role == roleNone && f.sp.fy == fy {
				cands++
				if tg == nil || f.sp.hi > tg.sp.hi {
					tg = f
				}
			}
		}
		if cands > 1 {
			warn = join(warn, "cell holds more than one date ("+p.list(roleNone, fy, true)+
				"); took the latest, "+quote(p.s[tg.from:tg.end])+", as the target")
		}
	}
	if st != nil {
		s.Start = p.start(text, st)
	}
	if tg != nil {
		s.Target = p.target(text, tg)
	}
	switch {
	case tg == nil && st != nil:
		warn = join(warn, "no target date")
	case tg == nil && n.warn == "" && n.weakWhy != "":
		warn = join(warn, "cannot read date "+quote(text[n.weakFrom:n.weakEnd])+": "+n.weakWhy)
	case tg == nil && n.warn == "":
		warn = join(warn, "no date given ("+quote(p.s)+")")
	case st != nil && st.sp.lo > tg.sp.hi:
		warn = join(warn, "start date "+quote(p.s[st.from:st.end])+" is after the target date "+
			quote(p.s[tg.from:tg.end]))
	}
	s.Warning = warn
	return s
}

// list quotes the fragments of the dates with the given role (roleAny for
// all), and, when matchFY, whose fy is fy; comma-separated.
func (p *parser) list(role uint8, fy, matchFY bool) string {
	var b strings.Builder
	n := 0
	for i := range p.found {
		f := &p.found[i]
		if role != roleAny && f.role != role || matchFY && f.sp.fy != fy {
			continue
		}
		if n == 6 {
			b.WriteString(", …")
			break
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(p.s[f.from:f.end]))
		n++
	}
	return b.String()
}

// maxNotes is how many fragments a warning names before it says "…".
const maxNotes = 3

// note adds `cannot read date "frag": why` to *to, the count-th such note.
func (n *notes) note(to *string, count *int, frag, why string) {
	*count++
	switch {
	case *count <= maxNotes:
		*to = join(*to, "cannot read date "+quote(frag)+": "+why)
	case *count == maxNotes+1:
		*to += "; …"
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// quote quotes text for a warning: its whitespace collapsed and trimmed, cut
// to 60 characters.
func quote(s string) string {
	var b strings.Builder
	space, n := false, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if isSpace(r) || r < ' ' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
			n++
		}
		if n == 60 {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return strconv.Quote(b.String())
}
