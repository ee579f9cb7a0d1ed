// Package atomicfile writes a set of files all or none: each file goes to a
// temporary file beside its final path, and only when every one is written
// and synced, and the run has not been stopped, are they renamed into place.
// A failure (a full disk, a folder that cannot be written, a signal) leaves
// the files that were there before as they were, and no temporary files.
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

// Write writes files all or none. When ctx ends before the files are renamed
// into place, nothing is written and Write returns ctx's error. A folder
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
// each beside its final path, and Commit renames them all into place once
// every one is written and synced. Until then (and for good after Abort)
// the files that were there before stay as they were. A long report is
// written this way straight from its renderers, rather than held in memory
// until the end.
//
// Create, Commit and Abort are for one goroutine; each Staged file may be
// written and closed by a goroutine of its own.
type Batch struct {
	staged []*Staged
	made   map[string][]string // folder → the folders mkdirAll made for it
	ended  atomic.Bool         // committed or aborted
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
// folder if need be.
func (b *Batch) Create(path string) (*Staged, error) {
	if b.ended.Load() {
		return nil, errAborted
	}
	dir := filepath.Dir(path)
	if b.made == nil {
		b.made = map[string][]string{}
	}
	if _, ok := b.made[dir]; !ok {
		dirs, err := mkdirAll(dir)
		if err != nil {
			return nil, err
		}
		b.made[dir] = dirs
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, folderError(dir, err)
	}
	s := &Staged{batch: b, tmp: f.Name(), final: path, f: f}
	s.w = bufio.NewWriterSize(fileWriter{s}, 256<<10)
	b.staged = append(b.staged, s)
	return s, nil
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
// and ctx has not ended, renames them all into place and syncs their
// folders. Otherwise it returns the first file's error (or ctx's), and
// nothing is written.
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
	for i, s := range b.staged {
		if err := os.Rename(s.tmp, s.final); err != nil {
			// Renames in one folder of files already written do not fail
			// for want of space; if one does, the rest stay as they were.
			for _, rest := range b.staged[i:] {
				os.Remove(rest.tmp)
			}
			return fmt.Errorf("cannot move %s into place: %s", s.final, reason(err))
		}
	}
	// The renames are in the folders' entries: sync those too, or a power
	// cut soon after could bring back the old files (or none). The files
	// are in place by now, so a folder that cannot be synced is not an
	// error to report.
	synced := map[string]bool{}
	for _, s := range b.staged {
		if dir := filepath.Dir(s.final); !synced[dir] {
			synced[dir] = true
			syncDir(dir)
		}
	}
	return nil
}

// Abort abandons the batch: its staged files are removed (a goroutine
// still writing one gets errAborted), and so are the folders Create made,
// when empty. After Commit it does nothing, so it can be deferred. Each
// staged file must still be closed, by whoever was writing it.
func (b *Batch) Abort() {
	if b.ended.Swap(true) {
		return
	}
	for _, s := range b.staged {
		os.Remove(s.tmp)
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
