package pack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"papers/internal/meeting"
	"papers/internal/pdfua"
)

// tree is a pack's structure tree as a test reads it back.
type tree struct {
	ctx      *model.Context
	catalog  types.Dict
	root     types.Dict
	sects    []string            // the item elements' /T, in order
	texts    []string            // every string and name reachable from the tree's root (RoleMap, ClassMap, ParentTree, IDTree included)
	objects  map[int]bool        // every object reachable from the tree's root
	mcids    map[[2]int]int      // (page object, MCID) → the element holding it
	reached  map[[2]int]int      // (page object, MCID) → how many times the tree reaches it
	parents  map[int]types.Array // ParentTree: key → its array (pages' entries)
	pageKeys map[int]int         // page object → its /StructParents
	pages    []int               // page objects in order
}

// readTree reads b's structure tree, failing the test if it has none.
func readTree(t *testing.T, b []byte) *tree {
	t.Helper()
	conf := pdfcpuConf()
	conf.Optimize = false
	ctx, err := api.ReadAndValidate(bytes.NewReader(b), conf)
	if err != nil {
		t.Fatal(err)
	}
	tr := &tree{ctx: ctx, catalog: ctx.RootDict, objects: map[int]bool{}, mcids: map[[2]int]int{}, reached: map[[2]int]int{},
		parents: map[int]types.Array{}, pageKeys: map[int]int{}}
	tr.root, err = ctx.DereferenceDict(ctx.RootDict["StructTreeRoot"])
	if err != nil || tr.root == nil {
		t.Fatalf("no structure tree: %v", err)
	}
	for pg := 1; pg <= ctx.PageCount; pg++ {
		_, ref, _, err := ctx.PageDict(pg, false)
		if err != nil {
			t.Fatal(err)
		}
		d, _ := ctx.DereferenceDict(*ref)
		n := ref.ObjectNumber.Value()
		tr.pages = append(tr.pages, n)
		if k := d.IntEntry("StructParents"); k != nil {
			tr.pageKeys[n] = *k
		}
	}
	// Everything reachable from the root, as text.
	var all func(o types.Object, depth int)
	all = func(o types.Object, depth int) {
		if depth > 400 {
			t.Fatal("the structure tree is too deep")
		}
		if r, ok := o.(types.IndirectRef); ok {
			if tr.objects[r.ObjectNumber.Value()] {
				return
			}
			tr.objects[r.ObjectNumber.Value()] = true
			d, err := ctx.DereferenceDict(r)
			if err == nil && d != nil && (d.Type() != nil && (*d.Type() == "Page" || *d.Type() == "Pages" || *d.Type() == "Annot") || d.Subtype() != nil && *d.Subtype() == "Link") {
				return // a page, or an annotation, is the page tree's (the text checks see those)
			}
			o, _ = ctx.Dereference(r)
		}
		switch v := o.(type) {
		case types.Dict:
			for k, x := range v {
				tr.texts = append(tr.texts, k)
				all(x, depth+1)
			}
		case types.Array:
			for _, x := range v {
				all(x, depth+1)
			}
		case types.StringLiteral, types.HexLiteral:
			if s, err := model.Text(v); err == nil {
				tr.texts = append(tr.texts, s)
			}
		case types.Name:
			tr.texts = append(tr.texts, v.Value())
		}
	}
	all(ctx.RootDict["StructTreeRoot"], 0)

	// The elements: which MCIDs each holds, and the items' Sects.
	var walk func(o types.Object, page int, depth int)
	walk = func(o types.Object, page int, depth int) {
		ref, isRef := o.(types.IndirectRef)
		d, err := ctx.DereferenceDict(o)
		if err != nil || d == nil {
			return
		}
		if pg := d.IndirectRefEntry("Pg"); pg != nil {
			page = pg.ObjectNumber.Value()
		}
		if d.Type() != nil && *d.Type() == "MCR" {
			return
		}
		if s := d.NameEntry("S"); s != nil && *s == "Sect" && depth == 1 {
			title, _ := model.Text(d["T"])
			tr.sects = append(tr.sects, title)
		}
		for _, k := range asArray(d["K"]) {
			switch v := k.(type) {
			case types.Integer:
				key := [2]int{page, int(v)}
				if isRef {
					tr.mcids[key] = ref.ObjectNumber.Value()
				}
				tr.reached[key]++
			default:
				kd, _ := ctx.DereferenceDict(k)
				if kd != nil && kd.Type() != nil && *kd.Type() == "MCR" {
					p := page
					if pg := kd.IndirectRefEntry("Pg"); pg != nil {
						p = pg.ObjectNumber.Value()
					}
					key := [2]int{p, *kd.IntEntry("MCID")}
					if isRef {
						tr.mcids[key] = ref.ObjectNumber.Value()
					}
					tr.reached[key]++
					continue
				}
				if kd != nil && kd.Type() != nil && *kd.Type() == "OBJR" {
					continue
				}
				walk(k, page, depth+1)
			}
		}
	}
	walk(tr.root["K"], 0, 0)
	pt, _ := ctx.DereferenceDict(tr.root["ParentTree"])
	var nums func(d types.Dict)
	nums = func(d types.Dict) {
		arr, _ := ctx.DereferenceArray(d["Nums"])
		for i := 0; i+1 < len(arr); i += 2 {
			k := int(arr[i].(types.Integer))
			if a, err := ctx.DereferenceArray(arr[i+1]); err == nil && a != nil {
				tr.parents[k] = a
			}
		}
		kids, _ := ctx.DereferenceArray(d["Kids"])
		for _, kid := range kids {
			if kd, _ := ctx.DereferenceDict(kid); kd != nil {
				nums(kd)
			}
		}
	}
	if pt != nil {
		nums(pt)
	}
	return tr
}

var mcidRE = regexp.MustCompile(`/MCID\s+(\d+)`)

// checkTree checks what makes the tree usable: every page's marked
// content is reached from the tree exactly once, and the ParentTree maps
// each MCID back to the element that holds it.
func checkTree(t *testing.T, name string, tr *tree) {
	t.Helper()
	keys := map[int]bool{}
	for i, pg := range tr.pages {
		key, ok := tr.pageKeys[pg]
		if !ok {
			t.Errorf("%s page %d: no /StructParents", name, i+1)
			continue
		}
		if keys[key] {
			t.Errorf("%s page %d: /StructParents %d is another page's too", name, i+1, key)
		}
		keys[key] = true
		content, err := pageContent(tr.ctx, i+1)
		if err != nil {
			t.Fatal(err)
		}
		used := mcidRE.FindAllSubmatch(content, -1)
		if len(used) == 0 {
			t.Errorf("%s page %d: no marked content", name, i+1)
		}
		arr := tr.parents[key]
		for _, m := range used {
			mcid, _ := strconv.Atoi(string(m[1]))
			k := [2]int{pg, mcid}
			if n := tr.reached[k]; n != 1 {
				t.Errorf("%s page %d: MCID %d is reached %d times from the tree", name, i+1, mcid, n)
				continue
			}
			if mcid >= len(arr) {
				t.Errorf("%s page %d: MCID %d is not in the ParentTree's entry %d (%d long)", name, i+1, mcid, key, len(arr))
				continue
			}
			if r, ok := arr[mcid].(types.IndirectRef); !ok || r.ObjectNumber.Value() != tr.mcids[k] {
				t.Errorf("%s page %d: the ParentTree maps MCID %d to %v, but element %d holds it", name, i+1, mcid, arr[mcid], tr.mcids[k])
			}
		}
	}
	if next := tr.root.IntEntry("ParentTreeNextKey"); next == nil || len(keys) > 0 && *next <= maxKey(keys) {
		t.Errorf("%s: ParentTreeNextKey %v", name, next)
	}
	if mi := tr.catalog.DictEntry("MarkInfo"); mi == nil || mi.BooleanEntry("Marked") == nil || !*mi.BooleanEntry("Marked") {
		t.Errorf("%s: MarkInfo is %v", name, tr.catalog["MarkInfo"])
	}
	if lang, _ := model.Text(tr.catalog["Lang"]); lang != "en-GB" {
		t.Errorf("%s: Lang %q", name, lang)
	}
	if vp, _ := tr.ctx.DereferenceDict(tr.catalog["ViewerPreferences"]); vp == nil || vp.BooleanEntry("DisplayDocTitle") == nil || !*vp.BooleanEntry("DisplayDocTitle") {
		t.Errorf("%s: no DisplayDocTitle", name)
	}
}

func maxKey(m map[int]bool) int {
	n := -1
	for k := range m {
		n = max(n, k)
	}
	return n
}

// pageContent is page pg's content streams, decoded and joined.
func pageContent(ctx *model.Context, pg int) ([]byte, error) {
	d, _, _, err := ctx.PageDict(pg, false)
	if err != nil {
		return nil, err
	}
	parts, err := contentParts(ctx, d)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, p := range parts {
		sd, _, err := ctx.DereferenceStreamDict(p)
		if err != nil || sd == nil {
			return nil, fmt.Errorf("page %d: content %v: %v", pg, p, err)
		}
		if err := sd.Decode(); err != nil {
			return nil, err
		}
		b.Write(sd.Content)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// pdfuaClaimed reports whether the file's XMP says PDF/UA.
func pdfuaClaimed(t *testing.T, b []byte) bool {
	return strings.Contains(pdfInfo(t, b), "pdfuaid:part>1<")
}

// structText is pdfinfo -struct-text's reading of b.
func structText(t *testing.T, b []byte) string {
	t.Helper()
	needTool(t, "pdfinfo")
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-struct-text", f).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo -struct-text: %v\n%s", err, out)
	}
	return string(out)
}

// samplePacks builds the sample meeting's packs (Word papers converted by
// LibreOffice) once per test binary.
var sample struct {
	packs *Packs
	err   error
}

func samplePacks(t *testing.T) *Packs {
	t.Helper()
	needTool(t, "soffice")
	if sample.packs == nil && sample.err == nil {
		m, err := meeting.Load(sampleMeeting)
		if err != nil {
			t.Fatal(err)
		}
		sample.packs, sample.err = Build(context.Background(), m, Options{
			Reports:   map[string][]byte{"action-plan-progress": pdfBytes(t, paper("Progress against the action plan", "MARK-REPORT", 3))},
			Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC),
		})
	}
	if sample.err != nil {
		t.Fatal(sample.err)
	}
	return sample.packs
}

// Both sample packs are tagged end to end: one structure tree whose
// Document holds the front sheet and agenda and then one Sect per item
// with papers, in agenda order, each paper's own elements under it; every
// page's marked content reached once and mapped back; PDF/UA claimed (every
// part is tagged) and no warnings.
func TestSamplePacksAreTagged(t *testing.T) {
	packs := samplePacks(t)
	for _, pk := range []*Pack{packs.Public, packs.Members} {
		t.Run(pk.Audience.String(), func(t *testing.T) {
			if info := pdfInfo(t, pk.PDF); !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).MatchString(info) {
				t.Errorf("pdfinfo does not say Tagged: yes:\n%s", info)
			}
			if !pdfuaClaimed(t, pk.PDF) {
				t.Error("every part is tagged, but the XMP does not claim PDF/UA")
			}
			if len(pk.Warnings) > 0 {
				t.Errorf("warnings: %q", pk.Warnings)
			}
			tr := readTree(t, pk.PDF)
			checkTree(t, pk.Name, tr)
			var want []string
			for _, e := range pk.Entries {
				if e.Pages > 0 {
					want = append(want, fmt.Sprintf("Item %d: %s", e.Number, e.Title))
				}
			}
			if strings.Join(tr.sects, "\n") != strings.Join(want, "\n") {
				t.Errorf("the items' elements are\n%s\nwant\n%s", strings.Join(tr.sects, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// pdfinfo -struct-text reads the public pack as one document: the front
// sheet, then each item's heading element followed by its own paper's
// text (headings and tables kept), in agenda order.
func TestPublicPackReadsInAgendaOrder(t *testing.T) {
	packs := samplePacks(t)
	st := structText(t, packs.Public.PDF)
	steps := []struct{ want, why string }{
		{"Document", "the root"},
		{"Children and Families Scrutiny Panel", "the front sheet"},
		{`Sect "Item 3: Minutes of the previous meeting (including matters arising)"`, "item 3"},
		{"H1", "the minutes' heading"},
		{"Minutes of the Children and Families Scrutiny Panel held on 22 October 2020", "the minutes' text"},
		{`Sect "Item 4: Progress against the action plan"`, "item 4"},
		{"MARK-REPORT is on the first page of this paper.", "the report's text"},
		{`Sect "Item 5: Children's services performance: quarter 2 2020/21"`, "item 5 (a Word paper)"},
		{"H1", "its heading, as LibreOffice tagged it"},
		{"Brief summary", "its text"},
		{"Table", "its table"},
		{"Assessments completed within 45 working days", "its table's text"},
		{`Sect "Item 7: Residential placements framework (paragraph 3)"`, "item 7's notice"},
		{"Not for publication by virtue of paragraph 3", "the notice's text"},
	}
	at := 0
	for _, s := range steps {
		i := strings.Index(st[at:], s.want)
		if i < 0 {
			t.Fatalf("after offset %d, no %q (%s) in the public pack's structure text:\n%s", at, s.want, s.why, st)
		}
		at += i + len(s.want)
	}
	// The stamps are artifacts: not in the text a screen reader reads.
	if regexp.MustCompile(`"Page \d+"`).MatchString(st) {
		t.Error("a page stamp is in the structure text")
	}
}

// untaggedFixture is testdata/untagged minutes.pdf: untaggedPDF's scan of
// minutes, kept as a file for the command's tests.
const untaggedFixture = "Minutes of the meeting held on 22 October 2020 (a scan)"

func TestUntaggedFixture(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "untagged minutes.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, untaggedPDF(untaggedFixture)) {
		t.Error("testdata/untagged minutes.pdf is not untaggedPDF's: write it again")
	}
}

// A paper that is not tagged is kept as it is (its page looks the same),
// each of its pages one P element under its item so that its text is still
// read in its place; the pack says which item it is and does not claim
// PDF/UA.
func TestUntaggedPartIsReported(t *testing.T) {
	m, opt := untaggedMeeting(t)
	packs, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"item 1 (Minutes) is not tagged: the pack cannot be fully accessible"}
	for _, pk := range []*Pack{packs.Public, packs.Members} {
		if !slices.Equal(pk.Warnings, want) {
			t.Errorf("%s: warnings %q, want %q", pk.Name, pk.Warnings, want)
		}
		if pdfuaClaimed(t, pk.PDF) {
			t.Errorf("%s: claims PDF/UA with an untagged part", pk.Name)
		}
		checkTree(t, pk.Name, readTree(t, pk.PDF))
	}
	st := structText(t, packs.Public.PDF)
	item1 := strings.Index(st, `Sect "Item 1: Minutes"`)
	text := strings.Index(st, "UNTAGGED-MINUTES-TEXT")
	item2 := strings.Index(st, `Sect "Item 2: Progress report"`)
	if item1 < 0 || text < item1 || item2 < text {
		t.Errorf("the minutes' text is not read under item 1:\n%s", st)
	}
	// Its page looks as it did: the same text in the same place.
	start := packs.Public.Entries[0].Page
	if got := pdfToText(t, packs.Public.PDF, start, start); !contains(got, "UNTAGGED-MINUTES-TEXT") {
		t.Errorf("the minutes' page reads %q", got)
	}
}

// Two papers that give one role or class name different meanings keep
// them: the second paper's name is renamed, in the merged RoleMap or
// ClassMap and on its elements. So is an element ID both use, with the
// table headers that name it.
func TestRoleAndClassClashes(t *testing.T) {
	withMaps := func(role, align string) []byte {
		t.Helper()
		b := pdfBytes(t, paper("Paper with a role map", "MARK", 1))
		conf := pdfcpuConf()
		ctx, err := api.ReadAndValidate(bytes.NewReader(b), conf)
		if err != nil {
			t.Fatal(err)
		}
		root, err := ctx.DereferenceDict(ctx.RootDict["StructTreeRoot"])
		if err != nil || root == nil {
			t.Fatalf("our writer's PDF has no structure tree: %v", err)
		}
		root["RoleMap"] = types.Dict{"Note": types.Name(role)}
		root["ClassMap"] = types.Dict{"c1": types.Dict{"O": types.Name("Layout"), "TextAlign": types.Name(align)}}
		doc, _ := ctx.DereferenceDict(root["K"])
		first, _ := ctx.DereferenceDict(asArray(doc["K"])[0])
		first["S"], first["C"] = types.Name("Note"), types.Name("c1")
		// An ID, named by the next element's /Headers.
		first["ID"] = types.StringLiteral("cell-1")
		root["IDTree"] = types.Dict{"Names": types.Array{types.StringLiteral("cell-1"), asArray(doc["K"])[0]}}
		second, _ := ctx.DereferenceDict(asArray(doc["K"])[1])
		second["A"] = types.Dict{"O": types.Name("Table"), "Headers": types.Array{types.StringLiteral("cell-1")}}
		var out bytes.Buffer
		if err := api.WriteContext(ctx, &out); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.pdf"), withMaps("P", "Center"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.pdf"), withMaps("H1", "End"), 0o644)
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - {title: First, file: a.pdf}
  - {title: Second, file: b.pdf}
`
	path := filepath.Join(dir, "m.yaml")
	os.WriteFile(path, []byte(yml), 0o644)
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	packs, err := Build(context.Background(), m, Options{Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC), Soffice: "/nonexistent/soffice"})
	if err != nil {
		t.Fatal(err)
	}
	tr := readTree(t, packs.Public.PDF)
	checkTree(t, "pack", tr)
	roles, _ := tr.ctx.DereferenceDict(tr.root["RoleMap"])
	classes, _ := tr.ctx.DereferenceDict(tr.root["ClassMap"])
	if roles.NameEntry("Note") == nil || *roles.NameEntry("Note") != "P" || roles.NameEntry("Note_item2") == nil || *roles.NameEntry("Note_item2") != "H1" {
		t.Errorf("RoleMap %v", roles)
	}
	if c := classes.DictEntry("c1_item2"); c == nil || c.NameEntry("TextAlign") == nil || *c.NameEntry("TextAlign") != "End" {
		t.Errorf("ClassMap %v", classes)
	}
	// Each item's first element has its own paper's names.
	doc, _ := tr.ctx.DereferenceDict(tr.root["K"])
	var got []string
	for _, k := range asArray(doc["K"]) {
		d, _ := tr.ctx.DereferenceDict(k)
		if d.NameEntry("S") == nil || *d.NameEntry("S") != "Sect" {
			continue
		}
		first, _ := tr.ctx.DereferenceDict(asArray(d["K"])[0])
		second, _ := tr.ctx.DereferenceDict(asArray(d["K"])[1])
		id, _ := model.Text(first["ID"])
		header, _ := model.Text(second.DictEntry("A").ArrayEntry("Headers")[0])
		got = append(got, fmt.Sprintf("%s %s %s %s", *first.NameEntry("S"), *first.NameEntry("C"), id, header))
	}
	if strings.Join(got, ", ") != "Note c1 cell-1 cell-1, Note_item2 c1_item2 cell-1-item2 cell-1-item2" {
		t.Errorf("the items' first elements (type, class, ID, the next one's Headers) are %q", got)
	}
	ids, _ := tr.ctx.DereferenceDict(tr.root["IDTree"])
	if names := ids.ArrayEntry("Names"); len(names) != 4 {
		t.Errorf("IDTree %v", ids)
	} else if n, _ := model.Text(names[2]); n != "cell-1-item2" {
		t.Errorf("IDTree %v", ids)
	}
}

// A paper in another language than the pack's keeps it: its elements say
// so, the others do not.
func TestPartLanguageIsKept(t *testing.T) {
	dir := t.TempDir()
	welsh := paper("Adroddiad ar gynnydd", "MARK-CY", 1)
	welsh.Language = "cy"
	writePDF(t, filepath.Join(dir, "cy.pdf"), welsh)
	writePDF(t, filepath.Join(dir, "en.pdf"), paper("Progress report", "MARK-EN", 1))
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - {title: Adroddiad, file: cy.pdf}
  - {title: Report, file: en.pdf}
`
	path := filepath.Join(dir, "m.yaml")
	os.WriteFile(path, []byte(yml), 0o644)
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	packs, err := Build(context.Background(), m, Options{Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC), Soffice: "/nonexistent/soffice"})
	if err != nil {
		t.Fatal(err)
	}
	tr := readTree(t, packs.Public.PDF)
	checkTree(t, "pack", tr)
	doc, _ := tr.ctx.DereferenceDict(tr.root["K"])
	var langs []string
	for _, k := range asArray(doc["K"]) {
		d, _ := tr.ctx.DereferenceDict(k)
		if d.NameEntry("S") == nil || *d.NameEntry("S") != "Sect" {
			continue
		}
		for _, e := range asArray(d["K"]) {
			ed, _ := tr.ctx.DereferenceDict(e)
			lang, _ := model.Text(ed["Lang"])
			langs = append(langs, lang)
		}
	}
	if len(langs) < 4 || !slices.Contains(langs, "cy") || slices.Contains(langs, "en-GB") {
		t.Fatalf("the items' elements' languages: %q", langs)
	}
	for i, l := range langs {
		if (l == "cy") != (i < slices.Index(langs, "")) {
			t.Errorf("the items' elements' languages: %q: cy on the Welsh paper's only", langs)
			break
		}
	}
}

// The accessibility checker (internal/pdfua) passes both sample packs on
// every rule but one: the sample Word papers' tables without a header cell
// (see knownTableProblems). A pack with an untagged paper fails it.
func TestPacksPassTheAccessibilityChecker(t *testing.T) {
	packs := samplePacks(t)
	for _, pk := range []*Pack{packs.Public, packs.Members} {
		r, err := pdfua.Check(bytes.NewReader(pk.PDF))
		if err != nil {
			t.Fatal(err)
		}
		if !r.Tagged {
			t.Errorf("%s: the checker says it is not tagged", pk.Name)
		}
		var got []string
		for _, p := range r.Problems {
			got = append(got, p.String())
		}
		if want := knownTableProblems[pk.Audience]; !slices.Equal(got, want) {
			t.Errorf("%s: problems\n%s\nwant\n%s", pk.Name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	m, opt := untaggedMeeting(t)
	untagged, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pdfua.Check(bytes.NewReader(untagged.Public.PDF))
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, p := range r.Problems {
		rules[p.Rule] = true
	}
	// Its scan's font is not embedded, and the pack does not claim PDF/UA.
	if !rules[pdfua.RuleNoPDFUAID] || !rules[pdfua.RuleFontNotEmbedded] {
		t.Errorf("a pack with an untagged paper: %v", r.Err())
	}
}

// knownTableProblems are the tables in the sample packs that have no
// header cell: the sample Word papers' key-value cover tables ("DECISION
// MAKER:" and its value). Word has no header column, and LibreOffice tags
// their cells as data cells. They are the papers' to fix (or the DOCX
// writer's that made them), not the pack's: it keeps what each part tagged.
var knownTableProblems = map[Audience][]string{
	Public: {
		"page 8: table-no-th: a Table has no TH (header) cell", // Children's services performance
	},
	Members: {
		"page 8: table-no-th: a Table has no TH (header) cell",  // Children's services performance
		"page 11: table-no-th: a Table has no TH (header) cell", // Residential placements framework
	},
}

// untaggedMeeting has a scan of minutes (untagged) and the report.
func untaggedMeeting(t *testing.T) (*meeting.Meeting, Options) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "minutes.pdf"), untaggedPDF("UNTAGGED-MINUTES-TEXT"), 0o644); err != nil {
		t.Fatal(err)
	}
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - {title: Minutes, file: minutes.pdf}
  - {title: Progress report, report: progress}
`
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, Options{
		Reports:   map[string][]byte{"progress": pdfBytes(t, paper("Progress report", "MARK-REPORT", 1))},
		Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC),
		Soffice:   "/nonexistent/soffice",
	}
}

// A paper whose structure tree cannot be merged (here its root holds no
// elements) does not stop the pack: it is left out of the tree, and the
// pack says so and does not claim PDF/UA.
func TestUnreadableTagsAreReported(t *testing.T) {
	b := pdfBytes(t, paper("Broken", "MARK-BROKEN", 1))
	ctx, err := api.ReadAndValidate(bytes.NewReader(b), pdfcpuConf())
	if err != nil {
		t.Fatal(err)
	}
	root, _ := ctx.DereferenceDict(ctx.RootDict["StructTreeRoot"])
	root["K"] = types.Integer(0)
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "broken.pdf"), out.Bytes(), 0o644)
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - {title: Broken, file: broken.pdf}
`
	path := filepath.Join(dir, "m.yaml")
	os.WriteFile(path, []byte(yml), 0o644)
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	packs, err := Build(context.Background(), m, Options{Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC), Soffice: "/nonexistent/soffice"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"item 1 (Broken): its tags cannot be read (its structure tree's root does not hold structure elements): the pack cannot be fully accessible"}
	if !slices.Equal(packs.Public.Warnings, want) {
		t.Errorf("warnings %q, want %q", packs.Public.Warnings, want)
	}
	if pdfuaClaimed(t, packs.Public.PDF) {
		t.Error("claims PDF/UA")
	}
	if got := pdfToText(t, packs.Public.PDF, 3, 3); !contains(got, "MARK-BROKEN") {
		t.Errorf("the paper's page reads %q", got)
	}
}

// Links keep their place in the tree: each paper's link annotation's
// /StructParent moves with its ParentTree, so the checker finds every
// annotation mapped back to its Link element in the pack.
func TestLinksKeepTheirElements(t *testing.T) {
	withLink := func(title string) []byte {
		t.Helper()
		ctx, err := api.ReadAndValidate(bytes.NewReader(pdfBytes(t, paper(title, "MARK", 1))), pdfcpuConf())
		if err != nil {
			t.Fatal(err)
		}
		root, _ := ctx.DereferenceDict(ctx.RootDict["StructTreeRoot"])
		key := *root.IntEntry("ParentTreeNextKey")
		_, pageRef, _, err := ctx.PageDict(1, false)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := ctx.DereferenceDict(*pageRef)
		annot, _ := ctx.IndRefForNewObject(types.Dict{"Type": types.Name("Annot"), "Subtype": types.Name("Link"),
			"Rect": types.NewNumberArray(72, 72, 144, 90), "Border": types.NewIntegerArray(0, 0, 0), "StructParent": types.Integer(key),
			"A": types.Dict{"S": types.Name("URI"), "URI": types.StringLiteral("https://example.org/" + title)}})
		page["Annots"] = types.Array{*annot}
		doc, _ := ctx.DereferenceDict(root["K"])
		link, _ := ctx.IndRefForNewObject(types.Dict{"Type": types.Name("StructElem"), "S": types.Name("Link"), "P": root["K"],
			"K": types.Dict{"Type": types.Name("OBJR"), "Obj": *annot, "Pg": *pageRef}})
		doc["K"] = append(asArray(doc["K"]), *link)
		pt, _ := ctx.DereferenceDict(root["ParentTree"])
		pt["Nums"] = append(pt.ArrayEntry("Nums"), types.Integer(key), *link)
		root["ParentTreeNextKey"] = types.Integer(key + 1)
		var out bytes.Buffer
		if err := api.WriteContext(ctx, &out); err != nil {
			t.Fatal(err)
		}
		if r, err := pdfua.Check(bytes.NewReader(out.Bytes())); err != nil || len(r.Problems) > 0 {
			t.Fatalf("the paper with a link: %v %v", err, r.Err())
		}
		return out.Bytes()
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.pdf"), withLink("first"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.pdf"), withLink("second"), 0o644)
	yml := `council: Test Council
committee: Test Panel
date: 2020-11-26
time: 10am
venue: Room 1
members: [{name: Councillor One, role: Chair}]
clerk: {name: Clerk, email: clerk@example.gov.uk}
items:
  - {title: First, file: a.pdf}
  - {title: Second, file: b.pdf}
`
	path := filepath.Join(dir, "m.yaml")
	os.WriteFile(path, []byte(yml), 0o644)
	m, err := meeting.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	packs, err := Build(context.Background(), m, Options{Published: time.Date(2020, 11, 18, 0, 0, 0, 0, time.UTC), Soffice: "/nonexistent/soffice"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := pdfua.Check(bytes.NewReader(packs.Public.PDF))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) > 0 {
		t.Errorf("the pack: %v", r.Err())
	}
	checkTree(t, "pack", readTree(t, packs.Public.PDF))
}
