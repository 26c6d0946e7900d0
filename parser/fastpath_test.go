package parser

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// The fast paths below must give exactly what the plain code they replaced
// gave; the plain code is kept here as the reference.

func refGarbled(text []byte) (bad, n int) {
	for _, r := range string(text) {
		n++
		switch {
		case r == utf8.RuneError:
			bad++
		case r < 0x20 && r != '\t' && r != '\n' && r != '\f' && r != '\r':
			bad++
		case r == 0x7f || (r >= 0x80 && r < 0xa0):
			bad++
		}
	}
	return bad, n
}

// checkGarbled holds garbled to refGarbled over text (valid UTF-8); n
// is compared only where garbled counts it.
func checkGarbled(t *testing.T, text []byte) {
	t.Helper()
	gb, gn := garbled(text)
	wb, wn := refGarbled(text)
	if gb != wb || gb > 0 && gn != wn || gb == 0 && gn != 0 {
		t.Errorf("garbled(%.60q) = %d, %d; want %d, %d", text, gb, gn, wb, wn)
	}
}

func refNormalizeSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = true
			continue
		}
		if r == utf8.RuneError || unicode.IsControl(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func refContainsFold(s, sub string) bool {
	return bytes.Contains(bytes.ToLower([]byte(s)), []byte(sub))
}

// fastPathInputs are texts with every kind of character the fast paths
// treat apart: ASCII spaces and controls, NBSP and U+3000, zero-width
// characters, C1 controls, U+FFFD and invalid bytes, decomposed Hangul
// (a syllable followed by a trailing jamo, bare jamo), decomposed Latin,
// singletons (Ω, CJK compatibility ideographs), and plain Korean text.
var fastPathInputs = []string{
	"", " ", "a", "  a  ", "가", "가 나", "가  나", "가\t나\n다\r\n", "\u00a0가\u3000나\u200b다\ufeff",
	"기자\x00의\x07 글\x7f", "C1\u0085 제어\u0090문자\u0080\u009f", "깨진\xff\xfe바이트", "대체\uFFFD문자", "\xe2\x82",
	"\u1112\u1161\u11ab\u1100\u1173\u11af", "\uAC00\u11A8", "각\u11A8", "e\u0301té", "\u2126 옴", "\uF900 호",
	"“인용” ‘작은’ … · ⓒ 연합뉴스", "中國 漢字", "홍길동 기자 hong@example.com",
	"\uA000\uA66F\uABFF\uD7A3\uD7FF\uE000", "서울\xed\xa0\x80대\xed\xbf\xbf", "끝\xea\x80", "끝\xea", "\xea\xc0\x80가",
	"a\u0316\u0301b", "한\u0300글", "ＡＢＣ", "\u00e9\u0301",
	strings.Repeat("본문 문장입니다. ", 40) + "\u0301",
}

func TestFastPathsMatchReference(t *testing.T) {
	inputs := append([]string(nil), fastPathInputs...)
	// Each odd character at every offset of a run of printable ASCII (the
	// fast paths read eight bytes at a time).
	for _, odd := range []string{"\x00", "\x1f", "\t", "\x7f", "\u0080", "\u009f", "\uFFFD", "\xff", "가", " ", "~"} {
		for i := 0; i <= 17; i++ {
			run := strings.Repeat("abcdefgh", 3)
			inputs = append(inputs, run[:i]+odd+run[i:])
		}
	}
	// Text nodes and class names of the corpus pages, where present.
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "ko", "html", "*.html"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(data))
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode {
				inputs = append(inputs, n.Data)
			}
			for _, a := range n.Attr {
				inputs = append(inputs, a.Val)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	for _, s := range inputs {
		if utf8.ValidString(s) {
			checkGarbled(t, []byte(s))
		}
		for _, link := range []bool{false, true} {
			var got, want genSeg
			got.add("앞", false)
			want.refAdd("앞", false)
			got.add(s, link)
			want.refAdd(s, link)
			if got != want {
				t.Errorf("genSeg.add(%.40q, %v) = %+v; want %+v", s, link, got, want)
			}
		}
		if got, want := normalizeSpace(s), refNormalizeSpace(s); got != want {
			t.Errorf("normalizeSpace(%.40q) = %.40q; want %.40q", s, got, want)
		}
		if got, want := validNFC(s), refValidNFC(s); got != want {
			t.Errorf("validNFC(%.40q) = %.40q; want %.40q", s, got, want)
		}
		for _, w := range []string{"charset", "tit", "reporter"} {
			if got, want := containsFoldBytes([]byte(s), w), refContainsFold(s, w); got != want {
				t.Errorf("containsFoldBytes(%.40q, %q) = %v; want %v", s, w, got, want)
			}
			if got, want := strings.Contains(lowerASCII(s), w), refContainsFold(s, w); got != want {
				t.Errorf("lowerASCII(%.40q) contains %q = %v; want %v", s, w, got, want)
			}
		}
	}
	for _, s := range []string{"CHARSET", "ChArSeT=utf-8", "char set", "charse", "\xffcharset", "Ｃharset"} {
		if got, want := containsFoldBytes([]byte(s), "charset"), refContainsFold(s, "charset"); got != want {
			t.Errorf("containsFoldBytes(%q) = %v; want %v", s, got, want)
		}
	}
}

// refAdd is genSeg.add as it was, decoding every non-ASCII character.
func (seg *genSeg) refAdd(s string, link bool) {
	var chars, stops, commas int32
	h := seg.hash
	if h == 0 {
		h = 14695981039346656037
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ', '\t', '\n', '\r', '\f':
				continue
			}
			h = (h ^ uint64(c)) * 1099511628211
			switch c {
			case '.', '!', '?':
				if i == len(s) || s[i] == ' ' || s[i] == '\n' || s[i] == '"' || s[i] == '\'' {
					stops++
				}
			case ',':
				commas++
			}
			chars++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		for _, b := range []byte(s[i : i+size]) {
			h = (h ^ uint64(b)) * 1099511628211
		}
		i += size
		switch r {
		case '。', '！', '？':
			stops++
		case '、', '，':
			commas++
		}
		switch {
		case isSpace(r):
		case r >= 0xAC00 && r <= 0xD7A3, r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F,
			r >= 0x4E00 && r <= 0x9FFF, r >= 0x3040 && r <= 0x30FF:
			chars += 2
		default:
			chars++
		}
	}
	seg.hash = h
	seg.chars += chars
	seg.stops += stops
	seg.commas += commas
	if link {
		seg.link += chars
	}
}

// refBylineClass is bylineClass as it was, word by word in attribute
// order.
func refBylineClass(n *html.Node) int8 {
	var kind int8
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" || a.Val == "" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range bylineExcludeWords {
			if strings.Contains(v, w) {
				return 0
			}
		}
		for _, w := range bylineStrongWords {
			if strings.Contains(v, w) {
				kind = 2
			}
		}
		if kind == 0 {
			for _, w := range bylineWeakWords {
				if strings.Contains(v, w) {
					kind = 1
				}
			}
		}
	}
	return kind
}

func TestBylineClassMatchesReference(t *testing.T) {
	for _, attrs := range [][]html.Attribute{
		nil,
		{{Key: "class", Val: "byline"}},
		{{Key: "class", Val: "ReporterName"}},
		{{Key: "class", Val: "name"}},
		{{Key: "id", Val: "editor"}, {Key: "class", Val: "writer"}},
		{{Key: "class", Val: "writer"}, {Key: "id", Val: "share_box"}},
		{{Key: "id", Val: "SNS"}, {Key: "class", Val: "author"}},
		{{Key: "class", Val: "name"}, {Key: "class", Val: "more"}},
		{{Key: "class", Val: "reporter_more"}},
		{{Key: "class", Val: ""}, {Key: "id", Val: "kija"}},
		{{Key: "title", Val: "reporter"}},
		{{Key: "class", Val: "a"}, {Key: "class", Val: "b"}, {Key: "id", Val: "c"}, {Key: "class", Val: "d"}, {Key: "class", Val: "wrt_name"}},
	} {
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: attrs}
		if got, want := bylineClass(n), refBylineClass(n); got != want {
			t.Errorf("bylineClass(%v) = %d; want %d", attrs, got, want)
		}
	}
}

// TestRegexPrefiltersAreNecessary checks the literal tests that guard
// costly expressions: on every line where an expression matches, its guard
// holds, so the guard never changes a result.
func TestRegexPrefiltersAreNecessary(t *testing.T) {
	var lines []string
	for _, c := range lineCases {
		lines = append(lines, c.in)
	}
	for _, c := range bylineLineCases {
		lines = append(lines, c.in)
	}
	lines = append(lines, "사진=연합뉴스", "(서울=연합뉴스) 홍길동 기자", "영상취재 : 안동균 기자 / 영상편집 : 김경준",
		"<출연 : 이은희 교수>", "■ 진행：김현정 앵커", "KBS 뉴스 홍길동입니다.", "지금까지 부산에서 MBC뉴스 김철수입니다.",
		"지금까지 국회에서 전해드렸습니다", "연합뉴스TV 홍길동입니다",
		"관련기사", "[관련 뉴스]", "함께 본 기사", "함께 많이 본 뉴스", "이 기사와 함께", "홍길동 기자의 다른 기사", "김기자 최신뉴스",
		"Related Articles", "RELATED", "related stories", "More from this reporter", "MORE ON THE TOPIC", "▶ 연관 기사 (3) 더보기",
		"정치 관련기사 목록", "[관련 보도]", "[카카오톡] okjebo", "[전화] 02-398-3000", "영상취재：김철수 / 영상편집 : 이영희",
		"(취재 : 한지연 / 편집 : 박민수)", "[기사 입력 일시 : 2024.03.05 10:00]", "(Published on: March 5, 2024)", "최종 수정 시각 ：2024-03-05",
		"<기사입력 시간 ： 2024.03.05>", "[ 업데이트 일자：2024.03.05 ]", "PUBLISHED AT: 2024", "\ufeff송고시간 2024-03-05", "\u3000[서울=뉴시스] 홍길동 기자 = 본문", "\u200b\u00a0(SBS연예뉴스 강경윤 기자) 본문",
		"\ufeff【서울=뉴시스】김철수 기자 =", " \t［서울＝뉴스1］ 본문", "SEOUL, March 5 (Yonhap) -- The", "\u2003SEOUL (Yonhap) — text", "■ 진행 : 김현정 앵커", "촬영기자·편집:홍길동", "[이메일] a@b.c 채널 추가", "이기사와 관련된 뉴스", "이 기사와 함께 많이 본 기사", "홍길동기자 다른기사",
		"이 기자의 최근 뉴스", "기자의최신기사", "연관뉴스", "함께 읽으면 좋은 뉴스 +", "관련 기사 리스트 (12)", "관련기사 3건", "#반도체 관련 뉴스",
		"AP연합뉴스", "EPA=연합뉴스", "UPI", "로이터=연합뉴스", "신화=연합뉴스", "게티이미지뱅크", "gettyimages korea", "GETTY IMAGES",
		"셔터스톡", "ShutterStock", "ſhutterstock", "클립아트코리아", "아이클릭아트", "이미지투데이", "123RF", "픽사베이", "Unsplash", "PIXABAY",
		"연합뉴스 자료사진", "뉴시스 DB", "뉴스1", "[AP=연합뉴스]", "(로이터/뉴시스)", "<셔터스톡>", "（AFP）", "입력 2024.03.05", "Updated 2024-03-05", "modified: 2024",
		"사진=연합뉴스", "[그래픽=김철수 기자]", "자료사진=뉴시스", "(영상 캡처: KBS)", "화면캡처=유튜브", "일러스트=이영희", "이미지 출처: 픽사베이",
		"CG=홍길동", "출처: 통계청", "캡처=SNS", "<사진 제공=구청>", "（사진=연합）", "［사진 출처：AP］", "/ 홍길동 기자", "/사진=뉴스1")
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "ko", "truth", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(data), "\\n")...)
	}
	for _, l := range lines {
		s := normalizeSpace(l)
		for _, c := range []struct {
			name         string
			match, guard bool
		}{
			{"photoCreditRe", photoCreditRe.MatchString(s), strings.ContainsAny(s, "=:：")},
			{"productionCreditRe", productionCreditRe.MatchString(s), strings.ContainsAny(s, ":：")},
			{"signOffRe", signOffRe.MatchString(s), strings.Contains(s, "입니다")},
			{"reporterSignOffRe", reporterSignOffRe.MatchString(s), strings.HasPrefix(s, "지금까지 ")},
			{"relatedLabel", relatedLabel.MatchString(s), isRelatedLabel(s)},
			{"promoRe", promoRe.MatchString(s), strings.HasPrefix(s, "[") || containsAny(s, "제보가", "채널", "만나보세요", "구독료", "읽어주기", "클릭", "서비스된")},
			{"productionCreditRe", productionCreditRe.MatchString(s), isProductionCredit(s)},
			{"datelineLabelRe", datelineLabelRe.MatchString(s), datelineLabelRe.MatchString(runePrefix(s, maxDatelineLabel))},
			{"datelineLabelRe", datelineLabelRe.MatchString(s), mayDatelineLabel(s)},
			{"agencyCreditRe", agencyCreditRe.MatchString(s), mayAgencyCredit(s)},
			{"photoCreditRe", photoCreditRe.MatchString(s), mayPhotoCredit(s)},
			{"slashCreditRe", slashCreditRe.MatchString(s), strings.HasPrefix(s, "/")},
		} {
			if c.match && !c.guard {
				t.Errorf("%s matches %q but its guard rejects it", c.name, s)
			}
		}
		// splitDateline's guards read the raw paragraph, not normalized.
		first := firstAfterDlS(l)
		for _, c := range []struct {
			name         string
			match, guard bool
		}{
			{"wireDatelineRe", wireDatelineRe.MatchString(l), strings.ContainsRune("([【〔［（", first)},
			{"bracketBylineRe", bracketBylineRe.MatchString(l), strings.ContainsRune("([【〔［（", first)},
			{"englishDatelineRe", englishDatelineRe.MatchString(l), 'A' <= first && first <= 'Z'},
		} {
			if c.match && !c.guard {
				t.Errorf("%s matches %q but its guard rejects it", c.name, s)
			}
		}
	}
}

// allStrings returns every string of up to n pieces of alphabet, the empty
// one included.
func allStrings(alphabet []string, n int) []string {
	out := []string{""}
	for last := out; n > 0; n-- {
		var next []string
		for _, p := range last {
			for _, c := range alphabet {
				next = append(next, p+c)
			}
		}
		out = append(out, next...)
		last = next
	}
	return out
}

// titleSep is the expression titleSepAt matches, the reference for it.
var titleSep = regexp.MustCompile(`\s+(?:::|[-|:ㅣ–—<>·])\s+|\s*(?:::|[|ㅣ])\s*`)

// TestTitleSepsMatchExpression checks that titleSeps and firstTitleSep
// find what titleSep finds: on every string of up to four characters
// from separators, spaces, letters and a stray lead byte, and on the
// corpus titles.
func TestTitleSepsMatchExpression(t *testing.T) {
	alphabet := []string{"a", "가", " ", "\t", "\n", ":", "|", "-", "ㅣ", "·", "—", "–", "<", ">", "\xe2"}
	titles := allStrings(alphabet, 4)
	titles = append(titles, "예시 뉴스 제목 - 예시일보", "제목 | 예시 :: 사회 : 뉴스 : 한겨레", "한·미 정상회담 ㅣ YTN", "a::b", " :: ", "x -y", "x- y",
		"a"+strings.Repeat(" ", 1<<20)+"-b", strings.Repeat(" \t", 1<<19)+"|")
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "html", "*.html"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.Index(data, []byte("<title>")); i >= 0 {
			rest := data[i+len("<title>"):]
			if j := bytes.Index(rest, []byte("</title>")); j >= 0 {
				titles = append(titles, string(rest[:j]))
			}
		}
	}
	for _, s := range titles {
		if got, want := titleSeps(s), titleSep.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("titleSeps(%q) = %v; want %v", s, got, want)
		}
		for _, v := range []string{s, s + "\xc2", "\xe2\x80" + s, s + "\xe3\x85", "\xff·" + s} {
			if got, want := indexTitleSepChar(v), strings.IndexAny(v, ":|-<>·ㅣ–—"); got != want {
				t.Fatalf("indexTitleSepChar(%q) = %d; want %d", v, got, want)
			}
		}
		if got, want := firstTitleSep(s), titleSep.FindStringIndex(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("firstTitleSep(%q) = %v; want %v", s, got, want)
		}
	}
}

// FuzzTitleSeps holds titleSeps and firstTitleSep to titleSep on any
// string, valid UTF-8 or not.
func FuzzTitleSeps(f *testing.F) {
	for _, s := range []string{"예시 뉴스 제목 - 예시일보", "제목 | 예시 :: 사회 : 뉴스 : 한겨레", "a ::: b", "\xe3\x85ㅣ\t–\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := titleSeps(s), titleSep.FindAllStringIndex(s, -1); !reflect.DeepEqual(got, want) {
			t.Fatalf("titleSeps(%q) = %v; want %v", s, got, want)
		}
		if got, want := firstTitleSep(s), titleSep.FindStringIndex(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("firstTitleSep(%q) = %v; want %v", s, got, want)
		}
	})
}

// refSameName is what isOutletName compared before sameName.
func refSameName(a, b string) bool {
	a = strings.ToLower(strings.ReplaceAll(a, " ", ""))
	b = strings.ToLower(strings.ReplaceAll(b, " ", ""))
	return a != "" && a == b
}

func TestSameName(t *testing.T) {
	for _, c := range [][2]string{
		{"예시일보", "예시 일보"}, {"YTN", "ytn"}, {" ", ""}, {"", ""}, {" ", " "}, {"a", ""}, {"", "a"},
		{"KBS 뉴스", "kbs뉴스"}, {"Ａ", "ａ"}, {"\xff", "\ufffd"}, {"\xff", "\xfe"}, {"ΣΑ", "σα"}, {"İ", "i̇"},
		{"예시\t일보", "예시일보"}, {"예시일보 ", "예시일보x"}, {"K", "\u212a"}, {"ab", "a"},
		{"예시\xec \x9d\xbc보", "예시일보"}, {"\xec" + strings.Repeat(" ", 9) + "\x9d\xbc", "일"}, {"\xec \x9d", "\ufffd\ufffd"},
	} {
		if got, want := sameName(c[0], c[1]), refSameName(c[0], c[1]); got != want {
			t.Errorf("sameName(%q, %q) = %v; want %v", c[0], c[1], got, want)
		}
	}
}

func FuzzSameName(f *testing.F) {
	f.Add("예시 일보", "예시일보")
	f.Add("YTN", "ytn ")
	f.Add("\xff", "\ufffd")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := sameName(a, b), refSameName(a, b); got != want {
			t.Fatalf("sameName(%q, %q) = %v; want %v", a, b, got, want)
		}
	})
}

// TestValidID holds validID to the expression it replaced, on every string
// of up to three characters from its edges and on lengths around 40.
func TestValidID(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)
	alphabet := []string{"a", "z", "0", "9", "-", "_", "A", "`", "{", "/", ":", " ", "가", "\n"}
	ids := allStrings(alphabet, 3)
	for _, n := range []int{39, 40, 41} {
		ids = append(ids, strings.Repeat("a", n), "-"+strings.Repeat("a", n-1), strings.Repeat("a", n-1)+"_")
	}
	for _, id := range ids {
		if got, want := validID(id), re.MatchString(id); got != want {
			t.Errorf("validID(%q) = %v; want %v", id, got, want)
		}
	}
}

// BenchmarkTitleSeps runs titleSeps and firstTitleSep, and the expression
// they replaced (compiled once, outside the loop, and started where
// titleSepStart says), over the corpus titles.
func BenchmarkTitleSeps(b *testing.B) {
	var titles []string
	for _, pg := range corpusPages(b) {
		if i := bytes.Index(pg.Body, []byte("<title>")); i >= 0 {
			rest := pg.Body[i+len("<title>"):]
			if j := bytes.Index(rest, []byte("</title>")); j >= 0 {
				titles = append(titles, normalizeSpace(string(rest[:j])))
			}
		}
	}
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			for _, t := range titles {
				titleSeps(t)
				firstTitleSep(t)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) { // as the two did before, from titleSepStart
		for b.Loop() {
			for _, t := range titles {
				if k := titleSepStart(t); k >= 0 {
					titleSep.FindAllStringIndex(t[k:], -1)
					titleSep.FindStringIndex(t[k:])
				}
			}
		}
	})
}

// BenchmarkSameName compares a headline-length string with a page's site
// names, as isOutletName does for each candidate, by sameName and by the
// lowering copies it replaced (once for the string, once per name).
func BenchmarkSameName(b *testing.B) {
	names := []string{"예시일보", "Yesi Ilbo", "", "", "네이버 뉴스", "다음뉴스", "Daum"}
	s := "대통령, 오늘 국무회의 주재…\"민생 법안 처리\" 당부"
	b.Run("sameName", func(b *testing.B) {
		for b.Loop() {
			for _, n := range names {
				sameName(s, n)
			}
		}
	})
	b.Run("lower", func(b *testing.B) { // isOutletName before
		for b.Loop() {
			ls := strings.ToLower(strings.ReplaceAll(s, " ", ""))
			for _, n := range names {
				if n = strings.ToLower(strings.ReplaceAll(n, " ", "")); n != "" && n == ls {
					break
				}
			}
		}
	})
}

// refValidNFC is what seal did before validNFC: two passes, decoding
// every character.
func refValidNFC(s string) string { return norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD")) }

// TestValidNFCEdges covers the syllable block's byte boundaries, composing
// and reordered characters around syllables and ASCII, and invalid bytes.
func TestValidNFCEdges(t *testing.T) {
	for _, s := range []string{
		"", "a", "가", "힣", "\xed\x9e\xa3", "\xed\x9e\xa4", "\xea\xb0\x80", "\xea\xaf\xbf", "\ud7b0",
		"e\u0301", "가\u0301", "\u1100\u1161", "가\u11a8", "\u1100\u1161\u11a8 기사",
		"a\u0323\u0301", "a\u0301\u0323", "\ua8e0\ua8c4가", "한\u2001국", "“기사”·‘인용’…",
		"\xff", "가\xed\xa0\x80나", "abc\xe1\x84", "\xea\xb0", "가\xc3", "\xc3\x28e\u0301",
	} {
		if got, want := validNFC(s), refValidNFC(s); got != want {
			t.Errorf("validNFC(%+q) = %+q; want %+q", s, got, want)
		}
	}
}

func FuzzValidNFC(f *testing.F) {
	for _, s := range []string{"가나다 abc", "e\u0301가", "\u1100\u1161", "\xff가", "“인용”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validNFC(s), refValidNFC(s); got != want {
			t.Errorf("validNFC(%+q) = %+q; want %+q", s, got, want)
		}
	})
}

// BenchmarkValidNFC runs validNFC and the two passes it replaced
// (strings.ToValidUTF8, then the NFC check that decoded every character,
// oldNFC) over the texts the parser gives for the corpus pages: compare the
// two sub-benchmarks' ns/op.
func BenchmarkValidNFC(b *testing.B) {
	p := newParser(b)
	var texts []string
	for _, pg := range corpusPages(b) {
		a, err := p.Parse(pg)
		if err != nil {
			continue
		}
		texts = append(texts, a.Title, a.Subtitle, a.Body, a.Section, a.Copyright, a.Outlet.Name)
		for _, r := range a.Reporters {
			texts = append(texts, r.Name)
		}
	}
	for _, c := range []struct {
		name string
		fn   func(string) string
	}{{"one-pass", validNFC}, {"two-pass", func(s string) string { return oldNFC(strings.ToValidUTF8(s, "\uFFFD")) }}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range texts {
					_ = c.fn(s)
				}
			}
		})
	}
}

// oldNFC is the NFC check seal used before validNFC.
func oldNFC(s string) string {
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if r < utf8.RuneSelf || hangulSyllable(r) {
			i += size
			continue
		}
		_, before := utf8.DecodeLastRuneInString(s[:i])
		k := i + size
		for k < len(s) {
			r, size := rune(s[k]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[k:])
			}
			if r < utf8.RuneSelf || hangulSyllable(r) {
				break
			}
			k += size
		}
		if !norm.NFC.IsNormalString(s[i-before : k]) {
			return norm.NFC.String(s)
		}
		i = k
	}
	return s
}

// TestGarbledEdges puts each kind garbled counts at every offset of an
// eight-byte word and across its end, beside the white space and
// characters it must not count.
func TestGarbledEdges(t *testing.T) {
	for _, x := range []string{"\x00", "\x01", "\x08", "\x0b", "\x0e", "\x1f", "\x7f", "\u0080", "\u009f", "\ufffd",
		"\t", "\n", "\f", "\r", " ", "~", "\u00a0", "·", "\u00ff", "가", "\uffff", "\U0001F600", "\u2028"} {
		for pre := range 17 {
			for _, post := range []string{"", "a", "가나다라마바사아"} {
				checkGarbled(t, []byte(strings.Repeat("a", pre)+x+post))
				checkGarbled(t, []byte(strings.Repeat("가", pre/3)+x+x+post))
			}
		}
	}
}

func FuzzGarbled(f *testing.F) {
	for _, s := range []string{"가나다\x00abc", "\ufffd\u0085text\x7f", "plain ascii text, long enough", "\xc2\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkGarbled(t, []byte(strings.ToValidUTF8(string(b), "\uFFFD")))
	})
}

// BenchmarkGarbled runs garbled over the decoded corpus pages, full and
// small (see smallPage).
func BenchmarkGarbled(b *testing.B) {
	var texts [][]byte
	size := 0
	for _, pg := range corpusPages(b) {
		text, _, err := decode(pg.Body, pg.ContentType)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, text)
		size += len(text)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, t := range texts {
			garbled(t)
		}
	}
}

// TestResolveFastPath: an absolute reference with no dot segments is used
// as it is; one with them, a protocol-relative or a relative one is
// resolved against the page's URL, as url.ResolveReference does.
func TestResolveFastPath(t *testing.T) {
	base, _ := url.Parse("https://news.example.com/a/b/view.html?id=1")
	pg := &page{base: base, ref: base}
	for _, ref := range []string{
		"https://img.example.com/p/1.jpg", "http://news.example.com", "https://x.example.com/a//b?q=1#top",
		"https://x.example.com/a/./b/../c.jpg", "https://x.example.com/a/..", "//cdn.example.com/p.jpg",
		"../p/2.jpg", "./3.jpg", "/root.jpg", "4.jpg?x=1", "https:opaque", "https://x.example.com/%2e/y",
	} {
		u, err := url.Parse(ref)
		if err != nil {
			t.Fatal(err)
		}
		want := base.ResolveReference(u)
		w := ""
		if want.Scheme == "http" || want.Scheme == "https" {
			want.Fragment = ""
			w = want.String()
		}
		if got := pg.resolve(ref); got != w {
			t.Errorf("resolve(%q) = %q, want %q", ref, got, w)
		}
	}
}

// TestParagraphsUpTo: the first paragraphs of an element, read without
// walking the rest of it, are the first ones of the whole walk.
func TestParagraphsUpTo(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div id="x"><p>하나</p>둘<br>셋<div><p>넷</p><span>다섯</span><b>여섯</b></div>` +
		`<strong>일곱<br>여덟</strong><table><tr><td>아홉</td><td>열</td></tr></table><ul><li>열하나</li></ul>열둘</div>`))
	if err != nil {
		t.Fatal(err)
	}
	var x *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && attr(n, "id") == "x" {
			x = n
		}
		for c := n.FirstChild; c != nil && x == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	all := paragraphs(x, nil)
	if len(all) < 8 {
		t.Fatalf("paragraphs = %q", all)
	}
	for k := 1; k <= len(all)+1; k++ {
		if got, want := paragraphsUpTo(x, nil, false, k), all[:min(k, len(all))]; !slices.Equal(got, want) {
			t.Errorf("limit %d: %q, want %q", k, got, want)
		}
	}
}

// FuzzFlattenDeep: flattening any bytes gives a page html.Parse accepts,
// and never drops text outside tags.
func FuzzFlattenDeep(f *testing.F) {
	f.Add([]byte(`<p>하나<font><font>둘</font></font></p><script>"</div>"</script>`))
	f.Add([]byte(`<div><div><ul><li>셋<table><tr><td>넷</div>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		flat := flattenDeep(page)
		if len(page) > 0 && len(flat) == 0 && bytes.ContainsAny(page, "abcdefghijklmnopqrstuvwxyz") && !bytes.Contains(page, []byte("<")) {
			t.Fatalf("text lost: %q", page)
		}
		if _, err := html.Parse(bytes.NewReader(flat)); err != nil {
			t.Fatalf("html.Parse refuses the flattened page: %v", err)
		}
	})
}

// TestZeroFontSize: text set in a zero font size is hidden; a small one
// is not.
func TestZeroFontSize(t *testing.T) {
	for style, want := range map[string]bool{
		"font-size:0": true, "font-size:0px": true, "color:#fff;font-size:0;": true, "font-size:00pt": true,
		"font-size:0!important": true, "font-size:0em": true, "font-size:0%": true,
		"font-size:0.9em": false, "font-size:0.5px": false, "font-size:10px": false, "line-height:0": false, "": false,
	} {
		if got := zeroFontSize(style); got != want {
			t.Errorf("zeroFontSize(%q) = %v, want %v", style, got, want)
		}
	}
}
