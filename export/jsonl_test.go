package export

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
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

// stdJSONL is the line a json.Encoder with HTML escaping off writes.
func stdJSONL(r *Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(jsonlRecord{r.Key, r.Revision, r.Article})
	return buf.Bytes(), err
}

// filled is an article with every field set, reflection-made, so that a
// field added to article.Article and not to appendArticleFields fails the
// tests below; its strings are s with a field-dependent suffix.
func filled(s string) *article.Article {
	a := new(article.Article)
	when := time.Date(2024, 3, 5, 9, 30, 0, 120000000, article.KST)
	var fill func(v reflect.Value, path string)
	fill = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			v.SetString(s + path)
		case reflect.Int, reflect.Int64:
			v.SetInt(int64(len(path)) << 33)
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), path)
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				v.Set(reflect.ValueOf(when.Add(time.Duration(len(path)) * time.Hour)))
				return
			}
			for i := range v.NumField() {
				fill(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			fill(v.Index(0), path+"[0]")
			fill(v.Index(1), path+"[1]")
		case reflect.Map:
			v.Set(reflect.MakeMap(v.Type()))
			for _, k := range []string{s + "b", "a", "\u2028"} {
				v.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s+path))
			}
		default:
			panic("filled: a field of kind " + v.Kind().String() + " at " + path)
		}
	}
	fill(reflect.ValueOf(a).Elem(), "")
	return a
}

// TestEncodeJSONLIsEncodingJSON: a line is what encoding/json writes.
func TestEncodeJSONLIsEncodingJSON(t *testing.T) {
	pub := time.Date(2024, 3, 5, 9, 30, 0, 0, article.KST)
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	norm := article.Article{Title: "제목"}
	norm.Normalize()
	tooLate := filled("x")
	tooLate.UpdatedAt = &far
	for name, r := range map[string]*Record{
		"filled": {Article: filled(`"국회" 예산안… <b>&</b> \ 줄` + "\n\t\x01\x7f"), Key: "articles/hani/2024/03/05/hani-1.json"},
		"revision": {Article: &article.Article{
			ID: "hani-1", Title: `"제목" <b>&`, Body: "본문\n\n\u2028끝\x01", PublishedAt: &pub,
			Reporters: []article.Reporter{{Name: "홍길동", Email: "hong@hani.co.kr", Role: "기자"}},
		}, Key: "revisions/hani/2024/03/05/hani-1/2.json", Revision: 2},
		"normalized":    {Article: &norm, Key: "articles/x&y/undated/\u2028.json"},
		"zero":          {Article: &article.Article{}, Key: ""},
		"invalid UTF-8": {Article: filled("\xff\xfe 깨진 \xe2\x80 글 \xed\xa0\x80 \u2029 \xef\xbf\xbd"), Key: "k\xc3"},
		"year 10000":    {Article: tooLate, Key: "k"},
	} {
		got, err := encodeJSONL(r)
		want, werr := stdJSONL(r)
		if (err == nil) != (werr == nil) {
			t.Errorf("%s: error %v, encoding/json %v", name, err, werr)
			continue
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}

func FuzzEncodeJSONL(f *testing.F) {
	f.Add("제목 \"따옴표\"", "본문\n\n<b>&</b>\u2028 “인용” ·", "\x01\xff\xed\xa0\x80", int64(1700000000), true)
	f.Add("", "", "", int64(0), false)
	f.Fuzz(func(t *testing.T, title, body, other string, unix int64, lists bool) {
		a := filled(other)
		a.Title, a.Body = title, body
		a.Extraction.Sources[title] = body
		pub := time.Unix(unix%(1<<40), 0).In(article.KST)
		a.PublishedAt = &pub
		if !lists {
			a.Reporters, a.Tags, a.Portal, a.Raw, a.Extraction.Sources = nil, []string{}, nil, nil, nil
		}
		r := &Record{Article: a, Key: strings.ToValidUTF8(other, "?"), Revision: len(body)}
		got, err := encodeJSONL(r)
		want, werr := stdJSONL(r)
		if (err == nil) != (werr == nil) {
			t.Fatalf("error %v, encoding/json %v", err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// BenchmarkEncodeJSONL reports encodeJSONL against a json.Encoder on the
// same record (x-std: its time as a share of encoding/json's).
func BenchmarkEncodeJSONL(b *testing.B) {
	a := filled("국회")
	a.Body = strings.Repeat("국회는 5일 본회의를 열어 “내년도 예산안”을 의결했다. 여야는 막판까지 쟁점을 두고 협상을 이어갔다.\n\n", 30)
	r := &Record{Article: a, Key: "articles/hani/2024/03/05/hani-1.json", Size: int64(len(a.Body) + 2048)} // Size: the stored JSON's, from the catalog
	var std time.Duration
	b.Run("encoding-json", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			if _, err := stdJSONL(r); err != nil {
				b.Fatal(err)
			}
		}
		std = time.Since(start) / time.Duration(b.N)
	})
	b.Run("encodeJSONL", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			if _, err := encodeJSONL(r); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start)/time.Duration(b.N))/float64(std), "x-std")
	})
}
