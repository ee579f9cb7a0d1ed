package pack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// DefaultConvertTimeout bounds one LibreOffice run (all of a meeting's
// documents are converted in one run). LibreOffice takes about 4 s to start
// and a few seconds a document; a 2,000-row table takes about 25 s.
const DefaultConvertTimeout = 5 * time.Minute

// ErrNoLibreOffice is returned when a document needs converting and
// LibreOffice (soffice) cannot be found.
var ErrNoLibreOffice = errors.New("LibreOffice (soffice) is not installed")

// taggedExport are the PDF export filter's options, in LibreOffice's JSON
// syntax (7.4 and later): a tagged PDF, to PDF/UA's rules, whose structure
// the pack keeps.
const taggedExport = `{"UseTaggedPDF":{"type":"boolean","value":"true"},"PDFUACompliance":{"type":"boolean","value":"true"}}`

// converter turns word-processor documents into PDF with LibreOffice
// headless, in a fresh profile folder so that runs never share (or wait
// for) a user's LibreOffice.
type converter struct {
	soffice string
	timeout time.Duration
	cache   convCache
	// progress, if not nil, is told when LibreOffice starts.
	progress func(stage string)
}

// convertFailure is a document LibreOffice could not convert: srcs[index].
type convertFailure struct {
	index  int
	name   string
	status string // LibreOffice's exit status when it failed, else ""
	read   error  // the file could not be read: LibreOffice never saw it
}

func (f *convertFailure) Error() string {
	if f.read != nil {
		return f.read.Error()
	}
	kind := strings.TrimPrefix(strings.ToLower(filepath.Ext(f.name)), ".")
	s := fmt.Sprintf("LibreOffice %s %s: it may be damaged, protected by a password, or not really a .%s file. "+
		"If it opens in Word, save a new copy (or save it as PDF) and name that in the meeting file",
		"cannot open", f.name, kind)
	if f.status != "" {
		s += " (LibreOffice " + f.status + ")"
	}
	return s
}

func (f *convertFailure) Unwrap() error {
	if f.read != nil {
		return f.read
	}
	return ErrUnreadable
}

// convertFailures are the documents in err that could not be converted.
func convertFailures(err error) []*convertFailure {
	var out []*convertFailure
	var f *convertFailure
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if errors.As(e, &f) {
				out = append(out, f)
			}
		}
	} else if errors.As(err, &f) {
		out = append(out, f)
	}
	return out
}

// convert converts each file in srcs and returns the PDFs in the same
// order. Files are copied under neutral names first, so nothing of a
// source's file name reaches the PDF, and two items with the same name in
// different folders cannot collide. A file whose PDF is in the cache is
// not converted again; when all are, LibreOffice is not started. The files
// LibreOffice cannot convert are each a *convertFailure in the error.
func (c converter) convert(ctx context.Context, srcs []string) ([][]byte, error) {
	if len(srcs) == 0 {
		return nil, nil
	}
	prog := c.soffice
	if prog == "" {
		prog = "soffice"
	}
	path, err := exec.LookPath(prog)
	if err != nil {
		return nil, fmt.Errorf("%w: it converts %s to PDF; install libreoffice-writer-nogui or give the item as a PDF", ErrNoLibreOffice, srcs[0])
	}
	work, err := os.MkdirTemp("", "papers-soffice-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	in, out := filepath.Join(work, "in"), filepath.Join(work, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, err
		}
	}
	args := []string{
		"-env:UserInstallation=" + fileURL(filepath.Join(work, "profile")),
		"--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"--convert-to", "pdf:writer_pdf_Export:" + taggedExport, "--outdir", out,
	}
	names := make([]string, len(srcs))
	keys := make([]string, len(srcs))
	pdfs := make([][]byte, len(srcs))
	var todo []int
	opts := slices.Clone(args) // before the files are added
	var unread []error
	for i, src := range srcs {
		doc, err := readFile(src)
		if err != nil {
			unread = append(unread, &convertFailure{index: i, name: src, read: err})
			continue
		}
		keys[i] = c.cache.key(path, opts, work, filepath.Ext(src), doc)
		if b, ok := c.cache.get(keys[i]); ok {
			pdfs[i] = b
			continue
		}
		todo = append(todo, i)
		names[i] = fmt.Sprintf("item-%03d", i+1)
		dst := filepath.Join(in, names[i]+strings.ToLower(filepath.Ext(src)))
		if err := os.WriteFile(dst, doc, 0o600); err != nil {
			return nil, err
		}
		args = append(args, dst)
	}
	if err := errors.Join(unread...); err != nil {
		return nil, err
	}
	if len(todo) == 0 {
		return pdfs, nil
	}
	if c.progress != nil {
		msg := fmt.Sprintf("converting %d document(s) to PDF with LibreOffice", len(todo))
		if n := len(srcs) - len(todo); n > 0 {
			msg += fmt.Sprintf(" (%d unchanged, from the cache)", n)
		}
		c.progress(msg)
	}
	defer c.cache.trim()
	timeout := c.timeout
	if timeout <= 0 {
		timeout = DefaultConvertTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, path, args...)
	cmd.Dir = work
	// LibreOffice writes under $HOME and $TMPDIR too: keep all of it in
	// work, which goes when the run ends, even when soffice is killed.
	cmd.Env = append(os.Environ(), "HOME="+work, "TMPDIR="+work, "TMP="+work, "TEMP="+work)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	killGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if runCtx.Err() != nil {
		return nil, fmt.Errorf("LibreOffice did not finish converting %s within %s (stopped)", strings.Join(srcs, ", "), timeout)
	}
	var errs []error
	for _, i := range todo {
		b, err := os.ReadFile(filepath.Join(out, names[i]+".pdf"))
		if err != nil || len(b) == 0 {
			// LibreOffice's own words name its temporary copy and its
			// filter, which mean nothing to the clerk: only its exit
			// status is kept.
			f := &convertFailure{index: i, name: srcs[i]}
			if runErr != nil {
				f.status = runErr.Error()
			}
			errs = append(errs, f)
			continue
		}
		pdfs[i] = b
		c.cache.put(keys[i], b)
	}
	if err := errors.Join(errs...); err != nil {
		return pdfs, err
	}
	return pdfs, nil
}

func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return "file://" + filepath.ToSlash(abs)
}
