package discover

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var ndsoftArticle = regexp.MustCompile(`/news/articleView\.html\?idxno=\d+$`)

const ndsoftList = `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>정치 - 예시뉴스</title></head><body>
<header><a href="/">예시뉴스</a><a href="/news/articleList.html?sc_section_code=S1N1&view_type=sm">정치</a></header>
<section id="section-list"><ul class="type1">
 <li>
  <a href="/news/articleView.html?idxno=1001" class="thumb"><img src="/thumb/1001.jpg" alt="첫 기사 사진"></a>
  <h4 class="titles"><a href="/news/articleView.html?idxno=1001">첫 기사</a></h4>
  <p class="lead"><a href="/news/articleView.html?idxno=1001">요약 문장…</a></p>
  <span class="byline"><em>홍길동 기자</em><em>2024.01.30 18:00</em></span>
 </li>
 <li><h4 class="titles"><a href="/news/articleView.html?idxno=1003">[단독] 셋째 &amp; 기사</a></h4>
  <span class="byline"><em>김기자</em><em>2024.01.31 09:00</em></span></li>
 <li><h4 class="titles"><a href="/news/articleView.html?idxno=1002">둘째 기사</a></h4>
  <span class="byline"><em>2024.01.31 08:00</em></span></li>
</ul></section>
<aside><h3>많이 본 뉴스</h3><ol><li><a href="https://www.ndnews.co.kr/news/articleView.html?idxno=900">인기 기사</a></li></ol></aside>
<nav class="pagination"><ul>
 <li class="pagination-start"><a href="/news/articleList.html?page=1&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm">처음</a></li>
 <li class="current"><a>1</a></li>
 <li><a href="/news/articleList.html?page=2&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm">2</a></li>
 <li><a href="/news/articleList.html?page=3&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm">3</a></li>
 <li><a href="/news/articleList.html?page=4&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm">4</a></li>
 <li class="pagination-next"><a href="/news/articleList.html?page=11&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm">다음</a></li>
 <li class="pagination-end"><a href="/news/articleList.html?page=500&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm">끝</a></li>
</ul></nav>
<a href="/news/articleList.html?sc_section_code=S1N2&view_type=sm&page=2">2</a>
<a href="/news/articleList.html?sc_section_code=S1N1&view_type=sm&page=3">2</a>
<a href="/news/articleList.html?sc_section_code=S1N1&view_type=sm&page=99">스크랩 99</a>
<a href="https://other.example/news/articleList.html?page=2">2</a>
<a href="javascript:goPage(2)">2</a>
</body></html>`

// pagingEUCKR is an old CMS list on page 2 in EUC-KR, with an image 다음 button.
const pagingEUCKR = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr"><title>정치</title></head><body>
<table class="list"><tr><td><a href="/news/read.php?no=7">국회 본회의 통과</a></td><td>2024-01-31</td></tr>
<tr><td><a href="/news/read.php?no=8">똠방각하 소식</a></td><td>2024-01-30</td></tr></table>
<div class="paging">
 <a href="list.php?sec=pol&pg=1">◀ 이전</a>
 <a href="list.php?sec=pol&pg=1">1</a> <strong>2</strong>
 <a href="list.php?sec=pol&pg=3">3</a> <a href="list.php?sec=pol&pg=4">4</a>
 <a href="list.php?sec=pol&pg=11"><img src="/img/btn_next.gif" alt="다음"></a>
</div></body></html>`

const wordpressList = `<html><head><link rel="prev" href="https://blog.example.com/category/news/"><link rel="next" href="https://blog.example.com/category/news/page/3/"></head><body>
<article><h2><a href="https://blog.example.com/2024/01/31/post-b/">B</a></h2><time datetime="2024-01-31T10:00:00+09:00">1월 31일</time></article>
<article><h2><a href="https://blog.example.com/2024/01/30/post-a/">A</a></h2><time datetime="2024-01-30T10:00:00+09:00">1월 30일</time></article>
<nav><a class="prev page-numbers" href="https://blog.example.com/category/news/">‹</a>
<a class="page-numbers" href="https://blog.example.com/category/news/">1</a>
<span aria-current="page" class="page-numbers current">2</span>
<a class="page-numbers" href="https://blog.example.com/category/news/page/3/">3</a>
<a class="page-numbers" href="https://blog.example.com/category/news/page/4/">4</a>
<a class="next page-numbers" href="https://blog.example.com/category/news/page/3/">›</a></nav>
</body></html>`

func TestPage(t *testing.T) {
	accept := func(u string) bool { return ndsoftArticle.MatchString(u) }
	readPHP := func(u string) bool { return strings.Contains(u, "/news/read.php?no=") }
	posts := func(u string) bool { return strings.Contains(u, "/2024/") }
	tests := []struct {
		name        string
		body        string
		contentType string
		base        string
		accept      func(string) bool
		want        []Link
		next        []string
	}{
		{
			name:   "nd-soft article list",
			body:   ndsoftList,
			base:   "https://www.ndnews.co.kr/news/articleList.html?sc_section_code=S1N1&view_type=sm",
			accept: accept,
			want: []Link{
				{URL: "https://www.ndnews.co.kr/news/articleView.html?idxno=1003", Title: "[단독] 셋째 & 기사", Published: kst(2024, 1, 31, 9, 0, 0)},
				{URL: "https://www.ndnews.co.kr/news/articleView.html?idxno=1002", Title: "둘째 기사", Published: kst(2024, 1, 31, 8, 0, 0)},
				{URL: "https://www.ndnews.co.kr/news/articleView.html?idxno=1001", Title: "첫 기사", Published: kst(2024, 1, 30, 18, 0, 0)},
				{URL: "https://www.ndnews.co.kr/news/articleView.html?idxno=900", Title: "인기 기사"},
			},
			next: []string{
				"https://www.ndnews.co.kr/news/articleList.html?page=2&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm",
				"https://www.ndnews.co.kr/news/articleList.html?page=3&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm",
				"https://www.ndnews.co.kr/news/articleList.html?page=4&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm",
			},
		},
		{
			name:   "nd-soft page 4 of the list",
			body:   ndsoftList,
			base:   "https://www.ndnews.co.kr/news/articleList.html?page=4&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm",
			accept: func(string) bool { return false },
			next: []string{
				"https://www.ndnews.co.kr/news/articleList.html?page=11&total=5000&box_idxno=&sc_section_code=S1N1&view_type=sm",
			},
		},
		{
			name:        "euc-kr div.paging on page 2",
			body:        eucKR(t, pagingEUCKR),
			contentType: "text/html",
			base:        "http://www.example.com/news/list.php?sec=pol&pg=2",
			accept:      readPHP,
			want: []Link{
				{URL: "http://www.example.com/news/read.php?no=7", Title: "국회 본회의 통과", Published: kst(2024, 1, 31, 0, 0, 0)},
				{URL: "http://www.example.com/news/read.php?no=8", Title: "똠방각하 소식", Published: kst(2024, 1, 30, 0, 0, 0)},
			},
			next: []string{
				"http://www.example.com/news/list.php?sec=pol&pg=3",
				"http://www.example.com/news/list.php?sec=pol&pg=4",
				"http://www.example.com/news/list.php?sec=pol&pg=11",
			},
		},
		{
			name:   "wordpress /page/N and rel=next",
			body:   wordpressList,
			base:   "https://blog.example.com/category/news/page/2/",
			accept: posts,
			want: []Link{
				{URL: "https://blog.example.com/2024/01/31/post-b/", Title: "B", Published: kst(2024, 1, 31, 10, 0, 0)},
				{URL: "https://blog.example.com/2024/01/30/post-a/", Title: "A", Published: kst(2024, 1, 30, 10, 0, 0)},
			},
			next: []string{
				"https://blog.example.com/category/news/page/3/",
				"https://blog.example.com/category/news/page/4/",
			},
		},
		{
			name: "undated list keeps document order; 더보기 with rel=next",
			body: `<ul><li><a href="/a/2">둘</a></li><li><a href="/a/1">하나</a></li><li><a href="/a/2">둘 again</a></li></ul>
				<a href="/latest?cursor=abc" rel="next">더보기</a><a href="/latest?page=0">0</a>`,
			base:   "https://news.example.com/latest",
			accept: func(u string) bool { return strings.Contains(u, "/a/") },
			want:   []Link{{URL: "https://news.example.com/a/2", Title: "둘"}, {URL: "https://news.example.com/a/1", Title: "하나"}},
			next:   []string{"https://news.example.com/latest?cursor=abc"},
		},
		{
			name: "a date shared by two links belongs to neither",
			body: `<div><p><a href="/a/1">하나</a> <a href="/a/2">둘</a></p><span>2024-01-31</span></div>`,
			base: "https://news.example.com/",
			want: []Link{{URL: "https://news.example.com/a/1", Title: "하나"}, {URL: "https://news.example.com/a/2", Title: "둘"}},
		},
		{
			name: "base href, www host variant, next class",
			body: `<head><base href="https://www.news.example.com/section/"></head>
				<a href="view/1">기사 <b>하나</b></a>
				<a class="btn_next" href="https://news.example.com/section/list?page=2"></a>`,
			base:   "https://www.news.example.com/section/list",
			accept: func(u string) bool { return strings.Contains(u, "/view/") },
			want:   []Link{{URL: "https://www.news.example.com/section/view/1", Title: "기사 하나"}},
			next:   []string{"https://news.example.com/section/list?page=2"},
		},
		{name: "empty", body: "", base: "https://news.example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			links, next, err := Page([]byte(tt.body), tt.contentType, tt.base, tt.accept)
			if err != nil {
				t.Fatalf("Page() error = %v", err)
			}
			assertLinks(t, links, tt.want)
			if strings.Join(next, "\n") != strings.Join(tt.next, "\n") {
				t.Errorf("next = %q\nwant %q", next, tt.next)
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	for _, tt := range []struct{ base, want string }{
		{"", "page: base URL required"},
		{"ftp://x.example/", `page ftp://x.example/: base URL "ftp://x.example/" is not absolute http(s)`},
	} {
		if _, _, err := Page([]byte("<a href=/x>x</a>"), "", tt.base, nil); err == nil || err.Error() != tt.want {
			t.Errorf("Page(base %q) error = %v, want %q", tt.base, err, tt.want)
		}
	}
}

// TestPageCorpus reads the real article pages of ../shared/corpus (when
// present): related-article lists are list pages too. Every link must be
// absolute http(s) and every title valid UTF-8.
func TestPageCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/ko/html/*.html")
	if len(files) == 0 {
		t.Skip("no ../shared/corpus")
	}
	if len(files) > 12 {
		files = files[:12]
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		links, next, err := Page(body, "", "https://www.example.co.kr/news/list?page=1", nil)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		checkLinks(t, links)
		checkURLs(t, next)
	}
}
