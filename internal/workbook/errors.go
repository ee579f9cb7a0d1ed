package workbook

import (
	"errors"
	"fmt"
	"strings"
)

// Conditions a caller can test with errors.Is on an error from Read or
// ReadFile.
var (
	ErrNotWorkbook = errors.New("not a workbook")
	ErrLegacyXLS   = errors.New("legacy Excel 97-2003 .xls workbook")
	ErrEncrypted   = errors.New("password-protected workbook")
	ErrNoHeader    = errors.New("no header row")
	ErrTooLarge    = errors.New("workbook too large")
	ErrEmpty       = errors.New("empty workbook")
)

// Error is a workbook that could not be read at all. Its Error is one plain
// line a person can act on, naming the file (and the sheet and cell when
// there is one):
//
//	notes.xlsx: not a workbook (it is a text file, perhaps CSV): save it as .xlsx and try again
//
// It wraps Kind (one of the Err sentinels, or nil) and Err (the cause, or nil).
type Error struct {
	File  string // the name given to Read, or the path given to ReadFile
	Sheet string
	Cell  string
	Msg   string // what is wrong
	Hint  string // what to do about it
	Kind  error  // ErrNotWorkbook, ErrLegacyXLS, ...
	Err   error  // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, ": sheet %q", e.Sheet)
		if e.Cell != "" {
			b.WriteString(", cell " + e.Cell)
		}
	}
	b.WriteString(": " + e.Msg)
	if e.Hint != "" {
		b.WriteString(": " + e.Hint)
	}
	return oneLine(b.String())
}

// Unwrap returns Kind and Err, so that errors.Is finds either.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// oneLine keeps a message on one line however odd the text quoted in it.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

const (
	saveAsXLSX = "save it as .xlsx and try again"
	resave     = "open it in Excel or LibreOffice, save it again and try again"
)

func errNotWorkbook(file, why string, cause error) *Error {
	return &Error{File: file, Msg: "not a workbook (" + why + ")", Hint: saveAsXLSX, Kind: ErrNotWorkbook, Err: cause}
}
