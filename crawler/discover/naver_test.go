package discover

import (
	"errors"
	"testing"
)

func TestNaverSearchURL(t *testing.T) {
	tests := []struct {
		endpoint, query string
		start, display  int
		want            string
	}{
		{"", "반도체 수출", 1, 100, "https://openapi.naver.com/v1/search/news.json?display=100&query=%EB%B0%98%EB%8F%84%EC%B2%B4+%EC%88%98%EC%B6%9C&sort=date&start=1"},
		{NaverSearchEndpoint, "a&b=c", 0, 0, "https://openapi.naver.com/v1/search/news.json?display=1&query=a%26b%3Dc&sort=date&start=1"},
		{"http://127.0.0.1:8080/v1/search/news.json?x=1", "q", 5000, 500, "http://127.0.0.1:8080/v1/search/news.json?x=1&display=100&query=q&sort=date&start=1000"},
	}
	for _, tt := range tests {
		if got := NaverSearchURL(tt.endpoint, tt.query, tt.start, tt.display); got != tt.want {
			t.Errorf("NaverSearchURL(%q, %q, %d, %d) =\n%s\nwant\n%s", tt.endpoint, tt.query, tt.start, tt.display, got, tt.want)
		}
	}
}

const naverBody = `{
"lastBuildDate":"Mon, 26 Sep 2016 11:01:35 +0900",
"total":2566589,
"start":1,
"display":4,
"items":[
 {"title":"<b>반도체<\/b> 수출 &quot;역대 최대&quot;","originallink":"http:\/\/www.osen.co.kr\/article\/G1112343417","link":"https:\/\/m.entertain.naver.com\/article\/109\/0005084283","description":"…","pubDate":"Mon, 26 Sep 2016 07:50:00 +0900"},
 {"title":"원문 없음","originallink":"","link":"https:\/\/n.news.naver.com\/mnews\/article\/001\/0014000000?sid=101","description":"","pubDate":"Mon, 26 Sep 2016 07:40:00 +0900"},
 {"title":"나쁜 링크","originallink":"javascript:alert(1)","link":"","description":"","pubDate":"garbage"},
 {"title":"중복","originallink":"http://www.osen.co.kr/article/G1112343417","link":"","pubDate":""}
]}`

func TestNaverSearch(t *testing.T) {
	links, total, err := NaverSearch([]byte(naverBody))
	if err != nil {
		t.Fatal(err)
	}
	if total != 2566589 {
		t.Errorf("total = %d", total)
	}
	assertLinks(t, links, []Link{
		{URL: "http://www.osen.co.kr/article/G1112343417", Title: `반도체 수출 "역대 최대"`, Published: kst(2016, 9, 26, 7, 50, 0)},
		{URL: "https://n.news.naver.com/mnews/article/001/0014000000?sid=101", Title: "원문 없음", Published: kst(2016, 9, 26, 7, 40, 0)},
	})

	errTests := []struct{ name, body, want string }{
		{"not json", "<html>", "naver search: invalid character '<' looking for beginning of value"},
		{"error body with 200", `{"errorMessage":"Incorrect query request (잘못된 쿼리요청입니다.)","errorCode":"SE01"}`,
			"naver search: HTTP 200: SE01 Incorrect query request (잘못된 쿼리요청입니다.)"},
		{"bad total", `{"total":-1,"items":[]}`, `naver search: total "-1" is not a count`},
		{"wrong type", `{"items":{}}`, "naver search: json: cannot unmarshal object into Go struct field naverResponse.items of type []discover.naverItem"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := NaverSearch([]byte(tt.body))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("NaverSearch() error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, total, err := NaverSearch([]byte(`{"total":0,"items":[]}`)); err != nil || total != 0 {
		t.Errorf("empty result: %d, %v", total, err)
	}
}

func TestNaverError(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		want      string
		code      string
		retryable bool
	}{
		{"SE01", 400, `{"errorMessage":"Incorrect query request (잘못된 쿼리요청입니다.)","errorCode":"SE01"}`,
			"naver search: HTTP 400: SE01 Incorrect query request (잘못된 쿼리요청입니다.)", "SE01", false},
		{"SE99", 500, `{"errorMessage":"System Error","errorCode":"SE99"}`, "naver search: HTTP 500: SE99 System Error", "SE99", true},
		{"quota", 429, `{"errorMessage":"Rate limit exceeded. (속도 제한을 초과했습니다.)","errorCode":"012"}`,
			"naver search: HTTP 429: 012 Rate limit exceeded. (속도 제한을 초과했습니다.)", "012", true},
		{"auth", 401, `{"errorMessage":"Authentication failed (인증 실패하였습니다.)","errorCode":"024"}`,
			"naver search: HTTP 401: 024 Authentication failed (인증 실패하였습니다.)", "024", false},
		{"html", 502, "<html>\n<body>Bad   Gateway</body></html>", "naver search: HTTP 502: <html> <body>Bad Gateway</body></html>", "", true},
		{"empty", 503, "", "naver search: HTTP 503: (empty body)", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NaverError(tt.status, []byte(tt.body))
			if err.Error() != tt.want {
				t.Errorf("NaverError() = %q, want %q", err, tt.want)
			}
			var apiErr *NaverAPIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("NaverError() is %T, want *NaverAPIError", err)
			}
			if apiErr.Code != tt.code || apiErr.Status != tt.status || apiErr.Retryable() != tt.retryable {
				t.Errorf("NaverAPIError = %+v, retryable %v", apiErr, apiErr.Retryable())
			}
		})
	}
}
