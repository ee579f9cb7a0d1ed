package pack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"papers/internal/atomicfile"
)

// readFile reads an item's PDF, naming it in any error.
func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	return b, nil
}

// Save writes both packs into dir, both or neither, in one step (see
// atomicfile.Write): they appear together only when both are complete and
// ctx has not ended (then Save returns ctx's
// error and nothing is written). It returns the paths written (public pack
// first).
func (p *Packs) Save(ctx context.Context, dir string) ([]string, error) {
	packs := []*Pack{p.Public, p.Members}
	files := make([]atomicfile.File, len(packs))
	paths := make([]string, len(packs))
	for i, pk := range packs {
		if pk == nil || len(pk.PDF) == 0 {
			return nil, errors.New("pack: nothing to save")
		}
		paths[i] = filepath.Join(dir, pk.Name)
		files[i] = atomicfile.File{Path: paths[i], Data: pk.PDF}
	}
	if err := atomicfile.Write(ctx, files); err != nil {
		return nil, err
	}
	return paths, nil
}
