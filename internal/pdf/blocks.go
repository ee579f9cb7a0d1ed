package pdf

import (
	"math"
	"regexp"
	"strings"

	"papers/internal/document"
)

// headingBlock is a measured heading.
type headingBlock struct {
	text          string
	level         int
	size          float64
	lh            float64
	runs          []textRun
	spans         []span
	before, after float64
	keep          float64 // height of what follows that must share its page
}

func (r *renderer) prepareHeading(h document.Heading) *headingBlock {
	b := &headingBlock{text: clean(h.Text), level: h.Level}
	switch {
	case h.Level <= 1:
		b.level, b.size, b.before, b.after = 1, 14, 7, 3
	case h.Level == 2:
		b.size, b.before, b.after = 12, 5, 2.5
	default:
		b.size, b.before, b.after = 11, 4, 2
	}
	b.lh = b.size * 1.2 * ptMM
	b.runs = []textRun{{text: b.text, style: bold}}
	b.spans = wrap(b.runs, b.size, r.right-r.left, nil)
	return b
}

func (b *headingBlock) height(atTop bool) float64 {
	h := float64(countLines(b.spans))*b.lh + b.after
	if !atTop {
		h += b.before
	}
	return h
}

func (b *headingBlock) lead() float64 { return b.height(false) }

func (b *headingBlock) draw(r *renderer) {
	r.ensure(b.height(r.atTop()) + b.keep)
	if !r.atTop() {
		r.y += b.before
	}
	e := int32(artLayout) // a heading of no text draws nothing, and is in no outline
	if strings.TrimSpace(b.text) != "" {
		e = r.f.newElem(sH, -1)
		r.f.elems[e].level = uint8(min(b.level, 6))
		r.bookmark(b.text, b.level)
	}
	flow(r, b.runs, b.spans, r.left, b.size, b.lh, e)
	r.y += b.after
}

// appendLinked appends run to runs, its references to appendices ("at
// Appendix 2.") as runs of their own that link to the appendix's heading.
// The cover names the appendices in words; the link is found when the file
// is finished, and a reference to no appendix heading stays plain text.
func appendLinked(runs []textRun, run textRun) []textRun {
	for {
		if !strings.Contains(run.text, "Appendix ") {
			return append(runs, run)
		}
		loc := appendixRef.FindStringIndex(run.text)
		if loc == nil {
			return append(runs, run)
		}
		if loc[0] > 0 {
			runs = append(runs, textRun{text: run.text[:loc[0]], style: run.style, cont: run.cont})
			run.cont = true
		}
		ref := run.text[loc[0]:loc[1]]
		runs = append(runs, textRun{text: ref, style: run.style, link: ref, cont: run.cont})
		run.cont = true
		run.text = run.text[loc[1]:]
		if run.text == "" {
			return runs
		}
	}
}

var appendixRef = regexp.MustCompile(`\bAppendix [0-9]{1,3}\b`)

// drawLines draws wrapped lines from y down, n lines at most (all if n < 0),
// and returns the spans not drawn. y advances by the lines drawn. Text of
// a run with a link is drawn as the content of a Link element in the
// element being drawn, with its annotation over it.
func drawLines(r *renderer, runs []textRun, spans []span, x, size, lh float64, n int) []span {
	body := r.f.want
	i := 0
	for line := 0; i < len(spans) && (n < 0 || line < n); line++ {
		base := baseline(r.y, lh, size)
		cx := x
		start := i
		// Where the text of the model's run being drawn begins, in points
		// as written, and its width since, in 1/1000 em.
		var runPt float64
		var runU int
		for j := start; j < len(spans); j++ {
			s := spans[j]
			if j > start && s.newLine {
				break
			}
			run := runs[s.run]
			t := run.text[s.start:s.end]
			if run.link != "" && body >= 0 {
				r.f.tag(r.linkElem(runs, int(s.run), body))
				r.f.link(cx, r.y, textWidth(t, run.style, size), lh, r.f.want, run.link)
			}
			drawn := t
			if j+1 == len(spans) || spans[j+1].newLine {
				drawn = lineEnd(runs, spans, j)
			}
			if j > start && run.cont && spans[j-1].run == s.run-1 {
				r.textPt(runPt+float64(runU)*size/1000, base, drawn, run.style, size)
			} else {
				r.text(cx, base, drawn, run.style, size)
				runPt, runU = math.Round(cx*ptPerMM*100)/100, 0
			}
			runU += units(t, run.style)
			cx += textWidth(t, run.style, size)
			r.f.tag(body)
			i = j + 1
		}
		r.y += lh
	}
	return spans[i:]
}

// paragraphBlock is a measured paragraph.
type paragraphBlock struct {
	label      string
	indent     int
	labelX, x  float64
	size, lh   float64
	runs       []textRun
	spans      []span
	lines      int
	spaceAfter float64
}

func (r *renderer) prepareParagraph(p document.Paragraph) *paragraphBlock {
	b := &paragraphBlock{size: bodySize, label: clean(p.Label)}
	if p.Small {
		b.size = smallSize
	}
	b.lh = lineHeight(b.size)
	b.spaceAfter = paraAfter
	if p.Small {
		b.spaceAfter = paraAfter * 0.8
	}
	indent := min(max(p.Indent, 0), 8)
	b.indent = indent
	b.labelX = r.left + float64(indent)*indentStep
	b.x = b.labelX
	if b.label != "" {
		g := gutter
		if lw := textWidth(b.label, regular, b.size) + 2.5; lw > g {
			g = lw
		}
		b.x += g
	}
	for _, run := range p.Runs {
		if run.Text == "" {
			continue
		}
		b.runs = appendLinked(b.runs, textRun{text: clean(run.Text), style: styleOf(run.Bold, run.Italic)})
	}
	if len(b.runs) == 0 {
		b.runs = []textRun{{}}
	}
	width := r.right - b.x
	if width < 20 {
		width = 20
	}
	b.spans = wrap(b.runs, b.size, width, nil)
	b.lines = countLines(b.spans)
	return b
}

func (b *paragraphBlock) lead() float64 { return float64(min(b.lines, 2)) * b.lh }

// draw draws a paragraph of the document: a P, or an item of a list when
// it has a label.
func (b *paragraphBlock) draw(r *renderer) {
	if b.label == "" {
		b.drawAs(r, artLayout, r.f.newElem(sP, -1))
		return
	}
	lbl, body := r.listItem(b.indent, b.label)
	b.drawAs(r, lbl, body)
}

// listLevel is an open list: its element, its indent, and the body of its
// last item, where a list nested in it goes.
type listLevel struct {
	indent     int
	list, body int32
}

// listItem starts an item of the list at indent, opening the list (in the
// item before, when it is deeper) or closing deeper ones as need be, and
// returns the item's label and body elements. A list's numbering is said
// from its first label.
func (r *renderer) listItem(indent int, label string) (lbl, body int32) {
	for len(r.lists) > 0 && r.lists[len(r.lists)-1].indent > indent {
		r.lists = r.lists[:len(r.lists)-1]
	}
	if n := len(r.lists); n == 0 || r.lists[n-1].indent < indent {
		parent := int32(-1)
		if n > 0 {
			parent = r.lists[n-1].body
		}
		l := r.f.newElem(sL, parent)
		r.f.elems[l].numbering = numberingOf(label)
		r.lists = append(r.lists, listLevel{indent: indent, list: l})
	}
	top := &r.lists[len(r.lists)-1]
	li := r.f.newElem(sLI, top.list)
	lbl = r.f.newElem(sLbl, li)
	body = r.f.newElem(sLBody, li)
	top.body = body
	return lbl, body
}

// numberingOf is the ListNumbering a list whose first label is label has.
func numberingOf(label string) uint8 {
	l := strings.Trim(label, "().")
	switch {
	case label == "•" || label == "-":
		return numDisc
	case l != "" && strings.Trim(l, "0123456789") == "":
		return numDecimal
	case l != "" && strings.Trim(l, "ivxlc") == "":
		return numLowerRoman
	case l != "" && strings.Trim(l, "IVXLC") == "":
		return numUpperRoman
	case len(l) == 1 && l[0] >= 'a' && l[0] <= 'z':
		return numLowerAlpha
	}
	return numNone
}

// drawAs draws the paragraph, its label as content of element lbl and its
// text of element body.
func (b *paragraphBlock) drawAs(r *renderer, lbl, body int32) {
	r.setTextColor(black)
	spans := b.spans
	left := b.lines
	first := true
	for left > 0 {
		k := int(math.Floor((r.room() + 0.01) / b.lh))
		if k < left {
			// Keep two lines together at the foot of a page and at the top
			// of the next.
			if k < 2 && !r.atTop() {
				r.nextPage()
				continue
			}
			if left-k == 1 && k >= 3 {
				k--
			}
			k = max(k, 1)
		} else {
			k = left
		}
		if first && b.label != "" {
			r.f.tag(lbl)
			r.text(b.labelX, baseline(r.y, b.lh, b.size), b.label, regular, b.size)
		}
		first = false
		r.f.tag(body)
		spans = drawLines(r, b.runs, spans, b.x, b.size, b.lh, k)
		left -= k
		if left > 0 {
			r.nextPage()
		}
	}
	r.y += b.spaceAfter
}

// flow draws wrapped lines from y down, over as many pages as they need,
// as content of element e.
func flow(r *renderer, runs []textRun, spans []span, x, size, lh float64, e int32) {
	p := paragraphBlock{x: x, labelX: x, size: size, lh: lh, runs: runs, spans: spans, lines: countLines(spans)}
	p.drawAs(r, artLayout, e)
}
