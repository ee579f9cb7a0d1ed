package schedule

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// swapInto puts folder tmp at out in one step: when out exists the two are
// exchanged atomically (renameat2 RENAME_EXCHANGE), so out is never missing
// or half-written; the previous outputs end up at tmp.
func swapInto(tmp, out string) error {
	if !dirExists(out) {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("cannot put the outputs in place at %s: %w", out, err)
		}
		return nil
	}
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE); err != nil {
		return fmt.Errorf("cannot put the outputs in place at %s: %w", out, err)
	}
	return nil
}
