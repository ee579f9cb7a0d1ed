// Package atomicfile writes a set of files all or none: each file goes to a
// temporary file beside its final path, and only when every one is written
// and synced, and the run has not been stopped, are they renamed into place.
// A failure (a full disk, a folder that cannot be written, a signal) leaves
// the files that were there before as they were, and no temporary files.
package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
func Write(ctx context.Context, files []File) (err error) {
	var staged []pending
	made := map[string][]string{} // folder → the folders mkdirAll made for it
	defer func() {
		if err == nil {
			return
		}
		for _, p := range staged {
			os.Remove(p.tmp)
		}
		for _, dirs := range made {
			for _, d := range dirs { // deepest first; only empty ones go
				os.Remove(d)
			}
		}
	}()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		dir := filepath.Dir(f.Path)
		if _, ok := made[dir]; !ok {
			dirs, err := mkdirAll(dir)
			if err != nil {
				return err
			}
			made[dir] = dirs
		}
		p, err := stage(f)
		if err != nil {
			return err
		}
		staged = append(staged, p)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, p := range staged {
		if err := os.Rename(p.tmp, p.final); err != nil {
			// Renames in one folder of files already written do not fail
			// for want of space; if one does, the rest stay as they were.
			staged = staged[i:]
			return fmt.Errorf("cannot move %s into place: %s", p.final, reason(err))
		}
	}
	// The renames are in the folders' entries: sync those too, or a power
	// cut soon after could bring back the old files (or none). The files
	// are in place by now, so a folder that cannot be synced is not an
	// error to report.
	synced := map[string]bool{}
	for _, p := range staged {
		if dir := filepath.Dir(p.final); !synced[dir] {
			synced[dir] = true
			syncDir(dir)
		}
	}
	return nil
}

// syncDir flushes a folder's entries to disk; tests replace it to watch.
var syncDir = func(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// pending is a file written to a temporary path beside its final one.
type pending struct{ tmp, final string }

// stage writes f to a temporary file in its folder.
func stage(f File) (pending, error) {
	dir := filepath.Dir(f.Path)
	w, err := os.CreateTemp(dir, "."+filepath.Base(f.Path)+".*.tmp")
	if err != nil {
		return pending{}, folderError(dir, err)
	}
	p := pending{tmp: w.Name(), final: f.Path}
	err = write(w, f.Data)
	if err == nil {
		err = w.Sync()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(p.tmp, 0o644)
	}
	if err != nil {
		os.Remove(p.tmp)
		if isFull(err) {
			return pending{}, fullError(dir, err)
		}
		return pending{}, fmt.Errorf("cannot write %s: %s", f.Path, reason(err))
	}
	return p, nil
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
