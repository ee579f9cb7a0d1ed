package docx

import (
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"papers/internal/document"
	"papers/internal/fonts"
)

var (
	fontOnce              sync.Once
	boldFont, regularFont *sfnt.Font
)

// boldWordWidth is the width in twips of s set in bold at size half-points,
// measured with Liberation Sans Bold (metric-compatible with Arial Bold);
// 0 if the font cannot be read.
func boldWordWidth(s string, size int) int { return wordWidth(s, true, size) }

// wordWidth is the width in twips of s set at size half-points in
// Liberation Sans, bold or regular (metric-compatible with Arial); 0 if the
// font cannot be read.
func wordWidth(s string, bold bool, size int) int {
	fontOnce.Do(func() {
		boldFont, _ = sfnt.Parse(fonts.Bold)
		regularFont, _ = sfnt.Parse(fonts.Regular)
	})
	f := regularFont
	if bold {
		f = boldFont
	}
	if f == nil {
		return 0
	}
	var buf sfnt.Buffer
	// ppem in twips: size half-points = size*10 twips.
	ppem := fixed.I(size * 10)
	var w fixed.Int26_6
	for _, r := range s {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
		if err == nil {
			w += adv
		}
	}
	return w.Ceil()
}

// fitHeaders widens columns whose header has a word too long for the
// column, so Word need not break it mid-word, taking the width from columns
// with room to spare in proportion to their spare width. pad is the cell's
// left plus right margin.
func fitHeaders(widths []int, cols []document.Column, pad int) {
	need := make([]int, len(widths))
	short, spare := 0, 0
	for i, c := range cols {
		for _, word := range strings.Fields(c.Title) {
			need[i] = max(need[i], boldWordWidth(word, tableTextSz)+pad+30)
		}
		if need[i] > widths[i] {
			short += need[i] - widths[i]
		} else {
			spare += widths[i] - max(need[i], 0)
		}
	}
	if short == 0 || spare < short {
		return
	}
	taken := 0
	last := -1
	for i := range widths {
		if need[i] > widths[i] {
			continue
		}
		give := (widths[i] - need[i]) * short / spare
		widths[i] -= give
		taken += give
		last = i
	}
	for i := range widths {
		if need[i] > widths[i] {
			taken -= need[i] - widths[i]
			widths[i] = need[i]
		}
	}
	// Rounding: the remainder goes to the last column that gave width.
	if last >= 0 {
		widths[last] += taken
	}
}
