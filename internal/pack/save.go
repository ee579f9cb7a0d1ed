package pack

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// Save writes both packs into dir, both or neither: they are written into
// a temporary folder beside dir and renamed into place only when both are
// complete. It returns the paths written (public pack first).
func (p *Packs) Save(dir string) ([]string, error) {
	packs := []*Pack{p.Public, p.Members}
	for _, pk := range packs {
		if pk == nil || len(pk.PDF) == 0 {
			return nil, errors.New("pack: nothing to save")
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create output folder %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, ".packs-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("cannot write to output folder %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // whatever was not renamed into place
	for _, pk := range packs {
		if err := writeSynced(filepath.Join(tmp, pk.Name), pk.PDF); err != nil {
			return nil, fmt.Errorf("write %s: %w", filepath.Join(dir, pk.Name), err)
		}
	}
	var done []string
	for _, pk := range packs {
		final := filepath.Join(dir, pk.Name)
		if err := os.Rename(filepath.Join(tmp, pk.Name), final); err != nil {
			// Take back what was moved: a set of packs is never mixed.
			for _, d := range done {
				os.Remove(d)
			}
			return nil, fmt.Errorf("cannot move %s into place: %w", final, err)
		}
		done = append(done, final)
	}
	return done, nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
