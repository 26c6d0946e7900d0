package storage

import (
	"errors"
	"io/fs"
	"syscall"
)

// ErrPermanent is wrapped by every error of a Store (and of the WARC spool)
// that trying again will not cure: the archive refuses writes (permission
// denied, read-only file system, disk or quota full, a key that is a
// directory; S3 access denied, no such bucket, credentials rejected, and
// other 4xx answers but 408 and 429). A crawl stops at the first one rather
// than fetch pages it cannot keep. Errors that do not wrap it (timeouts,
// throttling, 5xx, a cancelled context) may succeed when tried again.
//
// The decision is made once, where the error is made; callers test it with
// errors.Is(err, storage.ErrPermanent).
var ErrPermanent = errors.New("permanent storage error")

// permanentError marks err as permanent without changing its message.
type permanentError struct{ err error }

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() []error { return []error{e.err, ErrPermanent} }

// permanent wraps err so that it also wraps ErrPermanent.
func permanent(err error) error {
	if err == nil || errors.Is(err, ErrPermanent) {
		return err
	}
	return &permanentError{err}
}

// FileError returns err, from a file-system call made to keep archived
// bytes, marked with ErrPermanent when it is one that trying again will not
// cure (see permanentErrno); any other error, nil included, is returned as
// it is. The disk Store and the WARC writer's spool use it.
func FileError(err error) error {
	if permanentErrno(err) {
		return permanent(err)
	}
	return err
}

// permanentErrno reports whether err is a file-system error that stays
// until someone acts: permission, read-only or full file system, quota, a
// name that is a directory or runs through a file, or a name too long.
func permanentErrno(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, fs.ErrPermission) {
		return true // EACCES, EPERM
	}
	for _, e := range []error{syscall.EROFS, syscall.ENOSPC, syscall.EDQUOT, syscall.EISDIR, syscall.ENOTDIR, syscall.ENAMETOOLONG, syscall.EFBIG} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
