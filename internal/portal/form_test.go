package portal

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUploadFormBounds: an upload form is read as ParseMultipartForm reads
// it, but a form whose fields or part headers are larger than a form needs
// is refused (413) as it arrives, before it is held in memory: the
// standard library would hold as much of them per request as its own
// in-memory limit for a whole form.
func TestUploadFormBounds(t *testing.T) {
	h := newHarness(t)
	type part struct {
		header textproto.MIMEHeader
		body   []byte
	}
	field := func(name, value string) part {
		return part{textproto.MIMEHeader{"Content-Disposition": {fmt.Sprintf(`form-data; name=%q`, name)}}, []byte(value)}
	}
	file := func(name string, size int) part {
		return part{textproto.MIMEHeader{
			"Content-Disposition": {fmt.Sprintf(`form-data; name="file"; filename=%q`, name)},
			"Content-Type":        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		}, bytes.Repeat([]byte("x"), size)}
	}
	padded := field("owner", "Robert Henderson")
	padded.header.Set("X-Padding", strings.Repeat("x", 100<<10))
	var many []part
	for i := range 100 {
		many = append(many, field(fmt.Sprintf("f%d", i), strings.Repeat("x", 1000)))
	}
	for _, c := range []struct {
		name  string
		parts []part
		ok    bool
	}{
		{"an upload form", []part{field(csrfField, "token"), field("owner", "Robert Henderson"), file("return.xlsx", 3*formMemory)}, true},
		{"fields of 64 KB in all", []part{field("owner", strings.Repeat("x", formLimit-10)), field("csrf_token", "0123456789")}, true},
		{"a field of 64 KB and a byte", []part{field("owner", strings.Repeat("x", formLimit+1)), file("return.xlsx", 100)}, false},
		{"a field of 10 MB", []part{field("owner", strings.Repeat("x", 10<<20-1000))}, false},
		{"a hundred fields of 1,000 bytes", many, false},
		{"a file, then a field too large", []part{file("return.xlsx", 3*formMemory), field("owner", strings.Repeat("x", 100<<10))}, false},
		{"a part header of 100 KB", []part{padded}, false},
		{"a file name of 100 KB", []part{file(strings.Repeat("x", 100<<10)+".xlsx", 100)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp) // where ReadForm puts files
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for _, p := range c.parts {
				w, err := mw.CreatePart(p.header)
				if err != nil {
					t.Fatal(err)
				}
				w.Write(p.body)
			}
			mw.Close()
			r := httptest.NewRequest(http.MethodPost, "/officer/quarters/1/2021-Q1/upload?x=1", &body)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			w := httptest.NewRecorder()
			ok := h.srv.readForm(w, r, nil)
			if ok != c.ok {
				t.Fatalf("read %v (%d), want %v", ok, w.Code, c.ok)
			}
			if !ok {
				if w.Code != http.StatusRequestEntityTooLarge {
					t.Errorf("status %d, want 413", w.Code)
				}
				if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
				return
			}
			defer r.MultipartForm.RemoveAll()
			for _, p := range c.parts {
				_, params, _ := strings.Cut(p.header.Get("Content-Disposition"), "name=")
				name, _, _ := strings.Cut(strings.Trim(params, `"`), `"`)
				if name == "file" {
					fh := r.MultipartForm.File["file"][0]
					f, err := fh.Open()
					if err != nil {
						t.Fatal(err)
					}
					got, _ := io.ReadAll(f)
					f.Close()
					if !bytes.Equal(got, p.body) || fh.Filename != "return.xlsx" || fh.Header.Get("Content-Type") != p.header.Get("Content-Type") {
						t.Errorf("file %q, %d bytes, type %q", fh.Filename, len(got), fh.Header.Get("Content-Type"))
					}
					continue
				}
				if got := r.PostFormValue(name); got != string(p.body) {
					t.Errorf("field %s: %.40q, want %.40q", name, got, p.body)
				}
			}
			if r.FormValue("x") != "1" {
				t.Errorf("the query is lost: %v", r.Form)
			}
		})
	}
	if _, err := os.Stat(h.out); err == nil {
		t.Error("the output folder was written")
	}
}
