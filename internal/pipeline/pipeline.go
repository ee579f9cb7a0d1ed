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
	"sync"

	"papers/internal/compare"
	"papers/internal/document"
	"papers/internal/docx"
	"papers/internal/html"
	"papers/internal/pdf"
	"papers/internal/plan"
	"papers/internal/report"
)

// ErrStopped is returned when the context ends before the outputs are ready.
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
// progress, if not nil, is told each stage as it starts.
func Build(ctx context.Context, previous, current, baseline *plan.Statement, s Settings, progress func(stage string)) (*Outputs, error) {
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
	if s.Meta.DueSoonDays == 0 {
		s.Meta.DueSoonDays = s.Compare.DueSoonDays
	}
	tpl := s.Template
	if tpl.Text == "" {
		tpl = report.DefaultTemplate()
	}
	doc, err := report.Build(c, s.Meta, tpl)
	if err != nil {
		return nil, err
	}
	out := &Outputs{Comparison: c, Doc: doc}
	if err := step("writing the PDF, DOCX, HTML and JSON"); err != nil {
		return nil, err
	}
	// The writers only read the document: render them side by side.
	renders := []struct {
		what  string
		dst   *[]byte
		write func(io.Writer) error
	}{
		{"PDF", &out.PDF, func(w io.Writer) error { return pdf.Write(w, doc) }},
		{"DOCX", &out.DOCX, func(w io.Writer) error { return docx.Write(w, doc, docx.Options{Template: s.HouseTemplate}) }},
		{"HTML", &out.HTML, func(w io.Writer) error { return html.Write(w, doc) }},
		{"JSON", &out.JSON, func(w io.Writer) error { return compare.WriteJSON(w, c) }},
	}
	errs := make([]error, len(renders))
	var wg sync.WaitGroup
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
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, ctx.Err()
}
