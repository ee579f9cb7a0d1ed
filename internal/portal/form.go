package portal

import (
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
)

// partHeaderLimit is the most bytes of one part's header in an upload
// form: a file's name and type need a few hundred.
const partHeaderLimit = 16 << 10

// readUploadForm reads a multipart form into r.MultipartForm, r.PostForm
// and r.Form, as r.ParseMultipartForm(fileMemory) does, but holds less in
// memory while the form arrives, before the upload waits its turn to be
// read (holdsUpload): at most fileMemory of each file (the rest goes to a
// temporary file, as with ParseMultipartForm), at most fieldLimit bytes of
// the other fields together, and at most partHeaderLimit of each part's
// header. ParseMultipartForm itself keeps the standard library's own,
// much larger allowance for fields and headers per request, whatever
// fileMemory is: twenty such requests at once would cost more than the
// whole portal may.
//
// A form beyond a bound gives *http.MaxBytesError, as a body beyond
// http.MaxBytesReader's limit does.
//
// The parts are read here, bounded, and written again to a pipe that
// multipart.Reader.ReadForm reads, so that the form and its files are the
// standard library's own.
func readUploadForm(r *http.Request, fileMemory, fieldLimit int64) error {
	if err := r.ParseForm(); err != nil { // the query: a multipart body is left alone
		return err
	}
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return http.ErrMissingBoundary
	}
	body := &budget{r: r.Body, limit: math.MaxInt64}
	in := multipart.NewReader(body, params["boundary"])
	pr, pw := io.Pipe()
	out := multipart.NewWriter(pw)
	type parsed struct {
		form *multipart.Form
		err  error
	}
	done := make(chan parsed, 1)
	go func() {
		form, err := multipart.NewReader(pr, out.Boundary()).ReadForm(fileMemory)
		pr.CloseWithError(err) // so that a write after an error fails rather than waits
		done <- parsed{form, err}
	}()
	err = copyParts(in, out, body, fieldLimit)
	if err == nil {
		err = out.Close()
	}
	pw.CloseWithError(err)
	p := <-done
	switch {
	case err != nil:
		if p.form != nil {
			p.form.RemoveAll()
		}
		return err
	case p.err != nil:
		return p.err
	}
	r.MultipartForm = p.form
	for k, vs := range p.form.Value {
		r.Form[k] = append(r.Form[k], vs...)
		r.PostForm[k] = append(r.PostForm[k], vs...)
	}
	return nil
}

// copyParts copies the parts of in to out as they are (a quoted-printable
// part stays encoded, for ReadForm to decode as ParseMultipartForm would),
// within readUploadForm's bounds.
func copyParts(in *multipart.Reader, out *multipart.Writer, body *budget, fieldLimit int64) error {
	fields := fieldLimit
	for {
		// The boundary and the header, and what the reader reads ahead.
		body.limit = body.read + partHeaderLimit + 2*4096
		p, err := in.NextRawPart()
		if body.exceeded {
			return &http.MaxBytesError{Limit: partHeaderLimit}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		body.limit = math.MaxInt64 // the body's own limit applies (http.MaxBytesReader)
		w, err := out.CreatePart(p.Header)
		if err != nil {
			return err
		}
		if p.FileName() != "" {
			if _, err := io.Copy(w, p); err != nil {
				return err
			}
			continue
		}
		n, err := io.Copy(w, io.LimitReader(p, fields+1))
		if err != nil {
			return err
		}
		if fields -= n; fields < 0 {
			return &http.MaxBytesError{Limit: fieldLimit}
		}
	}
}

// budget is a reader that fails once more than limit bytes have been read
// from it.
type budget struct {
	r        io.Reader
	read     int64
	limit    int64
	exceeded bool
}

func (b *budget) Read(p []byte) (int, error) {
	if b.read >= b.limit {
		b.exceeded = true
		return 0, &http.MaxBytesError{Limit: b.limit}
	}
	if int64(len(p)) > b.limit-b.read {
		p = p[:b.limit-b.read]
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}
