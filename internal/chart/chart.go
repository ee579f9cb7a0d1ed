// Package chart rasterises a document.Chart — a horizontal stacked bar chart —
// to PNG, for writers that embed pictures (DOCX). Text is drawn with the
// embedded Liberation Sans, so the picture is the same on every machine, and
// the PNG bytes are the same for the same chart and size.
package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"papers/internal/document"
	"papers/internal/fonts"
)

// Layout, in units of one thousandth of the picture's width. A 1,000 px
// picture shown 17 cm wide has body text of about 9.5 pt.
const (
	unitMargin     = 20
	unitBody       = 19 // body text size (px at 1,000 px wide)
	unitTitle      = 23
	unitSwatch     = 15
	unitBand       = 48 // vertical space per category
	unitBar        = 32 // bar thickness
	unitLegendGap  = 30
	unitLabelGap   = 12
	maxLabelShare  = 0.34 // category labels take at most this share of the width
	maxLabelLines  = 2
	minPlotShare   = 0.4
	valuePadFactor = 0.6
)

var (
	colText   = color.RGBA{0x0B, 0x0C, 0x0C, 0xFF}
	colMuted  = color.RGBA{0x50, 0x5A, 0x5F, 0xFF}
	colGrid   = color.RGBA{0xDD, 0xDF, 0xE0, 0xFF}
	colAxis   = color.RGBA{0x6F, 0x77, 0x7B, 0xFF}
	colWhite  = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	colBorder = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

var (
	parseOnce          sync.Once
	regular, bold      *opentype.Font
	errParse           error
	errNoSize          = errors.New("chart: width and height must be positive")
	errTooLarge        = errors.New("chart: picture larger than 8000 x 8000 px")
	errMismatchedSizes = errors.New("chart: a series has a different number of values from the categories")
)

func loadFonts() error {
	parseOnce.Do(func() {
		regular, errParse = opentype.Parse(fonts.Regular)
		if errParse == nil {
			bold, errParse = opentype.Parse(fonts.Bold)
		}
	})
	return errParse
}

// Height is the height in pixels that suits the chart at the given width:
// enough for its title, legend, one band per category and the axis.
func Height(c document.Chart, widthPx int) int {
	if err := loadFonts(); err != nil || widthPx <= 0 {
		return widthPx / 2
	}
	l, err := newLayout(c, widthPx, 0)
	if err != nil {
		return widthPx / 2
	}
	defer l.close()
	return l.naturalHeight()
}

// PNG draws the chart as a widthPx × heightPx PNG: one horizontal bar per
// category, one segment per series in its colour, category labels at the
// left, segment values where they fit, each bar's total at its end, a
// legend and the title (omitted when empty). The background is white.
func PNG(w io.Writer, c document.Chart, widthPx, heightPx int) error {
	if widthPx <= 0 || heightPx <= 0 {
		return errNoSize
	}
	if widthPx > 8000 || heightPx > 8000 {
		return errTooLarge
	}
	for _, s := range c.Series {
		if len(s.Values) != len(c.Categories) {
			return fmt.Errorf("%w: %q has %d, want %d", errMismatchedSizes, s.Name, len(s.Values), len(c.Categories))
		}
	}
	if err := loadFonts(); err != nil {
		return fmt.Errorf("chart: font: %w", err)
	}
	l, err := newLayout(c, widthPx, heightPx)
	if err != nil {
		return err
	}
	defer l.close()
	img := image.NewRGBA(image.Rect(0, 0, widthPx, heightPx))
	draw.Draw(img, img.Bounds(), image.NewUniform(colWhite), image.Point{}, draw.Src)
	l.draw(img)
	// A chart is flat colour: the fastest compression costs little in size.
	return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
}

// layout holds the faces and measured positions of one drawing.
type layout struct {
	c          document.Chart
	w, h       int
	scale      float64
	body, bold font.Face
	title      font.Face
	margin     int

	titleLines []string
	legend     [][]document.Series // the model's legend entries, by line
	catLines   [][]string
	labelW     int // width of the category label column
	lineH      int // body line height
	titleLineH int
	max        float64
	step       float64
	totalW     int // width reserved right of the bars for totals
}

func newLayout(c document.Chart, w, h int) (*layout, error) {
	scale := float64(w) / 1000
	px := func(u float64) float64 { return u * scale }
	newFace := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	}
	l := &layout{c: c, w: w, h: h, scale: scale, margin: int(math.Round(px(unitMargin)))}
	var err error
	if l.body, err = newFace(regular, px(unitBody)); err != nil {
		return nil, err
	}
	if l.bold, err = newFace(bold, px(unitBody)); err != nil {
		return nil, err
	}
	if l.title, err = newFace(bold, px(unitTitle)); err != nil {
		return nil, err
	}
	l.lineH = int(math.Ceil(px(unitBody) * 1.25))
	l.titleLineH = int(math.Ceil(px(unitTitle) * 1.25))
	inner := w - 2*l.margin
	if strings.TrimSpace(c.Title) != "" {
		l.titleLines = wrap(l.title, c.Title, inner, 3)
	}

	// Legend: swatch, gap, name, wide gap; wrapped to the inner width.
	sw := int(px(unitSwatch))
	gap := int(px(unitLegendGap))
	x := 0
	var line []document.Series
	for _, s := range c.Legend() {
		iw := sw + int(px(8)) + measure(l.body, s.Name)
		if len(line) > 0 && x+iw > inner {
			l.legend = append(l.legend, line)
			line, x = nil, 0
		}
		line = append(line, s)
		x += iw + gap
	}
	if len(line) > 0 {
		l.legend = append(l.legend, line)
	}

	// Category labels wrapped to at most maxLabelLines in the label column.
	maxLabel := int(float64(inner) * maxLabelShare)
	widest := 0
	for _, cat := range c.Categories {
		if mw := measure(l.body, cat); mw > widest {
			widest = mw
		}
	}
	l.labelW = min(widest, maxLabel)
	for _, cat := range c.Categories {
		l.catLines = append(l.catLines, wrap(l.body, cat, l.labelW, maxLabelLines))
	}

	l.step, l.max = c.Axis()
	l.totalW = measure(l.bold, formatValue(l.max)) + int(px(unitLabelGap))
	return l, nil
}

func (l *layout) close() {
	for _, f := range []font.Face{l.body, l.bold, l.title} {
		if f != nil {
			f.Close()
		}
	}
}

func (l *layout) px(u float64) int { return int(math.Round(u * l.scale)) }

// headerHeight is the space above the plot: title and legend.
func (l *layout) headerHeight() int {
	hh := l.margin
	if len(l.titleLines) > 0 {
		hh += len(l.titleLines)*l.titleLineH + l.px(10)
	}
	if len(l.legend) > 0 {
		hh += len(l.legend)*l.lineH + l.px(14)
	}
	return hh
}

// bandHeight is the natural space per category: room for a bar, or for the
// longest wrapped label with a gap.
func (l *layout) bandHeight() int {
	lines := 1
	for _, c := range l.catLines {
		lines = max(lines, len(c))
	}
	return max(l.px(unitBand), lines*l.lineH+l.px(18))
}

// axisHeight is the space below the plot for tick labels.
func (l *layout) axisHeight() int { return l.px(8) + l.lineH + l.margin }

func (l *layout) naturalHeight() int {
	n := max(len(l.c.Categories), 1)
	return l.headerHeight() + n*l.bandHeight() + l.axisHeight()
}

func (l *layout) draw(img *image.RGBA) {
	c := l.c
	y := l.margin
	// Title.
	for _, s := range l.titleLines {
		y += l.titleLineH
		drawText(img, l.title, colText, l.margin, y-l.titleLineH/5, s)
	}
	if len(l.titleLines) > 0 {
		y += l.px(10)
	}
	// Legend.
	sw := l.px(unitSwatch)
	for _, line := range l.legend {
		x := l.margin
		base := y + l.lineH - l.lineH/5
		for _, s := range line {
			top := base - sw + l.px(1)
			fill(img, image.Rect(x, top, x+sw, top+sw), parseHex(s.Color))
			x += sw + l.px(8)
			drawText(img, l.body, colText, x, base, s.Name)
			x += measure(l.body, s.Name) + l.px(unitLegendGap)
		}
		y += l.lineH
	}
	if len(l.legend) > 0 {
		y += l.px(14)
	}

	// Plot area.
	plotTop := y
	plotBottom := l.h - l.axisHeight()
	plotLeft := l.margin + l.labelW + l.px(unitLabelGap)
	plotRight := l.w - l.margin - l.totalW
	if plotRight-plotLeft < int(float64(l.w)*minPlotShare) {
		plotRight = plotLeft + int(float64(l.w)*minPlotShare)
	}
	n := len(c.Categories)
	if n == 0 || plotBottom <= plotTop || plotRight <= plotLeft {
		return
	}
	band := float64(plotBottom-plotTop) / float64(n)
	barH := int(math.Min(float64(l.px(unitBar)), band*0.72))
	scaleX := float64(plotRight-plotLeft) / l.max
	xAt := func(v float64) int { return plotLeft + int(math.Round(v*scaleX)) }

	// Grid lines and tick labels.
	for v := 0.0; v <= l.max+l.step/2; v += l.step {
		x := xAt(v)
		if v > 0 {
			fill(img, image.Rect(x, plotTop, x+max(1, l.px(1)), plotBottom), colGrid)
		}
		s := formatValue(v)
		tw := measure(l.body, s)
		drawText(img, l.body, colMuted, x-tw/2, plotBottom+l.px(8)+l.lineH-l.lineH/4, s)
	}

	// Bars, each with its total at the end.
	totals := c.Totals()
	for i, cat := range l.catLines {
		mid := plotTop + int(math.Round(band*(float64(i)+0.5)))
		// Category label, right-aligned to the plot, vertically centred.
		lines := cat
		ty := mid - len(lines)*l.lineH/2
		for _, s := range lines {
			ty += l.lineH
			tw := measure(l.body, s)
			drawText(img, l.body, colText, plotLeft-l.px(unitLabelGap)-tw, ty-l.lineH/4, s)
		}
		top, bottom := mid-barH/2, mid-barH/2+barH
		acc := 0.0
		for _, s := range c.Series {
			v := s.Values[i]
			if !(v > 0) || math.IsInf(v, 0) {
				continue
			}
			v = min(v, 1e12) // as the model's totals
			x0, x1 := xAt(acc), xAt(acc+v)
			acc += v
			col := parseHex(s.Color)
			fill(img, image.Rect(x0, top, x1, bottom), col)
			// A thin white divider between segments.
			if x0 > plotLeft {
				fill(img, image.Rect(x0, top, x0+max(1, l.px(1.5)), bottom), colBorder)
			}
			label := formatValue(v)
			lw := measure(l.bold, label)
			if float64(lw)+float64(l.px(unitBody))*valuePadFactor <= float64(x1-x0) && barH >= l.lineH*3/4 {
				drawText(img, l.bold, contrastText(col), (x0+x1-lw)/2, mid+l.px(unitBody)*7/20, label)
			}
		}
		if t := totals[i]; t > 0 {
			drawText(img, l.bold, colText, xAt(t)+l.px(8), mid+l.px(unitBody)*7/20, formatValue(t))
		}
	}
	// Axis line at zero.
	fill(img, image.Rect(plotLeft-max(1, l.px(1)), plotTop, plotLeft+max(1, l.px(1)), plotBottom), colAxis)
}

func formatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func measure(f font.Face, s string) int {
	return font.MeasureString(f, s).Ceil()
}

func drawText(img *image.RGBA, f font.Face, col color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func fill(img *image.RGBA, r image.Rectangle, col color.Color) {
	draw.Draw(img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// wrap breaks s into lines no wider than width, at most maxLines; the last
// line ends with "…" when text is cut.
func wrap(f font.Face, s string, width, maxLines int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		cand := w
		if cur != "" {
			cand = cur + " " + w
		}
		if cur == "" || measure(f, cand) <= width {
			cur = cand
			continue
		}
		lines = append(lines, cur)
		cur = w
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	cut := len(lines) > maxLines
	if cut {
		lines = lines[:maxLines]
	}
	for i, ln := range lines {
		lines[i] = ellipsis(f, ln, width, cut && i == len(lines)-1)
	}
	return lines
}

// ellipsis shortens s with a trailing "…" to fit width; force adds the "…"
// even when s fits.
func ellipsis(f font.Face, s string, width int, force bool) string {
	if !force && measure(f, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		cand := strings.TrimRight(string(r), " ,;:") + "…"
		if measure(f, cand) <= width {
			return cand
		}
		r = r[:len(r)-1]
	}
	return "…"
}

// parseHex reads RRGGBB (an optional leading # is allowed); anything else
// is mid grey.
func parseHex(s string) color.RGBA {
	s = strings.TrimPrefix(s, "#")
	v, err := strconv.ParseUint(s, 16, 32)
	if len(s) != 6 || err != nil {
		return color.RGBA{0x80, 0x80, 0x80, 0xFF}
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xFF}
}

// contrastText is white on dark colours and near-black on light ones.
func contrastText(c color.RGBA) color.RGBA {
	lin := func(v uint8) float64 {
		f := float64(v) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	lum := 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
	// Contrast against white vs against near-black.
	if (1.05)/(lum+0.05) >= (lum+0.05)/0.05 {
		return colWhite
	}
	return colText
}
