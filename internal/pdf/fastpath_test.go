package pdf

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// wrap's fast path for plain ASCII must break every text exactly where the
// rune-at-a-time wrap did: same spans, same lines, for every width.
func TestWrapMatchesReference(t *testing.T) {
	widthsOnce.Do(loadWidths)
	texts := []string{
		"", " ", "\n", "a", "x\n", "  lead and trail  ",
		"one two three", "one  two   three  ", "a\n\nb\n",
		"sandy.hopkins@southampton.gov.uk", "contact sandy.hopkins@southampton.gov.uk",
		"abcdefghijklmnopqrstuvwxyz", "front-line staff", "a/b/c and x_y_z",
		"Meetings to be diarised by 30th Sept 20 – the Panel’s “view” (ŵ, ŷ)",
		"Diweddariad: mae’r gwasanaeth yn cwrdd â’r targed ✔ 😀 שלום",
		"bad \xff utf-8 \xe2\x80", "— dash—dash – en–dash", "tab\tand\rreturn",
		strings.Repeat("W", 300), strings.Repeat("word ", 200),
	}
	// And many random texts drawn from letters, the characters that make
	// breaks, and a few outside ASCII.
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "m", "W", "i", "1", " ", " ", "  ", "-", "/", ".", "@", "_", "\n", "é", "–", "—", "’", "😀", "\xff"}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(120) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		for _, max := range []float64{0.1, 3, 7.5, 15, 24, 40, 61, 100, 1000} {
			checkWrap(t, []textRun{{text: s}}, 9, max)
		}
		// Split into styled runs at a rune boundary near the middle.
		if k := len(s) / 2; k > 0 {
			for k < len(s) && !utf8.RuneStart(s[k]) {
				k++
			}
			checkWrap(t, []textRun{{text: s[:k], style: bold}, {text: s[k:]}, {text: " end", style: italic}}, 10, 30)
		}
	}
}

func FuzzWrap(f *testing.F) {
	widthsOnce.Do(loadWidths)
	for _, s := range []string{"one two three", "sandy.hopkins@southampton.gov.uk", "front-line staff", "a\n\nb", "ŵ – 😀 \xff"} {
		f.Add(s, "", 20.0)
	}
	f.Fuzz(func(t *testing.T, a, b string, max float64) {
		if max != max || max < 0.01 || max > 2000 {
			return
		}
		checkWrap(t, []textRun{{text: a}, {text: b, style: bold}}, 10, max)
	})
}

func checkWrap(t *testing.T, runs []textRun, size, max float64) {
	t.Helper()
	got, want := wrap(runs, size, max, nil), wrapReference(runs, size, max, nil)
	if !slices.Equal(got, want) {
		t.Fatalf("wrap(%+v, %g) = %v, want %v", runs, max, got, want)
	}
}

// wrapReference is wrap as it was before its fast path for plain ASCII
// letters: one rune at a time. Tests hold wrap to it.
func wrapReference(runs []textRun, size, max float64, out []span) []span {
	maxU := int(max * 1000 / (size * ptMM))
	if maxU < 1 {
		maxU = 1
	}
	var (
		lineStart       pos
		lineW           int // width from lineStart to here
		haveBreak       bool
		brkEnd, brkNext pos // a break: this line ends at brkEnd, the next begins at brkNext
		wSinceNext      int // width from brkNext to here
		haveSoft        bool
		softEnd         pos // after a full stop, @ or _ in a word: a break only for a word too long for a line
		wSinceSoft      int
		prevSpace       bool
		prevLetter      bool
		emitted         bool
	)
	emit := func(from, to pos) {
		first := true
		for r := from.run; r <= to.run; r++ {
			s, e := 0, len(runs[r].text)
			if r == from.run {
				s = from.off
			}
			if r == to.run {
				e = to.off
			}
			if e > s {
				out = append(out, span{run: int32(r), start: int32(s), end: int32(e), newLine: first})
				first = false
			}
		}
		if first { // an empty line
			out = append(out, span{run: int32(from.run), start: int32(from.off), end: int32(from.off), newLine: true})
		}
		emitted = true
	}
	for ri := range runs {
		t := runs[ri].text
		w := widths[runs[ri].style]
		for i, r := range t {
			cur := pos{ri, i}
			if r == '\n' {
				emit(lineStart, trimSpaceEnd(runs, lineStart, cur))
				lineStart = pos{ri, i + 1}
				lineW, haveBreak, haveSoft, prevSpace, prevLetter = 0, false, false, false, false
				continue
			}
			cw := 0
			if r < 0x10000 {
				cw = int(w[r])
			}
			if r == ' ' {
				if !prevSpace {
					brkEnd = cur
				}
				brkNext = pos{ri, i + 1}
				wSinceNext = 0
				haveBreak = brkEnd != lineStart
				haveSoft = false
				lineW += cw
				prevSpace, prevLetter = true, false
				continue
			}
			if lineW+cw > maxU && lineW > 0 {
				if haveBreak {
					emit(lineStart, brkEnd)
					lineStart = brkNext
					lineW = wSinceNext
					haveBreak = false
				}
				if lineW+cw > maxU && lineW > 0 && haveSoft && softEnd != lineStart {
					emit(lineStart, softEnd)
					lineStart = softEnd
					lineW = wSinceSoft
					haveSoft = false
				}
				if lineW+cw > maxU && lineW > 0 {
					emit(lineStart, cur)
					lineStart = cur
					lineW = 0
					haveSoft = false
				}
			}
			lineW += cw
			wSinceNext += cw
			wSinceSoft += cw
			prevSpace = false
			hyphen := r == '-' || r == '/' || r == '–' || r == '—'
			if hyphen && prevLetter {
				brkEnd = pos{ri, i + utf8.RuneLen(r)}
				brkNext = brkEnd
				wSinceNext = 0
				haveBreak = true
			}
			if prevLetter && (r == '.' || r == '@' || r == '_') {
				softEnd = pos{ri, i + 1}
				wSinceSoft = 0
				haveSoft = true
			}
			prevLetter = !hyphen
		}
	}
	if len(runs) == 0 {
		return out
	}
	if !emitted || lineW > 0 {
		last := len(runs) - 1
		emit(lineStart, trimSpaceEnd(runs, lineStart, pos{last, len(runs[last].text)}))
	}
	return out
}

// appendDecimal's path for points to two places writes what the general
// one does.
func TestAppendDecimal(t *testing.T) {
	reference := func(v float64, scale int64) string {
		var b []byte
		k := int64(math.Round(v * float64(scale)))
		if k < 0 {
			b = append(b, '-')
			k = -k
		}
		b = strconv.AppendInt(b, k/scale, 10)
		if f := k % scale; f != 0 {
			b = append(b, '.')
			for d := scale / 10; f != 0; d /= 10 {
				b = append(b, byte('0'+f/d))
				f %= d
			}
		}
		return string(append(b, ' '))
	}
	values := []float64{0, -0.0, 0.001, -0.004, 0.005, -0.005, 0.05, 0.1, 0.29, 0.3, 1, 9.99, 10.01, 100.5, 595.28, 841.89, -12.345, 999999999.99}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		values = append(values, (rng.Float64()-0.3)*2000, float64(rng.IntN(200000))/100)
	}
	for _, v := range values {
		for _, scale := range []int64{100, 1000} {
			if got, want := string(appendDecimal(nil, v, scale)), reference(v, scale); got != want {
				t.Fatalf("appendDecimal(%v, %d) = %q, want %q", v, scale, got, want)
			}
		}
	}
}
