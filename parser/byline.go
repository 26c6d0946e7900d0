package parser

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/internal/lazy"
)

// Byline rules: who wrote an article, read from byline fields, meta values,
// wire datelines ("(서울=연합뉴스) 홍길동 기자 = …") and the byline and
// sign-off paragraphs of a body. All functions are pure and safe for
// concurrent use.
//
// A byline is read as tokens (names, roles, e-mail addresses, outlet and
// credit words, place names) split at spaces and punctuation. A Korean name
// is 2–4 Hangul syllables (5 with a two-syllable surname); a name standing
// before another name ("홍길동 김철수 기자") must also start with a common
// surname, which is what tells "순천, 광양 구현모 기자" (places, then the
// reporter) from "홍길동, 김철수 기자" (two reporters).

// roleWords are the titles a byline gives a person.
var roleWords = map[string]bool{
	"기자": true, "선임기자": true, "수석기자": true, "전문기자": true, "객원기자": true,
	"인턴기자": true, "수습기자": true, "사진기자": true, "영상기자": true, "취재기자": true,
	"촬영기자": true, "대기자": true, "특파원": true, "선임특파원": true, "논설위원": true,
	"객원논설위원": true, "논설실장": true, "논설주간": true, "편집위원": true, "편집국장": true,
	"편집장": true, "연구위원": true, "선임연구위원": true, "전문위원": true, "해설위원": true,
	"칼럼니스트": true, "객원칼럼니스트": true, "앵커": true, "기상캐스터": true, "캐스터": true,
	"리포터": true, "통신원": true, "PD": true, "피디": true, "에디터": true,
}

// rolePrefixes join a following "기자" written apart: "인턴 기자".
var rolePrefixes = map[string]bool{
	"인턴": true, "선임": true, "수석": true, "전문": true, "객원": true, "수습": true,
	"사진": true, "영상": true, "취재": true, "촬영": true,
}

// surnames are common Korean family names; a name candidate that does not
// start with one is accepted only where nothing else can stand (right
// before the role).
var surnames = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉" {
		m[r] = true
	}
	return m
}()

var compoundSurnames = []string{"남궁", "황보", "제갈", "사공", "선우", "서문", "독고", "동방"}

// creditWords are the words that credit lines and byline fields put around
// names: "정리/조계완", "글·사진=홍길동 기자", "백아영 / 화면캡처 MBC".
var creditWords = map[string]bool{
	"정리": true, "글": true, "사진": true, "영상": true, "그래픽": true, "화면캡처": true,
	"캡처": true, "화면": true, "제공": true, "자료": true, "자료사진": true, "촬영": true,
	"취재": true, "편집": true, "영상편집": true, "영상취재": true, "기획": true, "구성": true,
	"진행": true, "대담": true, "번역": true, "공감언론": true, "기사제공": true, "출처": true,
	"디자인": true, "일러스트": true, "인포그래픽": true, "연예": true, "뉴스": true,
	"보도": true, "종합": true, "외신종합": true, "팩트체크": true, "정보": true,
	"프로필": true, "구독": true, "기사": true, "모음": true, "이메일": true, "메일": true,
	"보내기": true, "by": true, "By": true, "BY": true, "기자정보": true,
	"사진출처": true, "사진제공": true, "영상출처": true, "자료제공": true, "취재지원": true,
	// Labels of an author field ("기자명 홍길동 기자", ND-soft's header;
	// "작성자 : 홍길동") and the links beside a byline ("홍길동 기자 다른기사
	// 보기", "기자의 다른 기사 더보기").
	"기자명": true, "작성자": true, "글쓴이": true, "필자": true, "기고자": true, "기고": true,
	"다른기사": true, "다른": true, "보기": true, "더보기": true, "기사보기": true, "구독하기": true,
	// English bylines of Korean outlets' English sites, and the titles
	// they give ("staff reporter", "Senior Correspondent").
	"Reporter": true, "Reporters": true, "Written": true, "Writer": true, "Correspondent": true,
	"reporter": true, "writer": true, "correspondent": true, "staff": true, "Staff": true,
	"senior": true, "Senior": true, "editor": true, "columnist": true, "Columnist": true,
	"contributing": true, "Contributing": true, "intern": true, "Intern": true,
}

// weakCredits are the credit words that also name a page's parts ("인기
// 기사", "방송 정보", "지역 뉴스"): beside a name with no role or address
// they do not make a byline.
var weakCredits = map[string]bool{"뉴스": true, "보도": true, "종합": true, "외신종합": true, "팩트체크": true,
	"정보": true, "프로필": true, "구독": true, "기사": true, "모음": true, "이메일": true, "메일": true,
	"보내기": true, "기자정보": true, "연예": true, "다른기사": true, "다른": true, "보기": true, "더보기": true,
	"기사보기": true, "구독하기": true}

// englishLabels open an English byline ("By Max Lee", "Reporter: Max
// Lee", "Written by Max Lee"): an English name after one is a byline.
var englishLabels = map[string]bool{"by": true, "reporter": true, "reporters": true, "written": true,
	"writer": true, "correspondent": true}

// placeWords are places that datelines put before a reporter's name
// ("순천, 광양 구현모 기자", "워싱턴=김경희 특파원").
var placeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`서울 부산 대구 인천 광주 대전 울산 세종 수원 성남 고양 용인 창원 청주 전주
		천안 안산 안양 김해 포항 제주 춘천 원주 강릉 목포 여수 순천 광양 진주 통영 거제 안동 구미 경주
		김천 영주 상주 문경 군산 익산 정읍 남원 평택 화성 파주 김포 의정부 남양주 하남 광명 시흥 부천
		군포 의왕 오산 이천 여주 양평 가평 연천 포천 동두천 속초 동해 삼척 태백 홍천 충주 제천 공주
		보령 아산 서산 논산 계룡 당진 홍성 예산 나주 무안 해남 완도 진도 양산 밀양 사천 칠곡 경산
		영천 울릉 독도 서귀포 평양 개성 판문점 경기 강원 충북 충남 전북 전남 경북 경남 영남 호남
		잠실 고척 상암 문학 사직 수원 대구 창원 광화문 여의도 용산 세종로 과천 송도 판교 영종도
		워싱턴 뉴욕 도쿄 베이징 상하이 런던 파리 베를린 모스크바 제네바 브뤼셀 하노이 호찌민 방콕
		자카르타 뉴델리 시드니 홍콩 타이베이 로스앤젤레스 실리콘밸리 두바이 카이로 예루살렘 테헤란
		이스탄불 유엔 선양 단둥 오사카 후쿠오카 마닐라 싱가포르 쿠알라룸푸르 프놈펜 울란바토르
		요하네스버그 나이로비 멕시코시티 상파울루 부에노스아이레스 토론토 밴쿠버 샌프란시스코 시카고
		빈 로마 마드리드 바르샤바 키이우 키예프 텔아비브 리야드 도하 아부다비 뭄바이`) {
		m[w] = true
	}
	return m
}()

// outletNames are press names that appear in bylines and credits.
var outletNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`조선일보 중앙일보 동아일보 한겨레 경향신문 한국일보 서울신문 국민일보 세계일보
		문화일보 연합뉴스 뉴시스 뉴스1 매일경제 한국경제 머니투데이 이데일리 아시아경제 헤럴드경제
		파이낸셜뉴스 서울경제 전자신문 디지털타임스 지디넷코리아 프레시안 오마이뉴스 노컷뉴스 조선비즈
		스포츠조선 스포츠서울 스포츠동아 일간스포츠 스포티비뉴스 엔터미디어 연합인포맥스 매경 한경
		동아닷컴 조선닷컴 한겨레21 시사IN 시사인 주간조선 뉴스핌 뉴데일리 데일리안 아주경제 이투데이
		텐아시아 마이데일리 엑스포츠뉴스 스타뉴스 조이뉴스24 블로터 TV조선 채널A 연합뉴스TV 경향닷컴
		YTN KBS MBC SBS JTBC MBN EBS OBS CBS iMBC OSEN Yonhap Newsis News1 AP AFP EPA UPI Reuters 로이터
		신화 신화통신 교도 교도통신 게티이미지 게티이미지뱅크 게티이미지코리아 셔터스톡 DB 스포츠조선DB`) {
		m[w] = true
	}
	return m
}()

// outletSuffixes end the names of presses and organizations.
var outletSuffixes = []string{"일보", "신문", "뉴스", "방송", "닷컴", "미디어", "데일리", "투데이",
	"타임스", "타임즈", "저널", "경제", "통신", "통신사", "연구소", "연구원", "재단", "대학교", "협회",
	"위원회", "학회", "포럼", "센터", "본부", "데스크", "팀", "부", "스포츠"}

// deskExact are desks and sections that have no telling suffix.
var deskExact = map[string]bool{"영문경제": true, "편집국": true, "보도국": true, "디지털국": true,
	"온라인": true, "인터넷": true, "디지털": true}

// outletSuffixEnds are the last characters of outletSuffixes: a word
// ending in none of them has none of the suffixes.
const outletSuffixEnds = "보문스송컴어리이즈널제신사소원단교회럼터부크팀츠"

// Word kinds, as bits of wordKinds: which of the word lists above hold
// a word.
const (
	kindRole uint8 = 1 << iota
	kindCredit
	kindPlace
	kindOutletName
	kindDesk
)

// wordKinds indexes roleWords, creditWords, placeWords, outletNames and
// deskExact: classifying a byline's word takes one lookup, not five.
var wordKinds = lazy.New(func() map[string]uint8 {
	m := map[string]uint8{}
	for k, set := range map[uint8]map[string]bool{kindRole: roleWords, kindCredit: creditWords,
		kindPlace: placeWords, kindOutletName: outletNames, kindDesk: deskExact} {
		for w := range set {
			m[w] |= k
		}
	}
	return m
})

var (
	emailRe = lazy.NewRegexp(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
)

// sentenceTails end Hangul words that read as sentence pieces rather than
// names.
var sentenceTails = []string{"다", "요", "까", "에서", "으로", "에게", "부터", "까지", "께서", "처럼", "보다",
	"라고", "이라", "하고", "에는", "에도", "으며", "했", "됐", "니다", "습니", "합니"}

// sentenceTailEnds are the last characters of sentenceTails.
const sentenceTailEnds = "다요까서로게터지럼고라는도며했됐니"

func isSentencePiece(w string) bool {
	if last, _ := utf8.DecodeLastRuneInString(w); !strings.ContainsRune(sentenceTailEnds, last) {
		return false
	}
	for _, t := range sentenceTails {
		if strings.HasSuffix(w, t) {
			return true
		}
	}
	return false
}

// isCount reports "1명" of "박준석 기자 외 1명".
func isCount(w string) bool {
	n, ok := strings.CutSuffix(w, "명")
	return ok && allDigits(n)
}

type tokKind uint8

const (
	tkWord   tokKind = iota // anything else: a byline line holding one is not a byline
	tkName                  // a Korean name candidate or an English name
	tkRole                  // 기자, 특파원, …
	tkEmail                 // an e-mail address
	tkOutlet                // a press, desk or organization
	tkCredit                // a credit or label word (정리, 사진, By, …)
	tkPlace                 // a dateline place
	tkOthers                // 외 (N명): more authors not named
	tkTitle                 // a possessive name in a program or column title ("정덕현의")
)

type token struct {
	text   string
	kind   tokKind
	strong bool // a name that starts with a common surname; a known outlet
	eqBef  bool // a "=" stands between the previous token and this one
	sep    rune // the separator right before this token (' ' when only spaces)
	used   bool // consumed into a reporter
}

// isBylineSep reports a rune that splits byline tokens. '.', '-' and the
// ASCII apostrophe are not among them (e-mail addresses, "Haye-ah",
// "O'Brien"); a trailing '.' is trimmed from each token.
func isBylineSep(r rune) bool {
	switch r {
	case ',', '，', '、', '·', 'ㆍ', '•', '‧', '∙', '/', '(', ')', '[', ']', '<', '>', '〈', '〉', '《', '》',
		'【', '】', '「', '」', '『', '』', '{', '}', '=', ':', '：', '|', ';', '"', '“', '”', '‘', '’',
		'（', '）', '［', '］', '☞', '＝', '✉', '📧', '\ufe0f':
		return true
	}
	return unicode.IsSpace(r)
}

// tokenize splits a normalized byline into classified tokens.
func tokenize(s string) []token {
	toks := make([]token, 0, min(strings.Count(s, " ")+2, 32))
	var sep rune = ' '
	eq := false
	i := 0
	for i < len(s) {
		// No separator is among the three-byte characters from U+A000 to
		// U+D7FF (plainHangul), Hangul syllables most of all: they are
		// passed over without decoding (TestBylineSepsOutsideHangul).
		if !plainHangul(s, i) {
			if r, size := utf8.DecodeRuneInString(s[i:]); isBylineSep(r) {
				if r == '=' || r == '＝' {
					eq = true
				}
				if !unicode.IsSpace(r) {
					sep = r
				}
				i += size
				continue
			}
		}
		j := i
		for j < len(s) {
			if plainHangul(s, j) {
				j += 3
				continue
			}
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if isBylineSep(r2) {
				break
			}
			j += sz
		}
		word := s[i:j]
		i = j
		// An e-mail glued to text ("기자wook@sportschosun.com") is split off.
		if strings.IndexByte(word, '@') < 0 {
			toks = appendWord(toks, word, sep, eq)
			sep, eq = ' ', false
			continue
		}
		if loc := emailRe.FindStringIndex(word); loc != nil {
			if loc[0] > 0 {
				toks = appendWord(toks, word[:loc[0]], sep, eq)
				sep, eq = ' ', false
			}
			toks = append(toks, token{text: word[loc[0]:loc[1]], kind: tkEmail, sep: sep, eqBef: eq})
			sep, eq = ' ', false
			if rest := strings.TrimLeft(word[loc[1]:], "."); rest != "" {
				toks = appendWord(toks, rest, sep, eq)
			}
			continue
		}
		toks = appendWord(toks, word, sep, eq)
		sep, eq = ' ', false
	}
	return rescueNames(joinTokens(toks))
}

// rescueNames takes back names that the sentence guard refused: a
// three-syllable word with a common surname that ends in 다 ("김바다",
// "이하다") reads as a verb alone, but right before a role ("김바다 기자")
// it is a name.
func rescueNames(toks []token) []token {
	for i := 0; i+1 < len(toks); i++ {
		t := &toks[i]
		if t.kind == tkWord && toks[i+1].kind == tkRole && utf8.RuneCountInString(t.text) == 3 &&
			strings.HasSuffix(t.text, "다") && isHangulName(t.text) && hasSurname(t.text) {
			t.kind, t.strong = tkName, true
		}
	}
	return toks
}

func appendWord(toks []token, w string, sep rune, eq bool) []token {
	w = strings.TrimRight(w, ".…!?")
	if w == "" {
		return toks
	}
	k := wordKinds.Get()[w]
	// A role glued to a name: "윤창원기자", "#안진우기자" is not one. Each
	// of the roles ends in 자, 원 or 커.
	if last, _ := utf8.DecodeLastRuneInString(w); k&kindRole == 0 && (last == '자' || last == '원' || last == '커') {
		for _, role := range []string{"기자", "특파원", "앵커", "논설위원", "선임기자"} {
			if name, ok := strings.CutSuffix(w, role); ok && isHangulName(name) && hasSurname(name) {
				toks = append(toks, classify(token{text: name, sep: sep, eqBef: eq}))
				return append(toks, token{text: role, kind: tkRole, sep: ' '})
			}
		}
	}
	return append(toks, classifyKind(token{text: w, sep: sep, eqBef: eq}, k))
}

// joinTokens merges split roles ("인턴 기자") and English names
// ("Lee Haye-ah").
func joinTokens(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i+1 < len(toks) && rolePrefixes[t.text] && toks[i+1].text == "기자" && toks[i+1].sep == ' ' {
			t.text += "기자"
			t.kind = tkRole
			i++
		} else if i == 1 && strings.EqualFold(toks[0].text, "by") && isUpperNameWord(t.text) {
			// "BY LEE TAE-HEE": an all-capitals name after the label.
			t, i = joinName(toks, i, func(x token) bool { return isUpperNameWord(x.text) })
		} else if isEnglishNameWord(t.text) {
			t, i = joinName(toks, i, func(x token) bool { return !x.eqBef && isEnglishNameWord(x.text) })
		}
		out = append(out, t)
	}
	return out
}

// joinName joins toks[i] and the up to three space-separated tokens after
// it for which word holds into one name token, when there are two or more
// words; it returns the token and the index of the last one used.
func joinName(toks []token, i int, word func(token) bool) (token, int) {
	t := toks[i]
	j := i + 1
	for j < len(toks) && j-i < 4 && toks[j].sep == ' ' && word(toks[j]) {
		j++
	}
	if j-i < 2 {
		return t, i
	}
	parts := make([]string, 0, j-i)
	for _, x := range toks[i:j] {
		parts = append(parts, x.text)
	}
	t.text = strings.Join(parts, " ")
	t.kind, t.strong = tkName, true
	return t, j - 1
}

func isEnglishNameWord(w string) bool {
	if len(w) < 2 || w[0] < 'A' || w[0] > 'Z' || w == "By" {
		return false
	}
	lower := false
	for i := 1; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c == '-' || c == '\'':
		case c >= 'A' && c <= 'Z' && i > 0 && (w[i-1] == '-' || w[i-1] == '\''):
		default:
			return false
		}
	}
	return lower && !outletNames[w] && !creditWords[w] && !englishUIWords[w]
}

// englishUIWords are the words of sharing and navigation widgets that sit
// beside an English byline ("Anna Lee Share", "View All"): never part of a
// name.
var englishUIWords = map[string]bool{"Share": true, "Follow": true, "View": true, "All": true, "More": true,
	"Email": true, "Contact": true, "Twitter": true, "Facebook": true, "Staff": true, "Editor": true,
	"Updated": true, "Published": true, "Posted": true, "Read": true, "Bio": true, "Profile": true}

// isUpperNameWord reports a word of an all-capitals English name: "LEE",
// "TAE-HEE"; not a known outlet or a byline label.
func isUpperNameWord(w string) bool {
	if len(w) < 2 || outletNames[w] || englishLabels[strings.ToLower(w)] || w == "THE" || w == "OF" || w == "AND" {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'A' && c <= 'Z' || c == '-' && i > 0 && i < len(w)-1) {
			return false
		}
	}
	return true
}

// classify sets the kind of a token from its text.
func classify(t token) token {
	return classifyKind(t, wordKinds.Get()[t.text])
}

// classifyKind is classify of a word whose wordKinds are k.
func classifyKind(t token, k uint8) token {
	w := t.text
	switch {
	case k&kindRole != 0 || deskTitle(w) || fieldReporter(w):
		t.kind = tkRole
	case w == "외":
		t.kind = tkOthers
	case isCount(w):
		t.kind = tkOthers
	case k&kindCredit != 0:
		t.kind = tkCredit
	case k&kindPlace != 0:
		t.kind = tkPlace
	case outletWord(w, k):
		// strong: a press known by name or written with Hangul, not any
		// capitalized word ("GPS", "STAFF").
		t.kind, t.strong = tkOutlet, k&kindOutletName != 0 || !isASCII(w)
	case isPossessiveName(w):
		t.kind = tkTitle
	case isHangulName(w) && !isSentencePiece(w) && !startsWithRole(w):
		t.kind, t.strong = tkName, hasSurname(w)
	default:
		t.kind = tkWord
	}
	return t
}

// deskTitles are the titles of a desk's or a newsroom's heads, alone
// ("홍길동 부장") or after the desk ("임지선 경제부장", "디지털뉴스국장").
var deskTitles = []string{"부국장", "본부장", "센터장", "부장", "국장", "차장", "팀장", "실장"}

// deskTitle reports a desk head's title: one of deskTitles, alone or
// after at most six Hangul syllables naming the desk. No Korean given
// name ends in one, so "경제부장" is never read as a name.
func deskTitle(w string) bool {
	if !strings.HasSuffix(w, "장") { // every one of deskTitles ends so
		return false
	}
	for _, t := range deskTitles {
		if desk, ok := strings.CutSuffix(w, t); ok {
			return desk == "" || utf8.RuneCountInString(desk) <= 6 && isAllHangul(desk)
		}
	}
	return false
}

// fieldReporter reports whether w is a specialist reporter's title: a
// field, then 전문기자 ("의학전문기자", "군사전문기자").
func fieldReporter(w string) bool {
	field, ok := strings.CutSuffix(w, "전문기자")
	return ok && field != "" && utf8.RuneCountInString(field) <= 4 && isAllHangul(field)
}

// isAllHangul reports whether s is made of Hangul syllables only.
func isAllHangul(s string) bool {
	for _, r := range s {
		if !hangulSyllable(r) {
			return false
		}
	}
	return s != ""
}

// isPossessiveName reports a name with the particle 의, as program and
// column titles have them: "김현정의 뉴스쇼", "정덕현의 이슈공감".
func isPossessiveName(w string) bool {
	name, ok := strings.CutSuffix(w, "의")
	return ok && utf8.RuneCountInString(name) >= 3 && isHangulName(name) && hasSurname(name)
}

// startsWithRole reports a role followed by a particle: "기자가", "기자입니다".
func startsWithRole(w string) bool {
	for _, r := range []string{"기자", "특파원", "앵커"} {
		if strings.HasPrefix(w, r) && len(w) > len(r) {
			return true
		}
	}
	return false
}

// isOutletWord reports a press, desk or organization word: a known name,
// one with Latin letters (YTN, MBN스타, CBS노컷뉴스, iMBC), or one with an
// outlet suffix (…일보, …뉴스, …부, …팀, …연구소).
func isOutletWord(w string) bool {
	return outletWord(w, wordKinds.Get()[w])
}

// outletWord is isOutletWord of a word whose wordKinds are k.
func outletWord(w string, k uint8) bool {
	if k&(kindOutletName|kindDesk) != 0 {
		return true
	}
	latin, hangul, other := 0, 0, 0
	upper := 0
	for _, r := range w {
		switch {
		case r >= 'A' && r <= 'Z':
			latin++
			upper++
		case r >= 'a' && r <= 'z':
			latin++
		case r >= 0xAC00 && r <= 0xD7A3:
			hangul++
		case r >= '0' && r <= '9', r == '&', r == '-', r == '+':
		default:
			other++
		}
	}
	if other > 0 {
		return false
	}
	if latin > 0 {
		// All-caps acronyms (YTN, SBS) and Latin glued to Hangul (MBN스타).
		return (upper >= 2 && upper == latin) || hangul > 0 || (upper >= 1 && latin <= 6 && w[0] >= 'a' && w[0] <= 'z')
	}
	if hangul < 2 {
		return false
	}
	if last, _ := utf8.DecodeLastRuneInString(w); !strings.ContainsRune(outletSuffixEnds, last) {
		return strings.Contains(w, "뉴스")
	}
	for _, suf := range outletSuffixes {
		if strings.HasSuffix(w, suf) && len(w) > len(suf) {
			return true
		}
	}
	return strings.Contains(w, "뉴스")
}

// isHangulName reports 2–4 Hangul syllables, or 5 after a two-syllable
// surname ("선우") — the shape of a Korean personal name.
func isHangulName(w string) bool {
	n := 0
	for _, r := range w {
		if r < 0xAC00 || r > 0xD7A3 {
			return false
		}
		n++
	}
	if n >= 2 && n <= 4 {
		return true
	}
	if n == 5 {
		for _, c := range compoundSurnames {
			if strings.HasPrefix(w, c) {
				return true
			}
		}
	}
	return false
}

func hasSurname(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if surnames[r] {
		return true
	}
	for _, c := range compoundSurnames {
		if strings.HasPrefix(w, c) {
			return true
		}
	}
	return false
}

// scan is the reading of one byline text.
type scan struct {
	toks     []token
	reps     []article.Reporter
	orphans  []string // e-mail addresses no name claimed
	stopped  bool     // "외 N명": more authors follow unnamed
	byPrefix bool
}

// scanByline reads reporters from a normalized byline. Names are taken
// when a role follows them; with bare, names without a role are taken too
// (a byline field that holds only "임소정"). E-mail addresses go to the
// reporter they follow, or the one they precede ("email(이름 기자)").
func scanByline(s string, bare bool) *scan {
	return scanTokens(bylineTokens(s), bare)
}

// bylineTokens are the tokens scanByline reads s as.
func bylineTokens(s string) []token {
	return tokenize(cutLeadLabel(s))
}

// scanBylineTwice is scanByline(s, false) and, when again says so of its
// result, scanByline(s, true), tokenizing s once: the scan marks the
// tokens it uses, so the second reads a copy.
func scanBylineTwice(s string, again func(*scan) bool) *scan {
	return scanTokensTwice(bylineTokens(s), again)
}

// scanTokensTwice is scanBylineTwice over the tokens of the byline.
func scanTokensTwice(toks []token, again func(*scan) bool) *scan {
	sc := scanTokens(slices.Clone(toks), false)
	if again(sc) {
		sc = scanTokens(toks, true)
	}
	return sc
}

// scanTokens is scanByline over the tokens of the byline; it marks the
// tokens it uses.
func scanTokens(toks []token, bare bool) *scan {
	sc := &scan{toks: toks}
	var pending []int // indexes of name tokens waiting for a role
	group := -1       // first reporter of the last group that got a role
	cursor := 0       // next reporter of that group to receive an e-mail
	flush := func(role string, withRole bool) {
		var keep []int
		for k, idx := range pending {
			t := sc.toks[idx]
			if t.kind != tkName {
				continue
			}
			if k == len(pending)-1 {
				// The name right before the role; before an address
				// only a likely one.
				if withRole || t.strong {
					keep = append(keep, idx)
				}
				continue
			}
			// Earlier names must look like people: a surname, and three
			// syllables unless a middot joins them ("김훈·이산 기자").
			next := sc.toks[pending[k+1]]
			if t.strong && (!isHangulName(t.text) || utf8.RuneCountInString(t.text) >= 3 || next.sep == '·') {
				keep = append(keep, idx)
			}
		}
		if len(keep) == 0 {
			pending = pending[:0]
			return
		}
		group = len(sc.reps)
		cursor = group
		for _, idx := range keep {
			sc.toks[idx].used = true
			sc.reps = append(sc.reps, article.Reporter{Name: sc.toks[idx].text, Role: role})
		}
		pending = pending[:0]
		// An address given before the name (RSS "email(이름 기자)").
		for len(sc.orphans) > 0 && cursor < len(sc.reps) {
			sc.reps[cursor].Email = sc.orphans[0]
			sc.orphans = sc.orphans[1:]
			cursor++
		}
	}
	for i := range sc.toks {
		t := &sc.toks[i]
		if t.eqBef {
			// Whatever stands before "=" is a place, an outlet or a label.
			pending = pending[:0]
		}
		switch t.kind {
		case tkName:
			pending = append(pending, i)
		case tkRole:
			flush(t.text, true)
			t.used = true
		case tkEmail:
			if len(pending) > 0 {
				flush("", false)
			}
			if group >= 0 && cursor < len(sc.reps) && sc.reps[cursor].Email == "" {
				sc.reps[cursor].Email = t.text
				cursor++
			} else {
				sc.orphans = append(sc.orphans, t.text)
			}
			t.used = true
		case tkOthers:
			sc.stopped = true
		case tkCredit:
			if i == 0 && englishLabels[strings.ToLower(t.text)] {
				sc.byPrefix = true
			}
		case tkOutlet, tkPlace, tkTitle:
			// Outlets stand between a name and its role ("이남경 MBN스타
			// 기자"); they neither take nor break a name.
		default:
			pending = pending[:0]
		}
		if sc.stopped {
			break
		}
	}
	if bare && len(pending) > 0 {
		for _, idx := range pending {
			if sc.toks[idx].strong {
				sc.toks[idx].used = true
				sc.reps = append(sc.reps, article.Reporter{Name: sc.toks[idx].text})
			}
		}
	}
	return sc
}

// labelBrackets pair the brackets that wrap a program, series or tag label.
var labelBrackets = map[rune]rune{'[': ']', '<': '>', '〈': '〉', '《': '》', '【': '】', '［': '］'}

// cutLeadLabel drops a bracketed program, series or tag label that opens a
// byline ("[정치쇼] 홍길동 앵커", "[단독] 김철수 기자", "<이슈분석> …"): such a
// label is never a reporter. A bracket that holds the byline itself
// ("[홍길동 기자]", "[OSEN=잠실, 홍길동 기자] …", "[hong@…]") is kept.
func cutLeadLabel(s string) string {
	open, size := utf8.DecodeRuneInString(s)
	closer, ok := labelBrackets[open]
	if !ok {
		return s
	}
	end := strings.IndexRune(s[size:], closer)
	if end < 0 {
		return s
	}
	inner := s[size : size+end]
	rest := strings.TrimSpace(s[size+end+utf8.RuneLen(closer):])
	if rest == "" || strings.ContainsAny(inner, "=＝@") {
		return s
	}
	for _, t := range tokenize(inner) {
		if t.kind == tkRole {
			return s
		}
	}
	return rest
}

// parseReporters reads the people of a byline field or meta value:
// "권상은 기자", "박준석 기자 외 1명" (only 박준석), "이윤주 기자
// runyj@kyunghyang.com", "홍길동·김철수 기자", "순천, 광양 구현모 기자"
// (only 구현모), "스포츠조선 = 안소윤 기자", "임소정" (role ""),
// "Lee Haye-ah". Desk, program and outlet credits ("디지털뉴스부", "SBS 뉴스",
// "[아는기자]", "CBS 김현정의 뉴스쇼") give none.
func parseReporters(s string) []article.Reporter {
	s = normalizeSpace(s)
	if s == "" || len(s) > 400 {
		return nil
	}
	desk := false
	sc := scanBylineTwice(s, func(sc *scan) bool {
		desk = len(sc.reps) == 0 && isDeskName(s)
		return len(sc.reps) == 0 && !desk
	})
	if desk {
		return nil
	}
	if len(sc.reps) == 0 && len(sc.orphans) == 1 {
		// An address alone is a reporter the caller may know by name.
		return []article.Reporter{{Email: sc.orphans[0]}}
	}
	return dedupeReporters(sc.reps)
}

func dedupeReporters(rs []article.Reporter) []article.Reporter {
	out := rs[:0]
	for _, r := range rs {
		dup := false
		for i := range out {
			if out[i].Name == r.Name && r.Name != "" {
				if out[i].Email == "" {
					out[i].Email = r.Email
				}
				if out[i].Role == "" {
					out[i].Role = r.Role
				}
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// isDeskName reports a desk, program or organization credit that names no
// person: "디지털뉴스부", "사회부", "온라인뉴스팀", "iMBC 연예", "SBS 뉴스",
// "SBS NEWS", "조선일보", "연합뉴스", "뉴스1", "영문경제", "[아는기자]",
// "CBS 김현정의 뉴스쇼". A credit that names a person with a role
// ("CBS노컷뉴스 정영철 기자") is not a desk name.
func isDeskName(s string) bool {
	s = normalizeSpace(s)
	if s == "" || len(s) > 200 {
		return false
	}
	if sc := scanByline(s, false); len(sc.reps) > 0 {
		return false
	}
	s = strings.TrimSpace(emailRe.ReplaceAllString(s, ""))
	if s == "" {
		return false
	}
	inner := s
	if isWrapped(s) {
		return true // a bracketed program tag: [아는기자]
	}
	if deskExact[inner] || outletNames[inner] {
		return true
	}
	low := strings.ToLower(inner)
	if strings.Contains(low, "news") || strings.Contains(inner, "뉴스") ||
		strings.Contains(inner, "연예") || strings.Contains(inner, "편집") {
		return true
	}
	toks := tokenize(inner)
	if len(toks) == 0 {
		return false
	}
	for _, t := range toks {
		switch t.kind {
		case tkOutlet, tkCredit:
		default:
			return false
		}
	}
	return true
}

// isWrapped reports s enclosed in one pair of brackets.
func isWrapped(s string) bool {
	if len(s) < 3 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	switch first {
	case '[':
		return last == ']' && strings.Count(s, "[") == 1
	case '<':
		return last == '>' && strings.Count(s, "<") == 1
	case '《':
		return last == '》'
	case '【':
		return last == '】' && strings.Count(s, "【") == 1
	}
	return false
}

// signOffRe matches a broadcast sign-off: "KBS 뉴스 김수연입니다.",
// "MBN뉴스 안진우입니다. [tgar1@mbn.co.kr]", "SBS 뉴스 홍길동입니다",
// "YTN 나혜인입니다.", "연합뉴스 홍길동입니다.", "대전MBC 박영희 기자입니다."
// Group 1 is what stands before the name; it must name the outlet (see
// isSignOffOutlet): "김수연 기자입니다." is the anchor's hand-off and stays
// in the transcript, "바로 방울토마토입니다." is a sentence.
var signOffRe = lazy.NewRegexp(`^(\S{1,12}(?: \S{1,12}){0,2}?) ?([가-힣]{2,4}) ?(기자|특파원|앵커|리포터|기상캐스터)?입니다[.!]?` +
	`(?: ?[\[(<]? ?([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}) ?[\])>]?)?$`)

// isSignOffOutlet reports whether s, the words before a sign-off's name,
// name an outlet: press words ("연합뉴스", "대전MBC", "TV조선", "채널A"),
// optionally followed by "뉴스"/"NEWS" ("KBS 뉴스", "MBC뉴스").
func isSignOffOutlet(s string) bool {
	toks := tokenize(s)
	if len(toks) == 0 {
		return false
	}
	for i, t := range toks {
		switch {
		case t.kind == tkOutlet && (t.strong || isASCII(t.text)):
		case i > 0 && (t.text == "뉴스" || t.text == "NEWS" || t.text == "News"):
		case t.text == "채널A" || t.text == "채널" && i+1 < len(toks) && toks[i+1].text == "A":
		case t.text == "A" && i > 0 && toks[i-1].text == "채널":
		default:
			return false
		}
	}
	return true
}

// reporterSignOffRe is a field reporter's closing line: "지금까지
// 사회1부에서 전해드렸습니다.", "지금까지 국회에서 YTN 나혜인입니다."
var reporterSignOffRe = lazy.NewRegexp(`^지금까지 [^.?!]{1,30}?에서 (?:(?:[A-Z]{2,5}|TV조선|채널 ?A|연합뉴스 ?TV) ?(?:뉴스 ?)?)?` +
	`(?:([가-힣]{2,4}) ?(기자|특파원)?입니다|전해 ?드렸습니다)[.!]?$`)

// endMarkRe is a trailing end mark after a sign-off address:
// "hague@yna.co.kr (END)".
var endMarkRe = lazy.NewRegexp(`\s*[(\[<]\s*(?:END|End|end|끝)\s*[)\]>]\s*$`)

// parseBylineLine reports whether the whole paragraph p is a byline,
// sign-off or credit naming the article's authors, and who they are:
// "[이대희 기자(eday@pressian.com)]", "이창곤 선임기자 goni@hani.co.kr",
// "홍길동·김철수 기자", "YTN 나혜인 (dglee@ytn.co.kr)", "MBN뉴스 안진우입니다.
// [tgar1@mbn.co.kr]", "KBS 뉴스 김수연입니다.", "지금까지 사회1부에서
// 전해드렸습니다." (no name), "백아영 / 화면캡처 MBC",
// "hague@yna.co.kr (END)", "By Lee Haye-ah", "하노이·호찌민=유근형 기자
// noel@donga.com", "정리/조계완 한겨레사회정책연구소 연구위원 kyewan@hani.co.kr".
// An address alone ("lkh2011@newsis.com") gives a reporter with no name
// for the caller to merge, as does "☞공감언론 뉴시스 2papers@newsis.com". A
// line that is only an agency credit ("연합뉴스", "뉴시스") is ok with no
// reporters. Sentences that mention a reporter ("홍길동 기자가 현장을
// 찾았다.", "김수연 기자입니다.", "취재기자 연결합니다. 나혜인 기자!") are
// not bylines.
func parseBylineLine(p string) (reps []article.Reporter, ok bool) {
	if len(p) > 4096 {
		return nil, false
	}
	s := normalizeSpace(p)
	if s == "" || utf8.RuneCountInString(s) > 160 {
		return nil, false
	}
	// A link after the byline: "홍길동 기자 hong@example.com ▶ 기자의 다른
	// 기사 보기". The part before the arrow must be a byline with a role or
	// an address.
	if i := indexArrow(s); i > 0 {
		if reps, ok := parseBylineLine(s[:i]); ok && len(reps) > 0 && (hasRole(reps) || reps[0].Email != "") {
			return reps, true
		}
	}
	// The sign-off expressions run only on lines holding their words (a
	// backtracking match costs the size of the expression times the line).
	if strings.Contains(s, "입니다") {
		if m := signOffRe.FindStringSubmatch(s); m != nil && isSignOffOutlet(m[1]) {
			return []article.Reporter{{Name: m[2], Role: m[3], Email: m[4]}}, true
		}
	}
	if strings.HasPrefix(s, "지금까지 ") {
		if m := reporterSignOffRe.FindStringSubmatch(s); m != nil {
			if m[1] == "" {
				return nil, true
			}
			return []article.Reporter{{Name: m[1], Role: m[2]}}, true
		}
	}
	// Cheap rejections of article sentences: a byline ends with no verb
	// and, unless very short, holds a role or an address.
	if endsSentence(s) {
		return nil, false
	}
	if len(s) > 60 && !containsAny(s, "@", "기자", "특파원", "위원", "실장", "주간", "국장", "편집장", "칼럼니스트",
		"앵커", "캐스터", "리포터", "통신원", "PD", "피디", "에디터", "By ") {
		return nil, false
	}
	if last, _ := utf8.DecodeLastRuneInString(s); last == ')' || last == ']' || last == '>' {
		s = strings.TrimSpace(endMarkRe.ReplaceAllString(s, ""))
	}
	s = strings.TrimLeft(s, "☞◎▷▶ ")
	if s == "" {
		return nil, false
	}
	// Bare names are taken only with a credit around them below:
	// "백아영 / 화면캡처 MBC", "By Lee Haye-ah".
	// Every token must belong to a byline. Up to four tokens before a "="
	// are a place, an outlet or a label ("하노이·호찌민=", "글·사진=").
	// A plain word is read before the scans, which change no token's kind:
	// most lines that get this far are sentences.
	toks := bylineTokens(s)
	eq := -1
	for i, t := range toks {
		if t.eqBef {
			eq = i
			break
		}
	}
	if eq > 4 {
		return nil, false
	}
	for _, t := range toks[max(eq, 0):] {
		if t.kind == tkWord {
			return nil, false
		}
	}
	sc := scanTokensTwice(toks, func(sc *scan) bool { return len(sc.reps) == 0 && len(sc.orphans) == 0 })
	roles, emails, outlets, credits, labels := 0, 0, 0, 0, 0
	for i, t := range sc.toks {
		if i < eq {
			continue
		}
		switch t.kind {
		case tkName:
			if !t.used {
				return nil, false
			}
		case tkRole:
			roles++
		case tkEmail:
			emails++
		case tkOutlet, tkTitle:
			outlets++
		case tkCredit:
			credits++
			if !weakCredits[t.text] {
				labels++
			}
		}
	}
	switch {
	case len(sc.reps) > 0:
		// A name with neither role nor address needs a credit's label
		// beside it: "백아영 / 화면캡처 MBC", "정리/조계완". The words of a
		// page's chrome do not make one ("인기 기사", "지역 뉴스", "방송
		// 정보" are no people), nor does an outlet's name ("MBN 소개",
		// "YTN 라디오", "한국일보 이용약관").
		evidence := roles > 0 || emails > 0 || sc.byPrefix || labels > 0 || eq >= 0
		if !evidence {
			return nil, false // a name alone is not known to be a byline
		}
		if roles == 0 && emails == 0 && !sc.byPrefix {
			// Credited by a label alone, a Korean name has its three
			// syllables: "기획/연재", "번역 설정" are menus.
			for _, r := range sc.reps {
				if isAllHangul(r.Name) && utf8.RuneCountInString(r.Name) < 3 {
					return nil, false
				}
			}
		}
		if allEnglish(sc.reps) && !sc.byPrefix && emails == 0 {
			return nil, false // "Festival Calendar (Yonhap)"
		}
		// A role written before the one name: "기자 : 홍길동", "기자 홍길동
		// hong@…".
		if ts := sc.toks[max(eq, 0):]; len(sc.reps) == 1 && sc.reps[0].Role == "" && roles == 1 &&
			len(ts) >= 2 && ts[0].kind == tkRole && ts[1].kind == tkName && ts[1].text == sc.reps[0].Name {
			sc.reps[0].Role = ts[0].text
		}
		return sc.reps, true
	case len(sc.orphans) > 0:
		if roles > 0 {
			return nil, false
		}
		if len(sc.orphans) == 1 {
			// "lkh2011@newsis.com", "◎공감언론 뉴시스 lkh2011@newsis.com":
			// the writer's address, for the caller to merge.
			return []article.Reporter{{Email: sc.orphans[0]}}, true
		}
		if outlets+credits > 0 {
			return nil, true
		}
	case outlets > 0 && roles == 0 && eq < 0:
		for _, t := range sc.toks {
			if t.kind == tkOutlet && !t.strong {
				return nil, false // "NISSAN SENTRA", an English subheading
			}
		}
		return nil, true // "연합뉴스", "[CBS 김현정의 뉴스쇼]"
	}
	return nil, false
}

func allEnglish(rs []article.Reporter) bool {
	for _, r := range rs {
		if r.Name == "" || isHangulName(r.Name) {
			return false
		}
	}
	return len(rs) > 0
}

// Dateline prefixes. S is any white space, as p is not normalized (rest
// must stay a suffix of p).
const dlS = `[\s\p{Zs}\x{200b}-\x{200d}\x{feff}]`

var (
	// "(서울=연합뉴스) ", "[서울=뉴시스]", "【서울=뉴시스】", "[스포티비뉴스=유현태 기자] ",
	// "[엔터미디어=정덕현의 이슈공감] ", "(워싱턴·서울=연합뉴스) ".
	wireDatelineRe = lazy.NewRegexp(`^` + dlS + `*[(\[【〔［（]` + dlS + `*([^=()\[\]【】〔〕［］（）\n]{1,25}?)` + dlS +
		`*[=＝]` + dlS + `*([^=()\[\]【】〔〕［］（）\n]{1,40}?)` + dlS + `*[)\]】〕］）]` + dlS + `*`)
	// "[스포츠조선 안소윤 기자] ", "[이데일리 홍길동 기자] ", "(SBS연예뉴스 강경윤 기자)".
	bracketBylineRe = lazy.NewRegexp(`^` + dlS + `*(?:[\[【［]([^\]】］\n]{2,60})[\]】］]|[(（]([^()（）\n]{2,40})[)）])` + dlS + `*`)
	// The reporters after a wire dateline, or a bare one: "홍길동 김철수 기자 = ".
	namesEqRe = lazy.NewRegexp(`^` + dlS + `*([^=\n]{2,80}?)` + dlS + `*[=＝]` + dlS + `*`)
	// "SEOUL, April 19 (Yonhap) -- ", "WASHINGTON (Yonhap) -- ": the
	// English services of Korean agencies. Other agencies' datelines
	// ("WASHINGTON (AP) — ") are left to the text, as English pages keep them.
	englishDatelineRe = lazy.NewRegexp(`^` + dlS + `*[A-Z][A-Z.'\- ]{1,40}?(?:,` + dlS + `*(?:[A-Z][a-z]{2,8}\.?` + dlS + `+\d{1,2}))?` +
		dlS + `*\((?:Yonhap|Yonhap Infomax|Newsis|News1|Korea Herald|Korea Times|KBS|Arirang|YTN)\)` + dlS + `*(?:--|—|–)` + dlS + `*`)
)

// splitDateline cuts a wire or byline prefix from the start of a body
// paragraph and returns the reporters it names and the rest:
// "(서울=연합뉴스) 홍길동 김철수 기자 = 본문" gives [홍길동 기자, 김철수
// 기자] and "본문"; "(연천=연합뉴스) 본문" gives no reporter and "본문".
// Also "[서울=뉴시스]홍길동 기자 = ", "【서울=뉴시스】이근홍 기자 = ",
// "[스포츠조선 안소윤 기자] ", "[스포티비뉴스=유현태 기자] ",
// "[엔터미디어=정덕현의 이슈공감] " (a column label), "(워싱턴=연합뉴스) 김경희
// 특파원 = ", "SEOUL, April 19 (Yonhap) -- ". A photo caption marked with
// ▲ or △ and glued before the dateline ("▲ 홍길동 회장[스포티비뉴스=유현태
// 기자] 본문") goes with it. Without a dateline it returns (nil, p). rest
// is always a suffix of p.
func splitDateline(p string) (reps []article.Reporter, rest string) {
	if p == "" {
		return nil, p
	}
	if strings.HasPrefix(p, "▲") || strings.HasPrefix(p, "△") {
		return splitCaptionDateline(p)
	}
	// The three dateline expressions start with spaces (dlS) and then a
	// bracket, or a capital letter: other paragraphs skip them.
	first := firstAfterDlS(p)
	bracket := strings.ContainsRune("([【〔［（", first)
	if m := matchIf(bracket, wireDatelineRe, p); m != nil {
		left, right := p[m[2]:m[3]], p[m[4]:m[5]]
		if !startsWithDigit(left) && !startsWithDigit(right) && !strings.ContainsAny(left+right, ".?!\"") {
			reps = roleReporters(right)
			rest = p[m[1]:]
			if len(reps) == 0 {
				if r, tail, ok := namesBeforeEq(rest); ok {
					reps, rest = r, tail
				}
			}
			return reps, rest
		}
	}
	if m := matchIf(bracket, bracketBylineRe, p); m != nil {
		inner := ""
		if m[2] >= 0 {
			inner = p[m[2]:m[3]]
		} else {
			inner = p[m[4]:m[5]]
		}
		if r, ok := parseBylineLine(inner); ok && len(r) > 0 && hasRole(r) {
			return r, p[m[1]:]
		}
	}
	if m := matchIf('A' <= first && first <= 'Z', englishDatelineRe, p); m != nil {
		return nil, p[m[1]:]
	}
	if r, tail, ok := namesBeforeEq(p); ok {
		return r, tail
	}
	if tail, ok := cutGluedCaption(p); ok {
		return nil, tail
	}
	return nil, p
}

// isDlS reports the characters dlS matches: RE2's \s (tab, newline, form
// feed, carriage return, space), the Unicode space separators (Zs) and the
// zero-width space, joiners and BOM.
func isDlS(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' || 0x200b <= r && r <= 0x200d || r == 0xfeff ||
		r >= 0x80 && unicode.Is(unicode.Zs, r)
}

// firstAfterDlS returns the first character of s that dlS does not match,
// -1 when there is none.
func firstAfterDlS(s string) rune {
	for _, r := range s {
		if !isDlS(r) {
			return r
		}
	}
	return -1
}

// matchIf is re.FindStringSubmatchIndex(s) when ok, nil otherwise.
func matchIf(ok bool, re *lazy.Regexp, s string) []int {
	if !ok {
		return nil
	}
	return re.FindStringSubmatchIndex(s)
}

// splitCaptionDateline is splitDateline for a paragraph that opens with a
// ▲ or △ photo caption: the dateline is a bracket within its first 240
// bytes (some 80 characters) that names a reporter ("(왼쪽)" in the caption
// does not).
func splitCaptionDateline(p string) ([]article.Reporter, string) {
	head := runePrefix(p, 240)
	for i := 0; ; {
		j := strings.IndexAny(head[i:], "([【〔［（")
		if j < 0 {
			return nil, p
		}
		i += j
		if reps, rest := splitDateline(p[i:]); len(reps) > 0 {
			return reps, rest
		}
		_, size := utf8.DecodeRuneInString(head[i:])
		i += size
	}
}

// gluedCaptionRe is a photo caption that an archive viewer glued to the
// first paragraph, ending in its credit: "… 대성황을 이뤘다. 호찌민=유근형 기자
// noel@donga.com베트남 하노이 중심부의 …" (kinds_2).
var gluedCaptionRe = lazy.NewRegexp(`^[^\n]{10,600}?[.다] ?(?:[가-힣·]{2,20} ?= ?)?[가-힣]{2,4} ?` +
	`(?:(?:선임|수석|전문|객원|인턴|수습|사진|영상)?기자|특파원) ?[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// cutGluedCaption cuts such a caption. The article text must follow the
// address with no space, the mark of the glue; a byline closing a
// paragraph ("…말했다. 유근형 기자 noel@donga.com") is left alone.
func cutGluedCaption(p string) (string, bool) {
	if at := strings.IndexByte(p[:min(len(p), 900)], '@'); at < 0 {
		return p, false
	}
	m := gluedCaptionRe.FindStringIndex(p)
	if m == nil {
		return p, false
	}
	r, _ := utf8.DecodeRuneInString(p[m[1]:])
	if r < 0xAC00 || r > 0xD7A3 || utf8.RuneCountInString(p[m[1]:]) < 20 {
		return p, false
	}
	return p[m[1]:], true
}

// namesBeforeEq reads "홍길동 김철수 기자 = " at the start of s: names with
// roles and nothing else before the "=".
func namesBeforeEq(s string) ([]article.Reporter, string, bool) {
	if head := s[:min(len(s), 400)]; strings.IndexByte(head, '=') < 0 && !strings.Contains(head, "＝") {
		return nil, s, false
	}
	m := namesEqRe.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, s, false
	}
	seg := normalizeSpace(s[m[2]:m[3]])
	sc := scanByline(seg, false)
	if len(sc.reps) == 0 {
		return nil, s, false
	}
	for _, t := range sc.toks {
		switch t.kind {
		case tkRole, tkOutlet, tkPlace:
		case tkName:
			if !t.used {
				return nil, s, false
			}
		default:
			return nil, s, false
		}
	}
	return sc.reps, s[m[1]:], true
}

// roleReporters reads the people with a role in a short credit
// ("유현태 기자", "잠실, 홍길동 기자"); column labels give none.
func roleReporters(s string) []article.Reporter {
	sc := scanByline(normalizeSpace(s), false)
	if len(sc.reps) == 0 {
		return nil
	}
	return sc.reps
}

func hasRole(rs []article.Reporter) bool {
	for _, r := range rs {
		if r.Role != "" {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func startsWithDigit(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

// cutTrailingByline splits a byline glued after the last sentence of a
// paragraph: "…권고했다. /김태연 기자", "…밝혔다. 홍길동 기자
// hong@donga.com", "…했다. 세종=홍길동 기자". The part after the last
// sentence must be a name with a role (and an address), and nothing else:
// a labelled credit ("사진=홍길동 기자") or a sentence is not cut.
func cutTrailingByline(p string) (string, []article.Reporter, bool) {
	tail := p
	if len(tail) > 240 {
		tail = tail[len(tail)-240:]
	}
	if !containsAny(tail, "기자", "특파원", "위원") {
		return p, nil, false
	}
	// Try each space among the last words as the boundary, nearest first.
	for i, words := len(p), 0; words < 8; words++ {
		i = strings.LastIndexByte(p[:i], ' ')
		if i <= 0 {
			break
		}
		head, t := strings.TrimSpace(p[:i]), p[i+1:]
		if !endsSentence(head) || strings.HasSuffix(head, ",") {
			continue
		}
		t = strings.TrimSpace(strings.TrimPrefix(t, "/"))
		if t == "" || strings.ContainsAny(t, ":：") {
			continue
		}
		rs, ok := parseBylineLine(t)
		if !ok || len(rs) == 0 || !hasRole(rs) || rs[0].Name == "" {
			continue
		}
		// The tail starts with the first name, or with the place of an
		// "=" dateline ("세종=홍길동 기자"), never with a credit's label.
		if eq := strings.IndexByte(t, '='); eq >= 0 {
			if lbl := t[:eq]; containsAny(lbl, "사진", "그래픽", "영상", "글", "정리", "촬영", "편집", "자료") {
				continue
			}
			t = t[eq+1:]
		}
		if !strings.HasPrefix(strings.TrimSpace(t), rs[0].Name) {
			continue
		}
		return head, rs, true
	}
	return p, nil, false
}

// handOffRe is a TV anchor's hand-off to the reporter whose report
// follows: "김수연 기자입니다.", "자세한 내용, 김수연 기자입니다.", "안진우
// 기자가 보도합니다."
var handOffRe = lazy.NewRegexp(`^(?:[^.?!"]{0,30}[ ,])?([가-힣]{2,4}) ?(기자|특파원)(?:입니다|가 보도합니다|가 전합니다)[.!]?$`)

// handOffReporter is the reporter an anchor's hand-off names among the
// body's opening lines, when the next line opens the report with its
// label ("[리포트]", "【 기자 】", "<기자>"). The line stays in the
// transcript; the reporter counts only when nothing else names one.
func handOffReporter(lines []string) (article.Reporter, bool) {
	for i, l := range lines {
		if i >= 12 || i+1 >= len(lines) {
			break
		}
		if !strings.Contains(l, "입니다") && !strings.Contains(l, "합니다") {
			continue
		}
		if utf8.RuneCountInString(l) > 40 || !isReportLabel(lines[i+1]) {
			continue
		}
		if m := handOffRe.FindStringSubmatch(l); m != nil && isHangulName(m[1]) && hasSurname(m[1]) {
			return article.Reporter{Name: m[1], Role: m[2]}, true
		}
	}
	return article.Reporter{}, false
}

// isReportLabel reports whether line opens with a transcript's speaker
// label: "[리포트]", "【 기자 】", "<기자>", "[기자]".
func isReportLabel(line string) bool {
	open, size := utf8.DecodeRuneInString(line)
	var closer rune
	switch open {
	case '[':
		closer = ']'
	case '【':
		closer = '】'
	case '<':
		closer = '>'
	case '〈':
		closer = '〉'
	case '［':
		closer = '］'
	case '(':
		closer = ')'
	default:
		return false
	}
	end := strings.IndexRune(line[size:], closer)
	if end < 0 {
		return false
	}
	label := strings.TrimSpace(line[size : size+end])
	return label == "리포트" || label == "기자" || label == "리포터" || label == "특파원"
}

// indexArrow is the index of the first ▶, ☞ or ▷ in s, -1 if none: the
// three start with the byte 0xE2, which IndexByte finds without decoding
// the Hangul around them.
func indexArrow(s string) int {
	for i := 0; ; {
		j := strings.IndexByte(s[i:], 0xE2)
		if j < 0 {
			return -1
		}
		i += j
		if r := s[i:]; strings.HasPrefix(r, "▶") || strings.HasPrefix(r, "☞") || strings.HasPrefix(r, "▷") {
			return i
		}
		i++
	}
}
