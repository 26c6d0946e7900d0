package warc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/gisa-news/gisa/storage"
	"github.com/nlnwa/gowarc/v3"
)

// ErrCorrupt is wrapped by every CorruptError.
var ErrCorrupt = errors.New("corrupt WARC record")

// CorruptError is a stretch of a WARC file that holds no readable record: a
// gzip member that does not decompress or fails its CRC, a record that does
// not parse or whose digest or length is wrong, bytes between records, a
// torn end. Offset is where the stretch begins; reading goes on with the
// next record that reads.
type CorruptError struct {
	File   string
	Offset int64
	Err    error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("warc %s at offset %d: %v: %v", e.File, e.Offset, ErrCorrupt, e.Err)
}

func (e *CorruptError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }

// Corrupt returns the CorruptErrors in err (as Read returns them), in file
// order.
func Corrupt(err error) []*CorruptError {
	var out []*CorruptError
	var visit func(error)
	visit = func(err error) {
		switch e := err.(type) {
		case *CorruptError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				visit(x)
			}
		case interface{ Unwrap() error }:
			visit(e.Unwrap())
		}
	}
	visit(err)
	return out
}

// Read calls fn for each response record of the WARC file at key in st, in
// file order, with the header of the matching request record (linked by
// WARC-Concurrent-To either way, before or after the response) when there is
// one. Other records (warcinfo, request, metadata, revisit, non-HTTP
// responses) are skipped. Both per-record gzip (.warc.gz) and uncompressed
// WARC are read.
//
// A corrupt record does not stop the reading: Read skips to the next record
// that reads (the next gzip member, or "WARC/" in an uncompressed file) and
// goes on. When it is done it returns the errors.Join of one *CorruptError
// per corrupt stretch, each naming the file and offset (Corrupt lists them),
// or nil when all was well. If fn returns an error, Read stops and returns
// that error as it is; an error of the Store, or of ctx, is wrapped.
//
// The whole file is read into memory (the Store has no ranged reads); at the
// default MaxSize that is 100 MiB.
func Read(ctx context.Context, st storage.Store, key string, fn func(Record) error) error {
	data, err := st.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("warc: read %s: %w", key, err)
	}
	return readBytes(ctx, key, data, fn)
}

// readBytes is Read of a file already in memory.
func readBytes(ctx context.Context, key string, data []byte, fn func(Record) error) error {
	var (
		corrupt  []error
		requests = map[string]http.Header{} // by their own ID and by the IDs they are concurrent to
		pending  *Record                    // a response waiting to see whether its request follows
		pendID   string
	)
	flush := func() error {
		if pending == nil {
			return nil
		}
		r := *pending
		pending = nil
		return fn(r)
	}
	bad := func(off int64, err error) {
		corrupt = append(corrupt, &CorruptError{File: key, Offset: off, Err: err})
	}
	err := walk(ctx, data, func(rec gowarc.WarcRecord, off, size int64) error {
		switch rec.Type() {
		case gowarc.Request:
			h, ok := requestHeader(rec)
			if !ok {
				return nil
			}
			if pending != nil && slices.Contains(concurrentTo(rec), pendID) {
				pending.RequestHeader = h
				return flush()
			}
			requests[rec.RecordId()] = h
			for _, id := range concurrentTo(rec) {
				requests[id] = h
			}
			return nil
		case gowarc.Response:
			r, ok, err := response(rec)
			if err != nil {
				bad(off, err)
				return nil
			}
			if !ok {
				return nil
			}
			if err := flush(); err != nil {
				return err
			}
			r.File, r.Offset, r.Length = key, off, size
			id := rec.RecordId()
			if h, ok := requests[id]; ok {
				r.RequestHeader = h
				delete(requests, id)
				return fn(r)
			}
			for _, cid := range concurrentTo(rec) {
				if h, ok := requests[cid]; ok {
					r.RequestHeader = h
					delete(requests, cid)
					return fn(r)
				}
			}
			pending, pendID = &r, id
			return nil
		default:
			return flush()
		}
	}, bad)
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	return errors.Join(corrupt...)
}

// concurrentTo is the record IDs in rec's WARC-Concurrent-To fields, without
// the angle brackets.
func concurrentTo(rec gowarc.WarcRecord) []string {
	vs := rec.WarcHeader().GetAll(gowarc.WarcConcurrentTo)
	for i, v := range vs {
		vs[i] = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "<"), ">")
	}
	return vs
}

// response turns a response record into a Record; ok is false for records
// that are not HTTP responses (DNS, for one), err is set for an HTTP
// response whose header does not parse.
func response(rec gowarc.WarcRecord) (r Record, ok bool, err error) {
	blk, isHTTP := rec.Block().(gowarc.HttpResponseBlock)
	if !isHTTP {
		return r, false, nil
	}
	status, header, err := parseHTTPHeader(blk.ProtocolHeaderBytes(), true)
	if err != nil {
		return r, false, fmt.Errorf("response %s: %w", rec.RecordId(), err)
	}
	payload, err := blk.PayloadBytes()
	if err != nil {
		return r, false, fmt.Errorf("response %s: %w", rec.RecordId(), err)
	}
	body, err := io.ReadAll(payload)
	if err != nil {
		return r, false, fmt.Errorf("response %s: %w", rec.RecordId(), err)
	}
	date, _ := rec.Date()
	r = Record{
		URL:    targetURI(rec),
		Date:   date.UTC(),
		Status: status,
		Header: header,
		Body:   body,
		ID:     strings.TrimSpace(rec.WarcHeader().Get(gowarc.WarcRecordID)),
	}
	return r, true, nil
}

// requestHeader is the header of an HTTP request record, without Host; ok is
// false when rec is not one or its header does not parse (the response is
// then read without it).
func requestHeader(rec gowarc.WarcRecord) (http.Header, bool) {
	blk, isHTTP := rec.Block().(gowarc.HttpRequestBlock)
	if !isHTTP {
		return nil, false
	}
	_, h, err := parseHTTPHeader(blk.ProtocolHeaderBytes(), false)
	if err != nil {
		return nil, false
	}
	h.Del("Host")
	return h, true
}

// targetURI is WARC-Target-URI, without the angle brackets WARC/1.0 files
// put around it.
func targetURI(rec gowarc.WarcRecord) string {
	u := strings.TrimSpace(rec.WarcHeader().Get(gowarc.WarcTargetURI))
	if len(u) >= 2 && u[0] == '<' && u[len(u)-1] == '>' {
		u = u[1 : len(u)-1]
	}
	return u
}

// parseHTTPHeader parses an HTTP header block: the start line, then header
// fields. For a response it returns the status code. It does not rewrite
// fields the way http.ReadResponse does (which drops Transfer-Encoding, for
// one): the header comes back as recorded, keys canonical.
func parseHTTPHeader(b []byte, isResponse bool) (int, http.Header, error) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(b)))
	line, err := tp.ReadLine()
	if err != nil {
		return 0, nil, fmt.Errorf("http start line: %w", err)
	}
	status := 0
	if isResponse {
		proto, rest, _ := strings.Cut(line, " ")
		code, _, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
		if !strings.HasPrefix(proto, "HTTP/") || len(code) != 3 {
			return 0, nil, fmt.Errorf("malformed http status line %q", line)
		}
		if status, err = strconv.Atoi(code); err != nil || status < 100 {
			return 0, nil, fmt.Errorf("malformed http status line %q", line)
		}
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil && !(errors.Is(err, io.EOF) && h != nil) {
		return 0, nil, fmt.Errorf("http header: %w", err)
	}
	if h == nil {
		h = textproto.MIMEHeader{}
	}
	return status, http.Header(h), nil
}

// walk calls fn for every record of data it can read, in order, with its
// offset and size in data, and bad once for every stretch it cannot read,
// after which it resumes at the next record that reads. If fn returns an
// error walk stops and returns it; the record is closed after fn.
func walk(ctx context.Context, data []byte, fn func(rec gowarc.WarcRecord, off, size int64) error, bad func(off int64, err error)) error {
	u := newUnmarshaler()
	br := bufio.NewReader(nil)
	var off int64
	resyncing := false // inside a corrupt stretch already reported
	// A file is gzip members or plain records throughout; in a gzip file
	// "WARC/" past a corrupt member is the text of a stored (uncompressed)
	// deflate block, not a record.
	gzipped := bytes.HasPrefix(data, []byte{0x1f, 0x8b, 0x08})
	for off < int64(len(data)) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("warc: read: %w", err)
		}
		rest := data[off:]
		if len(rest) < 5 { // shorter than any gzip header or "WARC/"
			if !resyncing {
				bad(off, fmt.Errorf("%d bytes at the end", len(rest)))
			}
			return nil
		}
		rec, skipped, size, contentErr, err := unmarshalAt(u, br, rest)
		switch {
		case err != nil:
			// No sound record here: look for the next one past the
			// place gowarc started reading.
			if !resyncing {
				bad(off, err)
			}
			next := nextCandidate(data, off+skipped+1, gzipped)
			if next < 0 {
				return nil
			}
			resyncing, off = true, next
			continue
		case contentErr != nil:
			// The record's frame held (its gzip CRC, or its
			// Content-Length and end marker), its content did not.
			rec.Close()
			if !resyncing {
				bad(off, contentErr)
			}
		default:
			if skipped > 0 && !resyncing {
				bad(off, fmt.Errorf("%d bytes before the next record", skipped))
			}
			err = fn(rec, off+skipped, size)
			rec.Close()
			if err != nil {
				return err
			}
		}
		resyncing = false
		off += skipped + size
	}
	return nil
}

// unmarshalAt reads the record at the start of b. It returns the record, how
// many bytes gowarc skipped to find its start and how many the record took,
// and contentErr when the record is whole but its digest or length is
// wrong. On err the record is nil.
func unmarshalAt(u gowarc.Unmarshaler, br *bufio.Reader, b []byte) (rec gowarc.WarcRecord, skipped, size int64, contentErr, err error) {
	defer func() {
		// Outside input reaches gowarc here; a bug there must not take
		// the reader down.
		if p := recover(); p != nil {
			rec, err = nil, fmt.Errorf("gowarc panic: %v", p)
		}
	}()
	rd := bytes.NewReader(b)
	br.Reset(rd)
	rec, skipped, validation, err := u.Unmarshal(br)
	size = int64(len(b)) - int64(rd.Len()) - int64(br.Buffered()) - skipped
	if err != nil {
		if rec != nil {
			rec.Close()
		}
		return nil, skipped, size, nil, err
	}
	for _, v := range validation {
		var de *gowarc.DigestError
		var le *gowarc.ContentLengthError
		if errors.As(v, &de) || errors.As(v, &le) {
			return rec, skipped, size, v, nil
		}
	}
	return rec, skipped, size, nil, nil
}

// nextCandidate is the offset of the next gzip member header (in a gzip
// file) or "WARC/" (in a plain one) at or after from, or -1.
func nextCandidate(data []byte, from int64, gzipped bool) int64 {
	if from >= int64(len(data)) {
		return -1
	}
	magic := []byte("WARC/")
	if gzipped {
		magic = []byte{0x1f, 0x8b, 0x08}
	}
	i := bytes.Index(data[from:], magic)
	if i < 0 {
		return -1
	}
	return from + int64(i)
}
