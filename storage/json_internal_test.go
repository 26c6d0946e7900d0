package storage

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
)

// full is an article.Article with every field set, its strings holding what JSON
// must escape: if a field is added to article.Article and not here, TestFullIsFull
// fails; if not to the fast decoder, TestDecodeArticleFastPath does.
func full() *article.Article {
	pub := time.Date(2024, 3, 5, 9, 30, 0, 120000000, article.KST)
	upd := pub.Add(90 * time.Minute).UTC()
	fetched := time.Date(2024, 3, 5, 1, 0, 0, 0, time.UTC)
	return &article.Article{
		SchemaVersion: article.SchemaVersion,
		ID:            "hani-1130000",
		URL:           "https://www.hani.co.kr/arti/politics/1130000.html?a=1&b=<2>",
		CanonicalURL:  "https://www.hani.co.kr/arti/1130000",
		Outlet:        article.Outlet{ID: "hani", Name: "한겨레"},
		Section:       "정치",
		Title:         `"국회" 예산안 처리… 여야 \ 합의`,
		Subtitle:      "부제\t탭",
		Body:          "첫 문단입니다.\n\n둘째 문단 <b>굵게</b> & \u2028 줄 \x01 제어 \u007f 끝.",
		Reporters:     []article.Reporter{{Name: "홍길동", Email: "hong@hani.co.kr", Role: "기자"}, {Name: "김철수"}},
		PublishedAt:   &pub,
		UpdatedAt:     &upd,
		Images:        []article.Image{{URL: "https://img.hani.co.kr/1.jpg", Caption: "사진 설명", Credit: "연합뉴스"}},
		Related:       []article.Link{{Title: "관련 기사", URL: "https://www.hani.co.kr/arti/2"}},
		Tags:          []string{"정치", "국회"},
		Copyright:     "ⓒ 한겨레신문사",
		Language:      "ko",
		Portal:        &article.Portal{Name: "naver", PressCode: "028", ArticleCode: "0002680000", OriginalURL: "https://www.hani.co.kr/arti/1"},
		FetchedAt:     &fetched,
		ContentHash:   article.ContentHash("첫 문단입니다."),
		Extraction:    article.Extraction{Profile: "hani", Sources: map[string]string{"title": "profile", "body": "generic", "published_at": "json-ld"}},
		Raw:           &article.Raw{File: "warc/2024/03/05/gisa-1.warc.gz", RecordID: "<urn:uuid:1>", Offset: 1 << 40, Length: 5120},
		ParserVersion: "7",
	}
}

func TestFullIsFull(t *testing.T) {
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		if v.IsZero() {
			t.Errorf("full() leaves %s unset", path)
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			walk(v.Elem(), path)
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			walk(v.Index(0), path+"[0]")
		}
	}
	walk(reflect.ValueOf(full()), "Article")
}

// fastDecode runs the fast path alone.
func fastDecode(data []byte) (*article.Article, bool) {
	a := new(article.Article)
	d := decoder{b: data}
	return a, d.articleObject(a) && d.end()
}

func TestDecodeArticleFastPath(t *testing.T) {
	empty := &article.Article{}
	empty.Normalize()
	for name, a := range map[string]*article.Article{"full": full(), "empty": empty, "zero": {}} {
		indented, err := json.MarshalIndent(a, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		compact, _ := json.Marshal(a)
		for form, data := range map[string][]byte{"indented": indented, "compact": compact} {
			got, ok := fastDecode(data)
			if !ok {
				t.Errorf("%s %s: the fast path gave up on a record gisa writes", name, form)
				continue
			}
			var want article.Article
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("%s %s: fast path\n%+v\nencoding/json\n%+v", name, form, *got, want)
			}
		}
	}
}

// TestDecodeArticleFallsBack: what the fast path leaves to encoding/json
// still decodes as encoding/json decodes it, errors included.
func TestDecodeArticleFallsBack(t *testing.T) {
	for _, data := range []string{
		`{"Title":"대소문자"}`,                            // another spelling of a key
		`{"title":"a","title":"b"}`,                   // a repeated key
		`{"outlet":{"id":"a"},"outlet":{"name":"b"}}`, // merged by encoding/json
		`{"unknown":1,"title":"t"}`,                   // a key of a later schema
		`{"title":"\ud55c\uae00 \ud83d\ude00"}`,       // a surrogate pair
		"{\"title\":\"\xff\"}",                        // invalid UTF-8
		`{"tags":[null,"a"]}`,                         // null in a list
		`{"reporters":[null]}`,
		`{"extraction":{"sources":{"a":null}}}`,
		`{"schema_version":1.0}`,
		`{"schema_version":"1"}`,
		`{"published_at":"2024-13-01T00:00:00Z"}`,
		`{"title":"unterminated}`,
		`{"title":"t"} trailing`,
		`null`,
		`[]`,
		``,
		`{"raw":{"offset":99999999999999999999}}`,
	} {
		_, fastOK := fastDecode([]byte(data))
		got, err := decodeArticle([]byte(data))
		var want article.Article
		werr := json.Unmarshal([]byte(data), &want)
		if fastOK && werr != nil {
			t.Errorf("%q: the fast path accepted what encoding/json refuses: %v", data, werr)
		}
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Errorf("%q: error %v, encoding/json %v", data, err, werr)
			continue
		}
		if err == nil && !reflect.DeepEqual(*got, want) {
			t.Errorf("%q: %+v, encoding/json %+v", data, *got, want)
		}
	}
}

func FuzzDecodeArticle(f *testing.F) {
	a := full()
	b, _ := json.MarshalIndent(a, "", "  ")
	f.Add(b)
	b, _ = json.Marshal(a)
	f.Add(b)
	f.Add([]byte(`{"title":"\u003c\u0000\"\\\/\b\f\n\r\t","tags":[],"reporters":[{"name":""}],"portal":null,"raw":{"offset":-0}}`))
	f.Add([]byte(`{"extraction":{"sources":{"b":"1","a":"2","b":"3"}},"outlet":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, fastOK := fastDecode(data)
		var want article.Article
		werr := json.Unmarshal(data, &want)
		if fastOK {
			if werr != nil {
				t.Fatalf("%q: the fast path accepted what encoding/json refuses: %v", data, werr)
			}
			if !reflect.DeepEqual(*fast, want) {
				t.Fatalf("%q: fast path %+v, encoding/json %+v", data, *fast, want)
			}
		}
		got, err := decodeArticle(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, encoding/json %v", data, err, werr)
		}
		if err == nil && !reflect.DeepEqual(*got, want) {
			t.Fatalf("%q: %+v, encoding/json %+v", data, *got, want)
		}
	})
}

// BenchmarkDecodeArticle reports decodeArticle against json.Unmarshal on the
// same record (x-std: its time as a share of encoding/json's).
func BenchmarkDecodeArticle(b *testing.B) {
	a := full()
	a.Body = strings.Repeat("국회는 5일 본회의를 열어 내년도 예산안을 의결했다. 여야는 막판까지 쟁점을 두고 협상을 이어갔다.\n\n", 30)
	data, _ := json.MarshalIndent(a, "", "  ")
	b.SetBytes(int64(len(data)))
	var std time.Duration
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		start := time.Now()
		for b.Loop() {
			var v article.Article
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
		std = time.Since(start) / time.Duration(b.N)
	})
	b.Run("decodeArticle", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		start := time.Now()
		for b.Loop() {
			if _, err := decodeArticle(data); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start)/time.Duration(b.N))/float64(std), "x-std")
	})
}

// fullEntry is an Entry with every field of its JSON set.
func fullEntry() Entry {
	return Entry{
		ID: "hani-1", Outlet: "hani", URL: "https://www.hani.co.kr/arti/1?a=<1>&b", CanonicalURL: "https://www.hani.co.kr/arti/1",
		Key: "articles/hani/2024/03/05/hani-1.json", ContentHash: article.ContentHash("본문"),
		Published: time.Date(2024, 3, 5, 9, 30, 0, 0, article.KST), Fetched: time.Date(2024, 3, 5, 1, 0, 0, 5, time.UTC),
		Revisions: 2, Size: 6144, Fingerprint: "sha256:ab", Missing: []string{"reporters", "updated_at"},
		Sources: map[string]string{"title": "profile", "body": "generic"}, Pending: true,
	}
}

func TestDecodeEntryFastPath(t *testing.T) {
	e := fullEntry()
	v := reflect.ValueOf(e)
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Tag.Get("json") != "-" && v.Field(i).IsZero() {
			t.Errorf("fullEntry leaves %s unset", f.Name)
		}
	}
	for name, e := range map[string]Entry{"full": e, "zero": {}} {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var got Entry
		d := decoder{b: data}
		if !d.entryObject(&got) || !d.end() {
			t.Errorf("%s: the fast path gave up on an entry the catalog writes: %s", name, data)
			continue
		}
		var want Entry
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fast path %+v, encoding/json %+v", name, got, want)
		}
	}
}

func FuzzDecodeEntry(f *testing.F) {
	b, _ := json.Marshal(fullEntry())
	f.Add(b)
	f.Add([]byte(`{"id":"a","published":null,"pending":false,"missing":[],"sources":{},"Seq":3}`))
	f.Add([]byte(`{"published":"2024-03-05T09:30:00+09:00","pending":true,"size":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fast Entry
		d := decoder{b: data}
		fastOK := d.entryObject(&fast) && d.end()
		var want Entry
		werr := json.Unmarshal(data, &want)
		if fastOK && (werr != nil || !reflect.DeepEqual(fast, want)) {
			t.Fatalf("%q: fast path %+v, encoding/json %+v, %v", data, fast, want, werr)
		}
		got, err := decodeEntry(data)
		if (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v, %v; encoding/json %+v, %v", data, got, err, want, werr)
		}
	})
}

// FuzzPlain holds plain to what it stands for: valid UTF-8 without a
// control character.
func FuzzPlain(f *testing.F) {
	f.Add([]byte("국회는 5일 “예산안”을 의결했다. ⓒ 한겨레 · 끝"))
	f.Add([]byte("\xed\xa0\x80 \xe0\x80\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf \xf4\x90\x80\x80 \xc0\xaf \x1f \x7f"))
	f.Fuzz(func(t *testing.T, s []byte) {
		want := utf8.Valid(s) && !bytes.ContainsFunc(s, func(r rune) bool { return r < 0x20 })
		if got := plain(s); got != want {
			t.Fatalf("plain(%q) = %v, want %v", s, got, want)
		}
	})
}
