package portal

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// minContrast is WCAG 2's AA minimum for normal text (1.4.3).
const minContrast = 4.5

// TestContrast renders every page template (every branch of it) into the
// layout, and for each element with text, and each link and button in each
// state it can be in (visited, hovered, focused), works out from style.css
// the colour of its text and of the background it sits on. Each pair must
// contrast at least 4.5:1 (WCAG 2 AA), visited links included: a browser
// shows a visited link's colour but will not tell a page, or axe, what it is.
func TestContrast(t *testing.T) {
	t.Run("ratio", func(t *testing.T) {
		for _, tc := range []struct {
			fg, bg string
			want   float64
		}{
			{"#000", "#fff", 21},
			{"#fff", "#fff", 1},
			{"#1d70b8", "#0b0c0c", 3.78}, // the header's link before, as the issue measured it
			{"#4c2c92", "#0b0c0c", 1.9},  // and visited
		} {
			if got := contrast(mustColour(t, tc.fg), mustColour(t, tc.bg)); math.Abs(got-tc.want) > 0.05 {
				t.Errorf("%s on %s: %.3f, want %.2f", tc.fg, tc.bg, got, tc.want)
			}
		}
	})

	t.Run("cascade", func(t *testing.T) {
		sheet := parseCSS(t, `
			body { color: #111111; background: #ffffff; }
			a { color: #0000aa; } a:visited { color: #550055; }
			a:focus { color: #000000; background-color: #ffdd00; }
			.nav a, .nav a:visited { color: #ffffff; }
			.bar { background: #000000; }
			.details[open] > p { color: #222222 !important; }
			h2 + p { color: #333333; }
		`)
		body := &element{tag: "body"}
		bar := &element{tag: "div", classes: []string{"bar", "nav"}, parent: body}
		link := &element{tag: "a", href: true, parent: bar}
		details := &element{tag: "details", classes: []string{"details"}, parent: body, attrs: map[string]string{"open": ""}}
		h2 := &element{tag: "h2", parent: body}
		p1 := &element{tag: "p", parent: details}
		p2 := &element{tag: "p", parent: body, prev: h2}
		for _, tc := range []struct {
			name   string
			e      *element
			st     state
			fg, bg string
		}{
			{"link in the bar", link, state{}, "#ffffff", "#000000"},
			{"visited link in the bar", link, state{visited: true}, "#ffffff", "#000000"},
			{"focused link in the bar: .nav a outranks a:focus", link, state{focus: true}, "#ffffff", "#ffdd00"},
			{"attribute and child", p1, state{}, "#222222", "#ffffff"},
			{"sibling", p2, state{}, "#333333", "#ffffff"},
		} {
			tc.st.on = link
			tc.st.apply()
			if fg, bg := sheet.colour(tc.e).String(), sheet.background(tc.e).String(); fg != tc.fg || bg != tc.bg {
				t.Errorf("%s: %s on %s, want %s on %s", tc.name, fg, bg, tc.fg, tc.bg)
			}
			tc.st.clear()
		}
	})

	css, err := fs.ReadFile(staticFS, "style.css")
	if err != nil {
		t.Fatal(err)
	}
	sheet := parseCSS(t, string(css))
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	checked, visited := 0, 0
	seen := map[string]bool{}
	for _, n := range names {
		if path.Base(n) == "layout.html" {
			continue
		}
		body, _ := fs.ReadFile(templateFS, n)
		doc, err := html.Parse(strings.NewReader(untemplate(string(layout), string(body))))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		for _, e := range textElements(doc) {
			for _, st := range statesOf(e) {
				st.apply()
				fg, bg := sheet.colour(e), sheet.background(e)
				checked++
				if st.visited {
					visited++
				}
				if r := contrast(fg, bg); r < minContrast {
					key := e.String() + st.String()
					if !seen[key] {
						seen[key] = true
						t.Errorf("%s: %s%s: text %s on %s is %.2f:1, want at least %.1f:1", path.Base(n), e, st, fg, bg, r, minContrast)
					}
				}
				st.clear()
			}
		}
	}
	if visited == 0 {
		t.Fatal("no visited link checked")
	}
	if checked < 100 {
		t.Fatalf("only %d element states checked: is the test reading the templates?", checked)
	}
}

// rgb is a colour.
type rgb [3]uint8

func (c rgb) String() string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// luminance is WCAG 2's relative luminance.
func (c rgb) luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

func contrast(a, b rgb) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

var hexColour = regexp.MustCompile(`#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b`)

// parseColour reads the first #rgb or #rrggbb in a declaration's value.
func parseColour(v string) (rgb, bool) {
	m := hexColour.FindStringSubmatch(v)
	if m == nil {
		return rgb{}, false
	}
	h := m[1]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var c rgb
	for i := range c {
		n, _ := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		c[i] = uint8(n)
	}
	return c, true
}

func mustColour(t *testing.T, s string) rgb {
	t.Helper()
	c, ok := parseColour(s)
	if !ok {
		t.Fatalf("not a colour: %q", s)
	}
	return c
}

// untemplate puts a page's content into the layout and takes out the
// template actions: those that print become "x", the rest (if, range,
// else, end...) nothing, so every branch is kept.
func untemplate(layout, page string) string {
	page = strings.Replace(page, `{{define "content"}}`, "", 1)
	page = page[:strings.LastIndex(page, "{{end}}")]
	s := strings.Replace(layout, `{{template "content" .}}`, page, 1)
	return action.ReplaceAllStringFunc(s, func(a string) string {
		inner := strings.TrimSpace(strings.Trim(a, "{}-"))
		if control.MatchString(inner) {
			return ""
		}
		return "x"
	})
}

var (
	action  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	control = regexp.MustCompile(`^(if|else|end|range|with|define|template|block)\b|^\$\w+ :?=|^/\*`)
)

// element is an element of a page, with the state the test has put it in.
type element struct {
	tag                   string
	classes               []string
	parent                *element
	prev                  *element // the element before it among its parent's children
	first                 bool     // the first element among its parent's children
	href                  bool
	attrs                 map[string]string
	visited, hover, focus bool
}

func (e *element) String() string {
	var parts []string
	for p := e; p != nil && p.tag != "html"; p = p.parent {
		s := p.tag
		for _, c := range p.classes {
			s += "." + c
		}
		parts = append(parts, s)
	}
	slices.Reverse(parts)
	return strings.Join(parts, " > ")
}

// textElements returns the elements in the page's body that hold text of
// their own, and every link and button.
func textElements(doc *html.Node) []*element {
	var out []*element
	var walk func(n *html.Node, parent *element)
	walk = func(n *html.Node, parent *element) {
		var prev *element
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			e := &element{tag: c.Data, parent: parent, prev: prev, first: prev == nil, attrs: map[string]string{}}
			prev = e
			for _, a := range c.Attr {
				e.attrs[a.Key] = a.Val
				switch a.Key {
				case "class":
					e.classes = strings.Fields(a.Val)
				case "href":
					e.href = true
				}
			}
			if e.tag == "head" || e.tag == "input" || e.tag == "datalist" || e.tag == "option" {
				continue
			}
			text := false
			for t := c.FirstChild; t != nil; t = t.NextSibling {
				text = text || (t.Type == html.TextNode && strings.TrimSpace(t.Data) != "")
			}
			if text || interactive(e) {
				out = append(out, e)
			}
			walk(c, e)
		}
	}
	walk(doc, nil)
	return out
}

// interactive reports whether e is a link, a button or a details element's
// summary: something with hover and focus states of its own.
func interactive(e *element) bool { return e.tag == "a" || e.tag == "button" || e.tag == "summary" }

// state is one state of an element's nearest link or button.
type state struct {
	on                    *element
	visited, hover, focus bool
}

func (s state) String() string {
	var b []string
	for _, f := range []struct {
		on   bool
		name string
	}{{s.visited, "visited"}, {s.hover, "hover"}, {s.focus, "focus"}} {
		if f.on {
			b = append(b, ":"+f.name)
		}
	}
	if len(b) == 0 {
		return ""
	}
	return " (" + s.on.tag + strings.Join(b, "") + ")"
}

// apply puts the link or button in the state.
func (s state) apply() {
	if s.on != nil {
		s.on.visited, s.on.hover, s.on.focus = s.visited, s.hover, s.focus
	}
}

// clear takes the link or button out of the state.
func (s state) clear() {
	if s.on != nil {
		s.on.visited, s.on.hover, s.on.focus = false, false, false
	}
}

// statesOf lists the states e's nearest link or button can be in (just
// one, stateless, when e is in neither).
func statesOf(e *element) []state {
	var on *element
	for p := e; p != nil; p = p.parent {
		if interactive(p) {
			on = p
			break
		}
	}
	if on == nil {
		return []state{{}}
	}
	combos := []state{{}, {hover: true}, {focus: true}}
	if on.tag == "a" && on.href {
		combos = append(combos, state{visited: true}, state{visited: true, hover: true}, state{visited: true, focus: true})
	}
	for i := range combos {
		combos[i].on = on
	}
	return combos
}

// compound is one compound selector: a tag, classes and pseudo-classes.
type compound struct {
	tag     string
	classes []string
	pseudo  []string
	attrs   []string // "open", `type="file"`
	comb    byte     // how it is joined to the compound on its left: ' ', '>' or '+'
}

type cssRule struct {
	sel       []compound
	spec      int // ids×10000 + (classes and pseudo-classes)×100 + tags
	order     int
	important bool
	prop      string
	value     string
}

type styleSheet struct{ rules []cssRule }

var (
	compoundPart = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9]*|\*)?((?:\.[\w-]+|:[\w-]+|\[[^\]]+\])*)$`)
	simplePart   = regexp.MustCompile(`[.:][\w-]+|\[[^\]]+\]`)
)

// parseCSS reads the declarations of color, background and
// background-color, with their selectors. Rules inside @media count as
// well: a colour must pass at every width.
func parseCSS(t *testing.T, css string) *styleSheet {
	t.Helper()
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	css = regexp.MustCompile(`@media[^{]*\{`).ReplaceAllString(css, "")
	sheet := &styleSheet{}
	order := 0
	for _, block := range strings.Split(css, "}") {
		sels, decls, ok := strings.Cut(block, "{")
		if !ok {
			continue
		}
		order++
		for _, sel := range strings.Split(sels, ",") {
			sel = strings.TrimSpace(sel)
			if strings.Contains(sel, "::") {
				continue // ::before, ::after: no text of ours
			}
			cs, spec, ok := parseSelector(sel)
			if !ok {
				t.Fatalf("style.css: cannot read the selector %q", sel)
			}
			for _, d := range strings.Split(decls, ";") {
				prop, value, ok := strings.Cut(d, ":")
				prop = strings.TrimSpace(prop)
				if !ok || (prop != "color" && prop != "background" && prop != "background-color") {
					continue
				}
				value = strings.TrimSpace(value)
				important := strings.HasSuffix(value, "!important")
				value = strings.TrimSpace(strings.TrimSuffix(value, "!important"))
				if prop != "color" {
					prop = "background"
				}
				sheet.rules = append(sheet.rules, cssRule{sel: cs, spec: spec, order: order, important: important, prop: prop, value: value})
			}
		}
	}
	return sheet
}

func parseSelector(sel string) ([]compound, int, bool) {
	var (
		cs   []compound
		spec int
		comb byte = ' '
	)
	sel = strings.NewReplacer(">", " > ", "+", " + ").Replace(sel)
	for _, tok := range strings.Fields(sel) {
		if tok == ">" || tok == "+" {
			comb = tok[0]
			continue
		}
		m := compoundPart.FindStringSubmatch(tok)
		if m == nil {
			return nil, 0, false
		}
		c := compound{tag: m[1], comb: comb}
		comb = ' '
		if c.tag == "*" {
			c.tag = ""
		}
		if c.tag != "" {
			spec++
		}
		for _, p := range simplePart.FindAllString(m[2], -1) {
			switch p[0] {
			case '.':
				c.classes = append(c.classes, p[1:])
			case '[':
				c.attrs = append(c.attrs, p[1:len(p)-1])
			default:
				c.pseudo = append(c.pseudo, p[1:])
			}
			spec += 100
		}
		cs = append(cs, c)
	}
	return cs, spec, len(cs) > 0
}

func (c compound) matches(e *element) bool {
	if c.tag != "" && c.tag != e.tag {
		return false
	}
	for _, cl := range c.classes {
		if !slices.Contains(e.classes, cl) {
			return false
		}
	}
	for _, a := range c.attrs {
		name, want, hasValue := strings.Cut(a, "=")
		got, ok := e.attrs[name]
		if !ok || hasValue && got != strings.Trim(want, `"'`) {
			return false
		}
	}
	for _, p := range c.pseudo {
		var ok bool
		switch p {
		case "link":
			ok = e.tag == "a" && e.href && !e.visited
		case "visited":
			ok = e.tag == "a" && e.href && e.visited
		case "hover":
			ok = e.hover
		case "focus":
			ok = e.focus
		case "first-child":
			ok = e.first
		}
		if !ok {
			return false
		}
	}
	return true
}

// matches reports whether the selector cs (compounds left to right)
// matches e.
func matches(cs []compound, e *element) bool {
	last := cs[len(cs)-1]
	if !last.matches(e) {
		return false
	}
	if len(cs) == 1 {
		return true
	}
	switch last.comb {
	case '>':
		return e.parent != nil && matches(cs[:len(cs)-1], e.parent)
	case '+':
		return e.prev != nil && matches(cs[:len(cs)-1], e.prev)
	}
	for p := e.parent; p != nil; p = p.parent {
		if matches(cs[:len(cs)-1], p) {
			return true
		}
	}
	return false
}

// declared is the value of prop the cascade gives e itself, if any.
func (s *styleSheet) declared(e *element, prop string) (string, bool) {
	var win *cssRule
	for i := range s.rules {
		r := &s.rules[i]
		if r.prop != prop || !matches(r.sel, e) {
			continue
		}
		if win == nil || r.important && !win.important ||
			r.important == win.important && (r.spec > win.spec || r.spec == win.spec && r.order >= win.order) {
			win = r
		}
	}
	if win == nil {
		return "", false
	}
	return win.value, true
}

// colour is e's text colour: its own or inherited, else the browser's black.
func (s *styleSheet) colour(e *element) rgb {
	for p := e; p != nil; p = p.parent {
		if v, ok := s.declared(p, "color"); ok && v != "inherit" {
			if c, ok := parseColour(v); ok {
				return c
			}
		}
	}
	return rgb{}
}

// background is the colour behind e's text: the nearest background that is
// not transparent, from e outwards, else the page's white.
func (s *styleSheet) background(e *element) rgb {
	for p := e; p != nil; p = p.parent {
		if v, ok := s.declared(p, "background"); ok {
			if c, ok := parseColour(v); ok {
				return c
			}
		}
	}
	return rgb{255, 255, 255}
}
