package frontier

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already canonical", "https://example.com/a/b?x=1", "https://example.com/a/b?x=1"},
		{"scheme and host case", "HTTPS://WWW.Example.COM/Path", "https://www.example.com/Path"},
		{"empty path", "http://example.com", "http://example.com/"},
		{"empty path with query", "http://example.com?b=2&a=1", "http://example.com/?a=1&b=2"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"https port on http kept", "http://example.com:443/a", "http://example.com:443/a"},
		{"http port on https kept", "https://example.com:80/a", "https://example.com:80/a"},
		{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
		{"port leading zeros", "http://example.com:0080/a", "http://example.com/a"},
		{"empty port", "http://example.com:/a", "http://example.com/a"},
		{"trailing dot", "https://news.example.com./a", "https://news.example.com/a"},
		{"trailing dots and port", "https://news.example.com..:443/a", "https://news.example.com/a"},
		{"fragment", "https://example.com/a#top", "https://example.com/a"},
		{"fragment after query", "https://example.com/a?x=1#c", "https://example.com/a?x=1"},
		{"white space", "  https://example.com/a\n", "https://example.com/a"},
		{"dot segments", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"dot segments above root", "https://example.com/../../a", "https://example.com/a"},
		{"trailing dot segment", "https://example.com/a/b/..", "https://example.com/a/"},
		{"trailing single dot", "https://example.com/a/.", "https://example.com/a/"},
		{"encoded dots", "https://example.com/a/%2e%2E/b", "https://example.com/b"},
		{"dots inside names kept", "https://example.com/a.b/..c/d..", "https://example.com/a.b/..c/d.."},
		{"double slash kept", "https://example.com/a//b", "https://example.com/a//b"},
		{"unreserved escapes decoded", "https://example.com/%7Euser/%41%2d", "https://example.com/~user/A-"},
		{"lower-case escapes upper-cased", "https://example.com/a%2fb%3a", "https://example.com/a%2Fb%3A"},
		{"encoded slash stays", "https://example.com/a%2Fb", "https://example.com/a%2Fb"},
		{"space escaped", "https://example.com/a b", "https://example.com/a%20b"},
		{"sub-delims kept", "https://example.com/a;b=c,d!$'()*+:@", "https://example.com/a;b=c,d!$'()*+:@"},
		{"lone question mark", "https://example.com/a?", "https://example.com/a"},
		{"only ampersands", "https://example.com/a?&&", "https://example.com/a"},
		{"utm removed", "https://example.com/a?utm_source=x&utm_medium=y&id=3", "https://example.com/a?id=3"},
		{"utm any case", "https://example.com/a?UTM_Source=x&id=3", "https://example.com/a?id=3"},
		{"click ids removed", "https://example.com/a?fbclid=1&gclid=2&dclid=3&gbraid=4&wbraid=5&msclkid=6&mc_cid=7&mc_eid=8&igshid=9&yclid=10&_ga=11&k=v",
			"https://example.com/a?k=v"},
		{"all parameters tracking", "https://example.com/a?utm_campaign=z&fbclid=q", "https://example.com/a"},
		{"utm prefix only", "https://example.com/a?utmx=1&xutm_a=2", "https://example.com/a?utmx=1&xutm_a=2"},
		{"encoded tracking key", "https://example.com/a?%75tm_source=x&b=1", "https://example.com/a?b=1"},
		{"sorted stable", "https://example.com/?b=2&a=3&b=1&a=1", "https://example.com/?a=3&a=1&b=2&b=1"},
		{"key without value", "https://example.com/?b&a=", "https://example.com/?a=&b"},
		{"empty key", "https://example.com/?=1&a=2", "https://example.com/?=1&a=2"},
		{"equals in value", "https://example.com/?a=b=c", "https://example.com/?a=b=c"},
		{"plus kept", "https://example.com/?q=a+b&r=a%20b", "https://example.com/?q=a+b&r=a%20b"},
		{"bad escape in query", "https://example.com/?q=100%&r=%zz", "https://example.com/?q=100%25&r=%25zz"},
		{"query escapes", "https://example.com/?q=%2b%26%3d%7e", "https://example.com/?q=%2B%26%3D~"},
		{"slash and question mark in query", "https://example.com/?next=/a?b", "https://example.com/?next=/a?b"},
		{"quote in query escaped", `https://example.com/?q="x"`, "https://example.com/?q=%22x%22"},
		// Credentials travel with the request, never in a URL that is
		// logged and stored.
		{"user info dropped", "https://User:pw@Example.com/", "https://example.com/"},
		{"user name dropped", "https://User@Example.com/a", "https://example.com/a"},
		{"IPv4", "http://192.168.0.1:8080/a", "http://192.168.0.1:8080/a"},
		{"IPv6", "http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"IPv6 port", "http://[::1]:8080/", "http://[::1]:8080/"},
		{"underscore host", "https://my_host.example.com/", "https://my_host.example.com/"},

		// Naver and other Korean outlets.
		{"naver sid", "https://n.news.naver.com/mnews/article/001/0014123456?sid=100",
			"https://n.news.naver.com/mnews/article/001/0014123456"},
		{"naver old style", "https://news.naver.com/main/read.naver?mode=LSD&mid=shm&sid1=100&oid=001&aid=0014123456&sid=100",
			"https://news.naver.com/main/read.naver?aid=0014123456&mid=shm&mode=LSD&oid=001&sid1=100"},
		{"daum", "https://v.daum.net/v/20240101120000123?f=o", "https://v.daum.net/v/20240101120000123?f=o"},
		{"raw UTF-8 Korean path", "https://www.example.co.kr/뉴스/기사",
			"https://www.example.co.kr/%EB%89%B4%EC%8A%A4/%EA%B8%B0%EC%82%AC"},
		{"lower-case percent-encoded Korean path", "https://www.example.co.kr/%eb%89%b4%ec%8a%a4",
			"https://www.example.co.kr/%EB%89%B4%EC%8A%A4"},
		{"mixed raw and encoded Korean", "https://www.example.co.kr/%EB%89%B4스",
			"https://www.example.co.kr/%EB%89%B4%EC%8A%A4"},
		{"raw Korean with encoded slash", "https://example.kr/a%2F뉴",
			"https://example.kr/a%2F%EB%89%B4"},
		{"Korean query", "https://search.example.kr/?q=대통령&sort=1",
			"https://search.example.kr/?q=%EB%8C%80%ED%86%B5%EB%A0%B9&sort=1"},
		{"EUC-KR escapes kept as bytes", "https://www.example.co.kr/search?q=%b4%eb%c5%eb",
			"https://www.example.co.kr/search?q=%B4%EB%C5%EB"},
		{"Korean host", "https://한국일보.kr/a", "https://xn--3e0bm80ac2h5no.kr/a"},
		{"percent-encoded Korean host", "https://%ED%95%9C%EA%B5%AD.kr/", "https://xn--3e0b707e.kr/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Normalize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Errorf("Normalize(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		name, in, why string
	}{
		{"empty", "", "scheme"},
		{"relative", "/a/b", "scheme"},
		{"no scheme", "example.com/a", "scheme"},
		{"ftp", "ftp://example.com/a", "scheme"},
		{"javascript", "javascript:alert(1)", "scheme"},
		{"mailto", "mailto:a@example.com", "scheme"},
		{"opaque http", "http:example.com", "no host"},
		{"no host", "http:///a", "no host"},
		{"only dots", "http://.../a", "no host"},
		{"only port", "http://:80/a", "no host"},
		{"bad port", "http://example.com:99999/", "port"},
		{"bad path escape", "http://example.com/%zz", "escape"},
		{"control character", "http://example.com/\x00", "control"},
		{"space in host", "http://exa mple.com/", "host"},
		{"odd host character", "http://exa!mple.com/", "host"},
		{"IPv6 zone", "http://[fe80::1%25en0]/", "IPv6"},
		{"bad IDN", "http://xn--a-ecp.한.kr/", "internationalized"},
		{"invalid UTF-8", "http://\xff\xfe/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidURL) {
				t.Errorf("error %v does not wrap ErrInvalidURL", err)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("%q", strings.ToValidUTF8(tt.in, "\uFFFD"))) {
				t.Errorf("error %q does not name the URL %q", err, tt.in)
			}
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q does not say %q", err, tt.why)
			}
			if !utf8.ValidString(err.Error()) {
				t.Errorf("error %q is not valid UTF-8", err)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"https://n.news.naver.com/mnews/article/001/0014123456?sid=100",
		"https://www.example.co.kr/뉴스/기사?q=대통령&utm_source=x#frag",
		"HTTP://Example.COM:80/a/./b/../%2e%2E/c?b=2&a=1&&a=0",
		"http://[::1]:8080/%7e%41?%75tm_x=1&=&a",
		"https://한국일보.kr./a b/%zz",
		"http://u:p@h/?q=100%",
		"http://a.com/a?b=%2",
		" http://a.com",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Normalize(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidURL) {
				t.Fatalf("Normalize(%q): error %v does not wrap ErrInvalidURL", in, err)
			}
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("Normalize(%q): error %q is not valid UTF-8", in, err)
			}
			return
		}
		for i := 0; i < len(out); i++ {
			if out[i] <= ' ' || out[i] >= 0x7f {
				t.Fatalf("Normalize(%q) = %q: byte %#x is not printable ASCII", in, out, out[i])
			}
		}
		again, err := Normalize(out)
		if err != nil {
			t.Fatalf("Normalize(%q) = %q, but that gives %v", in, out, err)
		}
		if again != out {
			t.Fatalf("not idempotent:\n in  %q\n out %q\n out %q", in, out, again)
		}
		if _, host, _ := normalize(out); host == "" || strings.ContainsAny(host, "/@\x00") {
			t.Fatalf("Normalize(%q) = %q: bad host %q", in, out, host)
		}
	})
}

// TestNormalizeErrorHidesPassword: an invalid URL with a password is named
// in the error with the password replaced.
func TestNormalizeErrorHidesPassword(t *testing.T) {
	for in, want := range map[string]string{
		"http://u:sekret@example.com:99999/": `"http://u:xxxxx@example.com:99999/"`,
		"http://u:sekret@exa mple.com/a%zz":  `"http://u:xxxxx@exa mple.com/a%zz"`,
		"ftp://u:sekret@example.com/a":       `"ftp://u:xxxxx@example.com/a"`,
		"http://u:sekret@example.com/\x00":   `"http://u:xxxxx@example.com/`,
	} {
		_, err := Normalize(in)
		if err == nil {
			t.Fatalf("Normalize(%q) succeeded", in)
		}
		if strings.Contains(err.Error(), "sekret") || !strings.Contains(err.Error(), want) {
			t.Errorf("Normalize(%q): error %q shows the password or does not name the URL as %s", in, err, want)
		}
	}
}
