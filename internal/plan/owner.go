package plan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the rules for lead owners: who a lead owner cell names
// (SplitOwners) and when two spellings name the same owner (OwnerKey,
// SameOwner). Every caller uses them: the workbook reader, the comparison,
// the report, the returns and the portal.

// SplitOwners splits a lead owner cell into the owners it names. Plans name
// people ("Robert Henderson / Cllr Paffey"), job titles ("Director of
// Housing and Environmental Services", "Income Manager, Housing", "Head of
// Service MASH/SA"), initials ("DM/PL/KL") and teams ("Neighbourhoods /
// Governance"), so a separator splits only where it separates owners:
//
//   - line breaks and ";" always;
//   - " / " with spaces always; "/" without spaces unless it joins two
//     abbreviations at the end of a title ("Head of Service MASH/SA");
//   - "," only between names or initials ("Robert Henderson, Jane Smith"),
//     not before a title's qualifier ("Matron, Acute Wards");
//   - " and ", "&" and "+" only where both sides are people or roles
//     ("Martin Oduya and Claire Booth", "English Lead and Year 6 teachers"),
//     not inside a title ("Head of Finance and Procurement").
//
// Each owner is cleaned of surrounding space and punctuation.
func SplitOwners(cell string) []string {
	cell = maskBrackets(cell)
	var out []string
	for _, line := range strings.FieldsFunc(cell, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' }) {
		for _, part := range splitSlashes(line) {
			for _, p := range splitAnd(part) {
				for _, o := range splitCommas(p) {
					if o = unmaskBrackets(tidyOwner(o)); o != "" {
						out = append(out, o)
					}
				}
			}
		}
	}
	return out
}

// Separators inside brackets ("Compliance Lead (Water & Asbestos)") are
// part of the owner: they are masked while the cell is split.
var bracketMask = strings.NewReplacer("&", "\uE001", "/", "\uE002", ",", "\uE003", ";", "\uE004", "+", "\uE005", " and ", "\uE006")

var bracketUnmask = strings.NewReplacer("\uE001", "&", "\uE002", "/", "\uE003", ",", "\uE004", ";", "\uE005", "+", "\uE006", " and ")

func maskBrackets(s string) string {
	if !strings.ContainsAny(s, "([") {
		return s
	}
	var b strings.Builder
	depth := 0
	start := 0
	for i, r := range s {
		switch r {
		case '(', '[':
			if depth == 0 {
				b.WriteString(s[start:i])
				start = i
			}
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
				if depth == 0 {
					b.WriteString(bracketMask.Replace(s[start : i+1]))
					start = i + 1
				}
			}
		}
	}
	b.WriteString(s[start:])
	return b.String()
}

func unmaskBrackets(s string) string { return bracketUnmask.Replace(s) }

// tidyOwner collapses spacing and trims punctuation left by a split.
func tidyOwner(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " ,/&+:-–")
}

func splitSlashes(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '/' {
			continue
		}
		spaced := i > 0 && s[i-1] == ' ' || i+1 < len(s) && s[i+1] == ' '
		if !spaced && joinsAbbreviations(s[start:i], s[i+1:]) {
			continue
		}
		out = append(out, s[start:i])
		start = i + 1
	}
	return append(out, s[start:])
}

// joinsAbbreviations reports whether an unspaced "/" between left and right
// joins two abbreviations at the end of a longer title ("Head of Service
// MASH/SA"), rather than separating owners ("DM/PL", "HT/DHT").
func joinsAbbreviations(left, right string) bool {
	lw, rw := strings.Fields(left), strings.Fields(right)
	if len(lw) < 2 || len(rw) == 0 {
		return false
	}
	return isAbbreviation(lw[len(lw)-1]) && isAbbreviation(rw[0]) && hasRoleWord(lw[:len(lw)-1], false)
}

func splitCommas(s string) []string {
	parts := strings.Split(s, ",")
	if len(parts) == 1 {
		return parts
	}
	for _, p := range parts {
		if !isName(p) && !isInitials(p) && !plainName(p) {
			return []string{s}
		}
	}
	return parts
}

// splitAnd splits on " and ", "&" and "+" where the words after start a
// new owner: a person's name or initials ("… and Tom Bright, Head of
// Audit"), or a role after a title that ends in its role word ("English
// Lead and Year 6 teachers"). Elsewhere the "and" is part of a title
// ("Director of Housing and Environmental Services", "Director of Legal
// Services and Monitoring Officer", "Communications & Engagement"), and the
// cell's own text is kept, separators and all.
func splitAnd(s string) []string {
	spans := splitWords(s)
	if len(spans) == 1 {
		return []string{s}
	}
	part := func(sp [2]int) string { return strings.TrimSpace(s[sp[0]:sp[1]]) }
	var out []string
	start := 0 // where the owner being gathered starts in s
	cur := part(spans[0])
	for _, sp := range spans[1:] {
		p := part(sp)
		if startsPerson(p) || isPersonOrRole(p) && isPersonOrRole(cur) && !qualifies(cur) {
			out = append(out, cur)
			start, cur = sp[0], p
			continue
		}
		cur = strings.TrimSpace(s[start:sp[1]])
	}
	return append(out, cur)
}

// startsPerson reports whether s starts with a person's name or initials,
// alone or before a comma and their title.
func startsPerson(s string) bool {
	first, _, _ := strings.Cut(s, ",")
	return isName(first) || isInitials(first)
}

// splitWords splits s at the word "and" and at "&" and "+", returning each
// part's span in s (separators excluded).
func splitWords(s string) [][2]int {
	var spans [][2]int
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '&' || s[i] == '+':
			spans = append(spans, [2]int{start, i})
			start = i + 1
		case (i == 0 || isSpaceByte(s[i-1])) && i+4 <= len(s) && strings.EqualFold(s[i:i+3], "and") && isSpaceByte(s[i+3]):
			spans = append(spans, [2]int{start, i})
			start = i + 4
			i += 3
		}
	}
	return append(spans, [2]int{start, len(s)})
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' }

// qualifies reports whether a title ends with a qualifier that an "and"
// may continue: "Head of Finance", "Assistant Director, Safeguarding".
func qualifies(s string) bool {
	if isName(s) || isInitials(s) {
		return false
	}
	w := strings.Fields(s)
	last := -1
	for i, x := range w {
		if isRoleWord(x) {
			last = i
		}
	}
	return last >= 0 && last < len(w)-1 && !isRoleWord(w[len(w)-1])
}

// isPersonOrRole reports whether s names an owner on its own: a person's
// name, initials, or a title with a role word.
func isPersonOrRole(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (isName(s) || isInitials(s) || hasRoleWord(strings.Fields(s), false))
}

// isName reports whether s looks like a person's name: one to four words,
// each capitalised (or an initial), optionally after a title, with no role
// word: "Robert Henderson", "Cllr Mrs P Hardwick", "Jane O'Neill".
func isName(s string) bool {
	w := strings.Fields(s)
	i := 0
	for i < len(w) && isTitle(w[i]) {
		i++
	}
	titled := i > 0
	w = w[i:]
	if len(w) == 0 || len(w) > 4 || len(w) == 1 && !titled {
		// One word is no one's name ("Communications"), unless after a
		// title ("Cllr Paffey").
		return false
	}
	for _, x := range w {
		r, _ := utf8.DecodeRuneInString(x)
		if !unicode.IsUpper(r) || isRoleWord(x) || nameStop[strings.ToLower(strings.Trim(x, ".,"))] {
			return false
		}
	}
	return true
}

// plainName reports whether s could be a name typed without capitals
// ("a smith", "robert henderson"): two or three words of letters, none a
// role word or a word no name has.
func plainName(s string) bool {
	w := strings.Fields(s)
	if len(w) < 2 || len(w) > 3 {
		return false
	}
	for _, x := range w {
		for _, r := range x {
			if !unicode.IsLetter(r) && r != '\'' && r != '-' && r != '.' {
				return false
			}
		}
		if isRoleWord(x) || nameStop[strings.ToLower(strings.Trim(x, "."))] {
			return false
		}
	}
	return true
}

// isInitials reports whether s is initials, perhaps with an organisation in
// brackets: "DM", "AN (LCC)", "HT".
func isInitials(s string) bool {
	w := strings.Fields(s)
	if len(w) == 1 && len(strings.TrimRight(w[0], ".")) == 1 && unicode.IsUpper([]rune(w[0])[0]) {
		return true // "A", "B."
	}
	if len(w) == 0 || len(w) > 2 || !isAbbreviation(w[0]) {
		return false
	}
	return len(w) == 1 || strings.HasPrefix(w[1], "(") && strings.HasSuffix(w[1], ")")
}

// isAbbreviation reports whether a word is two to five capital letters
// (perhaps with a lower-case letter inside, as in "SENCo"): "SA", "MASH",
// "DHT".
func isAbbreviation(w string) bool {
	w = strings.Trim(w, ".,()")
	n, upper := 0, 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return n >= 2 && n <= 5 && upper >= n-1 && unicode.IsUpper([]rune(w)[0])
}

func isTitle(w string) bool {
	switch strings.ToLower(strings.TrimRight(w, ".")) {
	case "cllr", "councillor", "councilor", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd":
		return true
	}
	return false
}

// hasRoleWord reports whether any of words is a role word (or, with
// titles, a personal title).
func hasRoleWord(words []string, titles bool) bool {
	for _, w := range words {
		if isRoleWord(w) || titles && isTitle(w) {
			return true
		}
	}
	return false
}

func isRoleWord(w string) bool {
	k := strings.ToLower(strings.Trim(w, ".,:;()'’"))
	if roleWords[k] {
		return true
	}
	// Plurals: "teachers", "governors".
	return strings.HasSuffix(k, "s") && roleWords[strings.TrimSuffix(k, "s")]
}

// roleWords are the words that make a title a role: "Head of Service",
// "Payroll Manager", "Year 6 teachers".
var roleWords = setOf(
	"director", "manager", "head", "officer", "lead", "leader", "chief", "executive", "commander",
	"matron", "nurse", "doctor", "teacher", "governor", "clerk", "coordinator", "co-ordinator",
	"adviser", "advisor", "partner", "worker", "inspector", "superintendent", "supt", "chair",
	"chairman", "chairperson", "member", "councillor", "cllr", "principal", "consultant", "analyst",
	"secretary", "controller", "treasurer", "auditor", "commissioner", "assistant", "deputy",
	"senco", "ht", "dht", "sbm", "ceo", "cfo", "coo", "dcs", "das", "dph", "specialist", "champion",
	"holder", "mayor", "owner", "administrator", "engineer", "planner", "surveyor", "solicitor",
	"accountant", "therapist", "practitioner", "psychologist", "paediatrician", "midwife",
	"pharmacist", "constable", "sergeant", "firefighter", "det", "designated", "registrar",
	"steward", "board", "committee", "panel", "team", "group", "governing", "trustee", "president",
	"guardian", "monitoring", "caldicott", "ssro", "dpo", "sro",
)

// nameStop are capitalised words that do not appear in people's names, so
// "Environmental Services" is no one's name.
var nameStop = setOf(
	"services", "service", "department", "directorate", "support", "safeguarding", "housing",
	"finance", "procurement", "resources", "development", "governance", "communities",
	"neighbourhoods", "education", "health", "care", "children", "adults", "council", "school",
	"the", "of", "for", "to", "in", "on", "with", "all", "plan", "policy", "strategy", "ict", "it",
	"hr", "legal", "property", "estates", "operations", "operational", "risk", "quality", "performance",
	"planning", "transformation", "digital", "customer", "corporate", "public", "social", "family",
	"looked", "after", "protection", "environment", "environmental", "transport", "highways",
	"waste", "leisure", "culture", "economy", "regeneration", "audit", "assurance", "commissioning",
	"partnership", "partnerships", "board", "wards", "ward", "acute", "community", "mental",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// OwnerKey is the form in which two spellings of a lead owner compare
// equal: case, spacing, full stops and trailing punctuation ignored ("R.
// Henderson", "R Henderson", "r.henderson:"), and "Cllr", "Cllr." and
// "Councillor" the same title. This is the owner identity rule: every
// package compares lead owners with it or SameOwner.
func OwnerKey(name string) string {
	w := strings.Fields(strings.ToLower(strings.ReplaceAll(name, ".", " ")))
	for len(w) > 0 {
		last := strings.TrimRight(w[len(w)-1], ":.,")
		if last != "" {
			w[len(w)-1] = last
			break
		}
		w = w[:len(w)-1]
	}
	if len(w) > 0 {
		switch strings.TrimRight(w[0], ".:") {
		case "cllr", "councillor", "councilor":
			w[0] = "councillor"
		}
	}
	return strings.Join(w, " ")
}

// SameOwner reports whether a and b name the same lead owner.
func SameOwner(a, b string) bool {
	k := OwnerKey(a)
	return k != "" && k == OwnerKey(b)
}

// LooksLikeOwner reports whether a lead owner cell names owners: every
// owner SplitOwners finds in it is a person's name, initials or a title
// with a role word ("Head of Service", "Cllr Paffey", "DM/PL"), and the
// cell is short. A column of such cells is a plan's owner column whatever
// its heading.
func LooksLikeOwner(cell string) bool {
	if len(cell) > 120 {
		return false
	}
	owners := SplitOwners(cell)
	for _, o := range owners {
		if !isPersonOrRole(o) {
			return false
		}
	}
	return len(owners) > 0
}
