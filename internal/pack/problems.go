package pack

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"

	"papers/internal/meeting"
)

// ErrNeedsPassword matches (errors.Is) an item's PDF that cannot be opened
// without a password.
var ErrNeedsPassword = errors.New("needs a password to open")

// ErrUnreadable matches an item's file that cannot be read as what it
// claims to be: a damaged PDF, or a document LibreOffice cannot open.
var ErrUnreadable = errors.New("cannot be read")

// itemError places a problem with an item's papers in the meeting file:
// "data/meetings/2020-11-26.yaml:44: item 5 (Quarterly performance): …".
func itemError(m *meeting.Meeting, it meeting.Item, err error) error {
	where := m.Source
	if where == "" {
		where = "the meeting"
	}
	if it.Line > 0 {
		where += ":" + strconv.Itoa(it.Line)
	}
	return fmt.Errorf("%s: item %d (%s): %w", where, it.Number, it.Title, err)
}

// needsPassword is the clerk's explanation of a PDF that is locked. It
// matches ErrNeedsPassword and ErrUnreadable.
func needsPassword(name string) error { return passwordError(name) }

type passwordError string

func (name passwordError) Error() string {
	return string(name) + " needs a password to open, so papers cannot put it in the pack. " +
		"Open it with its password, save or print a copy without one (in Adobe Acrobat: File > Properties > Security > No Security), " +
		"and name that copy in the meeting file"
}

func (passwordError) Is(target error) bool {
	return target == ErrNeedsPassword || target == ErrUnreadable
}

// damagedPDF is the clerk's explanation of a PDF that cannot be read.
func damagedPDF(name string, why error) error {
	return fmt.Errorf("%s %w as a PDF: it may be damaged (%v). "+
		"If it opens in a PDF reader, print it to a new PDF and name that in the meeting file", name, ErrUnreadable, why)
}

// decrypt opens a PDF that is encrypted with no password needed to read it
// (only an "owner" password, which restricts printing or copying in some
// readers): every reader opens it, so the pack does too. A PDF that needs
// a password to open gives ErrNeedsPassword.
func decrypt(b []byte) ([]byte, error) {
	conf := pdfcpuConf()
	var out bytes.Buffer
	if err := api.Decrypt(bytes.NewReader(b), &out, conf); err != nil {
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			return nil, ErrNeedsPassword
		}
		return nil, err
	}
	return out.Bytes(), nil
}
