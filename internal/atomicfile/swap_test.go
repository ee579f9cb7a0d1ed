package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// snapshot is everything under root: each path (relative) with its
// contents, "dir" for a folder, or "-> target" for a symbolic link.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			got[rel] = "-> " + target
			return err
		case d.IsDir():
			got[rel] = "dir"
		default:
			b, err := os.ReadFile(p)
			got[rel] = string(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func sameTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s is %q, want %q", what, k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %s should not be there", what, k)
		}
	}
}

// fourFiles is a report's set of outputs, the way the pipeline writes it.
func fourFiles(dir, version string) []File {
	var fs []File
	for _, ext := range []string{".pdf", ".docx", ".html", ".json"} {
		fs = append(fs, File{filepath.Join(dir, "action-plan-progress"+ext), []byte(version + ext)})
	}
	return fs
}

// A failure between two files of a set leaves the previous set whole and
// identical, beside the clerk's own files, and no temporary file or folder
// anywhere. Writing file by file, renaming each into place in turn, fails
// this: the files renamed before the failure are new, the rest old.
func TestFailureBetweenFiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inject func(t *testing.T, dir string) (undo func())
	}{
		{"the third file fails to write", func(t *testing.T, dir string) func() {
			old := write
			write = func(w io.Writer, data []byte) error {
				if strings.Contains(filepath.Base(w.(*os.File).Name()), ".html") {
					return &os.PathError{Op: "write", Path: w.(*os.File).Name(), Err: syscall.EIO}
				}
				return old(w, data)
			}
			return func() { write = old }
		}},
		{"the disk fills on the third file", func(t *testing.T, dir string) func() {
			old := write
			write = func(w io.Writer, data []byte) error {
				if strings.Contains(filepath.Base(w.(*os.File).Name()), ".html") {
					return &os.PathError{Op: "write", Path: w.(*os.File).Name(), Err: syscall.ENOSPC}
				}
				return old(w, data)
			}
			return func() { write = old }
		}},
		{"the second file cannot be put in place after the first is", func(t *testing.T, dir string) func() {
			// A folder has taken the DOCX's name: the PDF could be moved
			// into place, the DOCX not.
			docx := filepath.Join(dir, "action-plan-progress.docx")
			os.Remove(docx)
			if err := os.MkdirAll(filepath.Join(docx, "kept"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(docx, "kept", "note.txt"), []byte("the clerk's"), 0o644)
			return func() {}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "2020-11-26")
			if err := Write(context.Background(), fourFiles(dir, "old")); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "minutes draft.docx"), []byte("the clerk's own"), 0o644)
			undo := tc.inject(t, dir)
			before := snapshot(t, parent)
			err := Write(context.Background(), fourFiles(dir, "new"))
			undo()
			if err == nil {
				t.Fatal("Write succeeded; the test injected no failure")
			}
			sameTree(t, "after "+err.Error(), snapshot(t, parent), before)
		})
	}
}

// The swap itself failing (the last step) leaves the previous set whole and
// nothing behind.
func TestSwapFails(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := Write(context.Background(), fourFiles(dir, "old")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, parent)
	old := exchangeDirs
	t.Cleanup(func() { exchangeDirs = old })
	exchangeDirs = func(a, b string) error { return &os.LinkError{Op: "renameat2", Old: a, New: b, Err: syscall.EIO} }
	err := Write(context.Background(), fourFiles(dir, "new"))
	if err == nil || err.Error() != "cannot move the outputs into place in "+dir+": input/output error" {
		t.Errorf("error %v", err)
	}
	sameTree(t, "after a failed swap", snapshot(t, parent), before)
}

// Files in the folder that are not the set's own (a clerk's, another
// report's, a subfolder, a link) are still there after the set is
// replaced, unchanged; so is a file put there while the set was being
// swapped in. A folder reached by a symbolic link stays a link.
func TestOtherFilesKept(t *testing.T) {
	parent := t.TempDir()
	real := filepath.Join(parent, "real")
	dir := filepath.Join(parent, "2020-11-26")
	if err := os.MkdirAll(filepath.Join(real, "appendices", "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", dir); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), fourFiles(dir, "old")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "minutes draft.docx"), []byte("the clerk's own"), 0o600)
	os.WriteFile(filepath.Join(dir, "appendices", "old", "a.pdf"), []byte("appendix"), 0o644)
	os.Symlink("minutes draft.docx", filepath.Join(dir, "latest minutes"))
	os.Chmod(real, 0o750)
	before, _ := os.Stat(filepath.Join(dir, "minutes draft.docx"))

	old := exchangeDirs
	t.Cleanup(func() { exchangeDirs = old })
	exchangeDirs = func(a, b string) error {
		// Saved by a clerk after the folder was carried across.
		os.WriteFile(filepath.Join(b, "late.txt"), []byte("just saved"), 0o644)
		return old(a, b)
	}
	if err := Write(context.Background(), fourFiles(dir, "new")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		".":                         "dir",
		"action-plan-progress.pdf":  "new.pdf",
		"action-plan-progress.docx": "new.docx",
		"action-plan-progress.html": "new.html",
		"action-plan-progress.json": "new.json",
		"minutes draft.docx":        "the clerk's own",
		"appendices":                "dir",
		"appendices/old":            "dir",
		"appendices/old/a.pdf":      "appendix",
		"latest minutes":            "-> minutes draft.docx",
		"late.txt":                  "just saved",
	}
	sameTree(t, "the folder", snapshot(t, real), want)
	if target, err := os.Readlink(dir); err != nil || target != "real" {
		t.Errorf("%s is no longer the link to real: %q %v", dir, target, err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 {
		t.Errorf("left in %s: %v", parent, entries)
	}
	after, err := os.Stat(filepath.Join(dir, "minutes draft.docx"))
	if err != nil || after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the clerk's file changed: %v %v, was %v %v", after.Mode(), after.ModTime(), before.Mode(), before.ModTime())
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o750 {
		t.Errorf("folder mode %v, want the previous 0750", st.Mode().Perm())
	}
}

// Stopped (Ctrl-C, SIGTERM) after every file is written but before the
// swap: nothing changes and no fresh folder is left.
func TestStoppedBeforeSwap(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := Write(context.Background(), fourFiles(dir, "old")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, parent)
	ctx, cancel := context.WithCancel(context.Background())
	var b Batch
	defer b.Abort()
	for _, f := range fourFiles(dir, "new") {
		s, err := b.Create(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		s.Write(f.Data)
		s.Close()
	}
	cancel()
	if err := b.Commit(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit: %v", err)
	}
	sameTree(t, "after a stop", snapshot(t, parent), before)
}
