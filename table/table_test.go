package table

import (
	"bytes"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/mattn/go-runewidth"
)

// columnsAt returns the display column at which each cell after the first
// starts, found by the runs of spaces between cells.
func columnsAt(line string) []int {
	var cols []int
	w, inGap := 0, false
	for _, r := range line {
		if r == ' ' {
			inGap = true
		} else if inGap {
			cols = append(cols, w)
			inGap = false
		}
		w += runewidth.RuneWidth(r)
	}
	return cols
}

// TestHangulAligns: a table with Hangul, Latin and mixed names has every
// column at the same display column on every line, left- and right-aligned.
func TestHangulAligns(t *testing.T) {
	rows := "ID\tNAME\tHOSTS\n" +
		"hani\t한겨레\twww.hani.co.kr\n" +
		"yna\t연합뉴스\twww.yna.co.kr\n" +
		"kbs\tKBS 뉴스\tnews.kbs.co.kr\n" +
		"chosun\t조선일보(Chosun)\twww.chosun.com\n"
	for _, flags := range []uint{0, AlignRight} {
		var b bytes.Buffer
		tw := NewWriter(&b, 2, flags)
		in := strings.ReplaceAll(rows, " ", "_")
		if flags == AlignRight {
			in = strings.ReplaceAll(in, "\n", "\t\n") // every cell in a column
		}
		tw.Write([]byte(in))
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(lines) != 5 {
			t.Fatalf("%d lines, want 5:\n%s", len(lines), b.String())
		}
		var want []int
		for i, l := range lines {
			got := columnsAt(l)
			if flags == AlignRight {
				// right-aligned cells end at the same column
				got = nil
				w := 0
				for j, r := range l {
					w += runewidth.RuneWidth(r)
					if r != ' ' && (j+len(string(r)) == len(l) || l[j+len(string(r))] == ' ') {
						got = append(got, w)
					}
				}
			}
			if i == 0 {
				want = got
				continue
			}
			if len(got) != len(want) || !equal(got, want) {
				t.Errorf("flags %d: line %d has columns at %v, line 0 at %v:\n%s", flags, i, got, want, b.String())
			}
		}
	}
}

func equal(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLikeTabwriter: on ASCII text the output is text/tabwriter's,
// column blocks, trailing cells and blank lines included.
func TestLikeTabwriter(t *testing.T) {
	text := "articles\t12\t3 kB\t(from the catalog)\n" +
		"revisions\t1\t1 kB\n" +
		"undated\t0\t-\t(none)\n" +
		"\nOUTLET\tARTICLES\tBYTES\n" +
		"hani\t10\t2 kB\n" +
		"a-very-long-outlet\t2\t1 kB\n" +
		"no tabs here\n" +
		"x\ty\t\n"
	for _, flags := range []uint{0, AlignRight} {
		var want, got bytes.Buffer
		tf := uint(0)
		if flags == AlignRight {
			tf = tabwriter.AlignRight
		}
		tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', tf)
		tw.Write([]byte(text))
		tw.Flush()
		w := NewWriter(&got, 2, flags)
		w.Write([]byte(text))
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("flags %d:\ngot:\n%s\nwant (text/tabwriter):\n%s", flags, got.String(), want.String())
		}
	}
}
