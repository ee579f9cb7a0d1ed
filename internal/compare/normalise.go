package compare

import (
	"slices"
	"strings"
	"unicode"

	"papers/internal/plan"
)

// normalise tidies an action's text for matching: lower case; "&" (and
// "&amp;") read as "and"; apostrophes, straight or typographic, dropped (so
// "Practitioner's" and "Practitioners" agree); every other mark — bullets,
// quotes, dashes, hyphens, punctuation — read as a space; whitespace
// collapsed.
func normalise(s string) string {
	s = strings.ReplaceAll(s, "&amp;", "&")
	var b strings.Builder
	b.Grow(len(s) + 8)
	space := true // suppress leading spaces
	put := func(r rune) {
		if r == ' ' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			return
		}
		b.WriteRune(r)
		space = false
	}
	for _, r := range s {
		switch {
		case r < 0x80 && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			put(r)
		case r < 0x80 && 'A' <= r && r <= 'Z':
			put(r + ('a' - 'A'))
		case r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u201b' || r == '`' || r == '\u00b4':
			// apostrophes and typographic single quotes: dropped
		case r == '&':
			put(' ')
			put('a')
			put('n')
			put('d')
			put(' ')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			put(unicode.ToLower(r))
		default:
			put(' ')
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// stopWords are left out of the word sets texts are compared by: they say
// nothing about which action a sentence is.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and the or nor but of to in on at by for from with within without into onto
		as is are be been being was were am it its this that these those which who whom whose what when where
		how why there here than then so such also not no all any each every our we us their they them he she his
		her will shall would should could can may might must do does did done has have had having per via
		upon about across over under up out off`) {
		m[w] = true
	}
	return m
}()

// stem takes a plural "s" off a word, so that "services" and "service" agree.
// It is deliberately light: anything cleverer makes scores hard to explain.
func stem(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// contentWords splits a normalised text into the words it is compared by:
// stop-words and single characters left out, plurals stemmed. A text of stop
// words only keeps them all, so that it still has something to compare.
func contentWords(norm string) []string {
	all := strings.Fields(norm)
	out := make([]string, 0, len(all))
	for _, w := range all {
		if len(w) > 1 && !stopWords[w] {
			out = append(out, stem(w))
		}
	}
	if len(out) == 0 {
		for _, w := range all {
			out = append(out, stem(w))
		}
	}
	return out
}

// normaliseRef tidies a given Ref for matching: case, spaces and a trailing
// full stop do not count ("2.1." is "2.1").
func normaliseRef(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	return strings.TrimRight(s, ".")
}

// ownerSet returns the action's lead owners as a sorted set of tidied names,
// joined by "|", so that "A / B" and "B/A" agree.
func ownerSet(a *plan.Action) string {
	names := a.Owners
	if len(names) == 0 && strings.TrimSpace(a.Owner) != "" {
		names = plan.SplitOwners(a.Owner)
	}
	set := make([]string, 0, len(names))
	for _, n := range names {
		if k := plan.OwnerKey(n); k != "" {
			set = append(set, k)
		}
	}
	slices.Sort(set)
	set = slices.Compact(set)
	return strings.Join(set, "|")
}

// sameOwners reports whether two actions have the same lead owners, in any
// order and however spaced or titled.
func sameOwners(a, b *plan.Action) bool {
	if a.Owner == b.Owner && slices.Equal(a.Owners, b.Owners) {
		return true
	}
	return ownerSet(a) == ownerSet(b)
}

// sameUpdate reports whether two updates are the same once whitespace is
// collapsed.
func sameUpdate(a, b string) bool {
	if a == b {
		return true
	}
	for {
		a, b = strings.TrimLeftFunc(a, unicode.IsSpace), strings.TrimLeftFunc(b, unicode.IsSpace)
		if a == "" || b == "" {
			return a == b
		}
		i := strings.IndexFunc(a, unicode.IsSpace)
		j := strings.IndexFunc(b, unicode.IsSpace)
		if i < 0 {
			i = len(a)
		}
		if j < 0 {
			j = len(b)
		}
		if a[:i] != b[:j] {
			return false
		}
		a, b = a[i:], b[j:]
	}
}
