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

// previous writes the files an earlier run left, and returns a check that
// they are still there, unchanged, with nothing beside them.
func previous(t *testing.T, dir string) func() {
	t.Helper()
	if err := Write(context.Background(), []File{{filepath.Join(dir, "r.pdf"), []byte("old pdf")}, {filepath.Join(dir, "r.json"), []byte("old json")}}); err != nil {
		t.Fatal(err)
	}
	return func() {
		t.Helper()
		for name, want := range map[string]string{"r.pdf": "old pdf", "r.json": "old json"} {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
				t.Errorf("%s: %q %v, want the previous %q", name, b, err, want)
			}
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 2 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("left in %s: %v", dir, names)
		}
	}
}

func newFiles(dir string) []File {
	return []File{{filepath.Join(dir, "r.pdf"), []byte("new pdf")}, {filepath.Join(dir, "r.json"), []byte("new json")}}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "2020-11-26")
	previous(t, dir)
	if err := Write(context.Background(), newFiles(dir)); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"r.pdf": "new pdf", "r.json": "new json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q %v", name, b, err)
		}
		if st, _ := os.Stat(filepath.Join(dir, name)); st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v", name, st.Mode())
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// A full disk, faked: the second file's write fails half way with ENOSPC,
// as write(2) does. The error says so and names the folder; the previous
// files stay; no temporary file is left; with space again, it works.
func TestWriteFullDisk(t *testing.T) {
	dir := t.TempDir()
	unchanged := previous(t, dir)
	defer func(f func(io.Writer, []byte) error) { write = f }(write)
	calls := 0
	write = func(w io.Writer, data []byte) error {
		calls++
		if calls < 2 {
			_, err := w.Write(data)
			return err
		}
		w.Write(data[:len(data)/2])
		return &os.PathError{Op: "write", Path: w.(*os.File).Name(), Err: syscall.ENOSPC}
	}

	err := Write(context.Background(), newFiles(dir))
	if !errors.Is(err, ErrFull) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("error %v, want ErrFull", err)
	}
	msg := err.Error()
	for _, want := range []string{"output folder " + dir, "the disk is full", "nothing was written", "free some space"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, ".tmp") || strings.Contains(msg, "\n") {
		t.Errorf("message names a temporary file or runs over lines: %s", msg)
	}
	unchanged()

	// A folder made for the files goes again when they could not be written.
	fresh := filepath.Join(t.TempDir(), "out", "2020-11-26")
	calls = 0
	if err := Write(context.Background(), newFiles(fresh)); !errors.Is(err, ErrFull) {
		t.Fatalf("error %v, want ErrFull", err)
	}
	if _, err := os.Stat(filepath.Dir(fresh)); err == nil {
		t.Error("a failed write left the folders it made")
	}

	write = func(w io.Writer, data []byte) error { _, err := w.Write(data); return err }
	if err := Write(context.Background(), newFiles(dir)); err != nil {
		t.Fatalf("with space again: %v", err)
	}
}

// Stopped (Ctrl-C) before the rename: nothing written, no folder made.
func TestWriteStopped(t *testing.T) {
	dir := t.TempDir()
	unchanged := previous(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer func(f func(io.Writer, []byte) error) { write = f }(write)
	calls := 0
	write = func(w io.Writer, data []byte) error {
		if calls++; calls == 2 {
			cancel() // the signal arrives while the last file is written
		}
		_, err := w.Write(data)
		return err
	}
	if err := Write(ctx, newFiles(dir)); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	unchanged()

	fresh := filepath.Join(t.TempDir(), "out", "2020-11-26")
	if err := Write(ctx, newFiles(fresh)); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(filepath.Dir(fresh)); err == nil {
		t.Error("a stopped write left the folders it made")
	}
}

func TestWriteUnwritable(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	err := Write(context.Background(), newFiles(filepath.Join(blocker, "out")))
	if err == nil || !strings.Contains(err.Error(), "cannot create output folder "+filepath.Join(blocker, "out")+": not a directory") {
		t.Errorf("error %v", err)
	}
	if os.Geteuid() == 0 {
		return // root writes in read-only folders
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	err = Write(context.Background(), newFiles(ro))
	if err == nil || err.Error() != "cannot write to output folder "+ro+": permission denied" {
		t.Errorf("error %v", err)
	}
}

// TestFoldersSynced checks that what makes a set durable is synced, once,
// at the right moment: a folder of several files is synced while it is
// still the fresh folder (its files are in it), and its parent after the
// swap (the swap is in the parent's entries); a folder given one file is
// synced after the rename, as a rename is durable only when its folder is.
func TestFoldersSynced(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	files := []File{{filepath.Join(a, "r.pdf"), []byte("1")}, {filepath.Join(a, "r.json"), []byte("2")}, {filepath.Join(b, "pack.pdf"), []byte("3")}}
	var synced []string
	old := syncDir
	t.Cleanup(func() { syncDir = old })
	syncDir = func(dir string) {
		switch {
		case strings.HasPrefix(filepath.Base(dir), ".a.writing-"):
			for _, f := range files[:2] {
				if _, err := os.Stat(filepath.Join(dir, filepath.Base(f.Path))); err != nil {
					t.Errorf("fresh folder synced before %s was written into it", f.Path)
				}
			}
			dir = "fresh a"
		case dir == root:
			for _, f := range files[:2] {
				if _, err := os.Stat(f.Path); err != nil {
					t.Errorf("%s synced before %s was in place", dir, f.Path)
				}
			}
		case dir == b:
			if _, err := os.Stat(files[2].Path); err != nil {
				t.Errorf("%s synced before %s was in place", dir, files[2].Path)
			}
		}
		synced = append(synced, dir)
		old(dir)
	}
	if err := Write(context.Background(), files); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(synced, " "), "fresh a "+root+" "+b; got != want {
		t.Errorf("synced %v, want %s", synced, want)
	}
}

// A batch streams its files, from goroutines of their own, and nothing
// shows at the final paths until Commit.
func TestBatchStreams(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	previous(t, dir)
	var b Batch
	defer b.Abort()
	want := map[string]string{}
	var files []*Staged
	for _, name := range []string{"r.pdf", "r.json"} {
		s, err := b.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, s)
		want[name] = strings.Repeat(name+" line\n", 100000) // past the buffer, so flushed while written
	}
	done := make(chan error, len(files))
	for i, s := range files {
		name := []string{"r.pdf", "r.json"}[i]
		go func() {
			for range 100000 {
				if _, err := s.WriteString(name + " line\n"); err != nil {
					done <- err
					return
				}
			}
			done <- s.Close()
		}()
	}
	for range files {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// Written and synced, but not yet in place.
	for name, old := range map[string]string{"r.pdf": "old pdf", "r.json": "old json"} {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != old {
			t.Errorf("%s before Commit: %.20q, want the previous %q", name, got, old)
		}
	}
	if err := b.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != w {
			t.Errorf("%s: %d bytes %v, want %d", name, len(got), err, len(w))
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// Abandoned while a file is being written (Ctrl-C): the writer's next
// flush fails, the temporary files and the folder made go at once, and the
// previous files stay.
func TestBatchAbortWhileWriting(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out", "2020-11-26")
	var b Batch
	s, err := b.Create(filepath.Join(dir, "r.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(make([]byte, 300<<10)); err != nil {
		t.Fatal(err)
	}
	b.Abort()
	if _, err := os.Stat(filepath.Join(root, "out")); !os.IsNotExist(err) {
		t.Errorf("the folders made are still there: %v", err)
	}
	if _, err := s.Write(make([]byte, 300<<10)); !errors.Is(err, errAborted) {
		t.Errorf("a write after Abort: %v, want errAborted", err)
	}
	s.Close()
	if err := b.Commit(context.Background()); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf")); !os.IsNotExist(err) {
		t.Errorf("r.pdf: %v, want nothing written", err)
	}
}

// A full disk met part way through a streamed file: Close says so, naming
// the folder; Commit puts nothing in place.
func TestBatchFullDiskMidStream(t *testing.T) {
	dir := t.TempDir()
	unchanged := previous(t, dir)
	defer func(f func(io.Writer, []byte) error) { write = f }(write)
	written := 0
	write = func(w io.Writer, data []byte) error {
		if written += len(data); written > 1<<20 {
			return &os.PathError{Op: "write", Path: w.(*os.File).Name(), Err: syscall.ENOSPC}
		}
		_, err := w.Write(data)
		return err
	}
	var b Batch
	defer b.Abort()
	s, err := b.Create(filepath.Join(dir, "r.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 100 && werr == nil; i++ {
		_, werr = s.Write(make([]byte, 64<<10))
	}
	if !errors.Is(werr, ErrFull) {
		t.Fatalf("writing past the space: %v, want ErrFull", werr)
	}
	if err := s.Close(); !errors.Is(err, ErrFull) || !strings.Contains(err.Error(), "output folder "+dir) || Full(err) == nil {
		t.Errorf("Close: %v", err)
	}
	if err := b.Commit(context.Background()); !errors.Is(err, ErrFull) {
		t.Errorf("Commit: %v, want ErrFull", err)
	}
	unchanged()
}

// A file that cannot be moved into place (a folder has taken its name) is
// named in the error, and no temporary file is left behind.
func TestCommitRenameFails(t *testing.T) {
	dir := t.TempDir()
	blocked := filepath.Join(dir, "r.json")
	if err := os.MkdirAll(filepath.Join(blocked, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := Write(context.Background(), newFiles(dir))
	if err == nil || !strings.Contains(err.Error(), "cannot move "+blocked+" into place") {
		t.Fatalf("err = %v, want one naming %s", err, blocked)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
