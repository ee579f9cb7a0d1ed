package pdfua

import (
	"errors"
	"io"
)

// check is filled in by the following commits; until then it reports
// that nothing could be checked.
func check(r io.ReadSeeker) (*Report, error) {
	return nil, errors.New("pdfua: not implemented yet")
}
