//go:build !unix

package storage

import (
	"errors"
	"os"
)

// tryLock: archive locking needs flock, which this system lacks.
func tryLock(*os.File) (bool, error) {
	return false, errors.New("archive locking is not supported on this system")
}

func unlock(*os.File) error { return nil }
