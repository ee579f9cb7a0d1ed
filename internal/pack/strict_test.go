package pack

import (
	"bytes"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"papers/internal/document"
)

// TestReportsAreStrictlyValid checks what internal/pdf writes against
// pdfcpu's strict validation: the packs are built from these files, and a
// viewer that repairs a broken file silently would not tell. Headings give
// nested bookmarks; Welsh and a character the fonts lack go through the
// font subsets.
func TestReportsAreStrictlyValid(t *testing.T) {
	d := paper("Progress report", "Cynnydd ŵ ŷ – 中", 3)
	d.Sections[0].Blocks = append(d.Sections[0].Blocks,
		document.Heading{Level: 3, Text: "1.1 Detail"},
		document.Paragraph{Runs: []document.Run{{Text: "Bold", Bold: true}, {Text: " and italic", Italic: true}}})
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(pdfBytes(t, d)), conf); err != nil {
		t.Errorf("strict validation: %v", err)
	}
}
