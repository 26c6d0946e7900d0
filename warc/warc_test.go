package warc_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
	"github.com/nlnwa/gowarc/v3"
)

func newWriter(t *testing.T, st storage.Store, opts warc.Options) *warc.Writer {
	t.Helper()
	if opts.SpoolDir == "" {
		opts.SpoolDir = t.TempDir()
	}
	w, err := warc.NewWriter(t.Context(), st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	clk := &clock{t: t0}
	spool := t.TempDir()
	w := newWriter(t, st, warc.Options{SpoolDir: spool, Software: "gisa/0.1", Operator: "ops@example.com", Now: clk.Now})
	pages := map[string]*article.Page{}
	locs := map[string]warc.Location{}
	for i := range 50 {
		p := testPage(i, t0)
		loc, err := w.Write(ctx, p)
		if err != nil {
			t.Fatalf("Write %d: %v", i, err)
		}
		pages[p.URL], locs[p.URL] = p, loc
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if left := spoolFiles(t, spool); len(left) != 0 {
		t.Errorf("spool after Close: %v", left)
	}

	files, err := warc.Files(ctx, st, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// Opened at t0, UTC: the directory is the UTC date of the timestamp.
	if len(files) != 1 || !strings.HasPrefix(files[0], "warc/2024/01/31/gisa-20240131235930-00001-") || !strings.HasSuffix(files[0], ".warc.gz") {
		t.Fatalf("Files = %v", files)
	}
	recs := readAll(t, st)
	if len(recs) != 50 {
		t.Fatalf("read %d records, want 50", len(recs))
	}
	for i, r := range recs {
		p := pages[r.URL]
		if p == nil {
			t.Fatalf("record %d: unknown URL %q", i, r.URL)
		}
		if want := testPage(i, t0).URL; r.URL != want {
			t.Errorf("record %d is %s, want file order (%s)", i, r.URL, want)
		}
		checkRecord(t, r, p)
		if loc := r.Location(); loc != locs[r.URL] {
			t.Errorf("%s: read at %+v, Write said %+v", r.URL, loc, locs[r.URL])
		}
		if pg, err := r.Page(); err != nil || pg.URL != p.URL || pg.Status != p.Status || !pg.FetchedAt.Equal(p.FetchedAt) || pg.ContentType != http.Header(p.Header).Get("Content-Type") {
			t.Errorf("%s: Page() = %+v", r.URL, pg)
		}
	}
}

// TestFormat checks the file without gowarc: every record is its own gzip
// member (decompressed one by one with compress/gzip), the records are what
// the WARC spec asks, and the digests are right.
func TestFormat(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{Software: "gisa/0.1", Operator: "ops@example.com"})
	var locs []warc.Location
	var pages []*article.Page
	for i := range 10 {
		p := testPage(i, t0)
		loc, err := w.Write(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		locs, pages = append(locs, loc), append(pages, p)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	data, err := st.Get(ctx, locs[0].File)
	if err != nil {
		t.Fatal(err)
	}
	ms := members(t, data)
	if len(ms) != 1+2*len(pages) {
		t.Fatalf("%d gzip members, want %d", len(ms), 1+2*len(pages))
	}

	info, err := parseRaw(ms[0].data)
	if err != nil {
		t.Fatalf("warcinfo: %v", err)
	}
	if info.fields["WARC-Type"] != "warcinfo" || info.fields["WARC-Filename"] != path.Base(locs[0].File) ||
		!bytes.Contains(info.block, []byte("software: gisa/0.1\r\n")) || !bytes.Contains(info.block, []byte("operator: ops@example.com\r\n")) {
		t.Errorf("warcinfo record: %v\n%s", info.fields, info.block)
	}

	for i, p := range pages {
		reqM, respM := ms[1+2*i], ms[2+2*i]
		if locs[i].Offset != respM.off || locs[i].Length != respM.len {
			t.Errorf("page %d: Location %+v, response member at %d, %d bytes", i, locs[i], respM.off, respM.len)
		}
		req, err := parseRaw(reqM.data)
		if err != nil {
			t.Fatalf("page %d request: %v", i, err)
		}
		resp, err := parseRaw(respM.data)
		if err != nil {
			t.Fatalf("page %d response: %v", i, err)
		}
		for _, c := range []struct {
			rec     rawRecord
			typ, ct string
		}{
			{req, "request", "application/http;msgtype=request"},
			{resp, "response", "application/http;msgtype=response"},
		} {
			f := c.rec.fields
			if f["WARC-Type"] != c.typ || f["Content-Type"] != c.ct || f["WARC-Target-URI"] != p.URL ||
				f["WARC-Date"] != p.FetchedAt.UTC().Format(time.RFC3339Nano) || !strings.HasPrefix(f["WARC-Record-ID"], "<urn:uuid:") {
				t.Errorf("page %d %s fields: %v", i, c.typ, f)
			}
			if got := f["WARC-Block-Digest"]; got != sha1b32(c.rec.block) {
				t.Errorf("page %d %s: WARC-Block-Digest %s, want %s", i, c.typ, got, sha1b32(c.rec.block))
			}
		}
		if req.fields["WARC-Concurrent-To"] != resp.fields["WARC-Record-ID"] {
			t.Errorf("page %d: request WARC-Concurrent-To %q, response ID %q", i, req.fields["WARC-Concurrent-To"], resp.fields["WARC-Record-ID"])
		}
		wantReq := fmt.Sprintf("GET /news/%d?q=%%ED%%95%%9C&n=%d HTTP/1.1\r\nHost: www.example.co.kr\r\n", i, i)
		if !bytes.HasPrefix(req.block, []byte(wantReq)) || !bytes.HasSuffix(req.block, []byte("\r\n\r\n")) {
			t.Errorf("page %d request block:\n%s", i, req.block)
		}
		head, body, ok := bytes.Cut(resp.block, []byte("\r\n\r\n"))
		if !ok || !bytes.Equal(body, p.Body) {
			t.Fatalf("page %d: response block does not end in the body", i)
		}
		if got, want := resp.fields["WARC-Payload-Digest"], sha1b32(p.Body); got != want {
			t.Errorf("page %d: WARC-Payload-Digest %s, want %s", i, got, want)
		}
		status := fmt.Sprintf("HTTP/1.1 %d %s\r\n", p.Status, http.StatusText(p.Status))
		if !bytes.HasPrefix(head, []byte(status)) {
			t.Errorf("page %d: status line in %q", i, head)
		}
		for _, gone := range []string{"Content-Encoding:", "Transfer-Encoding:", "Content-Length: 1234"} {
			if bytes.Contains(head, []byte(gone)) {
				t.Errorf("page %d: response header keeps %q", i, gone)
			}
		}
	}
}

// TestGowarcStrict reads the files back with gowarc's own reader, strict:
// any syntax error, spec violation or digest mismatch fails.
func TestGowarcStrict(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{Software: "gisa/0.1", Operator: "ops@example.com"})
	for i := range 25 {
		p := testPage(i, t0)
		if i%2 == 1 { // as served: a gzip payload under the header received
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			zw.Write(p.Body)
			zw.Close()
			p.Payload = gz.Bytes()
			p.Header["Content-Encoding"] = []string{"gzip"}
			p.Header["Content-Length"] = []string{strconv.Itoa(gz.Len())}
		}
		if _, err := w.Write(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	for _, f := range files {
		data, _ := st.Get(ctx, f)
		r, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(data), 0, gowarc.WithStrictValidation())
		if err != nil {
			t.Fatal(err)
		}
		types := map[gowarc.RecordType]int{}
		for rec, err := range r.Records() {
			if err != nil {
				t.Fatalf("%s at %d: %v", f, rec.Offset, err)
			}
			if len(rec.Validation) > 0 {
				t.Errorf("%s at %d: %v", f, rec.Offset, rec.Validation)
			}
			types[rec.WarcRecord.Type()]++
			rec.Close()
		}
		r.Close()
		if types[gowarc.Warcinfo] != 1 || types[gowarc.Request] != 25 || types[gowarc.Response] != 25 {
			t.Errorf("%s: record types %v", f, types)
		}
	}
}

func TestRotateBySize(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	const maxSize = 8 << 10
	w := newWriter(t, st, warc.Options{MaxSize: maxSize})
	pages := map[string]*article.Page{}
	var locs []warc.Location
	for i := range 60 {
		p := testPage(i, t0)
		loc, err := w.Write(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		pages[p.URL] = p
		locs = append(locs, loc)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	if len(files) < 5 {
		t.Fatalf("%d files, want many", len(files))
	}
	for i, f := range files {
		info, _ := st.Stat(ctx, f)
		if i < len(files)-1 && info.Size < maxSize {
			t.Errorf("%s: %d bytes, rotated before MaxSize", f, info.Size)
		}
		// No file goes past MaxSize by more than its last pair.
		if info.Size > maxSize+20<<10 {
			t.Errorf("%s: %d bytes", f, info.Size)
		}
	}
	recs := readAll(t, st)
	if len(recs) != 60 {
		t.Fatalf("read %d records, want 60", len(recs))
	}
	for i, r := range recs {
		checkRecord(t, r, pages[r.URL])
		if r.Location() != locs[i] {
			t.Errorf("record %d at %+v, Write said %+v", i, r.Location(), locs[i])
		}
	}
}

func TestRotateByAge(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	clk := &clock{t: time.Date(2024, 3, 1, 14, 30, 0, 0, time.UTC)}
	w := newWriter(t, st, warc.Options{MaxAge: time.Hour, Now: clk.Now})
	write := func(i int) warc.Location {
		t.Helper()
		loc, err := w.Write(ctx, testPage(i, clk.Now()))
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	a := write(0)
	clk.Advance(59 * time.Minute)
	b := write(1)
	clk.Advance(time.Minute) // the file is now an hour old
	c := write(2)
	clk.Advance(10 * time.Hour) // past midnight UTC
	d := write(3)
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if a.File != b.File || b.File == c.File || c.File == d.File {
		t.Errorf("files: %s %s %s %s", a.File, b.File, c.File, d.File)
	}
	want := []string{
		"warc/2024/03/01/gisa-20240301143000-00001-",
		"warc/2024/03/01/gisa-20240301153000-00002-",
		"warc/2024/03/02/gisa-20240302013000-00003-",
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	if len(files) != len(want) {
		t.Fatalf("Files = %v", files)
	}
	for i := range want {
		if !strings.HasPrefix(files[i], want[i]) {
			t.Errorf("file %d = %s, want %s…", i, files[i], want[i])
		}
	}
	if n := len(readAll(t, st)); n != 4 {
		t.Errorf("read %d records, want 4", n)
	}
}

// TestRotateIdle: a file reaches the Store within MaxAge even when no Write
// follows.
func TestRotateIdle(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{MaxAge: 50 * time.Millisecond})
	defer w.Close(ctx)
	if _, err := w.Write(ctx, testPage(0, t0)); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for len(st.keys()) == 0 {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("no file uploaded without Close")
		}
	}
	if n := len(readAll(t, st)); n != 1 {
		t.Errorf("read %d records, want 1", n)
	}
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	st := &fileStore{memStore: newMemStore()}
	w := newWriter(t, st, warc.Options{MaxSize: 16 << 10})
	const workers, each = 8, 40
	var (
		mu    sync.Mutex
		locs  = map[string]warc.Location{}
		pages = map[string]*article.Page{}
		wg    sync.WaitGroup
	)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				p := testPage(g*each+i, t0)
				loc, err := w.Write(ctx, p)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				locs[p.URL], pages[p.URL] = loc, p
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, st)
	if len(recs) != workers*each {
		t.Fatalf("read %d records, want %d", len(recs), workers*each)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.URL] {
			t.Errorf("%s read twice", r.URL)
		}
		seen[r.URL] = true
		checkRecord(t, r, pages[r.URL])
		if r.Location() != locs[r.URL] {
			t.Errorf("%s at %+v, Write said %+v", r.URL, r.Location(), locs[r.URL])
		}
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	if st.putFiles != len(files) || len(files) < 2 {
		t.Errorf("PutFile called %d times for %d files", st.putFiles, len(files))
	}
}

// TestRecoverTornTail copies the open spool file of a live Writer, cuts it
// where a crash could have, and recovers each copy: every complete record
// survives, the torn one is cut off.
func TestRecoverTornTail(t *testing.T) {
	ctx := context.Background()
	spool := t.TempDir()
	w := newWriter(t, newMemStore(), warc.Options{SpoolDir: spool})
	defer w.Close(ctx)
	var locs []warc.Location
	var pages []*article.Page
	for i := range 6 {
		p := testPage(i*5, t0) // UTF-8 pages, big enough to cut inside
		loc, err := w.Write(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		locs, pages = append(locs, loc), append(pages, p)
	}
	src := openSpoolFile(t, spool)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ms := members(t, data)
	lastReq, lastResp := ms[len(ms)-2], ms[len(ms)-1]
	n := int64(len(data))
	cases := []struct {
		name  string
		file  []byte
		pages int   // pages that survive
		size  int64 // bytes of the file uploaded
	}{
		{"whole", data, 6, n},
		{"garbage after the last record", append(bytes.Clone(data), make([]byte, 100)...), 6, n},
		{"in the last response's gzip trailer", data[:n-3], 5, lastResp.off},
		{"in the last response's body", data[:lastResp.off+lastResp.len/2], 5, lastResp.off},
		{"in the last response's gzip header", data[:lastResp.off+5], 5, lastResp.off},
		{"between request and response", data[:lastResp.off], 5, lastResp.off},
		{"in the last request", data[:lastReq.off+lastReq.len/2], 5, lastReq.off},
		{"after the warcinfo", data[:ms[1].off], 0, 0},
		{"in the warcinfo", data[:ms[0].len/2], 0, 0},
		{"empty", nil, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), c.file, 0o644); err != nil {
				t.Fatal(err)
			}
			st := newMemStore()
			files, records, err := warc.Recover(ctx, st, dir)
			if err != nil {
				t.Fatal(err)
			}
			if left := spoolFiles(t, dir); len(left) != 0 {
				t.Errorf("left in spool: %v", left)
			}
			if records != c.pages || files != min(c.pages, 1) {
				t.Fatalf("Recover = %d files, %d records; want %d records", files, records, c.pages)
			}
			if c.pages == 0 {
				if keys := st.keys(); len(keys) != 0 {
					t.Errorf("uploaded %v", keys)
				}
				return
			}
			got, err := st.Get(ctx, locs[0].File)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data[:c.size]) {
				t.Errorf("uploaded %d bytes, want the first %d of the spool file", len(got), c.size)
			}
			recs := readAll(t, st)
			if len(recs) != c.pages {
				t.Fatalf("read %d records, want %d", len(recs), c.pages)
			}
			for i, r := range recs {
				checkRecord(t, r, pages[i])
				if r.Location() != locs[i] {
					t.Errorf("record %d at %+v, Write said %+v", i, r.Location(), locs[i])
				}
			}
		})
	}
}

// TestCorruptRecord damages one record in the middle of a file: Read names
// the file and offset, and reads every other record.
func TestCorruptRecord(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{})
	var pages []*article.Page
	for i := range 10 {
		p := testPage(i, t0)
		if _, err := w.Write(ctx, p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	key := files[0]
	data, _ := st.Get(ctx, key)
	ms := members(t, data)
	const bad = 5 // the page damaged
	req, resp := ms[1+2*bad], ms[2+2*bad]
	flip := func(off int64, b ...byte) []byte {
		d := bytes.Clone(data)
		for i, x := range b {
			d[off+int64(i)] ^= x
		}
		return d
	}
	cases := []struct {
		name   string
		file   []byte
		at     int64 // offset the error names
		lost   bool  // the page is not read
		noReqH bool  // the page is read without its request header
	}{
		{"response deflate data", flip(resp.off+resp.len/2, 0xff, 0x55, 0xaa), resp.off, true, false},
		{"response gzip CRC", flip(resp.off+resp.len-8, 0x01), resp.off, true, false},
		{"response gzip magic", flip(resp.off, 0xff), resp.off, true, false},
		{"response gzip length", flip(resp.off+resp.len-1, 0x01), resp.off, true, false},
		{"request deflate data", flip(req.off+req.len/2, 0xff), req.off, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := st.Put(ctx, key, c.file); err != nil {
				t.Fatal(err)
			}
			var recs []warc.Record
			err := warc.Read(ctx, st, key, func(r warc.Record) error {
				recs = append(recs, r)
				return nil
			})
			if !errors.Is(err, warc.ErrCorrupt) {
				t.Fatalf("Read: %v, want ErrCorrupt", err)
			}
			ce := warc.Corrupt(err)
			if len(ce) != 1 || ce[0].File != key || ce[0].Offset != c.at {
				t.Fatalf("corrupt records %v, want one in %s at %d", err, key, c.at)
			}
			if msg := err.Error(); !strings.Contains(msg, key) || !strings.Contains(msg, fmt.Sprintf("offset %d", c.at)) {
				t.Errorf("error %q does not name file and offset", msg)
			}
			want := slices.Clone(pages)
			if c.lost {
				want = slices.Delete(want, bad, bad+1)
			}
			if len(recs) != len(want) {
				t.Fatalf("read %d records, want %d", len(recs), len(want))
			}
			for i, r := range recs {
				p := want[i]
				if c.noReqH && r.URL == pages[bad].URL {
					if r.RequestHeader != nil {
						t.Errorf("request header of the damaged request: %v", r.RequestHeader)
					}
					p = &article.Page{}
					*p = *pages[bad]
					p.RequestHeader = nil
				}
				checkRecord(t, r, p)
			}
		})
	}
}

func TestReadStops(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{})
	for i := range 5 {
		if _, err := w.Write(ctx, testPage(i, t0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	stop := errors.New("stop")
	n := 0
	err := warc.Read(ctx, st, files[0], func(warc.Record) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("Read = %v after %d records, want the callback's error after 2", err, n)
	}
	if err := warc.Read(ctx, st, "warc/2024/01/01/none.warc.gz", func(warc.Record) error { return nil }); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Read of a missing file: %v", err)
	}
}

func TestFiles(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	keys := []string{
		"warc/2024/01/30/gisa-20240130230000-00001-aaaa.warc.gz",
		"warc/2024/01/31/gisa-20240131000000-00002-bbbb.warc.gz",
		"warc/2024/01/31/gisa-20240131120000-00003-cccc.warc.gz",
		"warc/2024/02/01/other-name.warc.gz", // the directory's date
		"warc/2024/02/01/notes.txt",          // not a WARC file
		"warc/misc/foo.warc",                 // no date at all
		"articles/hani/2024/01/31/hani-1.json",
	}
	for _, k := range keys {
		if err := st.Put(ctx, k, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	kst := article.KST
	cases := []struct {
		name         string
		since, until time.Time
		want         []int
	}{
		{"all", time.Time{}, time.Time{}, []int{0, 1, 2, 3, 5}},
		{"since", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), time.Time{}, []int{1, 2, 3}},
		{"until, inclusive", time.Time{}, time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), []int{0, 1}},
		{"a KST day", time.Date(2024, 1, 31, 9, 0, 0, 0, kst), time.Date(2024, 1, 31, 21, 0, 0, 0, kst), []int{1, 2}},
		{"nothing", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := warc.Files(ctx, st, c.since, c.until)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, i := range c.want {
				want = append(want, keys[i])
			}
			if !slices.Equal(got, want) {
				t.Errorf("Files = %v, want %v", got, want)
			}
		})
	}
}

func TestSpoolBusy(t *testing.T) {
	ctx := context.Background()
	spool := t.TempDir()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{SpoolDir: spool})
	if _, err := warc.NewWriter(ctx, st, warc.Options{SpoolDir: spool}); !errors.Is(err, warc.ErrSpoolBusy) {
		t.Errorf("second NewWriter: %v, want ErrSpoolBusy", err)
	}
	if _, _, err := warc.Recover(ctx, st, spool); !errors.Is(err, warc.ErrSpoolBusy) {
		t.Errorf("Recover: %v, want ErrSpoolBusy", err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if files, records, err := warc.Recover(ctx, st, spool); err != nil || files != 0 || records != 0 {
		t.Errorf("Recover after Close = %d, %d, %v", files, records, err)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	if _, err := warc.NewWriter(ctx, st, warc.Options{}); err == nil {
		t.Error("NewWriter without SpoolDir: no error")
	}
	for _, prefix := range []string{"-x", "a/b", ".tmp-", "가", strings.Repeat("a", 65)} {
		if _, err := warc.NewWriter(ctx, st, warc.Options{SpoolDir: t.TempDir(), Prefix: prefix}); err == nil {
			t.Errorf("NewWriter with Prefix %q: no error", prefix)
		}
	}
	w := newWriter(t, st, warc.Options{Prefix: "gisa-test.1"})
	good := testPage(0, t0)
	for name, mod := range map[string]func(p *article.Page){
		"no URL":         func(p *article.Page) { p.URL = "" },
		"relative URL":   func(p *article.Page) { p.URL = "/news/1" },
		"file URL":       func(p *article.Page) { p.URL = "file:///etc/passwd" },
		"control in URL": func(p *article.Page) { p.URL = "https://a.kr/x\r\nWARC-Type: x" },
		"no status":      func(p *article.Page) { p.Status = 0 },
	} {
		p := *good
		mod(&p)
		if _, err := w.Write(ctx, &p); !errors.Is(err, warc.ErrBadPage) {
			t.Errorf("%s: Write = %v, want ErrBadPage", name, err)
		}
	}
	// Header fields that cannot be written as they are.
	p := *good
	p.Header = map[string][]string{"Bad Key": {"x"}, "X-Ok": {" a\r\nWARC/1.1 b\x00 "}, "x-lower": {"1"}}
	p.FetchedAt = time.Time{}
	p.Status = 599 // no reason phrase
	if _, err := w.Write(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := w.Write(ctx, good); !errors.Is(err, warc.ErrClosed) {
		t.Errorf("Write after Close: %v, want ErrClosed", err)
	}
	recs := readAll(t, st)
	if len(recs) != 1 {
		t.Fatalf("read %d records", len(recs))
	}
	h := recs[0].Header
	if h.Get("X-Ok") != "a  WARC/1.1 b" || h.Get("X-Lower") != "1" || len(h["Bad Key"]) != 0 {
		t.Errorf("header read back: %q", h)
	}
	if recs[0].Status != 599 {
		t.Errorf("status %d, want 599", recs[0].Status)
	}
	if recs[0].Date.IsZero() {
		t.Error("zero FetchedAt gave a zero WARC-Date")
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	if !strings.Contains(files[0], "/gisa-test.1-") {
		t.Errorf("file %s does not carry the prefix", files[0])
	}
}

// TestUploadFailure: a file the Store refuses stays in the spool, Close says
// so, and the next Recover uploads it.
func TestUploadFailure(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	down := errors.New("store down")
	st.failPut = func(string) error { return down }
	spool := t.TempDir()
	w := newWriter(t, st, warc.Options{SpoolDir: spool, MaxSize: 4 << 10})
	for i := range 20 {
		if _, err := w.Write(ctx, testPage(i, t0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(ctx); !errors.Is(err, down) {
		t.Fatalf("Close = %v, want the store's error", err)
	}
	left := spoolFiles(t, spool)
	if len(left) < 2 {
		t.Fatalf("spool holds %v", left)
	}
	for _, name := range left {
		if strings.HasSuffix(name, ".open") {
			t.Errorf("%s still open", name)
		}
	}
	st.mu.Lock()
	st.failPut = nil
	st.mu.Unlock()
	files, records, err := warc.Recover(ctx, st, spool)
	if err != nil || files != len(left) || records != 20 {
		t.Fatalf("Recover = %d files, %d records, %v; want %d, 20", files, records, err, len(left))
	}
	if n := len(readAll(t, st)); n != 20 {
		t.Errorf("read %d records, want 20", n)
	}
}

// TestNewWriterRecovers: NewWriter uploads what an earlier run left.
func TestNewWriterRecovers(t *testing.T) {
	ctx := context.Background()
	spool := t.TempDir()
	w := newWriter(t, newMemStore(), warc.Options{SpoolDir: spool})
	for i := range 3 {
		if _, err := w.Write(ctx, testPage(i, t0)); err != nil {
			t.Fatal(err)
		}
	}
	// A crash: the open file stays; copy it to a fresh spool.
	src := openSpoolFile(t, spool)
	data, _ := os.ReadFile(src)
	spool2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(spool2, filepath.Base(src)), data[:len(data)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	w.Close(ctx)

	disk, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	w2 := newWriter(t, disk, warc.Options{SpoolDir: spool2})
	if n := len(readAll(t, disk)); n != 2 {
		t.Errorf("after NewWriter: %d records in the store, want 2", n)
	}
	if _, err := w2.Write(ctx, testPage(3, t0)); err != nil {
		t.Fatal(err)
	}
	if err := w2.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(readAll(t, disk)); n != 3 {
		t.Errorf("after Close: %d records, want 3", n)
	}
}

// TestCrash kills a child process that writes in a loop, with SIGKILL, then
// recovers its spool: every page whose Write returned is read back.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	dir := t.TempDir()
	spool, store := filepath.Join(dir, "spool"), filepath.Join(dir, "store")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "GISA_WARC_CRASH_SPOOL="+spool, "GISA_WARC_CRASH_STORE="+store)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type written struct {
		i   int
		loc warc.Location
	}
	var done []written
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var wr written
		if _, err := fmt.Sscanf(sc.Text(), "wrote %d %s %d %d", &wr.i, &wr.loc.File, &wr.loc.Offset, &wr.loc.Length); err != nil {
			continue
		}
		done = append(done, wr)
		if len(done) == 400 {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if len(done) < 400 {
		t.Fatalf("child wrote %d pages before it ended", len(done))
	}

	disk, err := storage.NewDisk(store)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	if _, _, err := warc.Recover(context.Background(), disk, spool); err != nil {
		t.Fatal(err)
	}
	got := map[warc.Location]warc.Record{}
	for _, r := range readAll(t, disk) {
		loc := r.Location()
		loc.RecordID = "" // the child prints the rest
		got[loc] = r
	}
	for _, wr := range done {
		r, ok := got[wr.loc]
		if !ok {
			t.Fatalf("page %d, written at %+v, is lost", wr.i, wr.loc)
		}
		checkRecord(t, r, testPage(wr.i, t0))
	}
	t.Logf("%d pages written before SIGKILL, %d read back", len(done), len(got))
}

// TestMain runs the child of TestCrash when asked to: it writes pages
// until killed, printing where each went.
func TestMain(m *testing.M) {
	if spool := os.Getenv("GISA_WARC_CRASH_SPOOL"); spool != "" {
		crashChild(spool, os.Getenv("GISA_WARC_CRASH_STORE"))
		os.Exit(2) // not reached: the child runs until killed
	}
	os.Exit(m.Run())
}

func crashChild(spool, store string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(1)
	}
	ctx := context.Background()
	disk, err := storage.NewDisk(store)
	if err != nil {
		fail(err)
	}
	w, err := warc.NewWriter(ctx, disk, warc.Options{SpoolDir: spool, MaxSize: 64 << 10})
	if err != nil {
		fail(err)
	}
	for i := 0; ; i++ {
		loc, err := w.Write(ctx, testPage(i, t0))
		if err != nil {
			fail(err)
		}
		fmt.Printf("wrote %d %s %d %d\n", i, loc.File, loc.Offset, loc.Length)
	}
}

// TestReadOtherLayouts reads files laid out as other tools write them: the
// response before its request (Heritrix, warcio), and no compression.
func TestReadOtherLayouts(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{})
	var pages []*article.Page
	for i := range 10 {
		p := testPage(i, t0)
		if _, err := w.Write(ctx, p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := warc.Files(ctx, st, time.Time{}, time.Time{})
	data, _ := st.Get(ctx, files[0])
	ms := members(t, data)

	var swapped, plain []byte
	swapped = append(swapped, data[:ms[0].len]...)
	for i := 1; i < len(ms); i += 2 {
		req, resp := ms[i], ms[i+1]
		swapped = append(swapped, data[resp.off:resp.off+resp.len]...)
		swapped = append(swapped, data[req.off:req.off+req.len]...)
	}
	for _, m := range ms {
		plain = append(plain, m.data...)
	}
	// A damaged body in an uncompressed file: the digest tells.
	damaged := bytes.Clone(plain)
	at := bytes.Index(damaged, pages[0].Body[100:140])
	damaged[at] ^= 0xff
	respAt := int64(bytes.LastIndex(damaged[:at], []byte("WARC/1.1\r\nWARC-Type: response")))

	for _, c := range []struct {
		name    string
		data    []byte
		skip    int   // the page not read, or -1
		corrupt int64 // offset of the corrupt record, or -1
	}{
		{"response first", swapped, -1, -1},
		{"uncompressed", plain, -1, -1},
		{"uncompressed, damaged", damaged, 0, respAt},
	} {
		t.Run(c.name, func(t *testing.T) {
			key := "warc/2024/01/31/other.warc"
			if err := st.Put(ctx, key, c.data); err != nil {
				t.Fatal(err)
			}
			var recs []warc.Record
			err := warc.Read(ctx, st, key, func(r warc.Record) error {
				recs = append(recs, r)
				return nil
			})
			if c.corrupt < 0 && err != nil {
				t.Fatal(err)
			}
			if ce := warc.Corrupt(err); c.corrupt >= 0 && (len(ce) != 1 || ce[0].Offset != c.corrupt) {
				t.Fatalf("Read: %v, want one corrupt record at %d", err, c.corrupt)
			}
			want := slices.Clone(pages)
			if c.skip >= 0 {
				want = slices.Delete(want, c.skip, c.skip+1)
			}
			if len(recs) != len(want) {
				t.Fatalf("read %d records, want %d", len(recs), len(want))
			}
			for i, r := range recs {
				checkRecord(t, r, want[i])
				if !bytes.HasPrefix(c.data[r.Offset:r.Offset+r.Length], []byte{0x1f, 0x8b}) &&
					!bytes.HasPrefix(c.data[r.Offset:r.Offset+r.Length], []byte("WARC/1.1\r\nWARC-Type: response")) {
					t.Errorf("record %d: Offset %d, Length %d do not frame it", i, r.Offset, r.Length)
				}
			}
		})
	}
}

// TestGzipLevel checks that every record is compressed at the level chosen
// for the crawl path (BenchmarkGzipLevels: level 1 keeps 26 % of a page
// against 23 % at the default level, for about two thirds of its CPU): the
// gzip header of each member says "fastest algorithm" (XFL = 4, RFC 1952).
func TestGzipLevel(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	w := newWriter(t, st, warc.Options{})
	loc, err := w.Write(ctx, testPage(0, t0))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	data, err := st.Get(ctx, loc.File)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range data2members(t, data) {
		if len(m) < 10 || m[8] != 4 {
			t.Errorf("member %d: gzip header % x, want XFL 4 (fastest)", i, m[:min(10, len(m))])
		}
	}
}

// data2members splits data into its raw gzip members.
func data2members(t *testing.T, data []byte) [][]byte {
	var out [][]byte
	for _, m := range members(t, data) {
		out = append(out, data[m.off:m.off+m.len])
	}
	return out
}
