package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
)

// Save writes each output as dir/name+ext, all or none: each goes to a
// temporary file beside its final path and is renamed into place only when
// all are ready. It returns the paths written.
func Save(dir, name string, files []File) ([]string, error) {
	var staged []pendingFile
	for _, f := range files {
		p, err := stage(filepath.Join(dir, name+f.Ext), func(w *os.File) error {
			_, err := w.Write(f.Data)
			return err
		})
		if err != nil {
			discard(staged)
			return nil, err
		}
		staged = append(staged, p)
	}
	if err := commit(staged); err != nil {
		return nil, err
	}
	paths := make([]string, len(staged))
	for i, p := range staged {
		paths[i] = p.final
	}
	return paths, nil
}

// pendingFile is an output written to a temporary file beside its final
// path, renamed into place only when every output of a run is ready, so a
// failed run never leaves a half-written file or a mixed set.
type pendingFile struct {
	tmp, final string
}

// stage writes data to a temporary file in final's folder.
func stage(final string, write func(f *os.File) error) (pendingFile, error) {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return pendingFile{}, fmt.Errorf("cannot create output folder %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(final)+".*.tmp")
	if err != nil {
		return pendingFile{}, fmt.Errorf("cannot write to output folder %s: %w", dir, err)
	}
	p := pendingFile{tmp: f.Name(), final: final}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p.tmp)
		return pendingFile{}, fmt.Errorf("write %s: %w", final, err)
	}
	if err := os.Chmod(p.tmp, 0o644); err != nil {
		os.Remove(p.tmp)
		return pendingFile{}, err
	}
	return p, nil
}

// commit renames every staged file into place.
func commit(files []pendingFile) error {
	for _, p := range files {
		if err := os.Rename(p.tmp, p.final); err != nil {
			discard(files)
			return fmt.Errorf("cannot move %s into place: %w", p.final, err)
		}
	}
	return nil
}

// discard removes staged files that will not be committed.
func discard(files []pendingFile) {
	for _, p := range files {
		os.Remove(p.tmp)
	}
}
