package eval

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// TestWriteTableHangulGroups: with Hangul group names (corpus files named
// after the outlet in Korean) the pages column ends at the same display
// column on every line.
func TestWriteTableHangulGroups(t *testing.T) {
	r := &Report{
		Groups:  []Group{{Name: "hani", Pages: 3}, {Name: "한겨레", Pages: 12}, {Name: "연합뉴스", Pages: 7}},
		Overall: Group{Name: OverallGroup, Pages: 22},
	}
	var b bytes.Buffer
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := -1
	for _, l := range lines[:5] {
		i := strings.Index(l, "pages")
		for _, n := range []string{" 3 ", " 12 ", " 7 ", " 22 "} {
			if j := strings.Index(l, n); j >= 0 && (i < 0 || j < i) {
				i = j + len(n) - 1 - len("pages")
			}
		}
		end := runewidth.StringWidth(l[:i]) + len("pages")
		if want < 0 {
			want = end
		} else if end != want {
			t.Errorf("pages column ends at %d, the heading's at %d:\n%s", end, want, b.String())
		}
	}
}
