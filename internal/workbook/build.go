package workbook

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"papers/internal/dates"
	"papers/internal/plan"
)

// builder turns the plan sheet's rows into a statement.
type builder struct {
	st         *styles
	colours    map[string]plan.RAG
	m          *matcher
	sheet      string
	h          *header
	rows       [][]string
	hiddenRows map[int]bool
	meta       *sheetMeta
	merges     map[int][]mergeRange // vertically merged ranges by first column, in row order
	used       []int                // the columns read, in order
	names      map[int]string       // a used column's name: its header, or "Column F"
	normTexts  map[int]string       // the header texts, normalised
	// longestHeader is the most characters of a normalised header text or
	// synonym: a cell headerLonger than that repeats no header.
	longestHeader int

	s          *plan.Statement
	recIndex   map[string]int // recommendation ref → index in s.Recommendations
	cur        int            // the current recommendation's index, -1 before the first
	curText    string         // the text that started it
	lastOrigin cellKey        // the recommendation cell last read
	phase      string
	phaseInRec bool           // the phase was set inside a recommendation: it ends with it
	counts     map[string]int // actions read per recommendation
	maxRef     int            // the highest recommendation ref that is a number, 0 if none
	refCells   map[string]string
	subRefs    bool // the Ref column numbers sub-actions ("1.1", "a)")
	inOwners   bool // reading a "Lead Owners" block below the plan
	owners     []plan.Owner
	// legend is what the sheet's key says each RAG colour means;
	// calendarQuarters is set when a note says "Q2 2005" is a calendar
	// quarter.
	legend           legend
	calendarQuarters bool

	explain    bool            // record what each row was read as (kinds)
	kinds      map[int]rowNote // what each row was read as, and why
	recRow     int             // the row whose recommendation cell started the current recommendation
	inKey      bool            // below the plan's key or notes
	keyText    string          // the row that started them
	lastAction int             // the index of the action rows may add steps to, -1 if none
	section    string          // the heading the rows below are in
	sections   []string        // each action's section, by index
}

func newBuilder(rd *reader, sheet string, h *header, rows [][]string, hiddenRows map[int]bool, meta *sheetMeta) *builder {
	b := &builder{lastAction: -1, explain: rd.opt.layout != nil, st: newStyles(rd.f), colours: rd.opt.RAGColours, m: rd.m, sheet: sheet, h: h, rows: rows,
		hiddenRows: hiddenRows, meta: meta, merges: map[int][]mergeRange{}, names: map[int]string{},
		recIndex: map[string]int{}, cur: -1, lastOrigin: cellKey{-1, -1}, counts: map[string]int{}, refCells: map[string]string{}}
	for _, mr := range meta.merges {
		if mr.r2 > mr.r1 && mr.r1 <= len(rows) {
			b.merges[mr.c1] = append(b.merges[mr.c1], mr)
		}
	}
	for _, ms := range b.merges {
		slices.SortFunc(ms, func(a, b mergeRange) int { return a.r1 - b.r1 })
	}
	b.s = &plan.Statement{Sheet: sheet, Title: b.title(), Recommendations: []plan.Recommendation{},
		Actions: make([]plan.Action, 0, max(0, len(rows)-h.row)), Problems: []plan.Problem{}}
	b.columns()
	b.legend = readLegend(rows)
	b.calendarQuarters = saysCalendarQuarters(rows)
	b.normTexts = map[int]string{}
	for c, t := range h.texts {
		b.normTexts[c] = normHeader(t)
		b.longestHeader = max(b.longestHeader, utf8.RuneCountInString(b.normTexts[c]))
	}
	for n := range b.m.exact {
		b.longestHeader = max(b.longestHeader, utf8.RuneCountInString(n))
	}
	if c := h.col[fieldRef]; c > 0 {
		for r := h.row + 1; r <= len(rows) && !b.subRefs; r++ {
			b.subRefs = subRef.MatchString(clean(b.cell(r, c)))
		}
	}
	return b
}

// cell is the text typed in a cell (row and column 1-based), "" if none.
func (b *builder) cell(r, c int) string {
	if r < 1 || r > len(b.rows) || c < 1 || c > len(b.rows[r-1]) {
		return ""
	}
	return b.rows[r-1][c-1]
}

// value is a cell's text, or its merged range's when the cell is inside
// one, and the cell the text is in. A range merged down applies to every
// row (the streaming reader gives "" inside it); a range merged across
// belongs to its first column alone.
func (b *builder) value(r, c int) (string, cellKey) {
	if v := b.cell(r, c); v != "" {
		return v, cellKey{r, c}
	}
	ms := b.merges[c]
	if i := sort.Search(len(ms), func(i int) bool { return ms[i].r1 >= r }) - 1; i >= 0 && ms[i].r2 >= r {
		o := cellKey{ms[i].r1, c}
		return b.cell(o.row, o.col), o
	}
	return "", cellKey{r, c}
}

func cellName(k cellKey) string {
	n, err := excelize.CoordinatesToCellName(k.col, k.row)
	if err != nil {
		return ""
	}
	return n
}

func colName(c int) string {
	n, _ := excelize.ColumnNumberToName(c)
	return n
}

func (b *builder) problem(k cellKey, sev plan.Severity, format string, args ...any) {
	b.s.Problems = append(b.s.Problems, plan.Problem{Sheet: b.sheet, Cell: cellName(k), Severity: sev, Message: fmt.Sprintf(format, args...)})
}

// title is the first text above the header row, else the sheet's name.
func (b *builder) title() string {
	for r := 1; r < b.h.row; r++ {
		for c := range b.rows[r-1] {
			if t := clean(b.cell(r, c+1)); t != "" {
				return t
			}
		}
	}
	return b.sheet
}

// columns decides which columns are read: every column whose header means a
// field (one not chosen for it is kept in Action.Extra), and every other
// column that is not hidden and has a header or text below the header.
// Hidden columns whose header means no field are helpers, not read.
func (b *builder) columns() {
	width := 0
	for _, r := range b.rows {
		width = max(width, len(r))
	}
	for c := 1; c <= width; c++ {
		_, mapped := b.h.field[c]
		if _, means := b.h.cands[c]; !means && b.meta.hiddenCols[c] {
			continue
		}
		name := clean(b.h.texts[c])
		if !mapped && name == "" {
			filled := false
			for r := b.h.row + 1; r <= len(b.rows) && !filled; r++ {
				filled = !isBlank(b.cell(r, c))
			}
			if !filled {
				continue
			}
			name = "Column " + colName(c)
		}
		b.used = append(b.used, c)
		b.names[c] = name
		b.s.Columns = append(b.s.Columns, name)
	}
}

// rowText is the non-blank cells typed in a row, in the columns read, in
// column order.
type rowText []colText

type colText struct {
	col  int
	text string
}

// at is the text in column c, "" if none.
func (o rowText) at(c int) string {
	for _, t := range o {
		if t.col == c {
			return t.text
		}
	}
	return ""
}

// without removes column c from o, in place.
func (o rowText) without(c int) rowText {
	for i, t := range o {
		if t.col == c {
			return append(o[:i], o[i+1:]...)
		}
	}
	return o
}

// own appends the non-blank cells typed in row r, in the columns read, to
// dst.
func (b *builder) own(dst rowText, r int) rowText {
	for _, c := range b.used {
		if v := b.cell(r, c); !isBlank(v) {
			dst = append(dst, colText{c, v})
		}
	}
	return dst
}

// build reads every row below the header.
func (b *builder) build() *plan.Statement {
	var own rowText // reused from row to row: nothing keeps it
	for r := b.h.row + 1; r <= len(b.rows); r++ {
		own = b.own(own[:0], r)
		if len(own) == 0 {
			continue
		}
		if b.inOwners {
			var cells []string
			for _, t := range own {
				if v := clean(t.text); v != "" {
					cells = append(cells, v)
				}
			}
			if o, ok := ownerFromCells(cells); ok {
				b.owners = addOwners(b.owners, o)
			}
			b.note(r, RowOwners, "a lead owner and their role")
			continue
		}
		if b.repeatedHeader(own) {
			b.note(r, RowRepeatedHeader, "says again what the header row says")
			continue
		}
		b.row(r, own)
	}
	b.sectionRefs()
	return b.s
}

// repeatedHeader reports whether a row repeats the header (as a table
// copied from Word does at each page break): at least two of its cells, and
// more than not, say again what the header says, in its words or in other
// words for the same fields.
func (b *builder) repeatedHeader(own rowText) bool {
	if len(own) < 2 {
		return false
	}
	same, other := 0, 0
	var buf [128]byte
	for _, t := range own {
		c, v := t.col, t.text
		if len(v) <= 100 && !headerLonger(v, b.longestHeader) { // no header is longer
			n := normHeaderInto(buf[:0], v)
			if len(n) > 0 && (string(n) == b.normTexts[c] || (b.m.exact[string(n)] != "" && b.m.exact[string(n)] == b.h.field[c])) {
				same++
				continue
			}
		}
		other++
	}
	return same >= 2 && same > other
}

// only returns the column and text of a row's one cell, if it has one.
func only(own rowText) (int, string, bool) {
	if len(own) != 1 {
		return 0, "", false
	}
	return own[0].col, clean(own[0].text), true
}

// headingColumn reports whether a heading (a recommendation or a phase
// alone in its row) may be in column c: the recommendation, ref or action
// column, or the first column read.
func (b *builder) headingColumn(c int) bool {
	return c == b.h.col[fieldRecommendation] || c == b.h.col[fieldRef] || c == b.h.col[fieldAction] ||
		(len(b.used) > 0 && c == b.used[0])
}

// row reads one row that has text.
func (b *builder) row(r int, own rowText) {
	recCol := b.h.col[fieldRecommendation]
	if c, t, ok := only(own); ok && ownersHeading(t) && b.headingColumn(c) && len(b.s.Actions) > 0 {
		b.inOwners = true
		b.note(r, RowOwners, "%q starts the list of lead owners and their roles", t)
		return
	}
	if recCol > 0 {
		if v, origin := b.value(r, recCol); !isBlank(v) && origin != b.lastOrigin {
			b.lastOrigin = origin
			t := clean(v)
			c, _, alone := only(own)
			alone = alone && c == recCol
			switch ref, isCont := continuation(t); {
			case isCont:
				b.continueRec(ref, t, origin)
				b.note(r, RowContinued, "%q continues a recommendation", short(t))
			case alone && isPhase(t) && !parseRec(t).numbered:
				b.setPhase(r, t)
				b.note(r, RowPhase, "%q names a phase of the plan", short(t))
				return
			case b.cur >= 0 && t == b.curText:
			default:
				b.newRec(parseRec(t), t, origin)
				b.recRow = r
				b.note(r, RowRecommendation, "%q in %s", short(t), b.names[recCol])
			}
		}
		own = own.without(recCol)
		if len(own) == 0 {
			return
		}
	}
	if c, t, ok := only(own); ok && b.headingColumn(c) {
		if ref, isCont := continuation(t); isCont {
			b.continueRec(ref, t, cellKey{r, c})
			b.note(r, RowContinued, "%q continues a recommendation", short(t))
			return
		}
		if rh := parseRec(t); rh.numbered && (recCol == 0 || recWord.MatchString(t)) {
			b.newRec(rh, t, cellKey{r, c})
			b.note(r, RowRecommendation, "%q, numbered, alone in its row", short(t))
			return
		}
		if isPhase(t) {
			b.setPhase(r, t)
			b.note(r, RowPhase, "%q names a phase of the plan", short(t))
			return
		}
	}
	if rh, k, ok := b.refHeading(r, own); ok {
		b.newRec(rh, rh.text, k)
		b.note(r, RowRecommendation, "its ref %q numbers the actions below", rh.ref)
		return
	}
	if b.notAnAction(r, own) {
		return
	}
	b.action(r)
}

// refHeading reads a recommendation given as a row of a plan without a
// recommendation column whose Ref is a whole number ("1", "R1",
// "Recommendation 1") above sub-actions "1.1", "1.2", and which names no
// owner, date or update.
func (b *builder) refHeading(r int, own rowText) (recHeading, cellKey, bool) {
	refCol, actCol := b.h.col[fieldRef], b.h.col[fieldAction]
	if b.h.col[fieldRecommendation] > 0 || refCol == 0 {
		return recHeading{}, cellKey{}, false
	}
	ref := clean(own.at(refCol))
	m := integerRef.FindStringSubmatch(ref)
	// A bare number is an action's ref unless the sheet numbers sub-actions.
	if m == nil || (!b.subRefs && ref[0] >= '0' && ref[0] <= '9') {
		return recHeading{}, cellKey{}, false
	}
	for _, t := range own {
		if t.col != refCol && t.col != actCol {
			return recHeading{}, cellKey{}, false
		}
	}
	n := number(m[1])
	text := clean(own.at(actCol))
	k := cellKey{r, actCol}
	if text == "" {
		k = cellKey{r, refCol}
	}
	if rh := parseRec(text); rh.numbered && rh.ref == n {
		return rh, k, true
	}
	return recHeading{ref: n, title: "Recommendation " + n, text: text, numbered: true}, k, true
}

// newRec starts a recommendation (or returns to the one with the same ref).
func (b *builder) newRec(rh recHeading, t string, origin cellKey) {
	if b.phaseInRec {
		b.phase, b.phaseInRec = "", false
	}
	b.curText = t
	if rh.ref == "" {
		rh.ref = b.nextRef()
	}
	if i, ok := b.recIndex[rh.ref]; ok {
		rec := &b.s.Recommendations[i]
		if rec.Text == "" && rec.Title == "" {
			rec.Title, rec.Text, rec.Cell = rh.title, rh.text, cellName(origin)
		}
		b.cur = i
		return
	}
	b.s.Recommendations = append(b.s.Recommendations, plan.Recommendation{
		Ref: rh.ref, Title: rh.title, Text: rh.text, Phase: b.phase, Cell: cellName(origin)})
	if v, err := strconv.Atoi(rh.ref); err == nil {
		b.maxRef = max(b.maxRef, v)
	}
	b.cur = len(b.s.Recommendations) - 1
	b.recIndex[rh.ref] = b.cur
}

// nextRef numbers a recommendation given without a number: one more than
// the highest number so far.
func (b *builder) nextRef() string {
	return strconv.Itoa(b.maxRef + 1)
}

// continueRec follows a "N continued" marker: the rows below continue
// recommendation N (the current one when the marker has no number).
func (b *builder) continueRec(ref, t string, origin cellKey) {
	b.curText = t
	if ref == "" {
		return
	}
	if i, ok := b.recIndex[ref]; ok {
		b.cur = i
		return
	}
	b.problem(origin, plan.SeverityWarning, "%q continues recommendation %s, which is not above it; the rows below are read as recommendation %s", t, ref, ref)
	b.newRec(recHeading{ref: ref, title: "Recommendation " + ref}, t, origin)
}

// setPhase starts a phase. A phase row just above a recommendation lasts
// until the next phase; one inside a recommendation ends with it.
func (b *builder) setPhase(r int, t string) {
	b.phase = t
	b.phaseInRec = b.cur >= 0 && !b.recStartsBelow(r)
}

// recStartsBelow reports whether the next row with text below r starts a
// recommendation.
func (b *builder) recStartsBelow(r int) bool {
	recCol := b.h.col[fieldRecommendation]
	for r++; r <= len(b.rows); r++ {
		own := b.own(nil, r)
		if len(own) == 0 || b.repeatedHeader(own) {
			continue
		}
		if recCol > 0 {
			if v, origin := b.value(r, recCol); !isBlank(v) && origin != b.lastOrigin {
				_, isCont := continuation(clean(v))
				return !isCont
			}
		}
		if c, t, ok := only(own); ok && b.headingColumn(c) && parseRec(t).numbered {
			return true
		}
		_, _, ok := b.refHeading(r, own)
		return ok
	}
	return false
}

// action reads an action's row.
func (b *builder) action(r int) {
	h := b.h
	actCol := h.col[fieldAction]
	a := plan.Action{Row: r, Phase: b.phase, Cell: cellName(cellKey{r, actCol}), Sheet: b.sheet}
	raw, _ := b.value(r, actCol)
	a.RawText, a.Text = raw, clean(raw)
	if b.cur >= 0 {
		a.Recommendation = b.s.Recommendations[b.cur].Ref
	}
	b.counts[a.Recommendation]++
	if c := h.col[fieldRef]; c > 0 {
		if v, origin := b.value(r, c); clean(v) != "" {
			a.Ref, a.RefGiven = clean(v), true
			if prev, dup := b.refCells[a.Ref]; dup {
				b.problem(origin, plan.SeverityWarning, "ref %q is also given in %s", a.Ref, prev)
			} else {
				b.refCells[a.Ref] = cellName(origin)
			}
		}
	}
	if !a.RefGiven {
		// A sheet may number its actions in a column of its own ("Rec."
		// beside a "No." that numbers the recommendations).
		for _, c := range b.used {
			if _, mapped := h.field[c]; mapped {
				continue
			}
			if v, _ := b.value(r, c); subNumber.MatchString(clean(v)) {
				a.Ref, a.RefGiven = clean(v), true
				break
			}
		}
	}
	if rc := h.col[fieldRef]; rc > 0 {
		// A section named in a column left of the refs ("PEEL 2021/22"),
		// for refs that restart in each section.
		for _, c := range b.used {
			if c >= rc {
				break
			}
			if _, mapped := h.field[c]; mapped {
				continue
			}
			if v, _ := b.value(r, c); clean(v) != "" {
				b.section = clean(v)
			}
			break
		}
	}
	if !a.RefGiven {
		a.Ref = strconv.Itoa(b.counts[a.Recommendation])
		if a.Recommendation != "" {
			a.Ref = a.Recommendation + "." + a.Ref
		}
	}
	for _, c := range h.owners {
		v, _ := b.value(r, c)
		text := clean(v)
		if text == "" {
			continue
		}
		if a.Owner != "" {
			a.Owner += " / "
		}
		a.Owner += text
		a.Owners = append(a.Owners, splitOwners(v)...)
	}
	if c := h.col[fieldUpdate]; c > 0 {
		v, _ := b.value(r, c)
		a.Update = clean(v)
	}
	if c := h.col[fieldStatus]; c > 0 {
		v, _ := b.value(r, c)
		a.Status = clean(v)
	}
	problemsBefore := len(b.s.Problems)
	b.dates(&a, r)
	keepRAG := b.rag(&a, r)
	b.completion(&a, r)
	for _, c := range b.used {
		v, origin := b.value(r, c)
		if v == "" {
			continue
		}
		if t := strings.TrimSpace(v); strings.HasPrefix(t, "#") && excelErrors[strings.ToUpper(t)] {
			b.problem(origin, plan.SeverityError, "the cell shows the error %s: correct its formula or type the value", t)
		}
		if _, mapped := h.field[c]; !mapped || (keepRAG && c == h.col[fieldRAG]) {
			if t := clean(v); t != "" {
				a.Extra = append(a.Extra, plan.Field{Name: b.names[c], Value: t})
			}
		}
	}
	if a.Text == "" {
		b.problem(cellKey{r, actCol}, plan.SeverityWarning, "row %d has no action text but other cells are filled; it is kept as an action without text", r)
	}
	if b.hiddenRows[r] {
		b.problem(cellKey{r, actCol}, plan.SeverityWarning, "row %d is hidden in the workbook; it is read like any other row", r)
	}
	if items := bulletItems(raw); len(items) >= 2 {
		b.splitAction(a, r, items, problemsBefore)
		return
	}
	b.s.Actions = append(b.s.Actions, a)
	b.lastAction = len(b.s.Actions) - 1
	b.sections = append(b.sections, b.section)
	b.note(r, RowAction, "%q", short(a.Text))
}

// splitAction reads a cell of several bulleted actions as that many
// actions, each with its own line of a parallel bulleted list of dates in
// the target cell ("• Ongoing", "• December 2023"), or the cell's dates
// shared when the lists do not pair.
func (b *builder) splitAction(a plan.Action, r int, items []string, problemsBefore int) {
	var targets []string
	tc := b.h.col[fieldTarget]
	if tc > 0 {
		v, _ := b.value(r, tc)
		if t := bulletItems(v); len(t) == len(items) {
			targets = t
		}
	}
	if targets != nil {
		// Each item's date is read on its own below: drop what the whole
		// cell's reading said.
		kept := b.s.Problems[:problemsBefore]
		for _, p := range b.s.Problems[problemsBefore:] {
			if p.Cell != cellName(cellKey{r, tc}) {
				kept = append(kept, p)
			}
		}
		b.s.Problems = kept
	}
	for i, item := range items {
		one := a
		one.Text, one.RawText = item, item
		one.Extra = slices.Clone(a.Extra)
		if one.RefGiven {
			one.Ref = fmt.Sprintf("%s%c", a.Ref, 'a'+i%26)
		} else {
			b.counts[a.Recommendation]++
			one.Ref = strconv.Itoa(b.counts[a.Recommendation] - 1)
			if a.Recommendation != "" {
				one.Ref = a.Recommendation + "." + one.Ref
			}
		}
		if targets != nil {
			t := targets[i]
			one.Schedule = plan.Schedule{Text: t}
			one.Complete, one.CompleteFrom = false, ""
			switch {
			case writtenComplete(t):
				one.Complete, one.CompleteFrom = true, fmt.Sprintf("%q in %s, beside its bullet", t, b.names[tc])
			default:
				sc := dates.Parse(t)
				sc.Text = t
				b.scheduleWarning(cellKey{r, tc}, sc)
				one.Schedule = sc
			}
		}
		b.s.Actions = append(b.s.Actions, one)
		b.sections = append(b.sections, b.section)
	}
	b.counts[a.Recommendation]-- // a counted once for the row, then once per item
	b.lastAction = len(b.s.Actions) - 1
	b.note(r, RowAction, "%d bulleted actions in one cell", len(items))
}

// bulletItems splits a cell whose lines are a bulleted list into its items
// (lines without a bullet continue the item above); nil unless the cell
// starts with a bullet and has two items or more.
func bulletItems(raw string) []string {
	if !strings.ContainsAny(raw, "\n\r") {
		return nil // one line is one item at most
	}
	lines := strings.FieldsFunc(raw, func(r rune) bool { return r == '\n' || r == '\r' })
	var items []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if bullet.MatchString(t) {
			items = append(items, clean(t))
			continue
		}
		if len(items) == 0 {
			return nil
		}
		items[len(items)-1] += " " + clean(t)
	}
	if len(items) < 2 {
		return nil
	}
	return items
}

var bullet = regexp.MustCompile(`^(?:[•·▪◦●○■□‣⁃∙➢➤►▸*]|[-–—]\s|\(?[a-z0-9]\)\s|\d{1,2}\.\s)`)

// dates reads an action's start, target and completion dates.
func (b *builder) dates(a *plan.Action, r int) {
	h := b.h
	var startText, targetText string
	if c := h.col[fieldSchedule]; c > 0 {
		if td, text, k, ok := b.dateCell(r, c); ok {
			a.Schedule = plan.Schedule{Target: td, Text: td.Text}
		} else if text != "" {
			a.Schedule = dates.Parse(text)
			a.Schedule.Text = text
			b.scheduleWarning(k, a.Schedule)
		}
	}
	if c := h.col[fieldStart]; c > 0 {
		td, text := b.singleDate(r, c, "start date")
		startText = text
		if a.Schedule.Start.IsZero() {
			a.Schedule.Start = td
		}
	}
	if c := h.col[fieldTarget]; c > 0 {
		td, text, k, ok := b.dateCell(r, c)
		if !ok && text != "" && writtenComplete(text) {
			a.Complete, a.CompleteFrom = true, fmt.Sprintf("%q in %s", text, b.names[c])
		} else if q, isQ := calendarQuarter(text); !ok && isQ && b.calendarQuarters {
			td = q
		} else if !ok && text != "" {
			s := dates.Parse(text)
			s.Text = text
			b.scheduleWarning(k, s)
			td = s.Target
			if a.Schedule.Start.IsZero() {
				a.Schedule.Start = s.Start
			}
		}
		targetText = text
		if a.Schedule.Target.IsZero() {
			a.Schedule.Target = td
		}
	}
	if c := h.col[fieldRevised]; c > 0 {
		// A revised date, when given, is the target; the date it revises is
		// kept beside it.
		td, text, k, ok := b.dateCell(r, c)
		if !ok && text != "" {
			s := dates.Parse(text)
			s.Text = text
			b.scheduleWarning(k, s)
			td = s.Target
		}
		if text != "" {
			if targetText != "" {
				name := "Original target date"
				if tc := h.col[fieldTarget]; tc > 0 {
					name = b.names[tc]
				}
				a.Extra = append(a.Extra, plan.Field{Name: name, Value: targetText})
			}
			a.Schedule.Target, targetText = td, text
		}
	}
	if h.col[fieldSchedule] == 0 || a.Schedule.Text == "" {
		switch {
		case startText != "" && targetText != "":
			a.Schedule.Text = "Start: " + startText + "; target: " + targetText
		case startText != "":
			a.Schedule.Text = "Start: " + startText
		default:
			a.Schedule.Text = targetText
		}
	}
	if c := h.col[fieldCompleted]; c > 0 {
		v, _ := b.value(r, c)
		switch yes, isYN := yesNo(clean(v)); {
		case isYN && yes:
			// "Y" in a "Complete? (Y/N)" column.
			a.Complete, a.CompleteFrom = true, fmt.Sprintf("%q in %s", clean(v), b.names[c])
		case isYN:
		default:
			a.Completed, _ = b.singleDate(r, c, "date completed")
		}
	}
}

// scheduleWarning lists the date parser's warning about a cell.
func (b *builder) scheduleWarning(k cellKey, s plan.Schedule) {
	if s.Warning == "" {
		return
	}
	msg := s.Warning
	if !strings.Contains(msg, s.Text) {
		msg += fmt.Sprintf(" (%q)", s.Text)
	}
	b.problem(k, plan.SeverityWarning, "%s", msg)
}

// singleDate reads a cell meant to hold one date: the date, and the cell's
// text.
func (b *builder) singleDate(r, c int, what string) (plan.TargetDate, string) {
	td, text, k, ok := b.dateCell(r, c)
	if ok || text == "" {
		return td, text
	}
	td, err := dates.ParseDate(text)
	if err != nil {
		b.problem(k, plan.SeverityWarning, "%s; it is kept as text", dateProblem(what, text, err))
		return plan.TargetDate{Text: text}, text
	}
	if td.Text == "" {
		td.Text = text
	}
	return td, text
}

// dateCell reads a cell of a date column that holds a number or an ISO
// date. ok is false when the cell holds text for the date parser (returned
// cleaned) or nothing. k is the cell the value is in.
func (b *builder) dateCell(r, c int) (td plan.TargetDate, text string, k cellKey, ok bool) {
	raw, k := b.value(r, c)
	text = clean(raw)
	if text == "" {
		return td, "", k, false
	}
	info, _ := b.meta.cells.get(k)
	switch info.typ {
	case "d":
		if td, ok := isoDate(text); ok {
			return td, td.Text, k, true
		}
		return td, text, k, false
	case "", "n":
	default:
		return td, text, k, false
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return td, text, k, false
	}
	style := b.styleOf(k)
	if b.st.dateFormat(style) {
		if td, ok := b.st.excelDate(v); ok {
			return td, td.Text, k, true
		}
	} else if plausibleSerial(v) {
		td, _ := b.st.excelDate(v)
		b.problem(k, plan.SeverityWarning, "the number %s is read as the date %s: format the cell as a date", text, td.Text)
		return td, td.Text, k, true
	}
	b.problem(k, plan.SeverityError, "cannot read %s as a date: it is a number, not a date; it is kept as text", text)
	return plan.TargetDate{Text: text}, text, k, true
}

// styleOf is the style of a cell: its own, else its row's, else its column's.
func (b *builder) styleOf(k cellKey) int {
	if info, ok := b.meta.cells.get(k); ok && info.style > 0 {
		return info.style
	}
	if s, ok := b.meta.rowStyle[k.row]; ok {
		return s
	}
	return b.meta.colStyle[k.col]
}

// rag reads an action's RAG: a RAG column's word, else its fill colour;
// without a RAG column, a Status cell holding only a RAG word, else the
// Status cell's fill colour. keep is whether the RAG cell's text is not a
// RAG word, and so is kept in Action.Extra.
func (b *builder) rag(a *plan.Action, r int) (keep bool) {
	c := b.h.col[fieldRAG]
	if c == 0 {
		if c = b.h.col[fieldStatus]; c == 0 {
			return false
		}
		if g, ok := ragWord(a.Status, true); ok {
			a.RAG = g
			return false
		}
		_, k := b.value(r, c)
		a.RAG = b.fillRAG(k, a.Status == "")
		return false
	}
	v, k := b.value(r, c)
	t := clean(v)
	if g, ok := ragWord(t, false); ok {
		a.RAG = g
		return false
	}
	a.RAG = b.fillRAG(k, t == "")
	if t != "" && a.RAG == plan.RAGNone && !plan.SaysComplete(t) {
		b.problem(k, plan.SeverityWarning, "cannot read the RAG rating %q: write Red, Amber or Green; it is kept as text", t)
	}
	return t != ""
}

// fillRAG reads a RAG from a cell's fill colour: Options.RAGColours, else
// the nearest by hue. With warn, a fill in a colour that is no RAG (purple,
// say; not white or grey) is listed as a problem.
func (b *builder) fillRAG(k cellKey, warn bool) plan.RAG {
	hex := b.st.fillColour(b.styleOf(k))
	if hex == "" {
		return plan.RAGNone
	}
	if g, ok := b.colours[hex]; ok {
		return g
	}
	g := nearestRAG(hex)
	if g == plan.RAGNone && warn && !isGrey(hex) {
		b.problem(k, plan.SeverityWarning, "the fill colour #%s is not a RAG colour; no RAG is read", hex)
	}
	return g
}
