package storage_test

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gisa-news/gisa/storage"
)

func TestValidKey(t *testing.T) {
	seg255 := strings.Repeat("s", storage.MaxSegmentLen)
	long := strings.Repeat(strings.Repeat("s", 200)+"/", 5) + strings.Repeat("k", storage.MaxKeyLen-5*201) // exactly the limit
	valid := []string{
		"a",
		"a/b",
		"articles/hani/2024/01/31/hani-123.json",
		".hidden",
		"a..b",
		"...",
		".tmp", // only TempPrefix itself (".tmp-") is reserved
		"a b/c d",
		"기사/제목",
		seg255,
		long,
	}
	for _, key := range valid {
		if err := storage.ValidKey(key); err != nil {
			t.Errorf("ValidKey(%q) = %v, want nil", key, err)
		}
	}
	invalid := []struct{ key, reason string }{
		{"", "empty"},
		{"../x", `".." segment`},
		{"a/..", `".." segment`},
		{"./x", `"." segment`},
		{"/abs", "absolute"},
		{"a//b", "empty segment"},
		{"a/", "empty segment"},
		{"a\\b", "backslash"},
		{"a\x00b", "control character U+0000"},
		{"a\tb", "control character U+0009"},
		{"a\u0085b", "control character U+0085"},
		{"a\xc0b", "UTF-8"},
		{long + "k", "more than 1024"},
		{"a/" + seg255 + "s", "more than 255"},
		{"a/.tmp-1/b", "reserved"},
	}
	for _, tt := range invalid {
		err := storage.ValidKey(tt.key)
		if !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("ValidKey(%q) = %v, want ErrInvalidKey", tt.key, err)
			continue
		}
		msg := err.Error()
		quoted := fmt.Sprintf("%q", tt.key)
		quoted = quoted[:min(len(quoted), 40)] // long keys are shortened
		if !strings.Contains(msg, tt.reason) || !strings.Contains(msg, quoted) {
			t.Errorf("ValidKey(%q) = %q, want it to name the key and %q", tt.key, msg, tt.reason)
		}
	}
}

// FuzzValidKey: whatever ValidKey accepts is clean, relative, and stays
// inside any directory it is joined to.
func FuzzValidKey(f *testing.F) {
	for _, s := range []string{"a/b", "../x", "a//b", "/a", "a\\b", "기사/1.json", ".tmp-x", "a/./b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := storage.ValidKey(key)
		if err != nil {
			if !errors.Is(err, storage.ErrInvalidKey) || !utf8.ValidString(err.Error()) {
				t.Fatalf("ValidKey(%q) = %v", key, err)
			}
			return
		}
		if path.Clean(key) != key || !filepath.IsLocal(key) || !utf8.ValidString(key) ||
			strings.ContainsAny(key, "\\\x00") || len(key) > storage.MaxKeyLen {
			t.Fatalf("ValidKey accepted %q", key)
		}
	})
}
