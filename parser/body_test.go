package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gisa-news/gisa/article"
)

// TestClassifyUnseenLines: stock notices, datelines alone on a line and
// transcript turns, in several outlets' wordings (all invented).
func TestClassifyUnseenLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		want lineKind
	}{
		{"▲위 사진은 기사 내용과 직접적인 관련이 없습니다", lineNotice},
		{"※ 위 이미지는 기사와 관련 없음", lineNotice},
		{"(사진은 기사 내용과 관계없음)", lineNotice},
		{"※ 이 기사는 특정 종목의 매수·매도 권유와 관련이 없습니다.", lineNotice},
		{"우울감 등 말하기 어려운 고민이 있거나 주변에 이런 어려움을 겪는 가족·지인이 있을 경우 자살예방 상담전화 ☎109 또는 SNS상담 앱에서 24시간 전문가의 상담을 받을 수 있습니다.", lineNotice},
		{"※ 자살예방 핫라인 ☎1577-0199, 생명의 전화 ☎1588-9191", lineNotice},
		{"※ 인터뷰 내용을 인용 보도할 때는 프로그램명 '예시라디오 뉴스쇼'를 정확히 밝혀주시기 바랍니다.", lineNotice},
		{"이 기사는 예시방송 라디오 방송 내용 인용 시 반드시 출처를 밝혀주시기 바랍니다.", lineNotice},
		{"(ATTN: UPDATES with details in paras 5-7; ADDS photo)", lineNotice},
		{"입력 2020.08.27 20:27", lineDate},
		{"입력 2023-04-04 19:01 | 수정 2023-04-04 19:56", lineDate},
		{"[기사입력 2023.04.04 19:01]", lineDate},
		{"기사입력 2017.05.12. 오후 02:09 최종수정 2017.05.12. 오후 02:09 기사원문", lineDate}, // a portal's link to the outlet's page
		{"입력 2024.05.30 10:00 | 수정 2024.05.30 11:00 | 원문보기", lineDate},
		{"입력 2024.05.30 10:00 원문 보기", lineDate},
		{"기사원문은 2024.05.30 10:00에 수정됐다고 밝혔다.", lineText},
		{"Updated : Nov. 7, 2023, 15:30", lineDate},
		{"▷김태현 : 네.", lineText},
		{"◆ 홍길동> 네.", lineText},
		{"▶ 박재홍 > 그렇죠.", lineText},
		{"▷ 앵커: 어떻게 보십니까?", lineText},
		{"▶ 관련기사 : 정부 반도체 대책 발표", linePromo},
		{"▶ 네이버에서 예시일보 구독하기", linePromo},
		// Prose that mentions the same words stays text.
		{"그는 \"사진은 기사와 관련이 없다\"고 주장했지만 법원은 받아들이지 않았다.", lineText},
		{"정부는 자살예방 상담전화 번호를 109로 통합했다고 5일 밝혔다.", lineText},
		{"입력 장치가 2020년 8월 27일 고장 났다.", lineText},
		{"수정 예산안은 2024.03.05 국회를 통과했다.", lineText},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := classifyLine(c.in); got != c.want {
				t.Errorf("classifyLine(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

// TestCleanBodyUnseen runs the body rules on invented paragraphs, as the
// generic extractor hands them over (no profile).
func TestCleanBodyUnseen(t *testing.T) {
	const s1 = "정부가 반도체 산업에 10조원을 투입한다고 5일 밝혔다."
	const s2 = "업계는 환영의 뜻을 밝히며 세부 계획을 기다리고 있다."
	for _, c := range []struct {
		name     string
		subtitle string
		paras    []string
		body     string
		subOut   string // the subtitle after cleaning, when checked
	}{
		{"bold lead box before the wire dateline", "",
			[]string{"정부, 반도체에 10조 투입", "업계 \"환영\"…세부안 이달 발표", "(서울=연합뉴스) 홍길동 기자 = " + s1, s2},
			s1 + "\n\n" + s2, "정부, 반도체에 10조 투입\n업계 \"환영\"…세부안 이달 발표"},
		{"lead box with a bracket dateline", "",
			[]string{"- 10조 투입 계획 발표", "[예시일보=홍길동 기자] " + s1, s2},
			s1 + "\n\n" + s2, "- 10조 투입 계획 발표"},
		{"paragraphs repeating the subtitle's lines", "반도체에 10조 투입\n세부안은 이달 말 발표",
			[]string{"반도체에 10조 투입", "세부안은 이달 말 발표", s1, s2}, s1 + "\n\n" + s2, ""},
		{"a paragraph holding the subtitle", "반도체에 10조 투입…세부안은 이달 말",
			[]string{"[요약] 반도체에 10조 투입…세부안은 이달 말", s1, s2}, s1 + "\n\n" + s2, ""},
		{"dateline line and notices inside the body", "",
			[]string{"입력 2020.08.27 20:27", s1, "▲위 사진은 기사 내용과 직접적인 관련이 없습니다", s2,
				"우울감 등 말하기 어려운 고민이 있거나 주변에 이런 어려움을 겪는 가족·지인이 있을 경우 자살예방 상담전화 ☎109에서 24시간 상담을 받을 수 있습니다."},
			s1 + "\n\n" + s2, ""},
		{"trailing photo credits", "", []string{s1, s2, "삼성전자 제공"}, s1 + "\n\n" + s2, ""},
		{"trailing agency credit", "", []string{s1, s2, "게티이미지뱅크"}, s1 + "\n\n" + s2, ""},
		{"trailing outlet photo archive credit", "", []string{s1, s2, "예시일보 DB"}, s1 + "\n\n" + s2, ""},
		{"a video's title under it", "", []string{s1, "[영상] 반도체 지원책 발표 현장", s2}, s1 + "\n\n" + s2, ""},
		{"broadcast transcript turns", "",
			[]string{"▷김태현 : 오늘 첫 소식입니다. 정부 발표 내용 정리해 주시죠.", "▶ 홍길동 : 네.", "▷김태현 : 그렇군요.", "◆ 홍길동> 네. " + s2},
			"▷김태현 : 오늘 첫 소식입니다. 정부 발표 내용 정리해 주시죠.\n\n▶ 홍길동 : 네.\n\n▷김태현 : 그렇군요.\n\n◆ 홍길동> 네. " + s2, ""},
		{"English wire editor's note", "",
			[]string{"(ATTN: UPDATES with details in paras 3-4)", "SEOUL, March 5 (Yonhap) -- The government will invest 10 trillion won in chips.", "Industry welcomed the plan."},
			"The government will invest 10 trillion won in chips.\n\nIndustry welcomed the plan.", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			pg := &page{meta: map[string]string{}}
			f := &fields{sources: map[string]string{}, bodyParas: c.paras}
			f.a.Title = "반도체 지원책 발표"
			f.a.Subtitle = c.subtitle
			pg.cleanBody(f)
			if f.a.Body != c.body {
				t.Errorf("body = %q\nwant   %q", f.a.Body, c.body)
			}
			if c.subOut != "" && f.a.Subtitle != c.subOut {
				t.Errorf("subtitle = %q, want %q", f.a.Subtitle, c.subOut)
			}
		})
	}
}

// TestRelatedListIsNotBody: a page whose article container is empty (the
// text is loaded by script) and whose neighbour is a related list with
// summaries gives no article rather than the list.
func TestRelatedListIsNotBody(t *testing.T) {
	items := `<li><a href="/news/articleView.html?idxno=1001">정부, 반도체 지원 10조 투입</a><p>정부가 반도체 산업에 10조원을 투입한다고 5일 밝혔다. 산업부는 세부 계획을 이달 말 발표할 예정이다.</p></li>
<li><a href="/news/articleView.html?idxno=1002">수출 석 달째 증가세 이어가</a><p>지난달 수출이 석 달 연속 증가했다. 반도체와 자동차가 증가세를 이끌었다고 산업부는 설명했다.</p></li>
<li><a href="/news/articleView.html?idxno=1003">한은, 기준금리 동결 결정</a><p>한국은행이 기준금리를 연 3.5%로 동결했다. 물가 경로를 더 지켜봐야 한다는 판단에서다.</p></li>`
	for _, c := range []struct{ name, box string }{
		{"heading inside the box", `<div class="news_list"><h3>관련 뉴스</h3><ul>` + items + `</ul></div>`},
		{"heading before the list", `<h3>이 기사와 함께 본 뉴스</h3><ul class="list">` + items + `</ul>`},
		{"box named as related", `<div id="relatedNews"><ul>` + items + `</ul></div>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := `<!doctype html><html><head><meta charset="utf-8"><title>속보 제목 - 예시일보</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-03-05T09:30:00+09:00"></head><body>
<div id="container"><h1>속보 제목</h1><div class="date">입력 2024.03.05 09:30</div>
<div id="articleBody" class="article_body"></div>` + c.box + `</div></body></html>`
			bothModes(t, article.Page{URL: "https://www.example-ilbo.co.kr/news/articleView.html?idxno=999", Body: []byte(page)},
				func(t *testing.T, a article.Article, err error) {
					if strings.Contains(a.Body, "10조원") || err == nil {
						t.Errorf("body = %.60q, err = %v; want no body (ErrNotArticle)", a.Body, err)
					}
				})
		})
	}
}

// TestCollapsedPanelsAreNotBody: the layers a page shows only when a
// button marked aria-expanded="false" is pressed (a portal's automatic
// summary, text-to-speech and share menus) are not article text, whatever
// their class names; an expanded one, and text before a collapsed "more"
// button, are read.
func TestCollapsedPanelsAreNotBody(t *testing.T) {
	const text = `<p>【서울=예시통신】홍길동 기자 = 서울시는 내년부터 시내버스 노선 세 개를 새로 만들어 북부 지역과 항만 지역을 잇기로 했다고 5일 밝혔다.</p>
<p>시 관계자는 첫 노선이 봄에 개통될 예정이며 요금은 최소 2년 동안 동결된다고 설명했다.</p>
<p>회의에 참석한 주민들은 계획을 환영하면서도 변화가 왜 이렇게 늦었는지 물었다.</p>`
	for _, c := range []struct{ name, tools, after, want, notWant string }{
		{"summary layer", `<div class="u1"><button type="button" class="u2" aria-expanded="false"><span>자동요약</span></button>
<div class="u3"><div class="u4"><p>서울시는 내년부터 시내버스 노선 세 개를 새로 만들어 북부 지역과 항만 지역을 잇기로 했다.</p>
<p>시 관계자는 요금은 최소 2년 동안 동결된다고 설명했다.</p><span>기사 제목과 주요 문장을 기반으로 자동요약한 결과입니다.</span></div></div></div>`, "", "", "자동요약"},
		{"text-to-speech and font menus", `<div class="t1"><button aria-expanded="false">음성으로 듣기</button>
<div class="t2"><strong>음성 기사 옵션 조절 레이어</strong><p>남성 여성 느림 보통 빠름 이 기사를 음성으로 들으실 수 있습니다.</p></div>
<button aria-expanded="false">글자 크기</button><ul><li>가장 작게 보기 설정</li><li>가장 크게 보기 설정</li></ul></div>`, "", "", "옵션 조절"},
		{"share menu behind a link acting as a button", `<a href="#" role="button" aria-expanded="false">공유하기</a>
<div><p>이 기사를 친구에게 카카오톡으로 공유하고 페이스북에도 공유해 보세요.</p></div>`, "", "", "카카오톡"},
		{"an expanded panel is read", "", `<button aria-expanded="true">접기</button><div><p>시는 노선별 배차 간격을 출퇴근 시간대에 10분 이내로 유지할 계획이라고 덧붙였다.</p></div>`, "배차 간격", ""},
		// A mobile page's article cut short before "기사 더보기": the rest
		// is the article's.
		{"the article's rest behind a read-more button", "", `<button type="button" aria-expanded="false">기사 더보기</button><div class="w3">
<p>시는 노선별 배차 간격을 출퇴근 시간대에 10분 이내로 유지할 계획이라고 덧붙였다. 버스 업계는 기사 충원이 먼저라고 했다.</p>
<p>시의회는 다음 달 관련 예산을 심의한다. 예산이 통과되면 시는 올해 안에 버스 서른 대를 새로 들일 예정이다.</p>
<p>시민단체는 노선 개편이 교통 약자의 이동권을 넓히는 방향이어야 한다고 요구했다. 시는 의견을 더 듣겠다고 밝혔다.</p></div>`, "버스 서른 대", ""},
		// The rest hidden by its style until a toggle beside it (before
		// or after) is pressed.
		{"the rest hidden after a more button", "", `<button type="button" class="w4" onclick="more()">기사 더보기</button><div id="w5" style="display: none">` + "\n" + `<p>시는 노선별 배차 간격을 출퇴근 시간대에 10분 이내로 유지할 계획이라고 덧붙였다. 버스 업계는 기사 충원이 먼저라고 했다.</p>
<p>시의회는 다음 달 관련 예산을 심의한다. 예산이 통과되면 시는 올해 안에 버스 서른 대를 새로 들일 예정이다.</p></div>`, "버스 서른 대", ""},
		{"the rest hidden before a more link", "", `<div id="w5" style="display:none"><p>시는 노선별 배차 간격을 출퇴근 시간대에 10분 이내로 유지할 계획이라고 덧붙였다. 버스 업계는 기사 충원이 먼저라고 했다.</p>
<p>시의회는 다음 달 관련 예산을 심의한다. 예산이 통과되면 시는 올해 안에 버스 서른 대를 새로 들일 예정이다.</p></div><a href="javascript:more()" class="w4">본문 더보기 ▼</a>`, "버스 서른 대", ""},
		{"a hidden layer with no toggle stays hidden", "", `<div style="display:none"><p>시는 노선별 배차 간격을 출퇴근 시간대에 10분 이내로 유지할 계획이라고 덧붙였다. 버스 업계는 기사 충원이 먼저라고 했다.</p>
<p>시의회는 다음 달 관련 예산을 심의한다. 예산이 통과되면 시는 올해 안에 버스 서른 대를 새로 들일 예정이다.</p></div>`, "", "버스 서른 대"},
		{"a hidden layer beside another button stays hidden", "", `<button type="button">공유하기</button><div style="display:none"><p>시는 노선별 배차 간격을 출퇴근 시간대에 10분 이내로 유지할 계획이라고 덧붙였다. 버스 업계는 기사 충원이 먼저라고 했다.</p>
<p>시의회는 다음 달 관련 예산을 심의한다. 예산이 통과되면 시는 올해 안에 버스 서른 대를 새로 들일 예정이다.</p></div>`, "", "버스 서른 대"},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := `<!doctype html><html><head><meta charset="utf-8"><title>시내버스 노선 세 개 새로 - 예시일보</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-03-05T09:30:00+09:00"></head><body>
<div class="w1"><h1>시내버스 노선 세 개 새로</h1>` + c.tools + `<div class="w2">` + text + c.after + `</div></div></body></html>`
			bothModes(t, article.Page{URL: "https://www.example-ilbo.co.kr/news/articleView.html?idxno=999", Body: []byte(page)},
				func(t *testing.T, a article.Article, err error) {
					if err != nil {
						t.Fatal(err)
					}
					if !strings.HasPrefix(a.Body, "서울시는 내년부터") {
						t.Errorf("body starts %.80q", a.Body)
					}
					if c.notWant != "" && strings.Contains(a.Body, c.notWant) {
						t.Errorf("body has %q: %q", c.notWant, a.Body)
					}
					if c.want != "" && !strings.Contains(a.Body, c.want) {
						t.Errorf("body lacks %q: %q", c.want, a.Body)
					}
					if len(a.Reporters) != 1 || a.Reporters[0].Name != "홍길동" {
						t.Errorf("reporters = %+v", a.Reporters)
					}
				})
		})
	}
}

// TestSubtitleFromDescription: short lines opening the body that the
// page's description repeats are its sub-headline, whatever element holds
// them; lines a description merely begins with, and an English
// standfirst, stay in the body.
func TestSubtitleFromDescription(t *testing.T) {
	const text = `<p>제주의 올해 2분기 고용률은 68.1%로 전국 광역시도 가운데 가장 높았다고 통계청이 5일 밝혔다.</p>
<p>실업률도 2.2%로 가장 낮았으며 관광객이 늘면서 서비스업 일자리가 크게 증가했다.</p>`
	for _, c := range []struct {
		name, desc, lead, subtitle, bodyStart string
	}{
		{"lines split by <br>, description joined by spaces", "전국 16개 시도 고용률 분석 결과 제주, 2분기 고용률 최고 실업률도 가장 낮아",
			`<div class="x1">전국 16개 시도 고용률 분석 결과<br>제주, 2분기 고용률 최고<br>실업률도 가장 낮아</div>`,
			"전국 16개 시도 고용률 분석 결과\n제주, 2분기 고용률 최고\n실업률도 가장 낮아", "제주의 올해"},
		{"lines in a span, description joined by slashes, an anchor cue after", `제주 고용률 68.1% 전국 최고 / "관광객 늘어 일자리 증가" / "인구 유입 계속"`,
			`<span class="x2" style="display:block">제주 고용률 68.1% 전국 최고<br>"관광객 늘어 일자리 증가"<br>"인구 유입 계속"</span><p>[앵커]</p>`,
			"제주 고용률 68.1% 전국 최고\n\"관광객 늘어 일자리 증가\"\n\"인구 유입 계속\"", "[앵커]"},
		{"a description that is the first lines and sentences, cut short", "제주 고용 현장을 가다 ① 관광이 만든 일자리 제주의 올해 2분기 고용률은 68.1%로 전국 광역시도 가운데 가장 높았다고…",
			`<p>제주 고용 현장을 가다</p><p>① 관광이 만든 일자리</p>`, "", "제주 고용 현장을 가다"},
		{"an English standfirst stays", "Jeju tops the employment table again, with tourism driving service jobs",
			`<p>Jeju tops the employment table again, with tourism driving service jobs</p>`, "", "Jeju tops"},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := `<!doctype html><html><head><meta charset="utf-8"><title>“고용 최고, 실업 최저” 제주의 비결은? - 예시일보</title>
<meta name="description" content='` + c.desc + `'><meta property="og:type" content="article"><meta property="article:published_time" content="2024-03-05T09:30:00+09:00"></head><body>
<div class="w1"><h1>“고용 최고, 실업 최저” 제주의 비결은?</h1><div class="w2">` + c.lead + text + `</div></div></body></html>`
			bothModes(t, article.Page{URL: "https://www.example-ilbo.co.kr/news/articleView.html?idxno=999", Body: []byte(page)},
				func(t *testing.T, a article.Article, err error) {
					if err != nil {
						t.Fatal(err)
					}
					if a.Subtitle != c.subtitle {
						t.Errorf("subtitle = %q, want %q", a.Subtitle, c.subtitle)
					}
					if !strings.HasPrefix(a.Body, c.bodyStart) {
						t.Errorf("body starts %.60q, want %q", a.Body, c.bodyStart)
					}
				})
		})
	}
}

// TestSubtitleLeadBlock: a sub-headline set as the first block of the
// article's element, a heading or a bold box of short lines, is the
// subtitle, found with no profile and no class to go by; a bold word
// opening a paragraph, a later subheading, a byline, a speaker's label,
// a sentence or an English standfirst is not.
func TestSubtitleLeadBlock(t *testing.T) {
	page := func(lead string) string {
		return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시일보</title>
<meta property="og:type" content="article"></head><body><div class="x0"><h1 class="x1">시내버스 노선 전면 개편</h1>
<div class="x2">` + lead + inventedBody + `</div></div></body></html>`
	}
	for _, c := range []struct {
		name, lead, want string
	}{
		{"h2 lines", `<h2 class="x3">간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</h2>`, "간선 세 개·지선 아홉 개로\n배차 간격 10분 이내로 줄여"},
		{"h3 line", `<h3>신도시와 구도심 잇는 간선 신설</h3>`, "신도시와 구도심 잇는 간선 신설"},
		{"bold paragraph", `<p><strong>신도시와 구도심 잇는 간선 신설<br>운전기사 처우 개선 요구도</strong></p>`, "신도시와 구도심 잇는 간선 신설\n운전기사 처우 개선 요구도"},
		{"bold lines glued to the dateline (a portal's summary)", `<strong class="x4">간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</strong><span class="x5"></span>[서울=예시통신] 홍길동 기자 = 시는 노선 개편안을 5일 발표했다.<br><br>`,
			"간선 세 개·지선 아홉 개로\n배차 간격 10분 이내로 줄여"},
		{"bold word opening a paragraph", `<p><strong>시내버스</strong> 노선이 바뀐다. 시는 올해 안에 마칠 계획이다.</p>`, ""},
		{"a byline first", `<h2>홍길동 기자</h2>`, ""},
		{"a speaker's label", `<p><strong>[앵커]</strong></p>`, ""},
		{"a sentence", `<h2>시는 노선을 새로 짜기로 했다.</h2>`, ""},
		{"an English standfirst", `<h2>The city redraws its bus map</h2>`, ""},
		{"no lead block", ``, ""},
	} {
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(c.lead))})
				if err != nil {
					t.Fatal(err)
				}
				if a.Subtitle != c.want {
					t.Errorf("subtitle = %q, want %q", a.Subtitle, c.want)
				}
				if c.want != "" && strings.Contains(a.Body, strings.Split(c.want, "\n")[0]) {
					t.Errorf("body keeps the subtitle: %q", a.Body)
				}
			})
		}
	}
}

// TestSubtitleNamed: a block whose class names a sub-headline, opening
// the article's element or standing right before it, in several outlets'
// forms, is the subtitle even though the generic extractor leaves it out of
// the body; a summary box of sentences is not.
func TestSubtitleNamed(t *testing.T) {
	page := func(before, first string) string {
		return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시일보</title>
<meta property="og:type" content="article"></head><body><div class="wrap"><h1 class="headline">시내버스 노선 전면 개편</h1>
<div class="view">` + before + `<div class="article_txt">` + first + inventedBody + `</div></div></div></body></html>`
	}
	const two = "간선 세 개·지선 아홉 개로\n배차 간격 10분 이내로 줄여"
	for _, c := range []struct {
		name, before, first, want string
	}{
		{"div.subtitle opening the body", "", `<div class="subtitle">간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</div>`, two},
		{"nested mid_title", "", `<div class="mid_title"><div class="midtitle_text">간선 세 개·지선 아홉 개로<br/>배차 간격 10분 이내로 줄여</div></div>`, two},
		{"h2.sub-tit", "", `<h2 class="sub-tit-ll">간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</h2>`, two},
		{"strong summary before the body's element", `<strong class="summary_view">간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</strong>`, "", two},
		{"one quoted line, sub_tt", `<div class="sub_tt">"노선 개편, 시민 불편 최소화가 먼저"</div>`, "", `"노선 개편, 시민 불편 최소화가 먼저"`},
		{"an AI summary of sentences", `<div class="ai_summary"><p>시는 시내버스 노선을 전면 개편한다.</p><p>배차 간격은 10분 이내로 줄어든다.</p></div>`, "", ""},
		{"a labeled summary box", `<div class="article-summary"><p>AI 요약</p><p>간선 세 개·지선 아홉 개로</p></div>`, "", ""},
		{"a named block of links", `<div class="sub_title"><a href="/series/7">연재: 버스가 바뀐다</a></div>`, "", ""},
	} {
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(c.before, c.first))})
				if err != nil {
					t.Fatal(err)
				}
				if a.Subtitle != c.want {
					t.Errorf("subtitle = %q, want %q", a.Subtitle, c.want)
				}
				if !strings.HasPrefix(a.Body, "시는 올해 하반기부터") {
					t.Errorf("body = %q", a.Body)
				}
			})
		}
	}
}

// TestLeadBlockInAWiderBody: when the element taken as the body is wider
// than the article (its first text a breadcrumb the extractor left out),
// the lead box is found by its first line; found so, one line alone is not
// taken for it.
func TestLeadBlockInAWiderBody(t *testing.T) {
	parse := func(s string) *html.Node {
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	lead := []string{"간선 세 개·지선 아홉 개로", "배차 간격 10분 이내로 줄여", "시는 올해 노선을 새로 짠다."}
	body := parse(`<main><div><a href="/society">사회</a></div><div><h2>간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</h2><p>시는 올해 노선을 새로 짠다.</p></div></main>`)
	if n := leadBlockLines(body, lead); n != 2 {
		t.Errorf("lead box after a breadcrumb: %d lines, want 2", n)
	}
	one := parse(`<main><div><a href="/society">사회</a></div><div><h2>간선 세 개·지선 아홉 개로</h2><p>시는 올해 노선을 새로 짠다.</p></div></main>`)
	if n := leadBlockLines(one, lead[:1]); n != 0 {
		t.Errorf("a lone heading found by searching: %d lines, want 0", n)
	}
}

// TestLeadBoxAboveAPhoto: a lead box, then a photo whose caption ends
// with the press's name, then the text: the caption is a caption (an
// unknown press's name is a credit), so the lead box stays next to the
// text and is the subtitle.
func TestLeadBoxAboveAPhoto(t *testing.T) {
	page := `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시일보</title></head><body>
<main class="m0"><div class="m1"><a href="/society">사회</a> <a href="/society/traffic">교통</a></div><h1 class="m2">시내버스 노선 전면 개편</h1><p class="m3">입력 2024.03.05 09:10</p>
<div class="m4"><section><div class="m5"><h2 class="m6">간선 세 개·지선 아홉 개로<br>배차 간격 10분 이내로 줄여</h2>
<div class="m7"><img src="/a.jpg" alt=""><div class="m8"><p>시내버스 노선도를 살펴보는 시민들. 예시통신</p></div></div>` + inventedBody + `</div></section></div></main></body></html>`
	for mode, p := range parserModes(t) {
		t.Run(mode, func(t *testing.T) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page)})
			if err != nil {
				t.Fatal(err)
			}
			if want := "간선 세 개·지선 아홉 개로\n배차 간격 10분 이내로 줄여"; a.Subtitle != want {
				t.Errorf("subtitle = %q, want %q", a.Subtitle, want)
			}
			if strings.Contains(a.Body, "노선도를 살펴보는") || !strings.HasPrefix(a.Body, "시는 올해") {
				t.Errorf("body = %.100q", a.Body)
			}
		})
	}
}

// TestCommentsAfterTheArticle: readers' comments printed after the
// article's closing byline, each stamped with its time, are not body, in
// several forms and with no class names to go by; a sidebar story after
// the byline, with no time stamps, stays.
func TestCommentsAfterTheArticle(t *testing.T) {
	const c1, c2 = "정부 지원도 좋지만 실제로 돈이 돌아가는지 끝까지 지켜봐야 한다고 생각합니다. 매번 발표만 크게 하고 끝나요.",
		"버스 노선을 바꾸는 건 좋은데 배차 간격부터 줄여 주셨으면 합니다. 출퇴근 때마다 너무 오래 기다려요."
	page := func(after string) string {
		return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시일보</title></head><body>
<div class="c0"><h1>시내버스 노선 전면 개편</h1><p class="c1">입력 2024.03.05 09:10</p><div class="c2">` + inventedBody +
			`<p>한지수 기자 jisu@example.co.kr</p>` + after + `</div></div></body></html>`
	}
	for _, c := range []struct {
		name, after, keep string
	}{
		{"a list under a count", `<div class="c3"><h4>댓글 2</h4><ul><li><strong>나그네</strong><p>` + c1 + `</p><span>2024.03.05 11:00</span></li><li><strong>행인</strong><p>` + c2 + `</p><span>2024.03.05 11:05</span></li></ul></div>`, ""},
		{"name and time above each", `<div class="c4"><div><b>나그네</b> 2024.03.05 11:00<p>` + c1 + `</p></div><div><b>행인</b> 2024.03.05 11:05<p>` + c2 + `</p></div></div>`, ""},
		{"name | time below each", `<div class="c5"><p>` + c1 + `</p><p>나그네 | 2024-03-05 11:00</p><p>` + c2 + `</p><p>행인 | 2024-03-05 11:05</p></div>`, ""},
		{"a sidebar story after the byline", `<p>▼ 노선 개편 일지 ▼</p><p>시는 지난해 말 용역을 발주해 노선 전반을 점검했다. 주민 의견은 두 차례 설명회에서 모았다.</p>`, "시는 지난해 말 용역을 발주해"},
		{"one time stamp is no thread", `<p>시는 2024.03.05 14:00 시청에서 설명회를 다시 연다.</p><p>` + c1 + `</p>`, "시청에서 설명회를 다시 연다"},
	} {
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(c.after))})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(a.Body, "시 관계자는") {
					t.Errorf("the article's text is cut: %q", a.Body)
				}
				if c.keep != "" && !strings.Contains(a.Body, c.keep) {
					t.Errorf("body lost %q: %q", c.keep, a.Body)
				}
				if c.keep == "" && (strings.Contains(a.Body, "끝까지 지켜봐야") || strings.Contains(a.Body, "배차 간격부터") || strings.Contains(a.Body, "나그네")) {
					t.Errorf("body keeps the comments: %q", a.Body)
				}
				if len(a.Reporters) != 1 || a.Reporters[0].Name != "한지수" {
					t.Errorf("reporters = %+v", a.Reporters)
				}
			})
		}
	}
}

// TestInterviewAnswers: an interview written as dash questions and ▶
// answers keeps its answers, short ones too; ▶ lines of an article that is
// no interview are still promos and headline links.
func TestInterviewAnswers(t *testing.T) {
	page := func(lines ...string) string {
		var b strings.Builder
		for _, l := range lines {
			b.WriteString("<p>" + l + "</p>")
		}
		return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>"노선 개편, 시민 불편 없게" - 예시일보</title></head><body>
<div class="c0"><h1>"노선 개편, 시민 불편 없게"</h1><p class="c1">입력 2024.03.05 09:10</p><div class="c2">
<p>시는 올해 하반기부터 시내버스 노선 열두 개를 새로 짜고 배차 간격을 줄이기로 했다. 교통국장을 만나 개편 방향을 물었다.</p>` + b.String() + `
<p>한지수 기자 jisu@example.co.kr</p></div></div></body></html>`
	}
	for _, c := range []struct {
		name  string
		lines []string
		keep  []string
		drop  []string
	}{
		{"short answers", []string{"-노선이 얼마나 바뀌나.", "▶열두 개다.", "-배차 간격은.", "▶10분 이내로 줄인다.", "-시민 반응은.", "▶대체로 좋다."},
			[]string{"▶열두 개다.", "▶10분 이내로 줄인다.", "▶대체로 좋다."}, nil},
		{"polite answers, long dashes", []string{"― 노선이 얼마나 바뀌나요?", "▶ 네, 열두 개가 바뀝니다.", "― 배차 간격은요?", "▶ 10분 이내로 줄입니다."},
			[]string{"▶ 네, 열두 개가 바뀝니다.", "▶ 10분 이내로 줄입니다."}, nil},
		{"an interview's promo line still goes", []string{"-노선이 얼마나 바뀌나.", "▶열두 개다.", "-배차 간격은.", "▶10분 이내로 줄인다.", "▶ 예시일보 유튜브 채널을 구독하세요"},
			[]string{"▶열두 개다."}, []string{"유튜브"}},
		{"no interview: short ▶ lines are promos", []string{"시 관계자는 \"시민 의견을 더 듣겠다\"고 말했다.", "▶ 버스 노선 바뀐다", "▶ 배차 간격 줄었다"},
			nil, []string{"노선 바뀐다", "간격 줄었다"}},
	} {
		for mode, p := range parserModes(t) {
			t.Run(mode+"/"+c.name, func(t *testing.T) {
				a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(c.lines...))})
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range c.keep {
					if !strings.Contains(a.Body, k) {
						t.Errorf("body lost %q: %q", k, a.Body)
					}
				}
				for _, d := range c.drop {
					if strings.Contains(a.Body, d) {
						t.Errorf("body keeps %q: %q", d, a.Body)
					}
				}
			})
		}
	}
}

// TestTeaserListIsNoArticle: a section's, a search's or a reporter's list
// of other articles' teasers (a linked headline, a summary and a date per
// item) is no article; a roundup article, whose linked items carry no
// dates, is one.
func TestTeaserListIsNoArticle(t *testing.T) {
	heads := []string{"시내버스 노선 전면 개편한다", "지하철 9호선 연장 확정됐다", "공공자전거 요금 동결키로", "심야버스 노선 두 개 늘린다", "버스 기사 처우 개선 추진", "택시 기본요금 조정 검토"}
	items := func(dated bool) string {
		var b strings.Builder
		for i, h := range heads {
			date := ""
			if dated {
				date = fmt.Sprintf(`<span class="d">2024.03.0%d 09:10</span>`, i+1)
			}
			fmt.Fprintf(&b, `<li><a href="/news/articleView.html?idxno=%d"><strong>%s</strong></a><p>시는 시민 의견을 들어 올해 안에 세부 계획을 내놓기로 했다고 밝혔다. 예산은 시의회 심의를 거친 뒤 다음 달 확정되며, 시는 설명회를 두 차례 더 열어 주민과 업계의 의견을 듣겠다고 덧붙였다.</p>%s</li>`, 500+i, h, date)
		}
		return b.String()
	}
	page := func(h1, intro, list string) string {
		return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>` + h1 + ` - 예시일보</title></head><body>
<nav><a href="/">홈</a> <a href="/society">사회</a></nav><main><h2>` + h1 + `</h2>` + intro + `<ul class="c1">` + list + `</ul></main><footer>예시일보</footer></body></html>`
	}
	for mode, p := range parserModes(t) {
		t.Run(mode, func(t *testing.T) {
			for _, u := range []string{"https://news.example.com/list.html?section=society", "https://news.example.com/article/2024030512345"} {
				if a, err := p.Parse(article.Page{URL: u, Body: []byte(page("사회", "", items(true)))}); !errors.Is(err, ErrNotArticle) || !strings.Contains(fmt.Sprint(err), "6 other articles' teasers") {
					t.Errorf("%s: a section's teaser list: err = %v, body %.80q; want ErrNotArticle naming the 6 teasers", u, err, a.Body)
				}
			}
			a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345",
				Body: []byte(page("오늘 꼭 알아야 할 교통 뉴스 6가지", `<p class="c2">입력 2024.03.05 09:10</p><p>좋은 아침입니다. 오늘 알아야 할 교통 소식을 모았습니다.</p>`, items(false)))})
			if err != nil || !strings.Contains(a.Body, "세부 계획을 내놓기로") {
				t.Errorf("a roundup article: err = %v, body %.80q", err, a.Body)
			}
		})
	}
}

// TestInlineBoxWrappingABlock: an inline element wrapping a block (a
// photo box, <span><div><img></div><em>caption</em></span>) is a box of its
// own, so its caption does not run into the text after it; one wrapping
// only an empty spacer is not.
func TestInlineBoxWrappingABlock(t *testing.T) {
	page := `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시내버스 노선 전면 개편 - 예시일보</title></head><body>
<div class="c0"><h1>시내버스 노선 전면 개편</h1><p class="c1">입력 2024.03.05 09:10</p><div class="c2">
<span class="c3"><div class="c4"><img src="/p1.jpg" alt=""></div><em class="c5">5일 시청에서 노선 개편안을 설명하는 교통국장. /예시통신</em></span>[서울=예시통신] 한지수 기자 = 시는 올해 하반기부터 시내버스 노선 열두 개를 새로 짜기로 했다고 밝혔다.<br><br>
새 노선은 신도시와 구도심을 잇는 간선 세 개와 마을을 도는 지선 아홉 개로 이뤄진다.<br><br>
<b><div class="c6"></div>버스 업계는 운전기사가 부</b><b>족하다며 처우 개선을 요구했다.<div class="c6"></div></b><br><br>
시 관계자는 "시민 의견을 더 듣겠다"고 말했다.</div></div></body></html>`
	for mode, p := range parserModes(t) {
		t.Run(mode, func(t *testing.T) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page)})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(a.Body, "시는 올해 하반기부터") || strings.Contains(a.Body, "교통국장") {
				t.Errorf("body = %.120q", a.Body)
			}
			if !strings.Contains(a.Body, "운전기사가 부족하다며") {
				t.Errorf("an empty spacer split a line: %q", a.Body)
			}
			if len(a.Reporters) != 1 || a.Reporters[0].Name != "한지수" {
				t.Errorf("reporters = %+v", a.Reporters)
			}
		})
	}
}

// TestPhotoArticleBody: a photo article (포토뉴스), whose only text is the
// caption under its photo, keeps that caption as its body, its credit cut
// off; a page whose images carry no such caption, or a gallery of many,
// is no article.
func TestPhotoArticleBody(t *testing.T) {
	page := func(figures string) string {
		return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>[포토] 평택 반도체 공장 점검 - 예시일보</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2024-03-05T09:10:00+09:00"></head><body>
<div class="x0"><a href="/"><img src="/logo.png" alt="예시일보"></a></div><div class="x1"><h1>[포토] 평택 반도체 공장 점검</h1>
<div class="x2">` + figures + `</div></div></body></html>`
	}
	fig := `<figure><img src="/p%d.jpg" alt="반도체 공장"><figcaption>5일 경기 평택 반도체 공장에서 직원들이 생산 라인을 점검하고 있다. /사진=한지수 기자</figcaption></figure>`
	for mode, p := range parserModes(t) {
		t.Run(mode, func(t *testing.T) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(fmt.Sprintf(fig, 1)))})
			if err != nil {
				t.Fatal(err)
			}
			if want := "5일 경기 평택 반도체 공장에서 직원들이 생산 라인을 점검하고 있다."; a.Body != want || a.Extraction.Sources["body"] != "caption" {
				t.Errorf("body = %q from %q, want %q from the caption", a.Body, a.Extraction.Sources["body"], want)
			}
			if _, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(`<img src="/p.jpg" alt="">`))}); !errors.Is(err, ErrNotArticle) {
				t.Errorf("a photo with no caption: err = %v, want ErrNotArticle", err)
			}
			var gallery string
			for i := range 5 {
				gallery += fmt.Sprintf(fig, i)
			}
			if _, err := p.Parse(article.Page{URL: "https://news.example.com/article/2024030512345", Body: []byte(page(gallery))}); !errors.Is(err, ErrNotArticle) {
				t.Errorf("a gallery of five: err = %v, want ErrNotArticle", err)
			}
		})
	}
}

// TestDroppedBoxPartsText: an ad or recommendation box the body leaves
// out, standing between two runs of <br>-separated text, still ends the
// paragraph before it (the generic layer's dropped box, a profile's drop
// selector), and a hidden element inside a sentence does not.
func TestDroppedBoxPartsText(t *testing.T) {
	p1 := "기획재정부는 3일 이런 내용의 예산안을 발표했다고 밝혔다. 중소 팹리스 지원이 크게 늘었다."
	p2 := "업계는 환영의 뜻을 밝혔다. 다만 인력 양성 예산이 부족하다는 지적도 나왔다."
	p3 := "전문가들은 집행 속도가 관건이라고 입을 모았다. 예산이 제때 쓰여야 효과가 난다는 것이다."
	lead := "정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다."
	body := lead + `<br><br>` + p1 + `<div class="ad_mid"><script>ad()</script><span>광고</span></div>` + p2 +
		`<div class="article_recommend"><strong>추천</strong><a href="/n/2">다른 기사</a></div>` +
		`예산이 <span style="display:none">숨김</span>제때 쓰여야 한다.<br><br>` + p3
	want := []string{lead, p1, p2, "예산이 제때 쓰여야 한다.", p3}
	page := `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body>
<h1>정부, 반도체 예산 2조 편성</h1><p>입력 2024.12.03 10:21</p><div id="news_body">` + body + `</div></body></html>`
	profiled, err := NewProfiles(&Profile{ID: "yeosi", Name: "예시일보", Hosts: []string{"news.example.com"},
		Extract: Extract{Body: []string{"#news_body"}, Drop: []string{".ad_mid", ".article_recommend"}}})
	if err != nil {
		t.Fatal(err)
	}
	none, err := NewProfiles()
	if err != nil {
		t.Fatal(err)
	}
	for name, ps := range map[string]*Profiles{"profile": profiled, "generic": none} {
		p, err := New(Options{Profiles: ps})
		if err != nil {
			t.Fatal(err)
		}
		a, err := p.Parse(article.Page{URL: "https://news.example.com/n/1", Body: []byte(page)})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Split(a.Body, "\n\n"); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: body\n got  %q\n want %q", name, got, want)
		}
	}
}

// TestDeeplyNestedPage: a page html.Parse refuses, nested deeper than 512
// elements by a widget that never closes its <div> or <font> (browsers
// show it), is still read: its deepest tags are left out, its text kept.
func TestDeeplyNestedPage(t *testing.T) {
	p1 := "정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다."
	p2 := "기획재정부는 3일 이런 내용의 예산안을 발표했다고 밝혔다. 중소 팹리스 지원이 크게 늘었다."
	p3 := "업계는 환영의 뜻을 밝혔다. 다만 인력 양성 예산이 부족하다는 지적도 나왔다."
	article1 := `<h1>정부, 반도체 예산 2조 편성</h1><p>입력 2024.12.03 10:21</p><div class="article_body"><p>` + p1 + `</p><p>` + p2 + `</p><p>` + p3 + `</p><p>홍길동 기자 hong@example.com</p></div>`
	for name, page := range map[string]string{
		"unclosed divs before the article": strings.Repeat(`<div class="w">`, 700) + article1,
		"unclosed fonts around the text":   strings.Repeat(`<font size="2">`, 600) + article1,
		"unclosed divs after the article":  article1 + `<div class="comments">` + strings.Repeat(`<div class="cmt"><span class="nick">나그네</span> 2024.12.03 11:00 좋은 기사 감사합니다`, 700),
	} {
		page = `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body>` + page + `</body></html>`
		if _, err := html.Parse(strings.NewReader(page)); err == nil {
			t.Fatalf("%s: html.Parse accepted the page; the test needs one it refuses", name)
		}
		for mode, p := range parserModes(t) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/n/1", Body: []byte(page)})
			if err != nil {
				t.Errorf("%s/%s: %v", mode, name, err)
				continue
			}
			if a.Title != "정부, 반도체 예산 2조 편성" || a.Body != p1+"\n\n"+p2+"\n\n"+p3 || len(a.Reporters) != 1 || a.Reporters[0].Email != "hong@example.com" {
				t.Errorf("%s/%s: title %q, reporters %v, body %q", mode, name, a.Title, a.Reporters, a.Body)
			}
		}
	}
}

// TestFlattenDeepKeepsText: flattening leaves out only start and end tags
// past the depth; text, scripts, comments and shallow markup stay as they
// were.
func TestFlattenDeepKeepsText(t *testing.T) {
	shallow := `<html><head><script>if (a < b) { x = "</div>"; }</script></head><body><!-- c --><div><p>하나<br>둘</p><img src="x.jpg"/></div></body></html>`
	if got := string(flattenDeep([]byte(shallow))); got != shallow {
		t.Errorf("a shallow page changed:\n%s", got)
	}
	deep := strings.Repeat("<div>", 300) + "본문" + strings.Repeat("</div>", 300)
	got := string(flattenDeep([]byte(deep)))
	if want := strings.Repeat("<div>", flattenDepth) + strings.Repeat("<br>", 300-flattenDepth) + "본문" + strings.Repeat("</div>", flattenDepth); got != want {
		t.Errorf("flattened to %d <div>s, want %d", strings.Count(got, "<div>"), flattenDepth)
	}
}

// TestZeroSizeWatermark: a mark slipped into the article's lines in a
// zero font size, which readers do not see, is not part of the text.
func TestZeroSizeWatermark(t *testing.T) {
	mark := `<span style="font-size:0px;color:#fff">ⓒ예시일보 무단전재</span>`
	page := `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body><h1>정부, 반도체 예산 2조 편성</h1>
<p>입력 2024.12.03 10:21</p><div class="article_body"><p>정부가 내년 반도체 ` + mark + `산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다.</p>
<p>기획재정부는 3일 이런 내용의 예산안을 발표했다고 ` + mark + `밝혔다. 중소 팹리스 지원이 크게 늘었다.</p><p>업계는 환영의 뜻을 밝혔다.</p><p>홍길동 기자</p></div></body></html>`
	for mode, p := range parserModes(t) {
		a, err := p.Parse(article.Page{URL: "https://news.example.com/view/1", Body: []byte(page)})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(a.Body, "예시일보") || !strings.Contains(a.Body, "정부가 내년 반도체 산업 지원") {
			t.Errorf("%s: body %q", mode, a.Body)
		}
	}
}

// TestShortArticle: a 속보 of one sentence is too little prose for the
// generic measure; it is read from the lines after the headline, whatever
// the body element is named, when a dateline or byline stands among
// them. A page's own prompt or notice after a headline, with neither, is
// no article.
func TestShortArticle(t *testing.T) {
	const sentence = "한국은행 금융통화위원회는 28일 기준금리를 연 3.25%로 동결했다."
	p := genericParser(t)
	page := func(cls, inner string) []byte {
		return []byte(`<html lang="ko"><head><meta charset="utf-8"><title>[속보] 한은, 기준금리 연 3.25%로 동결</title></head><body>
<div class="top"><a href="/">홈</a></div><h1>[속보] 한은, 기준금리 연 3.25%로 동결</h1><div class="` + cls + `">` + inner + `</div>
<div class="foot">Copyright ⓒ 예시일보</div></body></html>`)
	}
	for _, cls := range []string{"view_txt", "news_cnt_detail_wrap", "con_txt", "x7f3a"} {
		for name, inner := range map[string]string{
			"dateline and byline":                  `<p>입력 2024.11.28 10:05</p><p>` + sentence + `</p><p>홍길동 기자</p>`,
			"byline and address, a dated meta tag": `<p>` + sentence + `</p><p>홍길동 기자 hong@example.com</p><meta itemprop="datePublished" content="2024-11-28T10:05:00+09:00">`,
		} {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/view/1", Body: page(cls, inner)})
			if err != nil || a.Body != sentence || len(a.Reporters) != 1 || a.Reporters[0].Name != "홍길동" {
				t.Errorf("%s/%s: err %v, body %q, reporters %v", cls, name, err, a.Body, a.Reporters)
			}
		}
	}
	// The headline in no heading element, the byline and dateline on one
	// line above the text.
	for _, head := range []string{`<div class="q1">[속보] 한은, 기준금리 연 3.25%로 동결</div>`, `<strong>[속보] 한은, 기준금리 연 3.25%로 동결</strong>`} {
		page := `<html lang="ko"><head><meta charset="utf-8"><title>[속보] 한은, 기준금리 연 3.25%로 동결 - 예시일보</title></head><body>` + head +
			`<div class="q2">홍길동 기자 | 입력 2024.11.28 10:05</div><div class="q3"><p>` + sentence + `</p></div></body></html>`
		a, err := p.Parse(article.Page{URL: "https://news.example.com/view/1", Body: []byte(page)})
		if err != nil || a.Body != sentence || len(a.Reporters) != 1 || a.Reporters[0].Name != "홍길동" {
			t.Errorf("%s: err %v, body %q, reporters %v", head, err, a.Body, a.Reporters)
		}
	}
	for name, inner := range map[string]string{
		"a prompt":          `<p>설정을 저장하시겠습니까?</p>`,
		"a notice, no sign": `<p>나눔고딕 폰트가 설치되어있지 않습니다.</p>`,
	} {
		if a, err := p.Parse(article.Page{URL: "https://news.example.com/view/1", Body: page("x7f3a", inner)}); !errors.Is(err, ErrNotArticle) {
			t.Errorf("%s: err %v, body %q; want not an article", name, err, a.Body)
		}
	}
}
