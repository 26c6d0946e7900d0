package parser

import "testing"

// TestNormalizeSpaceBytes checks that the reused-buffer form gives what
// normalizeSpace gives on the same text, and that a buffer of white space
// only (the new lines between blocks) costs no allocation.
func TestNormalizeSpaceBytes(t *testing.T) {
	for _, s := range []string{
		"", " ", "\n\t \r\f\v", "가나다", " 가나다 ", "\n  가나  다\n", "a\u00a0 b", "\u00a0a\u00a0",
		"\u3000가\u3000", "a\x00b", "\x7f", "a\ufffdb", "a\xffb", " \xff ", "\u200b", " x\u200b ",
		"line one\nline two", "  (서울=연합뉴스)  홍길동 기자 =  ", "\r\n", "a  b\t\tc",
	} {
		if got, want := normalizeSpaceBytes([]byte(s)), normalizeSpace(s); got != want {
			t.Errorf("normalizeSpaceBytes(%q) = %q, normalizeSpace = %q", s, got, want)
		}
	}
	b := []byte("\n \t\r\n ")
	if n := testing.AllocsPerRun(10, func() { _ = normalizeSpaceBytes(b) }); n != 0 {
		t.Errorf("white space only: %v allocations, want 0", n)
	}
}
