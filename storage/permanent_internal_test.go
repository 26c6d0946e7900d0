package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"testing"
)

// TestS3Permanent: which S3 answers a retry cannot cure.
func TestS3Permanent(t *testing.T) {
	for _, tt := range []struct {
		status int
		code   string
		noCred bool
		want   bool
	}{
		{403, "AccessDenied", false, true},
		{404, "NoSuchBucket", false, true},
		{403, "InvalidAccessKeyId", false, true},
		{403, "SignatureDoesNotMatch", false, true},
		{400, "InvalidArgument", false, true},
		{403, "", false, true},
		{0, "", true, true},
		{408, "RequestTimeout", false, false},
		{400, "RequestTimeout", false, false},
		{429, "", false, false},
		{503, "SlowDown", false, false},
		{500, "InternalError", false, false},
		{400, "BadDigest", false, false},
		{0, "", false, false},
	} {
		if got := s3Permanent(tt.status, tt.code, tt.noCred); got != tt.want {
			t.Errorf("s3Permanent(%d, %q, %v) = %v, want %v", tt.status, tt.code, tt.noCred, got, tt.want)
		}
	}
}

// TestFileError: which file-system errors a retry cannot cure; the others,
// and nil, come back as they were.
func TestFileError(t *testing.T) {
	pathErr := func(e error) error { return &fs.PathError{Op: "write", Path: "x", Err: e} }
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{pathErr(syscall.EACCES), true},
		{pathErr(syscall.EPERM), true},
		{pathErr(syscall.EROFS), true},
		{pathErr(syscall.ENOSPC), true},
		{pathErr(syscall.EDQUOT), true},
		{pathErr(syscall.EISDIR), true},
		{fmt.Errorf("wrapped: %w", pathErr(syscall.ENOSPC)), true},
		{pathErr(syscall.EIO), false},
		{pathErr(syscall.EINTR), false},
		{os.ErrDeadlineExceeded, false},
		{errors.New("other"), false},
	} {
		got := FileError(tt.err)
		if errors.Is(got, ErrPermanent) != tt.want {
			t.Errorf("FileError(%v): permanent %v, want %v", tt.err, !tt.want, tt.want)
		}
		if !errors.Is(got, tt.err) || got.Error() != tt.err.Error() {
			t.Errorf("FileError(%v) = %v: the error or its message changed", tt.err, got)
		}
	}
	if FileError(nil) != nil {
		t.Error("FileError(nil) is not nil")
	}
}
