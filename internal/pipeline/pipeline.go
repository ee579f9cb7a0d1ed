// Package pipeline runs the report's stages — compare, build, render — the
// same way for the CLI, the portal and the scheduler: statements in, the
// comparison and the PDF, DOCX, HTML and JSON bytes out. Save puts the files
// in place together, or none of them.
package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

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

// Files pairs each output's extension with its bytes, in the order written.
func (o *Outputs) Files() []File {
	return []File{{".pdf", o.PDF}, {".docx", o.DOCX}, {".html", o.HTML}, {".json", o.JSON}}
}

// File is one rendered output.
type File struct {
	Ext  string
	Data []byte
}

// Build compares the statements (baseline may be nil) and renders the report.
// progress, if not nil, is told each stage as it starts. When ctx ends first,
// Build returns ErrStopped at once: a large report takes seconds to render,
// and Ctrl-C should not wait for it. The abandoned stages finish in the
// background and their results are dropped.
func Build(ctx context.Context, previous, current, baseline *plan.Statement, s Settings, progress func(stage string)) (*Outputs, error) {
	if ctx.Err() != nil {
		return nil, ErrStopped
	}
	type result struct {
		out *Outputs
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := build(ctx, previous, current, baseline, s, progress)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		if r.err == nil && ctx.Err() != nil {
			return nil, ErrStopped
		}
		return r.out, r.err
	case <-ctx.Done():
		return nil, ErrStopped
	}
}

// build runs the stages, checking ctx between them.
func build(ctx context.Context, previous, current, baseline *plan.Statement, s Settings, progress func(stage string)) (*Outputs, error) {
	step := func(stage string) error {
		if err := ctx.Err(); err != nil {
			return ErrStopped
		}
		if progress != nil {
			progress(stage)
		}
		return nil
	}
	if err := step("comparing"); err != nil {
		return nil, err
	}
	c, err := compare.Compare(previous, current, baseline, s.Compare)
	if err != nil {
		return nil, err
	}
	// The JSON needs only the comparison: it is written while the document
	// is built, and the other writers then run beside it.
	out := &Outputs{Comparison: c}
	var jsonErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		var b bytes.Buffer
		if err := compare.WriteJSON(&b, c); err != nil {
			jsonErr = fmt.Errorf("writing the JSON: %w", err)
			return
		}
		out.JSON = b.Bytes()
	})
	if s.Meta.DueSoonDays == 0 {
		s.Meta.DueSoonDays = s.Compare.DueSoonDays
	}
	tpl := s.Template
	if tpl.Text == "" {
		tpl = report.DefaultTemplate()
	}
	doc, err := report.Build(c, s.Meta, tpl)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	out.Doc = doc
	if err := step("writing the PDF, DOCX, HTML and JSON"); err != nil {
		wg.Wait()
		return nil, err
	}
	// The writers only read the document: render them side by side.
	renders := []struct {
		what  string
		dst   *[]byte
		write func(io.Writer) error
	}{
		{"DOCX", &out.DOCX, func(w io.Writer) error { return docx.Write(w, doc, docx.Options{Template: s.HouseTemplate}) }},
		{"HTML", &out.HTML, func(w io.Writer) error { return html.Write(w, doc) }},
	}
	errs := make([]error, len(renders))
	var pdfErr error
	wg.Go(func() {
		if out.PDF, pdfErr = pdf.Render(doc); pdfErr != nil {
			pdfErr = fmt.Errorf("writing the PDF: %w", pdfErr)
		}
	})
	for i, r := range renders {
		wg.Go(func() {
			var b bytes.Buffer
			if err := r.write(&b); err != nil {
				errs[i] = fmt.Errorf("writing the %s: %w", r.what, err)
				return
			}
			*r.dst = b.Bytes()
		})
	}
	wg.Wait()
	errs = append([]error{pdfErr}, append(errs, jsonErr)...) // in the order the files are listed
	if err := joinLine(errs); err != nil {
		return nil, err
	}
	return out, nil
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
