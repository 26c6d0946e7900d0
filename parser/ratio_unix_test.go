//go:build unix

package parser

import (
	"bytes"
	"syscall"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

// processCPU is the CPU time the process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseCPURatio alternates a full Parse and a bare html.Parse of
// the corpus pages and reports their ratio of process CPU time (garbage
// collection included) as x-parse. On a machine shared with other work the
// wall-clock ns/op of BenchmarkParse and BenchmarkHTMLParseKo, measured one
// after the other, swing more than the ratio they are meant to give; CPU
// time taken in alternation holds steadier.
func BenchmarkParseCPURatio(b *testing.B) {
	pages := corpusPages(b)
	p := newParser(b)
	var full, bare time.Duration
	for b.Loop() {
		t0 := processCPU(b)
		for _, pg := range pages {
			_, _ = p.Parse(pg)
		}
		t1 := processCPU(b)
		for _, pg := range pages {
			if _, err := xhtml.Parse(bytes.NewReader(pg.Body)); err != nil {
				b.Fatal(err)
			}
		}
		t2 := processCPU(b)
		full += t1 - t0
		bare += t2 - t1
	}
	if bare > 0 {
		b.ReportMetric(float64(full)/float64(bare), "x-parse")
	}
}
