package pdfua

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// LibreOffice's PDF/UA export of a DOCX with headings, a table with a
// header row and a picture with alternative text meets every rule. The
// checker must really have read it: its headings, table cells, figure and
// every MCID.
func TestLibreOfficePDFUA(t *testing.T) {
	check := func(t *testing.T, b []byte) {
		t.Helper()
		c, err := run(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if !c.report.Tagged || len(c.report.Problems) > 0 {
			t.Fatalf("Tagged = %v, problems:%s", c.report.Tagged, listProblems(c.report))
		}
		var levels []int
		for _, h := range c.headings {
			levels = append(levels, h.level)
		}
		if !slices.Equal(levels, []int{1, 2, 2}) {
			t.Errorf("headings read = %v, want H1 H2 H2", levels)
		}
		n := 0
		for _, m := range c.mcids {
			n += len(m)
		}
		// Three headings, two paragraphs and nine cells. LibreOffice 7.4
		// draws the picture as an Artifact and gives its Figure element
		// the Alt but no content, so the figure adds no MCID.
		if n < 14 || c.elements < 20 || len(c.fontOrder) == 0 {
			t.Errorf("read %d MCIDs, %d elements, %d fonts: too few for the document", n, c.elements, len(c.fontOrder))
		}
	}
	t.Run("committed", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("testdata", "libreoffice.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		check(t, b)
	})
	t.Run("converted now", func(t *testing.T) {
		needTool(t, "soffice")
		check(t, convertPDFUA(t, filepath.Join("testdata", "libreoffice.docx")))
	})
}

// A damaged or hostile file gives an error or problems, never a panic or
// a hang.
func TestHostile(t *testing.T) {
	good := taggedPDF(variant{})
	loopTree := bytes.Replace(good, []byte("/S /TR /P 14 0 R /K [16 0 R 17 0 R]"), []byte("/S /TR /P 14 0 R /K [16 0 R 17 0 R 14 0 R]"), 1)
	if bytes.Equal(loopTree, good) {
		t.Fatal("loopTree did not change the fixture")
	}
	deepContent := func() []byte {
		f := newPDF()
		f.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
		f.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
		f.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")
		f.setStream(4, "", strings.Repeat("[", 100000)+" TJ")
		return f.bytes(1, 0)
	}
	formLoop := func() []byte {
		f := newPDF()
		f.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
		f.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
		f.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>")
		f.setStream(4, "", "/X Do")
		f.setStream(5, "/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X 5 0 R >> >>", "/X Do")
		return f.bytes(1, 0)
	}
	unbalanced := bytes.Replace(good, []byte("/Link <</MCID 7>> BDC BT /F1 11 Tf 72 500 Td (Appendix A) Tj ET EMC"),
		[]byte("/Link <</MCID 7>> BDC BT /F1 11 Tf 72 500 Td (Appendix A) Tj ET    "), 1)
	tests := []struct {
		name    string
		pdf     []byte
		wantErr bool
		rule    string // a rule that must be reported
	}{
		{"not a PDF", []byte("hello, this is not a PDF at all"), true, ""},
		{"empty", nil, true, ""},
		{"truncated", good[:len(good)/2], false, ""},
		{"structure tree loops", loopTree, false, RuleStructTree},
		{"arrays nested 100000 deep", deepContent(), false, RuleUnreadable},
		{"form draws itself", formLoop(), false, RuleUnreadable},
		{"BDC never closed", unbalanced, false, RuleMarkedContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Check(bytes.NewReader(tt.pdf))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error; report %+v", rep)
				}
				return
			}
			if err != nil {
				if tt.rule != "" {
					t.Fatalf("Check: %v", err)
				}
				return // a truncated file may be unreadable: an error is right
			}
			if tt.rule != "" && !slices.Contains(rules(rep), tt.rule) {
				t.Errorf("rule %s not reported; problems:%s", tt.rule, listProblems(rep))
			}
		})
	}
}

// FuzzCheck feeds damaged fixtures to the checker: it must never panic.
func FuzzCheck(f *testing.F) {
	for file := range handMade {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := Check(bytes.NewReader(b))
		if err == nil && rep == nil {
			t.Fatal("nil report and nil error")
		}
	})
}
