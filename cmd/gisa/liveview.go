package main

import (
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/gisa-news/gisa/crawler"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
)

// liveView shows a long command's counts per outlet while it runs. On a
// terminal it is a table redrawn in place by mpb (one line per outlet and
// a total; on a terminal with fewer rows, the busiest outlets and a line
// for the rest), and the command's log lines are written above it through
// mpb; otherwise it is one structured log line per outlet every
// progressEvery, for the outlets whose counts moved since their last
// line. It adds nothing once the command is done: the command prints its
// summary after done.
//
// Counting is a few atomic adds: safe for concurrent use, and it never
// waits for drawing or logging.
type liveView struct {
	cols  []string // the counters, as shown and as log keys
	log   *slog.Logger
	now   func() time.Time
	start time.Time

	tallies sync.Map // outlet ID → *tally
	mu      sync.Mutex
	order   []*tally // as added; guarded by mu
	nameW   atomic.Int64

	// On a terminal. barMu is never taken by drawing (which takes mu):
	// adding a bar may wait for a drawing to end.
	p     *mpb.Progress
	barMu sync.Mutex
	bars  []*mpb.Bar // guarded by barMu
	ended bool       // done was called; guarded by barMu
	logw  *switchWriter
	back  io.Writer // where logw writes again after done

	// Outlet lines drawn: at most slots (0: one per outlet), so that the
	// header and the total stay on a terminal of few rows. With more
	// outlets than slots, the busiest are drawn and the last line sums
	// the rest; which ones is decided at most every arrangeEvery.
	slots        int
	arrangeEvery time.Duration
	arrMu        sync.Mutex
	arrAt        time.Time
	shown, rest  []*tally // guarded by arrMu

	// Otherwise.
	stop chan struct{}
	wg   sync.WaitGroup
}

// tally is one outlet's counts.
type tally struct {
	id, label string
	n         []atomic.Int64 // by liveView.cols
	pages     atomic.Int64   // what the rate is of
	logged    []int64        // at the last log line; the logging goroutine's
}

// viewOptions make a liveView. Tests set out, refresh, tick and now.
type viewOptions struct {
	cols    []string
	outlets []*parser.Profile // lines drawn from the start; others when first counted
	log     *slog.Logger
	// out is the terminal to draw on, nil for log lines. logw, when not
	// nil, is the log's writer: it writes through mpb while the view is
	// drawn, and where it wrote before once the view is done.
	out  io.Writer
	logw *switchWriter
	// refresh, when not nil, redraws the terminal on each receive
	// instead of mpb's own ticker.
	refresh <-chan any
	width   int              // lines are cut at; 0: the terminal's
	rows    int              // the terminal's height; 0: out's own (no limit when unknown)
	tick    <-chan time.Time // between log lines; nil: every progressEvery
	now     func() time.Time
}

// newLiveView starts a view. Call done when the command's work is over.
func newLiveView(o viewOptions) *liveView {
	v := &liveView{cols: o.cols, log: o.log, now: o.now}
	if v.now == nil {
		v.now = time.Now
	}
	if v.log == nil {
		v.log = slog.New(slog.DiscardHandler)
	}
	v.start = v.now()
	v.nameW.Store(int64(runewidth.StringWidth("outlet")))
	if o.out != nil {
		opts := []mpb.ContainerOption{mpb.WithOutput(o.out)}
		if o.width > 0 {
			opts = append(opts, mpb.WithWidth(o.width))
		}
		if o.refresh != nil {
			opts = append(opts, mpb.WithManualRefresh(o.refresh))
		}
		v.p = mpb.New(opts...)
		rows := o.rows
		if f, ok := o.out.(*os.File); ok && rows == 0 {
			if _, h, err := term.GetSize(int(f.Fd())); err == nil {
				rows = h
			}
		}
		if rows > 0 {
			// The header, the total and the line the cursor rests on.
			v.slots = max(rows-3, 1)
		}
		v.arrangeEvery = 250 * time.Millisecond
		if o.refresh != nil {
			v.arrangeEvery = 0 // tests draw each frame on demand
		}
		v.bar(-1, func() string { return v.header() })
		v.bar(1<<30, func() string { return v.row("total", v.sum()) })
		if o.logw != nil {
			v.logw, v.back = o.logw, o.logw.set(v.p)
		}
	}
	for _, p := range o.outlets {
		v.tally(p.ID, outletLabel(p))
	}
	if v.p == nil {
		tick := o.tick
		var ticker *time.Ticker
		if tick == nil {
			ticker = time.NewTicker(progressEvery)
			tick = ticker.C
		}
		v.stop = make(chan struct{})
		v.wg.Go(func() {
			if ticker != nil {
				defer ticker.Stop()
			}
			for {
				select {
				case <-tick:
					v.logLines()
				case <-v.stop:
					return
				}
			}
		})
	}
	return v
}

// viewOn returns w when it is a terminal, for a view to draw on; else nil.
func viewOn(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}

// outletLabel is how the view names an outlet: its ID, and its own name
// when it has one.
func outletLabel(p *parser.Profile) string {
	if p.Name != "" && p.Name != p.ID {
		return p.ID + " " + p.Name
	}
	return p.ID
}

// bar adds a line drawn by text at priority (lower is higher up), unless
// the view is done: a bar never completed would hold done forever.
func (v *liveView) bar(priority int, text func() string) {
	v.barMu.Lock()
	defer v.barMu.Unlock()
	if v.ended {
		return
	}
	b := v.p.New(0, mpb.NopStyle(),
		mpb.BarPriority(priority), mpb.BarFillerTrim(),
		mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return text() })),
	)
	v.bars = append(v.bars, b)
}

// tally returns outlet id's counts, adding its line on first use.
func (v *liveView) tally(id, label string) *tally {
	if t, ok := v.tallies.Load(id); ok {
		return t.(*tally)
	}
	v.mu.Lock()
	if t, ok := v.tallies.Load(id); ok {
		v.mu.Unlock()
		return t.(*tally)
	}
	if label == "" {
		label = id
	}
	t := &tally{id: id, label: label, n: make([]atomic.Int64, len(v.cols)), logged: make([]int64, len(v.cols))}
	v.order = append(v.order, t)
	for w := int64(runewidth.StringWidth(label)); ; {
		cur := v.nameW.Load()
		if w <= cur || v.nameW.CompareAndSwap(cur, w) {
			break
		}
	}
	v.tallies.Store(id, t)
	prio := len(v.order)
	v.mu.Unlock()
	if v.p != nil && (v.slots == 0 || prio <= v.slots) {
		v.bar(prio, func() string { return v.slotRow(prio - 1) })
	}
	return t
}

// slotRow is outlet line i: the i-th outlet, or with more outlets than
// slots the i-th of those arranged, and on the last line the sum of the
// rest.
func (v *liveView) slotRow(i int) string {
	shown, rest := v.arrange()
	switch {
	case i < len(shown):
		return v.row(shown[i].label, shown[i].counts())
	case i == len(shown) && len(rest) > 0:
		s := make([]int64, len(v.cols)+1)
		for _, t := range rest {
			for k, n := range t.counts() {
				s[k] += n
			}
		}
		return v.row(fmt.Sprintf("(%d more)", len(rest)), s)
	}
	return ""
}

// arrange returns the outlets drawn, in the order they were added, and
// the rest: all of them when they fit, else the busiest slots-1 (by their
// counts and pages; the first added among equals) and the others.
func (v *liveView) arrange() (shown, rest []*tally) {
	v.arrMu.Lock()
	defer v.arrMu.Unlock()
	v.mu.Lock()
	order := v.order
	v.mu.Unlock()
	if v.slots == 0 || len(order) <= v.slots {
		return order, nil
	}
	if now := time.Now(); v.arrAt.IsZero() || now.Sub(v.arrAt) >= v.arrangeEvery || len(v.shown)+len(v.rest) != len(order) {
		busy := make([]int64, len(order))
		idx := make([]int, len(order))
		for i, t := range order {
			idx[i] = i
			for _, n := range t.counts() {
				busy[i] += n
			}
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(busy[b], busy[a]) })
		top := idx[:v.slots-1]
		slices.Sort(top)
		// New slices: lines being drawn may still read the last ones.
		v.shown, v.rest = make([]*tally, 0, len(top)), make([]*tally, 0, len(order)-len(top))
		for _, i := range top {
			v.shown = append(v.shown, order[i])
		}
		for _, i := range idx[v.slots-1:] {
			v.rest = append(v.rest, order[i])
		}
		v.arrAt = now
	}
	return v.shown, v.rest
}

// add counts n under outlet's column col.
func (v *liveView) add(outlet string, col, n int) {
	v.tally(outlet, "").n[col].Add(int64(n))
}

// page counts one page toward outlet's rate.
func (v *liveView) page(outlet string) {
	v.tally(outlet, "").pages.Add(1)
}

// counts is a snapshot: the columns, then the pages.
func (t *tally) counts() []int64 {
	c := make([]int64, len(t.n)+1)
	for i := range t.n {
		c[i] = t.n[i].Load()
	}
	c[len(t.n)] = t.pages.Load()
	return c
}

// sum is the snapshot of every outlet.
func (v *liveView) sum() []int64 {
	s := make([]int64, len(v.cols)+1)
	v.mu.Lock()
	order := v.order
	v.mu.Unlock()
	for _, t := range order {
		for i, n := range t.counts() {
			s[i] += n
		}
	}
	return s
}

// colWidth is the width of column name: its name, and 7 digits at least.
func colWidth(name string) int { return max(len(name), 7) }

const rateCol = "pages/s"

func (v *liveView) header() string {
	var b strings.Builder
	pad(&b, "outlet", int(v.nameW.Load()))
	for _, c := range v.cols {
		fmt.Fprintf(&b, "  %*s", colWidth(c), c)
	}
	fmt.Fprintf(&b, "  %*s", colWidth(rateCol), rateCol)
	return b.String()
}

// row is one line of the table: the label padded to the widest by display
// width (a Hangul syllable takes two columns), the counts right-aligned
// under their names, the rate of pages since the start.
func (v *liveView) row(label string, c []int64) string {
	var b strings.Builder
	pad(&b, label, int(v.nameW.Load()))
	for i, name := range v.cols {
		fmt.Fprintf(&b, "  %*d", colWidth(name), c[i])
	}
	fmt.Fprintf(&b, "  %*.1f", colWidth(rateCol), v.rate(c[len(v.cols)]))
	return b.String()
}

func pad(b *strings.Builder, s string, width int) {
	b.WriteString(s)
	b.WriteString(strings.Repeat(" ", max(0, width-runewidth.StringWidth(s))))
}

func (v *liveView) rate(pages int64) float64 {
	secs := v.now().Sub(v.start).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(pages) / secs
}

// logLines logs a line per outlet whose counts moved since its last one.
func (v *liveView) logLines() {
	v.mu.Lock()
	order := v.order
	v.mu.Unlock()
	for _, t := range order {
		c := t.counts()
		moved := false
		for i := range v.cols {
			moved = moved || c[i] != t.logged[i]
			t.logged[i] = c[i]
		}
		if !moved {
			continue
		}
		args := make([]any, 0, 2*len(v.cols)+4)
		args = append(args, "outlet", t.id)
		for i, name := range v.cols {
			args = append(args, name, c[i])
		}
		args = append(args, "pages_per_s", float64(int64(v.rate(c[len(v.cols)])*10))/10)
		v.log.Info("progress", args...)
	}
}

// done ends the view: the lines are drawn a last time and left on the
// terminal, the log writes to the terminal again; or the log lines stop.
// It returns when nothing more will be drawn or logged.
func (v *liveView) done() {
	if v.p == nil {
		close(v.stop)
		v.wg.Wait()
		return
	}
	if v.logw != nil {
		v.logw.set(v.back) // lines logged from now on go straight out, below the view
	}
	v.barMu.Lock()
	v.ended = true
	bars := v.bars
	v.barMu.Unlock()
	for _, b := range bars {
		b.SetTotal(-1, true)
	}
	v.p.Wait()
}

// switchWriter is a writer whose destination may change: the log's, which
// goes through mpb while a view is drawn.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// set makes w the destination and returns the one before.
func (s *switchWriter) set(w io.Writer) io.Writer {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.w
	s.w = w
	return old
}

func (s *switchWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// Columns of the crawl view.
const (
	crawlDiscovered = iota
	crawlFetched
	crawlNew
	crawlUpdated
	crawlErrors
)

var crawlCols = []string{"discovered", "fetched", "new", "updated", "errors"}

// crawlView is the view of gisa crawl, fed by the crawler's Observer:
// discovered, fetched (200s), new, updated and failed as the run's
// summary counts them; the rate is of every HTTP answer.
type crawlView struct{ *liveView }

var _ crawler.Observer = crawlView{}

// newCrawlView starts the view of a crawl of outlets: drawn on stderr when
// it is a terminal (the log, written to logw, then goes through it), else
// logged to log.
func newCrawlView(outlets []crawler.Outlet, stderr io.Writer, logw *switchWriter, log *slog.Logger) crawlView {
	ps := make([]*parser.Profile, len(outlets))
	for i, o := range outlets {
		ps[i] = o.Profile
	}
	return crawlView{newLiveView(viewOptions{cols: crawlCols, outlets: ps, log: log, out: viewOn(stderr), logw: logw})}
}

func (v crawlView) Discovered(outlet string, n int) { v.add(outlet, crawlDiscovered, n) }
func (v crawlView) Fetched(outlet string, status, _ int) {
	v.page(outlet)
	if status == 200 {
		v.add(outlet, crawlFetched, 1)
	}
}

func (v crawlView) Stored(outlet string, s crawler.Saved) {
	switch s {
	case crawler.SavedNew:
		v.add(outlet, crawlNew, 1)
	case crawler.SavedUpdated:
		v.add(outlet, crawlUpdated, 1)
	}
}
func (v crawlView) Failed(outlet, _ string)         { v.add(outlet, crawlErrors, 1) }
func (crawlView) ParseFailed(string)                {}
func (crawlView) RobotsSkipped(string)              {}
func (crawlView) Retried(string)                    {}
func (crawlView) QueueDepth(string, int)            {}
func (crawlView) Extracted(string, crawler.Missing) {}

// Columns of the reparse view.
const (
	reparseRead = iota
	reparseParsed
	reparseChanged
	reparseUnchanged
	reparseErrors
)

var reparseCols = []string{"read", "parsed", "changed", "unchanged", "errors"}

// reparseView is the view of gisa reparse: per outlet (by the page's
// host), the pages read, parsed into an article, changed (a record
// replaced, created or updated) or unchanged, and failed to parse; the
// rate is of pages read.
type reparseView struct {
	*liveView
	set *parser.Profiles
}

// newReparseView starts the view of a reparse, its outlets' lines drawn
// from the start (want empty: each outlet's when first seen); on stderr
// when it is a terminal, else logged to log.
func newReparseView(want map[string]bool, set *parser.Profiles, stderr io.Writer, logw *switchWriter, log *slog.Logger) reparseView {
	var ps []*parser.Profile
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if p := set.ByID(id); p != nil {
			ps = append(ps, p)
		}
	}
	return reparseView{newLiveView(viewOptions{cols: reparseCols, outlets: ps, log: log, out: viewOn(stderr), logw: logw}), set}
}

// page counts a page read from the WARC files, under the outlet whose
// host it is on, and returns that outlet's counts.
func (v reparseView) page(u string) *tally {
	id, label := storage.UnknownOutlet, ""
	if p := v.set.ForURL(u); p != nil {
		id, label = p.ID, outletLabel(p)
	}
	t := v.tally(id, label)
	t.n[reparseRead].Add(1)
	t.pages.Add(1)
	return t
}
