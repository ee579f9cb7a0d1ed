package workbook

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fields a column can mean.
const (
	fieldRef            = "ref"
	fieldRecommendation = "recommendation"
	fieldAction         = "action"
	fieldOwner          = "owner"
	fieldSchedule       = "schedule"
	fieldStart          = "start"
	fieldTarget         = "target"
	fieldCompleted      = "completed"
	fieldUpdate         = "update"
	fieldRAG            = "rag"
	fieldStatus         = "status"
	fieldRevised        = "revised" // a revised target date: the target when filled in
	fieldPercent        = "percent" // % complete
	fieldOwner2         = "owner2"  // a director, executive lead or portfolio holder beside the lead
)

// fields lists every field, in the order ties between them are broken.
var fields = []string{fieldRef, fieldRecommendation, fieldAction, fieldOwner, fieldSchedule, fieldStart,
	fieldTarget, fieldCompleted, fieldUpdate, fieldRAG, fieldStatus, fieldRevised, fieldPercent, fieldOwner2}

// headerSearchRows is how far down a sheet the header row is looked for.
const headerSearchRows = 30

// normHeader is the form in which header texts are compared: lower case,
// spacing collapsed, "(s)" dropped, and ':' '.' '*' '?' trimmed from the
// ends. "Lead Owner (s):" and "lead owner" compare equal.
func normHeader(s string) string {
	s = strings.ToLower(collapseSpace(s))
	s = strings.ReplaceAll(s, "(s)", "")
	s = strings.Trim(s, " :.*?")
	if !strings.Contains(s, "  ") {
		// No white space is left but single spaces between words (from
		// collapseSpace), unless removing "(s)" put two together.
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// normHeaderInto appends normHeader(s) to buf, making no string when s is
// ASCII, as nearly every cell is: repeated header rows are looked for by
// normalising every short cell of a plan.
func normHeaderInto(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(buf, normHeader(s)...)
		}
	}
	// collapseSpace, lower-cased: ASCII white space between words made one
	// space, other control characters dropped.
	start := len(buf)
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c >= '\t' && c <= '\r':
			space = len(buf) > start
			continue
		case c < ' ' || c == 0x7f:
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			buf = append(buf, ' ')
			space = false
		}
		buf = append(buf, c)
	}
	// "(s)" dropped, as strings.ReplaceAll does.
	out := buf[start:start]
	for i := start; i < len(buf); {
		if i+3 <= len(buf) && string(buf[i:i+3]) == "(s)" {
			i += 3
			continue
		}
		out = append(out, buf[i])
		i++
	}
	// ' ', ':', '.', '*', '?' trimmed from the ends, and runs of spaces left
	// by dropping "(s)" made one.
	out = bytes.Trim(out, " :.*?")
	n := 0
	for i, c := range out {
		if c == ' ' && i > 0 && out[i-1] == ' ' {
			continue
		}
		out[n] = c
		n++
	}
	return buf[:start+copy(buf[start:], out[:n])]
}

// headerLonger reports whether normHeader(s) has more than limit
// characters, without building it: every character normHeader can drop or
// turn into one space (white space, zero-width and control characters, and,
// lower-cased, the '(', 's', ')' of "(s)" and the ':' '.' '*' '?' it trims)
// counts nothing, and lower-casing maps one character to one. Header rows
// repeated in a plan are found by comparing normalised cells with the
// header's; most cells are sentences, far longer than any header, and are
// passed over without normalising them.
func headerLonger(s string, limit int) bool {
	n := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c <= ' ' || c == 0x7f {
				continue
			}
			switch c {
			case '(', 'S', 's', ')', ':', '.', '*', '?':
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if isSpace(r) || isZeroWidth(r) {
				continue
			}
			switch unicode.ToLower(r) {
			case '(', 's', ')', ':', '.', '*', '?':
				continue
			}
		}
		if n++; n > limit {
			return true
		}
	}
	return false
}

// plannedWords mark a date heading as a target, however else it reads.
var plannedWords = regexp.MustCompile(`\b(?:target|due|deadline|planned|expected|proposed|estimated|forecast|agreed|original|revised)\b`)

// matcher maps header texts to fields.
type matcher struct {
	exact    map[string]string // normalised synonym → field
	synonyms []synonym         // for the looser match, longest first
	order    map[string]int    // normalised synonym → its place in its field's list
}

// weaker are headers that mean a field only when no column has a
// stronger header for it: a plan may have a Finding beside its
// Recommendation, Comments beside its Update, an Original date beside its
// Target date.
var weaker = func() map[string]bool {
	m := map[string]bool{}
	for _, h := range []string{"Finding", "Findings", "Issue", "Issues", "Key issue", "Objective", "Objectives",
		"Requirement", "CQC requirement", "Theme", "Original implementation date", "Original date",
		"Original target date", "Original deadline", "Original completion date", "Original timescale",
		"Original due date", "Comments", "Comment", "Evidence", "Evidence of completion", "Evidence of progress",
		"Notes", "Officer"} {
		m[normHeader(h)] = true
	}
	return m
}()

type synonym struct {
	words []string
	field string
}

func newMatcher(columns map[string][]string) *matcher {
	m := &matcher{exact: map[string]string{}, order: map[string]int{}}
	for _, f := range fields {
		for i, name := range columns[f] {
			n := normHeader(name)
			if n == "" {
				continue
			}
			if _, dup := m.exact[n]; !dup {
				m.exact[n] = f
				m.order[n] = i
				m.synonyms = append(m.synonyms, synonym{strings.Fields(n), f})
			}
		}
	}
	slices.SortStableFunc(m.synonyms, func(a, b synonym) int { return len(b.words) - len(a.words) })
	return m
}

// match returns the field a header text means, and whether the text is
// exactly one of the field's synonyms. A header that is not exactly a
// synonym (up to six words) still matches when it starts or ends with one,
// the longest synonym winning and, between equally long ones, the one at
// the end ("Action owner" is an owner, "Update (October)" an update,
// "Target date for completion" a target).
func (m *matcher) match(header string) (field string, exact bool) {
	n := normHeader(header)
	if n == "" {
		return "", false
	}
	if f, ok := m.exact[n]; ok {
		return f, true
	}
	defer func() {
		// "Target completion", "Planned completion date": a target, not
		// the date an action was completed.
		if field == fieldCompleted && plannedWords.MatchString(n) {
			field = fieldTarget
		}
	}()
	if a, b, ok := strings.Cut(n, "/"); ok {
		// "Start date / Target date": a combined schedule however worded.
		// The halves are not split again: a cell of many slashes would
		// otherwise cost time in the square of its length.
		if m.part(a) == fieldStart {
			if fb := m.part(b); fb == fieldTarget || fb == fieldCompleted {
				return fieldSchedule, false
			}
		}
	}
	return m.loose(n), false
}

// part matches one half of a "Start date / Target date" header: exactly,
// else loosely.
func (m *matcher) part(s string) string {
	n := normHeader(s)
	if f, ok := m.exact[n]; ok || n == "" {
		return f
	}
	return m.loose(n)
}

// loose returns the field of the longest synonym a normalised header of up
// to six words starts or ends with (at the end between equals), or "";
// failing that, the same for the header without its words in brackets
// ("Q1 progress (April - June)" is a progress).
func (m *matcher) loose(n string) string {
	if f := m.loosely(n); f != "" {
		return f
	}
	if i := strings.IndexByte(n, '('); i > 0 {
		if j := strings.IndexByte(n[i:], ')'); j > 0 {
			if rest := strings.TrimSpace(n[:i] + n[i+j+1:]); rest != n {
				if f, ok := m.exact[normHeader(rest)]; ok {
					return f
				}
				return m.loosely(normHeader(rest))
			}
		}
	}
	return ""
}

func (m *matcher) loosely(n string) string {
	words := strings.Fields(n)
	if len(words) > 6 {
		return ""
	}
	best, bestLen, bestSuffix := "", 0, false
	for _, s := range m.synonyms {
		if len(s.words) >= len(words) || len(s.words) < bestLen {
			continue
		}
		suffix := slices.Equal(words[len(words)-len(s.words):], s.words)
		prefix := slices.Equal(words[:len(s.words)], s.words)
		if !suffix && !prefix {
			continue
		}
		if len(s.words) > bestLen || (suffix && !bestSuffix) {
			best, bestLen, bestSuffix = s.field, len(s.words), suffix
		}
	}
	return best
}

// header is a header row: which column holds each field. Columns are
// 1-based; a field's column is 0 when the sheet has none.
type header struct {
	row   int
	texts map[int]string // every header cell, as typed
	col   map[string]int // field → column
	field map[int]string // column → field, for the columns in col
	cands map[int]string // every column whose header means a field, chosen or not
	exact map[int]bool   // whether cands[col] matched exactly
	weak  map[int]bool   // whether cands[col] is one of the weaker headers
	order map[int]int    // cands[col]'s place in its field's synonyms (exact matches)
	score int            // how many fields the row maps
	// owners are the columns an action's lead owners are read from: the
	// owner column, else every director, executive lead or portfolio
	// holder column (officers first).
	owners []int
	// recAsAction is set when the sheet has no action column and its
	// recommendations are its actions (a recommendations tracker).
	recAsAction bool
	// inferred holds the columns read as a field by their content, not
	// their heading (inferMissing): column → field, and why.
	inferred      map[int]string
	inferredField map[int]string
	saved         bool // from a layout saved in config.yaml
}

// usable reports whether a header row is a plan's: it names the action and
// at least one of its owner, dates or update.
func (h *header) usable() bool {
	return h != nil && h.col[fieldAction] > 0 &&
		(len(h.owners) > 0 || h.col[fieldSchedule] > 0 || h.col[fieldTarget] > 0 || h.col[fieldRevised] > 0 ||
			h.col[fieldUpdate] > 0)
}

// readHeader maps one row's cells to fields. When several columns mean the
// same field the choice is made by choose (after the sheet's hidden columns
// are known); here the first exact match, else the first, stands in.
func readHeader(m *matcher, row int, cells []string) *header {
	h := &header{row: row, texts: map[int]string{}, col: map[string]int{}, field: map[int]string{},
		cands: map[int]string{}, exact: map[int]bool{}, weak: map[int]bool{}, order: map[int]int{}}
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		col := i + 1
		h.texts[col] = c
		if f, exact := m.match(c); f != "" {
			h.cands[col] = f
			h.exact[col] = exact
			n := normHeader(c)
			h.weak[col] = weaker[n]
			h.order[col] = m.order[n]
		}
	}
	h.choose(nil)
	return h
}

// choose picks one column for each field among the candidates: a visible
// column before a hidden one, a stronger header before a weaker one, an
// exact header before a loose one, then the leftmost. A sheet without an
// action column whose recommendations are in a column reads them as its
// actions; one without an owner column reads its directors, executive
// leads and portfolio holders as its owners.
func (h *header) choose(hidden map[int]bool) {
	h.col, h.field = map[string]int{}, map[int]string{}
	h.owners, h.recAsAction = nil, false
	rank := func(col int) int {
		r := 0
		if hidden[col] {
			r += 4
		}
		if h.weak[col] {
			r += 2
		}
		if !h.exact[col] {
			r++
		}
		return r
	}
	cols := make([]int, 0, len(h.cands))
	for c := range h.cands {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		f := h.cands[c]
		if cur, ok := h.col[f]; !ok || rank(c) < rank(cur) {
			h.col[f] = c
		}
	}
	if h.col[fieldAction] == 0 && h.col[fieldRecommendation] > 0 {
		h.col[fieldAction] = h.col[fieldRecommendation]
		delete(h.col, fieldRecommendation)
		h.recAsAction = true
	}
	delete(h.col, fieldOwner2) // kept as an extra column unless it names the owners
	if c := h.col[fieldOwner]; c > 0 {
		h.owners = []int{c}
	} else {
		for _, c := range cols {
			if h.cands[c] == fieldOwner2 && !hidden[c] {
				h.owners = append(h.owners, c)
			}
		}
		slices.SortStableFunc(h.owners, func(a, b int) int { return h.order[a] - h.order[b] })
		for _, c := range h.owners {
			h.field[c] = fieldOwner2
		}
		if len(h.owners) > 0 {
			h.col[fieldOwner2] = h.owners[0]
		}
	}
	for c, f := range h.inferredField {
		if h.col[f] == 0 && !hidden[c] {
			h.col[f] = c
			if f == fieldOwner {
				h.owners = []int{c}
			}
		}
	}
	for f, c := range h.col {
		h.field[c] = f
	}
	h.score = len(h.col)
}

// findHeader returns the best header row among rows (the first rows of a
// sheet): the usable row mapping the most fields, the first of equals.
func findHeader(m *matcher, rows [][]string) *header {
	var best *header
	for i, cells := range rows {
		if i >= headerSearchRows {
			break
		}
		h := readHeader(m, i+1, cells)
		if h.usable() && (best == nil || h.score > best.score) {
			best = h
		}
	}
	return best
}
