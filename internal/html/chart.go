package html

import (
	"math"
	"strconv"
	"strings"

	"papers/internal/document"
)

// Chart layout, in SVG user units (the picture scales to the page's width).
const (
	chartWidth    = 720
	chartPad      = 8
	chartFont     = 13 // body text size
	chartBand     = 40 // vertical space per category
	chartBar      = 24 // bar thickness
	chartLegendH  = 22 // one line of the legend
	chartSwatch   = 12
	chartMaxLabel = 0.34 // category labels take at most this share of the width
)

// chart writes a horizontal stacked bar chart as an inline SVG image named
// by its title and described by its caption, then its numbers as a table.
func (p *page) chart(c document.Chart) {
	p.charts++
	id := "chart-" + strconv.Itoa(p.charts)
	title := strings.TrimSpace(c.Title)
	desc := strings.TrimSpace(c.Caption)
	if desc == "" {
		desc = describe(c)
	}
	if title == "" {
		title = "Chart"
	}

	p.raw("<figure class=\"chart\">\n")
	if c.Title != "" {
		p.printf("<figcaption>%s</figcaption>\n", text(c.Title))
	}
	p.svg(c, id, title, desc)
	if words := strings.TrimSpace(c.Caption); words != "" {
		// The chart in words, printed as the PDF and DOCX print it.
		// It describes the picture (aria-describedby), in place of a desc.
		p.printf("<p class=\"small chart-words\" id=\"%s-desc\">%s</p>\n", id, text(words))
	}
	p.chartTable(c, title)
	p.raw("</figure>\n")
}

func (p *page) svg(c document.Chart, id, title, desc string) {
	// The model's legend, flowing in lines across the top.
	series := c.Legend()
	type item struct {
		x, y float64
		s    document.Series
	}
	var legend []item
	x, y := float64(chartPad), float64(chartPad)
	for _, s := range series {
		w := chartSwatch + 6 + textWidth(s.Name) + 20
		if x > chartPad && x+w > chartWidth-chartPad {
			x, y = chartPad, y+chartLegendH
		}
		legend = append(legend, item{x, y, s})
		x += w
	}
	plotTop := float64(chartPad) + 8
	if len(legend) > 0 {
		plotTop = y + chartLegendH + 8
	}

	labelW := 60.0
	for _, cat := range c.Categories {
		labelW = max(labelW, min(textWidth(cat), chartMaxLabel*chartWidth))
	}
	x0 := chartPad + labelW + 10
	x1 := float64(chartWidth - chartPad - 30) // room for the total beside the longest bar
	plotW := x1 - x0

	totals := c.Totals()
	step, axisMax := c.Axis()
	plotBottom := plotTop + float64(len(c.Categories))*chartBand
	height := plotBottom + 24 + chartPad

	p.printf("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"%s-title\" aria-describedby=\"%s-desc\" viewBox=\"0 0 %d %s\" width=\"%d\" height=\"%s\" font-family=\"Arial, Liberation Sans, Helvetica, sans-serif\" font-size=\"%d\">\n",
		id, id, chartWidth, num(height), chartWidth, num(height), chartFont)
	p.printf("<title id=\"%s-title\">%s</title>\n", id, esc(title))
	if strings.TrimSpace(c.Caption) == "" {
		p.printf("<desc id=\"%s-desc\">%s</desc>\n", id, esc(desc))
	}
	for _, it := range legend {
		fill, _ := hexColour(it.s.Color)
		if fill == "" {
			fill = "#505A5F"
		}
		p.printf("<rect x=\"%s\" y=\"%s\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", num(it.x), num(it.y), chartSwatch, chartSwatch, fill)
		p.printf("<text x=\"%s\" y=\"%s\" fill=\"#0B0C0C\">%s</text>\n", num(it.x+chartSwatch+6), num(it.y+chartSwatch-1), esc(it.s.Name))
	}
	// Grid and axis.
	for v := 0.0; v <= axisMax+step/2; v += step {
		gx := x0 + v/axisMax*plotW
		p.printf("<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>", num(gx), num(plotTop), num(gx), num(plotBottom), map[bool]string{true: "#6F777B", false: "#DDDFE0"}[v == 0])
		p.printf("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"#505A5F\">%s</text>\n", num(gx), num(plotBottom+18), num(v))
	}
	// Bars, one band per category.
	for i, cat := range c.Categories {
		mid := plotTop + float64(i)*chartBand + chartBand/2
		lines := wrapLabel(cat, labelW, 2)
		for j, line := range lines {
			ly := mid + 4.5 + (float64(j)-float64(len(lines)-1)/2)*15
			p.printf("<text x=\"%s\" y=\"%s\" text-anchor=\"end\" fill=\"#0B0C0C\">%s</text>\n", num(chartPad+labelW), num(ly), esc(line))
		}
		bx := x0
		for _, s := range c.Series {
			if i >= len(s.Values) || !(s.Values[i] > 0) || math.IsInf(s.Values[i], 0) {
				continue
			}
			v := min(s.Values[i], 1e12) // as the model's totals
			w := v / axisMax * plotW
			fill, _ := hexColour(s.Color)
			if fill == "" {
				fill = "#505A5F"
			}
			p.printf("<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%d\" fill=\"%s\" stroke=\"#FFFFFF\" stroke-width=\"1\"/>", num(bx), num(mid-chartBar/2), num(w), chartBar, fill)
			if label := num(v); w >= textWidth(label)+8 {
				p.printf("<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" fill=\"%s\" font-weight=\"bold\">%s</text>", num(bx+w/2), num(mid+4.5), inkOn(fill), label)
			}
			p.raw("\n")
			bx += w
		}
		if totals[i] > 0 {
			p.printf("<text x=\"%s\" y=\"%s\" fill=\"#0B0C0C\" font-weight=\"bold\">%s</text>\n", num(bx+5), num(mid+4.5), num(totals[i]))
		}
	}
	p.raw("</svg>\n")
}

// chartTable writes the chart's numbers as a table, closed by default.
func (p *page) chartTable(c document.Chart, title string) {
	if len(c.Categories) == 0 || len(c.Series) == 0 {
		return
	}
	p.raw("<details class=\"chart-data\">\n<summary>The chart's numbers as a table</summary>\n<table class=\"data\">\n")
	p.printf("<caption>%s</caption>\n<thead>\n<tr><th scope=\"col\">Category</th>", text(title))
	for _, s := range c.Series {
		p.printf("<th scope=\"col\" class=\"r\">%s</th>", text(s.Name))
	}
	p.raw("<th scope=\"col\" class=\"r\">Total</th></tr>\n</thead>\n<tbody>\n")
	for i, cat := range c.Categories {
		p.printf("<tr><th scope=\"row\">%s</th>", text(cat))
		var total float64
		for _, s := range c.Series {
			v := 0.0
			if i < len(s.Values) {
				v = s.Values[i]
			}
			total += v
			p.printf("<td class=\"r\">%s</td>", num(v))
		}
		p.printf("<td class=\"r\">%s</td></tr>\n", num(total))
	}
	p.raw("</tbody>\n</table>\n</details>\n")
}

// describe puts a chart's numbers in words, for a chart with no caption.
func describe(c document.Chart) string {
	var parts []string
	for i, cat := range c.Categories {
		var segs []string
		for _, s := range c.Series {
			if i < len(s.Values) && s.Values[i] != 0 {
				segs = append(segs, s.Name+" "+num(s.Values[i]))
			}
		}
		if len(segs) == 0 {
			segs = []string{"none"}
		}
		parts = append(parts, cat+": "+strings.Join(segs, ", "))
	}
	if len(parts) == 0 {
		return "An empty chart."
	}
	return strings.Join(parts, "; ") + "."
}

// wrapLabel breaks s into at most n lines no wider than width user units,
// the last ending in an ellipsis when s does not fit.
func wrapLabel(s string, width float64, n int) []string {
	words := strings.Fields(s)
	var lines []string
	line := ""
	for i, w := range words {
		switch {
		case line == "":
			line = w
		case textWidth(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
		if len(lines) == n {
			rest := strings.Join(append([]string{lines[n-1]}, words[i:]...), " ")
			lines[n-1] = ellipsis(rest, width)
			return lines
		}
	}
	if line != "" {
		lines = append(lines, ellipsis(line, width))
	}
	return lines
}

// ellipsis shortens s, ending it with "…", to fit width user units.
func ellipsis(s string, width float64) string {
	if textWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 {
		r = r[:len(r)-1]
		if t := strings.TrimSpace(string(r)) + "…"; textWidth(t) <= width {
			return t
		}
	}
	return "…"
}

// textWidth is s's width in user units at the chart's font size, measured
// in Liberation Sans (metric-compatible with Arial, the SVG's first font).
func textWidth(s string) float64 { return textPt(s, false, chartFont) }

// num formats a coordinate or count with at most one decimal place.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// inkOn returns near-black or white, whichever contrasts more with the
// fill "#RRGGBB".
func inkOn(fill string) string {
	l := luminance(fill)
	if (1.05)/(l+0.05) > (l+0.05)/0.05 {
		return "#FFFFFF"
	}
	return "#0B0C0C"
}

// luminance is the WCAG relative luminance of "#RRGGBB".
func luminance(fill string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(fill[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
