package warc_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
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
	"golang.org/x/text/encoding/korean"
)

// memStore is a Store in memory that keeps the storage.Store contract.
type memStore struct {
	mu      sync.Mutex
	objs    map[string][]byte
	failPut func(key string) error // when set and it returns an error, Put fails with it
}

var _ storage.Store = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{objs: map[string][]byte{}} }

func (s *memStore) Put(ctx context.Context, key string, data []byte) error {
	if err := storage.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failPut != nil {
		if err := s.failPut(key); err != nil {
			return err
		}
	}
	s.objs[key] = bytes.Clone(data)
	return nil
}

func (s *memStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := storage.ValidKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objs[key]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", key, storage.ErrNotFound)
	}
	return bytes.Clone(b), nil
}

func (s *memStore) Stat(ctx context.Context, key string) (storage.Info, error) {
	if err := storage.ValidKey(key); err != nil {
		return storage.Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return storage.Info{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objs[key]
	if !ok {
		return storage.Info{}, fmt.Errorf("stat %s: %w", key, storage.ErrNotFound)
	}
	return storage.Info{Key: key, Size: int64(len(b))}, nil
}

func (s *memStore) List(ctx context.Context, prefix string, fn func(storage.Info) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	var infos []storage.Info
	for _, k := range slices.Sorted(maps.Keys(s.objs)) {
		if strings.HasPrefix(k, prefix) {
			infos = append(infos, storage.Info{Key: k, Size: int64(len(s.objs[k]))})
		}
	}
	s.mu.Unlock()
	for _, info := range infos {
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) Delete(ctx context.Context, key string) error {
	if err := storage.ValidKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.objs, key)
	return nil
}

func (s *memStore) keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.objs))
}

// fileStore is a memStore with PutFile, counting its calls.
type fileStore struct {
	*memStore
	mu       sync.Mutex
	putFiles int
}

func (s *fileStore) PutFile(ctx context.Context, key, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := s.Put(ctx, key, data); err != nil {
		return err
	}
	// Counted once stored: an upload the Writer's Close cancels midway
	// fails, and the file is uploaded again from the spool.
	s.mu.Lock()
	s.putFiles++
	s.mu.Unlock()
	return nil
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// t0 is 2024-01-31 23:59:30 UTC, 2024-02-01 08:59:30 KST.
var t0 = time.Date(2024, 1, 31, 23, 59, 30, 0, time.UTC)

const koreanText = "윤석열 대통령은 31일 서울 용산 대통령실에서 열린 국무회의에서 “민생 경제 회복에 총력을 다하겠다”고 밝혔다. "

// testPage is page i of a varied set: UTF-8 and EUC-KR HTML, binary bytes,
// an empty 200, and a 304 without body, with headers a decoder would have
// left (Content-Encoding, Transfer-Encoding, a stale Content-Length).
func testPage(i int, at time.Time) *article.Page {
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	p := &article.Page{
		URL:       fmt.Sprintf("https://www.example.co.kr/news/%d?q=%%ED%%95%%9C&n=%d", i, i),
		FetchedAt: at.Add(time.Duration(i)*time.Second + time.Duration(rng.IntN(1e9))),
		Status:    200,
		Header: map[string][]string{
			"Date":       {at.Format(http.TimeFormat)},
			"Server":     {"nginx"},
			"Set-Cookie": {"a=1; Path=/", "b=2; Path=/"},
		},
		RequestHeader: map[string][]string{
			"User-Agent":      {"gisa/0.1 (+mailto:ops@example.com)"},
			"Accept":          {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
			"Accept-Language": {"ko-KR,ko;q=0.9,en;q=0.5"},
		},
	}
	switch i % 5 {
	case 0: // UTF-8
		p.Body = []byte("<html><head><meta charset=\"utf-8\"><title>기사 " + strconv.Itoa(i) + "</title></head><body><p>" +
			strings.Repeat(koreanText, 1+rng.IntN(40)) + "</p></body></html>")
		p.Header["Content-Type"] = []string{"text/html; charset=utf-8"}
		p.Header["Content-Encoding"] = []string{"gzip"}
		p.Header["Content-Length"] = []string{"1234"}
	case 1: // EUC-KR
		b, err := korean.EUCKR.NewEncoder().Bytes([]byte("<html><body>" + strings.Repeat(koreanText, 1+rng.IntN(20)) + "</body></html>"))
		if err != nil {
			panic(err)
		}
		p.Body = b
		p.Header["Content-Type"] = []string{"text/html; charset=euc-kr"}
		name, _ := korean.EUCKR.NewEncoder().Bytes([]byte("기사.html"))
		p.Header["Content-Disposition"] = []string{`inline; filename="` + string(name) + `"`} // raw EUC-KR bytes
		p.Header["Transfer-Encoding"] = []string{"chunked"}
	case 2: // binary, every byte value, CRLFs and "WARC/" inside
		b := make([]byte, 512+rng.IntN(4096))
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		copy(b, "\r\n\r\nWARC/1.1\r\n\x1f\x8b\x08")
		p.Body = b
		p.Header["Content-Type"] = []string{"application/octet-stream"}
	case 3: // empty 200
		p.Body = nil
		p.Header["Content-Type"] = []string{"text/html"}
	case 4: // 304, no body
		p.Status = http.StatusNotModified
		p.Body = nil
		p.Header["Etag"] = []string{`"abc-` + strconv.Itoa(i) + `"`}
		p.RequestHeader["If-None-Match"] = []string{`"abc-` + strconv.Itoa(i) + `"`}
	}
	return p
}

// wantHeader is the response header Read should give back for p.
func wantHeader(p *article.Page) http.Header {
	h := http.Header(p.Header).Clone()
	h.Del("Content-Encoding")
	h.Del("Transfer-Encoding")
	h.Del("Content-Length")
	if !(p.Status == 304 && len(p.Body) == 0) {
		h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	}
	return h
}

// checkRecord compares a record read back with the page written.
func checkRecord(t *testing.T, r warc.Record, p *article.Page) {
	t.Helper()
	if r.URL != p.URL {
		t.Errorf("URL = %q, want %q", r.URL, p.URL)
	}
	if !r.Date.Equal(p.FetchedAt) || r.Date.Location() != time.UTC {
		t.Errorf("%s: Date = %v, want %v in UTC", p.URL, r.Date, p.FetchedAt)
	}
	if r.Status != p.Status {
		t.Errorf("%s: Status = %d, want %d", p.URL, r.Status, p.Status)
	}
	if want := wantHeader(p); !equalHeader(r.Header, want) {
		t.Errorf("%s: Header = %v, want %v", p.URL, r.Header, want)
	}
	if !equalHeader(r.RequestHeader, p.RequestHeader) {
		t.Errorf("%s: RequestHeader = %v, want %v", p.URL, r.RequestHeader, p.RequestHeader)
	}
	if !bytes.Equal(r.Body, p.Body) {
		t.Errorf("%s: Body differs: %d bytes, want %d", p.URL, len(r.Body), len(p.Body))
	}
}

func equalHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// readAll reads every file in st.
func readAll(t *testing.T, st storage.Store) []warc.Record {
	t.Helper()
	ctx := context.Background()
	files, err := warc.Files(ctx, st, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var recs []warc.Record
	for _, f := range files {
		if err := warc.Read(ctx, st, f, func(r warc.Record) error {
			recs = append(recs, r)
			return nil
		}); err != nil {
			t.Fatalf("Read %s: %v", f, err)
		}
	}
	return recs
}

// member is one gzip member of a file, decompressed with the standard
// library (not the writer's gzip), with its place.
type member struct {
	off, len int64
	data     []byte
}

// members splits a .warc.gz into its gzip members.
func members(t *testing.T, data []byte) []member {
	t.Helper()
	br := bytes.NewReader(data)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatalf("first member: %v", err)
	}
	var out []member
	off := int64(0)
	for {
		zr.Multistream(false)
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("member at %d: %v", off, err)
		}
		end := int64(len(data) - br.Len())
		out = append(out, member{off: off, len: end - off, data: b})
		off = end
		if err := zr.Reset(br); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("member at %d: %v", off, err)
		}
	}
	return out
}

// rawRecord is a WARC record parsed by hand, to check the writer without
// trusting gowarc.
type rawRecord struct {
	fields map[string]string
	block  []byte
}

// parseRaw parses b as exactly one WARC record.
func parseRaw(b []byte) (rawRecord, error) {
	head, rest, ok := bytes.Cut(b, []byte("\r\n\r\n"))
	if !ok {
		return rawRecord{}, errors.New("no end of WARC header")
	}
	lines := strings.Split(string(head), "\r\n")
	if lines[0] != "WARC/1.1" {
		return rawRecord{}, fmt.Errorf("version line %q", lines[0])
	}
	r := rawRecord{fields: map[string]string{}}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ": ")
		if !ok {
			return rawRecord{}, fmt.Errorf("bad field line %q", l)
		}
		r.fields[k] = v
	}
	n, err := strconv.Atoi(r.fields["Content-Length"])
	if err != nil || n > len(rest) {
		return rawRecord{}, fmt.Errorf("Content-Length %q of %d", r.fields["Content-Length"], len(rest))
	}
	r.block = rest[:n]
	if tail := string(rest[n:]); tail != "\r\n\r\n" {
		return rawRecord{}, fmt.Errorf("record ends with %q, want CRLF CRLF and nothing more", tail)
	}
	return r, nil
}

func sha1b32(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}

// spoolFiles lists the names in a spool directory, without the lock file.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		if e.Name() != "lock" {
			names = append(names, e.Name())
		}
	}
	return names
}

// openSpoolFile is the path of the one open file in a spool directory.
func openSpoolFile(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.open"))
	if len(m) != 1 {
		t.Fatalf("open files in spool: %v", m)
	}
	return m[0]
}
