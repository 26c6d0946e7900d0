package crawler

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestFetchGzipCapped: gzip files are inflated with a cap (a small file
// that inflates past it is "too large", not a full memory), and ordinary
// gzip files still arrive inflated.
func TestFetchGzipCapped(t *testing.T) {
	small := []byte(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/1</loc></url></urlset>`)
	bomb := gz(make([]byte, 8<<20)) // 8 MiB of zeros in a few KB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(bomb)
		case "/small.xml.gz":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(gz(small))
		case "/plain.xml.gz": // named .gz, not gzip
			w.Write(small)
		}
	}))
	defer srv.Close()
	cfg := DefaultConfig()
	cfg.Contact = "https://example.org/"
	cfg.MaxBodyBytes = 1 << 20
	cfg.Now = time.Now
	f := newFetcher(t.Context(), &cfg, func(string) bool { return true })
	f.maxDoc = 2 << 20 // a 2 MiB cap for the test

	// Inflating stops at the cap.
	ex := &exchange{url: srv.URL + "/bomb.xml.gz", header: http.Header{"Content-Type": {"application/x-gzip"}}, payload: bomb}
	if b, err := decodeContent(ex, 1<<20); !errors.Is(err, ErrTooLarge) || b != nil {
		t.Errorf("inflated %d bytes, error %v: want ErrTooLarge", len(b), err)
	}

	_, err := f.get(t.Context(), srv.URL+"/bomb.xml.gz", nil, f.maxDoc)
	var fe *fetchError
	if !errors.As(err, &fe) || fe.reason != "too large" || fe.retryable {
		t.Fatalf("gzip bomb: %v, want a permanent \"too large\"", err)
	}
	for _, p := range []string{"/small.xml.gz", "/plain.xml.gz"} {
		resp, err := f.get(t.Context(), srv.URL+p, nil, f.maxDoc)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		} else if !bytes.Equal(resp.body, small) {
			t.Errorf("%s: body %q", p, resp.body)
		}
	}
	// A page over the page cap, under the document cap.
	big := strings.Repeat("가", 600<<10)
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(big)) }))
	defer srv2.Close()
	if _, err := f.get(t.Context(), srv2.URL+"/a", nil, f.maxBody); !errors.As(err, &fe) || fe.reason != "too large" {
		t.Errorf("page over the cap: %v", err)
	}
	if _, err := f.get(t.Context(), srv2.URL+"/a", nil, f.maxDoc); err != nil {
		t.Errorf("document under its cap: %v", err)
	}
}

// TestFetchPageCap: an article request stops reading an endless body just
// past the page cap, not at the 50 MB discovery-document cap, and fails
// "too large". The bytes are counted at the server.
func TestFetchPageCap(t *testing.T) {
	var written atomic.Int64
	done := make(chan struct{}, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { done <- struct{}{} }()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		chunk := bytes.Repeat([]byte("<p>끝없는 본문</p>\n"), 1<<10)
		for {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	// A small send buffer, so that what the server counts as written is
	// close to what the client read.
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if tc, ok := c.(*net.TCPConn); ok && s == http.StateNew {
			tc.SetWriteBuffer(16 << 10)
		}
	}
	srv.Start()
	defer srv.Close()
	cfg := DefaultConfig()
	cfg.Contact = "https://example.org/"
	cfg.MaxBodyBytes = 256 << 10
	cfg.Now = time.Now
	f := newFetcher(t.Context(), &cfg, func(string) bool { return true })
	if f.maxDoc < 50<<20 {
		t.Fatalf("document cap %d, want the 50 MB sitemap cap", f.maxDoc)
	}
	_, err := f.get(t.Context(), srv.URL+"/news/1", nil, f.maxBody)
	var fe *fetchError
	if !errors.As(err, &fe) || fe.reason != "too large" || fe.retryable {
		t.Fatalf("endless page: %v, want a permanent \"too large\"", err)
	}
	<-done // the handler ends when the client hangs up
	// What the server wrote: the cap, plus what socket buffers held.
	if n, most := written.Load(), int64(cfg.MaxBodyBytes)+8<<20; n > most {
		t.Errorf("the server wrote %d bytes for a %d-byte cap, want at most %d", n, cfg.MaxBodyBytes, most)
	} else {
		t.Logf("the server wrote %d bytes for a %d-byte cap", n, cfg.MaxBodyBytes)
	}
}

// TestFetchRecordsWire: get returns the exchange as it crossed the wire:
// the request header the server saw (without the private exchange
// header), the gzip payload as served with its Content-Encoding, and the
// inflated body beside it; credentials are sent but not recorded.
func TestFetchRecordsWire(t *testing.T) {
	page := []byte("<html><title>한글</title></html>")
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write(page)
	zw.Close()
	seen := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		w.Header().Set("Content-Type", "text/html; charset=euc-kr")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	cfg := DefaultConfig()
	cfg.Contact = "https://example.org/"
	cfg.Now = time.Now
	f := newFetcher(t.Context(), &cfg, func(string) bool { return true })
	resp, err := f.get(t.Context(), strings.Replace(srv.URL, "://", "://user:pw@", 1)+"/news/1", nil, f.maxBody)
	if err != nil {
		t.Fatal(err)
	}
	sent := <-seen
	if sent.Get("Authorization") == "" || resp.reqHeader.Get("Authorization") != "" {
		t.Errorf("Authorization sent %q, recorded %q: want it sent, not recorded", sent.Get("Authorization"), resp.reqHeader.Get("Authorization"))
	}
	sent.Del("Authorization")
	if sent.Get(exchangeHeader) != "" || resp.reqHeader.Get(exchangeHeader) != "" {
		t.Errorf("the private %s header left the crawler: %v", exchangeHeader, sent)
	}
	if resp.reqHeader.Get("User-Agent") != sent.Get("User-Agent") || sent.Get("Accept-Encoding") != "gzip" {
		t.Errorf("recorded request header %v, the server saw %v", resp.reqHeader, sent)
	}
	if !bytes.Equal(resp.payload, zipped.Bytes()) || resp.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("payload %d bytes with Content-Encoding %q, want the %d gzip bytes served", len(resp.payload), resp.header.Get("Content-Encoding"), zipped.Len())
	}
	if !bytes.Equal(resp.body, page) {
		t.Errorf("body %q, want %q", resp.body, page)
	}
}

// TestReadPayloadSized: a body is read with one allocation of its size,
// whether its length is declared or not (io.ReadAll grew it from 512
// bytes, 20 allocations and copies for a 140 KB page), and the result is
// the body whatever the declaration: shorter, longer, unknown, or past the
// limit; an empty body is an empty slice, not nil.
func TestReadPayloadSized(t *testing.T) {
	body := bytes.Repeat([]byte("기사 본문 "), 10000) // 140 KB
	n := int64(len(body))
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := readPayload(bytes.NewReader(body), n, 16<<20); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("reading a %d-byte body of declared length: %v allocations, want at most 2", n, allocs)
	}
	readPayload(bytes.NewReader(body), -1, 16<<20) // warm the pool
	allocs = testing.AllocsPerRun(20, func() {
		if _, err := readPayload(bytes.NewReader(body), -1, 16<<20); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 3 && !raceEnabled { // under -race the pool drops buffers at random
		t.Errorf("reading a %d-byte body of unknown length: %v allocations, want at most 3", n, allocs)
	}
	if got, err := readPayload(bytes.NewReader(nil), -1, 100); got == nil || len(got) != 0 || err != nil {
		t.Errorf("an empty body of unknown length: %v, %v; want an empty slice, not nil (nil is no payload)", got, err)
	}
	if got, err := readPayload(bytes.NewReader(nil), 0, 100); got == nil || len(got) != 0 || err != nil {
		t.Errorf("an empty body of length 0: %v, %v; want an empty slice, not nil", got, err)
	}
	for _, tc := range []struct {
		name        string
		size, limit int64
		want        int64 // bytes returned
	}{
		{"declared", n, 1 << 20, n},
		{"unknown", -1, 1 << 20, n},
		{"declared shorter", n / 2, 1 << 20, n},
		{"declared longer", n * 2, 1 << 20, n},
		{"over the limit", n, n / 2, n/2 + 1},
		{"over the limit, unknown", -1, n / 2, n/2 + 1},
		{"declared past the limit", n * 4, n * 2, n},
		{"empty", 0, 1 << 20, n},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readPayload(bytes.NewReader(body), tc.size, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(got)) != tc.want || !bytes.Equal(got, body[:tc.want]) {
				t.Errorf("read %d bytes, want the first %d of the body", len(got), tc.want)
			}
		})
	}
}

// TestDecodeContentGzip: a gzip-encoded page inflates into one allocation
// of its size (the trailer's ISIZE), and whatever the trailers say the body
// is every member's bytes in order; a corrupt stream is a permanent "bad
// gzip", not a body.
func TestDecodeContentGzip(t *testing.T) {
	page := bytes.Repeat([]byte("<p>기사 본문입니다.</p>\n"), 5000) // 130 KB
	zp := gz(page)
	ex := &exchange{url: "http://news.example/a/1", header: http.Header{"Content-Encoding": {"gzip"}}, payload: zp}
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := decodeContent(ex, 16<<20); err != nil {
			t.Fatal(err)
		}
	})
	// The body, and the gzip reader's own (io.ReadAll made about 30, growing
	// the body from 512 bytes).
	if allocs > 12 {
		t.Errorf("inflating a %d-byte page: %v allocations, want at most 12", len(page), allocs)
	}
	if got := inflatedSize(zp); got != int64(len(page)) {
		t.Errorf("inflatedSize = %d, want %d", got, len(page))
	}

	// Two members: the last one's ISIZE is a fraction of the whole.
	two := append(gz(page), gz([]byte("<p>끝</p>"))...)
	ex.payload = two
	got, err := decodeContent(ex, 16<<20)
	if err != nil || !bytes.Equal(got, append(bytes.Clone(page), "<p>끝</p>"...)) {
		t.Errorf("two members: %d bytes, %v; want both members' bytes", len(got), err)
	}
	// A trailer claiming more than deflate can give is no size at all.
	huge := bytes.Clone(zp)
	copy(huge[len(huge)-4:], []byte{0xff, 0xff, 0xff, 0x7f})
	if n := inflatedSize(huge); n != -1 {
		t.Errorf("inflatedSize of a %d-byte stream claiming 2 GiB = %d, want -1", len(huge), n)
	}
	for name, p := range map[string][]byte{
		"bad size":     huge,
		"bad checksum": append(bytes.Clone(zp[:len(zp)-8]), 0, 0, 0, 0, zp[len(zp)-4], zp[len(zp)-3], zp[len(zp)-2], zp[len(zp)-1]),
		"bad deflate":  append(bytes.Clone(zp[:10]), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	} {
		ex.payload = p
		b, err := decodeContent(ex, 16<<20)
		if err == nil {
			t.Errorf("%s: %d bytes and no error", name, len(b))
			continue
		}
		if fe := classify(ex.url, err); fe.retryable || fe.reason != "bad gzip" {
			t.Errorf("%s: %v classified %q (retryable %v), want a permanent \"bad gzip\"", name, err, fe.reason, fe.retryable)
		}
	}
}

// BenchmarkDecodeContent inflates the shared corpus's pages as a news site
// serves them (gzip, default level), as every fetched page is.
func BenchmarkDecodeContent(b *testing.B) {
	paths, _ := filepath.Glob("../../shared/corpus/ko/html/*.html")
	if len(paths) == 0 {
		b.Skip("no ../shared/corpus beside the repository")
	}
	var exs []*exchange
	var n int64
	for _, p := range paths {
		page, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		exs = append(exs, &exchange{url: "http://news.example/a/1", header: http.Header{"Content-Encoding": {"gzip"}}, payload: gz(page)})
		n += int64(len(page))
	}
	b.SetBytes(n / int64(len(exs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := decodeContent(exs[i%len(exs)], 16<<20); err != nil {
			b.Fatal(err)
		}
	}
}

// gz is b gzip-compressed at the default level.
func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}
