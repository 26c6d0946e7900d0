package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/gisa-news/gisa/export"
)

// progress shows how far gisa export has come: a bar with records, bytes,
// rate and ETA on a terminal (mpb), else a structured log line every
// progressEvery. Crawl and reparse show theirs per outlet: liveView.
type progress struct {
	log   *slog.Logger
	bar   *mpb.Bar
	p     *mpb.Progress
	bytes atomic.Int64
	start time.Time
	last  time.Time
	every time.Duration // between log lines
	final export.Progress
}

const progressEvery = 10 * time.Second

func newProgress(stderr io.Writer, log *slog.Logger) *progress {
	pr := &progress{log: log, start: time.Now(), every: progressEvery}
	pr.last = pr.start
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		pr.p = mpb.New(mpb.WithOutput(f), mpb.WithWidth(40))
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

// update is export.Options.OnProgress.
func (pr *progress) update(p export.Progress) {
	pr.final = p
	pr.bytes.Store(p.Bytes)
	if pr.bar != nil {
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
func (pr *progress) done() {
	if pr.p == nil {
		return
	}
	pr.bar.SetTotal(pr.final.Records, true)
	pr.p.Wait()
}
