package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"https://user:s3cret@minio.example:9000/bucket", "https://user:xxxxx@minio.example:9000/bucket"},
		{"https://tok3n@feeds.example/rss", "https://xxxxx@feeds.example/rss"},
		{"https://user:pa@ss@host/p?q=a@b", "https://user:xxxxx@host/p?q=a@b"},
		{"http://u:p w%zz@bad host/", "http://u:xxxxx@bad host/"}, // does not parse
		{"https://news.example/a?mail=x@y", "https://news.example/a?mail=x@y"},
		{"news.example/a", "news.example/a"},
		{"", ""},
	} {
		got := URL(c.in)
		if got != c.want {
			t.Errorf("URL(%q) = %q, want %q", c.in, got, c.want)
		}
		if strings.Contains(got, "s3cret") || strings.Contains(got, "tok3n") {
			t.Errorf("URL(%q) = %q keeps the secret", c.in, got)
		}
	}
}
