package frontier

import (
	"testing"
	"time"
)

// TestPublishedFromKept: the discovery document that stated an item's
// publication time is kept through Add, Lease and Retry and in the record,
// and items and records written before it existed (encoding 1) still
// decode, without it.
func TestPublishedFromKept(t *testing.T) {
	s, _ := openTest(t)
	t0 := time.Date(2024, 5, 2, 8, 10, 0, 0, time.UTC)
	mustAdd(t, s, Item{URL: "https://news.example.co.kr/a/1", Kind: KindArticle, Published: t0, PublishedFrom: "feed"})
	items, _ := mustLease(t, s, "news.example.co.kr", t0, 1)
	if len(items) != 1 || items[0].PublishedFrom != "feed" || !items[0].Published.Equal(t0) {
		t.Fatalf("leased %+v, want the item with PublishedFrom feed", items)
	}
	if err := s.Retry(items[0], t0); err != nil {
		t.Fatal(err)
	}
	items, _ = mustLease(t, s, "news.example.co.kr", t0.Add(time.Hour), 1)
	if len(items) != 1 || items[0].PublishedFrom != "feed" {
		t.Fatalf("after a retry leased %+v, want PublishedFrom feed", items)
	}

	// A record keeps it, for the re-checks it makes.
	rec := &Record{URL: items[0].URL, Outlet: "x", Kind: KindArticle, Status: 200, Published: t0, PublishedFrom: "sitemap", FirstFetched: t0, LastFetched: t0}
	if err := s.Done(items[0], rec); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.Record(items[0].URL); err != nil || !ok || got.PublishedFrom != "sitemap" {
		t.Errorf("Record = %+v, %v, %v; want PublishedFrom sitemap", got, ok, err)
	}
	r2 := encodeRecord(&Record{URL: "https://a/", Published: t0})
	r1 := append([]byte{recordV1}, r2[1:len(r2)-1]...)
	if got, err := decodeRecord(r1); err != nil || got.URL != "https://a/" || got.PublishedFrom != "" {
		t.Errorf("decode of an encoding-1 record = %+v, %v", got, err)
	}

	v2 := encodeItem(&Item{URL: "https://a/", Host: "a", Kind: KindArticle, Published: t0, seq: 3})
	v1 := append([]byte{itemV1}, v2[1:len(v2)-1]...) // without the empty PublishedFrom
	it, err := decodeItem(v1)
	if err != nil || it.URL != "https://a/" || !it.Published.Equal(t0) || it.PublishedFrom != "" {
		t.Errorf("decode of an encoding-1 item = %+v, %v", it, err)
	}
}
