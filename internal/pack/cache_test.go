package pack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// countingSoffice is a LibreOffice that notes each start in a log before
// running the real one, and the log. Its soffice.bin is the real one's,
// so the cache takes it for the LibreOffice installed.
func countingSoffice(t *testing.T) (prog, log string) {
	t.Helper()
	needTool(t, "soffice")
	real, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	prog, log = filepath.Join(dir, "soffice"), filepath.Join(dir, "starts.log")
	script := fmt.Sprintf("#!/bin/sh\necho started >> '%s'\nexec '%s' \"$@\"\n", log, real)
	if err := os.WriteFile(prog, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if resolved, err := filepath.EvalSymlinks(real); err == nil {
		bin := filepath.Join(filepath.Dir(resolved), "soffice.bin")
		if _, err := os.Stat(bin); err == nil {
			os.Symlink(bin, filepath.Join(dir, "soffice.bin"))
		}
	}
	return prog, log
}

func starts(t *testing.T, log string) int {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "started")
}

// A re-run with nothing changed takes every Word paper from the cache and
// does not start LibreOffice; a damaged cache entry is converted again and
// replaced; the packs are the same bytes every time.
func TestConversionCache(t *testing.T) {
	m, opt := fixtureMeeting(t)
	prog, log := countingSoffice(t)
	opt.Soffice, opt.Cache = prog, filepath.Join(t.TempDir(), "papers", "conversions")

	cold, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := starts(t, log); n != 1 {
		t.Fatalf("the cold build started LibreOffice %d times, want once for both Word papers", n)
	}
	entries, _ := filepath.Glob(filepath.Join(opt.Cache, "*"+cacheExt))
	if len(entries) != 2 {
		t.Fatalf("%d cache entries for 2 Word papers: %v", len(entries), entries)
	}
	// It holds exempt papers: for this user only, and no file names.
	if st, err := os.Stat(opt.Cache); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("the cache folder: %v %v", st.Mode(), err)
	}
	for _, e := range entries {
		if st, err := os.Stat(e); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", e, st.Mode(), err)
		}
		if strings.Contains(e, "QUAGGA") || strings.Contains(e, "performance") {
			t.Errorf("an entry is named after its paper: %s", e)
		}
	}

	warm, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := starts(t, log); n != 1 {
		t.Errorf("the warm build started LibreOffice (%d starts in all)", n)
	}
	if !bytes.Equal(cold.Public.PDF, warm.Public.PDF) || !bytes.Equal(cold.Members.PDF, warm.Members.PDF) {
		t.Error("the warm build's packs differ from the cold build's")
	}

	// Damage one entry: it is ignored, converted again and replaced.
	b, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	os.WriteFile(entries[0], b, 0o600)
	again, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := starts(t, log); n != 2 {
		t.Errorf("after damaging an entry: %d starts in all, want 2", n)
	}
	if !bytes.Equal(cold.Members.PDF, again.Members.PDF) {
		t.Error("the build after the damaged entry differs")
	}
	key := strings.TrimSuffix(filepath.Base(entries[0]), cacheExt)
	if _, ok := (convCache{dir: opt.Cache}).get(key); !ok {
		t.Error("the damaged entry was not replaced")
	}

	// A changed paper is converted again; the unchanged one is not asked for.
	writeDOCX(t, m.Items[3].File, paper("Quarterly performance, revised", "MARK-REVISED", 3))
	revised, err := Build(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := starts(t, log); n != 3 {
		t.Errorf("after changing a paper: %d starts in all, want 3", n)
	}
	e := revised.Public.Entries[3]
	if text := pdfToText(t, revised.Public.PDF, e.Page, e.Page); !contains(text, "MARK-REVISED") {
		t.Errorf("the revised paper is not in the pack:\n%s", text)
	}
}

// The key changes with the document's bytes, its kind, and LibreOffice's
// export options (so a change of options converts afresh); not with the
// run's temporary folder.
func TestCacheKey(t *testing.T) {
	var c convCache
	args := func(work, filter string) []string {
		return []string{"-env:UserInstallation=file://" + work + "/profile", "--headless", "--convert-to", filter, "--outdir", work + "/out"}
	}
	base := c.key("/usr/bin/soffice", args("/tmp/a", "pdf:writer_pdf_Export"), "/tmp/a", ".docx", []byte("doc"))
	tests := []struct {
		name string
		key  string
		same bool
	}{
		{"another run's folder", c.key("/usr/bin/soffice", args("/tmp/b", "pdf:writer_pdf_Export"), "/tmp/b", ".docx", []byte("doc")), true},
		{"the extension's case", c.key("/usr/bin/soffice", args("/tmp/a", "pdf:writer_pdf_Export"), "/tmp/a", ".DOCX", []byte("doc")), true},
		{"other bytes", c.key("/usr/bin/soffice", args("/tmp/a", "pdf:writer_pdf_Export"), "/tmp/a", ".docx", []byte("dog")), false},
		{"another kind", c.key("/usr/bin/soffice", args("/tmp/a", "pdf:writer_pdf_Export"), "/tmp/a", ".odt", []byte("doc")), false},
		{"other export options", c.key("/usr/bin/soffice", args("/tmp/a", `pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}`), "/tmp/a", ".docx", []byte("doc")), false},
		{"another program", c.key("/opt/libreoffice/program/soffice", args("/tmp/a", "pdf:writer_pdf_Export"), "/tmp/a", ".docx", []byte("doc")), false},
	}
	for _, tt := range tests {
		if (tt.key == base) != tt.same {
			t.Errorf("%s: same key %v, want %v", tt.name, tt.key == base, tt.same)
		}
	}
}

// The cache stays within its limit, removing the entries used longest ago.
func TestCacheTrim(t *testing.T) {
	c := convCache{dir: t.TempDir(), limit: 2500}
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 1000)...)
	old := time.Now().Add(-time.Hour)
	for i, k := range []string{"oldest", "older", "newest"} {
		c.put(k, pdf)
		ts := old.Add(time.Duration(i) * time.Minute)
		os.Chtimes(c.path(k), ts, ts)
	}
	os.WriteFile(filepath.Join(c.dir, ".tmp-left-over"), []byte("half"), 0o600)
	os.Chtimes(filepath.Join(c.dir, ".tmp-left-over"), old, old)
	c.trim()
	for k, want := range map[string]bool{"oldest": false, "older": true, "newest": true} {
		if _, ok := c.get(k); ok != want {
			t.Errorf("%s kept %v, want %v", k, ok, want)
		}
	}
	if _, err := os.Stat(filepath.Join(c.dir, ".tmp-left-over")); !os.IsNotExist(err) {
		t.Errorf("a half-written entry is left: %v", err)
	}
}
