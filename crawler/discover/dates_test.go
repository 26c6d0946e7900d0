package discover

import (
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
)

func kst(y int, m time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, m, d, h, mi, s, 0, article.KST)
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // zero: not a date
	}{
		{"2024-01-31 09:00:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01-31 09:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024.01.31 09:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024.01.31. 09:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024/1/31", kst(2024, 1, 31, 0, 0, 0)},
		{"2024-01-31", kst(2024, 1, 31, 0, 0, 0)},
		{"2024.01.31 (수) 오후 3:04", kst(2024, 1, 31, 15, 4, 0)},
		{"2024.01.31 오전 12:30", kst(2024, 1, 31, 0, 30, 0)},
		{"2024년 1월 31일 15시 4분", kst(2024, 1, 31, 15, 4, 0)},
		{"2024년 01월 31일 오후 3:04", kst(2024, 1, 31, 15, 4, 0)},
		{"2024-01-31T09:00:00+09:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01-31T00:00:00Z", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01-31T00:00:00.123Z", kst(2024, 1, 31, 9, 0, 0).Add(123 * time.Millisecond)},
		{"2024-01-31T09:00+09:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01-31 09:00:00 +0900", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01-31T09:00:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01-31\u00a009:00", kst(2024, 1, 31, 9, 0, 0)},
		{"2024-01", kst(2024, 1, 1, 0, 0, 0)},
		{"2024", kst(2024, 1, 1, 0, 0, 0)},
		{"20240131", kst(2024, 1, 31, 0, 0, 0)},
		{"20240131093000", kst(2024, 1, 31, 9, 30, 0)},
		{"Wed, 31 Jan 2024 09:00:00 +0900", kst(2024, 1, 31, 9, 0, 0)},
		{"Wed, 31 Jan 2024 09:00:00 KST", kst(2024, 1, 31, 9, 0, 0)},
		{"Wed, 31 Jan 2024 00:00:00 GMT", kst(2024, 1, 31, 9, 0, 0)},
		{"Wed, 31 Jan 2024 09:00:00", kst(2024, 1, 31, 9, 0, 0)},
		{"Wed, 31 Jan 2024 09:00 +0900", kst(2024, 1, 31, 9, 0, 0)},
		{"Thu, 31 Jan 2024 09:00:00 +0900", kst(2024, 1, 31, 9, 0, 0)}, // wrong day name
		{"31 Jan 2024 09:00:00 +09:00", kst(2024, 1, 31, 9, 0, 0)},
		{"Mon, 26 Sep 2016 07:50:00 +0900", kst(2016, 9, 26, 7, 50, 0)},
		{"Wed, 31 Jan 2024 09:00:00 +0900 (KST)", kst(2024, 1, 31, 9, 0, 0)},
		{"", time.Time{}},
		{"yesterday", time.Time{}},
		{"2024-02-30", time.Time{}},
		{"2024-13-01", time.Time{}},
		{"2024-01-31 25:00", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
		{"2024.01.31 오후 13:00", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			if tt.want.IsZero() {
				if ok {
					t.Fatalf("parseDate(%q) = %v, want no date", tt.in, got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("parseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			}
			if got.Location() != article.KST {
				t.Errorf("parseDate(%q) location = %v, want KST", tt.in, got.Location())
			}
		})
	}
}

func TestFeedTime(t *testing.T) {
	utc := func(tt time.Time) *time.Time { return &tt }
	tests := []struct {
		name   string
		raw    string
		parsed *time.Time
		want   time.Time
	}{
		{"ours first", "2024-01-31 09:00:00", utc(time.Date(2024, 1, 31, 9, 0, 0, 0, time.UTC)), kst(2024, 1, 31, 9, 0, 0)},
		{"gofeed zoned", "Wednesday, 31-Jan-24 00:00:00 +0000", utc(time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)), kst(2024, 1, 31, 9, 0, 0)},
		{"gofeed zoneless is KST", "January 31, 2024 09:00:00", utc(time.Date(2024, 1, 31, 9, 0, 0, 0, time.UTC)), kst(2024, 1, 31, 9, 0, 0)},
		{"none", "", nil, time.Time{}},
		{"junk", "soon", nil, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feedTime(tt.raw, tt.parsed); !got.Equal(tt.want) {
				t.Fatalf("feedTime(%q) = %v, want %v", tt.raw, got, tt.want)
			}
		})
	}
}
