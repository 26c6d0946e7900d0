package warc_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"github.com/gisa-news/gisa/warc"
	"strconv"
	"testing"
)

// TestWirePayload: a page recorded off the wire (Payload set) is written as
// served: the payload bytes, their digest, the served Content-Length and
// Content-Encoding, only Transfer-Encoding dropped; the Location names the
// response record's ID; and Record.Page gives back the payload and the
// decoded body.
func TestWirePayload(t *testing.T) {
	ctx := context.Background()
	html := []byte("<html><head><title>한글 기사</title></head><body><p>" + koreanText + "</p></body></html>")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(html)
	zw.Close()
	type tc struct {
		name    string
		payload []byte
		header  map[string][]string
		want    []byte // Page().Body
		wantErr bool
	}
	cases := []tc{
		{"gzip", gz.Bytes(), map[string][]string{"Content-Type": {"text/html; charset=utf-8"}, "Content-Encoding": {"gzip"}, "Content-Length": {strconv.Itoa(gz.Len())}}, html, false},
		{"chunked", html, map[string][]string{"Content-Type": {"text/html; charset=euc-kr"}, "Transfer-Encoding": {"chunked"}}, html, false},
		{"empty", []byte{}, map[string][]string{"Content-Length": {"0"}}, []byte{}, false},
		{"brotli", []byte{1, 2, 3}, map[string][]string{"Content-Encoding": {"br"}, "Content-Length": {"3"}}, nil, true},
	}
	st := newMemStore()
	w := newWriter(t, st, warc.Options{})
	var locs []warc.Location
	for i, c := range cases {
		p := testPage(5*i, t0)
		p.Header, p.Payload, p.Body = c.header, c.payload, c.want
		loc, err := w.Write(ctx, p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		locs = append(locs, loc)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	data, err := st.Get(ctx, locs[0].File)
	if err != nil {
		t.Fatal(err)
	}
	ms := members(t, data)
	recs := readAll(t, st)
	if len(recs) != len(cases) {
		t.Fatalf("read %d records, want %d", len(recs), len(cases))
	}
	for i, c := range cases {
		resp, err := parseRaw(ms[2+2*i].data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		head, body, _ := bytes.Cut(resp.block, []byte("\r\n\r\n"))
		if !bytes.Equal(body, c.payload) {
			t.Errorf("%s: payload %d bytes, want the %d served", c.name, len(body), len(c.payload))
		}
		if got, want := resp.fields["WARC-Payload-Digest"], sha1b32(c.payload); got != want {
			t.Errorf("%s: WARC-Payload-Digest %s, want %s", c.name, got, want)
		}
		for k, vs := range c.header {
			line := []byte("\r\n" + k + ": " + vs[0] + "\r\n")
			if has := bytes.Contains(append(head, "\r\n"...), line); has == (k == "Transfer-Encoding") {
				t.Errorf("%s: header %q kept %v:\n%s", c.name, k, has, head)
			}
		}
		if k := "Content-Length"; c.header[k] == nil && bytes.Contains(head, []byte(k)) {
			t.Errorf("%s: Content-Length added:\n%s", c.name, head)
		}
		if resp.fields["WARC-Record-ID"] != locs[i].RecordID || recs[i].ID != locs[i].RecordID || recs[i].Location() != locs[i] {
			t.Errorf("%s: record ID %s, read %+v, Write said %+v", c.name, resp.fields["WARC-Record-ID"], recs[i].Location(), locs[i])
		}
		pg, err := recs[i].Page()
		if c.wantErr {
			if !errors.Is(err, warc.ErrEncoding) {
				t.Errorf("%s: Page error %v, want ErrEncoding", c.name, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(pg.Body, c.want) || !bytes.Equal(pg.Payload, c.payload) || pg.Payload == nil {
			t.Errorf("%s: Page() = body %q, payload %d bytes, %v", c.name, pg.Body, len(pg.Payload), err)
		}
	}
}
