package warc_test

import (
	"context"
	"testing"
	"time"

	"github.com/gisa-news/gisa/warc"
)

// FuzzRead reads arbitrary bytes as a WARC file: it must never panic, and
// every record it delivers must lie within the file.
func FuzzRead(f *testing.F) {
	ctx := context.Background()
	st := newMemStore()
	w, err := warc.NewWriter(ctx, st, warc.Options{SpoolDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 5 {
		p := testPage(i, t0)
		if len(p.Body) > 300 {
			p.Body = p.Body[:300] // small seeds mutate better
		}
		if _, err := w.Write(ctx, p); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		f.Fatal(err)
	}
	files, err := warc.Files(ctx, st, time.Time{}, time.Time{})
	if err != nil || len(files) != 1 {
		f.Fatal(files, err)
	}
	valid, _ := st.Get(ctx, files[0])
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[len(valid)/3:])
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:x:1>\r\nWARC-Date: 2024-01-31T00:00:00Z\r\n" +
		"WARC-Target-URI: http://a.kr/\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: 24\r\n\r\n" +
		"HTTP/1.1 200 OK\r\n\r\nabcde\r\n\r\n"))
	f.Add([]byte("WARC/1.0\r\nContent-Length: 99999999\r\n\r\n"))
	f.Add([]byte{0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte{})

	const key = "warc/2024/01/31/fuzz.warc.gz"
	f.Fuzz(func(t *testing.T, data []byte) {
		st := newMemStore()
		if err := st.Put(ctx, key, data); err != nil {
			t.Fatal(err)
		}
		var last int64 = -1
		err := warc.Read(ctx, st, key, func(r warc.Record) error {
			if r.File != key || r.Offset <= last || r.Length <= 0 || r.Offset+r.Length > int64(len(data)) {
				t.Fatalf("record at %d+%d in a file of %d (previous at %d)", r.Offset, r.Length, len(data), last)
			}
			last = r.Offset
			return nil
		})
		for _, ce := range warc.Corrupt(err) {
			if ce.File != key || ce.Offset < 0 || ce.Offset > int64(len(data)) {
				t.Fatalf("corrupt record at %d in a file of %d", ce.Offset, len(data))
			}
		}
		if err != nil && len(warc.Corrupt(err)) == 0 {
			t.Fatalf("Read: %v", err)
		}
	})
}
