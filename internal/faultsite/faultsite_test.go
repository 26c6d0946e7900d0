package faultsite_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/gisa-news/gisa/internal/faultsite"
)

// get fetches path without following redirects or decompressing.
func get(t *testing.T, s *faultsite.Site, path string, timeout time.Duration) (*http.Response, []byte, error) {
	t.Helper()
	c := &http.Client{
		Timeout:       timeout,
		Transport:     &http.Transport{DisableCompression: true, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Get(s.URL + path)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestAnswers(t *testing.T) {
	s := faultsite.New()
	defer s.Close()
	page := faultsite.Article(s.URL+"/news/1", 1, "시험 기사")
	s.Handle("/news/1", faultsite.HTML(page))
	s.Handle("/gone", faultsite.Status(410))
	s.Handle("/busy", faultsite.RetryAfter(429, "7"))
	s.Handle("/moved", faultsite.Redirect(301, "/news/1"))
	s.Handle("/seq", faultsite.Sequence(faultsite.Status(503), faultsite.HTML(page)))
	s.Handle("/reset", faultsite.Reset())
	s.Handle("/stall", faultsite.StallHeaders())
	s.Handle("/stallbody", faultsite.StallBody("text/html", []byte("<html>")))
	s.Handle("/bomb", faultsite.GzipBomb("text/html", 64<<20))
	s.Handle("/q?x=1", faultsite.Status(204))
	s.HandlePrefix("/chain/", faultsite.SitemapChain(s.URL, "/chain/"))

	resp, body, err := get(t, s, "/news/1", time.Second)
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(body, page) {
		t.Fatalf("page: %v %v", resp, err)
	}
	if resp, _, _ := get(t, s, "/gone", time.Second); resp.StatusCode != 410 {
		t.Errorf("status: %d", resp.StatusCode)
	}
	if resp, _, _ := get(t, s, "/busy", time.Second); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" {
		t.Errorf("retry-after: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _, _ := get(t, s, "/moved", time.Second); resp.StatusCode != 301 || resp.Header.Get("Location") != "/news/1" {
		t.Errorf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	r1, _, _ := get(t, s, "/seq", time.Second)
	r2, _, _ := get(t, s, "/seq", time.Second)
	r3, _, _ := get(t, s, "/seq", time.Second)
	if r1.StatusCode != 503 || r2.StatusCode != 200 || r3.StatusCode != 200 {
		t.Errorf("sequence: %d %d %d", r1.StatusCode, r2.StatusCode, r3.StatusCode)
	}
	if resp, _, _ := get(t, s, "/q?x=1", time.Second); resp.StatusCode != 204 {
		t.Errorf("route with query: %d", resp.StatusCode)
	}
	if _, _, err := get(t, s, "/reset", time.Second); err == nil {
		t.Errorf("reset: no error")
	}
	if _, _, err := get(t, s, "/stall", 200*time.Millisecond); err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Errorf("stall: %v", err)
	}
	if _, _, err := get(t, s, "/stallbody", 200*time.Millisecond); err == nil {
		t.Errorf("stalled body: no error")
	}
	resp, body, err = get(t, s, "/bomb", 5*time.Second)
	if err != nil || resp.Header.Get("Content-Encoding") != "gzip" || len(body) > 1<<20 {
		t.Fatalf("bomb: %v, %d bytes sent", err, len(body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, zr); err != nil || n != 64<<20 {
		t.Errorf("bomb inflates to %d bytes (%v)", n, err)
	}
	_, body, _ = get(t, s, "/chain/4.xml", time.Second)
	if !bytes.Contains(body, []byte(s.URL+"/chain/5.xml")) || !bytes.Contains(body, []byte("<sitemapindex")) {
		t.Errorf("chain: %s", body)
	}

	// The log: arrival order, status, and the digest of what was sent.
	var seen bool
	for _, r := range s.Requests() {
		if r.Path == "/news/1" && r.Status == 200 {
			seen = true
			if r.Sent != faultsite.Digest(page) || r.SentBytes != int64(len(page)) {
				t.Errorf("digest of the page sent does not match")
			}
		}
		if r.Path == "/reset" && r.Status != 0 {
			t.Errorf("reset logged with status %d", r.Status)
		}
	}
	if !seen || s.Count("/seq") != 3 {
		t.Errorf("log: page seen %v, /seq %d", seen, s.Count("/seq"))
	}
}

func TestEUCKR(t *testing.T) {
	b := faultsite.EUCKR([]byte("장애일보"))
	back, err := korean.EUCKR.NewDecoder().Bytes(b)
	if err != nil || string(back) != "장애일보" || bytes.Equal(b, []byte("장애일보")) {
		t.Errorf("EUC-KR round trip: %q %v", back, err)
	}
}

func TestCloseEndsStalls(t *testing.T) {
	s := faultsite.New()
	s.Handle("/stall", faultsite.StallHeaders())
	s.Handle("/endless", faultsite.Endless("text/html"))
	done := make(chan error, 2)
	for _, p := range []string{"/stall", "/endless"} {
		go func() {
			resp, err := http.Get(s.URL + p)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil {
					err = errors.New("body ended")
				}
			}
			done <- err
		}()
	}
	for s.Count("/stall") == 0 || s.Count("/endless") == 0 {
		select {
		case <-t.Context().Done():
			t.Fatal("requests never arrived")
		case <-time.After(5 * time.Millisecond):
		}
	}
	s.Close() // must return: it ends the stalled and the endless answer
	for range 2 {
		<-done
	}
}
