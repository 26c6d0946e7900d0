package export

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// jsonlRecord is what a JSON Lines line holds, for encoding/json.
type jsonlRecord struct {
	ArchiveKey string `json:"archive_key"`
	Revision   int    `json:"revision"`
	*article.Article
}

// TestEncodeJSONLIsEncodingJSON: a line is what encoding/json writes.
func TestEncodeJSONLIsEncodingJSON(t *testing.T) {
	pub := time.Date(2024, 3, 5, 9, 30, 0, 0, article.KST)
	a := &article.Article{
		ID: "hani-1", Title: `"제목" <b>&`, Body: "본문\n\n\u2028끝\x01", PublishedAt: &pub,
		Reporters: []article.Reporter{{Name: "홍길동", Email: "hong@hani.co.kr", Role: "기자"}},
		Portal:    &article.Portal{Name: "naver"}, Raw: &article.Raw{File: "warc/x.warc.gz", Offset: 12},
	}
	norm := *a
	norm.Normalize()
	for _, r := range []*Record{
		{Article: a, Key: "articles/hani/2024/03/05/hani-1.json"},
		{Article: &norm, Key: "revisions/hani/2024/03/05/hani-1/2.json", Revision: 2},
		{Article: &article.Article{}, Key: "articles/x&y/<undated>/\u2028.json"},
	} {
		got, err := encodeJSONL(r)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonlRecord{r.Key, r.Revision, r.Article}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s:\n got %s\nwant %s", r.Key, got, want.Bytes())
		}
	}
}
