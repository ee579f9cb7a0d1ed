package workbook

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"papers/internal/dates"
	"papers/internal/plan"
)

// This file reads what a column is from what is in it, for the fields a
// sheet's headings do not name: a column of dates or timescales is the
// target, one of names or job titles the lead owner, one of long text the
// update, and, with no action column, the column of sentences the action.
// Headings always win: only columns whose heading means nothing are looked
// at.

// dateLike reports whether a cell reads as a target: a date, an Excel date
// serial, or a timescale without a day ("Ongoing", "TBC", "Termly").
func dateLike(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" || utf8.RuneCountInString(t) > 40 {
		return false // a sentence that mentions a date is no timescale
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil {
		return plausibleSerial(v) // an Excel date, unformatted in the raw value
	}
	if sc := dates.Parse(t); !sc.Target.IsZero() || !sc.Start.IsZero() {
		return true
	}
	switch strings.ToLower(strings.Trim(t, " .")) {
	case "ongoing", "tbc", "tba", "termly", "monthly", "quarterly", "annually", "annual", "complete", "completed", "n/a":
		return true
	}
	return false
}

var otherDate = regexp.MustCompile(`(?i)\bdate|raised|agreed|meeting|issued|received|created|opened|start|made\b`)

// columnStats is what the cells of one column below a header row hold.
type columnStats struct {
	filled, dates, owners, long int
	chars                       int
}

func statsOf(rows [][]string, c int) columnStats {
	var st columnStats
	for _, row := range rows {
		if c > len(row) {
			continue
		}
		t := clean(row[c-1])
		if t == "" {
			continue
		}
		st.filled++
		st.chars += utf8.RuneCountInString(t)
		if dateLike(t) {
			st.dates++
		}
		if plan.LooksLikeOwner(row[c-1]) {
			st.owners++
		}
		if utf8.RuneCountInString(t) >= 40 {
			st.long++
		}
	}
	return st
}

func (st columnStats) avg() int {
	if st.filled == 0 {
		return 0
	}
	return st.chars / st.filled
}

// most reports whether n is at least 60% of the filled cells, and two.
func (st columnStats) most(n int) bool { return n >= 2 && n*5 >= st.filled*3 }

// inferMissing fills in the fields the header does not name from the
// content of the columns whose headings mean nothing, in rows (the rows
// below the header). Each inferred column's evidence is kept in
// h.inferred.
func (h *header) inferMissing(rows [][]string) {
	if len(rows) < 2 {
		return
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	free := map[int]columnStats{}
	for c := 1; c <= width; c++ {
		if _, means := h.cands[c]; means {
			continue
		}
		if _, used := h.field[c]; used {
			continue
		}
		if st := statsOf(rows, c); st.filled >= 2 {
			free[c] = st
		}
	}
	take := func(f string, c int, why string) {
		h.col[f] = c
		h.field[c] = f
		if h.inferred == nil {
			h.inferred, h.inferredField = map[int]string{}, map[int]string{}
		}
		h.inferred[c], h.inferredField[c] = why, f
		delete(free, c)
	}
	pick := func(ok func(columnStats) bool) int {
		best := 0
		for c := 1; c <= width; c++ {
			if st, f := free[c]; f && ok(st) && (best == 0 || st.filled > free[best].filled) {
				best = c
			}
		}
		return best
	}
	if h.col[fieldTarget] == 0 && h.col[fieldSchedule] == 0 && h.col[fieldRevised] == 0 {
		// A column headed as some other date ("Date", "Date raised", "Exec
		// Date") is not a target, whatever it holds.
		for c := range free {
			if otherDate.MatchString(h.texts[c]) {
				delete(free, c)
			}
		}
		if c := pick(func(st columnStats) bool { return st.most(st.dates) }); c > 0 {
			st := free[c]
			take(fieldTarget, c, fmt.Sprintf("dates or timescales in %d of %d filled cells", st.dates, st.filled))
		}
	}
	if len(h.owners) == 0 {
		if c := pick(func(st columnStats) bool { return st.most(st.owners) && st.avg() <= 60 }); c > 0 {
			st := free[c]
			take(fieldOwner, c, fmt.Sprintf("names, initials or job titles in %d of %d filled cells", st.owners, st.filled))
			h.owners = []int{c}
		}
	}
	if h.col[fieldAction] == 0 {
		if c := pick(func(st columnStats) bool { return st.avg() >= 15 }); c > 0 {
			st := free[c]
			take(fieldAction, c, fmt.Sprintf("sentences in %d filled cells, the leftmost such column", st.filled))
		}
	}
	if h.col[fieldUpdate] == 0 {
		if c := pick(func(st columnStats) bool { return st.most(st.long) }); c > 0 {
			st := free[c]
			take(fieldUpdate, c, fmt.Sprintf("long text in %d of %d filled cells", st.long, st.filled))
		}
	}
	h.score = len(h.col)
}

// inferHeader finds a header row by content when no row's headings name a
// plan's fields: the row of three or more headings above the most rows
// whose columns read as an action with an owner or a date.
func inferHeader(m *matcher, rows [][]string) *header {
	var best *header
	for i, cells := range rows {
		if i >= headerSearchRows {
			break
		}
		n := 0
		for _, c := range cells {
			if !isBlank(c) {
				n++
			}
		}
		if n < 3 || len(rows)-i-1 < 2 {
			continue
		}
		h := readHeader(m, i+1, cells)
		h.inferMissing(rows[i+1:])
		if h.usable() && (len(h.owners) > 0 || h.col[fieldTarget] > 0) && (best == nil || h.score > best.score) {
			best = h
		}
	}
	return best
}
