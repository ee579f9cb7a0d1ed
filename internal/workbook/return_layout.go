package workbook

// This file holds what the workbook writers (WriteReturn, WriteStatement)
// share: measuring wrapped text for row heights, cell styles, and finishing
// a workbook so that the same inputs always give the same bytes.

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"papers/internal/fonts"
)

// WriteOptions says how WriteReturn and WriteStatement write a workbook.
type WriteOptions struct {
	// Password protects a return's sheets and structure against accidental
	// changes (SHA-512, 100,000 spins). "" means DefaultPassword. It is not
	// security: anyone can remove it who knows it or has the right tool.
	Password string
	// Created is the date the document's properties give as created and
	// modified. Zero means the return's quarter's first day (a statement
	// uses 1 January 2000): never the clock, so that the same inputs give
	// the same bytes.
	Created time.Time
}

// DefaultPassword is the sheet protection password when none is
// configured. It is documented (README): protection is there to prevent
// accidents, not to keep anyone out.
const DefaultPassword = "papers"

const (
	retFont         = "Arial" // Liberation Sans in LibreOffice: the metrics measured below
	retFontSize     = 10.0
	retLineHeight   = 12.75 // points per line of 10pt Arial, as Excel spaces them
	retCellPadding  = 3.0   // points above and below the text
	retMinRowHeight = 15.0
	// retMaxRowHeight is Excel's limit; text taller than this scrolls in the cell.
	retMaxRowHeight = 409.0
)

var (
	regularOnce sync.Once
	regularFace *sfnt.Font
)

// retTextWidth is the width in points of s set in Arial (Liberation Sans,
// metric-compatible) at size points; bold text is taken as 8% wider.
func retTextWidth(s string, size float64, bold bool) float64 {
	regularOnce.Do(func() { regularFace, _ = sfnt.Parse(fonts.Regular) })
	if regularFace == nil {
		return float64(len([]rune(s))) * size * 0.55
	}
	var buf sfnt.Buffer
	ppem := fixed.I(1000)
	var w fixed.Int26_6
	for _, r := range s {
		gi, err := regularFace.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			w += fixed.I(556) // an average glyph for a character the font lacks
			continue
		}
		if adv, err := regularFace.GlyphAdvance(&buf, gi, ppem, font.HintingNone); err == nil {
			w += adv
		}
	}
	pts := float64(w) / 64 / 1000 * size
	if bold {
		pts *= 1.08
	}
	return pts
}

// columnPoints is the room for text in a column width wide, in points, less
// a margin for the differences between Excel's and LibreOffice's line
// breaking. The writers make Arial the workbook's default font, so Excel's
// width unit is a digit of 11pt Arial, 8 pixels, with 5 pixels of margin;
// LibreOffice measures Liberation Sans, which has the same metrics.
// (With Excel's default Calibri, LibreOffice without Carlito measures
// another font and makes every column a third wider than Excel does.)
func columnPoints(width float64) float64 {
	px := width*8 + 5 - 6 // the cell's own padding
	return px * 0.75 * 0.92
}

// wrappedLines estimates how many lines text takes when wrapped in a column
// width wide: each paragraph broken at spaces, a word too long for a line
// broken where it overflows.
func wrappedLines(text string, width, size float64, bold bool) int {
	room := columnPoints(width)
	space := retTextWidth(" ", size, bold)
	lines := 0
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		lines++
		used := 0.0
		for _, word := range strings.Fields(para) {
			w := retTextWidth(word, size, bold)
			switch {
			case used == 0:
			case used+space+w <= room:
				used += space + w
				continue
			default:
				lines++
			}
			for w > room { // a word longer than the line
				lines++
				w -= room
			}
			used = w
		}
	}
	return max(lines, 1)
}

// retRowHeight is the height in points of a row whose tallest cell holds
// lines lines of text at size points.
func retRowHeight(lines int, size float64) float64 {
	lh := retLineHeight * size / retFontSize
	return min(max(float64(lines)*lh+retCellPadding, retMinRowHeight), retMaxRowHeight)
}

// newWorkbook returns an empty workbook whose default font is Arial, the
// font the row heights are measured in.
func newWorkbook() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetDefaultFont(retFont); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// styleSet makes the cell styles a writer uses.
type styleSet struct {
	f   *excelize.File
	err error
}

func (s *styleSet) add(bold bool, size float64, fill, colour string, locked bool, numFmt string, vertical string) int {
	if s.err != nil {
		return 0
	}
	st := &excelize.Style{
		Font:       &excelize.Font{Family: retFont, Size: size, Bold: bold, Color: colour},
		Alignment:  &excelize.Alignment{WrapText: true, Vertical: vertical, Horizontal: "left"},
		Protection: &excelize.Protection{Locked: locked},
		Border: []excelize.Border{
			{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
			{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
		},
	}
	if fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
	}
	if numFmt != "" {
		st.CustomNumFmt = &numFmt
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		s.err = err
	}
	return id
}

// plain is a style without borders, for text outside the table.
func (s *styleSet) plain(bold bool, size float64) int {
	if s.err != nil {
		return 0
	}
	id, err := s.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Family: retFont, Size: size, Bold: bold},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "left"},
	})
	if err != nil {
		s.err = err
	}
	return id
}

// sheetWriter writes one sheet's cells, remembering the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *sheetWriter) do(err error) {
	if w.err == nil && err != nil {
		w.err = fmt.Errorf("sheet %q: %w", w.sheet, err)
	}
}

// retCell names a cell: retCell(2, 3) is "B3".
func retCell(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// text writes s as a text cell. Text is never a formula, whatever it starts
// with ("=HYPERLINK(…)" stays text).
func (w *sheetWriter) text(col, row int, s string, style int) {
	c := retCell(col, row)
	if s != "" {
		e := xmlText(s)
		w.do(w.f.SetCellStr(w.sheet, c, e))
		if e != s {
			// excelize may have filed e under another text (see xmlText):
			// a run of rich text is filed apart, and escaped by excelize.
			if got, err := w.f.GetCellValue(w.sheet, c); err == nil && got != s {
				w.do(w.f.SetCellRichText(w.sheet, c, []excelize.RichTextRun{{Text: s}}))
			}
		}
	}
	w.do(w.f.SetCellStyle(w.sheet, c, c, style))
}

// xmlText escapes s as Excel stores text (ECMA-376 ST_Xstring): a
// character XML cannot hold as "_xHHHH_", and a "_" that starts such an
// escape in s itself as "_x005F_". excelize unescapes the text it reads, but
// its SetCellStr does not escape: without this, "Report_x2020_final" would
// read back as "Report†final" and a control character as U+FFFD, and a
// return's locked cell would read back changed.
//
// excelize files the text in its table of shared strings under the escape
// of the escape, so text that is literally another cell's escaped text
// ("_x005F_x0041_" beside "_x0041_") would read back as that cell's: text
// writes it as rich text instead, which excelize escapes itself (all but
// its control characters).
func xmlText(s string) string {
	needs := func(i int, r rune) bool {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF || (r == '_' && isXEscape(s[i:]))
	}
	start := -1
	for i, r := range s {
		if needs(i, r) {
			start = i
			break
		}
	}
	if start < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:start])
	for i, r := range s[start:] {
		switch {
		case !needs(start+i, r):
			b.WriteRune(r)
		case r == '_':
			b.WriteString("_x005F_")
		default:
			fmt.Fprintf(&b, "_x%04X_", r)
		}
	}
	return b.String()
}

// isXEscape reports whether s starts with an escape "_xHHHH_".
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// date writes a day as an Excel date (the style gives its format).
func (w *sheetWriter) date(col, row int, d time.Time, style int) {
	c := retCell(col, row)
	if !d.IsZero() {
		serial := float64(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
		w.do(w.f.SetCellFloat(w.sheet, c, serial, -1, 64))
	}
	w.do(w.f.SetCellStyle(w.sheet, c, c, style))
}

func (w *sheetWriter) widths(widths []float64) {
	for i, wd := range widths {
		c, _ := excelize.ColumnNumberToName(i + 1)
		w.do(w.f.SetColWidth(w.sheet, c, c, wd))
	}
}

// page sets A3 landscape (a wide table stays legible), one page wide, with rows 1 to headerRow repeated
// on every printed page and the rows below the header frozen on screen.
func (w *sheetWriter) page(headerRow int) {
	size, orient, wide, tall := 8, "landscape", 1, 0 // 8 is A3
	w.do(w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall}))
	fit := true
	w.do(w.f.SetSheetProps(w.sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	m := 0.4
	w.do(w.f.SetPageMargins(w.sheet, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &m}))
	if headerRow > 0 {
		w.do(w.f.SetPanes(w.sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: retCell(1, headerRow+1), ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: retCell(1, headerRow+1), ActiveCell: retCell(1, headerRow+1), Pane: "bottomLeft"}}}))
		w.do(w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: w.sheet,
			RefersTo: fmt.Sprintf("'%s'!$1:$%d", w.sheet, headerRow)}))
	}
	w.do(w.f.SetHeaderFooter(w.sheet, &excelize.HeaderFooterOptions{OddFooter: "&L&A&RPage &P of &N"}))
}

// finishWorkbook sets the document's properties and writes the workbook. With a
// password, every sheet excelize protected gets that password, hashed with
// SHA-512 and a salt derived from seed rather than drawn at random, so the
// bytes depend only on the inputs.
func finishWorkbook(f *excelize.File, w io.Writer, props *excelize.DocProperties, created time.Time, password, seed string) error {
	ts := created.UTC().Format("2006-01-02T15:04:05Z")
	props.Created, props.Modified = ts, ts
	props.Creator, props.LastModifiedBy, props.Language = "papers", "papers", "en-GB"
	if err := f.SetDocProps(props); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	b := buf.Bytes()
	if password != "" {
		var err error
		if b, err = setPasswords(b, password, seed); err != nil {
			return err
		}
	}
	_, err := w.Write(b)
	return err
}

var (
	sheetProtectionTag    = regexp.MustCompile(`<sheetProtection\b`)
	workbookProtectionTag = regexp.MustCompile(`<workbookProtection\b`)
)

// protectionSpinCount is the hash's number of rounds, as Excel writes it.
const protectionSpinCount = 100000

// setPasswords rewrites a workbook package, adding the password's hash to
// each <sheetProtection> and <workbookProtection> element (written by
// excelize without a password). The package's parts keep their order and
// names; nothing else changes.
func setPasswords(pkg []byte, password, seed string) ([]byte, error) {
	salt := sha256.Sum256([]byte("papers protection salt\x00" + seed))
	saltB64 := base64.StdEncoding.EncodeToString(salt[:16])
	hash := base64.StdEncoding.EncodeToString(passwordHash(password, salt[:16], protectionSpinCount))
	sheetAttrs := fmt.Sprintf(`<sheetProtection algorithmName="SHA-512" hashValue="%s" saltValue="%s" spinCount="%d"`, hash, saltB64, protectionSpinCount)
	bookAttrs := fmt.Sprintf(`<workbookProtection workbookAlgorithmName="SHA-512" workbookHashValue="%s" workbookSaltValue="%s" workbookSpinCount="%d"`, hash, saltB64, protectionSpinCount)

	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml"):
			data = sheetProtectionTag.ReplaceAll(data, []byte(sheetAttrs))
		case zf.Name == "xl/workbook.xml":
			data = workbookProtectionTag.ReplaceAll(data, []byte(bookAttrs))
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// passwordHash is the ISO/IEC 29500 password hash Excel and LibreOffice
// check: SHA-512 of the salt and the UTF-16LE password, then spins rounds of
// SHA-512 of the hash and the round number (little-endian uint32).
func passwordHash(password string, salt []byte, spins int) []byte {
	pw := utf16.Encode([]rune(password))
	b := make([]byte, 0, len(salt)+2*len(pw))
	b = append(b, salt...)
	for _, u := range pw {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	h := sha512.Sum512(b)
	var iter [sha512.Size + 4]byte
	for i := range spins {
		copy(iter[:], h[:])
		binary.LittleEndian.PutUint32(iter[sha512.Size:], uint32(i))
		h = sha512.Sum512(iter[:])
	}
	return h[:]
}
