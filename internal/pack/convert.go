package pack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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
}

// convert converts each file in srcs and returns the PDFs in the same
// order. Files are copied under neutral names first, so nothing of a
// source's file name reaches the PDF, and two items with the same name in
// different folders cannot collide.
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
	for i, src := range srcs {
		names[i] = fmt.Sprintf("item-%03d", i+1)
		dst := filepath.Join(in, names[i]+strings.ToLower(filepath.Ext(src)))
		if err := copyFile(src, dst); err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", src, err)
		}
		args = append(args, dst)
	}
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
	pdfs := make([][]byte, len(srcs))
	var errs []error
	for i, src := range srcs {
		b, err := os.ReadFile(filepath.Join(out, names[i]+".pdf"))
		if err != nil || len(b) == 0 {
			why := lastLines(logs.String(), 3)
			if runErr != nil {
				why = runErr.Error() + ": " + why
			}
			errs = append(errs, fmt.Errorf("%s: LibreOffice could not convert it to PDF (is it a damaged or password-protected document?): %s", src, why))
			continue
		}
		pdfs[i] = b
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
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

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// lastLines is the end of LibreOffice's output, without its harmless
// "failed to launch javaldx" chatter.
func lastLines(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, "javaldx") {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	if len(keep) == 0 {
		return "no message"
	}
	return strings.Join(keep, " / ")
}
