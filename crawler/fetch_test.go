package crawler

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestFetchGzipCapped: gzip files are inflated with a cap (a small file
// that inflates past it is "too large", not a full memory), and ordinary
// gzip files still arrive inflated.
func TestFetchGzipCapped(t *testing.T) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
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

	// The transport stops inflating at its cap.
	tr := &gunzipTransport{base: http.DefaultTransport, max: 1 << 20}
	req, _ := http.NewRequest("GET", srv.URL+"/bomb.xml.gz", nil)
	res, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if !errors.Is(err, ErrTooLarge) || n > 1<<20+32<<10 {
		t.Errorf("inflated %d bytes, error %v: want ErrTooLarge at about 1 MiB", n, err)
	}

	_, err = f.get(t.Context(), srv.URL+"/bomb.xml.gz", nil, f.maxDoc)
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
