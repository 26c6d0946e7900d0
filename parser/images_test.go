package parser

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
)

// TestBodyImages: the photos of the article's text, with their captions
// and credits, in several outlets' forms and with class names that say
// nothing; thumbnails of other articles and icons are not the article's.
func TestBodyImages(t *testing.T) {
	const p1 = `<p>국고채 3년물 금리가 5일 석 달 만에 최고치로 올랐다. 미국 물가 지표가 예상보다 높게 나오면서 채권 매도세가 이어졌다.</p>`
	const p2 = `<p>시장에서는 한국은행이 상반기 중 금리를 내리기 어렵다는 관측이 힘을 얻고 있다. 외국인 투자자들은 국채 선물을 대거 팔았다.</p>`
	const p3 = `<p>전문가들은 당분간 변동성이 클 것이라며 이달 발표될 고용 지표를 주시해야 한다고 말했다.</p>`
	for _, c := range []struct {
		name, photos string
		want         []article.Image // in order, after any from meta tags
	}{
		{"figure with a figcaption ending in a credit",
			`<figure class="f1"><div class="f2"><img src="/photo/1.jpg" alt=""></div><figcaption><span>딜러들이 5일 서울 중구 딜링룸에서 업무를 보고 있다. 연합뉴스</span></figcaption></figure>`,
			[]article.Image{{URL: "https://news.example.co.kr/photo/1.jpg", Caption: "딜러들이 5일 서울 중구 딜링룸에서 업무를 보고 있다.", Credit: "연합뉴스"}}},
		{"a plain block under the photo, by its credit",
			`<div class="g1"><img src="/photo/2.jpg"></div><div class="g2"><p>한국은행 전경. /뉴시스</p></div>`,
			[]article.Image{{URL: "https://news.example.co.kr/photo/2.jpg", Caption: "한국은행 전경.", Credit: "/뉴시스"}}},
		{"a lazy image whose alt text the site cut short",
			`<span class="h1"><div><img data-src="https://img.example.co.kr/photo/3.jpg?type=w647" style="display: none;" alt="[서울=예시통신]5일 열린 금융시장 점검회의에서 참석자들이 자료를 보고 있다. (사진 = 금융위) photo@ne"></div></span><em class="h2">[서울=예시통신]5일 열린 금융시장 점검회의에서 참석자들이 자료를 보고 있다. (사진 = 금융위) photo@example.com *재판매 및 DB 금지</em>`,
			[]article.Image{{URL: "https://img.example.co.kr/photo/3.jpg?type=w647", Caption: "[서울=예시통신]5일 열린 금융시장 점검회의에서 참석자들이 자료를 보고 있다. (사진 = 금융위) photo@example.com *재판매 및 DB 금지"}}},
		{"the alt text alone describes the photo; the headline as alt text does not",
			`<div><img src="/photo/4.jpg" alt="여의도 증권가의 전광판에 국채 금리가 표시돼 있다"></div><div><img src="/photo/5.jpg" alt="시장 금리 석 달 만에 최고"></div>`,
			[]article.Image{{URL: "https://news.example.co.kr/photo/4.jpg", Caption: "여의도 증권가의 전광판에 국채 금리가 표시돼 있다"}, {URL: "https://news.example.co.kr/photo/5.jpg"}}},
		{"a photo linked to its larger copy is kept; thumbnails of other articles and icons are not",
			`<a href="/photo/6_big.jpg"><img src="/photo/6.jpg"></a><ul><li><a href="/news/articleView.html?idxno=500091"><img src="/thumb/7.jpg">국채 금리 이틀째 상승세</a></li></ul><img src="/icon/share.png" width="16" height="16">`,
			[]article.Image{{URL: "https://news.example.co.kr/photo/6.jpg"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := `<!doctype html><html><head><meta charset="utf-8"><title>시장 금리 석 달 만에 최고 - 예시일보</title>
<meta property="og:type" content="article"></head><body><div class="a1"><h1>시장 금리 석 달 만에 최고</h1><div class="a2">입력 2024.03.05 09:30</div>
<div class="a3">` + p1 + c.photos + p2 + p3 + `</div></div></body></html>`
			bothModes(t, article.Page{URL: relURL, Body: []byte(page)}, func(t *testing.T, a article.Article, err error) {
				if err != nil {
					t.Fatal(err)
				}
				if len(a.Images) != len(c.want) {
					t.Fatalf("images = %+v, want %+v", a.Images, c.want)
				}
				for i, w := range c.want {
					if a.Images[i] != w {
						t.Errorf("image %d = %+v, want %+v", i, a.Images[i], w)
					}
				}
				if strings.Contains(a.Body, "딜링룸") || strings.Contains(a.Body, "한국은행 전경") {
					t.Errorf("a caption is in the body: %q", a.Body)
				}
			})
		})
	}
}

// TestSplitCredit: a caption's credit, in Korean outlets' forms and, under
// a photo, in their English editions' and the wires' forms.
func TestSplitCredit(t *testing.T) {
	for _, c := range []struct {
		in, caption, credit string
		image               bool // isImageCredit (under a photo) rather than isPhotoCredit
	}{
		{"딜러들이 업무를 보고 있다. 연합뉴스", "딜러들이 업무를 보고 있다.", "연합뉴스", false},
		{"한국은행 전경. /뉴시스", "한국은행 전경.", "/뉴시스", false},
		{"소년공 시절의 모습. [사진 출처 = 캠프]", "소년공 시절의 모습.", "[사진 출처 = 캠프]", false},
		{"사진=연합뉴스", "", "사진=연합뉴스", false},
		{"이라크에 주둔한 미군[출처: 연합뉴스 자료사진]", "이라크에 주둔한 미군", "[출처: 연합뉴스 자료사진]", false},
		{"기자회견 하는 시장 [사진 출처 = 연합뉴스]", "기자회견 하는 시장", "[사진 출처 = 연합뉴스]", false},
		{"시는 노선을 바꿨다 [단독]", "시는 노선을 바꿨다 [단독]", "", false},
		{"시민들이 정류장에서 버스를 기다리고 있다 서울시 제공", "시민들이 정류장에서 버스를 기다리고 있다", "서울시 제공", false},
		{"새로 도입되는 저상버스(가운데) /뉴스1", "새로 도입되는 저상버스(가운데)", "/뉴스1", false},
		{"시 관계자는 계획을 설명했다.", "시 관계자는 계획을 설명했다.", "", false},
		{"President Yoon speaks at a meeting in Seoul on Tuesday. (Yonhap)", "President Yoon speaks at a meeting in Seoul on Tuesday.", "(Yonhap)", true},
		{"Lawmakers vote at the National Assembly on Monday. [YONHAP]", "Lawmakers vote at the National Assembly on Monday.", "[YONHAP]", true},
		{"Esper speaks in Hanoi, Vietnam, Wednesday, Nov. 20, 2019. (AP Photo/Hau Dinh)", "Esper speaks in Hanoi, Vietnam, Wednesday, Nov. 20, 2019.", "(AP Photo/Hau Dinh)", true},
		{"The new foldable phone. Courtesy of Samsung Electronics", "The new foldable phone.", "Courtesy of Samsung Electronics", true},
		{"Seoul's skyline at night. Korea Herald DB", "Seoul's skyline at night.", "Korea Herald DB", true},
		// In the text, an English wire story's last paragraph ends the
		// same way: not a caption there.
		{"The ministry said it would review the plan. (Yonhap)", "The ministry said it would review the plan. (Yonhap)", "", false},
		{"The deal is final. The talks are over", "The deal is final. The talks are over", "", true},
	} {
		isCredit := isPhotoCredit
		if c.image {
			isCredit = isImageCredit
		}
		caption, credit := splitCredit(c.in, isCredit)
		if !utf8.ValidString(caption) || !utf8.ValidString(credit) {
			t.Errorf("splitCredit(%q) cut a character: %q, %q", c.in, caption, credit)
		}
		if caption != c.caption || credit != c.credit {
			t.Errorf("splitCredit(%q) = %q, %q; want %q, %q", c.in, caption, credit, c.caption, c.credit)
		}
	}
}

// TestCaptionMarks: a caption set off by ▲ under a photo (in the photo's
// paragraph after a <br>, or in the next one) and a caption ending in a
// parenthesized credit ("(사진=예시일보 DB)") leave the body and describe
// the photo, without their mark.
func TestCaptionMarks(t *testing.T) {
	w := []string{
		"정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다.",
		"기획재정부는 3일 이런 내용의 예산안을 발표했다고 밝혔다. 중소 팹리스 지원이 크게 늘었다.",
		"업계는 환영의 뜻을 밝혔다. 다만 인력 양성 예산이 부족하다는 지적도 나왔다.",
	}
	for _, c := range []struct{ name, photo, caption, credit string }{
		{"▲ after a <br>, parenthesized credit", `<p style="text-align:center"><img src="/p/1.jpg"><br>▲ 반도체 공장 전경 (사진=예시일보 DB)</p>`, "반도체 공장 전경", "(사진=예시일보 DB)"},
		{"▲ in the next paragraph", `<p style="text-align:center"><img src="/p/1.jpg"></p><p>▲ 반도체 공장에서 직원들이 웨이퍼를 살펴보고 있다.</p>`, "반도체 공장에서 직원들이 웨이퍼를 살펴보고 있다.", ""},
		{"△ in an em after a <br>", `<div style="text-align:center"><img src="/p/1.jpg"><br><em>△ 반도체 공장에서 직원들이 웨이퍼를 살펴보고 있다.</em></div>`, "반도체 공장에서 직원들이 웨이퍼를 살펴보고 있다.", ""},
	} {
		page := `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body><h1>정부, 반도체 예산 2조 편성</h1>
<p>입력 2024.12.03 10:21</p><div class="article_body"><p>` + w[0] + `</p>` + c.photo + `<p>` + w[1] + `</p><p>` + w[2] + `</p><p>홍길동 기자</p></div></body></html>`
		for mode, p := range parserModes(t) {
			a, err := p.Parse(article.Page{URL: "https://news.example.com/article/1", Body: []byte(page)})
			if err != nil {
				t.Fatalf("%s/%s: %v", mode, c.name, err)
			}
			if want := strings.Join(w, "\n\n"); a.Body != want {
				t.Errorf("%s/%s: body %q", mode, c.name, a.Body)
			}
			if len(a.Images) != 1 || a.Images[0].Caption != c.caption || a.Images[0].Credit != c.credit {
				t.Errorf("%s/%s: images %+v, want caption %q, credit %q", mode, c.name, a.Images, c.caption, c.credit)
			}
		}
	}
}

// TestPhotoTable: a photo and its caption laid out in a table, as older
// pages do, leave the body and describe the photo; a table of data, with
// no photo, stays in the body.
func TestPhotoTable(t *testing.T) {
	w := []string{
		"정부가 내년 반도체 산업 지원 예산을 2조원 규모로 편성했다. 올해보다 30% 늘어난 규모다.",
		"기획재정부는 3일 이런 내용의 예산안을 발표했다고 밝혔다. 중소 팹리스 지원이 크게 늘었다.",
		"업계는 환영의 뜻을 밝혔다. 다만 인력 양성 예산이 부족하다는 지적도 나왔다.",
	}
	const caption = "반도체 공장에서 직원들이 웨이퍼를 살펴보고 있다."
	photo := `<table align="center" width="500"><tr><td><img src="/p/1.jpg" width="500"></td></tr><tr><td>` + caption + `</td></tr></table>`
	data := `<table><tr><th>구분</th><th>올해</th><th>내년</th></tr><tr><td>반도체</td><td>1.5조</td><td>2조</td></tr></table>`
	page := func(box string) string {
		return `<html lang="ko"><head><meta charset="utf-8"><title>정부, 반도체 예산 2조 편성</title></head><body><h1>정부, 반도체 예산 2조 편성</h1>
<p>입력 2024.12.03 10:21</p><div class="article_body"><p>` + w[0] + `</p><p>` + w[1] + `</p>` + box + `<p>` + w[2] + `</p><p>홍길동 기자</p></div></body></html>`
	}
	for mode, p := range parserModes(t) {
		a, err := p.Parse(article.Page{URL: "https://news.example.com/article/1", Body: []byte(page(photo))})
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Join(w, "\n\n"); a.Body != want {
			t.Errorf("%s: photo table: body %q", mode, a.Body)
		}
		if len(a.Images) != 1 || a.Images[0].Caption != caption {
			t.Errorf("%s: photo table: images %+v", mode, a.Images)
		}
		a, err = p.Parse(article.Page{URL: "https://news.example.com/article/1", Body: []byte(page(data))})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Body, "1.5조") {
			t.Errorf("%s: data table left the body: %q", mode, a.Body)
		}
	}
}
