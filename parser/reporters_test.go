package parser

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
)

// parserModes returns a parser with the built-in profiles and one with none,
// as an outlet gisa has never seen gets it: the generic layers must find
// every field on their own.
func parserModes(t *testing.T) map[string]*Parser {
	t.Helper()
	return map[string]*Parser{"profiles": newParser(t), "no-profiles": genericParser(t)}
}

// genericParser returns a parser with no outlet profile: the generic
// layers alone.
func genericParser(t *testing.T) *Parser {
	t.Helper()
	none, err := NewProfiles()
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Options{Profiles: none})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// invented article text, long enough for the generic extractor.
const inventedBody = `<p>시는 올해 하반기부터 시내버스 노선 열두 개를 새로 짜고 배차 간격을 줄이기로 했다고 밝혔다.</p>
<p>새 노선은 신도시와 구도심을 잇는 간선 세 개와 마을을 도는 지선 아홉 개로 이뤄진다. 시는 주민 설명회를 두 차례 열었다.</p>
<p>버스 업계는 운전기사가 부족하다며 증차에 앞서 처우 개선이 필요하다고 요구했다. 시는 예산을 추가로 편성할 계획이다.</p>
<p>시 관계자는 "출퇴근 시간의 혼잡을 줄이는 데 초점을 맞췄다"며 "시민 의견을 더 듣겠다"고 말했다.</p>`

// reporterPage builds an invented article page: head holds extra head
// elements, header what stands between the headline and the body, tail
// what follows the body inside the article, outside what stands in the
// page's side and navigation areas.
func reporterPage(head, header, bodyEnd, tail, outside string) string {
	return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시신문</title>
<meta property="og:site_name" content="예시신문"><meta property="og:type" content="article">
<meta property="article:published_time" content="2024-03-05T09:10:00+09:00">` + head + `</head><body>
<nav class="gnb"><ul><li><a href="/politics">정치</a></li><li><a href="/society">사회</a></li></ul>` + outside + `</nav>
<div id="container"><div class="article_wrap">
<div class="article_head"><h1 class="headline">시내버스 노선 전면 개편</h1>` + header + `</div>
<div class="article_body">` + inventedBody + bodyEnd + `</div>` + tail + `
</div><aside class="side"><div class="side_writer_list"><p class="writer_name">오민석 칼럼니스트</p><p class="writer_name">배수진 기자</p></div></aside></div>
<footer><p>예시신문 | 등록번호 서울 아00000</p></footer></body></html>`
}

func TestReportersOutsideBody(t *testing.T) {
	for _, c := range []struct {
		name                             string
		head, header, end, tail, outside string
		want                             []article.Reporter
	}{
		// Header byline elements, in several outlets' shapes.
		{name: "span.name with role and address",
			header: `<span class="name">한지수 기자 jisu@example.co.kr</span>`,
			want:   []article.Reporter{rep("한지수", "기자", "jisu@example.co.kr")}},
		{name: "portal-style journalist em, one per reporter",
			head:   `<meta property="og:article:author" content="예시뉴스 | 포털">`,
			header: `<div class="head_journalist"><em class="head_journalist_name">권하늘 기자</em><em class="head_journalist_name">문서진 기자</em></div>`,
			want:   []article.Reporter{rep("권하늘", "기자", ""), rep("문서진", "기자", "")}},
		{name: "bare name in a byline box after the body",
			tail: `<div class="byline"><p class="b_text">
					박서연
				</p></div>`,
			want: []article.Reporter{rep("박서연", "", "")}},
		{name: "writer element with a link",
			header: `<div class="writer_info"><a href="/writer?id=3"><span class="writer_fullname"> 최민호 기자 </span></a></div>`,
			want:   []article.Reporter{rep("최민호", "기자", "")}},
		{name: "reporter element with a credit prefix",
			header: `<p class="reporter">글·사진=정하늘 기자</p>`,
			want:   []article.Reporter{rep("정하늘", "기자", "")}},
		{name: "author element with an English byline wins over a Korean meta name",
			head:   `<meta name="author" content="이맥스">`,
			header: `<div class="article-author">By Max Lee</div>`,
			want:   []article.Reporter{rep("Max Lee", "", "")}},
		{name: "visible byline wins over a desk in meta",
			head:   `<meta name="dable:author" content="디지털뉴스부">`,
			header: `<div class="journalist">홍길동 기자</div>`,
			want:   []article.Reporter{rep("홍길동", "기자", "")}},
		{name: "header and body byline agree: one reporter, merged",
			header: `<div class="byline"><span>홍길동 기자</span></div>`,
			end:    `<p>홍길동 기자 hong@example.com</p>`,
			want:   []article.Reporter{rep("홍길동", "기자", "hong@example.com")}},
		{name: "header names the first reporter, the body both",
			header: `<div class="byline"><span>홍길동 기자</span></div>`,
			end:    `<p>홍길동 기자 hong@example.com 김철수 기자 kim@example.com</p>`,
			want:   []article.Reporter{rep("홍길동", "기자", "hong@example.com"), rep("김철수", "기자", "kim@example.com")}},
		{name: "two reporters in one header element",
			header: `<div class="byline">홍길동·김철수 기자</div>`,
			want:   []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}},
		{name: "archive viewer line with two reporters",
			header: `<p class="reporter_area">홍길동 김철수 기자</p>`,
			want:   []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}},
		{name: "closing byline whose address is a link",
			end:  `<br><br>김하늘 칼럼니스트 <a href="mailto:sky@example.com">sky@example.com</a><br><br>[사진=예시방송]<br><br>저작권자 ⓒ 예시신문 무단전재 및 재배포금지`,
			want: []article.Reporter{rep("김하늘", "칼럼니스트", "sky@example.com")}},
		{name: "closing byline link list after the body",
			tail: `<div class="art_foot"><p><a href="mailto:jin@example.com">이수진 기자 jin@example.com</a></p></div>`,
			want: []article.Reporter{rep("이수진", "기자", "jin@example.com")}},
		{name: "closing byline that is a mailto link",
			end:  `<p><a href="mailto:jin@example.com">이수진 기자</a></p>`,
			want: []article.Reporter{rep("이수진", "기자", "jin@example.com")}},
		{name: "header byline with a mail button",
			header: `<div class="x5">한별 기자 <a href="mailto:star@example.com?subject=기사문의" class="x6">메일 보내기</a></div>`,
			want:   []article.Reporter{rep("한별", "기자", "star@example.com")}},
		{name: "a mailto in the text names no reporter",
			end:  `<p>문의는 <a href="mailto:bus@example.go.kr">시 교통국</a>으로 하면 된다.</p><p>한별 기자</p>`,
			want: []article.Reporter{rep("한별", "기자", "")}},
		// Header lines with no byline class, as CMSs print them.
		{name: "info list with a user icon",
			header: `<ul class="infomation"><li><i class="icon-user-o"></i> 한별 기자</li><li><i class="icon-clock-o"></i> 입력 2024.03.05 09:10</li></ul>`,
			want:   []article.Reporter{rep("한별", "기자", "")}},
		{name: "info spans: name then date",
			header: `<span class="info_view"><span class="txt_info">이종민 기자</span> <span class="txt_info">입력 2024. 3. 5. 09:10</span></span>`,
			want:   []article.Reporter{rep("이종민", "기자", "")}},
		{name: "one line: name, letter-l separators, dates",
			header: `<div class="txt_box">안수진 기자 l 기사입력 2024-03-05 19:01 l 최종수정 2024-03-05 19:56</div>`,
			want:   []article.Reporter{rep("안수진", "기자", "")}},
		{name: "credit line under the headline",
			header: `<p class="sub_info">글=김민지 객원기자</p>`,
			want:   []article.Reporter{rep("김민지", "객원기자", "")}},
		{name: "subtitle mentioning a reporter is not a byline",
			header: `<h2 class="sub_title">홍길동 기자가 만난 버스 기사들</h2><p>사진=예시통신</p>`,
			want:   nil},
		// Meta and structured data, when the page shows no byline.
		{name: "meta author alone",
			head: `<meta name="author" content="김철수 기자">`,
			want: []article.Reporter{rep("김철수", "기자", "")}},
		{name: "dable:author alone",
			head: `<meta property="dable:author" content="박민수">`,
			want: []article.Reporter{rep("박민수", "", "")}},
		{name: "article:author URL, then a name",
			head: `<meta property="article:author" content="https://www.facebook.com/examplenews"><meta name="author" content="Lee Min-ho">`,
			want: []article.Reporter{rep("Lee Min-ho", "", "")}},
		{name: "meta author that is the site name",
			head: `<meta name="author" content="예시신문">`,
			want: nil},
		{name: "JSON-LD author that is the outlet, then the visible byline",
			head:   `<script type="application/ld+json">{"@type":"NewsArticle","headline":"시내버스 노선 전면 개편","author":{"@type":"Person","name":"Example Daily News"},"publisher":{"@type":"Organization","name":"Example Daily News"}}</script>`,
			header: `<span class="byline_name">한지수 기자</span>`,
			want:   []article.Reporter{rep("한지수", "기자", "")}},
		{name: "JSON-LD author URL",
			head: `<script type="application/ld+json">{"@type":"NewsArticle","headline":"시내버스 노선 전면 개편","author":[{"@type":"Person","name":"https://news.example.com/reporter/12"},{"@type":"Person","name":"정하늘 기자","email":"sky@example.com"}]}</script>`,
			want: []article.Reporter{rep("정하늘", "기자", "sky@example.com")}},
		{name: "JSON-LD name and the visible address agree",
			head:   `<script type="application/ld+json">{"@type":"NewsArticle","headline":"시내버스 노선 전면 개편","author":{"@type":"Person","name":"정하늘"}}</script>`,
			header: `<div class="byline">정하늘 기자 sky@example.com</div>`,
			want:   []article.Reporter{rep("정하늘", "기자", "sky@example.com")}},
		{name: "reporter card with the reporter's other headlines",
			tail: `<div class="journalist_card"><p class="journalist_name">오세진 기자</p><ul class="journalist_news"><li class="journalist_item"><a href="/article/1">경기도 내달 여주에 반려동물 공원 준공</a></li><li class="journalist_item"><a href="/article/2">김포시 정왕동 도로 개통</a></li></ul></div>`,
			want: []article.Reporter{rep("오세진", "기자", "")}},
		{name: "English byline with widget words",
			header: `<div class="author-block"><span class="author-name">Anna Kim</span> <a class="author-follow">Follow</a></div>`,
			want:   []article.Reporter{rep("Anna Kim", "", "")}},
		// Not reporters.
		{name: "name classes holding a section and reactions",
			header: `<span class="cate_name">사회</span><span class="like_name">좋아요</span><span class="editor_pick">정치</span>`,
			want:   nil},
		{name: "writer lists in navigation and side areas",
			outside: `<ul class="writer_list"><li class="writer">최고봉 칼럼니스트</li><li class="writer">나지혜 기자</li></ul>`,
			want:    nil},
		// Author fields with a label, in the header: ND-soft's 기자명, a
		// board's 작성자, English "Written by".
		{name: "기자명 label in the header",
			header: `<ul class="x9"><li>기자명 한지수 기자</li><li>입력 2024.03.05 09:10</li></ul>`,
			want:   []article.Reporter{rep("한지수", "기자", "")}},
		{name: "작성자 label in the header",
			header: `<div class="x9">작성자 : 한지수</div>`,
			want:   []article.Reporter{rep("한지수", "", "")}},
		{name: "a byline with its links",
			header: `<div class="x9">한지수 기자 <a href="/reporter/7">다른기사 보기</a></div>`,
			want:   []article.Reporter{rep("한지수", "기자", "")}},
		{name: "English label in the header",
			header: `<div class="x9">Written by Han Ji-su</div>`,
			want:   []article.Reporter{rep("Han Ji-su", "", "")}},
		{name: "a label below the body names a comment's author",
			tail: `<div class="x8"><p>작성자 : 김댓글러</p><p>좋은 기사네요</p></div>`,
			want: nil},
		{name: "comment authors",
			tail: `<div class="comment_list"><span class="comment_author">김댓글</span><span class="reply_writer">이답글 기자</span></div>`,
			want: nil},
		{name: "a bracketed program name in a byline element",
			header: `<div class="byline">[정치쇼]</div>`,
			want:   nil},
	} {
		page := reporterPage(c.head, c.header, c.end, c.tail, c.outside)
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a := pageReporters(t, p, page, c.want)
				if strings.Contains(a.Body, "기자") {
					t.Errorf("body keeps a byline: %q", a.Body)
				}
			})
		}
	}
}

// TestReportersInText: reporters named only in the text, in forms the
// byline lines do not take whole: a byline glued after the last sentence
// (it leaves the body), and a TV anchor's hand-off before the report's
// label (it stays in the transcript).
func TestReportersInText(t *testing.T) {
	for _, c := range []struct {
		name, end string
		want      []article.Reporter
		keep      string // text the body must keep ("" for none)
		drop      string // text the body must not keep
	}{
		{"slash byline glued to the last sentence", `<p>시는 예산을 추가로 편성한다. /김태연 기자</p>`,
			[]article.Reporter{rep("김태연", "기자", "")}, "편성한다.", "김태연"},
		{"byline and address glued to the last sentence", `<p>시는 예산을 추가로 편성한다. 세종=김태연 기자 ty@example.com</p>`,
			[]article.Reporter{rep("김태연", "기자", "ty@example.com")}, "편성한다.", "김태연"},
		{"photo credit glued to the last sentence", `<p>시는 예산을 추가로 편성한다. 사진=김태연 기자</p>`,
			nil, "", ""},
		{"KBS-style hand-off", `<p>김수연 기자입니다.</p><p>[리포트]</p><p>버스 정류장에는 아침부터 시민들이 길게 줄을 섰습니다.</p>`,
			[]article.Reporter{rep("김수연", "기자", "")}, "김수연 기자입니다.", ""},
		{"MBN-style hand-off", `<p>안진우 기자입니다.</p><p>【 기자 】</p><p>버스 정류장에는 아침부터 시민들이 길게 줄을 섰습니다.</p>`,
			[]article.Reporter{rep("안진우", "기자", "")}, "안진우 기자입니다.", ""},
		{"hand-off with no report after it", `<p>안진우 기자입니다.</p>`, nil, "", ""},
	} {
		page := reporterPage("", "", c.end, "", "")
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a := pageReporters(t, p, page, c.want)
				if c.keep != "" && !strings.Contains(a.Body, c.keep) {
					t.Errorf("body lost %q: %q", c.keep, a.Body)
				}
				if c.drop != "" && strings.Contains(a.Body, c.drop) {
					t.Errorf("body keeps %q: %q", c.drop, a.Body)
				}
			})
		}
	}
}

// pageReporters parses the invented page with p and checks its reporters
// (none is nil); it returns the article for the caller's other checks.
func pageReporters(t *testing.T, p *Parser, page string, want []article.Reporter) article.Article {
	t.Helper()
	a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	got := a.Reporters
	if len(got) == 0 {
		got = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reporters = %#v, want %#v (source %q)", got, want, a.Extraction.Sources["reporters"])
	}
	return a
}

// TestCloudflareEmail: an address a site's Cloudflare front hides
// ("[email protected]", the address XOR-coded in data-cfemail or after
// the link's #) is read as the reader's browser shows it, in the three
// forms the obfuscation writes; a code that is no address changes nothing.
func TestCloudflareEmail(t *testing.T) {
	const addr = "hong@example.com"
	code := []byte{0x5a}
	for i := 0; i < len(addr); i++ {
		code = append(code, addr[i]^0x5a)
	}
	h := hex.EncodeToString(code)
	for name, byline := range map[string]string{
		"link with data-cfemail":  `홍길동 기자 <a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="` + h + `">[email&#160;protected]</a>`,
		"span with data-cfemail":  `홍길동 기자 <span class="__cf_email__" data-cfemail="` + h + `">[email&#160;protected]</span>`,
		"code after the link's #": `홍길동 기자 <a href="/cdn-cgi/l/email-protection#` + h + `">[email&#160;protected]</a>`,
	} {
		page := `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body><h1>정부, 반도체 예산 2조 편성</h1>
<p>입력 2024.12.03 10:21</p><div class="article_body">` + inventedBody + `<p>` + byline + `</p></div></body></html>`
		for mode, p := range parserModes(t) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/view/1", Body: []byte(page)})
			if err != nil {
				t.Fatalf("%s/%s: %v", mode, name, err)
			}
			if len(a.Reporters) != 1 || a.Reporters[0] != (article.Reporter{Name: "홍길동", Email: addr, Role: "기자"}) || strings.Contains(a.Body, "protected") {
				t.Errorf("%s/%s: reporters %v, body ends %q", mode, name, a.Reporters, a.Body[max(0, len(a.Body)-60):])
			}
		}
	}
	for _, bad := range []string{"", "zz", "5a", "5a3235", "not-hex-at-all"} {
		if got := cfDecode(bad); got != "" {
			t.Errorf("cfDecode(%q) = %q, want nothing", bad, got)
		}
	}
}
