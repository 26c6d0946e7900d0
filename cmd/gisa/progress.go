package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/gisa-news/gisa/export"
)

// progress shows how far gisa export has come: a bar with records, bytes,
// rate and ETA on a terminal (mpb), a line below it per outlet with its
// records, else a structured log line every progressEvery. Crawl and
// reparse show theirs per outlet: liveView.
type progress struct {
	log   *slog.Logger
	bar   *mpb.Bar
	p     *mpb.Progress
	bytes atomic.Int64
	start time.Time
	last  time.Time
	every time.Duration // between log lines
	final export.Progress
	logw  *switchWriter // routed above the bar (routeLogs)
	back  io.Writer     // logw's destination before
	// On a terminal: records per outlet, each with its line; the map is
	// update's, the counts are read by the drawing. At most slots lines
	// (0: no limit): with more outlets, the first line sums the earlier
	// ones and the others show the latest, the one being exported last.
	outlets map[string]*atomic.Int64
	lines   []*mpb.Bar
	nameW   atomic.Int64
	slots   int
	mu      sync.Mutex
	seen    []string        // outlets in the order first seen; guarded by mu
	seenN   []*atomic.Int64 // their counts; guarded by mu
}

const progressEvery = 10 * time.Second

func newProgress(stderr io.Writer, log *slog.Logger) *progress {
	out := viewOn(stderr)
	rows := 0
	if f, ok := out.(*os.File); ok {
		if _, h, err := term.GetSize(int(f.Fd())); err == nil {
			rows = h
		}
	}
	return newProgressOn(out, rows, log)
}

// newProgressOn draws on out (nil: logs instead) with room for rows lines
// (0: no limit); tests add options.
func newProgressOn(out io.Writer, rows int, log *slog.Logger, opts ...mpb.ContainerOption) *progress {
	pr := &progress{log: log, start: time.Now(), every: progressEvery}
	pr.last = pr.start
	if rows > 0 {
		pr.slots = max(rows-3, 1) // the bar, a spare and the cursor's line
	}
	if out != nil {
		pr.outlets = map[string]*atomic.Int64{}
		pr.p = mpb.New(append([]mpb.ContainerOption{mpb.WithOutput(out), mpb.WithWidth(40)}, opts...)...)
		pr.bar = pr.p.AddBar(0,
			mpb.PrependDecorators(
				decor.Name("export "),
				decor.CountersNoUnit("%d / %d records"),
			),
			mpb.AppendDecorators(
				decor.Any(func(decor.Statistics) string {
					return fmt.Sprintf(" %.1f MiB", float64(pr.bytes.Load())/(1<<20))
				}),
				decor.AverageSpeed(nil, " %.0f rec/s"),
				decor.Name(" ETA "),
				decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO), "done"),
			),
		)
	}
	return pr
}

// outletLine counts n more records of outlet, adding a line below the bar
// when the outlet is first seen and there is room for one.
func (pr *progress) outletLine(outlet string, n int64) {
	c := pr.outlets[outlet]
	if c == nil {
		c = new(atomic.Int64)
		pr.outlets[outlet] = c
		if w := int64(runewidth.StringWidth(outlet)); w > pr.nameW.Load() {
			pr.nameW.Store(w)
		}
		pr.mu.Lock()
		pr.seen, pr.seenN = append(pr.seen, outlet), append(pr.seenN, c)
		pr.mu.Unlock()
		if i := len(pr.lines); pr.slots == 0 || i < pr.slots {
			pr.lines = append(pr.lines, pr.p.New(0, mpb.NopStyle(), mpb.BarFillerTrim(),
				mpb.BarPriority(i+1),
				mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return pr.lineText(i) })),
			))
		}
	}
	c.Add(n)
}

// lineText is outlet line i: the i-th outlet seen, or with more outlets
// than lines, on the first line the earlier outlets' sum and on the others
// the latest outlets.
func (pr *progress) lineText(i int) string {
	pr.mu.Lock()
	seen, counts := pr.seen, pr.seenN
	pr.mu.Unlock()
	name, count := "", int64(0)
	switch first := len(seen) - pr.slots + 1; {
	case pr.slots == 0 || len(seen) <= pr.slots:
		name, count = seen[i], counts[i].Load()
	case i == 0:
		name = fmt.Sprintf("(%d earlier)", first)
		for _, c := range counts[:first] {
			count += c.Load()
		}
	default:
		name, count = seen[first+i-1], counts[first+i-1].Load()
	}
	var b strings.Builder
	b.WriteString("  ")
	pad(&b, name, int(pr.nameW.Load()))
	fmt.Fprintf(&b, "  %9d records", count)
	return b.String()
}

// update is export.Options.OnProgress.
func (pr *progress) update(p export.Progress) {
	added := p.Records - pr.final.Records
	pr.final = p
	pr.bytes.Store(p.Bytes)
	if pr.bar != nil {
		if added > 0 {
			pr.outletLine(p.Outlet, added)
		}
		if p.Total > 0 && p.Total >= p.Records {
			pr.bar.SetTotal(p.Total, false)
		}
		pr.bar.SetCurrent(p.Records)
		return
	}
	now := time.Now()
	if now.Sub(pr.last) < pr.every {
		return
	}
	pr.last = now
	secs := now.Sub(pr.start).Seconds()
	args := []any{"records", p.Records, "bytes", p.Bytes, "skipped", p.Skipped, "records_per_s", int64(float64(p.Records) / secs)}
	if p.Total > 0 && p.Records > 0 {
		left := time.Duration(float64(p.Total-p.Records) / float64(p.Records) * float64(now.Sub(pr.start)))
		args = append(args, "total", p.Total, "eta", left.Round(time.Second))
	}
	pr.log.Info("progress", args...)
}

// routeLogs sends what is written to w (log lines, skip notices) above
// the bar while it is drawn, so that they do not break its drawing; done
// sends them back.
func (pr *progress) routeLogs(w *switchWriter) {
	if pr.p != nil {
		pr.logw, pr.back = w, w.set(pr.p)
	}
}

// done ends the bar and the outlet lines, drawn a last time.
func (pr *progress) done() {
	if pr.p == nil {
		return
	}
	if pr.logw != nil {
		defer pr.logw.set(pr.back)
	}
	pr.bar.SetTotal(pr.final.Records, true)
	for _, l := range pr.lines {
		l.SetTotal(-1, true)
	}
	pr.p.Wait()
}
