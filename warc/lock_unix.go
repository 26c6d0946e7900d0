//go:build unix

package warc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockSpool creates dir when missing and takes its lock: an flock on
// dir/lock, which the kernel releases when the process dies, so a crash
// leaves no stale lock.
func lockSpool(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc: spool: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("warc: spool: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrSpoolBusy, dir)
		}
		return nil, fmt.Errorf("warc: lock spool %s: %w", dir, err)
	}
	return f, nil
}

// unlockSpool releases the lock lockSpool took.
func unlockSpool(f *os.File) { f.Close() }
