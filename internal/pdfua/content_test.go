package pdfua

import (
	"bytes"
	"testing"
)

// onePage is a PDF of one page with the content given, a font F1 and a
// Form XObject Fm1 that shows text; it has no structure tree, so only the
// content rules matter.
func onePage(content string) []byte {
	f := newPDF()
	f.set(1, "<< /Type /Catalog /Pages 2 0 R >>")
	f.set(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	f.set(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> "+
		"/Properties << /MC0 << /MCID 9 >> >> >> /Contents 5 0 R >>")
	f.set(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	f.setStream(5, "", content)
	f.setStream(6, "/Type /XObject /Subtype /Form /BBox [0 0 595 842]", "BT (in a form, in the font of the page) Tj ET")
	return f.bytes(1, 0)
}

// The content scanner counts what is drawn outside tagged content and
// artifacts, and steps over strings, inline images and comments that
// look like operators.
func TestContentScan(t *testing.T) {
	tests := []struct {
		name                 string
		content              string
		text, image, graphic int
		mcids                []int
	}{
		{"text in an MCID sequence", "/P <</MCID 0>> BDC BT /F1 9 Tf (a) Tj ET EMC", 0, 0, 0, []int{0}},
		{"text outside", "BT /F1 9 Tf (a) Tj [(b) 3 (c)] TJ (d) ' 1 2 (e) \" ET", 4, 0, 0, nil},
		{"text in an artifact", "/Artifact BMC BT /F1 9 Tf (Page 1) Tj ET EMC", 0, 0, 0, nil},
		{"text in an artifact with properties", "/Artifact <</Type /Pagination /Subtype /Footer>> BDC BT /F1 9 Tf (Page 1) Tj ET EMC", 0, 0, 0, nil},
		{"a span with no MCID inside a tagged paragraph", "/P <</MCID 3>> BDC /Span <</Lang (cy)>> BDC BT /F1 9 Tf (Croeso) Tj ET EMC EMC", 0, 0, 0, []int{3}},
		{"a span with no MCID alone", "/Span <</Lang (cy)>> BDC BT /F1 9 Tf (Croeso) Tj ET EMC", 1, 0, 0, nil},
		{"MCID from the resources' Properties", "/P /MC0 BDC BT /F1 9 Tf (a) Tj ET EMC", 0, 0, 0, []int{9}},
		{"after EMC the text is outside", "/P <</MCID 0>> BDC EMC BT /F1 9 Tf (a) Tj ET", 1, 0, 0, []int{0}},
		{"operators inside strings are text", "/P <</MCID 0>> BDC BT /F1 9 Tf (EMC \\) BDC (Tj)) Tj <454d43> Tj ET EMC", 0, 0, 0, []int{0}},
		{"a comment is not an operator", "/P <</MCID 0>> BDC % EMC\nBT /F1 9 Tf (a) Tj ET EMC", 0, 0, 0, []int{0}},
		{"an inline image whose data holds EMC and Tj", "/P <</MCID 0>> BDC BI /W 3 /H 1 /CS /G /BPC 8 ID EMC EI BT /F1 9 Tf (a) Tj ET EMC", 0, 0, 0, []int{0}},
		{"an inline image outside", "BI /W 1 /H 1 /CS /G /BPC 8 ID A EI", 0, 1, 0, nil},
		{"paths outside, a clip is not painted", "0 0 10 10 re W n 0 0 m 10 10 l S 0 0 5 5 re f", 0, 0, 2, nil},
		{"a form drawn outside shows text outside", "BT /F1 9 Tf ET /Fm1 Do", 1, 0, 0, nil},
		{"a form drawn inside tagged content", "/Figure <</MCID 1>> BDC BT /F1 9 Tf ET /Fm1 Do EMC", 0, 0, 0, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := run(bytes.NewReader(onePage(tt.content)))
			if err != nil {
				t.Fatal(err)
			}
			if c.untagged[1] != tt.text || c.untaggedIm[1] != tt.image || c.untaggedGr[1] != tt.graphic {
				t.Errorf("outside: %d text, %d images, %d paths; want %d, %d, %d; problems:%s",
					c.untagged[1], c.untaggedIm[1], c.untaggedGr[1], tt.text, tt.image, tt.graphic, listProblems(c.report))
			}
			got := sortedInts(c.mcids[streamKey{page: 1}])
			if len(got) != len(tt.mcids) {
				t.Fatalf("MCIDs %v, want %v", got, tt.mcids)
			}
			for i := range got {
				if got[i] != tt.mcids[i] {
					t.Errorf("MCIDs %v, want %v", got, tt.mcids)
				}
			}
			// Text was shown in Helvetica in every case but the paths and
			// images: in a form, in the font selected where it is drawn.
			if used := len(c.fontOrder) > 0; used != (tt.image == 0 && tt.graphic == 0) {
				t.Errorf("fonts used: %v", c.fontOrder)
			}
			for _, p := range c.report.Problems {
				if p.Rule == RuleUnreadable || p.Rule == RuleMarkedContent {
					t.Errorf("unexpected %v", p)
				}
			}
		})
	}
}
