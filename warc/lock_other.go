//go:build !unix

package warc

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockSpool creates dir when missing. Without flock there is no lock on
// these systems: one Writer per spool directory is up to the caller.
func lockSpool(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc: spool: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("warc: spool: %w", err)
	}
	return f, nil
}

func unlockSpool(f *os.File) { f.Close() }
