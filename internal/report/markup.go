package report

import (
	"fmt"
	"strings"

	"papers/internal/document"
)

// markup turns the filled-in cover template (a small Markdown-like text, see
// templates/cover-report.md) into document blocks. chart is placed where the
// template says [[chart]]. Numbered paragraphs ("#.") are numbered through
// the whole report, as council reports are.
type markup struct {
	name   string // template file name, for messages
	blocks []document.Block
	number int
	chart  *document.Chart
	kv     *document.KeyValue
	para   []string // lines of the paragraph being read
	line   int      // line the paragraph began on
	// section is the level of the last "#" heading: a bold sub-heading
	// goes one below it.
	section int
}

func parseMarkup(name, text string, chart *document.Chart) ([]document.Block, error) {
	m := &markup{name: name, chart: chart}
	n := 0
	for raw := range strings.SplitSeq(text, "\n") {
		n++
		if err := m.feed(n, strings.TrimRight(raw, " \t\r")); err != nil {
			return nil, err
		}
	}
	if err := m.flush(); err != nil {
		return nil, err
	}
	m.flushKV()
	return m.blocks, nil
}

func stripComments(s string) string {
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "-->")
		if j < 0 {
			return s[:i]
		}
		// keep the newlines so line numbers in messages stay right
		s = s[:i] + strings.Repeat("\n", strings.Count(s[i:i+j+3], "\n")) + s[i+j+3:]
	}
}

func (m *markup) feed(n int, line string) error {
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "":
		return m.flush()
	case strings.HasPrefix(trimmed, "|"):
		if err := m.flush(); err != nil {
			return err
		}
		cells := strings.Split(strings.Trim(trimmed, "|"), "|")
		if len(cells) != 2 {
			return fmt.Errorf("%s:%d: a key–value row needs exactly two cells: | Key | Value |", m.name, n)
		}
		if m.kv == nil {
			m.kv = &document.KeyValue{}
		}
		m.kv.Pairs = append(m.kv.Pairs, document.Pair{Key: strings.TrimSpace(cells[0]), Value: strings.TrimSpace(cells[1])})
		return nil
	}
	m.flushKV()
	switch {
	case strings.HasPrefix(trimmed, "#") && !strings.HasPrefix(trimmed, "#."):
		if err := m.flush(); err != nil {
			return err
		}
		level := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
		if level > 3 {
			return fmt.Errorf("%s:%d: headings go down to ### only", m.name, n)
		}
		// "## X" is the report's section heading, level 1 in the document.
		if level > 1 {
			level--
		}
		m.section = level
		h, err := heading(level, strings.TrimSpace(strings.TrimLeft(trimmed, "#")))
		if err != nil {
			return fmt.Errorf("%s:%d: %v", m.name, n, err)
		}
		m.blocks = append(m.blocks, h)
		return nil
	case trimmed == "[[chart]]":
		if err := m.flush(); err != nil {
			return err
		}
		if m.chart != nil {
			m.blocks = append(m.blocks, *m.chart)
		}
		return nil
	case trimmed == "[[page-break]]":
		if err := m.flush(); err != nil {
			return err
		}
		m.blocks = append(m.blocks, document.PageBreak{})
		return nil
	case strings.HasPrefix(trimmed, "[[") && strings.HasSuffix(trimmed, "]]"):
		return fmt.Errorf("%s:%d: unknown placeholder %s (known: [[chart]], [[page-break]])", m.name, n, trimmed)
	}
	// A list item or a labelled paragraph starts a new paragraph.
	if len(m.para) > 0 && startsItem(trimmed) {
		if err := m.flush(); err != nil {
			return err
		}
	}
	if len(m.para) == 0 {
		m.line = n
	}
	m.para = append(m.para, trimmed)
	return nil
}

// heading is a "#" heading of text, which may hold language spans (its **
// are plain text).
func heading(level int, text string) (document.Heading, error) {
	if !strings.ContainsAny(text, "[\\{") {
		return document.Heading{Level: level, Text: text}, nil
	}
	runs, err := parseInline(text, false)
	if err != nil {
		return document.Heading{}, err
	}
	return headingOf(level, runs), nil
}

// headingOf is a heading of runs: their text, and the runs themselves
// when one is in a language of its own.
func headingOf(level int, runs []document.Run) document.Heading {
	if len(runs) == 1 && runs[0].Lang == "" {
		return document.Heading{Level: level, Text: runs[0].Text}
	}
	var b strings.Builder
	h := document.Heading{Level: level}
	for _, r := range runs {
		b.WriteString(r.Text)
		if r.Lang != "" {
			h.Runs = runs
		}
	}
	h.Text = b.String()
	return h
}

// allBold reports whether every run is bold: a paragraph that is a
// sub-heading.
func allBold(runs []document.Run) bool {
	for _, r := range runs {
		if !r.Bold {
			return false
		}
	}
	return len(runs) > 0
}

func startsItem(s string) bool {
	label, _ := splitLabel(s)
	return label != ""
}

// splitLabel separates a paragraph's label: "#." (auto-numbered), "(i)",
// "1.", "a)", "-" (bullet).
func splitLabel(s string) (label, rest string) {
	if strings.HasPrefix(s, "- ") {
		return "•", strings.TrimSpace(s[2:])
	}
	if strings.HasPrefix(s, "#. ") {
		return "#.", strings.TrimSpace(s[3:])
	}
	sp := strings.IndexByte(s, ' ')
	if sp <= 0 || sp > 6 {
		return "", s
	}
	tok := s[:sp]
	switch {
	case tok[0] == '(' && tok[len(tok)-1] == ')' && len(tok) > 2 && alnum(tok[1:len(tok)-1]):
	case tok[len(tok)-1] == '.' && len(tok) > 1 && digits(tok[:len(tok)-1]):
	case tok[len(tok)-1] == ')' && len(tok) > 1 && alnum(tok[:len(tok)-1]):
	default:
		return "", s
	}
	return tok, strings.TrimSpace(s[sp+1:])
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func (m *markup) flushKV() {
	if m.kv != nil {
		m.blocks = append(m.blocks, *m.kv)
		m.kv = nil
	}
}

func (m *markup) flush() error {
	if len(m.para) == 0 {
		return nil
	}
	text := strings.Join(m.para, " ")
	m.para = m.para[:0]
	label, rest := splitLabel(text)
	indent := 0
	if label == "#." {
		m.number++
		label = fmt.Sprintf("%d.", m.number)
	} else if label == "•" {
		indent = 1
	}
	runs, err := inlineRuns(rest)
	if err != nil {
		return fmt.Errorf("%s:%d: %v", m.name, m.line, err)
	}
	if len(runs) == 0 {
		return nil
	}
	// A paragraph that is all bold is a sub-heading ("Capital/Revenue"): as a
	// heading it stays with what follows and is listed in the navigation.
	// It goes one level below the section it is in, so the sub-headings of
	// a section are siblings.
	if label == "" && allBold(runs) {
		m.blocks = append(m.blocks, headingOf(min(max(m.section, 1)+1, 3), runs))
		return nil
	}
	m.blocks = append(m.blocks, document.Paragraph{Label: label, Runs: runs, Indent: indent})
	return nil
}

// inlineRuns splits **bold** spans and language spans out of a line of
// text. A backslash escapes the next character, so officers' text (escaped
// by esc) can hold asterisks and brackets.
//
// A language span is [text]{lang=cy}: the text in brackets, then at once
// its BCP 47 language tag in braces. A [ whose closing ] is not followed by
// { is plain text, as it always was; a {lang= that follows no [text], a
// span not closed by }, and a tag that is not one are errors. Spans do not
// nest; bold marks may sit inside or around them.
func inlineRuns(s string) ([]document.Run, error) { return parseInline(s, true) }

// parseInline is inlineRuns; with bold false, ** is plain text (headings).
func parseInline(s string, boldMarks bool) ([]document.Run, error) {
	var runs []document.Run
	bold := false
	lang := ""
	spanEnd, attrEnd := -1, -1 // the open span's ] and the } after its tag
	start := 0                 // where the current run's text starts in s
	emit := func(end int) {
		if end > start {
			runs = append(runs, document.Run{Text: unescape(s[start:end]), Bold: bold, Lang: lang})
		}
	}
	for i := 0; i < len(s); i++ {
		switch {
		case i == spanEnd:
			emit(i)
			lang, spanEnd = "", -1
			i = attrEnd
			start = i + 1
		case s[i] == '\\' && i+1 < len(s):
			i++
		case boldMarks && s[i] == '*' && i+1 < len(s) && s[i+1] == '*':
			emit(i)
			bold = !bold
			i++
			start = i + 1
		case s[i] == '[' && spanEnd < 0:
			end, tag, close, err := langSpan(s, i)
			if err != nil {
				return nil, err
			}
			if end < 0 {
				continue // a plain bracket
			}
			emit(i)
			lang, spanEnd, attrEnd = tag, end, close
			start = i + 1
		case s[i] == '{' && strings.HasPrefix(s[i:], "{lang="):
			return nil, fmt.Errorf("%s must follow the [text] it applies to, with nothing between ] and {", attrText(s[i:]))
		}
	}
	if bold {
		return nil, fmt.Errorf("a ** bold mark is not closed")
	}
	if start < len(s) {
		runs = append(runs, document.Run{Text: unescape(s[start:])})
	}
	return runs, nil
}

// langSpan reads the language span whose [ is at s[i]: the index of its ],
// its tag, and the index of the } that ends the tag. end is -1 when the [
// opens no span (its ] is missing or not followed by {).
func langSpan(s string, i int) (end int, tag string, close int, err error) {
	j := i + 1
	for ; j < len(s) && s[j] != ']'; j++ {
		if s[j] == '\\' {
			j++
		}
	}
	if j+1 >= len(s) || s[j+1] != '{' {
		return -1, "", 0, nil
	}
	k := strings.IndexByte(s[j+1:], '}')
	if k < 0 {
		return 0, "", 0, fmt.Errorf("the language span %q is not closed: write [text]{lang=cy}", clip(s[i:]))
	}
	close = j + 1 + k
	attr := s[j+2 : close]
	tag, ok := strings.CutPrefix(attr, "lang=")
	if !ok {
		return 0, "", 0, fmt.Errorf("unknown {%s} after [%s]: the only one is {lang=TAG}, e.g. {lang=cy} for Welsh", attr, clip(s[i+1:j]))
	}
	if !validLang(tag) {
		return 0, "", 0, fmt.Errorf("%q in {lang=%s} is not a BCP 47 language tag: use e.g. cy (Welsh), cy-GB, en-GB, ga (Irish), gd (Scottish Gaelic)", tag, tag)
	}
	if j == i+1 {
		return 0, "", 0, fmt.Errorf("the language span []{lang=%s} has no text", tag)
	}
	return j, tag, close, nil
}

// validLang reports whether tag has the shape of a BCP 47 language tag: a
// primary language of 2 or 3 letters, then subtags of 1 to 8 letters or
// digits, joined by hyphens. papers never guesses a language; it checks
// the shape of the one it is given.
func validLang(tag string) bool {
	if len(tag) > 35 {
		return false
	}
	for n, sub := range strings.Split(tag, "-") {
		if len(sub) < 1 || len(sub) > 8 || n == 0 && (len(sub) < 2 || len(sub) > 3) {
			return false
		}
		for _, r := range sub {
			letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !letter && (n == 0 || r < '0' || r > '9') {
				return false
			}
		}
	}
	return true
}

// attrText is the {…} at the start of s, cut short for a message.
func attrText(s string) string {
	if k := strings.IndexByte(s, '}'); k >= 0 {
		s = s[:k+1]
	}
	return clip(s)
}

// clip cuts s to a length a message can quote.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// unescape drops each backslash that escapes the character after it. Text
// without one, nearly all of it, is returned as it is, not copied.
func unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 || i == len(s)-1 {
		return s
	}
	b := append(make([]byte, 0, len(s)), s[:i]...)
	for ; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b = append(b, s[i])
	}
	return string(b)
}

// esc makes officers' text safe to place in the template's markup: it can
// never make bold, a language span ([ and {) or a key–value row.
func esc(s string) string {
	if !needsEsc(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '\\' || c == '[' || c == '|' || c == '{' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// needsEsc reports whether s holds a character esc escapes. Every field
// of every action the cover lists is checked: a plain loop is quicker than
// strings.ContainsAny.
func needsEsc(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '*' || c == '\\' || c == '[' || c == '|' || c == '{' {
			return true
		}
	}
	return false
}
