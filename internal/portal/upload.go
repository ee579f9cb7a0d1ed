package portal

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
	"unicode"

	"papers/internal/plan"
	"papers/internal/store"
	"papers/internal/workbook"
)

// upload is a workbook as uploaded: its bytes and the name to show for it.
type upload struct {
	Name   string // for display only: never a path
	Bytes  []byte
	SHA256 string
}

// errUpload is a problem with an uploaded file, for the person who sent it.
type errUpload struct{ msg string }

func (e *errUpload) Error() string { return e.msg }

func uploadError(format string, a ...any) error { return &errUpload{fmt.Sprintf(format, a...)} }

// formFile reads the uploaded file in field of a parsed multipart form.
// It returns errTooLarge when the file is over limit.
func formFile(r *http.Request, field string, limit int64) (upload, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return upload{}, uploadError("Select a workbook (.xlsx) to upload")
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Size > limit {
		return upload{}, errTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return upload{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return upload{}, err
	}
	if int64(len(b)) > limit {
		return upload{}, errTooLarge
	}
	return upload{Name: displayName(fh), Bytes: b, SHA256: store.Digest(b)}, nil
}

var errTooLarge = errors.New("upload too large")

// displayName is the uploaded file's name, reduced to something safe to
// show and keep as a label: its last path element (whichever slash the
// sender's system uses), without control characters, at most 120
// characters. It is never used to name a file.
func displayName(fh *multipart.FileHeader) string {
	name := fh.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.TrimLeft(name, ". "))
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	if name == "" {
		name = "workbook.xlsx"
	}
	return name
}

// ole2 opens Excel 97-2003 files and password-protected workbooks.
var ole2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniffXLSX checks by content, not name, that b is an Excel workbook
// (.xlsx): a zip package whose [Content_Types].xml names a spreadsheetml
// workbook.
func sniffXLSX(b []byte) error {
	const saveAs = "Open it in Excel, choose Save As, pick \"Excel Workbook (.xlsx)\" and upload that file."
	switch {
	case len(b) == 0:
		return uploadError("The selected file is empty. Choose the completed workbook and upload it again.")
	case bytes.HasPrefix(b, ole2):
		return uploadError("The selected file is an old Excel 97-2003 workbook (.xls) or is password-protected. " + saveAs)
	case !bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return uploadError("The selected file is not an Excel workbook (.xlsx), whatever its name says. " + saveAs)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return uploadError("The selected file is damaged or incomplete. Save the workbook again and upload it again.")
	}
	for _, f := range zr.File {
		if f.Name != "[Content_Types].xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			break
		}
		types, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err == nil && bytes.Contains(types, []byte("spreadsheetml.sheet.main+xml")) {
			return nil
		}
		break
	}
	return uploadError("The selected file is not an Excel workbook (.xlsx): it may be a Word document or another zip file. " + saveAs)
}

// readWorkbook checks an upload and reads it as a statement. A problem the
// sender can fix is an *errUpload.
func (s *Server) readWorkbook(u upload) (*plan.Statement, error) {
	if err := sniffXLSX(u.Bytes); err != nil {
		return nil, err
	}
	st, err := workbook.Read(bytes.NewReader(u.Bytes), u.Name, s.cfg.Ingest)
	var werr *workbook.Error
	if errors.As(err, &werr) {
		return nil, uploadError("%s", werr.Error())
	}
	return st, err
}

// Pending uploads: a return that passed its checks waits in the history
// database (store.PendingUpload) for the officer's submit, found by the
// hash of a random ID the preview page holds. It survives a restart.
const (
	pendingTTL = time.Hour
	// pendingPerUser is how many pending uploads a user keeps: their
	// newest. Twenty checked at once in as many tabs all stay.
	pendingPerUser = 50
)

// keepPending keeps p until it is submitted or expires and returns the ID
// for the officer's page.
func (s *Server) keepPending(ctx context.Context, p store.PendingUpload) (string, error) {
	id := randomToken()
	p.IDHash, p.CreatedAt, p.ExpiresAt = tokenHash(id), s.now(), s.now().Add(pendingTTL)
	return id, s.db.AddPendingUpload(ctx, p, pendingPerUser)
}
