package parser

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// lineCases are real paragraphs from the corpus pages and the research
// notes §10.4, with what they are.
var lineCases = []struct {
	in   string
	want lineKind
}{
	// Asks to install the app, a graphic's title, the AI-training notice
	// alone; and sentences that only mention them.
	{"[알림] 예시일보 앱을 설치하세요", linePromo},
	{"지금 예시뉴스 앱을 다운로드하세요!", linePromo},
	{"그는 \"앱을 설치하세요\"라는 문자를 받았다고 말했다.", lineText},
	{"[그래픽] 반도체 예산 추이", lineCredit},
	{"[그래픽] 정부는 반도체 예산을 늘렸다", lineText},
	{"[영상] 정부 반도체 지원 발표", lineCredit},
	{"[동영상] 반도체 공장 내부", lineCredit},
	{"[영상] 정부가 반도체 지원책을 발표했습니다.", lineText},
	{"AI 학습 이용 금지", lineCopyright},
	{"정부는 AI 학습에 저작물을 쓰는 것을 금지하는 법안을 검토하고 있다.", lineText},
	// Copyright notices.
	{"Copyright © 프레시안. 무단전재 및 재배포 금지.", lineCopyright},
	{"<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", lineCopyright},
	{"[저작권자(c) YTN 무단전재 및 재배포 금지]", lineCopyright},      // ytn_1
	{"Copyrights ⓒ TV조선. 무단전재 및 재배포 금지", lineCopyright}, // tvchosun_1
	{"ⓒ 경향신문 & 경향닷컴, 무단 전재 및 재배포 금지", lineCopyright},
	{"© 경향신문 & 경향닷컴, 무단 전재 및 재배포 금지", lineCopyright}, // khan_1
	{"ⓒ 공감언론 뉴시스통신사. 무단전재-재배포 금지.", lineCopyright},   // daum_1
	{"Copyright (c) YTN. All rights reserved. 모든 컨텐츠(기사)는 저작권법의 보호를 받은바, 무단 전재·복사·배포를 금합니다.", lineCopyright},
	{"MBN의 모든 기사 및 영상(콘텐츠)은 저작권법의 보호를 받으며, 무단 전재, 복사, 배포를 금합니다.", lineCopyright}, // mbn_1
	{"ⓒ SBS & SBS Digital News Lab all rights reserved.", lineCopyright},         // sbs_1
	{"<저작권자 ⓒ SPOTV NEWS 무단전재 및 재배포 금지>", lineCopyright},
	{"ⓒ 연합뉴스", lineCopyright},
	{"ⓒ 뉴시스", lineCopyright}, // naver_1
	{"<Copyright ⓒ 한국일보. All rights reserved. 무단 전재 및 재배포 금지>", lineCopyright},          // hankookilbo_3
	{"Copyright (c) 매경AX. All rights reserved. 무단 전재, 재배포 및 AI학습 이용 금지", lineCopyright}, // mk_1
	{"Copyright ⓒ MBN(매일방송) 무단전재 및 재배포 금지", lineCopyright},                              // mbn_1
	{"<저작권자 © ‘돈이 보이는 리얼타임 뉴스’ 머니투데이. 무단전재 및 재배포, AI학습 이용 금지>", lineCopyright},
	{"[저작권자 ⓒ디지털타임스, 무단 전재-재배포, AI 학습 및 활용 금지]", lineCopyright},
	{"Copyright © KBS All Rights Reserved.", lineCopyright}, // kbs_1
	{"Copyright ⓒ 뉴시스. All rights reserved. 무단 전재 및 재배포 금지.", lineCopyright},
	{"저작권자ⓒ CBS 노컷뉴스(www.nocutnews.co.kr) 무단전재 및 재배포 금지", lineCopyright}, // daum_2
	{"저작권자 © 연합인포맥스 무단전재 및 재배포 금지", lineCopyright},                       // einfomax_1
	{"저작권자 ⓒ한겨레. 무단 전재-재배포 금지", lineCopyright},                           // kinds_1
	{"저작권자 ⓒ '대중문화컨텐츠 전문가그룹' 엔터미디어(www.entermedia.co.kr), 무단전재 및 재배포금지", lineCopyright},
	{"Copyright ⓒ Entermedia.co.kr. 무단전재 및 재배포 금지", lineCopyright},
	{"Copyright 2019 © 연합뉴스TV :: 대한민국 뉴스의 시작. 채널 23 All rights reserved.", lineCopyright},
	{"연합인포맥스 모든 콘텐츠(영상,기사, 사진)는 저작권법의 보호를 받는 바, 무단 전재와 복사, 배포 등을 금합니다.", lineCopyright},
	{"이 콘텐츠의 저작권은 저작권자 또는 제공처에 있으며, 이를 무단 이용하는 경우 저작권법 등에 따라 법적 책임을 질 수 있습니다.", lineCopyright},
	{"GoodNews paper ⓒ 국민일보(www.kmib.co.kr), 무단전재 및 수집, 재배포금지", lineCopyright},
	{"ⓒMBC&iMBC 무단 전재, 재배포 및 이용(AI학습 포함) 금지", lineCopyright},
	{"Copyright ⓒ The Hankyoreh. All rights reserved.", lineCopyright},
	{"Copyright (c) Yonhap News Agency. All Rights Reserved.", lineCopyright},
	{"ⓒ연합뉴스TV, 무단 전재-재배포, AI 학습 및 활용 금지", lineCopyright},
	{"Copyright ©", lineCopyright},
	{"세상을 보는 균형, 한국일보 Copyright © Hankookilbo", lineCopyright}, // hankookilbo_3 footer
	{"[ⓒ 한국경제 & hankyung.com, 무단전재 및 재배포 금지]", lineCopyright},
	{"<저작권자 ⓒ 1980-2024 ㈜연합뉴스. 무단 전재 재배포 금지, AI 학습 및 활용 금지>", lineCopyright},
	// Promos.
	{"▶ 네이버에서 연합뉴스 구독하기", linePromo},
	{"▶제보하기", linePromo},
	{"▶ [단독] 김 모씨 구속…\"혐의 인정\"", linePromo},
	{"※ 당신의 제보가 뉴스가 됩니다", linePromo},
	{"※ '당신의 제보가 뉴스가 됩니다'", linePromo}, // ytn_1
	{"[카카오톡] YTN 검색해 채널 추가 [전화] 02-398-8585 [메일] social@ytn.co.kr", linePromo},
	{"[카카오톡] YTN 검색해 채널 추가", linePromo},
	{"다양한 채널에서 연합뉴스를 만나보세요!", linePromo},
	{"이 기사의 구독료를 내고 싶습니다", linePromo},
	{"기사 읽어주기 서비스는 크롬기반의 브라우저에서만 사용하실 수 있습니다.", linePromo},
	{"VOD 시청 안내", linePromo}, // mbn_1 player notice
	{"어도비 플래시 플레이어 서비스 종료에 따라 현재 브라우저 버전에서는 서비스가 원할하지 않습니다.", linePromo},
	{"#고물가 #짠테크 #오픈채팅 #거지방 #2030세대 #허세플레이션 #입고런", linePromo}, // yonhapnewstv_1
	{"#안진우기자", linePromo},
	{"최신 유행 트렌드 총집결 #흥(클릭!)", linePromo}, // naver_3
	{"☞공감언론 뉴시스 2papers@newsis.com", linePromo},
	{"본 기사는 인포맥스 금융정보 단말기에서 2시간 더 빠른 13시 17분에 서비스된 기사입니다.", linePromo}, // einfomax_1
	{"▷ 카카오톡 : 'KBS제보' 검색, 채널 추가", linePromo},
	{"▶ 가장 확실한 SBS 제보 [클릭!]", linePromo},
	{"※ ⓒ SBS & SBS Digital News Lab : 무단복제 및 재배포 금지", lineCopyright},
	{"네이버에서 예시일보를 구독하세요!", linePromo},
	{"유튜브 채널을 구독해 주세요", linePromo},
	{"이 기사를 공유합니다", linePromo}, // ND-soft's share box
	{"기사 공유하기", linePromo},
	{"기사 잘 보셨나요? 후원하기", linePromo},
	{"좋은기사 원고료 주기", linePromo},
	{"좋아요 0 화나요 0 슬퍼요 0", linePromo},
	{"좋아요 12 훈훈해요 3 후속기사 원해요 1", linePromo},
	{"이 기사가 마음에 들었다면, 좋아요를 눌러주세요.", linePromo},
	{"글자크기", linePromo}, // an article page's buttons, in the text's element
	{"URL 복사", linePromo},
	{"기자 프로필", linePromo},
	{"이 기사를 추천합니다", linePromo},
	{"[광고]", linePromo},
	// Tip lines.
	{"기사제보 및 보도자료 news@example.co.kr", lineTip},
	{"제보 및 문의 02-123-4567", lineTip},
	{"Please direct questions or comments to [english@example.co.kr]", lineTip},
	{"Send your tips to tips@example.com", lineTip},
	{"제보는 카카오톡 okjebo", lineTip},
	{"연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23", lineTip}, // yonhapnewstv_1
	{"뉴스기사제보 (02)2113-6000", lineTip},            // sbs_1
	{"[제보하기] ▷ 전화 : 02-784-4000 ▷ 이메일 : mbcjebo@mbc.co.kr", lineTip},
	{"[연합뉴스TV 제보:02-398-4409, yjebo@yna.co.kr]", lineTip},
	{"MBC 뉴스는 24시간 여러분의 제보를 기다립니다.", lineTip},
	{"■ 제보하기", lineTip},
	// A press archive's issue line.
	{"[한겨레] 2011-06-29 27면 07판 문화 기획,연재 4224자", lineDate}, // kinds_1
	{"[동아일보] 2013.04.09 A18면", lineDate},
	{"[단독] 2011-06-29 27면에 실린 기사는 오보였다.", lineText},
	// A page template's placeholders, left unfilled.
	{"{{MEM_ID}}", lineNotice},
	{"{{price}} {{#ifPositiveNumber mark}} {{prepare_rate}}% {{else}} {{prepare_rate}}% {{/ifPositiveNumber}}", lineNotice},
	// Credits.
	{"[사진 출처 : 산루이스포토시 검찰청 공식 트위터 캡처]", lineCredit}, // kbs_1
	{"사진제공 : 연합뉴스", lineCredit},                     // mbc_1
	{"/연합뉴스", lineCredit},                           // tvchosun_1
	{"영상취재 : 안동균 기자 / 영상편집 : 김경준", lineCredit},
	{"영상취재 : 안동균 기자", lineCredit}, // mbn_1
	{"영상편집 : 김경준", lineCredit},
	{"영상편집:김유진", lineCredit},  // kbs_2
	{"영상취재: 변성중", lineCredit}, // mbn_3
	{"( 취재 : 한지연 / 영상편집 : 변지영/ 화면제공 : 부산경찰청 / 제작 : D뉴스플랫폼부 )", lineCredit}, // sbs_1
	{"[출처: 연합뉴스 자료사진]", lineCredit},   // einfomax_1
	{"[사진=JTBC, 이매진아시아]", lineCredit}, // entermedia_1
	{"(사진=연합뉴스)", lineCredit},
	{"<출연 : 이은희 인하대 소비자학과 교수>", lineCredit}, // yonhapnewstv_1
	{"[서울=뉴시스]30일 진행된 '갤럭시 북4 엣지' 미디어 브리핑 행사에 전시된 '갤럭시 북4 엣지' 제품. (사진 = 삼성전자) photo@newsis.com *재판매 및 DB 금지", lineCredit}, // naver_1 caption
	{"*재판매 및 DB 금지", lineCredit},
	{"연합뉴스", lineCredit},
	{"AFP=연합뉴스", lineCredit},
	{"그래픽 : 홍길동", lineCredit},
	{"촬영기자:김철수 / 영상편집:이영희 / 그래픽:박민수", lineCredit},
	{"(영상디자인 : 김철수)", lineCredit},
	{"기획·구성: 김철수", lineCredit},
	{"[이미지출처=게티이미지뱅크]", lineCredit},
	{"사진 제공=넷플릭스", lineCredit},
	{"/사진=뉴스1", lineCredit},
	// End marks.
	{"(끝)", lineEnd}, // einfomax_1, yonhapnewstv_1
	{"(END)", lineEnd},
	{"<끝>", lineEnd},
	{"2026/09/22 19:19 송고", lineEnd}, // Yonhap send-time tail
	{"2026년09월22일 19시19분 송고", lineEnd},
	// Article text, including sentences near the rules.
	{"▶ 인터뷰 : 홍길동 / 시민", lineText},
	{"▶ 스탠딩 : 장가희 / 기자", lineText},
	{"▶ 인터뷰 : 강초 / 부산 금정구 - \"저희가 응원을 많이 해서 (엑스포가) 유치됐으면 좋겠습니다.\"", lineText}, // mbn_1
	{"▶ 정부는 다음 달부터 대출 규제를 강화하고 전세 사기 피해자 지원을 확대하기로 했다.", lineText},
	{"저작권 침해 소송에서 법원은 원고의 손을 들어줬다.", lineText},
	{"저작권자들은 이번 판결에 반발했다.", lineText},
	{"Copyright infringement cases rose sharply last year, the ministry said.", lineText},
	{"사진 속 인물은 당시 현장에 있던 시민이다.", lineText},
	{"(사진) 본문이다.", lineText},
	{"경찰은 시민의 제보를 받고 현장에 출동했다.", lineText},
	{"A씨는 이메일로 제보했다.", lineText},
	{"엘제이는 사진 공개가 ‘사랑하는 사람과의 추억을 간직’하는 일처럼 말했지만, 그건 분명한 폭력이 될 수 있다.", lineText},
	{"무단 전재 및 재배포 금지 조항을 어긴 업체가 적발됐다.", lineText},
	{"끝", lineText},
	{"(끝까지 간다)", lineText},
	{"서울대 치대를 졸업한 젊은 오동찬(사진)에게는 고민이 하나 있었다.", lineText}, // kinds_5
	{"[앵커]", lineText},
	{"【 기자 】", lineText},
	{"◇ 김현정> 고맙습니다.", lineText},
	{"■ 복지국가와 정의의 주체는?", lineText},
	{"▲미군 사망, 중동 확전 도화선 될까…불안한 금융시장", lineText}, // einfomax_1 heading
	{"<질문 1> 몇 년 전엔 한 번뿐인 인생을 제대로 즐기자는 의미의 '욜로족'이 유행을 했고요.", lineText},
	{"자세한 내용은 영상으로 확인하시죠.", lineText}, // sbs_2
	{"#1 인기 상품은 우유였다.", lineText},
	{"Copyright 침해로 무단 복제된 책이 팔렸다.", lineText},
	{"※ 이 기사는 한국언론진흥재단의 지원을 받아 작성됐습니다.", lineText},
	// Sentences with the words of the asks and tip lines.
	{"그는 \"구독하세요\"라고 외쳤다.", lineText},
	{"재단은 장학 사업을 후원하기로 했다.", lineText},
	{"시민 단체는 후원 회원을 모집한다고 밝혔다.", lineText},
	{"사진을 SNS에 공유했다.", lineText},
	{"게시물의 좋아요 수가 1만 개를 넘었다.", lineText},
	{"경찰은 제보자 A씨(010-1234-5678)에게 연락했다.", lineText},
	{"제보자 A씨는 hong@example.com으로 자료를 보냈다고 말했다.", lineText},
	{"템플릿 문법 {{name}}을 쓰면 이름이 들어간다.", lineText},
	{"목록", lineText}, // a word alone that a text may hold as a line
	{"기자", lineText},
	{"광고 기사 보기", lineText},
	{"Send the form to the ministry, officials said.", lineText},
	{"Please contact the ministry if you have questions.", lineText},
	{"", lineText},
}

func TestClassifyLine(t *testing.T) {
	for _, c := range lineCases {
		t.Run(c.in, func(t *testing.T) {
			if got := classifyLine(c.in); got != c.want {
				t.Errorf("classifyLine(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

func TestCopyrightText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지"},
		{"[저작권자(c) YTN 무단전재 및 재배포 금지]", "저작권자(c) YTN 무단전재 및 재배포 금지"},
		{"<Copyright ⓒ 한국일보. All rights reserved. 무단 전재 및 재배포 금지>", "Copyright ⓒ 한국일보. All rights reserved. 무단 전재 및 재배포 금지"},
		{"  Copyrights ⓒ TV조선. 무단전재 및 재배포 금지\u00a0", "Copyrights ⓒ TV조선. 무단전재 및 재배포 금지"},
		{"ⓒ 연합뉴스", "ⓒ 연합뉴스"},
		{"(c) 연합뉴스 (끝)", "(c) 연합뉴스 (끝)"},
		{"[ <저작권자 ⓒ SPOTV NEWS 무단전재 및 재배포 금지> ]", "저작권자 ⓒ SPOTV NEWS 무단전재 및 재배포 금지"},
		{"", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := copyrightText(c.in); got != c.want {
				t.Errorf("copyrightText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestLineRulesKeepTruthBodies runs the paragraph rules over every body
// paragraph of the hand-checked corpus truth (read where it lies): article
// text must stay text, must not read as a byline, and must keep its start.
func TestLineRulesKeepTruthBodies(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "ko", "truth", "*.json"))
	if len(files) == 0 {
		t.Skip("corpus truth not found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var truth struct{ Body string }
		if err := json.Unmarshal(b, &truth); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		for _, p := range strings.Split(truth.Body, "\n\n") {
			if k := classifyLine(p); k != lineText {
				t.Errorf("%s: classifyLine = %v for body paragraph %q", name, k, p)
			}
			if rs, ok := parseBylineLine(p); ok {
				t.Errorf("%s: parseBylineLine ok (%v) for body paragraph %q", name, rs, p)
			}
			if rs, rest := splitDateline(p); rest != p || rs != nil {
				t.Errorf("%s: splitDateline cut %q to %q", name, p, rest)
			}
		}
	}
}

func FuzzClassifyLine(f *testing.F) {
	for _, c := range lineCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, p string) {
		k := classifyLine(p)
		if k < lineText || k > lineDate {
			t.Fatalf("classifyLine(%q) = %d", p, k)
		}
		c := copyrightText(p)
		if !utf8.ValidString(c) {
			t.Errorf("copyrightText(%q) = %q, not valid UTF-8", p, c)
		}
		if len(c) > len(p)+len(p)/2+3 {
			t.Errorf("copyrightText(%q) = %q grew", p, c)
		}
	})
}

// BenchmarkLineRules runs the per-paragraph rules as cleaning a body does,
// over the body paragraphs of the corpus truth (real article text, where
// the rules must answer "text") and the table cases (the lines they catch).
func BenchmarkLineRules(b *testing.B) {
	var paras []string
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "ko", "truth", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		var truth struct{ Body string }
		if err := json.Unmarshal(data, &truth); err != nil {
			b.Fatal(err)
		}
		paras = append(paras, strings.Split(truth.Body, "\n\n")...)
	}
	for _, c := range lineCases {
		paras = append(paras, c.in)
	}
	for _, c := range bylineLineCases {
		paras = append(paras, c.in)
	}
	var n int64
	for _, p := range paras {
		n += int64(len(p))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paras {
			splitDateline(p)
			classifyLine(p)
			parseBylineLine(p)
		}
	}
}

// TestLineKindMemo checks that a page's memo of classifyLine gives what
// classifyLine gives, on the first call and on a repeated one.
func TestLineKindMemo(t *testing.T) {
	pg := &page{}
	for round := range 2 {
		for _, c := range lineCases {
			if got, want := pg.lineKind(c.in), classifyLine(c.in); got != want {
				t.Errorf("round %d: lineKind(%q) = %v; want %v", round, c.in, got, want)
			}
		}
	}
	if len(pg.lines) == 0 {
		t.Error("nothing memoized")
	}
}
