package html

import (
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"papers/internal/document"
	"papers/internal/fonts"
)

// The printed page the key–value box is measured for: the model's portrait
// text width, and the print stylesheet's body size and cell padding.
const (
	printBodyPt  = 10.5
	printCellPad = 2 * 0.5 * printBodyPt // .5rem either side
)

var (
	metricsOnce        sync.Once
	metricsB, metricsR *sfnt.Font
)

// textPt is the width in points of s set at size points in Liberation Sans
// (metric-compatible with Arial, the stylesheet's first font).
func textPt(s string, bold bool, size float64) float64 {
	metricsOnce.Do(func() {
		metricsB, _ = sfnt.Parse(fonts.Bold)
		metricsR, _ = sfnt.Parse(fonts.Regular)
	})
	f := metricsR
	if bold {
		f = metricsB
	}
	if f == nil {
		return float64(len(s)) * size / 2
	}
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size * 64)
	var w fixed.Int26_6
	for _, r := range s {
		if gi, err := f.GlyphIndex(&buf, r); err == nil {
			if adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone); err == nil {
				w += adv
			}
		}
	}
	return float64(w) / 64
}

// kvWidths is the box's key and value column widths in per cent of the
// table, by the model's rule (document.KeyValue.Columns), measured as the
// page prints: the value keeps at least 25 mm, as in the PDF and DOCX.
func kvWidths(kv document.KeyValue) [2]string {
	w, _, m := document.Portrait.Page()
	textW := (w - 2*m) / 25.4 * 72 // points
	cols := kv.Columns(textW, 25/25.4*72, func(s string, bold bool) float64 {
		widest := 0.0
		for line := range strings.SplitSeq(s, "\n") {
			widest = max(widest, textPt(line, bold, printBodyPt))
		}
		return widest + printCellPad
	})
	pc := func(v float64) string { return strconv.FormatFloat(100*v/textW, 'f', 1, 64) + "%" }
	return [2]string{pc(cols[0].Width), pc(cols[1].Width)}
}
