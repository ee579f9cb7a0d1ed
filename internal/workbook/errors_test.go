package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUnreadable(t *testing.T) {
	sample, err := os.ReadFile(october)
	if err != nil {
		t.Fatal(err)
	}
	ole := func(extra string) []byte {
		b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
		return append(b, extra...)
	}
	empty := newBook(t, "Sheet1")
	noHeader := newBook(t, "Notes").rows("Notes", 1, []any{"Minutes of the meeting"}, []any{"Item 1", "Apologies"})
	docx := zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
	for _, c := range []struct {
		name string
		body []byte
		kind error
		msg  string // in Error()
	}{
		{"random.xlsx", []byte{0x13, 0x37, 0x00, 0xFF, 0x10, 0x20, 0x99, 0x01, 0x02}, ErrNotWorkbook, "random.xlsx: not a workbook (its contents are not a spreadsheet): save it as .xlsx and try again"},
		{"notes.xlsx", []byte("Recommendation,Action\n1,Do it\n"), ErrNotWorkbook, "notes.xlsx: not a workbook (it is a text file, perhaps CSV): save it as .xlsx and try again"},
		{"page.xlsx", []byte("<html><table><tr><td>1</td></tr></table></html>"), ErrNotWorkbook, "web page"},
		{"truncated.xlsx", sample[:len(sample)/2], ErrNotWorkbook, "truncated.xlsx: not a workbook (the file is damaged or incomplete"},
		{"empty.xlsx", nil, ErrEmpty, "empty.xlsx: is empty (0 bytes)"},
		{"legacy.xlsx", ole(""), ErrLegacyXLS, "legacy.xlsx: is an Excel 97-2003 .xls file: open it in Excel or LibreOffice and save it as .xlsx"},
		{"locked.xlsx", ole(string(utf16le("EncryptionInfo"))), ErrEncrypted, "locked.xlsx: is password-protected: remove the password and save again"},
		{"blank.xlsx", empty.bytes(), ErrEmpty, "blank.xlsx: has no data in any sheet"},
		{"minutes.xlsx", noHeader.bytes(), ErrNoHeader, "minutes.xlsx: no header row found: expected columns such as Action, Lead Owner, Update in the first 30 rows of any sheet"},
		{"letter.xlsx", docx, ErrNotWorkbook, "letter.xlsx: not a workbook (it is a Word document)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), c.name)
			if err := os.WriteFile(path, c.body, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := ReadFile(path, DefaultOptions())
			if s != nil {
				t.Errorf("statement returned with error %v", err)
			}
			mustError(t, err, path, c.kind)
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %q lacks %q", err, c.msg)
			}
			for _, other := range []error{ErrNotWorkbook, ErrLegacyXLS, ErrEncrypted, ErrNoHeader, ErrTooLarge, ErrEmpty} {
				if other != c.kind && errors.Is(err, other) {
					t.Errorf("error %q also wraps %v", err, other)
				}
			}
			// Read names the file as given.
			_, err = Read(bytes.NewReader(c.body), c.name, DefaultOptions())
			mustError(t, err, c.name, c.kind)
		})
	}
}

func TestMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.xlsx")
	_, err := ReadFile(path, DefaultOptions())
	mustError(t, err, path, fs.ErrNotExist)
	if !strings.HasSuffix(err.Error(), ": no such file") {
		t.Errorf("error %q", err)
	}
	dir := t.TempDir()
	_, err = ReadFile(dir, DefaultOptions())
	mustError(t, err, dir, ErrNotWorkbook)
}

func TestErrorFormat(t *testing.T) {
	e := &Error{File: "a.xlsx", Sheet: "Plan", Cell: "D14", Msg: "bad\nthing", Hint: "fix it", Kind: ErrNoHeader, Err: io.ErrUnexpectedEOF}
	if got := e.Error(); got != `a.xlsx: sheet "Plan", cell D14: bad thing: fix it` {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(e, ErrNoHeader) || !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Error("Error does not wrap its kind and cause")
	}
}

// zipOf makes a zip archive of the given parts.
func zipOf(t testing.TB, parts map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bomb returns a valid workbook whose sheet inflates to more than size
// bytes, declaring declared as its size. It is built from one compressed
// chunk of repetitive rows repeated, so building it is fast: a DEFLATE
// stream of flushed blocks that refer only to their own chunk can be
// concatenated.
func bomb(t testing.TB, size, declared uint64) []byte {
	t.Helper()
	base := quirks["title rows"](t).bytes()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>Action</t></is></c><c r="B1" t="inlineStr"><is><t>Owner</t></is></c></row>`)
	tail := []byte(`</sheetData></worksheet>`)
	row := []byte(`<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></is></c></row>`)
	chunk := bytes.Repeat(row, (1<<20)/len(row))
	deflate := func(b []byte, final bool) []byte {
		var out bytes.Buffer
		w, _ := flate.NewWriter(&out, flate.BestCompression)
		w.Write(b)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return out.Bytes()
	}
	zchunk := deflate(chunk, false)
	n := size/uint64(len(chunk)) + 1
	var body bytes.Buffer
	body.Write(deflate(head, false))
	crc := crc32.Update(0, crc32.IEEETable, head)
	for i := uint64(0); i < n; i++ {
		body.Write(zchunk)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	body.Write(deflate(tail, true))
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	total := uint64(len(head)) + n*uint64(len(chunk)) + uint64(len(tail))
	if declared == 0 {
		declared = total
	}

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(body.Len()), UncompressedSize64: declared})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(body.Bytes())
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestZipBomb(t *testing.T) {
	for _, c := range []struct {
		name     string
		declared uint64
		kind     error
	}{
		{"bomb.xlsx", 0, ErrTooLarge},                 // sizes declared truly: refused before inflating
		{"lying-bomb.xlsx", 64 << 10, ErrNotWorkbook}, // sizes understated: inflating stops at the declared size, and the sheet is damaged
	} {
		t.Run(c.name, func(t *testing.T) {
			b := bomb(t, 1<<30+1, c.declared)
			t.Logf("%s: %d bytes", c.name, len(b))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Read(bytes.NewReader(b), c.name, DefaultOptions())
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			mustError(t, err, c.name, c.kind)
			t.Logf("%v in %v, %d MiB allocated", err, elapsed, (after.TotalAlloc-before.TotalAlloc)>>20)
			if elapsed > 2*time.Second {
				t.Errorf("took %v", elapsed)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}

func TestMaxUnzipSize(t *testing.T) {
	b, err := os.ReadFile(october)
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	opt.MaxUnzipSize = 20 << 10
	_, err = Read(bytes.NewReader(b), "october.xlsx", opt)
	e := mustError(t, err, "october.xlsx", ErrTooLarge)
	if !strings.Contains(e.Msg, "more than 20480 bytes") {
		t.Errorf("message %q", e.Msg)
	}
}

func TestMaxRows(t *testing.T) {
	b := quirks["schedule column date"](t)
	opt := DefaultOptions()
	opt.MaxRows = 10
	_, err := Read(bytes.NewReader(b.bytes()), "long.xlsx", opt)
	e := mustError(t, err, "long.xlsx", ErrTooLarge)
	// The first cell with text beyond the limit is named.
	if e.Sheet != "Position Statement" || e.Cell != "B11" || !strings.Contains(err.Error(), `long.xlsx: sheet "Position Statement", cell B11: has more than 10 rows`) {
		t.Errorf("error %q", err)
	}
}

// A sheet whose rows are made wide by one far cell is refused, not held in
// memory.
func TestWideRows(t *testing.T) {
	b := newBook(t, "Plan")
	b.rows("Plan", 1, []any{"Action", "Owner", "Update"})
	for r := 2; r <= 4; r++ {
		b.set("Plan", "A"+strconv.Itoa(r), "act").set("Plan", "XFD"+strconv.Itoa(r), "far")
	}
	opt := DefaultOptions()
	opt.MaxRows = 100
	_, err := Read(bytes.NewReader(b.bytes()), "wide.xlsx", opt)
	if e := mustError(t, err, "wide.xlsx", ErrTooLarge); !strings.Contains(e.Msg, "more than 20000 cells") {
		t.Errorf("error %q", err)
	}
}
