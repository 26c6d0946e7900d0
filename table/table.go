// Package table aligns tab-separated text in columns by display width, as
// a terminal shows it: a Hangul or other wide character takes two columns,
// a combining mark none. It follows text/tabwriter's rules (cells end with
// a tab; the text after a line's last tab is not part of a column; a
// column block is a run of consecutive lines that have that cell), which
// counts runes and so misaligns Korean names.
package table

import (
	"bytes"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// AlignRight right-aligns the cells of every column.
const AlignRight uint = 1

// width measures display width the same way whatever the locale: East
// Asian ambiguous characters (…, ·) are narrow, as in most terminals.
var width = &runewidth.Condition{EastAsianWidth: false}

// Width is the number of terminal columns s takes.
func Width(s string) int { return width.StringWidth(s) }

// PadRight is s followed by spaces up to n terminal columns.
func PadRight(s string, n int) string {
	return s + strings.Repeat(" ", max(0, n-width.StringWidth(s)))
}

// Writer buffers tab-separated lines and writes them aligned on Flush.
// It is not safe for concurrent use.
type Writer struct {
	w       io.Writer
	padding int
	flags   uint
	buf     bytes.Buffer
}

// NewWriter returns a Writer to w that puts padding spaces between columns.
func NewWriter(w io.Writer, padding int, flags uint) *Writer {
	return &Writer{w: w, padding: padding, flags: flags}
}

// Write buffers p; nothing reaches the underlying writer before Flush.
func (t *Writer) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the buffered text, aligned, and empties the buffer. An
// unterminated last line is written as a line of its own.
func (t *Writer) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	text = strings.TrimSuffix(text, "\n")
	var lines [][]string
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, strings.Split(l, "\t"))
	}
	widths := make([][]int, len(lines)) // widths[line][column]
	t.format(lines, widths, 0, 0, len(lines))
	var out bytes.Buffer
	for i, cells := range lines {
		for c, cell := range cells[:len(cells)-1] {
			pad := strings.Repeat(" ", max(0, widths[i][c]-width.StringWidth(cell)))
			if t.flags&AlignRight != 0 {
				out.WriteString(pad)
				out.WriteString(cell)
			} else {
				out.WriteString(cell)
				out.WriteString(pad)
			}
		}
		out.WriteString(cells[len(cells)-1])
		out.WriteByte('\n')
	}
	_, err := t.w.Write(out.Bytes())
	return err
}

// format sets the width of column col in lines [from, to) block by block,
// and of the columns right of it within each block (text/tabwriter's
// algorithm).
func (t *Writer) format(lines [][]string, widths [][]int, col, from, to int) {
	for i := from; i < to; i++ {
		if col >= len(lines[i])-1 {
			continue
		}
		start, w := i, 0
		for ; i < to && col < len(lines[i])-1; i++ {
			w = max(w, width.StringWidth(lines[i][col])+t.padding)
		}
		for j := start; j < i; j++ {
			widths[j] = append(widths[j], w)
		}
		t.format(lines, widths, col+1, start, i)
		i-- // the loop's i++ moves to the line that ended the block
	}
}
