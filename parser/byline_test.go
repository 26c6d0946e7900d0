package parser

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
)

func rep(name, role, email string) article.Reporter {
	return article.Reporter{Name: name, Role: role, Email: email}
}

// datelineCases are paragraph starts from the corpus pages and research
// notes §10.3.
var datelineCases = []struct {
	in   string
	reps []article.Reporter
	rest string
}{
	{"(서울=연합뉴스) 홍길동 김철수 기자 = 본문…", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}, "본문…"},
	{"(서울=연합뉴스) 김유아 기자 = 정부가 발표했다.", []article.Reporter{rep("김유아", "기자", "")}, "정부가 발표했다."},
	{"(서울=연합뉴스) 한지훈 김여솔 이동환 기자 = 본문", []article.Reporter{rep("한지훈", "기자", ""), rep("김여솔", "기자", ""), rep("이동환", "기자", "")}, "본문"},
	{"(연천=연합뉴스) 본문", nil, "본문"}, // naver_3
	{"(연천=연합뉴스) 경기 연천군은 20일 초록우산어린이재단과 협약을 맺었다.", nil, "경기 연천군은 20일 초록우산어린이재단과 협약을 맺었다."},
	{"[서울=뉴시스]홍길동 기자 = 본문", []article.Reporter{rep("홍길동", "기자", "")}, "본문"},
	{"[서울=뉴시스]이현주 기자 = 삼성전자가 올해 더 강력한 인공지능(AI) 기능을 갖춘 '갤럭시 북4 엣지'로 국내 AI PC 시장을 주도한다.", // naver_1
		[]article.Reporter{rep("이현주", "기자", "")}, "삼성전자가 올해 더 강력한 인공지능(AI) 기능을 갖춘 '갤럭시 북4 엣지'로 국내 AI PC 시장을 주도한다."},
	{"【서울=뉴시스】이근홍 기자 = 안철수 바른미래당 서울시장 후보는 15일", []article.Reporter{rep("이근홍", "기자", "")}, "안철수 바른미래당 서울시장 후보는 15일"}, // daum_1
	{"【서울=뉴시스】김찬호 리포터 = 본문", []article.Reporter{rep("김찬호", "리포터", "")}, "본문"},
	{"[서울=뉴시스] 추상철 기자 = 본문", []article.Reporter{rep("추상철", "기자", "")}, "본문"},
	{"[서울=뉴시스]30일 진행된 '갤럭시 북4 엣지' 미디어 브리핑 행사", nil, "30일 진행된 '갤럭시 북4 엣지' 미디어 브리핑 행사"},
	{"[스포츠조선 안소윤 기자] 배우 김지원이 돌아왔다.", []article.Reporter{rep("안소윤", "기자", "")}, "배우 김지원이 돌아왔다."}, // chosun_11
	{"[이데일리 홍길동 기자] 본문", []article.Reporter{rep("홍길동", "기자", "")}, "본문"},
	{"[이남경 MBN스타 기자] 본문", []article.Reporter{rep("이남경", "기자", "")}, "본문"},
	{"[동아닷컴 조성운 기자] 본문", []article.Reporter{rep("조성운", "기자", "")}, "본문"},
	{"[스포티비뉴스=유현태 기자] 지아니 인판티노 국제축구연맹(FIFA) 회장이", []article.Reporter{rep("유현태", "기자", "")}, "지아니 인판티노 국제축구연맹(FIFA) 회장이"}, // naversports_1
	{"[엔터미디어=정덕현의 이슈공감] 엘제이의 리벤지인가, 류화영의 피해자 코스프레인가.", nil, "엘제이의 리벤지인가, 류화영의 피해자 코스프레인가."},                              // entermedia_1
	{"(워싱턴=연합뉴스) 김경희 특파원 = 본문", []article.Reporter{rep("김경희", "특파원", "")}, "본문"},
	{"(워싱턴·서울=연합뉴스) 김경희 특파원 이상헌 기자 = 본문", []article.Reporter{rep("김경희", "특파원", ""), rep("이상헌", "기자", "")}, "본문"},
	{"[헤럴드경제=홍길동 기자]본문", []article.Reporter{rep("홍길동", "기자", "")}, "본문"},
	{"[OSEN=잠실, 홍길동 기자] 본문", []article.Reporter{rep("홍길동", "기자", "")}, "본문"},
	{"[풋볼리스트=천안] 김진혁 기자= 본문", []article.Reporter{rep("김진혁", "기자", "")}, "본문"},
	{"SEOUL, April 19 (Yonhap) -- President Yoon Suk Yeol will give an address", nil, "President Yoon Suk Yeol will give an address"}, // yonhapen_1
	{"WASHINGTON (Yonhap) -- Text", nil, "Text"},
	{"WASHINGTON (AP) — New uncertainty hangs over the primary.", nil, "WASHINGTON (AP) — New uncertainty hangs over the primary."}, // aeb: kept
	{"박은영 인턴 기자 = 홍준표 대구시장이", []article.Reporter{rep("박은영", "인턴기자", "")}, "홍준표 대구시장이"},
	{"(SBS연예뉴스 강경윤 기자) 본문", []article.Reporter{rep("강경윤", "기자", "")}, "본문"},
	{"(서울=연합뉴스) 홍길동 기자 =", []article.Reporter{rep("홍길동", "기자", "")}, ""},
	{"(서울=연합뉴스)\u00a0홍길동\u00a0기자\u00a0=\u00a0본문", []article.Reporter{rep("홍길동", "기자", "")}, "본문"},
	{"JK성형외과가 지난달 8일 베트남 호찌민 르오페라 호텔에서 개최한 ‘뷰티 앤드 시크릿’ 의료 한류 홍보회 장면. 회원 200명이 참석해 대성황을 이뤘다. 호찌민=유근형 기자 noel@donga.com베트남 하노이 중심부의 르오페라 호텔에서 지난달 8일 큰 행사가 열렸다.", // kinds_2 glued caption
		nil, "베트남 하노이 중심부의 르오페라 호텔에서 지난달 8일 큰 행사가 열렸다."},
	{"(부산=연합뉴스) 김바다 기자 = 부산항에 배가 들어왔다.", []article.Reporter{rep("김바다", "기자", "")}, "부산항에 배가 들어왔다."},
	// Not datelines.
	{"관계자는 “우리는 도움을 받는다”고 말했다. 하노이·호찌민=유근형 기자 noel@donga.com", nil, "관계자는 “우리는 도움을 받는다”고 말했다. 하노이·호찌민=유근형 기자 noel@donga.com"},
	{"(사진) 본문이다.", nil, "(사진) 본문이다."},
	{"[정치쇼] 본문", nil, "[정치쇼] 본문"},
	{"[앵커] 본문", nil, "[앵커] 본문"},
	{"[앵커]", nil, "[앵커]"},
	{"[기자]", nil, "[기자]"},
	{"[단독] 본문", nil, "[단독] 본문"},
	{"(1달러=1,300원) 환율이 올랐다.", nil, "(1달러=1,300원) 환율이 올랐다."},
	{"【 앵커멘트 】", nil, "【 앵커멘트 】"},
	{"[구병삼/통일부 대변인 : \"북측 구간에서의 통신선 이상 가능성\"]", nil, "[구병삼/통일부 대변인 : \"북측 구간에서의 통신선 이상 가능성\"]"},
	{"홍길동 기자가 현장을 찾았다. A=B라고 했다.", nil, "홍길동 기자가 현장을 찾았다. A=B라고 했다."},
	{"<질문 1> 몇 년 전엔", nil, "<질문 1> 몇 년 전엔"},
	{"", nil, ""},
	// A ▲/△ photo caption glued before the dateline goes with it; a
	// bracket in the caption is not the dateline, and a ▲ line with no
	// dateline stays whole.
	{"▲ 홍길동 회장[스포츠예시=김철수 기자] 본문이다.", []article.Reporter{rep("김철수", "기자", "")}, "본문이다."},
	{"△ 시민들이 광장(왼쪽)에 모였다 (서울=연합뉴스) 김유아 기자 = 정부가 발표했다.", []article.Reporter{rep("김유아", "기자", "")}, "정부가 발표했다."},
	{"▲ 홍길동(왼쪽) 회장【서울=뉴시스】이근홍 기자 = 본문", []article.Reporter{rep("이근홍", "기자", "")}, "본문"},
	{"▲ 정부는 (1달러=1,300원) 환율을 기준으로 삼았다.", nil, "▲ 정부는 (1달러=1,300원) 환율을 기준으로 삼았다."},
	{"▲ 주요 일정 [단독] 본문", nil, "▲ 주요 일정 [단독] 본문"},
}

func TestSplitDateline(t *testing.T) {
	for _, c := range datelineCases {
		t.Run(c.in, func(t *testing.T) {
			reps, rest := splitDateline(c.in)
			if !reflect.DeepEqual(reps, c.reps) {
				t.Errorf("reps = %#v, want %#v", reps, c.reps)
			}
			if rest != c.rest {
				t.Errorf("rest = %q, want %q", rest, c.rest)
			}
		})
	}
}

// bylineLineCases are whole paragraphs: byline and sign-off lines from the
// corpus pages, and body paragraphs that must stay.
var bylineLineCases = []struct {
	in   string
	reps []article.Reporter
	ok   bool
}{
	{"[이대희 기자(eday@pressian.com)]", []article.Reporter{rep("이대희", "기자", "eday@pressian.com")}, true},
	{"이창곤 선임기자 goni@hani.co.kr", []article.Reporter{rep("이창곤", "선임기자", "goni@hani.co.kr")}, true}, // hani_1
	{"홍길동 기자 (hong@x.co.kr)", []article.Reporter{rep("홍길동", "기자", "hong@x.co.kr")}, true},
	{"홍길동·김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}, true},
	// A specialist's title, a role written before the name, an envelope
	// before the address.
	{"홍길동 의학전문기자 hong@x.co.kr", []article.Reporter{rep("홍길동", "의학전문기자", "hong@x.co.kr")}, true},
	{"김영희 군사전문기자", []article.Reporter{rep("김영희", "군사전문기자", "")}, true},
	{"기자 : 홍길동", []article.Reporter{rep("홍길동", "기자", "")}, true},
	{"기자 홍길동 hong@x.co.kr", []article.Reporter{rep("홍길동", "기자", "hong@x.co.kr")}, true},
	{"홍길동 기자 ✉ hong@x.co.kr", []article.Reporter{rep("홍길동", "기자", "hong@x.co.kr")}, true},
	{"홍길동 기자 ✉️hong@x.co.kr", []article.Reporter{rep("홍길동", "기자", "hong@x.co.kr")}, true},
	{"과학전문기자가 말했다", nil, false},
	// Desk heads sign with their desk's title, never read as a name.
	{"임지선 경제부장 jslim@example.co.kr", []article.Reporter{rep("임지선", "경제부장", "jslim@example.co.kr")}, true},
	{"홍길동 디지털뉴스국장", []article.Reporter{rep("홍길동", "디지털뉴스국장", "")}, true},
	{"김철수 산업부 차장", []article.Reporter{rep("김철수", "차장", "")}, true},
	{"정리=홍길동 편집부국장", []article.Reporter{rep("홍길동", "편집부국장", "")}, true},
	{"YTN 나혜인 (dglee@ytn.co.kr)", []article.Reporter{rep("나혜인", "", "dglee@ytn.co.kr")}, true},         // ytn_1
	{"YTN 조예진 (choyj0622@ytn.co.kr)", []article.Reporter{rep("조예진", "", "choyj0622@ytn.co.kr")}, true}, // ytn_3
	{"MBN뉴스 안진우입니다. [tgar1@mbn.co.kr]", []article.Reporter{rep("안진우", "", "tgar1@mbn.co.kr")}, true},   // mbn_1
	{"MBN뉴스 장가희입니다. [jang.gahui@mbn.co.kr]", []article.Reporter{rep("장가희", "", "jang.gahui@mbn.co.kr")}, true},
	{"KBS 뉴스 김수연입니다.", []article.Reporter{rep("김수연", "", "")}, true}, // kbs_2
	{"SBS 뉴스 홍길동입니다", []article.Reporter{rep("홍길동", "", "")}, true},
	{"백아영 / 화면캡처 MBC", []article.Reporter{rep("백아영", "", "")}, true},                                                // mbc_2
	{"hague@yna.co.kr (END)", []article.Reporter{rep("", "", "hague@yna.co.kr")}, true},                             // yonhapen_1
	{"By Lee Haye-ah", []article.Reporter{rep("Lee Haye-ah", "", "")}, true},                                        // yonhapen_1
	{"정리/조계완 한겨레사회정책연구소 연구위원 kyewan@hani.co.kr", []article.Reporter{rep("조계완", "연구위원", "kyewan@hani.co.kr")}, true}, // kinds_1
	{"하노이·호찌민=유근형 기자 noel@donga.com", []article.Reporter{rep("유근형", "기자", "noel@donga.com")}, true},                 // kinds_2
	{"유근형 기자 noel@donga.com", []article.Reporter{rep("유근형", "기자", "noel@donga.com")}, true},
	{"lkh2011@newsis.com", []article.Reporter{rep("", "", "lkh2011@newsis.com")}, true}, // daum_1
	{"워싱턴=김경희 특파원", []article.Reporter{rep("김경희", "특파원", "")}, true},
	{"홍길동 논설위원", []article.Reporter{rep("홍길동", "논설위원", "")}, true},
	{"홍길동 선임기자", []article.Reporter{rep("홍길동", "선임기자", "")}, true},
	{"홍길동 객원기자", []article.Reporter{rep("홍길동", "객원기자", "")}, true},
	{"홍길동 인턴기자", []article.Reporter{rep("홍길동", "인턴기자", "")}, true},
	{"홍길동 앵커", []article.Reporter{rep("홍길동", "앵커", "")}, true},
	{"글·사진=홍길동 기자", []article.Reporter{rep("홍길동", "기자", "")}, true},
	{"☞공감언론 뉴시스 2papers@newsis.com", []article.Reporter{rep("", "", "2papers@newsis.com")}, true}, // daum copy of Newsis
	{"◎공감언론 뉴시스 lkh2011@newsis.com", []article.Reporter{rep("", "", "lkh2011@newsis.com")}, true},
	{"[홍길동 기자]", []article.Reporter{rep("홍길동", "기자", "")}, true}, // MK closing byline
	{"TV조선 홍길동입니다.", []article.Reporter{rep("홍길동", "", "")}, true},
	{"연합뉴스TV 홍길동입니다.", []article.Reporter{rep("홍길동", "", "")}, true},
	{"연합뉴스", nil, true}, // hani_2
	{"뉴시스", nil, true},
	{"[CBS 김현정의 뉴스쇼]", nil, true}, // daum_2 sign-off
	{"안소윤 기자 antahn22@sportschosun.com", []article.Reporter{rep("안소윤", "기자", "antahn22@sportschosun.com")}, true}, // chosun_11
	{"유현태 기자(yht@spotvnews.co.kr)", []article.Reporter{rep("유현태", "기자", "yht@spotvnews.co.kr")}, true},            // naversports_1
	{"이현주 기자(lovelypsyche@newsis.com)", []article.Reporter{rep("이현주", "기자", "lovelypsyche@newsis.com")}, true},    // naver_1
	{"정덕현 칼럼니스트 thekian1@entermedia.co.kr", []article.Reporter{rep("정덕현", "칼럼니스트", "thekian1@entermedia.co.kr")}, true},
	{"이윤주 기자 runyj@kyunghyang.com", []article.Reporter{rep("이윤주", "기자", "runyj@kyunghyang.com")}, true}, // khan_1
	{"/김태연 기자", []article.Reporter{rep("김태연", "기자", "")}, true},
	{"김바다 기자 sea@x.co.kr", []article.Reporter{rep("김바다", "기자", "sea@x.co.kr")}, true}, // a name ending in 다
	{"(서울=연합뉴스) 이보다 기자 =", []article.Reporter{rep("이보다", "기자", "")}, true},
	// Issue 11: sign-offs naming any outlet, credit prefixes, photo
	// credits, English bylines, several reporters on one line.
	{"연합뉴스 홍길동입니다.", []article.Reporter{rep("홍길동", "", "")}, true},
	{"MBC뉴스 김철수입니다.", []article.Reporter{rep("김철수", "", "")}, true},
	{"대전MBC 박영희 기자입니다.", []article.Reporter{rep("박영희", "기자", "")}, true},
	{"채널A 뉴스 이민수입니다.", []article.Reporter{rep("이민수", "", "")}, true},
	{"OBS뉴스 최지훈입니다. choi@obs.co.kr", []article.Reporter{rep("최지훈", "", "choi@obs.co.kr")}, true},
	{"정리=홍길동 기자", []article.Reporter{rep("홍길동", "기자", "")}, true},
	{"글=김철수 객원기자", []article.Reporter{rep("김철수", "객원기자", "")}, true},
	{"사진=박영희 기자", []article.Reporter{rep("박영희", "기자", "")}, true},
	{"취재=이민수 기자 lee@example.co.kr", []article.Reporter{rep("이민수", "기자", "lee@example.co.kr")}, true},
	{"글·사진 = 최지훈 기자", []article.Reporter{rep("최지훈", "기자", "")}, true},
	{"홍길동 / 사진출처 연합뉴스", []article.Reporter{rep("홍길동", "", "")}, true},
	{"김철수 / 사진제공 OO시청", []article.Reporter{rep("김철수", "", "")}, true},
	{"By Max Lee", []article.Reporter{rep("Max Lee", "", "")}, true},
	{"Reporter: Park Ji-won", []article.Reporter{rep("Park Ji-won", "", "")}, true},
	{"Max Lee (max@example.com)", []article.Reporter{rep("Max Lee", "", "max@example.com")}, true},
	{"Written by Kim Min-ji", []article.Reporter{rep("Kim Min-ji", "", "")}, true},
	{"홍길동·김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}, true},
	{"홍길동, 김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}, true},
	{"홍길동 김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}, true},
	{"By Park Han-na (hnpark@example.com)", []article.Reporter{rep("Park Han-na", "", "hnpark@example.com")}, true},
	{"By Kim Ji-eun, staff reporter", []article.Reporter{rep("Kim Ji-eun", "", "")}, true},
	{"By Choi Min-su, Senior Correspondent", []article.Reporter{rep("Choi Min-su", "", "")}, true},
	{"BY LEE TAE-HEE [lee.taehee@example.com]", []article.Reporter{rep("LEE TAE-HEE", "", "lee.taehee@example.com")}, true},
	{"Kim Min-ji Staff Reporter (minji@example.com)", []article.Reporter{rep("Kim Min-ji", "", "minji@example.com")}, true},
	{"[정치쇼] 홍길동 앵커", []article.Reporter{rep("홍길동", "앵커", "")}, true},
	{"[단독] 김철수 기자", []article.Reporter{rep("김철수", "기자", "")}, true},
	{"<정치쇼> 박영희 기자 park@example.com", []article.Reporter{rep("박영희", "기자", "park@example.com")}, true},
	// Issue 11: not bylines.
	{"[정치쇼]", nil, false},
	{"[단독]", nil, false},
	{"바로 김철수입니다.", nil, false},
	{"제가 바로 홍길동입니다.", nil, false},
	{"Reporter: Welcome back to the show.", nil, false},
	{"By the way, the market closed higher.", nil, false},
	{"BY THE NUMBERS", nil, false},
	{"SEOUL GOVERNMENT OFFICE", nil, false},
	// Not bylines.
	{"김바다 보러 갔다.", nil, false},
	{"홍길동 기자가 현장을 찾았다.", nil, false},
	{"취재기자 연결합니다. 나혜인 기자!", nil, false}, // ytn_1, anchor hand-off
	{"김수연 기자입니다.", nil, false},          // kbs_2, anchor hand-off
	{"안진우 기자입니다.", nil, false},
	{"장가희 기자가 취재했습니다.", nil, false}, // mbn_3
	{"이정전 서울대 명예교수", nil, false},    // kinds_1 body line
	{"[앵커]", nil, false},
	{"[기자]", nil, false},
	{"【 기자 】", nil, false},
	{"바로 방울토마토입니다.", nil, false}, // ytn_3
	{"월간 박지원이었습니다.", nil, false}, // daum_2
	{"◇ 김현정> 고맙습니다.", nil, false},
	{"▶ 스탠딩 : 장가희 / 기자 - \"마트 우유 매장에 와봤습니다.\"", nil, false}, // mbn_3
	{"지금까지 사회1부에서 전해드렸습니다.", nil, true},                     // ytn_1 reporter sign-off
	{"지금까지 국회에서 YTN 나혜인입니다.", []article.Reporter{rep("나혜인", "", "")}, true},
	{"지금까지 경찰의 설명을 들어봤는데요, 문제는 여기서 시작됩니다.", nil, false},
	{"김철수 대표", nil, false},
	{"홍길동", nil, false},
	{"Festival Calendar", nil, false},
	{"NISSAN SENTRA", nil, false}, // aeb: English subheadings
	{"WHAT YOU NEED TO MAKE JAM", nil, false},
	{"GPS", nil, false},
	{"다만 기자들의 전화만 받지 못했을 뿐이라며 현재는 언론의 취재에 할 말이 없다고 했습니다.", nil, false},
	{"■ 복지국가와 정의의 주체는?", nil, false}, // kinds_1 subheading
	{"사진", nil, false},
	// A link after the byline.
	{"홍길동 기자 hong@example.com ▶ 기자의 다른 기사 보기", []article.Reporter{rep("홍길동", "기자", "hong@example.com")}, true},
	{"홍길동 ▶ 다른 기사", nil, false}, // no role, no address before the arrow
	// A page's parts: a name-shaped word and a word credits also use.
	{"인기 기사", nil, false},
	{"최신 기사", nil, false},
	{"이전 기사", nil, false},
	{"추천 기사", nil, false},
	{"주가 정보", nil, false},
	{"방송 정보", nil, false},
	{"지역 뉴스", nil, false},
	{"주간 인기 뉴스", nil, false},
	{"MBN 소개", nil, false}, // corpus pages' menus: an outlet and a word
	{"YTN 라디오", nil, false},
	{"한국일보 이용약관", nil, false},
	{"SBS뉴스 공식 유튜브", nil, false},
	{"이시각 주요뉴스", nil, false},
	{"디지털 서비스", nil, false},
	{"기획/연재", nil, false}, // a label and a two-syllable word
	{"번역 설정", nil, false},
	{strings.Repeat("홍길동 기자 ", 40), nil, false},
	{"", nil, false},
}

func TestParseBylineLine(t *testing.T) {
	for _, c := range bylineLineCases {
		t.Run(c.in, func(t *testing.T) {
			reps, ok := parseBylineLine(c.in)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (reps %#v)", ok, c.ok, reps)
			}
			if !reflect.DeepEqual(reps, c.reps) {
				t.Errorf("reps = %#v, want %#v", reps, c.reps)
			}
		})
	}
}

var reporterCases = []struct {
	in   string
	want []article.Reporter
}{
	{"권상은 기자", []article.Reporter{rep("권상은", "기자", "")}},      // chosun_1 byline
	{"박준석 기자 외 1명", []article.Reporter{rep("박준석", "기자", "")}}, // hankookilbo_3
	{"이윤주 기자 runyj@kyunghyang.com", []article.Reporter{rep("이윤주", "기자", "runyj@kyunghyang.com")}},
	{"홍길동·김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}},
	{"홍길동, 김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}},
	{"순천, 광양 구현모 기자", []article.Reporter{rep("구현모", "기자", "")}},                                                                                             // hankookilbo_1
	{"순천, 광양 구현모 기자 ninek@hankookilbo.com", []article.Reporter{rep("구현모", "기자", "ninek@hankookilbo.com")}},                                                  // hankookilbo_1
	{"스포츠조선 = 안소윤 기자", []article.Reporter{rep("안소윤", "기자", "")}},                                                                                            // chosun_11 credits
	{"임소정", []article.Reporter{rep("임소정", "", "")}},                                                                                                         // mbc_1
	{"Lee Haye-ah", []article.Reporter{rep("Lee Haye-ah", "", "")}},                                                                                         // yonhapen_1
	{"배윤경 기자 bykj@mk.co.kr 이상현 기자 lee.sanghyun@mk.co.kr", []article.Reporter{rep("배윤경", "기자", "bykj@mk.co.kr"), rep("이상현", "기자", "lee.sanghyun@mk.co.kr")}}, // mk_1
	{"기자 정보 이동환 기자 leedong@kbs.co.kr", []article.Reporter{rep("이동환", "기자", "leedong@kbs.co.kr")}},                                                           // kbs_1
	{"이남경 MK스포츠 기자(mkculture3@mkculture.com)", []article.Reporter{rep("이남경", "기자", "mkculture3@mkculture.com")}},
	{"noisycart@sbs.co.kr(최승훈 기자)", []article.Reporter{rep("최승훈", "기자", "noisycart@sbs.co.kr")}},
	{"CBS노컷뉴스 정영철 기자", []article.Reporter{rep("정영철", "기자", "")}},
	{"허상욱 기자wook@sportschosun.com/2023.04.07", []article.Reporter{rep("허상욱", "기자", "wook@sportschosun.com")}},
	{"안진우 기자", []article.Reporter{rep("안진우", "기자", "")}},
	{"홍길동 특파원", []article.Reporter{rep("홍길동", "특파원", "")}},
	{"홍길동 논설실장", []article.Reporter{rep("홍길동", "논설실장", "")}},
	{"홍길동 수습기자", []article.Reporter{rep("홍길동", "수습기자", "")}},
	{"홍길동 전문기자", []article.Reporter{rep("홍길동", "전문기자", "")}},
	{"홍길동 대기자", []article.Reporter{rep("홍길동", "대기자", "")}},
	{"홍길동 편집위원", []article.Reporter{rep("홍길동", "편집위원", "")}},
	{"홍길동 기상캐스터", []article.Reporter{rep("홍길동", "기상캐스터", "")}},
	{"홍길동 PD", []article.Reporter{rep("홍길동", "PD", "")}},
	{"선우용녀 기자", []article.Reporter{rep("선우용녀", "기자", "")}},
	{"남궁민수 특파원", []article.Reporter{rep("남궁민수", "특파원", "")}},
	{"글·사진=홍길동 기자", []article.Reporter{rep("홍길동", "기자", "")}},
	{"권하영 기자", []article.Reporter{rep("권하영", "기자", "")}},
	{"김훈·이산 기자", []article.Reporter{rep("김훈", "기자", ""), rep("이산", "기자", "")}},
	{"lkh2011@newsis.com", []article.Reporter{rep("", "", "lkh2011@newsis.com")}},
	{"김철수 기자 입력 2023.04.07 08:26", []article.Reporter{rep("김철수", "기자", "")}},
	{"뉴스1 김철수 기자", []article.Reporter{rep("김철수", "기자", "")}},
	{"헤럴드경제=김철수 기자", []article.Reporter{rep("김철수", "기자", "")}},
	{"김철수 한경닷컴 기자 kim@hankyung.com", []article.Reporter{rep("김철수", "기자", "kim@hankyung.com")}},
	{"김철수 경제부 기자", []article.Reporter{rep("김철수", "기자", "")}},
	{"By Kim Chul-soo", []article.Reporter{rep("Kim Chul-soo", "", "")}},
	{"By Conor O'Brien", []article.Reporter{rep("Conor O'Brien", "", "")}},
	{"김철수·이영희·박민수 기자", []article.Reporter{rep("김철수", "기자", ""), rep("이영희", "기자", ""), rep("박민수", "기자", "")}},
	{"김철수 선임기자·이영희 기자", []article.Reporter{rep("김철수", "선임기자", ""), rep("이영희", "기자", "")}},
	{"김철수 기자, 이영희 기자", []article.Reporter{rep("김철수", "기자", ""), rep("이영희", "기자", "")}},
	{"[OSEN=잠실, 홍길동 기자]", []article.Reporter{rep("홍길동", "기자", "")}},
	// Issue 11: meta and header-element values.
	{"Reporter: Max Lee", []article.Reporter{rep("Max Lee", "", "")}},
	{"Max Lee (max@example.com)", []article.Reporter{rep("Max Lee", "", "max@example.com")}},
	{"정리=홍길동 기자", []article.Reporter{rep("홍길동", "기자", "")}},
	{"홍길동 김철수 기자", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}},
	{"홍길동 기자 hong@example.com", []article.Reporter{rep("홍길동", "기자", "hong@example.com")}},
	{"[정치쇼]", nil},
	{"[정치쇼] 홍길동 앵커", []article.Reporter{rep("홍길동", "앵커", "")}},
	{"[이슈분석] 김하늘·이수진 기자", []article.Reporter{rep("김하늘", "기자", ""), rep("이수진", "기자", "")}},
	{"[단독]", nil},
	{"[앵커]", nil},
	{"디지털뉴스부 기자", nil},
	{"온라인뉴스팀 기자", nil},
	{"https://www.facebook.com/example", nil},
	// Desks, programs and outlets are not people.
	{"디지털뉴스부", nil}, // tvchosun_2
	{"사회부", nil},
	{"iMBC 연예", nil}, // mbc_2
	{"SBS 뉴스", nil},  // sbs_2
	{"SBS NEWS", nil},
	{"조선일보", nil}, // chosun article:author
	{"연합뉴스", nil},
	{"[아는기자]", nil},
	{"CBS 김현정의 뉴스쇼", nil}, // daum_2
	{"뉴스1", nil},
	{"온라인뉴스팀", nil},
	{"영문경제", nil}, // yonhapen meta author
	{"YTN 사이언스", nil},
	{"온라인 이슈팀", nil},
	{"정치부", nil},
	{"", nil},
}

func TestParseReporters(t *testing.T) {
	for _, c := range reporterCases {
		t.Run(c.in, func(t *testing.T) {
			got := parseReporters(c.in)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseReporters(%q) = %#v, want %#v", c.in, got, c.want)
			}
		})
	}
}

func TestIsDeskName(t *testing.T) {
	for _, s := range []string{"디지털뉴스부", "사회부", "iMBC 연예", "SBS 뉴스", "SBS NEWS", "조선일보", "연합뉴스",
		"[아는기자]", "CBS 김현정의 뉴스쇼", "뉴스1", "온라인뉴스팀", "영문경제", "편집국", "정치부", "KBS", "YTN"} {
		if !isDeskName(s) {
			t.Errorf("isDeskName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"권상은 기자", "임소정", "Lee Haye-ah", "CBS노컷뉴스 정영철 기자", "홍길동 편집위원",
		"[이대희 기자(eday@pressian.com)]", "김진국", ""} {
		if isDeskName(s) {
			t.Errorf("isDeskName(%q) = true, want false", s)
		}
	}
}

func FuzzSplitDateline(f *testing.F) {
	for _, c := range datelineCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, p string) {
		reps, rest := splitDateline(p)
		if len(rest) > len(p) || !strings.HasSuffix(p, rest) {
			t.Fatalf("splitDateline(%q) rest %q is not a suffix of the input", p, rest)
		}
		if utf8.ValidString(p) && !utf8.ValidString(rest) {
			t.Errorf("splitDateline(%q) rest %q is not valid UTF-8", p, rest)
		}
		checkReporters(t, p, reps)
	})
}

func FuzzParseBylineLine(f *testing.F) {
	for _, c := range bylineLineCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, p string) {
		reps, ok := parseBylineLine(p)
		if !ok && len(reps) > 0 {
			t.Errorf("parseBylineLine(%q) not ok with reporters %#v", p, reps)
		}
		checkReporters(t, p, reps)
	})
}

func FuzzParseReporters(f *testing.F) {
	for _, c := range reporterCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkReporters(t, s, parseReporters(s))
		_ = isDeskName(s)
	})
}

func checkReporters(t *testing.T, in string, reps []article.Reporter) {
	t.Helper()
	for _, r := range reps {
		if !utf8.ValidString(r.Name) || !utf8.ValidString(r.Email) || !utf8.ValidString(r.Role) {
			t.Errorf("input %q: reporter %#v is not valid UTF-8", in, r)
		}
		if r.Name == "" && r.Email == "" {
			t.Errorf("input %q: empty reporter %#v", in, r)
		}
		if strings.TrimSpace(r.Name) != r.Name {
			t.Errorf("input %q: name %q has outer spaces", in, r.Name)
		}
	}
}

// TestBylineLineMemo checks that a page's memo of parseBylineLine gives
// what parseBylineLine gives, on the first call and on a repeated one.
func TestBylineLineMemo(t *testing.T) {
	pg := &page{}
	for round := range 2 {
		for _, c := range bylineLineCases {
			wantReps, wantOK := parseBylineLine(c.in)
			reps, ok := pg.bylineLine(c.in)
			if ok != wantOK || !reflect.DeepEqual(reps, wantReps) {
				t.Errorf("round %d: bylineLine(%q) = %v, %v; want %v, %v", round, c.in, reps, ok, wantReps, wantOK)
			}
		}
	}
	if len(pg.bylines) == 0 {
		t.Error("nothing memoized")
	}
}

// TestScanBylineTwice checks that scanning a byline twice from one
// tokenization gives what two scanByline calls give: the scan marks the
// tokens it uses, so a second scan over the same tokens would differ.
func TestScanBylineTwice(t *testing.T) {
	var lines []string
	for _, c := range bylineLineCases {
		lines = append(lines, c.in)
	}
	lines = append(lines, "홍길동 기자", "임소정", "백아영 / 화면캡처 MBC", "By Lee Haye-ah", "홍길동·김철수 기자 hong@example.com",
		"디지털뉴스부", "[아는기자]", "lkh2011@newsis.com", "순천, 광양 구현모 기자", "글·사진=홍길동 기자")
	for _, l := range lines {
		s := normalizeSpace(l)
		first := scanByline(s, false)
		for _, again := range []bool{false, true} {
			want := first
			if again {
				want = scanByline(s, true)
			}
			got := scanBylineTwice(s, func(sc *scan) bool {
				if !reflect.DeepEqual(sc, first) {
					t.Errorf("%q: the first scan differs from scanByline(s, false)", s)
				}
				return again
			})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q (again %v): scanBylineTwice = %+v; want %+v", s, again, got, want)
			}
		}
	}
}

// TestBylineSepsOutsideHangul: tokenize passes over the characters from
// U+A000 to U+D7FF without asking isBylineSep, so none may be a separator.
func TestBylineSepsOutsideHangul(t *testing.T) {
	for r := rune(0xA000); r <= 0xD7FF; r++ {
		if isBylineSep(r) {
			t.Errorf("isBylineSep(%U) = true: tokenize's Hangul fast path would miss it", r)
		}
	}
}

// TestCutTrailingByline: bylines glued after a paragraph's last sentence,
// in several outlets' forms, are cut; sentences, labelled credits and
// names in the text are not.
func TestCutTrailingByline(t *testing.T) {
	for _, c := range []struct {
		in, head string
		reps     []article.Reporter
	}{
		{"정부는 이를 권고했다. /김태연 기자", "정부는 이를 권고했다.", []article.Reporter{rep("김태연", "기자", "")}},
		{"정부는 이를 권고했다./김태연 기자", "정부는 이를 권고했다./김태연 기자", nil}, // no boundary to cut at
		{"업계는 환영했다. 홍길동 기자 hong@donga.com", "업계는 환영했다.", []article.Reporter{rep("홍길동", "기자", "hong@donga.com")}},
		{"관계자는 “도움을 받는다”고 말했다. 하노이·호찌민=유근형 기자 noel@donga.com", "관계자는 “도움을 받는다”고 말했다.", []article.Reporter{rep("유근형", "기자", "noel@donga.com")}},
		{"시장은 반등할까요? / 이창곤 선임기자 goni@hani.co.kr", "시장은 반등할까요?", []article.Reporter{rep("이창곤", "선임기자", "goni@hani.co.kr")}},
		{"회의는 끝났다. 홍길동·김철수 기자", "회의는 끝났다.", []article.Reporter{rep("홍길동", "기자", ""), rep("김철수", "기자", "")}},
		{"결과가 나왔다. 뉴욕=홍길동 특파원", "결과가 나왔다.", []article.Reporter{rep("홍길동", "특파원", "")}},
		// Not bylines.
		{"행사장이 붐볐다. 사진=홍길동 기자", "행사장이 붐볐다. 사진=홍길동 기자", nil},
		{"행사장이 붐볐다. 영상편집: 홍길동 기자", "행사장이 붐볐다. 영상편집: 홍길동 기자", nil},
		{"이 자리에는 홍길동 기자가 참석했다.", "이 자리에는 홍길동 기자가 참석했다.", nil},
		{"그는 말했다. 홍길동 기자는 현장에 있었다", "그는 말했다. 홍길동 기자는 현장에 있었다", nil},
		{"정부, 홍길동 기자", "정부, 홍길동 기자", nil},
		{"홍길동 기자", "홍길동 기자", nil},
		{"본문이다.", "본문이다.", nil},
	} {
		head, reps, ok := cutTrailingByline(c.in)
		if head != c.head || !reflect.DeepEqual(reps, c.reps) || ok != (c.reps != nil) {
			t.Errorf("cutTrailingByline(%q) = %q, %v, %v; want %q, %v", c.in, head, reps, ok, c.head, c.reps)
		}
	}
}

// TestHandOffReporter: the anchor's hand-off names the reporter when the
// report's label follows it, in KBS, SBS, MBN and YTN forms.
func TestHandOffReporter(t *testing.T) {
	lead := "정부가 내년도 반도체 예산을 크게 늘렸습니다."
	for _, c := range []struct {
		lines []string
		want  string
	}{
		{[]string{"[앵커]", lead, "김수연 기자입니다.", "[리포트]", "본문"}, "김수연"},
		{[]string{lead, "자세한 내용, 김수연 기자가 보도합니다.", "<기자>", "본문"}, "김수연"},
		{[]string{"【 앵커멘트 】", lead, "안진우 기자입니다.", "【 기자 】", "본문"}, "안진우"},
		{[]string{lead, "워싱턴에서 홍길동 특파원이 전합니다.", "[특파원]", "본문"}, ""}, // 이 is not 가: not matched
		{[]string{lead, "워싱턴 홍길동 특파원입니다.", "[기자]", "본문"}, "홍길동"},
		// No label after it, a sentence, or a name that is not one.
		{[]string{lead, "김수연 기자입니다.", "본문"}, ""},
		{[]string{lead, "저는 그때 현장에 간 김수연 기자입니다. 당시 상황은 이랬습니다.", "[리포트]"}, ""},
		{[]string{lead, "취재 기자입니다.", "[리포트]"}, ""},
		{[]string{lead, "김수연 기자입니다."}, ""},
	} {
		r, ok := handOffReporter(c.lines)
		if ok != (c.want != "") || r.Name != c.want || ok && r.Role == "" {
			t.Errorf("handOffReporter(%q) = %+v, %v; want %q", c.lines, r, ok, c.want)
		}
	}
}

// TestWordListIndexes: the shortcuts that skip the suffix lists know
// every suffix's last character, and wordKinds holds every listed word.
func TestWordListIndexes(t *testing.T) {
	for ends, list := range map[string][]string{outletSuffixEnds: outletSuffixes, sentenceTailEnds: sentenceTails} {
		for _, s := range list {
			if r, _ := utf8.DecodeLastRuneInString(s); !strings.ContainsRune(ends, r) {
				t.Errorf("%q ends in %q, which %q lacks", s, r, ends)
			}
		}
	}
	for kind, set := range map[uint8]map[string]bool{kindRole: roleWords, kindCredit: creditWords,
		kindPlace: placeWords, kindOutletName: outletNames, kindDesk: deskExact} {
		for w := range set {
			if wordKinds.Get()[w]&kind == 0 {
				t.Errorf("wordKinds[%q] lacks kind %d", w, kind)
			}
		}
	}
}

func TestIndexArrow(t *testing.T) {
	for _, s := range []string{"", "홍길동 기자", "홍길동 기자 ▶ 다른 기사", "☞공감언론", "a ▷ b", "— ▶", "‘인용’ ▶ x"} {
		if got, want := indexArrow(s), strings.IndexAny(s, "▶☞▷"); got != want {
			t.Errorf("indexArrow(%q) = %d, want %d", s, got, want)
		}
	}
}
