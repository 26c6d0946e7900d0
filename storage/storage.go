// Package storage owns where gisa's archived bytes rest: a small Store
// interface over slash-separated keys, a disk implementation (Disk), and the
// article layout (Archive) that works on any Store.
//
// Every Store implementation must pass the conformance suite in
// storage/storetest.
package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotFound is wrapped by the error Get and Stat return for a key that holds
// no object: errors.Is(err, storage.ErrNotFound).
var ErrNotFound = errors.New("not found")

// ErrInvalidKey is wrapped by every error about a key (or an article ID or
// outlet ID that would become part of one) that is not well formed.
var ErrInvalidKey = errors.New("invalid key")

// Key limits, as S3 and common file systems allow them.
const (
	MaxKeyLen     = 1024 // bytes in a whole key
	MaxSegmentLen = 255  // bytes in one '/'-separated segment (NAME_MAX)
)

// TempPrefix begins the names of the temporary files a Store may keep beside
// its objects while writing them. No key segment may begin with it, so a
// temporary file is never mistaken for an object, and a Disk may remove the
// ones a crash left behind.
const TempPrefix = ".tmp-"

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64     // bytes
	ModTime time.Time // when the object was last written
}

// Store keeps objects: byte slices under keys such as
// "articles/hani/2024/01/31/hani-123.json".
//
// The contract every implementation keeps (and storetest.Run checks):
//
//   - Keys are validated by ValidKey; a method given an invalid key returns an
//     error wrapping ErrInvalidKey and touches nothing.
//   - Put is atomic: a reader sees the old object or the new one, never part
//     of one, and a crash during Put leaves either the old object or the new
//     one, never a partial object visible. Put is idempotent: putting the same
//     bytes again leaves the same object (its ModTime may move). Put does not
//     keep data after it returns; Get returns a slice the caller owns.
//   - Get and Stat of a key that holds no object return an error wrapping
//     ErrNotFound.
//   - List calls fn once for every object whose key begins with prefix, in
//     lexical (byte-wise) key order. The prefix is a plain string prefix, as
//     in S3: "articles/a" lists "articles/a.json" and "articles/ab/x" as well
//     as "articles/a/x"; end it with "/" to list one "directory". "" lists
//     everything. Temporary files of unfinished Puts are never listed. If fn
//     returns an error, List stops and returns that error unwrapped. Objects
//     put or deleted while List runs may or may not be seen.
//   - Delete removes an object; deleting a key that holds none is not an
//     error. Delete is idempotent.
//   - Every method returns promptly with an error wrapping ctx.Err() when ctx
//     is done, and a Put whose ctx is done before it starts writes nothing.
//   - All methods are safe for concurrent use by multiple goroutines.
//
// A file-system Store cannot hold both "a" and "a/b"; it refuses the Put that
// would make them collide (see Disk). Portable archives avoid such keys, as
// the Archive layout does.
type Store interface {
	Put(ctx context.Context, key string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
	Stat(ctx context.Context, key string) (Info, error)
	List(ctx context.Context, prefix string, fn func(Info) error) error
	Delete(ctx context.Context, key string) error
}

// ValidKey reports why key is not a valid object key, or nil when it is. A
// valid key is relative, '/'-separated, valid UTF-8, at most MaxKeyLen bytes,
// with no empty, "." or ".." segment, no segment longer than MaxSegmentLen
// bytes or beginning with TempPrefix, and no backslash, NUL or other control
// character. Such a key names the same object on every Store and, joined to a
// directory, always stays inside it.
//
// The error wraps ErrInvalidKey and names the key and the reason.
func ValidKey(key string) error {
	bad := func(reason string, args ...any) error {
		return fmt.Errorf("%w %s: %s", ErrInvalidKey, quoteKey(key), fmt.Sprintf(reason, args...))
	}
	switch {
	case key == "":
		return bad("empty")
	case len(key) > MaxKeyLen:
		return bad("%d bytes, more than %d", len(key), MaxKeyLen)
	case !utf8.ValidString(key):
		return bad("not valid UTF-8")
	case key[0] == '/':
		return bad("absolute (leading '/')")
	}
	for i, r := range key {
		switch {
		case r == '\\':
			return bad("backslash at byte %d", i)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return bad("control character %U at byte %d", r, i)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return bad("empty segment")
		case seg == "." || seg == "..":
			return bad("%q segment", seg)
		case len(seg) > MaxSegmentLen:
			return bad("segment of %d bytes, more than %d", len(seg), MaxSegmentLen)
		case strings.HasPrefix(seg, TempPrefix):
			return bad("segment %q begins with the reserved %q", seg, TempPrefix)
		}
	}
	return nil
}

// quoteKey quotes a key for an error message, shortening a very long one.
func quoteKey(key string) string {
	const max = 80
	if len(key) <= max {
		return fmt.Sprintf("%q", key)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(key[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", key[:cut])
}
