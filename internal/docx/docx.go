// Package docx renders a document.Doc as a Word document (.docx,
// WordprocessingML) that opens in Word and LibreOffice.
//
// The package writes the WordprocessingML itself, with archive/zip and a
// small escaping XML writer, rather than through github.com/gomutex/godocx.
// Nearly everything the report needs is outside godocx's API — footers with
// PAGE/NUMPAGES fields, repeating header rows (w:tblHeader), vertical merges
// (its RowSpan writes a tracked change), section breaks with landscape page
// sizes, document properties, an A4 template of our own — so it would have
// been reached through GetCT() and its raw file map anyway; godocx also
// builds the whole document as a tree marshalled by reflection (slow and
// memory-hungry for 20,000-row tables), shades every cell white, and stamps
// zip entries with 1970, before the MS-DOS zip epoch. Writing the
// parts directly streams document.xml into the zip, so memory stays flat
// and the output is byte-identical for the same Doc.
//
// What is written:
//   - word/document.xml: headings use the built-in Heading1–3 styles (with
//     outline levels, so Word's navigation pane lists them); paragraphs with
//     a Label hang it in a 1 cm indent followed by a tab (each Indent level
//     adds 1 cm, and list items get less space after); KeyValue is a
//     two-column bordered table with bold keys; Table is a fixed-layout
//     "TableGrid" table with column widths in proportion to Column.Width
//     (a column too narrow for the longest word of its title takes width
//     from columns with room to spare, so Word need not break the word),
//     whose bold, grey header row repeats on every page (w:tblHeader),
//     whose short rows may not split across pages (w:cantSplit; rows
//     estimated taller than a quarter of the page may), with vertical merges
//     as w:vMerge restart/continue and group bands as full-width (gridSpan)
//     bold shaded rows kept with the next row; Chart is an inline PNG picture
//     drawn by package chart, its Caption the picture's description (alt
//     text) and its Title a caption paragraph above it. Each section ends
//     with a section break carrying its page size (A4 portrait 11906×16838
//     or landscape 16838×11906), 2 cm margins and footer references.
//   - word/styles.xml, word/settings.xml: built-in A4 parts: Normal is Arial
//     11 pt (LibreOffice substitutes the metric-compatible Liberation Sans),
//     Heading1–3, Caption, Small, TableText, BoxText, Header, Footer and
//     TableGrid.
//   - word/footer1.xml (portrait) and word/footer2.xml (landscape): the
//     Doc's Footer text at the left and "Page N of M" at a right tab on the
//     margin.
//   - docProps/core.xml (title, subject, creator, keywords, language,
//     created and modified = Doc.Date) and docProps/app.xml (Application
//     "papers").
//
// Every zip entry carries the same modification time (Doc.Date, or 1980),
// parts are written in a fixed order and nothing depends on map order, so
// the same Doc always gives the same bytes.
//
// A house template (Options) keeps its styles, settings, theme, headers
// (with their logos) and footers; its body is replaced. Styles the writer
// needs and the template lacks are added to its styles part. When the
// template's last section has footers they are used in every section;
// otherwise ours are added. Its page size and margins are used for the
// portrait sections and turned for landscape ones.
package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"

	"papers/internal/chart"
	"papers/internal/document"
)

// Options control rendering.
type Options struct {
	// Template is the path of a council house template (.docx or .dotx)
	// whose styles, headers and footers the output keeps; "" uses the
	// built-in A4 parts.
	Template string
	// TemplateData is a house template's bytes; when non-nil it is used
	// instead of reading Template.
	TemplateData []byte
	// Drawn are charts whose pictures were started early (Draw): a chart
	// of the document equal to one of them is not drawn again.
	Drawn []*Drawing
}

// A Drawing is a chart's picture being drawn in the background, ahead of
// Write: a report's chart is known long before its document is complete,
// and drawing it then keeps it off the end of the DOCX's writing.
type Drawing struct {
	chart document.Chart // as drawn: without its title
	done  chan struct{}  // closed when png and err are set
	png   []byte
	err   error
}

// Draw starts drawing c's picture as Write would for a document holding c,
// and returns at once.
func Draw(c document.Chart) *Drawing {
	c.Title = "" // the caption paragraph carries it
	d := &Drawing{chart: c, done: make(chan struct{})}
	go func() {
		defer close(d.done)
		d.png, d.err = drawPNG(c, chartWidthPx, chart.Height(c, chartWidthPx))
	}()
	return d
}

func drawPNG(c document.Chart, wpx, hpx int) ([]byte, error) {
	var buf bytes.Buffer
	err := chart.PNG(&buf, c, wpx, hpx)
	return buf.Bytes(), err
}

// drawn returns the drawing of a chart equal to c (titles aside), or nil.
func drawn(ds []*Drawing, c document.Chart) *Drawing {
	c.Title = ""
	for _, d := range ds {
		if reflect.DeepEqual(d.chart, c) {
			return d
		}
	}
	return nil
}

// chartWidthPx is the width charts are rasterised at: 200 dpi at the
// portrait text width of 17 cm, sharp in print; more only costs time (the
// PNG's encoding grows with its pixels).
const chartWidthPx = 1350

// Write renders d as a .docx to w.
func Write(w io.Writer, d *document.Doc, opt Options) error {
	if d == nil {
		return errors.New("docx: nil document")
	}
	var tpl *house
	data := opt.TemplateData
	if data == nil && opt.Template != "" {
		var err error
		if data, err = os.ReadFile(opt.Template); err != nil {
			return fmt.Errorf("docx: template: %w", err)
		}
	}
	if data != nil {
		var err error
		if tpl, err = readTemplate(data); err != nil {
			name := opt.Template
			if opt.TemplateData != nil || name == "" {
				name = "template"
			}
			return fmt.Errorf("docx: %s: %w", name, err)
		}
	}

	pk := newPackage(d, tpl)
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newPooledFlate)

	// Charts are drawn while the document part is written, unless they
	// were started earlier.
	pngs := make([]chan pngResult, len(pk.body.charts))
	for i, c := range pk.body.charts {
		pngs[i] = make(chan pngResult, 1)
		go func() {
			if d := drawn(opt.Drawn, c.chart); d != nil {
				<-d.done
				pngs[i] <- pngResult{d.png, d.err}
				return
			}
			cc := c.chart
			cc.Title = "" // the caption paragraph carries it
			png, err := drawPNG(cc, c.wpx, c.hpx)
			pngs[i] <- pngResult{png, err}
		}()
	}
	mod := zipTime(d)
	create := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
	}
	put := func(name, content string) error {
		f, err := create(name)
		if err == nil {
			_, err = io.WriteString(f, content)
		}
		return err
	}
	err := func() error {
		for _, p := range pk.before {
			if err := put(p.name, p.content); err != nil {
				return err
			}
		}
		f, err := create(pk.mainPath)
		if err != nil {
			return err
		}
		x := newXW(f)
		pk.body.x = x
		pk.body.write(d)
		if err := x.Flush(); err != nil {
			return err
		}
		for _, p := range pk.after {
			if err := put(p.name, p.content); err != nil {
				return err
			}
		}
		for i, c := range pk.body.charts {
			r := <-pngs[i]
			pngs[i] = nil
			if r.err != nil {
				return fmt.Errorf("chart %q: %w", c.chart.Title, r.err)
			}
			f, err := create(c.name)
			if err != nil {
				return err
			}
			if _, err := f.Write(r.png); err != nil {
				return err
			}
		}
		if tpl != nil {
			for _, name := range tpl.copy {
				f, err := create(name)
				if err != nil {
					return err
				}
				if _, err := f.Write(tpl.files[name]); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	if err != nil {
		for _, ch := range pngs {
			if ch != nil {
				<-ch // let the drawing goroutines finish
			}
		}
		zw.Close()
		return fmt.Errorf("docx: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

type pngResult struct {
	png []byte
	err error
}

// Deflate writers are large (about 1 MB); a package holds a dozen entries.
var flatePool sync.Pool

// pooledFlate is a fast deflate writer returned to the pool on Close:
// klauspost/compress's, which takes about 60% of the standard library's
// time at the same level (the document part of a long report is 87 MB).
type pooledFlate struct{ *flate.Writer }

func newPooledFlate(w io.Writer) (io.WriteCloser, error) {
	if fw, ok := flatePool.Get().(*flate.Writer); ok {
		fw.Reset(w)
		return pooledFlate{fw}, nil
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	return pooledFlate{fw}, err
}

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	flatePool.Put(p.Writer)
	return err
}

// part is a small part written whole.
type part struct{ name, content string }

// pkg is the plan of the package: parts before and after the main document
// part, in writing order.
type pkg struct {
	mainPath      string
	before, after []part
	body          *body
}

func newPackage(d *document.Doc, tpl *house) *pkg {
	lang := docLang(d)
	needP, needL := false, false
	var charts []document.Chart
	for _, s := range d.Sections {
		if s.Orientation == document.Landscape {
			needL = true
		} else {
			needP = true
		}
		for _, blk := range s.Blocks {
			if c, ok := blk.(document.Chart); ok {
				charts = append(charts, c)
			}
		}
	}
	if len(d.Sections) == 0 {
		needP = true
	}

	pk := &pkg{mainPath: "word/document.xml", body: &body{page: a4}}
	ct := contentTypes{defaults: map[string]string{}, overrides: map[string]string{}}
	var docRels, rootRels []rel
	taken := map[string]bool{} // part names in use
	ids := map[string]bool{}   // relationship IDs in use
	var footerTabs []int
	if tpl != nil {
		pk.mainPath = tpl.mainPath
		maps.Copy(ct.defaults, tpl.ct.defaults)
		maps.Copy(ct.overrides, tpl.ct.overrides)
		for _, n := range tpl.copy {
			taken[n] = true
		}
		for _, r := range tpl.docRels {
			ids[r.ID] = true
		}
		docRels = append(docRels, tpl.docRels...)
		rootRels = append(rootRels, tpl.rootRels...)
		for _, r := range rootRels {
			ids["root:"+r.ID] = true
		}
		pk.body.page, pk.body.house = tpl.page, true
		pk.body.headers = tpl.headers
		pk.body.footers = tpl.footers
		pk.body.titlePg = tpl.titlePg
		pk.body.drawings = tpl.maxDocPr // drawing IDs must be unique in the package
		footerTabs = tpl.footerTabs
	}
	dir := path.Dir(pk.mainPath)
	rootDir := ""
	if dir != "." {
		rootDir = dir + "/"
	}
	taken[pk.mainPath] = true
	relsPath := relsPathOf(pk.mainPath)
	taken[relsPath] = true
	n := 0
	newID := func(prefix string) string {
		for {
			n++
			id := "rId" + strconv.Itoa(n)
			if tpl != nil {
				id = "rIdPapers" + strconv.Itoa(n)
			}
			if !ids[prefix+id] {
				ids[prefix+id] = true
				return id
			}
		}
	}
	freeName := func(pattern func(int) string) string {
		for i := 1; ; i++ {
			if name := pattern(i); !taken[name] {
				taken[name] = true
				return name
			}
		}
	}

	// Root relationships and document properties.
	rootRels = append(rootRels,
		rel{ID: newID("root:"), Type: relDoc, Target: pk.mainPath},
		rel{ID: newID("root:"), Type: relCore, Target: "docProps/core.xml"},
		rel{ID: newID("root:"), Type: relApp, Target: "docProps/app.xml"},
	)
	ct.defaults["rels"] = ctRels
	ct.defaults["xml"] = "application/xml"
	ct.overrides["/"+pk.mainPath] = ctMain
	ct.overrides["/docProps/core.xml"] = ctCore
	ct.overrides["/docProps/app.xml"] = ctApp
	taken["docProps/core.xml"], taken["docProps/app.xml"] = true, true

	var after []part
	// Styles and settings.
	if tpl == nil || tpl.stylesPath == "" {
		name := freeName(func(int) string { return rootDir + "styles.xml" })
		docRels = append(docRels, rel{ID: newID(""), Type: relStyles, Target: relTarget(dir, name)})
		ct.overrides["/"+name] = ctStyles
		after = append(after, part{name, stylesXML(lang)})
	} else {
		// The template's styles with any of ours it lacks; written here
		// instead of being copied.
		after = append(after, part{tpl.stylesPath, tpl.styles})
	}
	if tpl == nil {
		name := rootDir + "settings.xml"
		taken[name] = true
		docRels = append(docRels, rel{ID: newID(""), Type: relSettings, Target: relTarget(dir, name)})
		ct.overrides["/"+name] = ctSettings
		after = append(after, part{name, settingsXML(lang)})
	}
	// Footers, unless the template brings its own.
	if tpl == nil || len(tpl.footers) == 0 {
		kinds := []string{"default"}
		if pk.body.titlePg {
			kinds = append(kinds, "first")
		}
		addFooter := func(o document.Orientation) []ref {
			name := freeName(func(i int) string { return rootDir + "footer" + strconv.Itoa(i) + ".xml" })
			id := newID("")
			docRels = append(docRels, rel{ID: id, Type: relFooter, Target: relTarget(dir, name)})
			ct.overrides["/"+name] = ctFooter
			after = append(after, part{name, footerXML(d.Footer, pk.body.pageFor(o).textWidth(), footerTabs)})
			var refs []ref
			for _, k := range kinds {
				refs = append(refs, ref{k, id})
			}
			return refs
		}
		if needP {
			pk.body.footers = addFooter(document.Portrait)
		}
		if needL {
			pk.body.footerL = addFooter(document.Landscape)
			if !needP {
				pk.body.footers = pk.body.footerL
			}
		}
	}
	// Charts.
	if len(charts) > 0 {
		ct.defaults["png"] = "image/png"
	}
	for _, c := range charts {
		name := freeName(func(i int) string { return rootDir + "media/chart" + strconv.Itoa(i) + ".png" })
		id := newID("")
		docRels = append(docRels, rel{ID: id, Type: relImage, Target: relTarget(dir, name)})
		cc := c
		cc.Title = ""
		pk.body.charts = append(pk.body.charts, chartPart{rid: id, name: name, chart: c, wpx: chartWidthPx, hpx: chart.Height(cc, chartWidthPx)})
	}
	if tpl != nil {
		// Drop overrides of parts that are not in the output.
		for p := range ct.overrides {
			if !taken[p[1:]] {
				delete(ct.overrides, p)
			}
		}
	}

	pk.before = []part{
		{"[Content_Types].xml", ct.xml()},
		{"_rels/.rels", relsXML(rootRels)},
		{"docProps/app.xml", appXML(d)},
		{"docProps/core.xml", coreXML(d)},
	}
	pk.after = append([]part{{relsPath, relsXML(docRels)}}, after...)
	return pk
}

// relsPathOf is the relationships part of a part: word/_rels/document.xml.rels.
func relsPathOf(name string) string {
	return path.Join(path.Dir(name), "_rels", path.Base(name)+".rels")
}

// relTarget is name relative to the directory of the source part.
func relTarget(dir, name string) string {
	if dir == "." || dir == "" {
		return name
	}
	if rest, ok := strings.CutPrefix(name, dir+"/"); ok {
		return rest
	}
	return "/" + name
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func itoa(n int) string { return strconv.Itoa(n) }

func escText(s string) string { return string(appendEscaped(nil, s, false)) }

func escAttr(s string) string { return string(appendEscaped(nil, s, true)) }
