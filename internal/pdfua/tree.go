package pdfua

import (
	"fmt"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// standardTypes are the standard structure types of PDF 1.7 (ISO 32000-1,
// 14.8.4), which every role must map to.
var standardTypes = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`Document Part Art Sect Div BlockQuote Caption TOC TOCI Index
		NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot
		Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
		Figure Formula Form`) {
		standardTypes[t] = true
	}
}

func (c *checker) readRoleMap(root types.Dict) {
	c.roleMap = map[string]string{}
	if rm := c.dict(root["RoleMap"]); rm != nil {
		for k, v := range rm {
			if n := c.nameOf(v); n != "" {
				c.roleMap[k] = n
			}
		}
	}
}

// role maps a structure type through the RoleMap to a standard type; ok
// is false when it reaches none.
func (c *checker) role(s string) (string, bool) {
	for range maxRoleMapChain {
		if standardTypes[s] {
			return s, true
		}
		m, ok := c.roleMap[s]
		if !ok {
			return s, false
		}
		s = m
	}
	return s, false
}

// walkTree walks the structure tree in order, recording which element
// holds each MCID and annotation, and checking tables, figures and roles.
func (c *checker) walkTree(root types.Dict) {
	unmapped := map[string]bool{}
	var walk func(o types.Object, pg, depth int) (th bool, first int)
	walk = func(o types.Object, pg, depth int) (bool, int) {
		if c.elements >= maxElements || depth > maxTreeDepth {
			if c.elements == maxElements || depth == maxTreeDepth+1 {
				c.add(0, RuleUnreadable, "the structure tree is larger or deeper than the checker reads: the rest is not checked")
				c.elements = maxElements + 1
			}
			return false, 0
		}
		id := objNum(o)
		if id > 0 {
			if c.seen[id] {
				c.add(pg, RuleStructTree, fmt.Sprintf("structure element %d is reached twice from the tree", id))
				return false, 0
			}
			c.seen[id] = true
		} else {
			c.nextID--
			id = c.nextID
		}
		d := c.dict(o)
		if d == nil {
			return false, 0
		}
		c.elements++
		if p := d["Pg"]; p != nil {
			pg = c.pageOf[objNum(p)]
		}
		s := c.nameOf(d["S"])
		if s == "" {
			c.add(pg, RuleStructTree, "a structure element has no /S (type)")
		}
		r, ok := c.role(s)
		if s != "" && !ok && !unmapped[s] {
			unmapped[s] = true
			c.add(pg, RuleStructTree, fmt.Sprintf("structure type /%s is not mapped to a standard type in the RoleMap", s))
		}
		hIndex := -1
		if len(r) == 2 && r[0] == 'H' && r[1] >= '1' && r[1] <= '6' {
			hIndex = len(c.headings)
			c.headings = append(c.headings, heading{level: int(r[1] - '0'), page: pg})
		}
		th, first := r == "TH", pg
		note := func(p int) {
			if first == 0 {
				first = p
			}
		}
		var kids []types.Object
		if a, ok := c.deref(d["K"]).(types.Array); ok {
			kids = a
		} else if d["K"] != nil {
			kids = []types.Object{d["K"]}
		}
		for _, k := range kids {
			switch v := c.deref(k).(type) {
			case types.Integer:
				c.reach(streamKey{page: pg}, int(v), id, pg)
				note(pg)
			case types.Dict:
				switch c.nameOf(v["Type"]) {
				case "MCR":
					mpg := pg
					if p := v["Pg"]; p != nil {
						mpg = c.pageOf[objNum(p)]
					}
					mcid, ok := c.integer(v["MCID"])
					if !ok {
						c.add(mpg, RuleStructTree, "a marked-content reference has no MCID")
						continue
					}
					key := streamKey{page: mpg}
					if stm := objNum(v["Stm"]); stm > 0 {
						key = streamKey{form: stm}
					}
					c.reach(key, mcid, id, mpg)
					note(mpg)
				case "OBJR":
					if n := objNum(v["Obj"]); n > 0 {
						c.objrs[n] = append(c.objrs[n], id)
					}
				default:
					kth, kfirst := walk(k, pg, depth+1)
					th = th || kth
					note(kfirst)
				}
			}
		}
		if hIndex >= 0 && c.headings[hIndex].page == 0 {
			c.headings[hIndex].page = first
		}
		switch r {
		case "Table":
			if !th {
				c.add(first, RuleTableNoTH, "a Table has no TH (header) cell")
			}
			th = false // a nested table's headers are not this one's
		case "Figure":
			if strings.TrimSpace(c.text(d["Alt"])) == "" && strings.TrimSpace(c.text(d["ActualText"])) == "" {
				c.add(first, RuleFigureNoAlt, "a Figure has no alternative text (/Alt or /ActualText)")
			}
		}
		return th, first
	}
	var kids []types.Object
	if a, ok := c.deref(root["K"]).(types.Array); ok {
		kids = a
	} else if root["K"] != nil {
		kids = []types.Object{root["K"]}
	}
	for _, k := range kids {
		walk(k, 0, 0)
	}
}

// reach records that element id's K holds mcid in the stream key.
func (c *checker) reach(key streamKey, mcid, id, pg int) {
	if key.page == 0 && key.form == 0 {
		c.add(0, RuleStructTree, fmt.Sprintf("MCID %d is referenced with no page (/Pg)", mcid))
		return
	}
	m := c.reached[key]
	if m == nil {
		m = map[int][]int{}
		c.reached[key] = m
	}
	m[mcid] = append(m[mcid], id)
}

// checkMCIDs checks every MCID in the content is reached exactly once from
// the tree, and the tree names no MCID the content lacks.
func (c *checker) checkMCIDs() {
	keys := map[streamKey]bool{}
	for k := range c.mcids {
		keys[k] = true
	}
	for k := range c.reached {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		pg := c.pageOfKey(k)
		where := "the page's content"
		if k.form != 0 {
			where = fmt.Sprintf("Form XObject %d", k.form)
		}
		var unreached []int
		for _, m := range sortedInts(c.mcids[k]) {
			if n := c.mcids[k][m]; n > 1 {
				c.add(pg, RuleMCIDTwice, fmt.Sprintf("MCID %d marks %d sequences in %s", m, n, where))
			}
			switch n := len(c.reached[k][m]); {
			case n == 0:
				unreached = append(unreached, m)
			case n > 1:
				c.add(pg, RuleMCIDTwice, fmt.Sprintf("MCID %d in %s is reached %d times from the structure tree", m, where, n))
			}
		}
		if len(unreached) > 0 {
			c.add(pg, RuleMCIDUnreached, fmt.Sprintf("%s %s in %s %s reached from no structure element",
				plural(len(unreached), "MCID", "MCIDs"), intList(unreached), where, plural(len(unreached), "is", "are")))
		}
		if c.stopped {
			continue
		}
		var missing []int
		for _, m := range sortedInts(c.reached[k]) {
			if _, ok := c.mcids[k][m]; !ok {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			c.add(pg, RuleMCIDMissing, fmt.Sprintf("the structure tree names %s %s, which %s has not",
				plural(len(missing), "MCID", "MCIDs"), intList(missing), where))
		}
	}
}

func sortedKeys(m map[streamKey]bool) []streamKey {
	ks := make([]streamKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && less(ks[j], ks[j-1]); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

func less(a, b streamKey) bool {
	if a.page != b.page {
		return a.page < b.page
	}
	return a.form < b.form
}

// intList writes up to ten numbers, then how many more.
func intList(ns []int) string {
	var b strings.Builder
	for i, n := range ns {
		if i == 10 {
			fmt.Fprintf(&b, " and %d more", len(ns)-10)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, n)
	}
	return b.String()
}

// numberTree reads a number tree (the ParentTree) into a map.
func (c *checker) numberTree(o types.Object) map[int]types.Object {
	out := map[int]types.Object{}
	seen := map[int]bool{}
	var walk func(o types.Object, depth int)
	walk = func(o types.Object, depth int) {
		if depth > 32 || len(out) > maxNumberTree {
			return
		}
		if n := objNum(o); n > 0 {
			if seen[n] {
				return
			}
			seen[n] = true
		}
		d := c.dict(o)
		if d == nil {
			return
		}
		nums := c.array(d["Nums"])
		for i := 0; i+1 < len(nums); i += 2 {
			if k, ok := c.integer(nums[i]); ok {
				out[k] = nums[i+1]
			}
		}
		for _, k := range c.array(d["Kids"]) {
			walk(k, depth+1)
		}
	}
	walk(o, 0)
	return out
}

// checkParentTree checks the ParentTree maps each MCID of each page (and
// Form XObject) back to the element whose K holds it, and each annotation
// with a /StructParent to the element whose OBJR names it.
func (c *checker) checkParentTree(root types.Dict) {
	pt := c.numberTree(root["ParentTree"])
	check := func(pg int, sp *int, key streamKey, what string) {
		mcids := c.mcids[key]
		if len(mcids) == 0 {
			return
		}
		if sp == nil {
			c.add(pg, RuleParentTree, fmt.Sprintf("%s has marked content with MCIDs but no /StructParents", what))
			return
		}
		arr := c.array(pt[*sp])
		if arr == nil {
			c.add(pg, RuleParentTree, fmt.Sprintf("the ParentTree has no array for %s (/StructParents %d)", what, *sp))
			return
		}
		var wrong []int
		for _, m := range sortedInts(mcids) {
			want := c.reached[key][m]
			if len(want) == 0 {
				continue // reported as mcid-unreached
			}
			got := 0
			if m < len(arr) {
				got = objNum(arr[m])
			}
			if !contains(want, got) {
				wrong = append(wrong, m)
			}
		}
		if len(wrong) > 0 {
			c.add(pg, RuleParentTree, fmt.Sprintf("the ParentTree does not map %s %s of %s to the element holding %s",
				plural(len(wrong), "MCID", "MCIDs"), intList(wrong), what, plural(len(wrong), "it", "them")))
		}
	}
	for _, p := range c.pages {
		var sp *int
		if v, ok := c.integer(p.dict["StructParents"]); ok {
			sp = &v
		}
		check(p.num, sp, streamKey{page: p.num}, "the page")
	}
	for _, num := range sortedInts(c.formStruct) {
		check(c.formPages[num], c.formStruct[num], streamKey{form: num}, fmt.Sprintf("Form XObject %d", num))
	}
	for _, p := range c.pages {
		for _, a := range c.array(p.dict["Annots"]) {
			d := c.dict(a)
			if d == nil {
				continue
			}
			sp, ok := c.integer(d["StructParent"])
			if !ok {
				continue
			}
			sub := c.nameOf(d["Subtype"])
			holders := c.objrs[objNum(a)]
			if len(holders) == 0 {
				c.add(p.num, RuleParentTree, fmt.Sprintf("a %s annotation has /StructParent %d but no structure element's OBJR names it", sub, sp))
				continue
			}
			if !contains(holders, objNum(pt[sp])) {
				c.add(p.num, RuleParentTree, fmt.Sprintf("the ParentTree does not map a %s annotation's /StructParent %d to the element naming it", sub, sp))
			}
		}
	}
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// checkHeadings checks the numbered headings, in reading order, start at
// H1 and never skip a level going down.
func (c *checker) checkHeadings() {
	last := 0
	for _, h := range c.headings {
		switch {
		case last == 0 && h.level != 1:
			c.add(h.page, RuleHeadingSkip, fmt.Sprintf("the first heading is H%d, not H1", h.level))
		case last > 0 && h.level > last+1:
			c.add(h.page, RuleHeadingSkip, fmt.Sprintf("H%d follows H%d: level %d is skipped", h.level, last, last+1))
		}
		last = h.level
	}
}
