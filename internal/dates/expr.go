package dates

import (
	"strconv"
	"time"

	"papers/internal/plan"
)

// span is what one date expression means: the days from lo to hi (as
// yyyymmdd) given to a precision. A start takes lo, a target hi.
type span struct {
	lo, hi int
	prec   plan.Precision
	fy     bool // a financial year: context when the cell has a more precise date
}

func key(y, m, d int) int { return y*10000 + m*100 + d }

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if leap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func daySpan(y, m, d int) span {
	k := key(y, m, d)
	return span{lo: k, hi: k, prec: plan.PrecisionDay}
}

func monthSpan(y, m int) span {
	return span{lo: key(y, m, 1), hi: key(y, m, daysIn(y, m)), prec: plan.PrecisionMonth}
}

// fySpan is the financial year that starts on 1 April of y.
func fySpan(y int) span {
	return span{lo: key(y, 4, 1), hi: key(y+1, 3, 31), prec: plan.PrecisionFinancialYear, fy: true}
}

// quarterSpan is quarter q of the financial year that starts in y: Q1 is
// April–June, Q2 July–September, Q3 October–December, Q4 January–March.
func quarterSpan(y, q int) span {
	m := 3*q + 1
	if m > 12 {
		m -= 12
		y++
	}
	return span{lo: key(y, m, 1), hi: key(y, m+2, daysIn(y, m+2)), prec: plan.PrecisionMonth}
}

func toTime(k int) time.Time { return plan.Day(k/10000, time.Month(k/100%100), k%100) }

// Year limits for four-digit years.
const (
	minYear = 1900
	maxYear = 2199
)

// res is the outcome of reading a date expression at a token.
type res struct {
	n    int    // tokens read; 0: no date expression here
	none bool   // the tokens read are no date (a paragraph number, 1.2.10)
	sp   span   // the date, when there is no problem
	err  string // it is a date but an impossible one: the cell is not read
	soft string // it looks like a date but cannot be read: a warning
	weak string // it may be a date: a warning when a keyword introduces it
}

// parser reads one cell.
type parser struct {
	s     string
	toks  []tok
	found []foundDate
}

// notes is what a parser has to say about a cell. It is kept apart from the
// parser so that the warnings returned do not, to escape analysis, carry
// the parser's token buffers to the heap.
type notes struct {
	hard string // why the cell cannot be read ("" when it can)
	warn string // warnings so far, "; "-separated
	// the first fragment that may have been a date (bytes weakFrom to
	// weakEnd), reported when none is found, and why it was not read
	weakFrom, weakEnd int
	weakWhy           string
	nHard, nWarn      int // notes in hard and warn
}

// foundDate is a date read from the cell.
type foundDate struct {
	sp        span
	role      uint8
	between   bool // introduced by "between": "and" may join it to the next
	a, b      int  // the expression's tokens
	from, end int  // the fragment's bytes: keywords and expression
}

// Roles of a date in the cell.
const (
	roleNone uint8 = iota
	roleStart
	roleTarget
	roleAny // for parser.list: every role
)

func (p *parser) num(k int) bool { return k < len(p.toks) && p.toks[k].kind == kNum }
func (p *parser) wordIf(k int) uint32 {
	if k < len(p.toks) && p.toks[k].kind == kWord {
		return p.toks[k].cls
	}
	return 0
}

// punct returns the punctuation mark at token k, or 0.
func (p *parser) punct(k int) byte {
	if k < len(p.toks) && p.toks[k].kind == kPunct {
		return p.toks[k].c
	}
	return 0
}

func (p *parser) tight(k int) bool { return p.toks[k].fl&fSp == 0 }

// digits is the number at token k as written, without any ordinal suffix.
func (p *parser) digits(k int) string {
	t := &p.toks[k]
	return p.s[t.pos : t.pos+min(int(t.nd), t.end-t.pos)]
}

// year reads the number at token k as a year: two digits are 20xx.
func (p *parser) year(k int) (int, string) {
	t := &p.toks[k]
	switch {
	case t.fl&fGlued != 0 && k+1 < len(p.toks):
		return 0, strconv.Quote(p.s[t.pos:p.toks[k+1].end]) + " is not a year"
	case t.fl&fOrd != 0:
		return 0, strconv.Quote(p.s[t.pos:t.end]) + " is not a year"
	case t.nd == 2:
		return 2000 + t.val, ""
	case t.nd == 4:
		if t.val < minYear || t.val > maxYear {
			return 0, "year " + p.digits(k) + " is out of range"
		}
		return t.val, ""
	}
	return 0, strconv.Quote(p.digits(k)) + " is not a year"
}

// isYear reports whether token k is a number that reads cleanly as a year.
func (p *parser) isYear(k int) bool {
	if !p.num(k) {
		return false
	}
	t := &p.toks[k]
	return t.fl&(fGlued|fOrd) == 0 && (t.nd == 2 || t.nd == 4 && t.val >= minYear && t.val <= maxYear)
}

// check returns why y-m-d is not a date, or "" when it is; dk and mk are the
// day's and month's tokens (-1 when the month was a word).
func (p *parser) check(y, m, d, dk, mk int) string {
	if m < 1 || m > 12 {
		return "month " + p.digits(mk) + " does not exist"
	}
	if d < 1 || d > daysIn(y, m) {
		if m == 2 && d == 29 {
			return "day 29 is not in February " + strconv.Itoa(y)
		}
		return "day " + p.digits(dk) + " is not in " + time.Month(m).String()
	}
	return ""
}

// dateAt reads the date expression that starts at token i, if any.
func (p *parser) dateAt(i int) res {
	t := &p.toks[i]
	if t.kind == kWord && t.cls&(wEnd|wBegin) != 0 {
		return p.atEdge(i)
	}
	return p.core(i, true)
}

// core reads a date expression without an "end of" / "beginning of".
func (p *parser) core(i int, ranges bool) res {
	if i >= len(p.toks) {
		return res{}
	}
	t := &p.toks[i]
	switch t.kind {
	case kNum:
		return p.atNum(i, ranges)
	case kWord:
		switch {
		case t.cls&wMonth != 0:
			return p.atMonth(i, ranges)
		case t.cls&(wQ|wQuarter) != 0:
			return p.atQuarter(i)
		}
	}
	return res{}
}

// atEdge reads "end of March 2021" (its last day) and "beginning of March
// 2021" (its first day). Both keep the precision they were given in, but
// the beginning of a financial year is 1 April, PrecisionMonth.
func (p *parser) atEdge(i int) res {
	k := i + 1
	if p.wordIf(k)&wOf == 0 {
		return res{}
	}
	k++
	if k < len(p.toks) && p.toks[k].kind == kWord && equalFold(p.s[p.toks[k].pos:p.toks[k].end], "the") {
		k++
	}
	r := p.core(k, false)
	if r.n == 0 {
		if p.num(k) && p.toks[k].nd == 4 {
			return res{n: k + 1 - i, soft: "a year alone is not a date"}
		}
		return res{}
	}
	r.n += k - i
	if r.err != "" || r.soft != "" || r.weak != "" {
		return r
	}
	if p.toks[i].cls&wEnd != 0 {
		r.sp.lo = r.sp.hi
	} else {
		r.sp.hi = r.sp.lo
		if r.sp.prec == plan.PrecisionFinancialYear {
			r.sp.prec = plan.PrecisionMonth
			r.sp.fy = false
		}
	}
	return r
}

// equalFold reports whether ASCII s equals lower-case t, ignoring case.
func equalFold(s, t string) bool {
	if len(s) != len(t) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != t[i] {
			return false
		}
	}
	return true
}

// sepOK reports whether token k joins the numbers either side of it into a
// numeric date: "/" with or without spaces, "-" and "." only tight.
func (p *parser) sepOK(k int) bool {
	switch p.punct(k) {
	case '/':
		return true
	case '-', '.':
		return p.tight(k) && k+1 < len(p.toks) && p.tight(k+1)
	}
	return false
}

// atNum reads a date that starts with a number: 31/12/2020, 2020-12-31,
// 21/22, 2021-22, 12/2020, 31st Dec 20, 31-Dec-20.
func (p *parser) atNum(i int, ranges bool) res {
	if p.toks[i].fl&fOrd == 0 && p.sepOK(i+1) && p.num(i+2) {
		if p.sepOK(i+3) && p.num(i+4) {
			return p.triple(i)
		}
		return p.pair(i, ranges)
	}
	return p.atDay(i, ranges)
}

// triple reads day/month/year, or year-month-day when the first number has
// four digits.
func (p *parser) triple(i int) res {
	a, b, c := &p.toks[i], &p.toks[i+2], &p.toks[i+4]
	slashy := p.toks[i+1].c == '/' || p.toks[i+3].c == '/'
	bad := func() res {
		if slashy {
			return res{n: 5, err: "it is not day/month/year"}
		}
		return res{n: 5, none: true}
	}
	if (b.fl|a.fl)&(fOrd|fGlued) != 0 {
		return bad()
	}
	var y, m, d, dk, mk int
	var why string
	switch {
	case a.nd == 4:
		if b.nd > 2 || c.nd > 2 || c.fl&fOrd != 0 {
			return bad()
		}
		y, why = p.year(i)
		m, d, mk, dk = b.val, c.val, i+2, i+4
	case a.nd <= 2 && b.nd <= 2 && (c.nd == 2 || c.nd == 4):
		if !slashy && !(a.nd == 2 && b.nd == 2 || c.nd == 4) {
			return res{n: 5, none: true} // 1.2.10 is a paragraph number
		}
		y, why = p.year(i + 4)
		d, m, dk, mk = a.val, b.val, i, i+2
	default:
		return bad()
	}
	if why == "" {
		why = p.check(y, m, d, dk, mk)
	}
	if why != "" {
		return res{n: 5, err: why}
	}
	return res{n: 5, sp: daySpan(y, m, d)}
}

// fyAt reads a financial year at token k: 21/22, 2021/22, 2021-22,
// 2021/2022. It returns the tokens read and the year it starts in.
func (p *parser) fyAt(k int) (int, int) {
	if !p.num(k) || !p.sepOK(k+1) || p.punct(k+1) == '.' || !p.num(k+2) {
		return 0, 0
	}
	a, b := &p.toks[k], &p.toks[k+2]
	if (a.fl|b.fl)&fOrd != 0 || a.fl&fGlued != 0 {
		return 0, 0
	}
	switch {
	case a.nd == 2 && b.nd == 2 && (a.val+1)%100 == b.val:
		return 3, 2000 + a.val
	case a.nd == 4 && a.val >= minYear && a.val < maxYear &&
		(b.nd == 2 && (a.val+1)%100 == b.val || b.nd == 4 && b.val == a.val+1):
		return 3, a.val
	}
	return 0, 0
}

// pair reads two numbers joined by "/" or "-": a financial year (21/22,
// 2021-22), a month (12/2020, 2020-12), or perhaps a date without its year.
func (p *parser) pair(i int, ranges bool) res {
	if n, y := p.fyAt(i); n > 0 {
		// "2020/21 Q3"
		k := i + n
		if p.wordIf(k)&wQ != 0 && p.num(k+1) && p.toks[k+1].nd == 1 && p.toks[k+1].val >= 1 && p.toks[k+1].val <= 4 {
			return res{n: n + 2, sp: quarterSpan(y, p.toks[k+1].val)}
		}
		return res{n: n, sp: fySpan(y)}
	}
	a, b := &p.toks[i], &p.toks[i+2]
	sep := p.toks[i+1].c
	if sep == '.' {
		return res{n: 3, none: true} // 3.5, a number
	}
	if (a.fl|b.fl)&(fOrd|fGlued) != 0 {
		return res{}
	}
	switch {
	case a.nd == 4 && b.nd <= 2:
		if a.val >= minYear && a.val <= maxYear && b.val >= 1 && b.val <= 12 {
			return res{n: 3, sp: monthSpan(a.val, b.val)}
		}
	case a.nd <= 2 && b.nd == 4:
		if b.val >= minYear && b.val <= maxYear {
			if a.val < 1 || a.val > 12 {
				return res{n: 3, err: "month " + p.digits(i) + " does not exist"}
			}
			return res{n: 3, sp: monthSpan(b.val, a.val)}
		}
	case a.nd <= 2 && b.nd <= 2:
		if ranges && sep == '-' && p.wordIf(i+3)&wMonth != 0 {
			if r := p.dayRange(i); r.n > 0 {
				return r // "1-31 Dec 20"
			}
		}
		if a.val >= 1 && a.val <= 31 && b.val >= 1 && b.val <= 12 {
			return res{n: 3, weak: "no year given"}
		}
		return res{n: 3, weak: "it is neither a date nor a financial year"}
	}
	return res{}
}

// atDay reads a day then a month name: 31st Dec 20, 31 December 2020,
// 31-Dec-20, 31st of December 2020, 30 th Sept 20.
func (p *parser) atDay(i int, ranges bool) res {
	t := &p.toks[i]
	ord := t.fl&fOrd != 0
	if t.fl&fGlued != 0 || t.nd > 2 && !ord {
		return res{}
	}
	k := i + 1
	switch p.punct(k) {
	case '-', '/', '.', ',':
		k++
	}
	if p.wordIf(k)&wOf != 0 {
		k++
	}
	if p.wordIf(k)&wMonth == 0 {
		if ranges {
			return p.dayRange(i)
		}
		return res{}
	}
	if !ord && i > 0 && p.wordIf(i-1)&wCounter != 0 {
		return res{} // "Phase 2 March 2021"
	}
	m := int(p.toks[k].c)
	// "3 may be": a lower-case "may" is a month only with a year after it.
	strict := m == 5 && p.toks[k].fl&fUpper == 0 && !ord
	k++
	if p.punct(k) == '.' && p.tight(k) {
		k++
	}
	switch p.punct(k) {
	case '-', '/', ',', '\'':
		if p.num(k + 1) {
			k++
		}
	}
	if !p.num(k) {
		if strict {
			return res{}
		}
		return res{n: k - i, soft: "no year given"}
	}
	if strict && !p.isYear(k) {
		return res{}
	}
	y, why := p.year(k)
	if why == "" {
		why = p.check(y, m, t.val, i, -1)
	}
	if why != "" {
		return res{n: k + 1 - i, err: why}
	}
	return res{n: k + 1 - i, sp: daySpan(y, m, t.val)}
}

// dayRange reads the first day of "1st - 31st Dec 20" or "1-31 Dec 20",
// which takes its month and year from the date after it. The first day must
// be an ordinal or joined tightly, so that "Phase 1 - 31 Dec 20" is no range.
func (p *parser) dayRange(i int) res {
	t := &p.toks[i]
	k := i + 1
	tight := p.punct(k) == '-' && p.tight(k) && k+1 < len(p.toks) && p.tight(k+1)
	if t.fl&fOrd == 0 && !tight || p.punct(k) != '-' && p.wordIf(k)&wRange == 0 || !p.num(k+1) || p.toks[k+1].fl&fOrd == 0 && !tight {
		return res{}
	}
	if t.nd > 2 || i > 0 && p.wordIf(i-1)&wCounter != 0 {
		return res{}
	}
	r := p.atDay(k+1, false)
	if r.n == 0 || r.err != "" || r.soft != "" || r.weak != "" || r.sp.prec != plan.PrecisionDay {
		return res{}
	}
	y, m := r.sp.lo/10000, r.sp.lo/100%100
	if t.val < 1 || key(y, m, t.val) > r.sp.lo {
		return res{}
	}
	return res{n: 1, sp: daySpan(y, m, t.val)}
}

// followedByNum reports whether the number at k runs on as "2021/22".
func (p *parser) followedByNum(k int) bool {
	return p.sepOK(k+1) && p.num(k+2)
}

// atMonth reads a date that starts with a month name: December 20, Dec-20,
// Sept. 2020, December 31st 2020, Dec 31, 2020; and "Sept" in "Sept - Dec
// 20", which takes its year from the month after it. A lower-case "may" is
// never a month here, and "May" alone is not a date.
func (p *parser) atMonth(i int, ranges bool) res {
	t := &p.toks[i]
	m := int(t.c)
	if m == 5 && t.fl&fUpper == 0 {
		return res{}
	}
	k := i + 1
	if p.punct(k) == '.' && p.tight(k) {
		k++
	}
	if p.num(k) {
		d := &p.toks[k]
		if d.fl&fOrd != 0 { // December 31st 2020
			k2 := k + 1
			if p.punct(k2) == ',' {
				k2++
			}
			if p.wordIf(k2)&wOf != 0 {
				k2++
			}
			if !p.num(k2) {
				return res{n: k + 1 - i, soft: "no year given"}
			}
			y, why := p.year(k2)
			if why == "" {
				why = p.check(y, m, d.val, k, -1)
			}
			if why != "" {
				return res{n: k2 + 1 - i, err: why}
			}
			return res{n: k2 + 1 - i, sp: daySpan(y, m, d.val)}
		}
		if d.nd <= 2 && d.fl&fGlued == 0 { // Dec 31 2020, Dec 31, 2020
			k2 := k + 1
			if p.punct(k2) == ',' {
				k2++
			}
			if p.num(k2) && p.toks[k2].nd == 4 && p.toks[k2].fl&(fGlued|fOrd) == 0 && !p.followedByNum(k2) {
				y, why := p.year(k2)
				if why == "" {
					why = p.check(y, m, d.val, k, -1)
				}
				if why != "" {
					return res{n: k2 + 1 - i, err: why}
				}
				return res{n: k2 + 1 - i, sp: daySpan(y, m, d.val)}
			}
		}
		return p.monthYear(i, k, m)
	}
	switch p.punct(k) {
	case '-', '/', ',', '\'':
		if p.num(k + 1) {
			return p.monthYear(i, k+1, m)
		}
	}
	// A month alone: the first of a range "Sept - Dec 20", or no date.
	if ranges && (p.punct(k) == '-' || p.wordIf(k)&wRange != 0) && p.wordIf(k+1)&wMonth != 0 {
		if r := p.atMonth(k+1, false); r.n > 0 && r.err == "" && r.soft == "" && r.weak == "" && r.sp.prec == plan.PrecisionMonth {
			y := r.sp.lo / 10000
			if m > r.sp.lo/100%100 {
				y--
			}
			if y >= minYear {
				return res{n: k - i, sp: monthSpan(y, m)}
			}
		}
	}
	if m == 5 {
		return res{}
	}
	return res{n: k - i, weak: "no year given"}
}

// monthYear reads the year at token k after month m at token i.
func (p *parser) monthYear(i, k, m int) res {
	y := &p.toks[k]
	if y.nd == 1 || y.fl&fOrd != 0 {
		return res{n: k + 1 - i, soft: "no year given"}
	}
	yr, why := p.year(k)
	if why != "" {
		return res{n: k + 1 - i, err: why}
	}
	return res{n: k + 1 - i, sp: monthSpan(yr, m)}
}

// atQuarter reads a quarter of a financial year: Q3 2020/21, Q3 FY20/21,
// Quarter 3 of 2020/21.
func (p *parser) atQuarter(i int) res {
	k := i + 1
	if !p.num(k) {
		return res{}
	}
	q := &p.toks[k]
	if q.nd != 1 || q.val < 1 || q.val > 4 || q.fl&fGlued != 0 {
		return res{}
	}
	if p.toks[i].cls&wQ != 0 && q.fl&fOrd != 0 {
		return res{}
	}
	k++
	for j := 0; j < 4 && p.wordIf(k)&(wFiller|wPrefix) != 0; j++ {
		k++
	}
	if n, y := p.fyAt(k); n > 0 {
		return res{n: k + n - i, sp: quarterSpan(y, q.val)}
	}
	if p.isYear(k) {
		return res{n: k + 1 - i, soft: "a quarter needs a financial year, e.g. Q3 2020/21"}
	}
	return res{n: 2, weak: "no financial year given"}
}
