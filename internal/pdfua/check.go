package pdfua

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Limits: a hostile file must not hang the checker or exhaust memory. A
// file that reaches one is reported (RuleUnreadable), not passed.
const (
	maxFileSize      = 512 << 20 // bytes read at all
	maxReadTime      = 2 * time.Minute
	maxPages         = 100_000
	maxPageTreeDepth = 64
	maxStreamBytes   = 256 << 20 // one decoded content stream
	maxContentBytes  = 1 << 30   // all decoded content streams together
	maxOperators     = 20_000_000
	maxFormDepth     = 16 // Form XObjects drawn inside Form XObjects
	maxFormDraws     = 100_000
	maxMarkedDepth   = 256 // nested marked-content sequences
	maxGStateDepth   = 256 // nested q
	maxElements      = 1_000_000
	maxTreeDepth     = 256
	maxRoleMapChain  = 16
	maxNumberTree    = 1_000_000 // ParentTree entries
	maxProblems      = 10_000
)

var disableConfigDir sync.Once

func pdfcpuConf() *model.Configuration {
	disableConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

// streamKey names one content stream's MCID space: a page's content, or a
// Form XObject's own (form is its object number, 0 for the page).
type streamKey struct {
	page int
	form int
}

// page is one page of the document, in order.
type page struct {
	num  int // 1-based
	obj  int // object number, 0 if the page dict is direct
	dict types.Dict
	res  types.Dict // resources in effect, inherited
}

// checker holds what one Check run has read and found.
type checker struct {
	x        *model.XRefTable
	report   *Report
	pages    []page
	pageOf   map[int]int // page object number → page number
	roleMap  map[string]string
	problems int

	// From content streams.
	mcids      map[streamKey]map[int]int // MCIDs marked in each stream, with how often
	formStruct map[int]*int              // Form XObject → its /StructParents, nil if none
	formPages  map[int]int               // Form XObject → first page it is drawn on
	fontsUsed  map[string]fontUse        // fonts that showed text, by identity
	fontOrder  []string
	operators  int
	content    int64
	formDraws  int
	untagged   map[int]int // page → text operators outside tagged content or artifacts
	untaggedIm map[int]int // page → images drawn outside tagged content or artifacts
	untaggedGr map[int]int // page → paths painted outside tagged content or artifacts
	stopped    bool        // a content limit was reached

	// From the structure tree.
	reached  map[streamKey]map[int][]int // MCID → elements whose K hold it
	objrs    map[int][]int               // annotation object number → elements
	elements int
	seen     map[int]bool
	headings []heading
	nextID   int // ids for direct element dicts, negative
}

type fontUse struct {
	page int
	dict types.Dict
	name string // resource name, when the font has no object number
}

type heading struct {
	level int // 1..6
	page  int
}

// check is Check's body.
func check(r io.ReadSeeker) (*Report, error) {
	c, err := run(r)
	if err != nil {
		return nil, err
	}
	return c.report, nil
}

// run reads the file with pdfcpu, then runs every check. A panic in
// pdfcpu on a damaged file becomes an error.
func run(r io.ReadSeeker) (c *checker, err error) {
	defer func() {
		if p := recover(); p != nil {
			c, err = nil, fmt.Errorf("cannot read this PDF: %v", p)
		}
	}()
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if size > maxFileSize {
		return nil, fmt.Errorf("the file is %d MB, more than the %d MB the checker reads", size>>20, maxFileSize>>20)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), maxReadTime)
	defer cancel()
	pctx, err := pdfcpu.ReadWithContext(ctx, r, pdfcpuConf())
	if err != nil {
		return nil, fmt.Errorf("cannot read this PDF: %w", err)
	}
	c = &checker{
		x:          pctx.XRefTable,
		report:     &Report{},
		pageOf:     map[int]int{},
		mcids:      map[streamKey]map[int]int{},
		formStruct: map[int]*int{},
		fontsUsed:  map[string]fontUse{},
		untagged:   map[int]int{},
		untaggedIm: map[int]int{},
		untaggedGr: map[int]int{},
		reached:    map[streamKey]map[int][]int{},
		objrs:      map[int][]int{},
		seen:       map[int]bool{},
	}
	cat, err := c.x.Catalog()
	if err != nil {
		return nil, fmt.Errorf("cannot read this PDF's catalog: %w", err)
	}
	if err := c.readPages(cat); err != nil {
		return nil, err
	}
	root := c.dict(cat["StructTreeRoot"])
	marked := false
	if mi := c.dict(cat["MarkInfo"]); mi != nil {
		marked = c.boolean(mi["Marked"])
	}
	c.report.Tagged = marked && root != nil
	if !marked {
		c.add(0, RuleNotMarked, "the catalog's MarkInfo does not say Marked true: the file does not claim to be tagged")
	}
	if root == nil {
		c.add(0, RuleNoStructTree, "no structure tree (StructTreeRoot): a screen reader has no headings, tables or reading order")
	}
	c.checkCatalog(cat)
	for _, p := range c.pages {
		if c.stopped {
			break
		}
		c.scanPage(p)
	}
	for _, p := range c.pages {
		if n := c.untagged[p.num]; n > 0 {
			c.add(p.num, RuleUntaggedText, fmt.Sprintf("%d text-showing %s outside marked content with an MCID or an Artifact",
				n, plural(n, "operator", "operators")))
		}
		if n := c.untaggedIm[p.num]; n > 0 {
			c.add(p.num, RuleUntaggedImage, fmt.Sprintf("%d %s drawn outside marked content with an MCID or an Artifact",
				n, plural(n, "image", "images")))
		}
		if n := c.untaggedGr[p.num]; n > 0 {
			c.add(p.num, RuleUntaggedGraphics, fmt.Sprintf("%d %s painted outside marked content with an MCID or an Artifact (rules and borders are artifacts)",
				n, plural(n, "path", "paths")))
		}
	}
	c.checkFonts()
	c.checkAnnotations()
	if root != nil {
		c.readRoleMap(root)
		c.walkTree(root)
		c.checkMCIDs()
		c.checkParentTree(root)
		c.checkHeadings()
	}
	sort.SliceStable(c.report.Problems, func(i, j int) bool {
		return c.report.Problems[i].Page < c.report.Problems[j].Page
	})
	return c, nil
}

func (c *checker) add(page int, rule, detail string) {
	c.problems++
	if c.problems > maxProblems {
		if c.problems == maxProblems+1 {
			c.report.Problems = append(c.report.Problems, Problem{Rule: RuleUnreadable,
				Detail: fmt.Sprintf("more than %d problems: the rest are not listed", maxProblems)})
		}
		return
	}
	c.report.Problems = append(c.report.Problems, Problem{Page: page, Rule: rule, Detail: detail})
}

// deref resolves o; a reference that cannot be resolved reads as null.
func (c *checker) deref(o types.Object) types.Object {
	v, err := c.x.Dereference(o)
	if err != nil {
		return nil
	}
	return v
}

func (c *checker) dict(o types.Object) types.Dict {
	switch v := c.deref(o).(type) {
	case types.Dict:
		return v
	case types.StreamDict:
		return v.Dict
	}
	return nil
}

func (c *checker) array(o types.Object) types.Array {
	a, _ := c.deref(o).(types.Array)
	return a
}

func (c *checker) boolean(o types.Object) bool {
	b, _ := c.deref(o).(types.Boolean)
	return bool(b)
}

func (c *checker) nameOf(o types.Object) string {
	n, _ := c.deref(o).(types.Name)
	return string(n)
}

func (c *checker) integer(o types.Object) (int, bool) {
	switch v := c.deref(o).(type) {
	case types.Integer:
		return int(v), true
	case types.Float:
		if float64(v) == float64(int(v)) {
			return int(v), true
		}
	}
	return 0, false
}

func (c *checker) text(o types.Object) string {
	s, err := c.x.DereferenceText(o)
	if err != nil {
		return ""
	}
	return s
}

func objNum(o types.Object) int {
	if r, ok := o.(types.IndirectRef); ok {
		return r.ObjectNumber.Value()
	}
	return 0
}

// stream decodes the stream o, within the limits.
func (c *checker) stream(o types.Object) (*types.StreamDict, []byte, error) {
	sd, _, err := c.x.DereferenceStreamDict(o)
	if err != nil || sd == nil {
		return nil, nil, err
	}
	if sd.Content == nil {
		if err := sd.DecodeWithLimit(maxStreamBytes); err != nil {
			return sd, nil, err
		}
	}
	return sd, sd.Content, nil
}

// readPages walks the page tree in order, carrying inherited Resources.
func (c *checker) readPages(cat types.Dict) error {
	seen := map[int]bool{}
	var walk func(o types.Object, res types.Dict, depth int) error
	walk = func(o types.Object, res types.Dict, depth int) error {
		if depth > maxPageTreeDepth {
			return errors.New("cannot read this PDF: its page tree is too deep")
		}
		if n := objNum(o); n > 0 {
			if seen[n] {
				return errors.New("cannot read this PDF: its page tree loops")
			}
			seen[n] = true
		}
		d := c.dict(o)
		if d == nil {
			return nil
		}
		if r := c.dict(d["Resources"]); r != nil {
			res = r
		}
		if c.nameOf(d["Type"]) == "Page" || d["Kids"] == nil {
			if len(c.pages) >= maxPages {
				return fmt.Errorf("cannot check this PDF: it has more than %d pages", maxPages)
			}
			p := page{num: len(c.pages) + 1, obj: objNum(o), dict: d, res: res}
			c.pages = append(c.pages, p)
			if p.obj > 0 {
				c.pageOf[p.obj] = p.num
			}
			return nil
		}
		for _, k := range c.array(d["Kids"]) {
			if err := walk(k, res, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if cat["Pages"] == nil {
		return errors.New("cannot read this PDF: it has no pages")
	}
	return walk(cat["Pages"], nil, 0)
}

// checkCatalog checks the document-wide entries: language, title shown,
// XMP metadata with the PDF/UA identifier and a title.
func (c *checker) checkCatalog(cat types.Dict) {
	if strings.TrimSpace(c.text(cat["Lang"])) == "" {
		c.add(0, RuleNoLang, "the catalog has no /Lang: a screen reader cannot tell which language to speak")
	}
	vp := c.dict(cat["ViewerPreferences"])
	if vp == nil || !c.boolean(vp["DisplayDocTitle"]) {
		c.add(0, RuleNoDisplayDocTitle, "ViewerPreferences does not set DisplayDocTitle true: viewers show the file name, not the title")
	}
	var xmp []byte
	if cat["Metadata"] != nil {
		if _, b, err := c.stream(cat["Metadata"]); err == nil {
			xmp = b
		}
	}
	if xmp == nil {
		c.add(0, RuleNoPDFUAID, "no XMP metadata stream in the catalog, so no pdfuaid:part")
		c.add(0, RuleNoTitle, "no XMP metadata stream in the catalog, so no dc:title")
		return
	}
	if part := pdfuaPart(xmp); part == "" {
		c.add(0, RuleNoPDFUAID, "the XMP metadata has no pdfuaid:part identifier")
	}
	if !hasXMPTitle(xmp) {
		c.add(0, RuleNoTitle, "the XMP metadata has no dc:title")
	}
}

var (
	pdfuaNS    = regexp.MustCompile(`xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']http://www\.aiim\.org/pdfua/ns/id/["']`)
	dcTitle    = regexp.MustCompile(`(?s)<dc:title>(.*?)</dc:title>`)
	rdfLi      = regexp.MustCompile(`<rdf:li[^>]*>\s*[^<\s]`)
	dcTitleAlt = regexp.MustCompile(`dc:title\s*=\s*["']([^"']+)["']`)
)

// pdfuaPart returns the value of pdfuaid:part in the XMP packet, under
// whatever prefix the namespace is bound to, or "".
func pdfuaPart(xmp []byte) string {
	for _, m := range pdfuaNS.FindAllSubmatch(xmp, -1) {
		p := regexp.QuoteMeta(string(m[1]))
		re := regexp.MustCompile(p + `:part\s*(?:>\s*(\d+)\s*<|=\s*["']\s*(\d+)\s*["'])`)
		if v := re.FindSubmatch(xmp); v != nil {
			return string(v[1]) + string(v[2])
		}
	}
	return ""
}

func hasXMPTitle(xmp []byte) bool {
	for _, m := range dcTitle.FindAllSubmatch(xmp, -1) {
		if rdfLi.Match(m[1]) {
			return true
		}
	}
	return dcTitleAlt.Match(xmp)
}

// checkAnnotations checks each page with annotations has /Tabs /S and each
// Link annotation has a /StructParent.
func (c *checker) checkAnnotations() {
	for _, p := range c.pages {
		annots := c.array(p.dict["Annots"])
		if len(annots) == 0 {
			continue
		}
		if c.nameOf(p.dict["Tabs"]) != "S" {
			c.add(p.num, RuleTabsNotS, "the page has annotations but its /Tabs is not /S (structure order)")
		}
		for _, a := range annots {
			d := c.dict(a)
			if d == nil || c.nameOf(d["Subtype"]) != "Link" {
				continue
			}
			if _, ok := c.integer(d["StructParent"]); !ok {
				c.add(p.num, RuleAnnotationNoStruct, "a Link annotation has no /StructParent: it is not in the structure tree")
			}
		}
	}
}
