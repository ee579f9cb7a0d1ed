//go:build !linux

package schedule

import (
	"fmt"
	"os"
)

// swapInto puts folder tmp at out. Without Linux's atomic exchange it moves
// the previous outputs aside and the new ones in: two renames, with a moment
// between them when out does not exist. The previous outputs end up at tmp.
func swapInto(tmp, out string) error {
	if !dirExists(out) {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("cannot put the outputs in place at %s: %w", out, err)
		}
		return nil
	}
	old := tmp + ".previous"
	if err := os.Rename(out, old); err != nil {
		return fmt.Errorf("cannot move the previous outputs aside at %s: %w", out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Rename(old, out)
		return fmt.Errorf("cannot put the outputs in place at %s: %w", out, err)
	}
	return os.Rename(old, tmp)
}
