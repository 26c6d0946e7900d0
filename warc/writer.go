package warc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

// filePutter is a Store that can take an object from a local file without
// reading it into memory (an S3 multipart upload, a rename on the same disk).
// PutFile keeps the contract of Put; the file is not changed or removed.
type filePutter interface {
	PutFile(ctx context.Context, key, path string) error
}

// Writer appends request/response record pairs to the current spool file
// and moves finished files into the Store: with PutFile when the Store has
// it, else with one Put of the file's bytes. It is safe for concurrent use;
// records are built and compressed outside its lock, so concurrent Writes
// compress in parallel.
//
// A file is finished when it reaches MaxSize, when it is MaxAge old (checked
// at each Write and by a timer, so an idle Writer uploads too), and at Close.
// A finished file is renamed in the spool and uploaded in the background;
// one whose upload fails stays in the spool, is tried again later and by
// Close, and survives until a Recover if all fails.
//
// Write does not fsync: a process crash loses nothing Write returned, but a
// power failure may lose the records of the open file written since it was
// opened (Recover keeps whatever survived). Finished files are fsynced
// before they are uploaded.
//
// The spool directory holds the open file as <name>.open, finished files
// under their final names, and a lock file: one Writer uses it at a time.
type Writer struct {
	st   storage.Store
	opts Options
	lock *os.File

	mu     sync.Mutex
	cur    *spoolFile // nil until the first Write after a rotation
	seq    int
	closed bool

	openSpool func(path string) (spoolWriter, error) // creates the open file: openSpool, or a test's stand-in

	kick   chan struct{}      // a file was finished: upload it now
	cancel context.CancelFunc // stops the background loop (Close)
	done   chan struct{}      // closed when the background loop returns
}

// spoolWriter is the open spool file as a Writer uses it: an *os.File
// opened for appending (openSpool), so that every write lands at the end of
// the file whatever a failed write left behind, or a test's stand-in.
type spoolWriter interface {
	io.Writer
	Truncate(size int64) error
	Sync() error
	Close() error
}

// openSpool creates a spool file. O_APPEND makes the file's end the only
// write position: after a torn write is cut off with Truncate, the next
// record begins right after the last whole one, with no gap.
func openSpool(path string) (spoolWriter, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
}

// spoolFile is the open file.
type spoolFile struct {
	f      spoolWriter
	name   string // final base name, without extOpen
	key    string
	opened time.Time
	size   int64
}

// NewWriter returns a Writer spooling into opts.SpoolDir (created when
// missing). It first takes the spool directory's lock and calls Recover's
// logic on it, so files an earlier run left behind are finished and
// uploaded; their upload failing is an error.
//
// ctx bounds the background work (age rotation, uploads): once it is done
// those stop, and Close, with its own context, uploads what is left. Close
// the Writer when done.
func NewWriter(ctx context.Context, st storage.Store, opts Options) (*Writer, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	lock, err := lockSpool(o.SpoolDir)
	if err != nil {
		return nil, err
	}
	files, records, err := recoverSpool(ctx, st, o.SpoolDir, true)
	if err != nil {
		unlockSpool(lock)
		return nil, err
	}
	if files > 0 {
		o.Logger.Info("warc: uploaded files an earlier run left in the spool", "files", files, "records", records)
	}
	lctx, cancel := context.WithCancel(ctx)
	w := &Writer{
		st:        st,
		opts:      o,
		lock:      lock,
		openSpool: openSpool,
		kick:      make(chan struct{}, 1),
		cancel:    cancel,
		done:      make(chan struct{}),
	}
	go w.loop(lctx)
	return w, nil
}

// Write records one exchange as two WARC/1.1 records, each its own gzip
// member, written one after the other, the request first:
//
//   - request: "GET <request-URI> HTTP/1.1", the Host (from
//     page.RequestHeader when it has one, else from the URL), then
//     page.RequestHeader as sent. gisa sends nothing but GET.
//   - response: the status line, the response header, then the payload. It
//     carries WARC-Block-Digest and WARC-Payload-Digest (SHA-1, base 32);
//     the request names it in WARC-Concurrent-To.
//
// Both are dated page.FetchedAt (the Writer's clock when that is zero) and
// name page.URL in WARC-Target-URI. WARC-IP-Address is not written: the Page
// does not know it.
//
// A page recorded off the wire (page.Payload not nil) is written as served:
// page.Payload, Content-Encoding kept, under page.Header as received, less
// Transfer-Encoding (the payload is transfer-decoded); Content-Length is the
// served one. WARC-Payload-Digest is then the digest of the bytes the server
// sent. A page without a Payload has only its decoded body: its header is
// re-serialised for it, Content-Encoding and Transfer-Encoding dropped and
// Content-Length set to len(page.Body) (left out for a 1xx, 204 or 304
// without a body), which makes the record a consistent HTTP/1.1 message that
// WARC tools can replay. The status line
// says HTTP/1.1 whatever protocol carried the exchange, as is usual in WARC
// files. Fields are written in key order; fields whose names are not HTTP
// tokens are dropped, and control characters in values become spaces.
//
// The Location returned is that of the response record. A page without a
// status or with a URL that is not absolute http(s) gives an error wrapping
// ErrBadPage; Write after Close gives ErrClosed.
func (w *Writer) Write(ctx context.Context, page *article.Page) (Location, error) {
	if err := ctx.Err(); err != nil {
		return Location{}, fmt.Errorf("warc: write %s: %w", page.URL, err)
	}
	date := page.FetchedAt
	if date.IsZero() {
		date = w.opts.Now()
	}
	e := getEncoder()
	defer putEncoder(e)
	id, err := e.encodePair(page, date)
	if err != nil {
		return Location{}, err
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return Location{}, ErrClosed
	}
	now := w.opts.Now()
	if w.cur != nil && now.Sub(w.cur.opened) >= w.opts.MaxAge {
		w.finishLogged()
	}
	if w.cur == nil {
		if err := w.open(now); err != nil {
			return Location{}, err
		}
	}
	cur := w.cur
	start := cur.size
	if err := cur.append(e.req.Bytes(), e.resp.Bytes()); err != nil {
		// Cut the torn pair off, so that the file stays whole. If even that
		// fails, leave the file as it is for Recover and start a new one.
		if terr := cur.f.Truncate(start); terr != nil {
			w.cur = nil
			cur.f.Close()
			return Location{}, fmt.Errorf("warc: write %s: %w", cur.name, storage.FileError(errors.Join(err, terr)))
		}
		cur.size = start
		return Location{}, fmt.Errorf("warc: write %s: %w", cur.name, storage.FileError(err))
	}
	loc := Location{File: cur.key, RecordID: id, Offset: start + int64(e.req.Len()), Length: int64(e.resp.Len())}
	if cur.size >= w.opts.MaxSize {
		w.finishLogged()
	}
	return loc, nil
}

func (f *spoolFile) append(req, resp []byte) error {
	n, err := f.f.Write(req)
	f.size += int64(n)
	if err != nil {
		return err
	}
	n, err = f.f.Write(resp)
	f.size += int64(n)
	return err
}

// open starts a new spool file at now, beginning with its warcinfo record.
// w.mu is held.
func (w *Writer) open(now time.Time) error {
	var rnd [4]byte
	rand.Read(rnd[:])
	w.seq++
	name := fileName(w.opts.Prefix, now, w.seq, hex.EncodeToString(rnd[:]))
	p := filepath.Join(w.opts.SpoolDir, name+extOpen)
	f, err := w.openSpool(p)
	if err != nil {
		return fmt.Errorf("warc: open spool file: %w", storage.FileError(err))
	}
	sf := &spoolFile{f: f, name: name, key: keyFor(name), opened: now}
	info, err := warcinfoRecord(name, now, &w.opts)
	if err == nil {
		e := getEncoder()
		err = e.member(&e.req, info)
		if err == nil {
			err = sf.append(e.req.Bytes(), nil)
		}
		putEncoder(e)
		info.Close()
	}
	if err != nil {
		f.Close()
		os.Remove(p)
		return fmt.Errorf("warc: open %s: %w", name, storage.FileError(err))
	}
	w.cur = sf
	return nil
}

// finish closes the open file, fsynced, under its final name, and wakes the
// uploader. w.mu is held.
func (w *Writer) finish() error {
	cur := w.cur
	if cur == nil {
		return nil
	}
	w.cur = nil
	err := cur.f.Sync()
	if cerr := cur.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = renameSync(filepath.Join(w.opts.SpoolDir, cur.name+extOpen), filepath.Join(w.opts.SpoolDir, cur.name))
	}
	if err != nil {
		// The .open file stays for Recover; the records are not lost.
		return fmt.Errorf("warc: finish %s: %w", cur.name, err)
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
	return nil
}

// finishLogged is finish where its failure is not the caller's: the pages
// are written whatever happens to the file then (a file finish could not
// rename stays in the spool as .open, and Close or the next Recover repairs
// and uploads it), so it is logged for the operator. w.mu is held.
func (w *Writer) finishLogged() {
	if err := w.finish(); err != nil {
		w.opts.Logger.Error("warc: finish file", "err", err)
	}
}

// loop finishes files that reach MaxAge while no Write comes, and uploads
// finished files, until ctx ends (Close cancels it). An upload it cancels
// leaves the file in the spool for Close.
func (w *Writer) loop(ctx context.Context) {
	defer close(w.done)
	tick := time.NewTicker(checkInterval(w.opts.MaxAge))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-tick.C:
			w.mu.Lock()
			if w.cur != nil && !w.closed && w.opts.Now().Sub(w.cur.opened) >= w.opts.MaxAge {
				w.finishLogged()
			}
			w.mu.Unlock()
		}
		if _, _, err := uploadFinished(ctx, w.st, w.opts.SpoolDir, false); err != nil && ctx.Err() == nil {
			w.opts.Logger.Warn("warc: upload failed, will retry", "err", err)
		}
	}
}

// checkInterval is how often the loop looks at the open file's age and
// retries failed uploads.
func checkInterval(maxAge time.Duration) time.Duration {
	return min(max(maxAge/10, 10*time.Millisecond), time.Minute)
}

// Close finishes the open file, stops the background work, and uploads
// every finished file in the spool, with ctx. It returns an error when a
// file could not be uploaded (it stays in the spool for the next Writer or
// Recover). Close releases the spool directory; calling it again does
// nothing and returns nil.
func (w *Writer) Close(ctx context.Context) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.finishLogged() // a file it cannot finish, recoverSpool repairs
	w.mu.Unlock()

	w.cancel()
	<-w.done
	_, _, err := recoverSpool(ctx, w.st, w.opts.SpoolDir, false)
	unlockSpool(w.lock)
	return err
}

// renameSync renames a file and fsyncs its directory.
func renameSync(from, to string) error {
	if err := os.Rename(from, to); err != nil {
		return err
	}
	return syncDir(filepath.Dir(to))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
