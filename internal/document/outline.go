package document

import "strings"

// Outline gives each heading of a document the level it takes in the
// outline every writer shows (PDF bookmarks and tags, HTML h2–h6, DOCX
// heading styles): a heading sits one level below the nearest heading
// before it whose Level is smaller, so headings of the same Level after
// the same parent are siblings and no level is ever skipped. Writers feed
// it every heading in document order; the zero value is ready to use.
type Outline struct {
	open []outlineLevel // the headings the next one may nest under
}

type outlineLevel struct{ asked, level int }

// Level returns h's level in the outline, from 1, and takes it as the
// latest heading. A heading with no text is not in the outline: it gets 0
// and changes nothing.
func (o *Outline) Level(h Heading) int {
	if strings.TrimSpace(h.Text) == "" {
		return 0
	}
	asked := max(h.Level, 1)
	for len(o.open) > 0 && o.open[len(o.open)-1].asked >= asked {
		o.open = o.open[:len(o.open)-1]
	}
	level := 1
	if n := len(o.open); n > 0 {
		level = o.open[n-1].level + 1
	}
	o.open = append(o.open, outlineLevel{asked: asked, level: level})
	return level
}
