// Package atomicfile writes a set of files all or none, and puts the set in
// place in one step. The files of a folder are written into a fresh folder
// beside it; only when every one is written and synced, and the run has not
// been stopped, is that folder swapped with the real one in a single
// rename (renameat2 RENAME_EXCHANGE on Linux), and the previous folder
// removed. Anything else in the folder (a file a clerk put there, another
// report) is carried across into the fresh folder first, hard-linked where
// the file system allows, so nothing but the set's own files changes. A
// set of one file needs no swap: it is renamed into place, which is one
// step already.
//
// A failure (a full disk, a folder that cannot be written, a signal) leaves
// the files that were there before as they were, and no temporary files or
// folders. Where the exchange is not available (other systems, file systems
// that refuse it), the folder is moved aside and the fresh one renamed in
// its place: missing for a moment, never mixed.
package atomicfile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
)

// ErrFull is returned (wrapped) when the disk is full.
var ErrFull = errors.New("the disk is full")

// File is one file to write.
type File struct {
	Path string
	Data []byte
}

// write copies data to a staged file; tests replace it to fake a full disk.
var write = func(w io.Writer, data []byte) error {
	_, err := w.Write(data)
	return err
}

// Write writes files all or none, each folder's in one step (see the
// package comment). When ctx ends before the files are put in place,
// nothing is written and Write returns ctx's error. A folder
// Write had to create is removed again when nothing was written to it.
func Write(ctx context.Context, files []File) error {
	var b Batch
	defer b.Abort()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		s, err := b.Create(f.Path)
		if err != nil {
			return err
		}
		s.Write(f.Data) // an error is kept for Close
		if err := s.Close(); err != nil {
			return err
		}
	}
	return b.Commit(ctx)
}

// Batch is a set of files written as streams, all or none: Create stages
// each in a fresh folder beside its final folder, and Commit puts each
// folder's files in place in one step once every one is written and synced.
// Until then (and for good after Abort) the files that were there before
// stay as they were. A long report is written this way straight from its
// renderers, rather than held in memory until the end.
//
// The files of one folder appear together; a batch spanning several
// folders puts them in place one folder after another.
//
// Create, Commit and Abort are for one goroutine; each Staged file may be
// written and closed by a goroutine of its own.
type Batch struct {
	staged  []*Staged
	folders []*folder
	made    map[string][]string // folder → the folders mkdirAll made for it
	ended   atomic.Bool         // committed or aborted
}

// folder is one final folder of a Batch and the fresh folder its files are
// staged in.
type folder struct {
	dir   string // the final folder, as the caller named it
	real  string // dir with symbolic links resolved: what is swapped
	tmp   string // the fresh folder beside real
	names []string
}

// Staged is one file of a Batch being written. Writes are buffered; a
// failed write (a full disk) is kept and returned by every later Write and
// by Close.
type Staged struct {
	batch      *Batch
	tmp, final string
	f          *os.File
	w          *bufio.Writer
	err        error
	closed     bool
}

// errAborted is what a Staged file's writes return once its batch has
// been abandoned: the renderer writing it can stop.
var errAborted = errors.New("the output was abandoned")

// Create stages a new file, to be put at path by Commit. It makes path's
// folder if need be, and fails at once when that folder cannot be written.
func (b *Batch) Create(path string) (*Staged, error) {
	if b.ended.Load() {
		return nil, errAborted
	}
	fd, err := b.folder(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	if slices.Contains(fd.names, name) {
		return nil, fmt.Errorf("cannot write %s twice in one set of outputs", path)
	}
	f, err := os.OpenFile(filepath.Join(fd.tmp, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, folderError(fd.dir, err)
	}
	fd.names = append(fd.names, name)
	s := &Staged{batch: b, tmp: f.Name(), final: path, f: f}
	s.w = bufio.NewWriterSize(fileWriter{s}, 256<<10)
	b.staged = append(b.staged, s)
	return s, nil
}

// probePrefix starts the name of the empty file Create makes, and removes
// at once, to learn whether a folder can be written. Another batch's carry
// must not take it across.
const probePrefix = ".papers-probe-"

// folder returns dir's staging folder, making it (and dir) the first time.
func (b *Batch) folder(dir string) (*folder, error) {
	for _, fd := range b.folders {
		if fd.dir == dir {
			return fd, nil
		}
	}
	if b.made == nil {
		b.made = map[string][]string{}
	}
	dirs, err := mkdirAll(dir)
	if err != nil {
		return nil, err
	}
	b.made[dir] = dirs
	// The swap needs only the parent to be writable; a folder the clerk
	// made read-only must still refuse new files, as it did when they were
	// written into it.
	probe, err := os.CreateTemp(dir, probePrefix+"*")
	if err != nil {
		return nil, folderError(dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, folderError(dir, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(real), "."+filepath.Base(real)+".writing-")
	if err != nil {
		return nil, folderError(filepath.Dir(real), err)
	}
	fd := &folder{dir: dir, real: real, tmp: tmp}
	b.folders = append(b.folders, fd)
	return fd, nil
}

// fileWriter hands a Staged file's buffered bytes to write, the hook.
type fileWriter struct{ s *Staged }

func (w fileWriter) Write(p []byte) (int, error) {
	if w.s.batch.ended.Load() {
		return 0, errAborted
	}
	if err := write(w.s.f, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Write adds p to the file.
func (s *Staged) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err != nil {
		s.fail(err)
	}
	return n, s.err
}

// WriteString adds str to the file.
func (s *Staged) WriteString(str string) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.WriteString(str)
	if err != nil {
		s.fail(err)
	}
	return n, s.err
}

// fail keeps the first error, in the words the CLI shows.
func (s *Staged) fail(err error) {
	switch {
	case s.err != nil:
	case errors.Is(err, errAborted):
		s.err = err
	case isFull(err):
		s.err = fullError(filepath.Dir(s.final), err)
	default:
		s.err = fmt.Errorf("cannot write %s: %s", s.final, reason(err))
	}
}

// Close finishes the file: its last bytes written and synced to disk. It
// returns the first error the file met. Closing twice is harmless.
func (s *Staged) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	if s.err == nil {
		if err := s.w.Flush(); err != nil {
			s.fail(err)
		}
	}
	if s.err == nil {
		if err := s.f.Sync(); err != nil {
			s.fail(err)
		}
	}
	if err := s.f.Close(); err != nil {
		s.fail(err)
	}
	if s.err == nil {
		if err := os.Chmod(s.tmp, 0o644); err != nil {
			s.fail(err)
		}
	}
	return s.err
}

// Commit closes any file not yet closed and, when every one was written
// and ctx has not ended, puts each folder's files in place in one step (see
// the package comment) and syncs the folders. Otherwise it returns the
// first file's error (or ctx's), and nothing is written.
func (b *Batch) Commit(ctx context.Context) error {
	if b.ended.Load() {
		return errAborted
	}
	for _, s := range b.staged {
		if err := s.Close(); err != nil {
			b.Abort()
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		b.Abort()
		return err
	}
	b.ended.Store(true)
	for i, fd := range b.folders {
		if err := fd.commit(); err != nil {
			for _, rest := range b.folders[i:] {
				os.RemoveAll(rest.tmp)
			}
			return err
		}
	}
	return nil
}

// commit puts the folder's staged files in place and removes its staging
// folder. Only the last step changes what is at dir: a rename of the one
// file, or the exchange of the two folders.
func (fd *folder) commit() error {
	defer os.RemoveAll(fd.tmp) // after an exchange it holds the previous folder
	for _, name := range fd.names {
		// Never put an output over a folder of the same name: the swap
		// would throw away what the clerk keeps in it.
		final := filepath.Join(fd.dir, name)
		if st, err := os.Lstat(final); err == nil && st.IsDir() {
			return fmt.Errorf("cannot move %s into place: a folder has that name", final)
		}
	}
	if len(fd.names) == 1 {
		final := filepath.Join(fd.dir, fd.names[0])
		if err := rename(filepath.Join(fd.tmp, fd.names[0]), final); err != nil {
			return fmt.Errorf("cannot move %s into place: %s", final, reason(err))
		}
		syncDir(fd.dir)
		return nil
	}
	if err := carry(fd.real, fd.tmp, fd.names); err != nil {
		if isFull(err) {
			return fullError(fd.dir, err)
		}
		return fmt.Errorf("cannot move the outputs into place in %s: %s", fd.dir, reason(err))
	}
	if st, err := os.Stat(fd.real); err == nil {
		os.Chmod(fd.tmp, st.Mode().Perm())
	}
	syncDir(fd.tmp)
	if err := exchangeDirs(fd.tmp, fd.real); err != nil {
		return fmt.Errorf("cannot move the outputs into place in %s: %s", fd.dir, reason(err))
	}
	syncDir(filepath.Dir(fd.real))
	// Anything put in the folder after it was carried across (by a clerk,
	// or another set of outputs written at the same moment) is in the
	// previous folder now: move it to the new one.
	moveNew(fd.tmp, fd.real)
	return nil
}

// Test hooks: the rename of a single file, and the exchange of two
// folders.
var (
	rename       = os.Rename
	exchangeDirs = exchange
)

// carry puts everything in from into to, except the names listed (the
// outputs being replaced): files hard-linked where the file system allows,
// else copied; folders made anew and filled the same way; symbolic links
// copied as links.
func carry(from, to string, except []string) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if slices.Contains(except, e.Name()) || strings.HasPrefix(e.Name(), probePrefix) {
			continue
		}
		src, dst := filepath.Join(from, e.Name()), filepath.Join(to, e.Name())
		st, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since it was listed
		}
		if err != nil {
			return err
		}
		switch {
		case st.IsDir():
			if err := os.Mkdir(dst, st.Mode().Perm()); err != nil {
				return err
			}
			if err := carry(src, dst, nil); err != nil {
				return err
			}
			os.Chmod(dst, st.Mode().Perm())
			os.Chtimes(dst, st.ModTime(), st.ModTime())
		case st.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(src)
			if err != nil {
				return err
			}
			if err := os.Symlink(target, dst); err != nil {
				return err
			}
		case st.Mode().IsRegular():
			if os.Link(src, dst) == nil {
				continue
			}
			if err := copyFile(src, dst, st); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s is neither a file nor a folder, and cannot be carried across", src)
		}
	}
	return nil
}

// copyFile copies a regular file, keeping its mode and time.
func copyFile(src, dst string, st fs.FileInfo) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm())
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Chtimes(dst, st.ModTime(), st.ModTime())
}

// moveNew moves each entry of old that to lacks into to.
func moveNew(old, to string) {
	entries, _ := os.ReadDir(old)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), probePrefix) {
			continue
		}
		dst := filepath.Join(to, e.Name())
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			os.Rename(filepath.Join(old, e.Name()), dst)
		}
	}
}

// Abort abandons the batch: its staging folders are removed (a goroutine
// still writing a file gets errAborted), and so are the folders Create
// made, when empty. After Commit it does nothing, so it can be deferred.
// Each staged file must still be closed, by whoever was writing it.
func (b *Batch) Abort() {
	if b.ended.Swap(true) {
		return
	}
	for _, fd := range b.folders {
		os.RemoveAll(fd.tmp)
	}
	for _, dirs := range b.made {
		for _, d := range dirs { // deepest first; only empty ones go
			os.Remove(d)
		}
	}
}

// syncDir flushes a folder's entries to disk; tests replace it to watch.
var syncDir = func(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// mkdirAll makes dir and returns the folders it made, deepest first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		for _, d := range missing {
			os.Remove(d)
		}
		if isFull(err) {
			return nil, fullError(dir, err)
		}
		return nil, fmt.Errorf("cannot create output folder %s: %s", dir, reason(err))
	}
	return missing, nil
}

// folderError explains why no file could be made in dir.
func folderError(dir string, err error) error {
	if isFull(err) {
		return fullError(dir, err)
	}
	return fmt.Errorf("cannot write to output folder %s: %s", dir, reason(err))
}

func fullError(dir string, err error) error { return &fullErr{dir, err} }

// fullErr is a write that failed for want of space.
type fullErr struct {
	dir string
	err error
}

func (e *fullErr) Error() string {
	return fmt.Sprintf("cannot write to output folder %s: the disk is full (%s), so nothing was written: free some space there and run again", e.dir, reason(e.err))
}

func (e *fullErr) Unwrap() []error { return []error{ErrFull, e.err} }

// Full returns the full-disk error err holds (it names the folder, which is
// what a clerk can act on), or nil.
func Full(err error) error {
	var f *fullErr
	if errors.As(err, &f) {
		return f
	}
	return nil
}

func isFull(err error) bool { return errors.Is(err, syscall.ENOSPC) }

// reason is the system's words for err, without the path (which the caller
// names once, its own way).
func reason(err error) string {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err.Error()
	case errors.As(err, &le):
		return le.Err.Error()
	}
	return err.Error()
}
