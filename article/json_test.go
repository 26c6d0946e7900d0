package article

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// full is an Article with every field set, its strings holding what JSON
// must escape: if a field is added to Article and not here, TestFullIsFull
// fails; if not to the fast decoder, TestDecodeJSONFastPath does.
func full() *Article {
	pub := time.Date(2024, 3, 5, 9, 30, 0, 120000000, KST)
	upd := pub.Add(90 * time.Minute).UTC()
	fetched := time.Date(2024, 3, 5, 1, 0, 0, 0, time.UTC)
	return &Article{
		SchemaVersion: SchemaVersion,
		ID:            "hani-1130000",
		URL:           "https://www.hani.co.kr/arti/politics/1130000.html?a=1&b=<2>",
		CanonicalURL:  "https://www.hani.co.kr/arti/1130000",
		Outlet:        Outlet{ID: "hani", Name: "한겨레"},
		Section:       "정치",
		Title:         `"국회" 예산안 처리… 여야 \ 합의`,
		Subtitle:      "부제\t탭",
		Body:          "첫 문단입니다.\n\n둘째 문단 <b>굵게</b> & \u2028 줄 \x01 제어 \u007f 끝.",
		Reporters:     []Reporter{{Name: "홍길동", Email: "hong@hani.co.kr", Role: "기자"}, {Name: "김철수"}},
		PublishedAt:   &pub,
		UpdatedAt:     &upd,
		Images:        []Image{{URL: "https://img.hani.co.kr/1.jpg", Caption: "사진 설명", Credit: "연합뉴스"}},
		Related:       []Link{{Title: "관련 기사", URL: "https://www.hani.co.kr/arti/2"}},
		Tags:          []string{"정치", "국회"},
		Copyright:     "ⓒ 한겨레신문사",
		Language:      "ko",
		Portal:        &Portal{Name: "naver", PressCode: "028", ArticleCode: "0002680000", OriginalURL: "https://www.hani.co.kr/arti/1"},
		FetchedAt:     &fetched,
		ContentHash:   ContentHash("첫 문단입니다."),
		Extraction:    Extraction{Profile: "hani", Sources: map[string]string{"title": "profile", "body": "generic", "published_at": "json-ld"}},
		Raw:           &Raw{File: "warc/2024/03/05/gisa-1.warc.gz", RecordID: "<urn:uuid:1>", Offset: 1 << 40, Length: 5120},
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
func fastDecode(data []byte) (*Article, bool) {
	a := new(Article)
	d := decoder{b: data}
	return a, d.article(a) && d.end()
}

func TestDecodeJSONFastPath(t *testing.T) {
	empty := &Article{}
	empty.Normalize()
	for name, a := range map[string]*Article{"full": full(), "empty": empty, "zero": {}} {
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
			var want Article
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("%s %s: fast path\n%+v\nencoding/json\n%+v", name, form, *got, want)
			}
		}
	}
}

// TestDecodeJSONFallsBack: what the fast path leaves to encoding/json
// still decodes as encoding/json decodes it, errors included.
func TestDecodeJSONFallsBack(t *testing.T) {
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
		got, err := DecodeJSON([]byte(data))
		var want Article
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

func FuzzDecodeJSON(f *testing.F) {
	a := full()
	b, _ := json.MarshalIndent(a, "", "  ")
	f.Add(b)
	b, _ = json.Marshal(a)
	f.Add(b)
	f.Add([]byte(`{"title":"\u003c\u0000\"\\\/\b\f\n\r\t","tags":[],"reporters":[{"name":""}],"portal":null,"raw":{"offset":-0}}`))
	f.Add([]byte(`{"extraction":{"sources":{"b":"1","a":"2","b":"3"}},"outlet":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, fastOK := fastDecode(data)
		var want Article
		werr := json.Unmarshal(data, &want)
		if fastOK {
			if werr != nil {
				t.Fatalf("%q: the fast path accepted what encoding/json refuses: %v", data, werr)
			}
			if !reflect.DeepEqual(*fast, want) {
				t.Fatalf("%q: fast path %+v, encoding/json %+v", data, *fast, want)
			}
		}
		got, err := DecodeJSON(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, encoding/json %v", data, err, werr)
		}
		if err == nil && !reflect.DeepEqual(*got, want) {
			t.Fatalf("%q: %+v, encoding/json %+v", data, *got, want)
		}
	})
}

// BenchmarkDecodeJSON reports DecodeJSON against json.Unmarshal on the
// same record (x-std: its time as a share of encoding/json's).
func BenchmarkDecodeJSON(b *testing.B) {
	a := full()
	a.Body = strings.Repeat("국회는 5일 본회의를 열어 내년도 예산안을 의결했다. 여야는 막판까지 쟁점을 두고 협상을 이어갔다.\n\n", 30)
	data, _ := json.MarshalIndent(a, "", "  ")
	b.SetBytes(int64(len(data)))
	var std time.Duration
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		start := time.Now()
		for b.Loop() {
			var v Article
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
		std = time.Since(start) / time.Duration(b.N)
	})
	b.Run("DecodeJSON", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		start := time.Now()
		for b.Loop() {
			if _, err := DecodeJSON(data); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start)/time.Duration(b.N))/float64(std), "x-std")
	})
}
