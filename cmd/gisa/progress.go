package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

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
	// update's, the counts are read by the drawing.
	outlets map[string]*atomic.Int64
	lines   []*mpb.Bar
	nameW   atomic.Int64
}

const progressEvery = 10 * time.Second

func newProgress(stderr io.Writer, log *slog.Logger) *progress {
	return newProgressOn(viewOn(stderr), log)
}

// newProgressOn draws on out (nil: logs instead); tests add options.
func newProgressOn(out io.Writer, log *slog.Logger, opts ...mpb.ContainerOption) *progress {
	pr := &progress{log: log, start: time.Now(), every: progressEvery}
	pr.last = pr.start
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

// outletLine counts n more records of outlet on its line, added below the
// bar when the outlet is first seen.
func (pr *progress) outletLine(outlet string, n int64) {
	c := pr.outlets[outlet]
	if c == nil {
		c = new(atomic.Int64)
		pr.outlets[outlet] = c
		if w := int64(runewidth.StringWidth(outlet)); w > pr.nameW.Load() {
			pr.nameW.Store(w)
		}
		pr.lines = append(pr.lines, pr.p.New(0, mpb.NopStyle(), mpb.BarFillerTrim(),
			mpb.BarPriority(len(pr.lines)+1),
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string {
				var b strings.Builder
				b.WriteString("  ")
				pad(&b, outlet, int(pr.nameW.Load()))
				fmt.Fprintf(&b, "  %9d records", c.Load())
				return b.String()
			})),
		))
	}
	c.Add(n)
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

// done ends the bar.
// routeLogs sends what is written to w (log lines, skip notices) above
// the bar while it is drawn, so that they do not break its drawing; done
// sends them back.
func (pr *progress) routeLogs(w *switchWriter) {
	if pr.p != nil {
		pr.logw, pr.back = w, w.set(pr.p)
	}
}

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
