package atomicfile

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps folders a and b in one step (renameat2 RENAME_EXCHANGE):
// whoever looks at either path sees one folder or the other, never neither.
// A file system without the exchange (some network and FUSE ones answer
// EINVAL) gets the two-rename fallback.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return exchangeByRenames(a, b)
	}
	return err
}
