package warc

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// TestRecordMatchesGowarc: the records encodePair writes itself are, byte
// for byte, those gowarc's record builder and marshaler make of the same
// fields and HTTP messages (the way Write made them before), digests
// included, for pages with a recorded payload, a decoded body only, a
// gzip payload and no body at all.
func TestRecordMatchesGowarc(t *testing.T) {
	date := time.Date(2024, 3, 1, 12, 34, 56, 789000000, time.UTC)
	html := []byte("<!doctype html><html><head><meta charset=utf-8><title>기사</title></head><body><p>본문입니다.</p></body></html>")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(html)
	zw.Close()
	reqHdr := map[string][]string{"User-Agent": {"gisa/test (+https://example.org)"}, "Accept-Encoding": {"gzip"}, "If-None-Match": {`"v1"`}}
	for _, tc := range []struct {
		name string
		page article.Page
	}{
		{"payload", article.Page{URL: "https://news.example.kr/a/1?x=1", Status: 200, Body: html, Payload: html, FetchedAt: date,
			Header: map[string][]string{"Content-Type": {"text/html; charset=utf-8"}, "Transfer-Encoding": {"chunked"}}, RequestHeader: reqHdr}},
		{"body only", article.Page{URL: "http://news.example.kr/b", Status: 200, Body: html, FetchedAt: date,
			Header: map[string][]string{"Content-Type": {"text/html"}, "Content-Encoding": {"gzip"}}}},
		{"gzip payload", article.Page{URL: "https://news.example.kr/c", Status: 200, Body: html, Payload: gz.Bytes(), FetchedAt: date,
			Header: map[string][]string{"Content-Encoding": {"gzip"}, "Content-Length": {"99"}}, RequestHeader: reqHdr}},
		{"not modified", article.Page{URL: "https://news.example.kr/d", Status: 304, FetchedAt: date,
			Header: map[string][]string{"Etag": {`"v1"`}}, RequestHeader: reqHdr}},
		{"empty payload", article.Page{URL: "https://news.example.kr/e", Status: 200, Payload: []byte{}, FetchedAt: date}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := getEncoder()
			defer putEncoder(e)
			respID, err := e.encodePair(&tc.page, date)
			if err != nil {
				t.Fatal(err)
			}
			gotResp, gotReq := gunzipAll(t, e.resp.Bytes()), gunzipAll(t, e.req.Bytes())
			reqID := fieldOf(t, gotReq, gowarc.WarcRecordID)

			// The same records through gowarc, with the same IDs.
			ref := getEncoder()
			defer putEncoder(ref)
			payload := ref.responseHead(&tc.page)
			b := newBuilder(gowarc.Response)
			b.AddWarcHeader(gowarc.WarcRecordID, respID)
			b.AddWarcHeader(gowarc.WarcTargetURI, tc.page.URL)
			b.AddWarcHeaderTime(gowarc.WarcDate, date)
			b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
			wantResp := marshalGowarc(t, b, ref.hdr.Bytes(), payload)
			u, _ := pageURL(&tc.page)
			ref.requestHead(&tc.page, u)
			b = newBuilder(gowarc.Request)
			b.AddWarcHeader(gowarc.WarcRecordID, reqID)
			b.AddWarcHeader(gowarc.WarcTargetURI, tc.page.URL)
			b.AddWarcHeaderTime(gowarc.WarcDate, date)
			b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
			b.AddWarcHeader(gowarc.WarcConcurrentTo, respID)
			wantReq := marshalGowarc(t, b, ref.hdr.Bytes(), nil)

			if !bytes.Equal(gotResp, wantResp) {
				t.Errorf("response record:\n%q\nwant (gowarc):\n%q", head(gotResp), head(wantResp))
			}
			if !bytes.Equal(gotReq, wantReq) {
				t.Errorf("request record:\n%q\nwant (gowarc):\n%q", gotReq, wantReq)
			}
		})
	}
}

func marshalGowarc(t *testing.T, b gowarc.WarcRecordBuilder, head, body []byte) []byte {
	t.Helper()
	rec, err := build(b, head, body)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	var buf bytes.Buffer
	if _, _, err := marshaler.Marshal(&buf, rec, 0); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gunzipAll(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fieldOf returns a field of a record's WARC header.
func fieldOf(t *testing.T, rec []byte, name string) string {
	t.Helper()
	end := bytes.Index(rec, []byte("\r\n\r\n"))
	for _, line := range bytes.Split(rec[:end], []byte("\r\n")) {
		if k, v, ok := bytes.Cut(line, []byte(": ")); ok && http.CanonicalHeaderKey(string(k)) == http.CanonicalHeaderKey(name) {
			return string(v)
		}
	}
	t.Fatalf("no %s in %q", name, rec[:end])
	return ""
}

// head is a record up to the end of its HTTP head, for messages.
func head(rec []byte) []byte {
	if i := bytes.Index(rec, []byte("\r\n\r\n")); i >= 0 {
		if j := bytes.Index(rec[i+4:], []byte("\r\n\r\n")); j >= 0 {
			return rec[:i+4+j+4]
		}
	}
	return rec
}

// TestEncodePairAllocs: a 100 KB page is encoded without a copy of its
// payload or a parse of its HTTP head (gowarc's builder made 770
// allocations, 239 KB, per pair; the encoder makes a few dozen).
func TestEncodePairAllocs(t *testing.T) {
	body := bytes.Repeat([]byte("<p>정부는 오늘 새로운 정책을 발표했다.</p>\n"), 2000)
	page := &article.Page{URL: "https://news.example.kr/a/1", Status: 200, Body: body, Payload: body, FetchedAt: time.Now(),
		Header: map[string][]string{"Content-Type": {"text/html; charset=utf-8"}}, RequestHeader: map[string][]string{"User-Agent": {"gisa/test"}}}
	e := getEncoder()
	if _, err := e.encodePair(page, page.FetchedAt); err != nil { // warm the pool's buffers
		t.Fatal(err)
	}
	putEncoder(e)
	allocs := testing.AllocsPerRun(10, func() {
		e := getEncoder()
		if _, err := e.encodePair(page, page.FetchedAt); err != nil {
			t.Fatal(err)
		}
		putEncoder(e)
	})
	if allocs > 100 {
		t.Errorf("encoding a %d-byte page: %v allocations, want at most 100", len(body), allocs)
	}
}
