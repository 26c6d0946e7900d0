package article

import (
	"regexp"
	"testing"
)

// TestMakeIDMatchesExpression checks MakeID and ValidID, which scan bytes,
// against the expression they replaced ([^A-Za-z0-9._-]+ → "_"), on keys
// with Hangul, spaces, runs of unsafe bytes, invalid UTF-8 and edges.
func TestMakeIDMatchesExpression(t *testing.T) {
	unsafeID := regexp.MustCompile(`[^A-Za-z0-9._-]+`)
	for _, s := range []string{
		"", "a", "abc-123_x.y", "한겨레", "a b", "a  b", "a/b/c", "a?b=c&d", "..", ".a.", "_-_", "-x-",
		"가a나b다", "\xff", "a\xffb", "a\xe2\x82b", "a한\xffb", "tab\there", "AKR20231120152500003",
		"https://www.hani.co.kr/arti/society/1.html", "a#", "#a", "한", "ab한글cd!!ef",
	} {
		if got, want := replaceUnsafe(s), unsafeID.ReplaceAllString(s, "_"); got != want {
			t.Errorf("replaceUnsafe(%q) = %q; want %q", s, got, want)
		}
		if got, want := ValidID(s), s != "" && len(s) <= 250 && s != "." && s != ".." && !unsafeID.MatchString(s) && s == trimIDPunct(s); got != want {
			t.Errorf("ValidID(%q) = %v; want %v", s, got, want)
		}
	}
	if got := MakeID("hani", "1/2 3"); got != "hani-1_2_3" {
		t.Errorf(`MakeID("hani", "1/2 3") = %q`, got)
	}
}

func trimIDPunct(s string) string {
	for len(s) > 0 && (s[0] == '.' || s[0] == '_' || s[0] == '-') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == '.' || s[len(s)-1] == '_' || s[len(s)-1] == '-') {
		s = s[:len(s)-1]
	}
	return s
}
