//go:build linux

package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"strconv"

	"golang.org/x/sys/unix"
)

// putUnnamed is Put's way on Linux: it makes key's directory when missing
// (see mkdirs), writes data to an unnamed file in it (O_TMPFILE), fsyncs it and links it in under key, then
// fsyncs the directory. A new object so appears whole, by one link in its
// own directory: no name in tempDir is created and renamed away, which
// made every Put lock tempDir twice and take the file system's rename lock
// for a rename across directories. A crash before the link leaves no name
// at all (the file system frees the unnamed file), so there is nothing for
// NewDisk to remove. When key is taken (an object to replace, or a
// directory), the file is linked into tempDir under a temporary name and
// renamed over key as before, so that a crash between the two leaves a
// name NewDisk finds.
//
// done is false, with nothing stored, when the file system or the system
// cannot make or link unnamed files (no O_TMPFILE, no /proc); Put then
// writes a named temporary file, and later Puts go that way at once.
func (d *Disk) putUnnamed(ctx context.Context, key string, data []byte) (done bool, err error) {
	if d.noUnnamed.Load() {
		return false, nil
	}
	dir, base := path.Dir(key), path.Base(key)
	// The directory is opened first and made only when missing: most
	// Puts go into a directory that exists.
	df, err := d.root.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil && (missing(err) || errors.Is(err, unix.ENOTDIR)) {
		if err := d.mkdirs(dir); err != nil {
			return true, fmt.Errorf("put %s: %w", key, FileError(err))
		}
		df, err = d.root.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY, 0)
	}
	if err != nil {
		return true, fmt.Errorf("put %s: %w", key, FileError(err))
	}
	defer df.Close()
	dirfd := int(df.Fd())
	fd, err := openUnnamed(dirfd)
	if err != nil {
		if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) {
			// No O_TMPFILE here (old kernels take it for O_DIRECTORY
			// and say EISDIR).
			d.noUnnamed.Store(true)
			return false, nil
		}
		return true, fmt.Errorf("put %s: %w", key, FileError(&fs.PathError{Op: "open unnamed file in", Path: dir, Err: err}))
	}
	f := os.NewFile(uintptr(fd), path.Join(d.root.Name(), dir, "(unnamed)"))
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		f.Close()
		return true, fmt.Errorf("put %s: %w", key, FileError(err))
	}
	// The file stays open until linked.
	defer f.Close()
	if err := ctx.Err(); err != nil { // last chance to back out
		return true, fmt.Errorf("put %s: %w", key, err)
	}
	proc := "/proc/self/fd/" + strconv.Itoa(fd)
	err = linkat(proc, dirfd, base)
	switch {
	case err == nil:
		// The directory is fsynced through df, open already (fsyncs
		// shared with concurrent Puts, see syncDir).
		if err := d.dirs.sync(dir, df.Sync); err != nil {
			return true, fmt.Errorf("put %s: %w", key, FileError(err))
		}
		return true, nil
	case errors.Is(err, unix.EEXIST):
		return true, d.replaceWith(ctx, key, proc)
	case errors.Is(err, unix.ENOENT):
		if _, serr := os.Stat("/proc/self/fd"); serr != nil {
			d.noUnnamed.Store(true) // no /proc to link through
		}
		return false, nil // the directory went meanwhile: Put says what is wrong
	}
	return true, fmt.Errorf("put %s: %w", key, FileError(&fs.PathError{Op: "link", Path: key, Err: err}))
}

// replaceWith links the unnamed file proc (/proc/self/fd/<n>), written and
// fsynced, into tempDir under a new temporary name and renames that over
// key (see publish).
func (d *Disk) replaceWith(ctx context.Context, key, proc string) error {
	td, err := d.root.Open(tempDir)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	defer td.Close()
	for range 10 {
		name := strconv.FormatUint(rand.Uint64(), 36)
		err = linkat(proc, int(td.Fd()), name)
		if err == nil {
			return d.publish(ctx, key, path.Join(tempDir, name))
		}
		if !errors.Is(err, unix.EEXIST) {
			break
		}
	}
	return fmt.Errorf("put %s: %w", key, FileError(&fs.PathError{Op: "link", Path: tempDir, Err: err}))
}

// openUnnamed opens a new unnamed file, for writing, in the directory
// dirfd.
func openUnnamed(dirfd int) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, ".", unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o644)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// linkat gives the file that the magic link proc (/proc/self/fd/<n>)
// stands for the name base in the directory dirfd. base is one path
// segment, of a valid key.
func linkat(proc string, dirfd int, base string) error {
	for {
		err := unix.Linkat(unix.AT_FDCWD, proc, dirfd, base, unix.AT_SYMLINK_FOLLOW)
		if err != unix.EINTR {
			return err
		}
	}
}
