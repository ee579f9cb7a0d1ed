package pack

import (
	"errors"
	"fmt"
	"html"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// The pack's structure tree (tagged PDF). Merging PDFs with pdfcpu keeps
// their pages but not their catalogs, where a tagged PDF's structure tree
// hangs; so each part's tree is taken from its catalog as it is merged and
// the pack gets one tree of its own:
//
//	StructTreeRoot
//	└ Document
//	  ├ the front sheet's and agenda's own elements
//	  ├ Sect /T (Item 2: Minutes of the previous meeting)
//	  │ └ the paper's top-level elements (its H1, P, Table …)
//	  └ Sect /T (Item 3: …)
//
// so a screen reader reads the pack as one document with each paper's
// headings under its agenda item. Each part's ParentTree keys are moved to
// a range of their own (its pages' /StructParents and its annotations'
// /StructParent with them), its RoleMap and ClassMap names and element IDs
// are merged (renamed where two parts give one name different meanings),
// and its language is kept on its elements where it differs from the
// pack's.
//
// A part that is not tagged (a scanned paper) is kept as it is: each of
// its pages becomes one P element holding the whole page, so that a reader
// that follows the tree still reaches its text, and the pack says the item
// is not tagged and does not claim PDF/UA. A part whose tree cannot be
// read is left out of the tree, with the same warning.

// maxStructDepth bounds the walks of a part's structure tree and number
// trees: the parts come from outside, and a loop or a degenerate tree must
// end in an error, not a stack overflow.
const maxStructDepth = 256

// tagPart is a run of the pack's pages that came from one PDF.
type tagPart struct {
	item   int        // the agenda item; 0 for the front sheet and agenda
	title  string     // the item's heading in this pack, for its Sect
	name   string     // for warnings: "item 5 (Minutes)"
	first  int        // the pack page it starts on, from 1
	pages  int        // how many
	tree   types.Dict // its StructTreeRoot, references already the pack's; nil if untagged
	lang   string     // its catalog's /Lang
	notice bool       // an exempt notice (drawn by the pack)
}

// takeTags removes a part's tagging from its catalog (root) and returns its
// structure tree (nil when the part is not tagged) and language. After
// MergeXRefTables the catalog's references are already the pack's.
func takeTags(ctx *model.Context, root types.Dict) (types.Dict, string) {
	if root == nil {
		return nil, ""
	}
	var lang string
	if o, ok := root.Find("Lang"); ok {
		if o, err := ctx.Dereference(o); err == nil && o != nil {
			if s, err := model.Text(o); err == nil {
				lang = strings.TrimSpace(s)
			}
		}
	}
	marked := false
	if mi, err := ctx.DereferenceDict(root["MarkInfo"]); err == nil && mi != nil {
		if b := mi.BooleanEntry("Marked"); b != nil {
			marked = *b
		}
	}
	tree, err := ctx.DereferenceDict(root["StructTreeRoot"])
	for _, k := range []string{"StructTreeRoot", "MarkInfo", "Lang", "Metadata"} {
		root.Delete(k)
	}
	if err != nil || tree == nil || !marked {
		return nil, lang
	}
	if _, ok := tree.Find("K"); !ok {
		return nil, lang
	}
	return tree, lang
}

// structure builds the pack's tree.
type structure struct {
	ctx     *model.Context
	lang    string
	docRef  types.IndirectRef
	nums    types.Array
	next    int
	roles   types.Dict
	classes types.Dict
	ids     map[string]types.Object
	// shared content streams that wrap an untagged page in one marked
	// content sequence
	open, close *types.IndirectRef
}

// tagging is what writeStructure found.
type tagging struct {
	untagged []string // warnings, one for each part that is not tagged
}

// writeStructure gives the pack its structure tree and marks the catalog
// as tagged. leaves are the pack's pages in order; parts cover them all, in
// order. title is the pack's title, lang its language.
func writeStructure(ctx *model.Context, leaves []types.IndirectRef, parts []tagPart, title, lang string) (*tagging, error) {
	if lang == "" {
		lang = "en-GB"
	}
	s := &structure{ctx: ctx, lang: lang, roles: types.Dict{}, classes: types.Dict{}, ids: map[string]types.Object{}}
	rootDict := types.Dict{"Type": types.Name("StructTreeRoot")}
	rootRef, err := ctx.IndRefForNewObject(rootDict)
	if err != nil {
		return nil, err
	}
	doc := types.Dict{"Type": types.Name("StructElem"), "S": types.Name("Document"), "P": *rootRef}
	docRef, err := ctx.IndRefForNewObject(doc)
	if err != nil {
		return nil, err
	}
	s.docRef = *docRef
	var docKids types.Array
	out := &tagging{}
	var sect types.Dict // the current item's element
	var sectRef types.IndirectRef
	sectItem := -1
	for i, p := range parts {
		if p.first < 1 || p.first-1+p.pages > len(leaves) {
			return nil, fmt.Errorf("pack: internal error: part %d's pages %d+%d are not in the pack's %d", i, p.first, p.pages, len(leaves))
		}
		parent := s.docRef
		if p.item > 0 {
			if p.item != sectItem {
				sect = types.Dict{"Type": types.Name("StructElem"), "S": types.Name("Sect"), "P": s.docRef, "T": textString(p.title), "K": types.Array{}}
				ref, err := ctx.IndRefForNewObject(sect)
				if err != nil {
					return nil, err
				}
				sectRef, sectItem = *ref, p.item
				docKids = append(docKids, sectRef)
			}
			parent = sectRef
		}
		pages := leaves[p.first-1 : p.first-1+p.pages]
		var els types.Array
		switch pt, rerr := s.readPart(p); {
		case p.tree == nil:
			els, err = s.addUntagged(pages, parent)
			out.untagged = append(out.untagged, untaggedWarning(p))
		case rerr != nil:
			// Its content is marked for a tree that cannot be read: it is
			// left out of the pack's tree rather than marked again.
			for _, ref := range pages {
				if page, _ := ctx.DereferenceDict(ref); page != nil {
					page.Delete("StructParents")
				}
			}
			out.untagged = append(out.untagged, fmt.Sprintf("%s: its tags cannot be read (%v): the pack cannot be fully accessible", p.name, rerr))
		default:
			els, err = s.addTagged(p, pt, pages, parent)
		}
		if err != nil {
			return nil, fmt.Errorf("pack: the structure of %s: %w", p.name, err)
		}
		if p.item > 0 {
			sect["K"] = append(sect["K"].(types.Array), els...)
		} else {
			docKids = append(docKids, els...)
		}
	}
	doc["K"] = docKids
	pt, err := ctx.IndRefForNewObject(types.Dict{"Nums": s.nums})
	if err != nil {
		return nil, err
	}
	rootDict["K"] = s.docRef
	rootDict["ParentTree"] = *pt
	rootDict["ParentTreeNextKey"] = types.Integer(s.next)
	if len(s.roles) > 0 {
		rootDict["RoleMap"] = s.roles
	}
	if len(s.classes) > 0 {
		rootDict["ClassMap"] = s.classes
	}
	if len(s.ids) > 0 {
		names := types.Array{}
		for _, id := range slices.Sorted(maps.Keys(s.ids)) {
			names = append(names, types.StringLiteral(escape(id)), s.ids[id])
		}
		rootDict["IDTree"] = types.Dict{"Names": names}
	}

	cat := ctx.RootDict
	cat["StructTreeRoot"] = *rootRef
	cat["MarkInfo"] = types.Dict{"Marked": types.Boolean(true)}
	cat["Lang"] = textString(lang)
	vp, err := ctx.DereferenceDict(cat["ViewerPreferences"])
	if err != nil || vp == nil {
		vp = types.Dict{}
	}
	vp["DisplayDocTitle"] = types.Boolean(true)
	cat["ViewerPreferences"] = vp
	md := types.NewStreamDict(types.Dict{"Type": types.Name("Metadata"), "Subtype": types.Name("XML")}, 0, nil, nil, nil)
	md.Content = xmp(title, lang, len(out.untagged) == 0)
	if err := md.Encode(); err != nil {
		return nil, err
	}
	mdRef, err := ctx.IndRefForNewObject(md)
	if err != nil {
		return nil, err
	}
	cat["Metadata"] = *mdRef
	return out, nil
}

func untaggedWarning(p tagPart) string {
	const why = "the pack cannot be fully accessible"
	switch {
	case p.item == 0:
		return "the front sheet and agenda are not tagged: " + why
	case p.notice:
		return fmt.Sprintf("the notice for item %d is not tagged: %s", p.item, why)
	}
	return fmt.Sprintf("%s is not tagged: %s", p.name, why)
}

// partTree is what readPart found in a part's structure tree.
type partTree struct {
	entries map[int]types.Object // its ParentTree
	ids     map[string]types.Object
	top     types.Array // its top-level elements
	inherit types.Dict  // the Document element they came from, if any
}

// readPart reads a tagged part's tree without changing it: an error means
// the tree cannot be merged.
func (s *structure) readPart(p tagPart) (*partTree, error) {
	if p.tree == nil {
		return nil, nil
	}
	ctx := s.ctx
	pt := &partTree{entries: map[int]types.Object{}, ids: map[string]types.Object{}}
	if d, err := ctx.DereferenceDict(p.tree["ParentTree"]); err == nil && d != nil {
		if err := s.flattenNums(d, pt.entries, 0, map[int]bool{}); err != nil {
			return nil, err
		}
	}
	if idt, err := ctx.DereferenceDict(p.tree["IDTree"]); err == nil && idt != nil {
		if err := s.flattenNames(idt, pt.ids, 0, map[int]bool{}); err != nil {
			return nil, err
		}
	}
	// The part's top-level elements; a Document element gives way to its
	// kids, which take what they inherited from it.
	pt.top = asArray(p.tree["K"])
	if len(pt.top) == 1 {
		if d, err := ctx.DereferenceDict(pt.top[0]); err == nil && d != nil && d.NameEntry("S") != nil && *d.NameEntry("S") == "Document" {
			kids := asArray(d["K"])
			if len(kids) > 0 && s.allElements(kids) {
				pt.top, pt.inherit = kids, d
			}
		}
	}
	if len(pt.top) == 0 || !s.allElements(pt.top) {
		return nil, errors.New("its structure tree's root does not hold structure elements")
	}
	visited := map[int]bool{}
	for _, e := range pt.top {
		if err := s.depthOK(e, visited, 0); err != nil {
			return nil, err
		}
	}
	return pt, nil
}

// depthOK checks that the tree below o ends within maxStructDepth.
func (s *structure) depthOK(o types.Object, visited map[int]bool, depth int) error {
	if depth > maxStructDepth {
		return errors.New("its structure tree is too deep")
	}
	if r, ok := o.(types.IndirectRef); ok {
		if visited[r.ObjectNumber.Value()] {
			return nil
		}
		visited[r.ObjectNumber.Value()] = true
	}
	el, err := s.ctx.DereferenceDict(o)
	if err != nil || el == nil {
		return nil
	}
	for _, k := range asArray(el["K"]) {
		if err := s.depthOK(k, visited, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// addTagged moves a tagged part's tree (read by readPart) under parent and
// returns its top-level elements.
func (s *structure) addTagged(p tagPart, pt *partTree, pages []types.IndirectRef, parent types.IndirectRef) (types.Array, error) {
	ctx := s.ctx
	// ParentTree: every key moves up by base.
	entries := pt.entries
	base, size := s.next, 0
	for k := range entries {
		size = max(size, k+1)
	}
	if n := p.tree.IntEntry("ParentTreeNextKey"); n != nil && *n > size && *n-size < 1<<20 {
		size = *n
	}
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		s.nums = append(s.nums, types.Integer(base+k), entries[k])
	}
	s.next = base + size
	seen := map[int]bool{}
	for _, ref := range pages {
		page, err := ctx.DereferenceDict(ref)
		if err != nil || page == nil {
			return nil, fmt.Errorf("page object %d: %v", ref.ObjectNumber, err)
		}
		shiftKey(page, "StructParents", base)
		annots, _ := ctx.DereferenceArray(page["Annots"])
		for _, a := range annots {
			if d, err := ctx.DereferenceDict(a); err == nil && d != nil {
				if r, ok := a.(types.IndirectRef); ok {
					if seen[r.ObjectNumber.Value()] {
						continue
					}
					seen[r.ObjectNumber.Value()] = true
				}
				shiftKey(d, "StructParent", base)
			}
		}
		s.shiftForms(page, base, seen, 0)
	}

	// RoleMap and ClassMap: a name another part already gave a different
	// meaning is renamed in this part.
	rn := renames{roles: s.mergeNames(s.roles, p.tree["RoleMap"], p.item), classes: s.mergeNames(s.classes, p.tree["ClassMap"], p.item), ids: map[string]string{}}
	// IDTree: element IDs (which table cells' /Headers name) are unique
	// across the pack; an ID another part has is renamed in this one.
	{
		found := pt.ids
		for _, id := range slices.Sorted(maps.Keys(found)) {
			name := id
			for i := 1; s.ids[name] != nil; i++ {
				name = fmt.Sprintf("%s-item%d", id, p.item)
				if i > 1 {
					name += "-" + strconv.Itoa(i)
				}
			}
			if name != id {
				rn.ids[id] = name
			}
			s.ids[name] = found[id]
		}
	}

	top, inherit := pt.top, pt.inherit
	for _, e := range top {
		el, err := ctx.DereferenceDict(e)
		if err != nil || el == nil {
			return nil, fmt.Errorf("structure element %v: %v", e, err)
		}
		el["P"] = parent
		if inherit != nil {
			for _, k := range []string{"Pg", "Lang"} {
				if v, ok := inherit[k]; ok && !el.HasEntry(k) {
					el[k] = v
				}
			}
		}
		if p.lang != "" && !strings.EqualFold(p.lang, s.lang) && !el.HasEntry("Lang") {
			el["Lang"] = textString(p.lang)
		}
	}
	if len(rn.roles)+len(rn.classes)+len(rn.ids) > 0 {
		visited := map[int]bool{}
		for _, e := range top {
			if err := s.rename(e, rn, visited, 0); err != nil {
				return nil, err
			}
		}
	}
	return top, nil
}

// addUntagged makes each page of an untagged part one P element holding the
// whole page.
func (s *structure) addUntagged(pages []types.IndirectRef, parent types.IndirectRef) (types.Array, error) {
	ctx := s.ctx
	if s.open == nil {
		var err error
		if s.open, err = newStream(ctx, "/P <</MCID 0>> BDC\n"); err != nil {
			return nil, err
		}
		if s.close, err = newStream(ctx, "\nEMC\n"); err != nil {
			return nil, err
		}
	}
	var out types.Array
	for _, ref := range pages {
		page, err := ctx.DereferenceDict(ref)
		if err != nil || page == nil {
			return nil, fmt.Errorf("page object %d: %v", ref.ObjectNumber, err)
		}
		contents, err := contentParts(ctx, page)
		if err != nil {
			return nil, err
		}
		page["Contents"] = append(append(types.Array{*s.open}, contents...), *s.close)
		el := types.Dict{"Type": types.Name("StructElem"), "S": types.Name("P"), "P": parent, "Pg": ref, "K": types.Integer(0)}
		er, err := ctx.IndRefForNewObject(el)
		if err != nil {
			return nil, err
		}
		page["StructParents"] = types.Integer(s.next)
		s.nums = append(s.nums, types.Integer(s.next), types.Array{*er})
		s.next++
		out = append(out, *er)
	}
	return out, nil
}

func shiftKey(d types.Dict, key string, by int) {
	if n := d.IntEntry(key); n != nil {
		d[key] = types.Integer(*n + by)
	}
}

// shiftForms moves the /StructParents of the form XObjects a page or form
// draws (their marked content has ParentTree entries of its own).
func (s *structure) shiftForms(d types.Dict, base int, seen map[int]bool, depth int) {
	if depth > 16 {
		return
	}
	res, err := s.ctx.DereferenceDict(d["Resources"])
	if err != nil || res == nil {
		return
	}
	xo, err := s.ctx.DereferenceDict(res["XObject"])
	if err != nil || xo == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(xo)) {
		ref, ok := xo[name].(types.IndirectRef)
		if !ok || seen[ref.ObjectNumber.Value()] {
			continue
		}
		seen[ref.ObjectNumber.Value()] = true
		sd, _, err := s.ctx.DereferenceStreamDict(ref)
		if err != nil || sd == nil || sd.Subtype() == nil || *sd.Subtype() != "Form" {
			continue
		}
		shiftKey(sd.Dict, "StructParents", base)
		s.shiftForms(sd.Dict, base, seen, depth+1)
	}
}

// flattenNums collects a number tree's entries.
func (s *structure) flattenNums(node types.Dict, out map[int]types.Object, depth int, seen map[int]bool) error {
	if depth > maxStructDepth {
		return errors.New("its ParentTree is too deep")
	}
	nums, _ := s.ctx.DereferenceArray(node["Nums"])
	for i := 0; i+1 < len(nums); i += 2 {
		k, ok := nums[i].(types.Integer)
		if !ok || k < 0 || k > 1<<24 {
			return fmt.Errorf("its ParentTree has a key %v", nums[i])
		}
		out[int(k)] = nums[i+1]
	}
	kids, _ := s.ctx.DereferenceArray(node["Kids"])
	for _, kid := range kids {
		if r, ok := kid.(types.IndirectRef); ok {
			if seen[r.ObjectNumber.Value()] {
				return errors.New("its ParentTree has a loop")
			}
			seen[r.ObjectNumber.Value()] = true
		}
		d, err := s.ctx.DereferenceDict(kid)
		if err != nil || d == nil {
			continue
		}
		if err := s.flattenNums(d, out, depth+1, seen); err != nil {
			return err
		}
	}
	return nil
}

// flattenNames collects a name tree's entries.
func (s *structure) flattenNames(node types.Dict, out map[string]types.Object, depth int, seen map[int]bool) error {
	if depth > maxStructDepth {
		return errors.New("its IDTree is too deep")
	}
	names, _ := s.ctx.DereferenceArray(node["Names"])
	for i := 0; i+1 < len(names); i += 2 {
		if k, err := model.Text(names[i]); err == nil {
			out[k] = names[i+1]
		}
	}
	kids, _ := s.ctx.DereferenceArray(node["Kids"])
	for _, kid := range kids {
		if r, ok := kid.(types.IndirectRef); ok {
			if seen[r.ObjectNumber.Value()] {
				return errors.New("its IDTree has a loop")
			}
			seen[r.ObjectNumber.Value()] = true
		}
		if d, err := s.ctx.DereferenceDict(kid); err == nil && d != nil {
			if err := s.flattenNames(d, out, depth+1, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergeNames adds a part's RoleMap or ClassMap (o) to the pack's (into),
// and returns the part's names that must be renamed because another part
// already mapped them to something else.
func (s *structure) mergeNames(into types.Dict, o types.Object, item int) map[string]string {
	d, err := s.ctx.DereferenceDict(o)
	if err != nil || d == nil {
		return nil
	}
	renames := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(d)) {
		v := d[k]
		if r, ok := v.(types.IndirectRef); ok { // a ClassMap's attribute objects may be indirect; keep the reference
			v = r
		}
		old, clash := into[k]
		if !clash {
			into[k] = v
			continue
		}
		if old.PDFString() == v.PDFString() {
			continue
		}
		name := fmt.Sprintf("%s_item%d", k, item)
		for i := 2; into[name] != nil; i++ {
			name = fmt.Sprintf("%s_item%d_%d", k, item, i)
		}
		into[name] = v
		renames[k] = name
	}
	return renames
}

// renames are a part's names that clash with another part's: old → new.
type renames struct{ roles, classes, ids map[string]string }

// rename applies a part's renames to its elements: their types, classes,
// IDs, and the IDs their table attributes' /Headers name.
func (s *structure) rename(o types.Object, rn renames, visited map[int]bool, depth int) error {
	if depth > maxStructDepth {
		return errors.New("its structure tree is too deep")
	}
	if r, ok := o.(types.IndirectRef); ok {
		if visited[r.ObjectNumber.Value()] {
			return nil
		}
		visited[r.ObjectNumber.Value()] = true
	}
	el, err := s.ctx.DereferenceDict(o)
	if err != nil || el == nil {
		return nil // an MCID or a marked-content reference
	}
	if t := el.Type(); t != nil && *t != "StructElem" {
		return nil
	}
	if sn := el.NameEntry("S"); sn != nil {
		if n, ok := rn.roles[*sn]; ok {
			el["S"] = types.Name(n)
		}
	}
	switch c := el["C"].(type) {
	case types.Name:
		if n, ok := rn.classes[c.Value()]; ok {
			el["C"] = types.Name(n)
		}
	case types.Array:
		for i, v := range c {
			if nm, ok := v.(types.Name); ok {
				if n, ok := rn.classes[nm.Value()]; ok {
					c[i] = types.Name(n)
				}
			}
		}
	}
	if len(rn.ids) > 0 {
		if id, err := model.Text(el["ID"]); err == nil {
			if n, ok := rn.ids[id]; ok {
				el["ID"] = textString(n)
			}
		}
		for _, a := range asArray(el["A"]) {
			attr, err := s.ctx.DereferenceDict(a)
			if err != nil || attr == nil {
				continue // a revision number
			}
			headers, _ := s.ctx.DereferenceArray(attr["Headers"])
			for i, h := range headers {
				if id, err := model.Text(h); err == nil {
					if n, ok := rn.ids[id]; ok {
						headers[i] = textString(n)
					}
				}
			}
		}
	}
	for _, k := range asArray(el["K"]) {
		if err := s.rename(k, rn, visited, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// allElements reports whether every kid is a structure element (not
// content, which would lose its page if its parent went).
func (s *structure) allElements(kids types.Array) bool {
	for _, k := range kids {
		d, err := s.ctx.DereferenceDict(k)
		if err != nil || d == nil {
			return false
		}
		if t := d.Type(); t != nil && *t != "StructElem" {
			return false
		}
		if !d.HasEntry("S") {
			return false
		}
	}
	return true
}

func asArray(o types.Object) types.Array {
	switch v := o.(type) {
	case nil:
		return nil
	case types.Array:
		return v
	}
	return types.Array{o}
}

// textString is s as a PDF text string.
func textString(s string) types.StringLiteral {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || s[i] < ' ' {
			ascii = false
			break
		}
	}
	if ascii {
		return types.StringLiteral(escape(s))
	}
	if e, err := types.EscapedUTF16String(s); err == nil {
		return types.StringLiteral(*e)
	}
	return types.StringLiteral(escape(s))
}

func escape(s string) string {
	if e, err := types.Escape(s); err == nil {
		return *e
	}
	return s
}

// xmp is the pack's XMP metadata: its title and language, and the PDF/UA
// identifier when every part is tagged. It has no dates, so the same pack
// gives the same bytes.
func xmp(title, lang string, ua bool) []byte {
	var b strings.Builder
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">`)
	b.WriteString(html.EscapeString(title))
	b.WriteString(`</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>`)
	b.WriteString(html.EscapeString(lang))
	b.WriteString(`</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
`)
	if ua {
		b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
`)
	}
	b.WriteString(`</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
	return []byte(b.String())
}
