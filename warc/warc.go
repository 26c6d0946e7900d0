// Package warc keeps the raw HTTP exchanges of a crawl in WARC files
// (ISO 28500, WARC/1.1), written from the same fetch as the parsed JSON, so
// that a better parser can re-extract articles years later without fetching
// the pages again.
//
// A Writer appends one request record and one response record per page to a
// spool file on local disk, each record its own gzip member, and moves a
// finished file into a storage.Store under
//
//	warc/<yyyy>/<mm>/<dd>/<prefix>-<yyyymmddhhmmss>-<seq>-<random>.warc.gz
//
// The date and the 14-digit timestamp are those of the moment the file was
// opened (its first record), in UTC: WARC-Date is UTC and the WARC 1.1
// naming recommendation (annex C) uses a UTC timestamp, and the directory is
// always the date of the timestamp in the name. (The article tree uses KST
// dates; a KST day spans two UTC directories. Files takes instants, so a
// caller never has to think about it.)
//
// Read and Files bring the pages back for re-parsing; Recover finishes the
// spool files a crash left behind.
//
// Records are built, serialised and parsed with github.com/nlnwa/gowarc/v3.
// Its WarcFileWriter is not used: it rotates before each record (and may so
// split a request from its response), cannot rotate by age, cannot report the
// compressed length of a record, names files from a package-level clock, and
// ignores the errors of the hook that would upload a finished file.
package warc

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/storage"
)

// Root is the key prefix under which WARC files live in a Store.
const Root = "warc/"

// Defaults for Options.
const (
	DefaultPrefix  = "gisa"
	DefaultMaxSize = 100 << 20 // 100 MiB: a file is uploaded with one Put when the Store has no PutFile
	DefaultMaxAge  = time.Hour
)

// Extensions of WARC files.
const (
	extGzip  = ".warc.gz"
	extPlain = ".warc"
	extOpen  = ".open" // appended to the name of the spool file being written
)

// Options configure a Writer.
type Options struct {
	// SpoolDir is the local directory where the open file is written, e.g.
	// <state dir>/warc-spool. Required. It belongs to one Writer at a time.
	SpoolDir string
	// Prefix begins every file name: letters, digits, '.', '_' and '-',
	// beginning with a letter or digit, at most 64 bytes. Default "gisa".
	Prefix string
	// MaxSize: the file is finished once its compressed size reaches this
	// many bytes (so it passes it by at most one page). Default 100 MiB.
	MaxSize int64
	// MaxAge: the file is finished once it is this old, so that a
	// scheduled crawl's pages reach the Store within MaxAge even when the
	// process keeps running. Default 1h.
	MaxAge time.Duration
	// Software and Operator are written to the warcinfo record that begins
	// every file ("software", "operator": the crawl contact). Optional.
	Software string
	Operator string
	// Logger receives the failures of background uploads (they are retried,
	// and Close reports what is still left). Nil discards.
	Logger *slog.Logger
	// Now is the clock for file names and MaxAge. Nil means time.Now.
	Now func() time.Time
}

var prefixRE = lazy.NewRegexp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// withDefaults returns o with defaults filled in, or an error naming the
// first bad field.
func (o Options) withDefaults() (Options, error) {
	if o.SpoolDir == "" {
		return o, errors.New("warc: options: SpoolDir is required")
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if !prefixRE.MatchString(o.Prefix) {
		return o, fmt.Errorf("warc: options: bad Prefix %q (want [A-Za-z0-9][A-Za-z0-9._-]*, at most 64 bytes)", o.Prefix)
	}
	switch {
	case o.MaxSize < 0:
		return o, fmt.Errorf("warc: options: negative MaxSize %d", o.MaxSize)
	case o.MaxSize == 0:
		o.MaxSize = DefaultMaxSize
	}
	switch {
	case o.MaxAge < 0:
		return o, fmt.Errorf("warc: options: negative MaxAge %v", o.MaxAge)
	case o.MaxAge == 0:
		o.MaxAge = DefaultMaxAge
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// Location is where Write put a page: the response record is the gzip member
// of Length bytes at Offset in the WARC file File (a Store key). It holds
// from the moment Write returns: the name is fixed when the spool file is
// opened, and neither rotation nor Recover moves records within a file.
type Location struct {
	File     string `json:"file"`
	RecordID string `json:"record_id"` // WARC-Record-ID of the response record, "<urn:uuid:…>"
	Offset   int64  `json:"offset"`
	Length   int64  `json:"length"`
}

// Raw is the location as an article record names its raw page.
func (l Location) Raw() *article.Raw {
	return &article.Raw{File: l.File, RecordID: l.RecordID, Offset: l.Offset, Length: l.Length}
}

// Record is one response record read back from a WARC file, with the header
// of the matching request record when the file has one.
type Record struct {
	URL    string    // WARC-Target-URI
	Date   time.Time // WARC-Date, in UTC
	Status int       // HTTP status code

	// Header is the response header as recorded. For pages a Writer took
	// off the wire, that is the header as received less Transfer-Encoding;
	// for others, the page's header without Content-Encoding and
	// Transfer-Encoding, with Content-Length set to len(Body) (see Write).
	// Keys are canonical (textproto.CanonicalMIMEHeaderKey).
	Header http.Header
	// RequestHeader is the request header as recorded, without Host (which
	// Go keeps outside the header map as well); nil when the file has no
	// request record for this response.
	RequestHeader http.Header
	// Body is the payload as recorded: as served (a gzip Content-Encoding
	// kept) for pages taken off the wire; files from other tools may hold a
	// chunked one, as their Header says. Page undoes the Content-Encoding.
	Body []byte

	ID     string // WARC-Record-ID of the response record
	File   string // key of the WARC file
	Offset int64  // offset of the record (its gzip member) in the file
	Length int64  // bytes of the record in the file
}

// Location is where the record lies.
func (r *Record) Location() Location {
	return Location{File: r.File, RecordID: r.ID, Offset: r.Offset, Length: r.Length}
}

// MaxPageBytes caps what Page inflates a compressed payload to.
const MaxPageBytes = 64 << 20

// ErrEncoding is wrapped by Page's error for a payload it cannot decode.
var ErrEncoding = errors.New("cannot undo the content encoding")

// Page is the record as the article.Page it was written from, for re-parsing:
// Payload is the payload as recorded, Body the same with a gzip
// Content-Encoding undone (at most MaxPageBytes). A payload in another
// encoding (br, deflate), or one that does not inflate, gives an error
// wrapping ErrEncoding. Outlet is left empty (the parser picks the profile
// by host).
func (r *Record) Page() (article.Page, error) {
	payload := r.Body
	if payload == nil {
		payload = []byte{}
	}
	p := article.Page{
		URL:           r.URL,
		ContentType:   r.Header.Get("Content-Type"),
		Body:          payload,
		FetchedAt:     r.Date,
		Status:        r.Status,
		Header:        r.Header,
		RequestHeader: r.RequestHeader,
		Payload:       payload,
	}
	switch ce := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); ce {
	case "", "identity":
	case "gzip", "x-gzip":
		if len(payload) < 2 || payload[0] != 0x1f || payload[1] != 0x8b {
			break // labelled gzip, served plain: as it is
		}
		zr, err := gzip.NewReader(bytes.NewReader(payload))
		if err == nil {
			p.Body, err = io.ReadAll(io.LimitReader(zr, MaxPageBytes+1))
		}
		if err != nil {
			return article.Page{}, fmt.Errorf("warc: %s: gzip payload: %w: %v", r.URL, ErrEncoding, err)
		}
		if len(p.Body) > MaxPageBytes {
			return article.Page{}, fmt.Errorf("warc: %s: gzip payload: %w: inflates past %d bytes", r.URL, ErrEncoding, MaxPageBytes)
		}
	default:
		return article.Page{}, fmt.Errorf("warc: %s: %w %q", r.URL, ErrEncoding, ce)
	}
	return p, nil
}

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("warc: writer closed")

// ErrBadPage wraps the error of Write for a page that cannot be recorded as
// an HTTP exchange: no URL, an unparsable or non-HTTP URL, or no status.
var ErrBadPage = errors.New("page is not an HTTP exchange")

// ErrSpoolBusy is returned by NewWriter and Recover when another Writer (in
// this process or another) holds the spool directory.
var ErrSpoolBusy = errors.New("warc: spool directory in use")

// fileName is the base name of a WARC file opened at t.
func fileName(prefix string, t time.Time, seq int, random string) string {
	return fmt.Sprintf("%s-%s-%05d-%s%s", prefix, t.UTC().Format("20060102150405"), seq, random, extGzip)
}

// nameTime is the time in a file name fileName made, and whether there is one.
func nameTime(name string) (time.Time, bool) {
	base, ok := strings.CutSuffix(name, extGzip)
	if !ok {
		if base, ok = strings.CutSuffix(name, extPlain); !ok {
			return time.Time{}, false
		}
	}
	// <prefix>-<ts>-<seq>-<random>; the prefix may itself hold '-'.
	parts := strings.Split(base, "-")
	if len(parts) < 4 {
		return time.Time{}, false
	}
	ts, seq := parts[len(parts)-3], parts[len(parts)-2]
	if len(ts) != 14 || !digits(ts) || seq == "" || !digits(seq) || parts[len(parts)-1] == "" {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", ts)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// keyFor is the Store key of the WARC file with base name name, or "" when
// the name holds no timestamp.
func keyFor(name string) string {
	t, ok := nameTime(name)
	if !ok {
		return ""
	}
	return Root + t.Format("2006/01/02/") + name
}

// keyTime is the time a WARC file's key tells: the timestamp in its name or,
// failing that, midnight UTC of its <yyyy>/<mm>/<dd> directory.
func keyTime(key string) (time.Time, bool) {
	if t, ok := nameTime(path.Base(key)); ok {
		return t, true
	}
	segs := strings.Split(strings.TrimPrefix(key, Root), "/")
	if len(segs) < 4 {
		return time.Time{}, false
	}
	y, m, d := segs[0], segs[1], segs[2]
	if len(y) != 4 || len(m) != 2 || len(d) != 2 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006/01/02", y+"/"+m+"/"+d)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// Files lists the keys of the WARC files (names ending in .warc.gz or .warc)
// under Root in st, in key order: by date, then by name.
//
// A zero since or until leaves that end open. Otherwise only files whose
// time is within [since, until] are listed. A file's time is the timestamp
// in its name (when it was opened: its first record), or midnight UTC of its
// directory's date for names without one; files with neither are listed only
// when both ends are open. A file holds records up to MaxAge after its time,
// so to find every record fetched after some instant, start since MaxAge
// earlier.
func Files(ctx context.Context, st storage.Store, since, until time.Time) ([]string, error) {
	var keys []string
	err := st.List(ctx, Root, func(info storage.Info) error {
		if !strings.HasSuffix(info.Key, extGzip) && !strings.HasSuffix(info.Key, extPlain) {
			return nil
		}
		if since.IsZero() && until.IsZero() {
			keys = append(keys, info.Key)
			return nil
		}
		t, ok := keyTime(info.Key)
		if !ok || (!since.IsZero() && t.Before(since)) || (!until.IsZero() && t.After(until)) {
			return nil
		}
		keys = append(keys, info.Key)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("warc: list files: %w", err)
	}
	return keys, nil
}
