package discover

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// NaverSearchEndpoint is the Naver Search Open API's news endpoint
// (https://developers.naver.com/docs/serviceapi/search/news/news.md). A
// request is a GET of NaverSearchURL with the headers X-Naver-Client-Id and
// X-Naver-Client-Secret.
const NaverSearchEndpoint = "https://openapi.naver.com/v1/search/news.json"

// The API's bounds for display and start.
const (
	NaverMaxDisplay = 100
	NaverMaxStart   = 1000
)

// NaverSearchURL builds the URL of one result page sorted by date, newest
// first: start is the 1-based rank of its first result (clamped to
// 1..NaverMaxStart), display the page size (clamped to 1..NaverMaxDisplay).
// An empty endpoint means NaverSearchEndpoint.
func NaverSearchURL(endpoint, query string, start, display int) string {
	if endpoint == "" {
		endpoint = NaverSearchEndpoint
	}
	start = min(max(start, 1), NaverMaxStart)
	display = min(max(display, 1), NaverMaxDisplay)
	q := url.Values{}
	q.Set("query", query)
	q.Set("display", strconv.Itoa(display))
	q.Set("start", strconv.Itoa(start))
	q.Set("sort", "date")
	sep := "?"
	if strings.Contains(endpoint, "?") {
		sep = "&"
	}
	return endpoint + sep + q.Encode()
}

type naverResponse struct {
	LastBuildDate string      `json:"lastBuildDate"`
	Total         json.Number `json:"total"`
	Start         int         `json:"start"`
	Display       int         `json:"display"`
	Items         []naverItem `json:"items"`
	ErrorMessage  string      `json:"errorMessage"`
	ErrorCode     string      `json:"errorCode"`
}

type naverItem struct {
	Title        string `json:"title"`
	OriginalLink string `json:"originallink"`
	Link         string `json:"link"`
	Description  string `json:"description"`
	PubDate      string `json:"pubDate"`
}

// NaverSearch parses one result page of the news search. Each Link is the
// outlet's own URL (originallink) when there is one, else Naver's copy
// (link); Title has the <b> highlighting and entities removed; Published is
// pubDate. total is the number of results the API reports for the query.
// Items without a usable URL are skipped and duplicates dropped. An error
// body ({"errorCode": …}) that came with a 200 is returned as a
// *NaverAPIError.
func NaverSearch(body []byte) (links []Link, total int, err error) {
	var r naverResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&r); err != nil {
		return nil, 0, fmt.Errorf("naver search: %w", err)
	}
	if r.ErrorCode != "" || r.ErrorMessage != "" {
		return nil, 0, &NaverAPIError{Status: 200, Code: cleanText(r.ErrorCode), Message: cleanText(r.ErrorMessage)}
	}
	if r.Total != "" {
		n, err := strconv.ParseInt(string(r.Total), 10, 64)
		if err != nil || n < 0 {
			return nil, 0, fmt.Errorf("naver search: total %q is not a count", r.Total)
		}
		total = int(n)
	}
	for _, it := range r.Items {
		u, ok := resolve(nil, it.OriginalLink)
		if !ok {
			u, ok = resolve(nil, it.Link)
		}
		if !ok {
			continue
		}
		published, _ := parseDate(it.PubDate)
		links = append(links, Link{URL: u, Title: cleanText(it.Title), Published: published})
	}
	return dedupe(links), total, nil
}

// NaverAPIError is an error answer of the Naver Open API:
// {"errorMessage": "…", "errorCode": "SE01"} with an HTTP status.
type NaverAPIError struct {
	Status  int    // HTTP status
	Code    string // errorCode: "SE01"…"SE06" a bad request, "SE99" a system error, or a platform code ("024" authentication)
	Message string // errorMessage, as the API wrote it
}

func (e *NaverAPIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("naver search: HTTP %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("naver search: HTTP %d: %s %s", e.Status, e.Code, e.Message)
}

// Retryable reports whether the same request may succeed later: a rate
// limit or quota (429) or a server-side failure (5xx, SE99). Bad requests
// and authentication failures are permanent.
func (e *NaverAPIError) Retryable() bool {
	return e.Status == 429 || e.Status >= 500 || e.Code == "SE99"
}

// NaverError turns an error response (status and body) into a
// *NaverAPIError naming errorCode and errorMessage. A body that is not the
// API's JSON still gives one, with Code "" and the start of the body as
// Message.
func NaverError(status int, body []byte) error {
	var r naverResponse
	if err := json.Unmarshal(body, &r); err == nil && (r.ErrorCode != "" || r.ErrorMessage != "") {
		return &NaverAPIError{Status: status, Code: cleanText(r.ErrorCode), Message: cleanText(r.ErrorMessage)}
	}
	msg := strings.ToValidUTF8(string(body), "\uFFFD")
	if len(msg) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if msg == "" {
		msg = "(empty body)"
	}
	return &NaverAPIError{Status: status, Message: msg}
}
