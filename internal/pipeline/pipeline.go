// Package pipeline runs the report's stages — compare, build, render — for
// the quarter use case (internal/quarter), which the CLI, the portal and the
// scheduler call: statements in (plan.Inputs, by role), the comparison and
// the PDF, DOCX, HTML and JSON out. Write streams the four
// files to disk as they are rendered and puts them in place together, in
// one step, or none of them (see atomicfile); Build keeps them in memory,
// BuildPDF renders the PDF alone (for a pack), and Save puts other files in
// place the same way.
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"papers/internal/atomicfile"
	"papers/internal/compare"
	"papers/internal/document"
	"papers/internal/docx"
	"papers/internal/html"
	"papers/internal/pdf"
	"papers/internal/plan"
	"papers/internal/report"
)

// ErrStopped is returned when the context ends (Ctrl-C, SIGTERM, a request
// cancelled) before the outputs are in place: nothing was written.
var ErrStopped = errors.New("stopped before writing: nothing was written")

// Settings are everything a report needs besides its statements.
type Settings struct {
	Compare  compare.Options
	Meta     report.Meta
	Template report.Template
	// HouseTemplate is the council's Word template (a .docx path), or "".
	HouseTemplate string
}

// Outputs are a built report.
type Outputs struct {
	Comparison *plan.Comparison
	Doc        *document.Doc
	PDF        []byte
	DOCX       []byte
	HTML       []byte // the accessible web version
	JSON       []byte
}

// File is one output for Save: its extension and bytes.
type File struct {
	Ext  string
	Data []byte
}

// Build compares the statements (see plan.Inputs: the baseline may be nil,
// and in a plan's first quarter so may the previous statement) and renders
// the report in memory. progress, if not nil, is told each stage as it starts. When
// ctx ends first, Build returns ErrStopped at once: a large report takes
// seconds to render, and Ctrl-C should not wait for it. The abandoned
// stages finish in the background and their results are dropped.
func Build(ctx context.Context, in plan.Inputs, s Settings, progress func(stage string)) (*Outputs, error) {
	if ctx.Err() != nil {
		return nil, ErrStopped
	}
	out := &Outputs{}
	dsts := []*[]byte{&out.PDF, &out.DOCX, &out.HTML, &out.JSON}
	var files [nFiles]io.WriteCloser
	for i := range files {
		files[i] = &memFile{dst: dsts[i]}
	}
	c, doc, err := runBuild(ctx, in, s, files, progress)
	if err != nil {
		return nil, err
	}
	out.Comparison, out.Doc = c, doc
	return out, nil
}

// BuildPDF is Build for a report wanted only as a PDF (an agenda pack's
// item): the DOCX, HTML and JSON are not rendered, and are nil.
func BuildPDF(ctx context.Context, in plan.Inputs, s Settings, progress func(stage string)) (*Outputs, error) {
	if ctx.Err() != nil {
		return nil, ErrStopped
	}
	out := &Outputs{}
	var files [nFiles]io.WriteCloser
	files[pdfFile] = &memFile{dst: &out.PDF}
	c, doc, err := runBuild(ctx, in, s, files, progress)
	if err != nil {
		return nil, err
	}
	out.Comparison, out.Doc = c, doc
	return out, nil
}

// memFile is an output kept in memory.
type memFile struct {
	bytes.Buffer
	dst *[]byte
}

func (m *memFile) Close() error { *m.dst = m.Bytes(); return nil }

// The outputs, in the order they are listed and written.
const (
	pdfFile = iota
	docxFile
	htmlFile
	jsonFile
	nFiles
)

var (
	extensions = [nFiles]string{".pdf", ".docx", ".html", ".json"}
	names      = [nFiles]string{"PDF", "DOCX", "HTML", "JSON"}
)

// rendering, when set (by tests), is told each file as its writer starts.
var rendering func(ext string)

// Written is a report Write has put in place.
type Written struct {
	Comparison *plan.Comparison
	Doc        *document.Doc
	Files      []Saved // the PDF, DOCX, HTML and JSON, in that order
}

// Saved is one file written.
type Saved struct {
	Path   string
	SHA256 string // its digest in hex, when Target.Digest asked for it
}

// Target is where Write puts a report: Dir/Name.pdf, .docx, .html, .json.
type Target struct {
	Dir, Name string
	Digest    bool // work out each file's SHA-256 as it is written
}

// Write compares the statements and writes the report's four files, all or
// none, each streamed as it is rendered (rather than held in memory to the
// end) into a fresh folder beside t.Dir, which is swapped into place in one
// step only when all four are complete (see atomicfile): the previous four
// are never mixed with new ones, and other files in t.Dir are kept. A
// folder it cannot write fails before any work is done. As Build, it
// returns ErrStopped at once when ctx ends, and then nothing is written; a
// full disk gives an error that errors.Is atomicfile.ErrFull.
func Write(ctx context.Context, in plan.Inputs, s Settings, t Target, progress func(stage string)) (*Written, error) {
	if ctx.Err() != nil {
		return nil, ErrStopped
	}
	var batch atomicfile.Batch
	defer batch.Abort() // removes the temporary files, unless committed
	w := &Written{Files: make([]Saved, nFiles)}
	var files [nFiles]io.WriteCloser
	var digests [nFiles]hash.Hash
	for i, ext := range extensions {
		w.Files[i].Path = filepath.Join(t.Dir, t.Name+ext)
		f, err := batch.Create(w.Files[i].Path)
		if err != nil {
			for _, made := range files[:i] {
				made.Close()
			}
			return nil, err
		}
		files[i] = f
		if t.Digest {
			digests[i] = sha256.New()
			files[i] = &digestFile{f, io.MultiWriter(f, digests[i])}
		}
	}
	c, doc, err := runBuild(ctx, in, s, files, progress)
	if err != nil {
		return nil, err
	}
	if err := batch.Commit(ctx); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, ErrStopped
		}
		return nil, err
	}
	for i, d := range digests {
		if d != nil {
			w.Files[i].SHA256 = hex.EncodeToString(d.Sum(nil))
		}
	}
	w.Comparison, w.Doc = c, doc
	return w, nil
}

// digestFile is a staged file whose bytes are also digested.
type digestFile struct {
	io.Closer
	io.Writer
}

// runBuild runs build in the background and returns when it ends, or with
// ErrStopped as soon as ctx does.
func runBuild(ctx context.Context, in plan.Inputs, s Settings, files [nFiles]io.WriteCloser, progress func(stage string)) (*plan.Comparison, *document.Doc, error) {
	type result struct {
		c   *plan.Comparison
		doc *document.Doc
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, doc, err := build(ctx, in, s, files, progress)
		done <- result{c, doc, err}
	}()
	select {
	case r := <-done:
		if r.err == nil && ctx.Err() != nil {
			return nil, nil, ErrStopped
		}
		return r.c, r.doc, r.err
	case <-ctx.Done():
		return nil, nil, ErrStopped
	}
}

// build runs the stages, checking ctx between them, and writes and closes
// each file. A nil file is not wanted, and not rendered.
func build(ctx context.Context, in plan.Inputs, s Settings, files [nFiles]io.WriteCloser, progress func(stage string)) (*plan.Comparison, *document.Doc, error) {
	step := func(stage string) error {
		if err := ctx.Err(); err != nil {
			return ErrStopped
		}
		if progress != nil {
			progress(stage)
		}
		return nil
	}
	// Each writer writes its file and closes it; a file no writer was
	// started for (an earlier stage failed) is closed here.
	var started [nFiles]bool
	defer func() {
		for i, f := range files {
			if f != nil && !started[i] {
				f.Close()
			}
		}
	}()
	if err := step("comparing"); err != nil {
		return nil, nil, err
	}
	c, err := compare.Compare(in, s.Compare)
	if err != nil {
		return nil, nil, err
	}
	// The JSON needs only the comparison, so it is written while the
	// document is built, and the others then run beside it.
	var errs [nFiles]error
	var wg sync.WaitGroup
	var wanted []string
	for i, f := range files {
		if f != nil {
			wanted = append(wanted, names[i])
		}
	}
	render := func(i int, what string, write func(io.Writer) error) {
		if files[i] == nil {
			return
		}
		if rendering != nil {
			rendering(extensions[i])
		}
		started[i] = true
		wg.Go(func() {
			err := write(files[i])
			if cerr := files[i].Close(); err == nil {
				err = cerr
			}
			if err != nil {
				errs[i] = fmt.Errorf("writing the %s: %w", what, err)
			}
		})
	}
	render(jsonFile, "JSON", func(w io.Writer) error { return compare.WriteJSON(w, c) })
	// The cover states the window the comparison used.
	s.Meta.DueSoonDays = s.Compare.DueSoonDays
	tpl := s.Template
	if tpl.Text == "" {
		tpl = report.DefaultTemplate()
	}
	b, err := report.Start(c, s.Meta, tpl)
	if err != nil {
		wg.Wait()
		return nil, nil, err
	}
	// The DOCX's picture of the chart is drawn from now, not from when the
	// whole document is built: it would otherwise be the last thing done.
	var drawn []*docx.Drawing
	if ch, ok := b.Chart(); ok && files[docxFile] != nil {
		drawn = append(drawn, docx.Draw(ch))
	}
	// The PDF lays each section out as soon as it is built; the DOCX and
	// HTML, written from the top, start once the whole document is. The
	// writers only read the document, side by side.
	render(pdfFile, "PDF", func(w io.Writer) error { return pdf.WriteSections(w, b.Meta(), b.Sections(), b.Section) })
	doc, err := b.Doc()
	if err == nil {
		err = step("writing the " + listing(wanted))
	}
	if err != nil {
		wg.Wait()
		return nil, nil, err
	}
	render(docxFile, "DOCX", func(w io.Writer) error {
		return docx.Write(w, doc, docx.Options{Template: s.HouseTemplate, Drawn: drawn})
	})
	render(htmlFile, "HTML", func(w io.Writer) error { return html.Write(w, doc) })
	wg.Wait()
	// A full disk fails every writer: say so once.
	for _, err := range errs {
		if full := atomicfile.Full(err); full != nil {
			return nil, nil, full
		}
	}
	if err := joinLine(errs[:]); err != nil {
		return nil, nil, err
	}
	return c, doc, nil
}

// listing is "the PDF", "the PDF and JSON", "the PDF, DOCX, HTML and JSON".
func listing(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// joinLine joins the writers' errors on one line (errors.Join would put
// each on a line of its own): the CLI shows an error as one line. The first
// error is wrapped, for errors.Is.
func joinLine(errs []error) error {
	var first error
	var rest []string
	for _, err := range errs {
		switch {
		case err == nil:
		case first == nil:
			first = err
		default:
			rest = append(rest, err.Error())
		}
	}
	if first == nil || len(rest) == 0 {
		return first
	}
	return fmt.Errorf("%w; %s", first, strings.Join(rest, "; "))
}
