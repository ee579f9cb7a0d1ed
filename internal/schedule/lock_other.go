//go:build !unix

package schedule

import (
	"errors"
	"fmt"
)

// ErrLocked means another run holds the lock.
var ErrLocked = errors.New("another run is in progress")

// Lock is not available on this system: scheduled runs need flock(2).
type Lock struct{}

// Acquire fails: scheduled runs are supported on Linux and other Unix systems.
func Acquire(path string) (*Lock, error) {
	return nil, fmt.Errorf("lock %s: scheduled runs need a Unix system (flock)", path)
}

// AcquireShared succeeds without locking anything, so that the portal runs
// here; Acquire, which restore needs, fails.
func AcquireShared(path string) (*Lock, error) { return &Lock{}, nil }

// Release does nothing.
func (l *Lock) Release() error { return nil }
