package pdfua

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// mark is one open marked-content sequence.
type mark struct {
	mcid     int // -1 when the sequence has none
	artifact bool
}

// font is the font in effect: its resource name and object.
type font struct {
	name string
	obj  types.Object
}

// scan is one content stream being read: a page's, or a Form XObject's.
type scan struct {
	key   streamKey
	page  int // the page it is drawn on
	res   types.Dict
	outer []mark       // sequences open where a Form XObject is drawn
	font  font         // the font in effect where a Form XObject is drawn
	forms map[int]bool // Form XObjects being drawn, to stop loops
	depth int
	mcids map[int]int
}

// scanPage reads the page's content streams, and the Form XObjects they
// draw.
func (c *checker) scanPage(p page) {
	var data []byte
	contents := c.deref(p.dict["Contents"])
	var parts []types.Object
	if a, ok := contents.(types.Array); ok {
		parts = a
	} else if contents != nil {
		parts = []types.Object{p.dict["Contents"]}
	}
	for _, o := range parts {
		_, b, err := c.stream(o)
		if err != nil {
			c.add(p.num, RuleUnreadable, fmt.Sprintf("cannot decode the page's content: %v", err))
			return
		}
		if !c.budget(len(b)) {
			return
		}
		data = append(data, b...)
		data = append(data, '\n')
	}
	s := &scan{key: streamKey{page: p.num}, page: p.num, res: p.res, forms: map[int]bool{}, mcids: map[int]int{}}
	c.run(s, data)
	c.mcids[s.key] = s.mcids
}

// budget counts n more decoded bytes against maxContentBytes.
func (c *checker) budget(n int) bool {
	c.content += int64(n)
	if c.content > maxContentBytes {
		c.add(0, RuleUnreadable, "the content streams are larger than the checker reads: the rest is not checked")
		c.stopped = true
		return false
	}
	return true
}

// covered reports whether content drawn now is tagged or an artifact.
func covered(marks []mark) bool {
	for _, m := range marks {
		if m.mcid >= 0 || m.artifact {
			return true
		}
	}
	return false
}

// run reads one content stream.
func (c *checker) run(s *scan, data []byte) {
	l := &lexer{b: data}
	marks := append([]mark(nil), s.outer...)
	base := len(marks)
	cur := s.font
	var saved []font
	var ops []any
	for {
		if c.stopped {
			return
		}
		v, ok, err := l.next(0)
		if err != nil {
			c.add(s.page, RuleUnreadable, fmt.Sprintf("cannot read the content stream: %v", err))
			return
		}
		if !ok {
			break
		}
		op, isOp := v.(keyword)
		if !isOp {
			if len(ops) >= 1<<16 {
				c.add(s.page, RuleUnreadable, "a content stream has an operator with too many operands")
				return
			}
			ops = append(ops, v)
			continue
		}
		c.operators++
		if c.operators > maxOperators {
			c.add(s.page, RuleUnreadable, "the content streams have more operators than the checker reads: the rest is not checked")
			c.stopped = true
			return
		}
		switch op {
		case "BMC", "BDC":
			if len(marks) >= maxMarkedDepth {
				c.add(s.page, RuleUnreadable, "marked-content sequences nest too deeply")
				return
			}
			m := mark{mcid: -1}
			if len(ops) > 0 {
				tag, _ := ops[0].(name)
				m.artifact = tag == "Artifact"
			}
			if op == "BDC" && len(ops) > 1 {
				if id, ok := c.mcidOf(ops[1], s.res); ok {
					m.mcid = id
					s.mcids[id]++
				}
			}
			marks = append(marks, m)
		case "EMC":
			if len(marks) == base {
				c.add(s.page, RuleMarkedContent, "EMC with no open marked-content sequence")
			} else {
				marks = marks[:len(marks)-1]
			}
		case "q":
			if len(saved) >= maxGStateDepth {
				c.add(s.page, RuleUnreadable, "q nests too deeply")
				return
			}
			saved = append(saved, cur)
		case "Q":
			if len(saved) > 0 {
				cur = saved[len(saved)-1]
				saved = saved[:len(saved)-1]
			}
		case "Tf":
			if len(ops) > 0 {
				if n, ok := ops[0].(name); ok {
					cur = font{name: string(n)}
					if fd := c.dict(s.res["Font"]); fd != nil {
						cur.obj = fd[string(n)]
					}
				}
			}
		case "Tj", "TJ", "'", "\"":
			if !covered(marks) {
				c.untagged[s.page]++
			}
			c.useFont(s.page, cur)
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh":
			if !covered(marks) {
				c.untaggedGr[s.page]++
			}
		case "BI":
			if !covered(marks) {
				c.untaggedIm[s.page]++
			}
			if err := l.skipInlineImage(); err != nil {
				c.add(s.page, RuleUnreadable, fmt.Sprintf("cannot read the content stream: %v", err))
				return
			}
		case "Do":
			if len(ops) > 0 {
				if n, ok := ops[0].(name); ok {
					c.drawForm(s, string(n), marks, cur)
				}
			}
		}
		ops = ops[:0]
	}
	if len(marks) > base {
		n := len(marks) - base
		c.add(s.page, RuleMarkedContent, fmt.Sprintf("%d marked-content %s not closed by EMC", n, plural(n, "sequence", "sequences")))
	}
}

// mcidOf reads the MCID of BDC's properties: an inline dictionary, or a
// name in the resources' Properties.
func (c *checker) mcidOf(props any, res types.Dict) (int, bool) {
	switch p := props.(type) {
	case map[string]any:
		if f, ok := p["MCID"].(float64); ok && f >= 0 && f == float64(int(f)) {
			return int(f), true
		}
	case name:
		if pd := c.dict(res["Properties"]); pd != nil {
			if d := c.dict(pd[string(p)]); d != nil {
				if id, ok := c.integer(d["MCID"]); ok && id >= 0 {
					return id, true
				}
			}
		}
	}
	return 0, false
}

// drawForm reads the Form XObject named n, drawn inside marks.
func (c *checker) drawForm(s *scan, n string, marks []mark, cur font) {
	xo := c.dict(s.res["XObject"])
	if xo == nil || xo[n] == nil {
		return
	}
	ref := xo[n]
	sd, _, err := c.x.DereferenceStreamDict(ref)
	if err != nil || sd == nil {
		return
	}
	if c.nameOf(sd.Dict["Subtype"]) == "Image" && !covered(marks) {
		c.untaggedIm[s.page]++
	}
	if c.nameOf(sd.Dict["Subtype"]) != "Form" {
		return
	}
	num := objNum(ref)
	if num > 0 && s.forms[num] {
		c.add(s.page, RuleUnreadable, fmt.Sprintf("Form XObject %s draws itself", n))
		return
	}
	if s.depth >= maxFormDepth {
		c.add(s.page, RuleUnreadable, "Form XObjects nest too deeply")
		return
	}
	c.formDraws++
	if c.formDraws > maxFormDraws {
		c.add(s.page, RuleUnreadable, "Form XObjects are drawn more often than the checker reads: the rest is not checked")
		c.stopped = true
		return
	}
	_, b, err := c.stream(ref)
	if err != nil {
		c.add(s.page, RuleUnreadable, fmt.Sprintf("cannot decode Form XObject %s: %v", n, err))
		return
	}
	if !c.budget(len(b)) {
		return
	}
	res := c.dict(sd.Dict["Resources"])
	if res == nil {
		res = s.res
	}
	forms := s.forms
	if num > 0 {
		forms[num] = true
		defer delete(forms, num)
	}
	key := streamKey{form: num}
	if num == 0 {
		key = s.key // a direct form cannot be named by /Stm
	}
	f := &scan{key: key, page: s.page, res: res, outer: marks, font: cur, forms: forms, depth: s.depth + 1, mcids: map[int]int{}}
	if key == s.key {
		f.mcids = s.mcids
	}
	c.run(f, b)
	if key != s.key {
		if _, done := c.mcids[key]; !done && len(f.mcids) > 0 {
			c.mcids[key] = f.mcids
			if sp, ok := c.integer(sd.Dict["StructParents"]); ok {
				c.formStruct[num] = &sp
			} else {
				c.formStruct[num] = nil
			}
			c.formPage(num, s.page)
		}
	}
}

// formPage remembers the first page a Form XObject with MCIDs is drawn on,
// for problem reports.
func (c *checker) formPage(num, page int) {
	if c.formPages == nil {
		c.formPages = map[int]int{}
	}
	if _, ok := c.formPages[num]; !ok {
		c.formPages[num] = page
	}
}

func (c *checker) pageOfKey(k streamKey) int {
	if k.form != 0 {
		return c.formPages[k.form]
	}
	return k.page
}

func (c *checker) useFont(page int, f font) {
	if f.name == "" {
		return // text with no Tf before it: nothing to check
	}
	var id string
	if n := objNum(f.obj); n > 0 {
		id = fmt.Sprintf("obj %d", n)
	} else {
		id = fmt.Sprintf("page %d /%s", page, f.name)
	}
	if _, ok := c.fontsUsed[id]; ok {
		return
	}
	c.fontsUsed[id] = fontUse{page: page, dict: c.dict(f.obj), name: f.name}
	c.fontOrder = append(c.fontOrder, id)
}

// standardEncodings are the simple-font encodings whose glyphs map to
// Unicode without a ToUnicode CMap.
var standardEncodings = map[string]bool{
	"WinAnsiEncoding": true, "MacRomanEncoding": true, "MacExpertEncoding": true, "StandardEncoding": true,
}

// checkFonts checks every font that showed text is embedded and maps to
// Unicode.
func (c *checker) checkFonts() {
	for _, id := range c.fontOrder {
		u := c.fontsUsed[id]
		if u.dict == nil {
			c.add(u.page, RuleFontNotEmbedded, fmt.Sprintf("text is shown in font /%s, which is not in the page's resources", u.name))
			continue
		}
		d := u.dict
		base := c.nameOf(d["BaseFont"])
		if base == "" {
			base = u.name
		}
		sub := c.nameOf(d["Subtype"])
		hasToUnicode := d["ToUnicode"] != nil && c.deref(d["ToUnicode"]) != nil
		switch sub {
		case "Type3":
			// Glyphs are drawn by the file's own procedures.
			if !hasToUnicode && d["Encoding"] == nil {
				c.add(u.page, RuleFontNoUnicode, fmt.Sprintf("Type 3 font %s has neither ToUnicode nor Encoding", base))
			}
			continue
		case "Type0":
			desc := c.array(d["DescendantFonts"])
			var fd types.Dict
			if len(desc) > 0 {
				if dd := c.dict(desc[0]); dd != nil {
					fd = c.dict(dd["FontDescriptor"])
				}
			}
			if !c.embedded(fd) {
				c.add(u.page, RuleFontNotEmbedded, fmt.Sprintf("font %s is not embedded", base))
			}
			enc := c.nameOf(d["Encoding"])
			if !hasToUnicode && (enc == "" || strings.HasPrefix(enc, "Identity")) {
				c.add(u.page, RuleFontNoUnicode, fmt.Sprintf("font %s has no ToUnicode map (encoding %s)", base, orNone(enc)))
			}
		default:
			if !c.embedded(c.dict(d["FontDescriptor"])) {
				c.add(u.page, RuleFontNotEmbedded, fmt.Sprintf("font %s is not embedded", base))
			}
			if !hasToUnicode && !c.standardEncoding(d["Encoding"]) {
				c.add(u.page, RuleFontNoUnicode, fmt.Sprintf("font %s has neither ToUnicode nor a standard encoding", base))
			}
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (c *checker) embedded(fd types.Dict) bool {
	if fd == nil {
		return false
	}
	for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
		if fd[k] != nil && c.deref(fd[k]) != nil {
			return true
		}
	}
	return false
}

func (c *checker) standardEncoding(o types.Object) bool {
	switch v := c.deref(o).(type) {
	case types.Name:
		return standardEncodings[string(v)]
	case types.Dict:
		return standardEncodings[c.nameOf(v["BaseEncoding"])]
	}
	return false
}

// sortedInts returns m's keys in order.
func sortedInts[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}
