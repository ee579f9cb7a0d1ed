package pdf

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"papers/internal/document"
)

// A horizontal stacked bar chart drawn with vectors: the title, the legend,
// category labels on the left, one bar per category with its total at the
// end, integer ticks below, and the caption (the chart in words)
// underneath. The legend's entries, the totals and the scale are the
// model's (document.Chart's Legend, Totals and Axis), as in every format.

const (
	chartTitleSize = 11.0
	chartLabelSize = 9.0
	chartTickSize  = 8.0
	chartValueSize = 8.0
	chartBarH      = 6.0
	chartLegendBox = 3.5
)

var palette = []int32{0x1D70B8, 0x00703C, 0xF47738, 0xD4351C, 0xB1B4B6, 0x5694CA, 0x912B88, 0x28A197}

var (
	gridColor = rgb{0xD8, 0xD8, 0xD8}
	axisColor = rgb{0x50, 0x50, 0x50}
)

type chartBlock struct {
	titleRuns []textRun
	title     []span
	labels    [][]string // up to two lines per category
	rowH      []float64
	series    []chartSeries
	values    [][]float64 // [category][series], 0 for missing or negative
	totals    []float64
	labelW    float64
	x0, x1    float64 // plot area
	step, top float64 // tick step and axis maximum
	legend    []legendItem
	legendH   float64
	capRuns   []textRun
	caption   []span
	left, w   float64
	alt       string // the Figure's alternative text
	// structure elements: the title's P and the Figure
	titleElem, fig int32
}

type chartSeries struct {
	name  string
	color rgb
}

type legendItem struct {
	x    float64 // from the chart's left
	line int
	name string
	c    rgb
}

func (r *renderer) prepareChart(ch *document.Chart) *chartBlock {
	b := &chartBlock{left: r.left, w: r.right - r.left}
	if t := clean(ch.Title); t != "" {
		t = capText(t, bold, chartTitleSize, b.w, 3)
		b.titleRuns = []textRun{{text: t, style: bold}}
		b.title = wrap(b.titleRuns, chartTitleSize, b.w, nil)
	}
	for i, s := range ch.Series {
		c := parseHex(s.Color)
		if c < 0 {
			c = palette[i%len(palette)]
		}
		b.series = append(b.series, chartSeries{name: clean(s.Name), color: hexRGB(c)})
	}
	// Values, totals and the scale.
	for i := range ch.Categories {
		row := make([]float64, len(ch.Series))
		for j, s := range ch.Series {
			if i < len(s.Values) {
				v := s.Values[i]
				if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
					row[j] = min(v, 1e12) // as the model's totals
				}
			}
		}
		b.values = append(b.values, row)
	}
	b.totals = ch.Totals()
	b.step, b.top = ch.Axis()

	// Labels: up to a third of the width, two lines, cut with "…".
	natural := 0.0
	for _, c := range ch.Categories {
		natural = max(natural, textWidth(clean(c), regular, chartLabelSize))
	}
	b.labelW = min(max(natural+2, 25), 0.35*b.w)
	lh := lineHeight(chartLabelSize)
	for _, c := range ch.Categories {
		c = clean(c)
		runs := []textRun{{text: c}}
		sp := wrap(runs, chartLabelSize, b.labelW-2, nil)
		var lines []string
		ls := lineSlices(sp)
		for k, l := range ls {
			if k == 1 && len(ls) > 2 {
				rest := strings.ReplaceAll(c[l[0].start:], "\n", " ")
				lines = append(lines, ellipsize(rest, regular, chartLabelSize, b.labelW-2))
				break
			}
			lines = append(lines, c[l[0].start:l[len(l)-1].end])
		}
		b.labels = append(b.labels, lines)
		b.rowH = append(b.rowH, max(chartBarH+3, float64(len(lines))*lh+2))
	}
	b.x0 = b.left + b.labelW + 2
	// Room at the right for the longest bar's total.
	b.x1 = b.left + b.w - 2 - textWidth(strconv.FormatFloat(b.top, 'f', -1, 64), bold, chartValueSize)

	// Legend: above the bars, from the left, wrapped.
	x, line := 0.0, 0
	for i, s := range ch.Legend() {
		name := clean(s.Name)
		c := parseHex(s.Color)
		if c < 0 {
			c = palette[slices.IndexFunc(ch.Series, func(t document.Series) bool { return t.Name == s.Name })%len(palette)]
		}
		iw := chartLegendBox + 1.5 + textWidth(name, regular, chartLabelSize) + 5
		if x+iw-5 > b.w && i > 0 {
			x, line = 0, line+1
		}
		b.legend = append(b.legend, legendItem{x: x, line: line, name: name, c: hexRGB(c)})
		x += iw
	}
	if len(b.legend) > 0 {
		b.legendH = float64(line+1)*5 + 1
	}
	if c := clean(ch.Caption); c != "" {
		b.capRuns = []textRun{{text: c}}
		b.caption = wrap(b.capRuns, smallSize, b.w, nil)
	}
	// The chart in words, as the caption gives it; a chart without one is
	// at least named.
	b.alt = strings.Join(strings.Fields(clean(ch.Caption)), " ")
	if b.alt == "" {
		b.alt = strings.Join(strings.Fields(clean(ch.Title)), " ")
	}
	if b.alt == "" {
		b.alt = "Chart"
	}
	return b
}

func (b *chartBlock) titleH() float64 {
	if b.title == nil {
		return 0
	}
	return float64(countLines(b.title))*chartTitleSize*1.2*ptMM + 2
}

// height of the chart, without its caption, showing categories [from, to).
func (b *chartBlock) height(from, to int) float64 {
	h := b.titleH()
	if to > from {
		h += b.legendH
		for _, rh := range b.rowH[from:to] {
			h += rh
		}
		h += b.axisH()
	}
	return h
}

// axisH is the height of the axis and its tick labels.
func (b *chartBlock) axisH() float64 { return 1 + lineHeight(chartTickSize) + 2 }

// captionLead is the caption's first lines, kept with the chart.
func (b *chartBlock) captionLead() float64 {
	if b.caption == nil {
		return 0
	}
	return 1 + float64(min(countLines(b.caption), 2))*lineHeight(smallSize)
}

func (b *chartBlock) lead() float64 { return b.height(0, len(b.rowH)) + b.captionLead() }

// draw draws the chart: its title a P, then a Figure of the drawing whose
// alternative text is the caption, holding the caption printed under it
// (a reader that gives the Figure's text reads it once).
func (b *chartBlock) draw(r *renderer) {
	b.titleElem = artLayout
	if b.title != nil {
		b.titleElem = r.f.newElem(sP, -1)
	}
	b.fig = r.f.newElem(sFigure, -1)
	r.f.alts = append(r.f.alts, alt{b.fig, b.alt})
	n := len(b.rowH)
	if h := b.height(0, n) + b.captionLead(); h <= r.fullRoom() || n <= 1 {
		r.ensure(h)
		b.drawPart(r, 0, n, false)
	} else {
		// Taller than a page: as many bars as fit on each page.
		for from := 0; from < n; {
			h := b.titleH() + b.legendH + b.axisH() + b.rowH[from]
			if from > 0 { // the title may take a line more with "(continued)"
				h += chartTitleSize * 1.2 * ptMM
			}
			to := from + 1
			for to < n && h+b.rowH[to] <= r.room() {
				h += b.rowH[to]
				to++
			}
			if to-from < min(3, n-from) && !r.atTop() {
				r.nextPage()
				continue
			}
			b.drawPart(r, from, to, from > 0)
			from = to
			if from < n {
				r.nextPage()
			}
		}
	}
	if b.caption != nil {
		// The chart in words, for readers who cannot see it; it flows
		// over pages like a paragraph.
		r.y += 1
		p := &paragraphBlock{x: b.left, labelX: b.left, size: smallSize, lh: lineHeight(smallSize),
			runs: b.capRuns, spans: b.caption, lines: countLines(b.caption)}
		p.drawAs(r, artLayout, r.f.newElem(sCaption, b.fig))
	}
	r.y += blockAfter
}

func (b *chartBlock) drawPart(r *renderer, from, to int, cont bool) {
	r.setTextColor(black)
	if b.title != nil {
		r.f.tag(b.titleElem)
		if cont {
			r.f.tag(artPagination)
			runs := append(append([]textRun(nil), b.titleRuns...), textRun{text: " (continued)", style: italic})
			drawLines(r, runs, wrap(runs, chartTitleSize, b.w, nil), b.left, chartTitleSize, chartTitleSize*1.2*ptMM, -1)
		} else {
			drawLines(r, b.titleRuns, b.title, b.left, chartTitleSize, chartTitleSize*1.2*ptMM, -1)
		}
		r.y += 2
	}
	if to > from {
		r.f.tag(b.fig)
		top := r.y
		b.drawBars(r, from, to)
		if from == 0 && to == len(b.rowH) { // on one page: where it is, for reflow
			r.f.bbox(b.fig, b.left, top, b.w, r.y-top)
		}
	}
}

func (b *chartBlock) xOf(v float64) float64 { return b.x0 + v/b.top*(b.x1-b.x0) }

// drawBars draws bars [from, to) with their labels, axis and legend. Labels
// are drawn with a space after them, which draws nothing, so the Figure's
// text reads back as words.
func (b *chartBlock) drawBars(r *renderer, from, to int) {
	if len(b.legend) > 0 {
		r.setTextColor(black)
		for _, it := range b.legend {
			ly := r.y + float64(it.line)*5
			r.fillRect(b.left+it.x, ly+(5-chartLegendBox)/2, chartLegendBox, chartLegendBox, it.c)
			r.setFill(black)
			r.text(b.left+it.x+chartLegendBox+1.5, baseline(ly, 5, chartLabelSize), it.name+" ", regular, chartLabelSize)
		}
		r.y += b.legendH
	}
	top := r.y
	bottom := top
	for _, rh := range b.rowH[from:to] {
		bottom += rh
	}
	f := r.f
	// Grid lines at the ticks.
	f.setLineWidth(0.15)
	f.setDrawColor(gridColor)
	n := int(math.Round(b.top / b.step))
	for k := 1; k <= n; k++ {
		x := b.xOf(float64(k) * b.step)
		f.line(x, top, x, bottom)
	}
	// Bars.
	lhLabel := lineHeight(chartLabelSize)
	y := top
	for i := from; i < to; i++ {
		rh := b.rowH[i]
		by := y + (rh-chartBarH)/2
		x := b.x0
		for j, v := range b.values[i] {
			if v <= 0 {
				continue
			}
			w := v / b.top * (b.x1 - b.x0)
			c := b.series[j].color
			r.fillRect(x, by, w, chartBarH, c)
			x += w
		}
		// Value labels inside segments wide enough to hold them.
		x = b.x0
		for j, v := range b.values[i] {
			if v <= 0 {
				continue
			}
			w := v / b.top * (b.x1 - b.x0)
			s := strconv.FormatFloat(v, 'f', -1, 64)
			tw := textWidth(s, bold, chartValueSize)
			if tw+2 <= w {
				c := b.series[j].color
				tc := black
				if 0.299*float64(c.r)+0.587*float64(c.g)+0.114*float64(c.b) < 140 {
					tc = white
				}
				r.setTextColor(tc)
				r.text(x+(w-tw)/2, baseline(by, chartBarH, chartValueSize), s+" ", bold, chartValueSize)
			}
			x += w
		}
		if t := b.totals[i]; t > 0 {
			r.setTextColor(black)
			r.text(x+1, baseline(by, chartBarH, chartValueSize), strconv.FormatFloat(t, 'f', -1, 64)+" ", bold, chartValueSize)
		}
		// Category label, right-aligned against the axis, centred on the bar.
		r.setTextColor(black)
		lines := b.labels[i]
		ly := y + (rh-float64(len(lines))*lhLabel)/2
		for k, l := range lines {
			lw := textWidth(l, regular, chartLabelSize)
			r.text(b.x0-2-lw, baseline(ly+float64(k)*lhLabel, lhLabel, chartLabelSize), l+" ", regular, chartLabelSize)
		}
		y += rh
	}
	// Axes.
	f.setLineWidth(0.25)
	f.setDrawColor(axisColor)
	f.line(b.x0, top, b.x0, bottom)
	f.line(b.x0, bottom, b.x1, bottom)
	lhTick := lineHeight(chartTickSize)
	r.setTextColor(axisColor)
	for k := 0; k <= n; k++ {
		t := float64(k) * b.step
		x := b.xOf(t)
		f.line(x, bottom, x, bottom+1)
		s := strconv.FormatFloat(t, 'f', -1, 64)
		r.text(x-textWidth(s, regular, chartTickSize)/2, baseline(bottom+1, lhTick, chartTickSize), s+" ", regular, chartTickSize)
	}
	r.y = bottom + 1 + lhTick + 2
}
