package discover

import (
	"strings"
	"testing"
	"time"

	"github.com/gisa-news/gisa/parser"
)

func TestArchiveURLs(t *testing.T) {
	since := kst(2024, 1, 30, 12, 0, 0)
	until := time.Date(2024, 1, 31, 16, 0, 0, 0, time.UTC) // 2024-02-01 01:00 KST
	tests := []struct {
		name      string
		templates []string
		since     time.Time
		until     time.Time
		want      []string
		wantErr   string
	}{
		{
			name:      "day templates, newest first",
			templates: []string{"https://www.joongang.co.kr/sitemap/index/{yyyy}/{mm}/{dd}", "https://www.hankyung.com/sitemap/daily-article/{yyyy}{mm}{dd}.xml"},
			since:     since, until: until,
			want: []string{
				"https://www.joongang.co.kr/sitemap/index/2024/02/01",
				"https://www.hankyung.com/sitemap/daily-article/20240201.xml",
				"https://www.joongang.co.kr/sitemap/index/2024/01/31",
				"https://www.hankyung.com/sitemap/daily-article/20240131.xml",
				"https://www.joongang.co.kr/sitemap/index/2024/01/30",
				"https://www.hankyung.com/sitemap/daily-article/20240130.xml",
			},
		},
		{
			name:      "query template with page",
			templates: []string{"https://www.khan.co.kr/sitemap.html?year={yyyy}&month={mm}&day={dd}&page={page}"},
			since:     kst(2024, 1, 31, 0, 0, 0), until: kst(2024, 1, 31, 23, 59, 0),
			want: []string{"https://www.khan.co.kr/sitemap.html?year=2024&month=01&day=31&page=1"},
		},
		{
			name:      "year template once per year",
			templates: []string{"https://www.hankookilbo.com/sitemap/daily-articles/{yyyy}"},
			since:     kst(2023, 12, 30, 0, 0, 0), until: kst(2024, 1, 2, 0, 0, 0),
			want: []string{
				"https://www.hankookilbo.com/sitemap/daily-articles/2024",
				"https://www.hankookilbo.com/sitemap/daily-articles/2023",
			},
		},
		{name: "no templates", since: since, until: until},
		{name: "unknown placeholder", templates: []string{"https://a.example/{yyyymmdd}.xml"}, since: since, until: until,
			wantErr: `archive template "https://a.example/{yyyymmdd}.xml": unknown placeholder {yyyymmdd} (known: {yyyy} {mm} {dd} {page})`},
		{name: "unclosed", templates: []string{"https://a.example/{yyyy"}, since: since, until: until,
			wantErr: `archive template "https://a.example/{yyyy": unclosed {`},
		{name: "not a URL", templates: []string{"/sitemap/{yyyy}"}, since: since, until: until,
			wantErr: `archive template "/sitemap/{yyyy}": not an absolute http(s) URL`},
		{name: "reversed", templates: []string{"https://a.example/{yyyy}"}, since: until, until: since,
			wantErr: "archive URLs: since 2024-02-01 is after until 2024-01-30"},
		{name: "zero", templates: []string{"https://a.example/{yyyy}"}, until: until,
			wantErr: "archive URLs: since and until must be set"},
		{name: "too long", templates: []string{"https://a.example/{yyyy}"}, since: kst(1900, 1, 1, 0, 0, 0), until: until,
			wantErr: "archive URLs: 45322 days from 1900-01-01 to 2024-02-01, more than 36600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ArchiveURLs(tt.templates, tt.since, tt.until)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ArchiveURLs() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ArchiveURLs() error = %v", err)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("ArchiveURLs() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestArchiveURLsBuiltinProfiles expands every archives: entry of the
// built-in profiles, so a profile using a placeholder this package does not
// know fails here.
func TestArchiveURLsBuiltinProfiles(t *testing.T) {
	ps, err := parser.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range ps.All() {
		if len(p.Archives) == 0 {
			continue
		}
		n += len(p.Archives)
		urls, err := ArchiveURLs(p.Archives, kst(2024, 1, 31, 0, 0, 0), kst(2024, 1, 31, 0, 0, 0))
		if err != nil {
			t.Errorf("profile %s: %v", p.ID, err)
			continue
		}
		checkURLs(t, urls)
		for _, u := range urls {
			if !strings.Contains(u, "2024") {
				t.Errorf("profile %s: %s has no date", p.ID, u)
			}
		}
	}
	if n == 0 {
		t.Fatal("no built-in profile has archives")
	}
}
