//go:build unix

package parser

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/cputime"
	xhtml "golang.org/x/net/html"
)

// BenchmarkParseCPURatio alternates a full Parse and a bare html.Parse of
// the corpus pages and reports their ratio of process CPU time (garbage
// collection included) as x-parse. On a machine shared with other work the
// wall-clock ns/op of BenchmarkParse and BenchmarkHTMLParseKo, measured one
// after the other, swing more than the ratio they are meant to give; CPU
// time taken in alternation holds steadier.
func BenchmarkParseCPURatio(b *testing.B) {
	cpuRatio(b, corpusPages(b))
}

// BenchmarkParseCPURatioSmall is BenchmarkParseCPURatio over small pages
// (about 5 KB, as date-archive and short article pages are), made in memory
// from the corpus pages by smallPage.
func BenchmarkParseCPURatioSmall(b *testing.B) {
	var pages []article.Page
	var n int
	for _, pg := range corpusPages(b) {
		pg.Body = smallPage(pg.Body, 5<<10)
		n += len(pg.Body)
		pages = append(pages, pg)
	}
	b.ReportMetric(float64(n)/float64(len(pages)), "B/page")
	cpuRatio(b, pages)
}

var (
	smallHeadRe = regexp.MustCompile(`(?is)<title>.*?</title>|<meta\s[^>]*>`)
	smallParaRe = regexp.MustCompile(`(?is)<p[\s>].*?</p>|<h[1-3][\s>].*?</h[1-3]>`)
)

// smallPage keeps of a page its title, meta tags and, in their order, its
// headings and paragraphs up to about size bytes: a small page in the
// outlet's own markup.
func smallPage(page []byte, size int) []byte {
	var b bytes.Buffer
	b.WriteString("<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\">")
	for _, m := range smallHeadRe.FindAll(page, -1) {
		if b.Len()+len(m) > size/2 {
			break
		}
		b.Write(m)
	}
	b.WriteString("</head><body><div class=\"article\">")
	for _, m := range smallParaRe.FindAll(page, -1) {
		if b.Len()+len(m) > size {
			break
		}
		b.Write(m)
		b.WriteByte('\n')
	}
	b.WriteString("</div></body></html>")
	return b.Bytes()
}

func cpuRatio(b *testing.B, pages []article.Page) {
	p := newParser(b)
	var full, bare time.Duration
	for b.Loop() {
		t0 := cputime.Process(b)
		for _, pg := range pages {
			_, _ = p.Parse(pg)
		}
		t1 := cputime.Process(b)
		for _, pg := range pages {
			if _, err := xhtml.Parse(bytes.NewReader(pg.Body)); err != nil {
				b.Fatal(err)
			}
		}
		t2 := cputime.Process(b)
		full += t1 - t0
		bare += t2 - t1
	}
	if bare > 0 {
		b.ReportMetric(float64(full)/float64(bare), "x-parse")
	}
}
