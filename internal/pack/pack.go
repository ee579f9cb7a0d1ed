// Package pack builds a meeting's agenda packs as PDF: the public agenda
// pack, in which each exempt item is replaced by a notice, and the
// members' pack with everything. Each pack is a front sheet and the agenda
// (drawn by the PDF writer, with the page each item starts on), then the
// items' papers in order, with "Page N" stamped on every page and a
// bookmark for every item, its own bookmarks nested under it. The packs
// are tagged PDF: the papers' structure trees are merged into one, each
// under its agenda item (structure.go), and a paper that is not tagged is
// named in the pack's Warnings.
//
// The public pack is assembled from scratch out of public items and
// notices only: an exempt item's file is never read into it, so nothing of
// it — text, bookmarks, metadata, attachments, file name — can be found
// in the public file.
//
// pdfcpu is used here and nowhere else. It reads and merges; the pack is
// written by writePack, so that the same meeting file, papers and
// configuration give byte-identical packs (pdfcpu's own writer stamps the
// clock into the file's dates and ID and writes objects in map order).
package pack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"papers/internal/document"
	"papers/internal/meeting"
	"papers/internal/pdf"
)

// Options are what Build needs besides the meeting.
type Options struct {
	// Reports are the PDFs of the reports this program generates, by the
	// name agenda items give them (report: <name>).
	Reports map[string][]byte
	// Published is the day the packs are published: the front sheet shows
	// it and the statutory clock is checked against it. Required; Build
	// never reads the system clock.
	Published time.Time
	// Clock counts working days; nil means England and Wales bank holidays.
	Clock *meeting.Clock
	// Soffice is the LibreOffice program ("" for soffice on PATH) and
	// ConvertTimeout bounds its run (0 for DefaultConvertTimeout).
	Soffice        string
	ConvertTimeout time.Duration
	// Cache is the folder that keeps converted documents, so that a paper
	// that has not changed is not converted again ("" keeps none), and
	// CacheLimit bounds its size in bytes (0 for DefaultCacheLimit).
	Cache      string
	CacheLimit int64
	// Progress, if not nil, is told each stage as it starts.
	Progress func(stage string)
}

// Packs are a meeting's two packs.
type Packs struct {
	Public  *Pack
	Members *Pack
	Timing  Timing
}

// Pack is one built pack.
type Pack struct {
	Audience Audience
	Name     string // the file name: "<committee> agenda pack.pdf"
	PDF      []byte
	Pages    int
	Entries  []Entry // the agenda, as printed in this pack
	// Warnings are what keeps the pack from being fully accessible: the
	// parts that are not tagged PDF ("item 2 (Minutes) is not tagged: …").
	Warnings []string
}

// Entry is one agenda item as a pack lists it.
type Entry struct {
	Number int
	Title  string // as this pack shows it
	Page   int    // the pack page it starts on; 0 for an item without papers
	Pages  int    // pages it takes, notice included
	Exempt []int
}

// Filename is the name of a committee's pack for an audience.
func Filename(committee string, a Audience) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r < ' ', strings.ContainsRune(`/\:*?"<>|`, r):
			return '-'
		}
		return r
	}, strings.TrimSpace(committee))
	name = strings.Trim(name, ". ")
	if name == "" {
		name = "Committee"
	}
	if a == Members {
		return name + " members pack.pdf"
	}
	return name + " agenda pack.pdf"
}

var disableConfigDir sync.Once

// pdfcpuConf is pdfcpu's configuration for every step: relaxed validation
// (a pack takes PDFs made elsewhere, which viewers open but strict rules
// may reject; papers' own reports pass strict validation, see
// TestReportsAreStrictlyValid) and no configuration folder in the user's
// home.
func pdfcpuConf() *model.Configuration {
	disableConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	conf.CreateBookmarks = false
	conf.Cmd = model.MERGECREATE
	return conf
}

func (o Options) converter() converter {
	return converter{soffice: o.Soffice, timeout: o.ConvertTimeout, cache: convCache{dir: o.Cache, limit: o.CacheLimit}, progress: o.Progress}
}

// source is an item's papers as PDF.
type source struct {
	pdf   []byte
	pages int
	marks []mark
}

// loader gives an item's papers. The public pack asks it only for items
// that are not exempt.
type loader interface {
	load(it meeting.Item) (*source, error)
}

// Build builds both packs for m. Item files are read (and documents
// converted) once; the public pack is assembled only from public items.
func Build(ctx context.Context, m *meeting.Meeting, o Options) (*Packs, error) {
	if m == nil {
		return nil, errors.New("pack: no meeting")
	}
	if o.Published.IsZero() {
		return nil, errors.New("pack: no publication date")
	}
	clock := o.Clock
	if clock == nil {
		clock = meeting.NewClock()
	}
	published := meeting.Day(o.Published)
	t := Timing{
		Published: published,
		PublishBy: clock.PublishBy(m.Date),
		Clear:     clock.Clear(published, m.Date),
	}
	t.Late = t.Clear < meeting.ClearDays
	progress := func(s string) {
		if o.Progress != nil {
			o.Progress(s)
		}
	}

	progress("reading the items' papers")
	srcs, err := loadSources(ctx, m, o)
	if err != nil {
		return nil, err
	}
	out := &Packs{Timing: t}
	progress("assembling the public agenda pack and the members' pack")
	var wg sync.WaitGroup
	var errPub, errMem error
	wg.Go(func() { out.Public, errPub = build(ctx, m, Public, t, publicOnly{srcs}) })
	wg.Go(func() { out.Members, errMem = build(ctx, m, Members, t, srcs) })
	wg.Wait()
	if err := errors.Join(errPub, errMem); err != nil {
		return nil, err
	}
	return out, ctx.Err()
}

// sources are every item's papers, loaded up front.
type sources map[int]*source

func (s sources) load(it meeting.Item) (*source, error) {
	src, ok := s[it.Number]
	if !ok {
		return nil, fmt.Errorf("pack: item %d was not loaded", it.Number)
	}
	return src, nil
}

// publicOnly refuses to give an exempt item's papers: the public pack's
// guard against ever reading one.
type publicOnly struct{ l loader }

func (p publicOnly) load(it meeting.Item) (*source, error) {
	if it.IsExempt() {
		return nil, fmt.Errorf("pack: internal error: the public pack asked for exempt item %d", it.Number)
	}
	return p.l.load(it)
}

// loadSources reads every item's papers: generated reports from Options,
// PDFs as they are, documents converted by LibreOffice in one run. A
// problem with an item's file is reported with the item's number and its
// line in the meeting file, every problem at once.
func loadSources(ctx context.Context, m *meeting.Meeting, o Options) (sources, error) {
	raw := map[int][]byte{}
	var docs []string
	var docItems []meeting.Item
	var errs []error
	for _, it := range m.Items {
		switch {
		case it.Report != "":
			b, ok := o.Reports[it.Report]
			if !ok {
				errs = append(errs, itemError(m, it, fmt.Errorf("no report named %q was built", it.Report)))
				continue
			}
			raw[it.Number] = b
		case it.File != "":
			ext := strings.ToLower(filepath.Ext(it.File))
			if slices.Contains(meeting.PDFExts, ext) {
				b, err := readFile(it.File)
				if err != nil {
					errs = append(errs, itemError(m, it, err))
					continue
				}
				raw[it.Number] = b
			} else {
				docs = append(docs, it.File)
				docItems = append(docItems, it)
			}
		}
	}
	if len(docs) > 0 {
		pdfs, err := o.converter().convert(ctx, docs)
		failed := convertFailures(err)
		for _, f := range failed {
			errs = append(errs, itemError(m, docItems[f.index], f))
		}
		if err != nil && len(failed) == 0 {
			errs = append(errs, err)
		}
		for i, it := range docItems {
			if i < len(pdfs) && pdfs[i] != nil {
				raw[it.Number] = pdfs[i]
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := sources{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs = make([]error, len(m.Items))
	for i, it := range m.Items {
		b, ok := raw[it.Number]
		if !ok {
			continue
		}
		wg.Go(func() {
			name := "report " + it.Report
			if it.Report == "" {
				name = it.File
			}
			src, err := inspect(name, b)
			if err != nil {
				errs[i] = itemError(m, it, err)
				return
			}
			mu.Lock()
			out[it.Number] = src
			mu.Unlock()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, ctx.Err()
}

// readPDF reads and validates a PDF as pdfcpu's ReadAndValidate does, but
// leaves its structure elements out of the validation: pdfcpu walks a
// tagged report's tens of thousands of them, from the tree and again from
// its ParentTree, for most of a pack's build. The tree is papers' own (the
// report, the front sheet) or LibreOffice's; internal/pdfua checks it in
// the tests, writeStructure rebuilds it for the pack, and an unreadable one
// only makes its part untagged. Pages, contents and resources are still
// validated.
func readPDF(b []byte, conf *model.Configuration) (*model.Context, error) {
	ctx, err := api.ReadContext(bytes.NewReader(b), conf)
	if err != nil {
		return nil, fmt.Errorf("read context: %w", err)
	}
	// The tree's elements are reached from its K and its ParentTree: both
	// are set aside while the rest is validated.
	setAside := types.Dict{}
	root, _ := ctx.DereferenceDict(ctx.RootDict["StructTreeRoot"])
	for _, key := range []string{"K", "ParentTree"} {
		if o, ok := root[key]; ok {
			setAside[key] = o
			delete(root, key)
		}
	}
	err = api.ValidateContext(ctx)
	for key, o := range setAside {
		root[key] = o
	}
	if err != nil {
		return nil, fmt.Errorf("validation: %w", err)
	}
	// Objects in object streams are decoded when first dereferenced, and
	// merging renumbers only decoded objects' references: decode the ones
	// validation did not reach (the structure elements), once each.
	for nr, e := range ctx.Table {
		if _, lazy := e.Object.(types.LazyObjectStreamObject); lazy {
			if _, err := ctx.Dereference(types.IndirectRef{ObjectNumber: types.Integer(nr)}); err != nil {
				return nil, fmt.Errorf("read object %d: %w", nr, err)
			}
		}
	}
	return ctx, nil
}

// inspect reads a PDF's page count and outline. A PDF encrypted with only
// an owner password is decrypted: it needs no password to read.
func inspect(name string, b []byte) (*source, error) {
	pctx, err := readPDF(b, pdfcpuConf())
	if errors.Is(err, pdfcpu.ErrEncrypted) {
		if b, err = decrypt(b); errors.Is(err, ErrNeedsPassword) {
			return nil, needsPassword(name)
		}
		if err == nil {
			pctx, err = readPDF(b, pdfcpuConf())
		}
	}
	if err != nil {
		return nil, damagedPDF(name, err)
	}
	if pctx.PageCount < 1 {
		return nil, fmt.Errorf("%s has no pages", name)
	}
	marks, err := readOutline(pctx)
	if err != nil {
		marks = nil // an unreadable outline only loses bookmarks
	}
	return &source{pdf: b, pages: pctx.PageCount, marks: marks}, nil
}

// part is a run of pages in a pack.
type part struct {
	pdf    []byte
	pages  int
	marks  []mark // bookmarks within the part, pages counted from 1
	notice bool   // the pack's notice in place of, or before, exempt papers
}

// build assembles one pack.
func build(ctx context.Context, m *meeting.Meeting, a Audience, t Timing, l loader) (*Pack, error) {
	// 1. Each item's pages: its papers, a notice in their place (public),
	// or a notice before them (members).
	type placed struct {
		entry entry
		parts []part
		title string // bookmark
		pages int
	}
	var items []placed
	for _, it := range m.Items {
		p := placed{entry: entry{item: it, title: it.Title}}
		if a == Public {
			p.entry.title = it.PublicHeading()
		} else {
			p.entry.title = it.MembersHeading()
		}
		p.title = fmt.Sprintf("Item %d: %s", it.Number, p.entry.title)
		if it.HasPapers() {
			if it.IsExempt() {
				b, err := render(noticeDoc(m, a, t, it))
				if err != nil {
					return nil, err
				}
				p.parts = append(p.parts, part{pdf: b, pages: 1, notice: true})
			}
			if !it.IsExempt() || a == Members {
				src, err := l.load(it)
				if err != nil {
					return nil, err
				}
				p.parts = append(p.parts, part{pdf: src.pdf, pages: src.pages, marks: src.marks})
			}
		}
		for _, pt := range p.parts {
			p.pages += pt.pages
		}
		items = append(items, p)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// 2. The front sheet and agenda, drawn until the page numbers they
	// print agree with their own length (a longer agenda moves every item).
	var front []byte
	var title string // the pack's
	frontPages, agendaPage := 2, 2
	for range 4 {
		entries := make([]entry, len(items))
		next := frontPages + 1
		for i, p := range items {
			entries[i] = p.entry
			if p.pages > 0 {
				entries[i].page = next
				next += p.pages
			}
		}
		doc := frontDoc(m, a, t, entries)
		b, err := render(doc)
		if err != nil {
			return nil, err
		}
		n, err := pageCount(b)
		if err != nil {
			return nil, fmt.Errorf("pack: the front sheet: %w", err)
		}
		front, title = b, doc.Title
		for i := range items {
			items[i].entry.page = entries[i].page
		}
		if n == frontPages {
			break
		}
		frontPages = n
	}
	// Where the agenda starts: after the front sheet's own pages.
	if fs, err := render(&document.Doc{Sections: frontDoc(m, a, t, nil).Sections[:1]}); err == nil {
		if n, err := pageCount(fs); err == nil {
			agendaPage = n + 1
		}
	}

	// 3. Merge, bookmark, stamp.
	pctx, err := readPDF(front, pdfcpuConf())
	if err != nil {
		return nil, fmt.Errorf("pack: the front sheet: %w", err)
	}
	pctx.EnsureVersionForWriting()
	if pctx.PageCount != frontPages {
		return nil, fmt.Errorf("pack: internal error: the front sheet has %d pages, not %d", pctx.PageCount, frontPages)
	}
	frontTree, lang := takeTags(pctx, pctx.RootDict)
	tparts := []tagPart{{name: "the front sheet and agenda", first: 1, pages: frontPages, tree: frontTree, lang: lang}}
	outline := []mark{{Title: "Front sheet", Page: 1}, {Title: "Agenda", Page: agendaPage}}
	pk := &Pack{Audience: a, Name: Filename(m.Committee, a)}
	var exemptPages map[int]bool
	for _, p := range items {
		e := Entry{Number: p.entry.item.Number, Title: p.entry.title, Page: p.entry.page, Pages: p.pages, Exempt: p.entry.item.Exempt}
		pk.Entries = append(pk.Entries, e)
		if p.pages == 0 {
			continue
		}
		item := mark{Title: p.title, Page: e.Page}
		at := e.Page
		for _, pt := range p.parts {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			src, err := readPDF(pt.pdf, pctx.Configuration)
			if err != nil {
				return nil, fmt.Errorf("pack: item %d: %w", e.Number, err)
			}
			if err := pdfcpu.MergeXRefTables(fmt.Sprintf("item %d", e.Number), src, pctx, false, false); err != nil {
				return nil, fmt.Errorf("pack: item %d: %w", e.Number, err)
			}
			tree, lang := takeTags(pctx, src.RootDict)
			tparts = append(tparts, tagPart{item: e.Number, title: p.title, name: fmt.Sprintf("item %d (%s)", e.Number, e.Title),
				first: at, pages: pt.pages, tree: tree, lang: lang, notice: pt.notice})
			item.Kids = append(item.Kids, shift(pt.marks, at-1)...)
			at += pt.pages
		}
		if a == Members && p.entry.item.IsExempt() {
			if exemptPages == nil {
				exemptPages = map[int]bool{}
			}
			for pg := e.Page + 1; pg < e.Page+e.Pages; pg++ {
				exemptPages[pg] = true
			}
		}
		outline = append(outline, item)
	}
	if want := frontPages + sumPages(pk.Entries); pctx.PageCount != want {
		return nil, fmt.Errorf("pack: internal error: merged %d pages, expected %d", pctx.PageCount, want)
	}
	if err := writeOutline(pctx, outline); err != nil {
		return nil, fmt.Errorf("pack: bookmarks: %w", err)
	}
	leaves, err := balancePageTree(pctx)
	if err != nil {
		return nil, err
	}
	tags, err := writeStructure(pctx, leaves, tparts, title, lang)
	if err != nil {
		return nil, err
	}
	pk.Warnings = tags.untagged
	if err := stampPages(pctx, leaves, exemptPages); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writePack(&buf, pctx); err != nil {
		return nil, fmt.Errorf("pack: writing the %s: %w", a, err)
	}
	// Check what was written (pdfcpu's optimising pass is not needed: it
	// clones every page's inherited resources, and its result would be
	// thrown away).
	check := pdfcpuConf()
	check.Optimize = false
	check.Cmd = model.VALIDATE
	if _, err := readPDF(buf.Bytes(), check); err != nil {
		return nil, fmt.Errorf("pack: the %s does not validate: %w", a, err)
	}
	pk.PDF, pk.Pages = buf.Bytes(), pctx.PageCount
	return pk, nil
}

func sumPages(es []Entry) int {
	n := 0
	for _, e := range es {
		n += e.Pages
	}
	return n
}

// pageFanout is the most kids a node of the balanced page tree has.
const pageFanout = 32

// inheritable are the page attributes a page takes from its ancestors.
var inheritable = []string{"Resources", "MediaBox", "CropBox", "Rotate"}

// balancePageTree rebuilds the page tree with at most pageFanout kids per
// node, each page keeping the attributes it inherited (so that the stamps
// can be placed), and returns the pages in order. Merging leaves one flat
// list of pages; pdfcpu, like a reader, finds a page by walking the tree
// from its root, so with a flat 10,000-page list every page it looked up
// cost time in proportion to the pack (stamping a 20,000-action report's
// packs with pdfcpu took 70 s; 22 s with the tree balanced).
func balancePageTree(pctx *model.Context) ([]types.IndirectRef, error) {
	rootRef, err := pctx.Pages()
	if err != nil {
		return nil, fmt.Errorf("pack: page tree: %w", err)
	}
	root, err := pctx.DereferenceDict(*rootRef)
	if err != nil || root == nil {
		return nil, fmt.Errorf("pack: page tree: %v", err)
	}
	var leaves []types.IndirectRef
	var walk func(ref types.IndirectRef, inherited types.Dict, depth int) error
	walk = func(ref types.IndirectRef, inherited types.Dict, depth int) error {
		if depth > 64 {
			return errors.New("pack: page tree: too deep")
		}
		d, err := pctx.DereferenceDict(ref)
		if err != nil || d == nil {
			return fmt.Errorf("pack: page tree: object %d: %v", ref.ObjectNumber, err)
		}
		if t := d.Type(); t != nil && *t == "Pages" {
			own := types.Dict{}
			for k, v := range inherited {
				own[k] = v
			}
			for _, k := range inheritable {
				if v, ok := d.Find(k); ok {
					own[k] = v
				}
			}
			for _, kid := range d.ArrayEntry("Kids") {
				kr, ok := kid.(types.IndirectRef)
				if !ok {
					return fmt.Errorf("pack: page tree: object %d has a kid that is not a reference", ref.ObjectNumber)
				}
				if err := walk(kr, own, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		for k, v := range inherited {
			if _, ok := d.Find(k); !ok {
				d.Insert(k, v)
			}
		}
		leaves = append(leaves, ref)
		return nil
	}
	if err := walk(*rootRef, types.Dict{}, 0); err != nil {
		return nil, err
	}
	if len(leaves) != pctx.PageCount {
		return nil, fmt.Errorf("pack: internal error: the page tree has %d pages, not %d", len(leaves), pctx.PageCount)
	}
	type node struct {
		ref   types.IndirectRef
		count int
	}
	level := make([]node, len(leaves))
	for i, ref := range leaves {
		level[i] = node{ref, 1}
	}
	setParent := func(kids []node, parent types.IndirectRef) (types.Array, int, error) {
		arr, count := make(types.Array, len(kids)), 0
		for i, k := range kids {
			d, err := pctx.DereferenceDict(k.ref)
			if err != nil {
				return nil, 0, err
			}
			d.Update("Parent", parent)
			arr[i] = k.ref
			count += k.count
		}
		return arr, count, nil
	}
	for len(level) > pageFanout {
		var up []node
		for i := 0; i < len(level); i += pageFanout {
			kids := level[i:min(i+pageFanout, len(level))]
			d := types.Dict{"Type": types.Name("Pages")}
			ref, err := pctx.IndRefForNewObject(d)
			if err != nil {
				return nil, fmt.Errorf("pack: page tree: %w", err)
			}
			arr, count, err := setParent(kids, *ref)
			if err != nil {
				return nil, fmt.Errorf("pack: page tree: %w", err)
			}
			d.Update("Parent", *rootRef) // replaced when it gets a parent of its own
			d.Update("Kids", arr)
			d.Update("Count", types.Integer(count))
			up = append(up, node{*ref, count})
		}
		level = up
	}
	arr, count, err := setParent(level, *rootRef)
	if err != nil {
		return nil, fmt.Errorf("pack: page tree: %w", err)
	}
	root.Update("Kids", arr)
	root.Update("Count", types.Integer(count))
	return leaves, nil
}

// render draws one of the pack's own pages with the PDF writer.
func render(d *document.Doc) ([]byte, error) {
	var b bytes.Buffer
	if err := pdf.Write(&b, d); err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	return b.Bytes(), nil
}

func pageCount(b []byte) (int, error) {
	return api.PageCount(bytes.NewReader(b), pdfcpuConf())
}
