package discover

import (
	"net/url"
	"testing"
	"unicode/utf8"
)

// checkLinks fails on a Link that breaks the package's promises.
func checkLinks(t testing.TB, links []Link) {
	t.Helper()
	for _, l := range links {
		checkURL(t, l.URL)
		if !utf8.ValidString(l.Title) {
			t.Fatalf("title %q is not valid UTF-8", l.Title)
		}
	}
}

func checkURLs(t testing.TB, urls []string) {
	t.Helper()
	for _, u := range urls {
		checkURL(t, u)
	}
}

func checkURL(t testing.TB, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" || u.Fragment != "" {
		t.Fatalf("URL %q is not absolute http(s) without fragment (err %v)", s, err)
	}
	if !utf8.ValidString(s) {
		t.Fatalf("URL %q is not valid UTF-8", s)
	}
}
