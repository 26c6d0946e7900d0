package storage_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/storage"
)

func TestStats(t *testing.T) {
	ctx := t.Context()
	d := newDisk(t, t.TempDir())
	c := newCatalog(t)
	fillArchive(t, storage.NewArchive(d, storage.WithCatalog(c)))
	if err := d.Put(ctx, "warc/2024/01/31/gisa-1.warc.gz", make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	sizes := func(prefix string) map[string]int64 { // outlet → bytes
		m := map[string]int64{}
		d.List(ctx, prefix, func(i storage.Info) error {
			m[strings.Split(i.Key, "/")[1]] += i.Size
			return nil
		})
		return m
	}
	sum := func(m map[string]int64) (n int64) {
		for _, v := range m {
			n += v
		}
		return n
	}
	artBytes, revBytes := sizes("articles/"), sizes("revisions/")

	want := &storage.ArchiveStats{
		FromCatalog:  true,
		Articles:     8,
		ArticleBytes: sum(artBytes),
		Revisions:    6, RevisionBytes: sum(revBytes),
		WARCFiles: 1, WARCBytes: 1000,
		Undated: 2, // the _unknown article with no date, the yonhap one filed under its fetch day
		Days:    map[string]int{"2024-01-30": 2, "2024-01-31": 2, "2024-02-01": 2, "2024-02-02": 1},
		Outlets: []storage.OutletStats{
			{
				Outlet: "_unknown", Articles: 1, ArticleBytes: artBytes["_unknown"], Undated: 1, Days: map[string]int{},
				Health: storage.Health{
					Missing: map[string]int{"body": 1, "published_at": 1, "updated_at": 1},
					Sources: map[string]map[string]int{"title": {"profile": 1}},
				},
			},
			{
				Outlet: "hani", Articles: 6, ArticleBytes: artBytes["hani"], Revisions: 6, RevisionBytes: revBytes["hani"],
				Days: map[string]int{"2024-01-30": 2, "2024-01-31": 2, "2024-02-01": 2},
				Health: storage.Health{
					Missing: map[string]int{"reporters": 1, "updated_at": 6},
					Sources: map[string]map[string]int{"title": {"profile": 5, "meta": 1}, "body": {"generic": 1}},
				},
			},
			{
				Outlet: "yonhap", Articles: 1, ArticleBytes: artBytes["yonhap"], Undated: 1,
				Days: map[string]int{"2024-02-02": 1},
				Health: storage.Health{
					Missing: map[string]int{"title": 1, "published_at": 1},
					Sources: map[string]map[string]int{"title": {"json-ld": 1}, "body": {"profile": 1}},
				},
			},
		},
	}
	got, err := storage.Stats(ctx, d, c)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("Stats with the catalog:\n%s\nwant\n%s", g, w)
	}

	// Without the catalog, by reading every article: the same figures, and
	// an unreadable article is named and not counted.
	broken := "articles/hani/2024/01/30/hani-0.json"
	b, _ := d.Get(ctx, broken)
	if err := d.Put(ctx, broken, b[:100]); err != nil {
		t.Fatal(err)
	}
	got, err = storage.Stats(ctx, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	want.FromCatalog = false
	want.Corrupt = []string{broken}
	want.Articles--
	want.ArticleBytes -= int64(len(b))
	want.Days["2024-01-30"]--
	h := &want.Outlets[1]
	h.Articles--
	h.ArticleBytes -= int64(len(b))
	h.Days["2024-01-30"]--
	h.Health.Missing["updated_at"]--
	h.Health.Sources["title"]["profile"]--
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("Stats without a catalog:\n%s\nwant\n%s", g, w)
	}
	d.Put(ctx, broken, b)

	got, _ = storage.Stats(ctx, d, c)
	var buf bytes.Buffer
	if err := got.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	// Byte counts are those of the JSON fillArchive writes.
	wantTable := `articles    8  6.7 KiB  (from the catalog)
revisions   6  5.0 KiB
WARC files  1  1000 B
days        4  2024-01-30 … 2024-02-02
undated     2  25.0%  (no published_at: filed under their fetch day)

OUTLET    ARTICLES  BYTES    REVISIONS  FIRST DAY   LAST DAY    UNDATED     NO TITLE  NO BODY  NO REPORTERS  NO PUBLISHED  NO UPDATED
_unknown  1         797 B    0          -           -           1 (100.0%)  0.0%      100.0%   0.0%          100.0%        100.0%
hani      6         5.0 KiB  6          2024-01-30  2024-02-01  0 (0.0%)    0.0%      0.0%     16.7%         0.0%          100.0%
yonhap    1         856 B    0          2024-02-02  2024-02-02  1 (100.0%)  100.0%    0.0%     0.0%          100.0%        0.0%

DAY         ARTICLES  BY OUTLET
2024-01-30  2         hani 2
2024-01-31  2         hani 2
2024-02-01  2         hani 2
2024-02-02  1         yonhap 1

OUTLET    FIELD  SOURCES
_unknown  title  profile 100.0%
hani      body   generic 16.7%
hani      title  profile 83.3%, meta 16.7%
yonhap    body   profile 100.0%
yonhap    title  json-ld 100.0%
`
	if buf.String() != wantTable {
		t.Errorf("WriteTable:\n%s\nwant\n%s", buf.String(), wantTable)
	}
	// And the JSON form has every figure.
	j, _ := json.Marshal(got)
	var back storage.ArchiveStats
	if err := json.Unmarshal(j, &back); err != nil || !reflect.DeepEqual(&back, got) {
		t.Errorf("JSON round trip: %v\n%s", err, j)
	}
}
