//go:build unix

package schedule

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked means another run holds the lock.
var ErrLocked = errors.New("another run is in progress")

// Lock is an exclusive lock on a file, held with flock(2): the kernel
// releases it when the holding process ends, however it ends, so a crashed
// run never blocks the next one. The file records the holder's process ID
// for people reading it; the lock, not the file's existence, is what counts.
type Lock struct {
	f         *os.File
	exclusive bool
}

// Acquire takes the lock at path without waiting. It returns ErrLocked
// (naming the holder's process ID when known) if another run holds it.
func Acquire(path string) (*Lock, error) {
	return acquire(path, syscall.LOCK_EX)
}

// AcquireShared takes the lock at path shared, without waiting: any number
// of holders may share it (several portals on one database), and while they
// do Acquire fails with ErrLocked. It fails with ErrLocked while Acquire's
// holder has it.
func AcquireShared(path string) (*Lock, error) {
	return acquire(path, syscall.LOCK_SH)
}

func acquire(path string, how int) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b[:n]))); perr == nil {
				return nil, fmt.Errorf("%w (process %d holds %s)", ErrLocked, pid, path)
			}
			return nil, fmt.Errorf("%w (%s is held)", ErrLocked, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if how == syscall.LOCK_EX { // a shared lock's holders are several: the file names none
		f.Truncate(0)
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f, exclusive: how == syscall.LOCK_EX}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	if l.exclusive {
		l.f.Truncate(0)
	}
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
