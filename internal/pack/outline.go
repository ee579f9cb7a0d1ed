package pack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// mark is one bookmark: a title, the page it opens (1-based, in its own
// file until it is placed in a pack) and, when known, where on the page.
type mark struct {
	Title string
	Page  int
	View  types.Array // the destination after the page: /XYZ left top zoom, /Fit, …
	Kids  []mark
}

// maxOutlineDepth and maxOutlineItems bound what is carried over from an
// item's own outline: a malformed or hostile file cannot make a pack's
// outline unbounded.
const (
	maxOutlineDepth = 8
	maxOutlineItems = 5000
)

// readOutline returns a file's bookmarks. Entries that do not lead to one
// of its pages are dropped (their children are kept in their place).
func readOutline(ctx *model.Context) ([]mark, error) {
	root, err := ctx.Catalog()
	if err != nil {
		return nil, err
	}
	o, ok := root.Find("Outlines")
	if !ok {
		return nil, nil
	}
	d, err := ctx.DereferenceDict(o)
	if err != nil || d == nil {
		return nil, nil // a broken outline is ignored, not fatal
	}
	r := outlineReader{ctx: ctx, seen: map[int]bool{}}
	return r.items(d.IndirectRefEntry("First"), 0), nil
}

type outlineReader struct {
	ctx   *model.Context
	seen  map[int]bool
	count int
}

func (r *outlineReader) items(ir *types.IndirectRef, depth int) []mark {
	var out []mark
	for ir != nil && r.count < maxOutlineItems {
		if r.seen[ir.ObjectNumber.Value()] {
			break // a cycle
		}
		r.seen[ir.ObjectNumber.Value()] = true
		d, err := r.ctx.DereferenceDict(*ir)
		if err != nil || d == nil {
			break
		}
		r.count++
		var kids []mark
		if depth+1 < maxOutlineDepth {
			kids = r.items(d.IndirectRefEntry("First"), depth+1)
		}
		title := r.title(d)
		page, view := r.destination(d)
		if title == "" || page < 1 {
			out = append(out, kids...)
		} else {
			out = append(out, mark{Title: title, Page: page, View: view, Kids: kids})
		}
		ir = d.IndirectRefEntry("Next")
	}
	return out
}

func (r *outlineReader) title(d types.Dict) string {
	o, err := r.ctx.Dereference(d["Title"])
	if err != nil || o == nil {
		return ""
	}
	s, err := model.Text(o)
	if err != nil {
		return ""
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == ' ' }), " ")
}

// destination finds the page and view an outline item opens: its /Dest,
// or the /D of a GoTo action; a named destination is looked up.
func (r *outlineReader) destination(d types.Dict) (int, types.Array) {
	dest, ok := d["Dest"]
	if !ok {
		a, err := r.ctx.DereferenceDict(d["A"])
		if err != nil || a == nil || a.NameEntry("S") == nil || *a.NameEntry("S") != "GoTo" {
			return 0, nil
		}
		dest = a["D"]
	}
	dest, err := r.ctx.Dereference(dest)
	if err != nil {
		return 0, nil
	}
	var arr types.Array
	switch v := dest.(type) {
	case types.Array:
		arr = v
	case types.Name:
		arr, _ = r.ctx.DereferenceDestArray(v.Value())
	case types.StringLiteral:
		if s, err := types.StringLiteralToString(v); err == nil {
			arr, _ = r.ctx.DereferenceDestArray(s)
		}
	case types.HexLiteral:
		if s, err := types.HexLiteralToString(v); err == nil {
			arr, _ = r.ctx.DereferenceDestArray(s)
		}
	case types.Dict: // a named destination's dictionary form
		arr = v.ArrayEntry("D")
	}
	if len(arr) == 0 {
		return 0, nil
	}
	ref, ok := arr[0].(types.IndirectRef)
	if !ok {
		return 0, nil
	}
	page, err := r.ctx.PageNumber(ref.ObjectNumber.Value())
	if err != nil {
		return 0, nil
	}
	return page, plainView(arr[1:])
}

// plainView keeps a destination's view when it holds only names, numbers
// and nulls (it always should); otherwise the page is fitted.
func plainView(a types.Array) types.Array {
	if len(a) == 0 {
		return nil
	}
	if _, ok := a[0].(types.Name); !ok {
		return nil
	}
	out := make(types.Array, 0, len(a))
	for _, o := range a {
		switch o.(type) {
		case types.Name, types.Integer, types.Float, nil:
			out = append(out, o)
		default:
			return nil
		}
	}
	return out
}

// shift moves marks read from an item to its place in the pack.
func shift(ms []mark, by int) []mark {
	out := make([]mark, len(ms))
	for i, m := range ms {
		m.Page += by
		m.Kids = shift(m.Kids, by)
		out[i] = m
	}
	return out
}

// writeOutline replaces ctx's outline with marks. Top-level entries are
// shown; their children are closed until opened. Destinations are explicit
// page references, not named destinations, so titles may repeat.
func writeOutline(ctx *model.Context, marks []mark) error {
	root, err := ctx.Catalog()
	if err != nil {
		return err
	}
	root.Delete("Outlines")
	if len(marks) == 0 {
		return nil
	}
	outlines := types.Dict{"Type": types.Name("Outlines")}
	ir, err := ctx.IndRefForNewObject(outlines)
	if err != nil {
		return err
	}
	first, last, err := writeMarks(ctx, marks, *ir)
	if err != nil {
		return err
	}
	outlines["First"], outlines["Last"] = *first, *last
	outlines["Count"] = types.Integer(len(marks))
	root["Outlines"] = *ir
	root["PageMode"] = types.Name("UseOutlines")
	return nil
}

func writeMarks(ctx *model.Context, marks []mark, parent types.IndirectRef) (first, last *types.IndirectRef, err error) {
	var prev types.Dict
	for _, m := range marks {
		_, page, _, err := ctx.PageDict(m.Page, false)
		if err != nil || page == nil {
			return nil, nil, fmt.Errorf("bookmark %q: no page %d: %v", m.Title, m.Page, err)
		}
		title, err := types.EscapedUTF16String(m.Title)
		if err != nil {
			return nil, nil, fmt.Errorf("bookmark %q: %w", m.Title, err)
		}
		view := m.View
		if len(view) == 0 {
			view = types.Array{types.Name("Fit")}
		}
		dest := append(types.Array{*page}, view...)
		d := types.Dict{
			"Title":  types.StringLiteral(*title),
			"Parent": parent,
			"Dest":   dest,
		}
		ir, err := ctx.IndRefForNewObject(d)
		if err != nil {
			return nil, nil, err
		}
		if len(m.Kids) > 0 {
			kf, kl, err := writeMarks(ctx, m.Kids, *ir)
			if err != nil {
				return nil, nil, err
			}
			d["First"], d["Last"] = *kf, *kl
			d["Count"] = types.Integer(-len(m.Kids)) // closed
		}
		if first == nil {
			first = ir
		}
		if prev != nil {
			prev["Next"] = *ir
			d["Prev"] = *last
		}
		prev, last = d, ir
	}
	if first == nil {
		return nil, nil, errors.New("empty outline level")
	}
	return first, last, nil
}
