package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gisa-news/gisa/internal/lazy"
)

// Boilerplate rules: the paragraphs of a Korean article body that are not
// article text — copyright notices, promos, tip lines, credits and end
// marks. classifyLine looks at one paragraph at a time and is pure.

// lineKind is what one body paragraph is.
type lineKind int

const (
	lineText      lineKind = iota // article text
	lineCopyright                 // "Copyright © 프레시안. 무단전재 및 재배포 금지."
	linePromo                     // "▶ 네이버에서 연합뉴스 구독하기", hashtag lines, player notices
	lineCredit                    // photo, video, graphic and production credits
	lineTip                       // "제보는 카카오톡 okjebo"
	lineEnd                       // "(끝)", "(END)"
	lineNotice                    // stock notices: unrelated photo, hotline, quoting rights, "(ATTN: …)", unfilled template placeholders
	lineDate                      // a dateline alone: "입력 2020.08.27 20:27"
)

// String names the kind, for test output and logs.
func (k lineKind) String() string {
	switch k {
	case lineText:
		return "text"
	case lineCopyright:
		return "copyright"
	case linePromo:
		return "promo"
	case lineCredit:
		return "credit"
	case lineTip:
		return "tip"
	case lineEnd:
		return "end"
	case lineNotice:
		return "notice"
	case lineDate:
		return "date"
	}
	return "lineKind(?)"
}

// creditLabel names a production role in the credits of broadcast and
// video articles.
const creditLabel = `(?:영상 ?취재|영상 ?편집|영상 ?촬영|영상 ?디자인|촬영 ?기자|취재 ?기자|촬영|취재|편집|그래픽|CG|VJ|구성|` +
	`제작|연출|화면 ?제공|영상 ?제공|자료 ?제공|사진 ?제공|출연|진행|작가|디자인|내레이션|조연출|방송|대담|기획|` +
	`자막 ?뉴스|프로듀서|PD|AD|글|사진)`

const copyMark = `(?:ⓒ|©|Ⓒ|\([cC]\))`

var (
	endLineRe = lazy.NewRegexp(`^(?:\( ?(?:끝|END|End|end) ?\)|\[ ?(?:끝|END) ?\]|[<＜〈] ?(?:끝|END) ?[>＞〉]|- ?끝 ?-|/ ?끝 ?/)$`)
	// Yonhap's send-time tail: "2026/09/22 19:19 송고", "2026년09월22일 19시19분 송고".
	sendTimeRe = lazy.NewRegexp(`^\d{4}(?:/\d{2}/\d{2} \d{2}:\d{2}|년 ?\d{1,2}월 ?\d{1,2}일 ?\d{1,2}시 ?\d{1,2}분) ?송고$`)
	// "세상을 보는 균형, 한국일보 Copyright © Hankookilbo".
	copyrightMarkRe = lazy.NewRegexp(`(?i)copyrights? ?(?:ⓒ|©|Ⓒ|\(c\))`)

	// A notice that starts as one: "Copyright © …", "<저작권자(c) …>",
	// "ⓒ 연합뉴스", "[저작권자 ⓒ디지털타임스, …]".
	copyrightStartRe = lazy.NewRegexp(`^[<\[(【〈《＜]? ?(?:(?i:copyrights?)(?: ?(?:` + copyMark + `|\d{4}|$|[.:]))|저작권자 ?(?:` + copyMark + `|:|\.|,|$)|ⓒ|©|Ⓒ)`)
	// A line holding a copyright mark and the usual words of a notice.
	copyrightBodyRe = lazy.NewRegexp(`(?i)(?:` + copyMark + `|copyright).*(?:무단|전재|재배포|금지|rights reserved|all rights|AI ?학습)|(?:무단|전재|재배포|금지|rights reserved).*(?:ⓒ|©|Ⓒ|copyright)`)
	// The long-form notices: "MBN의 모든 기사 및 영상(콘텐츠)은 저작권법의 보호를
	// 받으며, …", "이 콘텐츠의 저작권은 저작권자 또는 제공처에 있으며, …".
	copyrightLawRe = lazy.NewRegexp(`모든 ?(?:기사|콘텐츠|컨텐츠|뉴스|영상)[^.]{0,40}저작권법|^(?:이|본|해당) ?(?:콘텐츠|컨텐츠|기사)의 ?저작권은`)
	// A bare "무단전재 및 재배포 금지" or "All rights reserved." line.
	copyrightBareRe = lazy.NewRegexp(`(?i)^[ ,.)\]>]*(?:무단 ?전재.{0,40}금지|all rights reserved)[ .\]>)]*$`)

	// TV transcripts mark soundbites with ▶: "▶ 인터뷰 : 홍길동 / 시민".
	soundbiteRe      = lazy.NewRegexp(`^[▶►] ?(?:인터뷰|스탠딩|싱크|녹취|현장음|브릿지|전화 ?인터뷰|자막|INT|SYNC|SOT)(?: ?\([^)]{0,30}\))? ?[:：]`)
	promoWordRe      = lazy.NewRegexp(`구독|바로 ?가기|클릭|채널 ?추가|네이버|카카오톡|유튜브|다운로드|이벤트|뉴스레터|제보|확인하세요|만나보세요|무료|더보기|많이 본|★`)
	promoRe          = lazy.NewRegexp(`당신의 ?제보가 ?뉴스가 ?됩니다|^(?:본|이) 기사는 .{0,60}(?:먼저|빠른) .{0,40}서비스된 기사입니다|채널 ?추가|만나보세요|구독료를 ?내고 ?싶습니다|기사 ?읽어주기 ?서비스|\(클릭!?\)|클릭!`)
	englishContactRe = lazy.NewRegexp(`(?i)^(?:please )?(?:direct|send|e-?mail|contact|write)\b[^.@]{0,60}\b(?:questions|comments|tips|feedback|corrections|us)\b[^.@]{0,30}@`)
	contactLabelRe   = lazy.NewRegexp(`^\[(?:카카오톡|전화|메일|이메일)\]`)
	playerRe         = lazy.NewRegexp(`VOD ?시청 ?안내|플래시 ?플레이어|브라우저 ?업그레이드|동영상 ?재생이 ?원활|재생할 ?수 ?없습니다|(?:최신|크롬기반의) ?브라우저에서만`)
	shortPromoRe     = lazy.NewRegexp(`구독하기|구독하세요|구독해 ?주세요|바로 ?가기|구독 ?버튼|채널 ?구독|네이버 ?메인|네이버에서|앱 ?다운로드|무료 ?구독|뉴스레터 ?신청|클릭하세요|지금 ?(?:확인|구독)`)
	hashtagRe        = lazy.NewRegexp(`^#[^ #]+(?: ?#[^ #]+)*$`)
	phoneRe          = lazy.NewRegexp(`(?:^|[^\d])\(?0\d{1,2}\)? ?-? ?\d{3,4}-\d{4}(?:$|[^\d])`)

	tipRe = lazy.NewRegexp(`제보는 ?(?:카카오톡|카톡|전화|이메일|메일|홈페이지)|(?:기사|취재) ?문의 ?(?:및|·|,|/)? ?제보|제보 ?[:：]|제보 ?(?:전화|메일|이메일|카카오톡|카톡)|여러분의 ?제보를 ?기다립니다|(?:뉴스|기사) ?제보 ?[(\d]|^[■□▶▷]? ?\[?제보하기\]? ?(?:$|[▷▶:：])`)

	// "[사진 출처 : …]", "사진제공 : 연합뉴스", "[출처: 연합뉴스 자료사진]",
	// "(사진=연합뉴스)", "[사진=JTBC, 이매진아시아]".
	photoCreditRe = lazy.NewRegexp(`^[\[(<（［]? ?(?:(?:사진|그래픽|자료|영상|화면|일러스트|이미지|CG) ?(?:출처|제공|캡처|자료)?|출처|자료사진|사진자료|화면캡처|캡처) ?[=:：] ?[^\])>）］]{1,80}[\])>）］]?$`)
	// "영상취재 : 안동균 기자 / 영상편집 : 김경준", "( 취재 : 한지연 / … )",
	// "<출연 : 이은희 인하대 소비자학과 교수>", "■ 진행 : 김현정 앵커".
	productionCreditRe = lazy.NewRegexp(`^[\[(<（［■□]? ?` + creditLabel + `(?: ?[·,/] ?` + creditLabel + `)* ?[:：]`)
	resaleRe           = lazy.NewRegexp(`재판매 ?및 ?DB ?금지`)
	slashCreditRe      = lazy.NewRegexp(`^/ ?[^ /].{0,30}$`)
	agencyCreditRe     = lazy.NewRegexp(`^[\[(<（]? ?(?:(?:AP|AFP|EPA|UPI|AP연합|로이터|신화|게티이미지(?:뱅크|코리아)?|(?i:getty ?images(?: ?bank| ?korea)?)|셔터스톡|(?i:shutterstock)|클립아트코리아|아이클릭아트|이미지투데이|123RF|픽사베이|(?i:unsplash|pixabay)) ?(?:[=/] ?)?(?:연합뉴스|뉴시스|뉴스1)?|(?:연합뉴스|뉴시스|뉴스1)(?: ?(?:자료 ?사진|DB|TV))?) ?[\])>）]?$`)

	// Stock notices, the same under every article of a kind: a photo not
	// related to the article, the suicide-prevention hotline, the terms of
	// quoting a broadcast, English wire copy's editor notes.
	unrelatedPhotoRe = lazy.NewRegexp(`^※ ?.{0,80}(?:관련|관계)(?:이|가)? ?없(?:습니다|음)\.?$|` +
		`^[▲△※*\[(]? ?(?:위 ?|아래 ?|본 ?|해당 ?|이 ?)?(?:기사(?:의|에 ?사용된|에 ?쓰인)? ?)?(?:사진|이미지|그림|영상|일러스트|그래픽)[은는이가]? ?` +
		`(?:본 ?|이 ?|해당 ?)?(?:기사|글)(?: ?내용| ?본문)?(?:과|와|의 ?내용과)? ?(?:직접(?:적인|적|적으로)? ?)?(?:관련|관계)(?:이|가|은|는)? ?` +
		`(?:없(?:습니다|음|다)|무관(?:합니다|함|하다))[.)\]]*$`)
	hotlineRe     = lazy.NewRegexp(`자살 ?예방 ?(?:상담 ?)?(?:전화|핫라인|SNS)|(?:☎|전화) ?109\b|☎ ?1393|생명의 ?전화|정신건강 ?(?:위기 ?)?상담 ?전화|말하기 어려운 고민이 있거나`)
	quoteRightsRe = lazy.NewRegexp(`(?:인용|보도) ?(?:시|할 ?때|하실 ?때)[^.]{0,60}(?:출처|프로그램 ?명|방송 ?명)|(?:출처|프로그램 ?명|방송 ?명)[^.]{0,30}(?:밝혀|표기해|명시해) ?주시기 ?바랍니다`)
	attnRe        = lazy.NewRegexp(`^\( ?ATTN ?:`)

	// A TV or radio transcript's speaker turn: "▷김태현 : 네.", "◆ 홍길동>
	// 네.", "▶ 앵커 : …". Short turns are text.
	speakerTurnRe = lazy.NewRegexp(`^[▶▷►☞◆◇■□●○]? ?([가-힣]{2,5}(?: ?[가-힣]{2,4})?|[A-Z][a-z]+(?: [A-Z][a-z]+)?) ?[:>：] ?\S`)
	// Words that make a "▶ X : …" line a promo or a link, not a speaker.
	notSpeakerRe = lazy.NewRegexp(`기사|뉴스|제보|사진|영상|출처|구독|바로 ?가기|링크|이벤트|채널|다운로드|홈페이지|카카오|네이버|유튜브|문의|전화|메일`)

	// A dateline alone on a body line: "입력 2020.08.27 20:27", "[기사입력
	// 2023-04-04 19:01] | 최종수정 …", "Updated : Nov. 7, 2023".
	datelineLabelRe = lazy.NewRegexp(`^[\[(<]? ?(?:기사 ?입력|최초 ?입력|입력|최종 ?수정|수정|등록|송고|업데이트|승인|게재|작성|(?i:published|updated|posted|modified))(?: ?(?:시간|일시|일자|시각|on|at))? ?[:：]? ?[\])>]? ?\S`)
)

// printIssueRe is a press archive's issue line: the paper, the date and
// the page it was printed on, then edition, section and length ("[한겨레]
// 2011-06-29 27면 07판 문화 기획,연재 4224자", "[동아일보] 2013.04.09 A18면").
var printIssueRe = lazy.NewRegexp(`^\[[^\]]{1,15}\] ?(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}\.? [A-Z]?\d{1,3} ?면(?:$| )`)

// maxDatelineLabel bounds the bytes a datelineLabelRe match spans (at
// most about 40: a bracket, the longest label, a suffix, a colon, a
// bracket and one character): the anchored expression reads no more of a
// line than that.
const maxDatelineLabel = 64

// runePrefix is s cut to at most n bytes, at a character boundary.
func runePrefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// endsSentence reports a line ending like a Korean sentence: 다, 요, 죠 or
// 까 before closing punctuation.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, ".?!\"'”’ ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '다' || r == '요' || r == '죠' || r == '까'
}

// containsAny reports whether s contains one of the words.
func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// classifyLine reports what a body paragraph is. Copyright notices
// ("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", "ⓒ 연합뉴스",
// "MBN의 모든 기사 및 영상(콘텐츠)은 저작권법의 보호를 받으며, …"), promos
// (▶/☞ lines, "※ 당신의 제보가 뉴스가 됩니다", hashtag-only lines, player
// notices), tip lines ("제보는 카카오톡 okjebo"), credits ("[사진 출처 : …]",
// "영상편집:김유진", "/연합뉴스", "*재판매 및 DB 금지" captions) and end
// marks ("(끝)", "(END)") are told from article text; everything else,
// including sentences that mention 저작권, 사진 or 제보, is lineText. The
// "▶ 인터뷰 : 홍길동 / 시민" soundbites of TV transcripts are text.
func classifyLine(p string) lineKind {
	if len(p) > 1600 {
		return lineText // at least 400 characters: no rule applies
	}
	s := normalizeSpace(p)
	if s == "" {
		return lineText
	}
	n := utf8.RuneCountInString(s)
	m := findNeedles(s)
	if n <= 12 && endLineRe.MatchString(s) || n <= 30 && strings.HasSuffix(s, "송고") && sendTimeRe.MatchString(s) {
		return lineEnd
	}
	if n <= 300 && isCopyrightLine(s, n, m) || n <= 30 && strings.Contains(s, "AI") && strings.Contains(s, "학습") && strings.Contains(s, "금지") {
		return lineCopyright // "AI 학습 이용 금지" alone is the notice's last part
	}
	if n <= 400 && m.any(ndJaepanmae) && resaleRe.MatchString(s) {
		return lineCredit // a wire photo caption
	}
	if n > 300 {
		return lineText
	}
	if isNoticeLine(s, n, m) || strings.Contains(s, "{{") && isTemplateLine(s) {
		return lineNotice
	}
	if n <= 100 && mayDatelineLabel(s) && isDatelineOnly(s) {
		return lineDate
	}
	if n <= 100 && strings.HasPrefix(s, "[") && printIssueRe.MatchString(s) {
		return lineDate
	}
	if isPromoLine(s, n, m) || n <= 30 && isRelatedLabel(s) {
		return linePromo // a related label heads links, not text
	}
	if n <= 200 && m.any(ndJebo) && tipRe.MatchString(s) {
		return lineTip
	}
	// "기사제보 및 보도자료 news@example.co.kr": where tips go, with no
	// sentence around the address or number.
	if n <= 80 && m.any(ndJebo) && !endsSentence(s) && (strings.IndexByte(s, '@') >= 0 || phoneRe.MatchString(s)) {
		return lineTip
	}
	// English sites' "Please direct questions or comments to [english@…]".
	if n <= 120 && strings.IndexByte(s, '@') >= 0 && englishContactRe.MatchString(s) {
		return lineTip
	}
	if isCreditLine(s, n, m) || n <= 60 && isMediaTitle(s) {
		return lineCredit // "[그래픽] 반도체 예산 추이": a graphic's title
	}
	return lineText
}

func isCopyrightLine(s string, n int, m needles) bool {
	copyWord := m.any(ndOpyright, ndOPYRIGHT)
	marked := copyWord || m.any(ndCircledC, ndCopySign, ndCircledCapC, ndParenC, ndParenCapC)
	if !marked && !m.any(ndJeojakgwon, ndMudan, ndIghts, ndIGHTS) {
		return false
	}
	if copyrightStartRe.MatchString(s) {
		// "Copyright ©", "ⓒ 연합뉴스", "Copyrights ⓒ TV조선. 무단전재 …".
		return n <= 60 || copyrightBodyRe.MatchString(s) || !endsSentence(s)
	}
	if n <= 250 && m.any(ndCircledC, ndCopySign, ndCircledCapC) && copyrightBodyRe.MatchString(s) {
		return true // "GoodNews paper ⓒ 국민일보(…), 무단전재 및 수집, 재배포금지"
	}
	if copyWord && (n <= 120 && copyrightMarkRe.MatchString(s) ||
		n <= 250 && containsAny(s, "ights reserved", "ights Reserved", "IGHTS RESERVED")) {
		return true // "세상을 보는 균형, 한국일보 Copyright © Hankookilbo"
	}
	if n <= 200 && m.any(ndJeojakgwon) && copyrightLawRe.MatchString(s) {
		return true
	}
	return n <= 60 && copyrightBareRe.MatchString(s)
}

// isNoticeLine reports a stock notice (see unrelatedPhotoRe …).
func isNoticeLine(s string, n int, m needles) bool {
	switch {
	case n <= 100 && m.any(ndEop) && unrelatedPhotoRe.MatchString(s):
		return true
	case m.any(nd109, nd1393, ndJasal, ndSaengmyeong) && hotlineRe.MatchString(s):
		// The notice gives the number or says help is there; a news
		// sentence about the hotline does neither.
		return strings.Contains(s, "☎") || containsAny(s, "수 있습니다", "고민이 있거나")
	case n <= 200 && m.any(ndInyong, ndBaramnida):
		return quoteRightsRe.MatchString(s)
	}
	return strings.HasPrefix(s, "(") && attnRe.MatchString(s)
}

// mayDatelineLabel reports whether datelineLabelRe could match s: its
// match starts with a bracket, a space or the first letter of a label.
func mayDatelineLabel(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '[', '(', '<', ' ', '기', '최', '입', '수', '등', '송', '업', '승', '게', '작', 'p', 'P', 'u', 'U', 'm', 'M':
		return true
	}
	return false
}

// isDatelineOnly reports a line that is labeled dates and nothing else:
// "입력 2020.08.27 20:27", "입력 2023-04-04 19:01 | 수정 2023-04-04 19:56".
func isDatelineOnly(s string) bool {
	if !datelineLabelRe.MatchString(runePrefix(s, maxDatelineLabel)) {
		return false
	}
	pub, upd := findDateSpans(s)
	if !pub.labeled && !upd.labeled {
		return false
	}
	// What the dates leave must be labels and separators only.
	rest := []byte{}
	pos := 0
	scanDates(s, func(d dateSpan) bool {
		rest = append(rest, s[pos:d.start]...)
		rest = append(rest, ' ')
		pos = d.end
		return true
	})
	rest = append(rest, s[pos:]...)
	left := string(rest)
	for _, w := range []string{"기사입력", "최초입력", "최종수정", "최종 수정", "기사 입력", "기사원문", "원문보기", "원문 보기", "입력", "수정", "등록", "송고", "업데이트", "승인", "게재", "작성",
		"시간", "일시", "일자", "시각", "Published", "Updated", "Posted", "Modified", "published", "updated", "posted", "modified", " on ", " at "} {
		left = strings.ReplaceAll(left, w, " ")
	}
	left = strings.Trim(left, " :：|l/-–·,[]()<>")
	return left == ""
}

func isPromoLine(s string, n int, m needles) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '▶', '☞', '▷', '►':
		if soundbiteRe.MatchString(s) {
			return false
		}
		if m := speakerTurnRe.FindStringSubmatch(s); m != nil && !notSpeakerRe.MatchString(m[1]) {
			return false // "▷김태현 : 네.", a transcript's turn
		}
		// A ▶ bullet in the article ("▶ 정부는 … 강화한다.") reads as a
		// sentence; promos and headline links do not.
		if n > 40 && endsSentence(s) && !promoWordRe.MatchString(s) {
			return false
		}
		return true
	case '#':
		return hashtagRe.MatchString(s)
	}
	// Every alternative of promoRe has a needle but the bracketed contact
	// labels, which only a line opening with "[" can match.
	if n <= 150 && (m.any(ndJeboga, ndChannel, ndMannaboseyo, ndGudokryo, ndIlgeojugi, ndClick, ndServiced) && promoRe.MatchString(s) ||
		strings.HasPrefix(s, "[") && contactLabelRe.MatchString(s)) {
		return true
	}
	if n <= 150 && m.any(ndVOD, ndFlash, ndBrowser, ndPlay) && playerRe.MatchString(s) {
		return true
	}
	if n <= 60 && m.any(ndGudok, ndGagi, ndNaver, ndDownload, ndNewsletter, ndClick, ndJigeum) &&
		!endsSentence(s) && shortPromoRe.MatchString(s) {
		return true
	}
	// Asking the reader to subscribe, share or give, in a line of its own:
	// "네이버에서 예시일보를 구독하세요!", "이 기사를 공유합니다", "기사 잘
	// 보셨나요? 후원하기", "좋은기사 원고료 주기".
	if n <= 40 && (m.any(ndGudok) && askRe.MatchString(s) || m.any(ndGongyu) && shareTitleRe.MatchString(s) ||
		m.any(ndHuwon, ndWongoryo) && donateRe.MatchString(s)) {
		return true
	}
	// "이 기사가 마음에 들었다면, 좋아요를 눌러주세요."
	if m.any(ndJoayo) && (n <= 80 && isReactionLine(s) || n <= 60 && likeAskRe.MatchString(s)) {
		return true
	}
	// "[알림] 예시일보 앱을 설치하세요": an ask to install the outlet's app.
	if n <= 60 && strings.Contains(s, "앱") {
		t := strings.TrimRight(s, ".!~ ")
		for _, ask := range []string{"설치하세요", "설치해 주세요", "다운로드하세요", "다운받으세요", "다운로드 받으세요"} {
			if strings.HasSuffix(t, ask) {
				return true
			}
		}
	}
	return n <= 24 && isControlsLine(s)
}

// isMediaTitle reports the title line of a graphic, video or photo set in
// the text: its kind in brackets, then a title that is no sentence ("[그래픽]
// 반도체 예산 추이", "[영상] 정부 반도체 지원 발표").
func isMediaTitle(s string) bool {
	if !strings.HasPrefix(s, "[") || endsSentence(s) {
		return false
	}
	for _, k := range []string{"[그래픽]", "[인포그래픽]", "[영상]", "[동영상]", "[포토]", "[사진]", "[표]"} {
		if strings.HasPrefix(s, k) {
			return true
		}
	}
	return false
}

// controlWords are the labels of an article page's buttons and tabs:
// print, scrap, font size, close, copy the link, the reporter's profile.
var controlWords = map[string]bool{"글자크기": true, "글씨크기": true, "글자": true, "크기": true, "크게": true,
	"작게": true, "프린트": true, "인쇄": true, "인쇄하기": true, "스크랩": true, "URL": true, "url": true,
	"복사": true, "URL복사": true, "링크복사": true, "주소복사": true, "링크": true, "닫기": true,
	"기자": true, "프로필": true, "기자프로필": true, "관련": true, "태그": true, "관련태그": true,
	"[광고]": true, "광고": true, "AD": true, "목록": true, "맨위로": true, "TOP": true, "본문": true,
	"듣기": true, "본문듣기": true, "음성": true, "재생": true, "번역": true, "공유": true, "공유하기": true,
	"이": true, "기사를": true, "추천합니다": true, "추천": true, "댓글": true, "보기": true, "더보기": true,
	"페이스북": true, "트위터": true, "카카오톡": true, "카카오스토리": true, "밴드": true, "메일": true,
	"설정": true, "언어변경": true, "가": true} // "가 가 가 가": the font-size buttons

// isControlsLine reports a short line made only of controlWords, two at
// least or one with no other meaning ("글자크기", "스크랩", "URL 복사", "기자
// 프로필", "이 기사를 추천합니다").
func isControlsLine(s string) bool {
	words, rest := 0, s
	first := ""
	for rest != "" {
		w, r, _ := strings.Cut(rest, " ")
		rest = r
		if w == "" {
			continue
		}
		if !controlWords[w] {
			return false // most lines fail on their first word
		}
		if words == 0 {
			first = w
		}
		words++
	}
	if words == 1 {
		switch first {
		case "이", "기자", "관련", "보기", "추천", "댓글", "음성", "재생", "본문", "링크", "복사", "크기", "글자", "번역", "메일", "공유", "밴드", "목록":
			return false // a word alone that a text may hold as a line
		}
	}
	return words > 0
}

var likeAskRe = lazy.NewRegexp(`좋아요(?:를|\s*버튼을?)?\s*(?:눌러|클릭해)\s*주세요[.!~ ]*$`)

// isTemplateLine reports a line of a page template's placeholders that
// the page's script fills in ("{{MEM_ID}}", "{{price}} {{#if mark}}
// {{rate}}% {{/if}}"): what stands outside them is no word.
func isTemplateLine(s string) bool {
	rest, found := s, false
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			break
		}
		found = true
		rest = rest[:i] + " " + rest[i+j+2:]
	}
	if !found {
		return false
	}
	for _, r := range rest {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

var (
	askRe        = lazy.NewRegexp(`(?:구독 ?하세요|구독해 ?주세요|구독 ?부탁(?:드립니다|해요)?)[.!~ ]*$`)
	shareTitleRe = lazy.NewRegexp(`^[\[<(]?(?:이 ?기사를? ?|기사 ?)?(?:SNS ?)?공유(?:하기|합니다|해 ?주세요)?[\]>)]?$`)
	donateRe     = lazy.NewRegexp(`(?:후원 ?하기|후원 ?회원 ?(?:가입|되기)?|후원해 ?주세요|원고료 ?(?:주기|로 ?응원(?:하기)?))[.!~ ]*$`)
)

// reactionWords are the buttons of the reader-reaction boxes outlets put
// under articles.
var reactionWords = map[string]bool{"좋아요": true, "싫어요": true, "화나요": true, "슬퍼요": true, "놀라워요": true,
	"훈훈해요": true, "추천해요": true, "기뻐요": true, "최고예요": true, "최고에요": true, "흥미로워요": true,
	"후속기사": true, "원해요": true, "후속": true, "기사": true, "추천": true, "공감": true, "비공감": true}

// isReactionLine reports a line of reaction buttons and their counts:
// "좋아요 0 화나요 0 슬퍼요 0", "좋아요 12 훈훈해요 3 후속기사 원해요 1".
func isReactionLine(s string) bool {
	words := 0
	for _, f := range strings.Fields(s) {
		switch {
		case reactionWords[f]:
			words++
		case strings.Trim(f, "0123456789,()") == "":
		default:
			return false
		}
	}
	return words >= 2
}

// isProductionCredit is productionCreditRe.MatchString(s), run on s up to
// its first colon only: the labels and their separators hold none, so a
// match ends there, and the expression does not read the rest of a long
// line.
func isProductionCredit(s string) bool {
	end := strings.IndexByte(s, ':') + 1
	if j := strings.Index(s, "："); j >= 0 && (end == 0 || j < end) {
		end = j + len("：")
	}
	return end > 0 && productionCreditRe.MatchString(s[:end])
}

func isCreditLine(s string, n int, m needles) bool {
	// Both labeled forms need their separator; most lines have none. The
	// cheap tests come before the expressions: most lines are sentences.
	if n <= 100 && m.any(ndEquals, ndColon, ndWideColon) && mayPhotoCredit(s) && !endsSentence(s) && photoCreditRe.MatchString(s) {
		return true
	}
	if n <= 200 && !endsSentence(s) && isProductionCredit(s) {
		return true
	}
	if n <= 30 && strings.HasPrefix(s, "/") && !endsSentence(s) && slashCreditRe.MatchString(s) {
		return true
	}
	return n <= 30 && mayAgencyCredit(s) && agencyCreditRe.MatchString(s)
}

// mayPhotoCredit reports whether photoCreditRe could match s: its match
// starts with a bracket, a space or the first letter of a label.
func mayPhotoCredit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '[', '(', '<', '（', '［', ' ', '사', '그', '자', '영', '화', '일', '이', 'C', '출', '캡':
		return true
	}
	return false
}

// mayAgencyCredit reports whether agencyCreditRe could match s: its match
// starts with a bracket, a space or the first letter of an agency (ſ folds
// to s in its case-insensitive names).
func mayAgencyCredit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '[', '(', '<', '（', ' ', 'A', 'E', 'U', 'u', 'G', 'g', 'S', 's', 'ſ', 'P', 'p', '1',
		'로', '신', '게', '셔', '클', '아', '이', '픽', '연', '뉴':
		return true
	}
	return false
}

// copyrightText is the notice of a copyright line as kept in
// Article.Copyright: normalized, without the brackets that enclose it
// ("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>" →
// "저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지").
func copyrightText(p string) string {
	s := normalizeSpace(p)
	for range 3 {
		t := unwrap(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

var bracketPairs = map[rune]rune{'<': '>', '[': ']', '(': ')', '【': '】', '〈': '〉', '《': '》', '＜': '＞', '［': '］', '（': '）', '「': '」'}

// unwrap removes one pair of brackets enclosing all of s.
func unwrap(s string) string {
	first, fs := utf8.DecodeRuneInString(s)
	last, ls := utf8.DecodeLastRuneInString(s)
	closing, ok := bracketPairs[first]
	if !ok || last != closing || len(s) < fs+ls {
		return s
	}
	inner := s[fs : len(s)-ls]
	// "(c) 연합뉴스 … (끝)" is not enclosed: the first bracket must close last.
	depth := 0
	for _, r := range inner {
		switch r {
		case first:
			depth++
		case closing:
			depth--
			if depth < 0 {
				return s
			}
		}
	}
	return strings.TrimSpace(inner)
}
