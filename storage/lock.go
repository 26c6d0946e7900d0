package storage

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LockName is the lock file of a disk archive, beside its articles/
// directory; an S3 archive's lock file lives beside its local crawl state
// and catalog (see cmd/gisa). It is a valid key, so a Disk over the archive
// directory lists it under "" (never under articles/ or any other prefix
// the Archive uses).
const LockName = ".gisa-lock"

// Lock is an archive's writer lock: one process at a time holds it, and a
// process holds it before it touches anything in the archive (removes a
// temporary file, opens the catalog for writing, writes an object). Readers
// (gisa stats) do not take it.
//
// The lock is an flock on a small file that names its holder; the kernel
// drops it when the holder exits, however it exits, so a crash never leaves
// an archive locked.
type Lock struct {
	f    *os.File
	path string
}

// LockArchive takes the writer lock in file path, creating the file and its
// parent directories when missing, and records holder (say "gisa crawl"),
// this process's ID and the time in it.
//
// When another process holds the lock, LockArchive waits for nothing: it
// returns at once an error wrapping ErrInUse that names the path and what
// the holder recorded ("archive lock /a/.gisa-lock is in use by another
// process: gisa crawl, pid 1234, since 2026-12-07T02:00:00Z"), and it has
// changed nothing.
// Release the lock with Unlock.
func LockArchive(path, holder string) (*Lock, error) {
	if path == "" {
		return nil, errors.New("lock archive: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !held {
		who := readHolder(f)
		f.Close()
		return nil, fmt.Errorf("archive lock %s is %w: %s", path, ErrInUse, who)
	}
	line := fmt.Sprintf("%s, pid %d, since %s\n", holder, os.Getpid(), time.Now().UTC().Format(time.RFC3339))
	if err := writeHolder(f, line); err != nil {
		unlock(f)
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f, path: path}, nil
}

// readHolder returns the holder line of a lock file, or a word saying it
// names none.
func readHolder(f *os.File) string {
	var buf [512]byte
	n, _ := f.ReadAt(buf[:], 0)
	line, _, _ := bytes.Cut(buf[:n], []byte("\n"))
	if s := strings.TrimSpace(string(line)); s != "" {
		return s
	}
	return "holder unknown"
}

func writeHolder(f *os.File, line string) error {
	if _, err := f.WriteAt([]byte(line), 0); err != nil {
		return err
	}
	return f.Truncate(int64(len(line)))
}

// Path is the lock file.
func (l *Lock) Path() string { return l.path }

// Unlock releases the lock. The file stays, naming its last holder; that
// is harmless, as only a held flock counts. Unlocking twice is not an
// error.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	err := unlock(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unlock %s: %w", l.path, err)
	}
	return nil
}
