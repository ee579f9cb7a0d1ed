package workbook

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// This file recognises the rows of a plan that are not actions: numbered
// recommendations, "2 continued" markers, phase headings and a "Lead
// Owners" block.

const numberWords = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty`

var wordValue = func() map[string]string {
	m := map[string]string{}
	for i, w := range strings.Split(numberWords, "|") {
		m[w] = strconv.Itoa(i + 1)
	}
	return m
}()

// number reads "2" or "Two" as "2".
func number(s string) string {
	if v, ok := wordValue[strings.ToLower(s)]; ok {
		return v
	}
	return strings.TrimLeft(s, "0")
}

var (
	// "Recommendation One: Develop …", "Recommendation 2 - …", "Rec. 3 …"
	recWord = regexp.MustCompile(`(?i)^((?:recommendation|rec\.?)\s*(?:no\.?\s*)?(\d{1,3}|` + numberWords + `))\b[\s:.\-–—)]*(.*)$`)
	// "R1 Develop …", "R2: …"
	recR = regexp.MustCompile(`^R\s?(\d{1,3})\b[\s:.\-–—)]*(.*)$`)
	// "1. Develop …", "2) …", "3 Develop …" (but not "1.1 …")
	recNum = regexp.MustCompile(`^(\d{1,3})(?:[.):]\s*|\s+)(\D.*)$`)
	// "2 continued", "Recommendation 2 (continued)", "Recommendation Two cont'd: …", "(continued)"
	continued = regexp.MustCompile(`(?i)^(?:(?:recommendation|rec\.?)\s*)?(\d{1,3}|` + numberWords + `)?[\s\-–:,]*\(?\s*(?:continued|cont'd|contd|cont\.)\s*\)?\s*(?:[:\-–—].*)?$`)
	// a Ref column's value that numbers a recommendation rather than an action
	integerRef = regexp.MustCompile(`(?i)^(?:recommendation\s*|rec\.?\s*|r\s?)?(\d{1,3})\.?$`)
	// a Ref column's value that numbers a sub-action: "1.1", "a)", "(b)"
	subRef = regexp.MustCompile(`(?i)^(?:\d+\.\d+|\(?[a-z]\)|\(?[ivx]+\))`)
	// "Phase 2", "Stage one", "Year 1", "Short term", "Within three months"
	phaseWords = regexp.MustCompile(`(?i)^(?:(?:phase|stage|step|tranche|wave|year|quarter|part|priority|milestone)\s*(?:\d+|[ivx]+|` + numberWords + `|[a-e])\b|(?:short|medium|long)[\s-]term\b|immediate(?:ly)?\b|quick wins?\b|within\s+\S+\s+(?:days?|weeks?|months?|years?)\b)`)
)

// recHeading is a recommendation as its cell gives it.
type recHeading struct {
	ref, title, text string
	numbered         bool
}

// parseRec reads a recommendation's text: "Recommendation One: Develop …"
// gives ref "1", title "Recommendation One", text "Develop …"; "1. Develop …"
// and "R1 Develop …" give title "Recommendation 1". Text without a number
// gives no ref and no title.
func parseRec(t string) recHeading {
	if m := recWord.FindStringSubmatch(t); m != nil {
		return recHeading{ref: number(m[2]), title: strings.TrimSpace(m[1]), text: strings.TrimSpace(m[3]), numbered: true}
	}
	for _, re := range []*regexp.Regexp{recR, recNum} {
		if m := re.FindStringSubmatch(t); m != nil {
			ref := number(m[1])
			if ref == "" {
				break
			}
			return recHeading{ref: ref, title: "Recommendation " + ref, text: strings.TrimSpace(m[2]), numbered: true}
		}
	}
	return recHeading{text: t}
}

// continuation reads a "2 continued" marker: ok, and the recommendation it
// continues ("" for a bare "(continued)": the current one).
func continuation(t string) (ref string, ok bool) {
	if len(t) > 200 || !strings.Contains(strings.ToLower(t), "cont") {
		return "", false
	}
	m := continued.FindStringSubmatch(t)
	if m == nil {
		return "", false
	}
	return number(m[1]), true
}

// isPhase reports whether a heading row's text names a phase: "Phase 2",
// "WITHIN THREE MONTHS", "Short term", or any short text of two or more words
// in capitals.
func isPhase(t string) bool {
	if len(t) > 100 {
		return false
	}
	if phaseWords.MatchString(t) {
		return true
	}
	letters, words := 0, len(strings.Fields(t))
	for _, r := range t {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4 && words >= 2 && words <= 10
}

// ownersHeading reports whether a row's only text starts a lead owners block
// below the plan ("Lead Owners:").
func ownersHeading(t string) bool {
	switch normHeader(t) {
	case "lead owners", "lead owner", "lead officers", "lead owners and roles", "key to lead owners", "lead owner roles":
		return true
	}
	return false
}
