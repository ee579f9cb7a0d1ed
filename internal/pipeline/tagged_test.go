package pipeline

import (
	"bytes"
	"context"
	"papers/internal/plan"
	"testing"

	"papers/internal/pdfua"
)

// The report's PDF, built as the CLI builds it from the cover template, is
// tagged (PDF/UA-1) with nothing the checker finds wrong.
func TestReportPDFIsTagged(t *testing.T) {
	s := bigStatement(120)
	out, err := BuildPDF(context.Background(), plan.Inputs{Previous: s, Current: s}, settings(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := pdfua.Check(bytes.NewReader(out.PDF))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Tagged {
		t.Error("the report is not tagged")
	}
	if err := rep.Err(); err != nil {
		t.Error(err)
	}
}
