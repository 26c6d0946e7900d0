package article

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode"
)

// TestContentHashFoldsSpace checks ContentHash against its definition (the
// words of the body joined by single spaces), on bodies with every kind of
// white space and with invalid bytes, which are kept as they are.
func TestContentHashFoldsSpace(t *testing.T) {
	def := func(body string) string {
		s := strings.Join(strings.FieldsFunc(body, unicode.IsSpace), " ")
		sum := sha256.Sum256([]byte(s))
		return "sha256:" + hex.EncodeToString(sum[:])
	}
	for _, body := range []string{
		"", " ", "\n\n", "한 문단", "  앞뒤 공백  ", "첫 문단.\n\n둘째 문단.", "탭\t과\v세로탭\f폼피드\r",
		"NBSP\u00a0와\u3000전각\u2003공백\u0085NEL", "깨진\xff바이트 \xe2\x82", "제로폭\u200b공백은 글자",
		"ⓒ 연합뉴스, 무단 전재 및 재배포 금지",
		"\uA000\uABFF\uAC00 \uD7A3\uD7FF\uE000", "서울\xed\xa0\x80대\xed\xbf\xbf", "끝\xea\x80", "끝\xea", "\xea\xc0\x80가",
	} {
		if got, want := ContentHash(body), def(body); got != want {
			t.Errorf("ContentHash(%q) = %s; want %s", body, got, want)
		}
	}
	if ContentHash("가 나\n\n다") != ContentHash("가\t나 다") {
		t.Error("re-wrapped copies of one text hash differently")
	}
}

// FuzzContentHash holds ContentHash, whose Hangul fast path steps over
// three bytes at a time, to its definition on any text.
func FuzzContentHash(f *testing.F) {
	for _, s := range []string{"가 나\n\n다", "\uD7FF\u3000\uA000", "\xed\xa0\x80", "a\u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		s := strings.Join(strings.FieldsFunc(body, unicode.IsSpace), " ")
		sum := sha256.Sum256([]byte(s))
		if got, want := ContentHash(body), "sha256:"+hex.EncodeToString(sum[:]); got != want {
			t.Errorf("ContentHash(%q) = %s; want %s", body, got, want)
		}
	})
}
