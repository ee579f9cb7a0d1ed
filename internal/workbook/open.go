package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// ole2Magic opens every OLE2 compound file: Excel 97-2003 workbooks, and
// the encrypted container Office writes for a password-protected .xlsx.
var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// encryptionInfo is the name of the stream that marks an encrypted OOXML
// file, as it is stored in an OLE2 directory (UTF-16LE).
var encryptionInfo = utf16le("EncryptionInfo")

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

// pkg is a workbook's zip package, checked before excelize opens it.
type pkg struct {
	zr    *zip.Reader
	parts map[string]*zip.File // by lower-case name
}

// checkPackage tells what b is and refuses anything that is not an .xlsx
// package within limit bytes unpacked, with an error a person can act on.
// It reads only the zip's directory (and the small parts that say what kind
// of document it is), so a zip bomb costs nothing.
func checkPackage(b []byte, file string, limit int64) (*pkg, error) {
	switch {
	case len(b) == 0:
		return nil, &Error{File: file, Msg: "is empty (0 bytes)", Hint: "save the workbook again from Excel and try again", Kind: ErrEmpty}
	case int64(len(b)) > limit:
		return nil, errTooLarge(file, limit)
	case bytes.HasPrefix(b, ole2Magic):
		if bytes.Contains(b, encryptionInfo) {
			return nil, &Error{File: file, Msg: "is password-protected", Hint: "remove the password and save again", Kind: ErrEncrypted}
		}
		return nil, &Error{File: file, Msg: "is an Excel 97-2003 .xls file", Hint: "open it in Excel or LibreOffice and save it as .xlsx", Kind: ErrLegacyXLS}
	case !bytes.HasPrefix(b, []byte("PK")):
		return nil, errNotWorkbook(file, describe(b), nil)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		e := errNotWorkbook(file, "the file is damaged or incomplete", err)
		e.Hint = "copy it again, or " + resave
		return nil, e
	}
	p := &pkg{zr: zr, parts: make(map[string]*zip.File, len(zr.File))}
	var total uint64
	for _, f := range zr.File {
		// The declared sizes bound what archive/zip will inflate: it fails
		// an entry that inflates to more than it declared.
		if f.UncompressedSize64 > uint64(limit) || total+f.UncompressedSize64 > uint64(limit) {
			return nil, errTooLarge(file, limit)
		}
		total += f.UncompressedSize64
		p.parts[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	if _, err := p.workbookPart(); err != nil {
		return nil, errNotWorkbook(file, p.kind(), nil)
	}
	return p, nil
}

// describe says what a file that is not a zip package seems to be.
func describe(b []byte) string {
	head := b[:min(len(b), 512)]
	lower := strings.ToLower(string(head))
	switch {
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "it is a PDF"
	case strings.Contains(lower, "<html") || strings.Contains(lower, "<!doctype html") || strings.Contains(lower, "<table"):
		return "it is a web page (HTML) with a spreadsheet's name"
	case strings.HasPrefix(strings.TrimSpace(lower), "<?xml"):
		return "it is an XML file, perhaps an Excel 2003 XML spreadsheet"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || isText(head):
		return "it is a text file, perhaps CSV"
	}
	return "its contents are not a spreadsheet"
}

// isText reports whether b looks like text: valid UTF-8 (a rune cut at the
// end allowed) with no control characters but tabs and line breaks.
func isText(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
		b = b[n:]
	}
	return true
}

// kind says what a zip package without a workbook is.
func (p *pkg) kind() string {
	switch {
	case p.parts["xl/workbook.bin"] != nil:
		return "it is an Excel binary workbook (.xlsb)"
	case p.parts["word/document.xml"] != nil:
		return "it is a Word document"
	case p.parts["ppt/presentation.xml"] != nil:
		return "it is a PowerPoint presentation"
	case p.parts["mimetype"] != nil:
		if b, _ := p.read("mimetype", 200); bytes.Contains(b, []byte("spreadsheet")) {
			return "it is an OpenDocument spreadsheet (.ods)"
		}
		return "it is an OpenDocument file"
	}
	return "it is a zip archive but holds no Excel workbook"
}

// open returns a reader of the named part.
func (p *pkg) open(name string) (io.ReadCloser, error) {
	f := p.parts[strings.ToLower(name)]
	if f == nil {
		return nil, fmt.Errorf("no part %s", name)
	}
	return f.Open()
}

// read returns up to max bytes of the named part.
func (p *pkg) read(name string, max int64) ([]byte, error) {
	rc, err := p.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, max))
}

// smallPart is the most read of a part that should be small (workbook.xml,
// relationships): bounded so a crafted file cannot make it large.
const smallPart = 16 << 20

// workbookPart is the workbook's part name, from the package relationships.
func (p *pkg) workbookPart() (string, error) {
	rels, err := p.rels("_rels/.rels")
	if err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				name := strings.TrimPrefix(path.Clean("/"+r.target), "/")
				if p.parts[strings.ToLower(name)] != nil {
					return name, nil
				}
			}
		}
	}
	if p.parts["xl/workbook.xml"] != nil {
		return "xl/workbook.xml", nil
	}
	return "", errors.New("no workbook part")
}

type relationship struct{ id, typ, target string }

// rels reads a relationships part.
func (p *pkg) rels(name string) ([]relationship, error) {
	b, err := p.read(name, smallPart)
	if err != nil {
		return nil, err
	}
	var out []relationship
	err = eachElement(b, func(se xml.StartElement) {
		if se.Name.Local != "Relationship" {
			return
		}
		var r relationship
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			}
		}
		out = append(out, r)
	})
	return out, err
}

// sheetParts maps each sheet's name to its part in the package.
func (p *pkg) sheetParts() (map[string]string, error) {
	wb, err := p.workbookPart()
	if err != nil {
		return nil, err
	}
	rels, err := p.rels(path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels"))
	if err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels {
		t := strings.ReplaceAll(r.target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(path.Clean(t), "/")
		} else {
			t = path.Join(path.Dir(wb), t)
		}
		targets[r.id] = t
	}
	b, err := p.read(wb, smallPart)
	if err != nil {
		return nil, err
	}
	parts := map[string]string{}
	err = eachElement(b, func(se xml.StartElement) {
		if se.Name.Local != "sheet" {
			return
		}
		var name, id string
		for _, a := range se.Attr {
			switch {
			case a.Name.Local == "name":
				name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				id = a.Value
			}
		}
		if t, ok := targets[id]; ok {
			parts[name] = t
		}
	})
	return parts, err
}

// eachElement calls fn with every start element in an XML document.
func eachElement(b []byte, fn func(xml.StartElement)) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			fn(se)
		}
	}
}

// openExcelize opens the checked package with excelize, reading raw cell
// values (so dates come as serial numbers, not US-ordered strings).
func openExcelize(b []byte, file string, limit int64) (f *excelize.File, err error) {
	err = safely(func() error {
		var err error
		f, err = excelize.OpenReader(bytes.NewReader(b), excelize.Options{
			RawCellValue:      true,
			UnzipSizeLimit:    limit,
			UnzipXMLSizeLimit: min(limit, 16<<20),
		})
		return err
	})
	if err == nil {
		return f, nil
	}
	if f != nil {
		f.Close()
	}
	switch {
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return nil, errTooLarge(file, limit)
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return nil, errNotWorkbook(file, "excelize cannot read its format", err)
	}
	return nil, errNotWorkbook(file, "the file is damaged: "+err.Error(), err)
}

func errTooLarge(file string, limit int64) *Error {
	return &Error{File: file, Msg: "is too large: it unpacks to more than " + mib(limit),
		Hint: "remove unused sheets, pictures or formatting and save it again", Kind: ErrTooLarge}
}

func mib(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// safely runs fn, turning a panic inside excelize on a malformed file into
// an error, so one damaged workbook cannot stop a scheduled run.
func safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("excelize: %v", r)
		}
	}()
	return fn()
}
