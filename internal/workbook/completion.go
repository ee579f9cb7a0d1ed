package workbook

import (
	"fmt"

	"github.com/xuri/excelize/v2"
	"regexp"
	"strconv"
	"strings"
	"time"

	"papers/internal/plan"
)

// This file reads whether an action is complete from everything a plan uses
// to say so: a date completed, a status word, % complete, a BRAG colour (as
// the sheet's key defines it), or "Complete" written for its target.

// legend is what a sheet's key says each RAG colour means: "Blue -
// complete", "Green: implemented and evidenced", "Blue | timeline
// reconsidered".
type legend map[plan.RAG]string

var (
	// "Blue - complete", "B = complete", "Green: recommendation achieved"
	legendCell = regexp.MustCompile(`(?i)^\s*(blue|green|amber|yellow|red|b|g|a|r)\s*[-–—:=]\s*(\S.*)$`)
	colourWord = regexp.MustCompile(`(?i)^\s*(blue|green|amber|yellow|red)\s*:?\s*$`)
)

func ragOf(word string) plan.RAG {
	switch strings.ToLower(word) {
	case "blue", "b":
		return plan.RAGBlue
	case "green", "g":
		return plan.RAGGreen
	case "amber", "yellow", "a":
		return plan.RAGAmber
	case "red", "r":
		return plan.RAGRed
	}
	return plan.RAGNone
}

// readLegend finds a key to RAG colours in rows: cells that start with a
// colour and say what it means ("Blue - complete"), or a row whose first
// cell is a colour and whose next says what it means. Rows with many cells
// are a plan's actions, not its key.
func readLegend(rows [][]string) legend {
	l := legend{}
	for _, row := range rows {
		n := 0
		colour := false
		for _, c := range row {
			if !isBlank(c) {
				n++
				colour = colour || startsWithColour(c)
			}
		}
		if n == 0 || n > 6 || !colour {
			continue // a plan's row, or no colour named
		}
		var cells []string
		for _, c := range row {
			if t := clean(c); t != "" {
				cells = append(cells, t)
			}
		}
		found := false
		for _, c := range cells {
			if m := legendCell.FindStringSubmatch(c); m != nil && (len(m[1]) > 1 || len(cells) > 1) {
				l[ragOf(m[1])] = m[2]
				found = true
			}
		}
		if !found && len(cells) <= 3 && len(cells) >= 2 {
			if m := colourWord.FindStringSubmatch(cells[0]); m != nil {
				l[ragOf(m[1])] = cells[1]
			}
		}
	}
	return l
}

// startsWithColour is a cheap test that a cell starts with a colour's name
// ("Blue - complete", "Green") or letter ("B = complete"), before the
// regular expressions look.
func startsWithColour(c string) bool {
	t := strings.TrimLeft(c, " \t\r\n")
	i := 0
	for i < len(t) && i < 7 && (t[i]|0x20) >= 'a' && (t[i]|0x20) <= 'z' {
		i++
	}
	switch strings.ToLower(t[:i]) {
	case "blue", "green", "amber", "yellow", "red":
		return true
	case "b", "g", "a", "r":
		rest := strings.TrimLeft(t[i:], " ")
		return rest != "" && strings.ContainsRune("-–—:=", []rune(rest)[0])
	}
	return false
}

// merge adds other's colours that l does not define.
func (l legend) merge(other legend) {
	for k, v := range other {
		if _, ok := l[k]; !ok {
			l[k] = v
		}
	}
}

// complete says whether the colour means complete: as the key says when
// it defines the colour, else only Blue (BRAG).
func (l legend) complete(g plan.RAG) (bool, string) {
	if g == plan.RAGNone {
		return false, ""
	}
	if meaning, ok := l[g]; ok {
		return meansComplete(meaning), meaning
	}
	return g == plan.RAGBlue, ""
}

// meansComplete reports whether a key's words for a colour say complete:
// "complete", "implemented and evidenced", "recommendation achieved".
func meansComplete(meaning string) bool {
	words := strings.Fields(strings.ToLower(meaning))
	for i, w := range words {
		w = strings.Trim(w, ".,;:()-–")
		if !completeWords[w] {
			continue
		}
		negated := false
		for j := max(0, i-2); j < i; j++ {
			negated = negated || negation[strings.Trim(words[j], ".,;:()")]
		}
		if !negated {
			return true
		}
	}
	return false
}

var completeWords = map[string]bool{"complete": true, "completed": true, "implemented": true, "achieved": true,
	"closed": true, "done": true, "delivered": true}

var negation = map[string]bool{"not": true, "partially": true, "part": true, "no": true, "never": true, "nearly": true, "almost": true}

// percentComplete reads a % complete cell: "100%", "100", or 1 (a cell
// formatted as a percentage holds the fraction).
func percentComplete(text string) (float64, bool) {
	t := strings.TrimSpace(text)
	pct := strings.HasSuffix(t, "%")
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	if !pct && v <= 1 && strings.Contains(t, ".") || !pct && v == 1 {
		v *= 100
	}
	return v, true
}

// completion sets a.Complete and a.CompleteFrom from the row's signals, in
// the order a person would trust them: a date completed, the status, %
// complete, the BRAG colour, "Complete" written for the target (set by
// dates).
func (b *builder) completion(a *plan.Action, r int) {
	h := b.h
	if !a.Completed.IsZero() {
		a.CompleteFrom = fmt.Sprintf("%s %s", b.names[h.col[fieldCompleted]], a.Completed.Text)
		return
	}
	if a.Complete {
		return // "Y" in a "Complete? (Y/N)" column
	}
	if a.Complete {
		return // "Complete" written for its target
	}
	if a.Status != "" && plan.SaysComplete(a.Status) {
		a.Complete, a.CompleteFrom = true, fmt.Sprintf("%s %q", b.names[h.col[fieldStatus]], a.Status)
		return
	}
	if c := h.col[fieldPercent]; c > 0 {
		v, _ := b.value(r, c)
		if p, ok := percentComplete(clean(v)); ok && p >= 100 {
			a.Complete, a.CompleteFrom = true, fmt.Sprintf("%s 100%%", b.names[c])
			return
		}
	}
	if c := h.col[fieldRAG]; c > 0 {
		// "Achieved" or "Complete" written in the RAG column.
		if v, _ := b.value(r, c); plan.SaysComplete(clean(v)) {
			a.Complete, a.CompleteFrom = true, fmt.Sprintf("%s %q", b.names[c], clean(v))
			return
		}
	}
	if ok, meaning := b.legend.complete(a.RAG); ok {
		from := fmt.Sprintf("%s %s", b.ragColumnName(), a.RAG)
		if meaning != "" {
			from += fmt.Sprintf(" (the key: %q)", meaning)
		}
		a.Complete, a.CompleteFrom = true, from
	}
}

func (b *builder) ragColumnName() string {
	if c := b.h.col[fieldRAG]; c > 0 {
		return b.names[c]
	}
	if c := b.h.col[fieldStatus]; c > 0 {
		return b.names[c]
	}
	return "RAG"
}

// writtenComplete reports whether a target cell says the action is complete
// instead of giving a date: "Complete", "Completed", "Done".
func writtenComplete(text string) bool {
	return plan.SaysComplete(text) && strings.IndexAny(text, "0123456789") < 0 && len(strings.Fields(text)) <= 4
}

// calendarQuarter reads "Q2 2005" as the end of the calendar quarter, for
// a sheet whose note says its quarters are calendar quarters.
var quarterYear = regexp.MustCompile(`(?i)^(?:by\s+(?:the\s+end\s+of\s+)?)?Q([1-4])\s*(\d{4})$`)

func calendarQuarter(text string) (plan.TargetDate, bool) {
	m := quarterYear.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return plan.TargetDate{}, false
	}
	q, _ := strconv.Atoi(m[1])
	y, _ := strconv.Atoi(m[2])
	end := plan.Day(y, time.Month(3*q), 1).AddDate(0, 1, -1)
	return plan.TargetDate{Date: end, Precision: plan.PrecisionMonth, Text: text}, true
}

// saysCalendarQuarters reports whether a note on the sheet defines its
// quarters as calendar quarters: "Target dates are calendar quarters",
// "Q2 2005 means completion by 30th June 2005".
var calendarNote = regexp.MustCompile(`(?i)calendar\s+quarters?|\bQ[1-4]\s*\d{4}\s+(?:means|is|=)\b.{0,40}\b(?:31(?:st)?\s+mar|30(?:th)?\s+jun|30(?:th)?\s+sep|31(?:st)?\s+dec)`)

func saysCalendarQuarters(rows [][]string) bool {
	for _, row := range rows {
		for _, c := range row {
			if len(c) < 400 && (strings.Contains(c, "alendar") || strings.Contains(c, "means")) && calendarNote.MatchString(c) {
				return true
			}
		}
	}
	return false
}

// yesNo reads a yes-or-no cell: "Y", "Yes", "N", "No", "✓", "✔", "x",
// "True", "False". isYN is false for anything else (a date, say).
func yesNo(s string) (yes, isYN bool) {
	switch strings.ToLower(strings.Trim(s, " .")) {
	case "y", "yes", "✓", "✔", "☑", "true", "x":
		return true, true
	case "n", "no", "✗", "✘", "false", "":
		return false, s != ""
	}
	return false, false
}

// fillLegend reads a key given by colour alone: rows that hold a blank cell
// filled in a colour beside a few words saying what it means (a "Key"
// sheet of coloured squares; a key of coloured cells below a plan). Only a
// block of two or more such rows, in different colours, is a key: a
// heading band filled in one colour is not.
func (rd *reader) fillLegend(sheet string, rows [][]string, merged func(r, c int) bool) legend {
	if len(rows) == 0 {
		return legend{}
	}
	st := newStyles(rd.f)
	type entry struct {
		g       plan.RAG
		meaning string
	}
	var found []entry
	for i, row := range rows {
		var words []string
		for _, c := range row {
			if t := clean(c); t != "" {
				words = append(words, t)
			}
		}
		if len(words) == 0 || len(words) > 2 || len(strings.Join(words, " ")) > 80 {
			continue
		}
		for c := 1; c <= 4; c++ {
			if c <= len(row) && !isBlank(row[c-1]) || merged != nil && merged(i+1, c) {
				continue
			}
			name, err := excelize.CoordinatesToCellName(c, i+1)
			if err != nil {
				continue
			}
			id, err := rd.f.GetCellStyle(sheet, name)
			if err != nil || id == 0 {
				continue
			}
			hex := st.fillColour(id)
			if hex == "" {
				continue
			}
			g, ok := rd.opt.RAGColours[hex]
			if !ok {
				g = nearestRAG(hex)
			}
			if g != plan.RAGNone {
				found = append(found, entry{g, strings.Join(words, " ")})
				break
			}
		}
	}
	l := legend{}
	for _, e := range found {
		if _, ok := l[e.g]; !ok {
			l[e.g] = e.meaning
		}
	}
	if len(l) < 2 {
		return legend{}
	}
	return l
}

// keyRows are the rows of a plan's sheet where a key of colours may be: the
// eight rows after a row that says it starts one ("Key", "KEY:",
// "Legend"), above the header row or in the sheet's last fifteen rows; the
// others are left blank. Without such a row there is no key to read, and
// the sheet's cells' styles are never looked up.
func keyRows(rows [][]string, headerRow int) [][]string {
	out := make([][]string, len(rows))
	found := false
	for i := range rows {
		if i >= headerRow-1 && i < len(rows)-15 {
			continue
		}
		if first := firstCell(rows[i]); len(first) < 40 && keyMarker.MatchString(first) {
			for j := i + 1; j < len(rows) && j <= i+8; j++ {
				out[j] = rows[j]
				found = true
			}
		}
	}
	if !found {
		return nil
	}
	return out
}

// inMerge reports whether a cell of the plan's sheet lies inside a merged
// range, other than at its first cell.
func (b *builder) inMerge(r, c int) bool {
	for _, m := range b.meta.merges {
		if r >= m.r1 && r <= m.r2 && c >= m.c1 && c <= m.c2 && (r != m.r1 || c != m.c1) {
			return true
		}
	}
	return false
}

// looksLikeKey reports whether a sheet that is not the plan may be a key of
// colours: its name or one of its first rows says key or legend. Only then
// are its cells' styles looked up (which makes excelize read the sheet
// whole).
func looksLikeKey(si *sheetInfo) bool {
	if keyWord.MatchString(si.name) {
		return true
	}
	for _, row := range si.top {
		if t := joinCells(row); len(t) < 80 && keyWord.MatchString(t) {
			return true
		}
	}
	return false
}

var keyWord = regexp.MustCompile(`(?i)\b(?:key|legend|rag|b?rag\s+status)\b`)

// firstCell is a row's first cell with text, cleaned.
func firstCell(row []string) string {
	if c := firstText(row); c > 0 {
		return clean(row[c-1])
	}
	return ""
}
