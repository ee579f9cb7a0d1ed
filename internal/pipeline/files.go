package pipeline

import (
	"context"
	"errors"
	"path/filepath"

	"papers/internal/atomicfile"
)

// Save writes each output as dir/name+ext, all or none, in one step (see
// atomicfile.Write): nothing is put in place unless all are ready and ctx
// has not ended (then Save returns ErrStopped). A full
// disk gives an error that errors.Is atomicfile.ErrFull. It returns the
// paths written.
func Save(ctx context.Context, dir, name string, files []File) ([]string, error) {
	fs := make([]atomicfile.File, len(files))
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = filepath.Join(dir, name+f.Ext)
		fs[i] = atomicfile.File{Path: paths[i], Data: f.Data}
	}
	if err := atomicfile.Write(ctx, fs); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, ErrStopped
		}
		return nil, err
	}
	return paths, nil
}
