package discover

import (
	"net/url"
	"testing"
)

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://www.example.co.kr/news/list.html?page=2")
	tests := []struct {
		ref  string
		want string // "" when refused
	}{
		{"/news/articleView.html?idxno=1", "https://www.example.co.kr/news/articleView.html?idxno=1"},
		{"articleView.html?idxno=1#comments", "https://www.example.co.kr/news/articleView.html?idxno=1"},
		{"//cdn.example.co.kr/a", "https://cdn.example.co.kr/a"},
		{"HTTP://WWW.Example.CO.KR/A", "http://www.example.co.kr/A"},
		{"  \n/a b\t/c  ", "https://www.example.co.kr/a%20b/c"},
		{"\u00a0/뉴스/1\u200b", "https://www.example.co.kr/%EB%89%B4%EC%8A%A4/1"},
		{"/a?q=한국", "https://www.example.co.kr/a?q=한국"},
		{"/a?q=\xb1\xb9", "https://www.example.co.kr/a?q=%B1%B9"},
		{`\news\1.html?x=a\b`, "https://www.example.co.kr/news/1.html?x=a%5Cb"},
		{"?page=3", "https://www.example.co.kr/news/list.html?page=3"},
		{"javascript:void(0)", ""},
		{"mailto:a@example.com", ""},
		{"ftp://example.com/a", ""},
		{"#top", ""},
		{"", ""},
		{"http:/x", ""},
		{"http://:80/x", ""},
		{"http:foo", ""},
		{"http://[::1", ""},
	}
	for _, tt := range tests {
		got, ok := resolve(base, tt.ref)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("resolve(%q) = %q, %v; want %q", tt.ref, got, ok, tt.want)
		}
	}
	if got, ok := resolve(nil, "/relative"); ok {
		t.Errorf("resolve(nil, relative) = %q", got)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  plain  title ", "plain title"},
		{"<b>굵은</b> 제목", "굵은 제목"},
		{"<b>반도체</b>가<br>수출<br/>", "반도체가 수출"},
		{"<단독> 제목 <인터뷰>", "<단독> 제목 <인터뷰>"},
		{"&amp;quot;이중&amp;quot;", `"이중"`},
		{"&lt;b&gt;태그&lt;/b&gt;", "태그"},
		{"줄\n바꿈\u00a0공백\u200b", "줄 바꿈 공백"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"ctrl\x01char", "ctrl char"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
