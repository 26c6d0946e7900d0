package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/parser"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
	"golang.org/x/text/encoding/korean"
)

// wirePage is an article page as the test site writes it, before any
// encoding.
func wirePage(title, lead string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="ko"><head><title>%s - 와이어일보</title>
<meta property="og:type" content="article"><meta property="og:title" content="%s">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"%s","datePublished":"2024-03-11T09:00:00+09:00","author":[{"@type":"Person","name":"김기자"}]}</script>
</head><body><h1>%s</h1><div id="article-body">`, title, title, title, title)
	for i := range 6 {
		fmt.Fprintf(&b, "<p>%s 이 문단은 %d번째 문단으로, 본문이 제대로 해독되었는지 확인하기 위해 충분히 긴 한국어 문장을 담고 있다.</p>\n", lead, i+1)
	}
	b.WriteString(`<p>김기자 kim@example.com</p></div></body></html>`)
	return b.String()
}

// wireSite serves three articles whose bytes colly would have rewritten: a
// real EUC-KR page, a UTF-8 page that says it is EUC-KR, and a gzip
// Content-Encoding page. It keeps the bytes it wrote per path.
type wireSite struct {
	*httptest.Server
	mu     sync.Mutex
	served map[string][]byte
}

type wireArticle struct {
	path, title, lead, ctype string
	body                     []byte // the payload as served
	gzip                     bool
}

func newWireSite(t *testing.T) (*wireSite, []wireArticle) {
	t.Helper()
	euc, err := korean.EUCKR.NewEncoder().String(wirePage("한글 인코딩 기사", "완성형 한국어 문서는"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(wirePage("압축된 기사", "압축해서 보낸 문서는")))
	zw.Close()
	arts := []wireArticle{
		{path: "/news/1", title: "한글 인코딩 기사", lead: "완성형 한국어 문서는", ctype: "text/html; charset=euc-kr", body: []byte(euc)},
		{path: "/news/2", title: "거짓 문자셋 기사", lead: "실제로는 UTF-8인 문서는", ctype: "text/html; charset=euc-kr", body: []byte(wirePage("거짓 문자셋 기사", "실제로는 UTF-8인 문서는"))},
		{path: "/news/3", title: "압축된 기사", lead: "압축해서 보낸 문서는", ctype: "text/html; charset=utf-8", body: gz.Bytes(), gzip: true},
	}
	s := &wireSite{served: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n")
			return
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>와이어일보</title>`)
			for _, a := range arts {
				fmt.Fprintf(w, `<item><title>%s</title><link>%s%s</link><pubDate>Mon, 11 Mar 2024 00:00:00 GMT</pubDate></item>`, a.title, s.URL, a.path)
			}
			fmt.Fprint(w, `</channel></rss>`)
			return
		}
		for _, a := range arts {
			if r.URL.Path == a.path {
				w.Header().Set("Content-Type", a.ctype)
				if a.gzip {
					w.Header().Set("Content-Encoding", "gzip")
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(a.body)))
				w.Write(a.body)
				s.mu.Lock()
				s.served[a.path] = a.body
				s.mu.Unlock()
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s, arts
}

// warcFields reads the WARC header fields of every response record of a
// .warc.gz, by record ID, without gisa's or gowarc's reader.
func warcFields(t *testing.T, data []byte) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	br := bytes.NewReader(data)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	for {
		zr.Multistream(false)
		rec, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := bytes.Cut(rec, []byte("\r\n\r\n"))
		f := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(head))
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ": "); ok {
				f[k] = v
			}
		}
		if f["WARC-Type"] == "response" {
			out[f["WARC-Record-ID"]] = f
		}
		if err := zr.Reset(br); err == io.EOF {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrawlKeepsWireBytes crawls pages colly would rewrite (EUC-KR, a
// charset lie, gzip) and checks that the WARC response payload is the bytes
// the server wrote, its WARC-Payload-Digest their SHA-1, its Content-Length
// the served one; that the JSON decodes the Hangul and names its WARC
// record and parser version; and that the page read back from WARC parses
// to the same article.
func TestCrawlKeepsWireBytes(t *testing.T) {
	site, arts := newWireSite(t)
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	conf := writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+archive+`
fetch_timeout: 2s
outlets:
  - id: wire
    name: 와이어일보
    feeds: [`+site.URL+`/rss.xml]
    article_pattern: '^`+strings.ReplaceAll(site.URL, ".", `\.`)+`/news/(\d+)$'
    delay: 0s
    concurrency: 2
`)
	if code, out, errs := runCmd(t, "", "crawl", "--config", conf, "--log-level", "error"); code != exitOK {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	ctx := context.Background()
	st, err := storage.NewDisk(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// The records as stored, by URL.
	jsons := map[string]article.Article{}
	paths := map[string]string{}
	readJSON := func() {
		filepath.WalkDir(filepath.Join(archive, "articles"), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			var a article.Article
			if err := json.Unmarshal(b, &a); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			jsons[a.URL], paths[a.URL] = a, p
			return nil
		})
	}
	readJSON()
	// A record without raw (as an older gisa wrote them) gets it from
	// gisa reparse, which names the record it re-parsed.
	first := paths[site.URL+arts[0].path]
	b, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	stored := jsons[site.URL+arts[0].path]
	if stored.Raw == nil {
		t.Fatalf("%s: no raw", first)
	}
	unnamed := bytes.Replace(b, []byte(`"record_id": "`+stored.Raw.RecordID+`"`), []byte(`"record_id": ""`), 1)
	if bytes.Equal(unnamed, b) {
		t.Fatalf("%s: record_id not found in\n%s", first, b)
	}
	b = unnamed
	if err := os.WriteFile(first, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCmd(t, "", "reparse", "--config", conf, "--log-level", "error"); code != exitOK {
		t.Fatalf("reparse: exit %d\n%s\n%s", code, out, errs)
	}
	readJSON()
	// The raw pages, by URL, with their WARC header fields.
	files, err := warc.Files(ctx, st, time.Time{}, time.Time{})
	if err != nil || len(files) == 0 {
		t.Fatalf("WARC files: %v, %v", files, err)
	}
	recs := map[string]warc.Record{}
	fields := map[string]map[string]string{}
	for _, f := range files {
		data, err := st.Get(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for id, fs := range warcFields(t, data) {
			fields[id] = fs
		}
		if err := warc.Read(ctx, st, f, func(r warc.Record) error { recs[r.URL] = r; return nil }); err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
	}
	p, err := parser.New(parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		t.Run(a.path, func(t *testing.T) {
			u := site.URL + a.path
			site.mu.Lock()
			served := site.served[a.path]
			site.mu.Unlock()
			if !bytes.Equal(served, a.body) {
				t.Fatalf("the site served %d bytes, want %d", len(served), len(a.body))
			}
			r, ok := recs[u]
			if !ok {
				t.Fatalf("no WARC record of %s", u)
			}
			if !bytes.Equal(r.Body, served) {
				t.Errorf("WARC payload is %d bytes, not the %d served", len(r.Body), len(served))
			}
			sum := sha1.Sum(served)
			if got, want := fields[r.ID]["WARC-Payload-Digest"], "sha1:"+base32.StdEncoding.EncodeToString(sum[:]); got != want {
				t.Errorf("WARC-Payload-Digest %s, want %s (the served bytes)", got, want)
			}
			if got := r.Header.Get("Content-Length"); got != strconv.Itoa(len(served)) {
				t.Errorf("recorded Content-Length %q, served %d", got, len(served))
			}
			if got, want := r.Header.Get("Content-Encoding"), map[bool]string{true: "gzip"}[a.gzip]; got != want {
				t.Errorf("recorded Content-Encoding %q, want %q", got, want)
			}
			if got := r.Header.Get("Content-Type"); got != a.ctype {
				t.Errorf("recorded Content-Type %q, want %q", got, a.ctype)
			}
			j, ok := jsons[u]
			if !ok {
				t.Fatalf("no JSON record of %s", u)
			}
			if j.Title != a.title || !strings.Contains(j.Body, a.lead+" 이 문단은 1번째 문단으로") {
				t.Errorf("JSON title %q, body %.80q: want the Hangul decoded", j.Title, j.Body)
			}
			if j.Raw == nil || j.Raw.File != r.File || j.Raw.RecordID != r.ID || j.Raw.Offset != r.Offset || j.Raw.Length != r.Length || !strings.HasPrefix(r.ID, "<urn:uuid:") {
				t.Errorf("JSON raw = %+v, want the WARC record %s %s at %d+%d", j.Raw, r.File, r.ID, r.Offset, r.Length)
			}
			if j.ParserVersion != parser.Version {
				t.Errorf("parser_version %q, want %q", j.ParserVersion, parser.Version)
			}
			// The page read back from WARC parses to the same article.
			pg, err := r.Page()
			if err != nil {
				t.Fatal(err)
			}
			back, err := p.Parse(pg)
			if err != nil {
				t.Fatal(err)
			}
			if back.Title != j.Title || back.Body != j.Body || back.ContentHash != j.ContentHash {
				t.Errorf("WARC page parses to %q / %.60q, the JSON says %q / %.60q", back.Title, back.Body, j.Title, j.Body)
			}
		})
	}
}

// TestSinkNoJSONWithoutRaw: when the raw page cannot be written, the sink
// stores no JSON, so no article is archived without its raw page.
func TestSinkNoJSONWithoutRaw(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := storage.NewDisk(filepath.Join(dir, "archive"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.NewWriter(ctx, st, warc.Options{SpoolDir: filepath.Join(dir, "spool")})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil { // every Write now fails
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 11, 9, 0, 0, 0, article.KST)
	a := article.Article{ID: "wire-1", URL: "https://news.example.com/news/1", Outlet: article.Outlet{ID: "wire"}, Title: "제목", Body: "본문", PublishedAt: &at, FetchedAt: &at}
	page := &article.Page{URL: a.URL, Status: 200, Body: []byte("<html></html>"), Payload: []byte("<html></html>"), FetchedAt: at}
	sink := archiveSink{a: storage.NewArchive(st), warc: w}
	if _, err := sink.Save(ctx, &a, page); !errors.Is(err, warc.ErrClosed) {
		t.Fatalf("Save = %v, want the WARC writer's error", err)
	}
	err = st.List(ctx, "articles/", func(i storage.Info) error { return fmt.Errorf("JSON stored without its raw page: %s", i.Key) })
	if err != nil {
		t.Error(err)
	}
}
