package storage

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

// referenceEncode is what encode must give: json.Encoder's indented,
// unescaped form.
func referenceEncode(t *testing.T, a *article.Article) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodeCases are articles whose strings hold what the indenter must pass
// through untouched: quotes after backslashes, JSON punctuation, HTML,
// control and line-separator characters; and empty and nested values.
func encodeCases(t *testing.T) []*article.Article {
	now := time.Date(2024, 1, 2, 3, 4, 5, 6, article.KST)
	tricky := []string{
		``, `"`, `\`, `\"`, `\\`, `\\"`, `\\\"`, `a"b\"c\\"d`, `{}[],:`, `{"a": [1, 2]}`,
		`<b>&amp;</b>`, "tab\there\nnew line\r\x00\x1f", "\u2028\u2029", "한국어 기사 본문입니다.", `"\"`, `ends with \`,
	}
	var cases []*article.Article
	cases = append(cases, &article.Article{}, &article.Article{Tags: []string{}, Images: []article.Image{}})
	for i, s := range tricky {
		a := &article.Article{
			SchemaVersion: i, ID: "id-" + s, URL: "https://example.com/?q=" + s, Title: s, Subtitle: s + s,
			Body: strings.Repeat(s+"\n\n", 3), Reporters: []article.Reporter{{Name: s, Email: s}},
			PublishedAt: &now, FetchedAt: &now, Tags: []string{s, "", s},
			Images: []article.Image{{URL: s, Caption: s}}, Related: []article.Link{},
			Extraction: article.Extraction{Sources: map[string]string{s: s, "title": s}},
		}
		cases = append(cases, a)
	}
	// Real records, when the shared corpus is at hand.
	files, _ := filepath.Glob("../../shared/corpus/ko/truth/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var a article.Article
		if json.Unmarshal(b, &a) == nil {
			cases = append(cases, &a)
		}
	}
	return cases
}

// TestEncodeMatchesEncoder: encode gives, byte for byte, what
// json.Encoder with SetEscapeHTML(false) and SetIndent("", "  ") gives
// (the archive's records must not change).
func TestEncodeMatchesEncoder(t *testing.T) {
	for i, a := range encodeCases(t) {
		got, err := encode(a)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if want := referenceEncode(t, a); !bytes.Equal(got, want) {
			t.Errorf("case %d (title %q): encode gives\n%s\nwant\n%s", i, a.Title, got, want)
		}
	}
}

// TestEncodeCost: encode allocates the record and little else; the
// Encoder's indenting allocated a buffer for the indented record and grew
// the one it was copied into, and its scanner, step by step: 18
// allocations for the article below before (24 under -race), 3 now (7
// under -race, whose pools drop buffers at random).
func TestEncodeCost(t *testing.T) {
	const maxAllocs = 10
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, article.KST)
	a := &article.Article{
		ID: "hani-1", Title: "제목", Body: strings.Repeat("정부는 오늘 새로운 정책을 발표했다. ", 120), PublishedAt: &now, FetchedAt: &now,
		Reporters: []article.Reporter{{Name: "홍길동", Email: "hong@example.com"}}, Tags: []string{"정치", "경제"},
	}
	encode(a) // fill the pool
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := encode(a); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > maxAllocs {
		t.Errorf("encode: %v allocations, want at most %d", allocs, maxAllocs)
	}
}
