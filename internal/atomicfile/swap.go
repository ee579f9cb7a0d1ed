package atomicfile

import (
	"fmt"
	"os"
)

// SwapDir puts folder tmp at dir in one step. When dir exists the two are
// exchanged (atomically on Linux; see exchange), so dir is never missing or
// half-written, and the previous contents end up at tmp for the caller to
// remove. When dir does not exist, tmp is simply renamed to it.
func SwapDir(tmp, dir string) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("cannot put the outputs in place at %s: %s", dir, reason(err))
		}
		return nil
	}
	if err := exchange(tmp, dir); err != nil {
		return fmt.Errorf("cannot put the outputs in place at %s: %s", dir, reason(err))
	}
	return nil
}

// exchangeByRenames swaps folders a and b with three renames: b aside, a to
// b, then the previous b to a. Between the first two b does not exist; if
// the second fails, b is put back.
func exchangeByRenames(a, b string) error {
	aside := a + ".previous"
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(aside, b)
		return err
	}
	return os.Rename(aside, a)
}
