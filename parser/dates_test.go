package parser

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gisa-news/gisa/article"
)

func kst(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, article.KST)
}

// dateCases are visible date strings, most from the corpus pages
// (/work/shared/corpus/ko/html) and research notes §10.2.
var dateCases = []struct {
	in   string
	want time.Time
	ok   bool
}{
	{"2023.11.21 09:30", kst(2023, 11, 21, 9, 30, 0), true},
	{"2023-11-21 10:00:01", kst(2023, 11, 21, 10, 0, 1), true},
	{"2023.06.14. 오전 9:44", kst(2023, 6, 14, 9, 44, 0), true},
	{"2024.11.26. 오후 6:01", kst(2024, 11, 26, 18, 1, 0), true},
	{"2017.04.20. 오후 3:53", kst(2017, 4, 20, 15, 53, 0), true},                   // naver_3
	{"2017.05.12. 오후 02:09", kst(2017, 5, 12, 14, 9, 0), true},                   // naversports_1
	{"2024.05.30. 오전 11:40", kst(2024, 5, 30, 11, 40, 0), true},                  // naver_1
	{"2023.01.02. 오전 12:05", kst(2023, 1, 2, 0, 5, 0), true},                     // 오전 12 → 0
	{"2023.01.02. 오후 12:05", kst(2023, 1, 2, 12, 5, 0), true},                    // 오후 12 stays
	{"2023년 11월 21일", kst(2023, 11, 21, 0, 0, 0), true},                          // date only
	{"2023년 04월 07일 18시 36분", kst(2023, 4, 7, 18, 36, 0), true},                  // ytn_1
	{"2025년 12월 26일 15시 12분", kst(2025, 12, 26, 15, 12, 0), true},                // Newstapa
	{"2026년05월14일 23시24분 송고", kst(2026, 5, 14, 23, 24, 0), true},                 // Yonhap tail
	{"2026/09/22 19:19 송고", kst(2026, 9, 22, 19, 19, 0), true},                   // Yonhap tail
	{"2023.04.07 (08:26)", kst(2023, 4, 7, 8, 26, 0), true},                      // kbs_1
	{"[ 2018-08-25 15:24 ]", kst(2018, 8, 25, 15, 24, 0), true},                  // entermedia_1
	{"2018. 05. 16. 16:23", kst(2018, 5, 16, 16, 23, 0), true},                   // daum_1
	{"이종희 기자  2023. 11. 1. 09:33", kst(2023, 11, 1, 9, 33, 0), true},             // Daum
	{"15:34 April 19, 2023", kst(2023, 4, 19, 15, 34, 0), true},                  // yonhapen_1
	{"April 19, 2023 3:34 PM", kst(2023, 4, 19, 15, 34, 0), true},                // English, time after
	{"Apr. 19, 2023", kst(2023, 4, 19, 0, 0, 0), true},                           // abbreviated month
	{"19 April 2023", kst(2023, 4, 19, 0, 0, 0), true},                           // day first
	{"2011-06-29", kst(2011, 6, 29, 0, 0, 0), true},                              // kinds_1 print date
	{"[한겨레] 2011-06-29 27면 07판 문화", kst(2011, 6, 29, 0, 0, 0), true},             // kinds_1 info line
	{"2024-01-29 20:55 (월)", kst(2024, 1, 29, 20, 55, 0), true},                  // einfomax header
	{"2024.01.29(월) 15:17", kst(2024, 1, 29, 15, 17, 0), true},                   // weekday between
	{"2016.07.11 18:06:10", kst(2016, 7, 11, 18, 6, 10), true},                   // pressian_1
	{"입력 : 2016.09.26 09:57:01", kst(2016, 9, 26, 9, 57, 1), true},               // khan_1
	{"송고2026-01-06 16:46", kst(2026, 1, 6, 16, 46, 0), true},                     // Yonhap header
	{"입력\u00a0:\u00a02025-06-04\u00a002:37:08", kst(2025, 6, 4, 2, 37, 8), true}, // mk_1 NBSPs
	{"2023-04-07T08:26:22", kst(2023, 4, 7, 8, 26, 22), true},
	{"2024.02.29 10:00", kst(2024, 2, 29, 10, 0, 0), true}, // leap day
	{"2023.13.45", time.Time{}, false},
	{"2023.02.29", time.Time{}, false},
	{"2023.11.21 25:00", time.Time{}, false},
	{"2023.11.21 10:61", time.Time{}, false},
	{"2023.11.21. 오후 13:00", kst(2023, 11, 21, 13, 0, 0), true}, // hour already 24-hour
	{"2023.11.21. 오전 13:00", time.Time{}, false},
	{"등록번호 : 서울 아 02336", time.Time{}, false},
	{"02-781-1000", time.Time{}, false},
	{"", time.Time{}, false},
	{"오늘 종일 남북을 연결하는 통신선이 끊어졌습니다.", time.Time{}, false},
	{"2023.13.45 뒤에 2023.04.07 08:26", kst(2023, 4, 7, 8, 26, 0), true}, // impossible first, valid later
}

func TestParseDate(t *testing.T) {
	for _, c := range dateCases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := parseDate(c.in)
			if ok != c.ok {
				t.Fatalf("parseDate(%q) ok = %v, want %v (got %v)", c.in, ok, c.ok, got)
			}
			if ok && !got.Equal(c.want) {
				t.Errorf("parseDate(%q) = %v, want %v", c.in, got, c.want)
			}
			if ok {
				if _, off := got.Zone(); off != 9*3600 {
					t.Errorf("parseDate(%q) offset %d, want KST", c.in, off)
				}
			}
		})
	}
}

var machineCases = []struct {
	in      string
	want    time.Time
	wantOff int // seconds east of UTC the result must be shown in
	ok      bool
}{
	// JSON-LD / meta values seen in the corpus.
	{"2023-04-07T18:36:00+09:00", kst(2023, 4, 7, 18, 36, 0), 9 * 3600, true},                             // ytn_1
	{"2025-05-15T20:00:52.000+0900", kst(2025, 5, 15, 20, 0, 52), 9 * 3600, true},                         // hankookilbo_1
	{"2023-04-05T02:52:50.165Z", kst(2023, 4, 5, 11, 52, 50).Add(165 * time.Millisecond), 9 * 3600, true}, // chosun_1
	{"2023-04-05T02:52:50Z", kst(2023, 4, 5, 11, 52, 50), 9 * 3600, true},
	{"2023-04-18T06:04:06Z", kst(2023, 4, 18, 15, 4, 6), 9 * 3600, true}, // yonhapnewstv_1
	{"2023-04-07 08:26:22", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},  // kbs_1 JSON-LD
	{"2023-04-07T08:26:22", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},
	{"2024-05-30 11:40:08", kst(2024, 5, 30, 11, 40, 8), 9 * 3600, true}, // naver data-date-time
	{"20180516162312", kst(2018, 5, 16, 16, 23, 12), 9 * 3600, true},     // Daum og:regDate
	{"20170512140936", kst(2017, 5, 12, 14, 9, 36), 9 * 3600, true},      // naversports og:update_time
	{"201805161623", kst(2018, 5, 16, 16, 23, 0), 9 * 3600, true},
	{"20180516", kst(2018, 5, 16, 0, 0, 0), 9 * 3600, true},
	{"2011-06-29", kst(2011, 6, 29, 0, 0, 0), 9 * 3600, true},
	{"2023-04-07T08:26+09:00", kst(2023, 4, 7, 8, 26, 0), 9 * 3600, true},
	{"2023-04-07T08:26:22+0900", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},
	{"2023-04-07T08:26:22+09", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},
	{"2023-04-07 08:26:22 +0900", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},
	{"2023-04-06T19:26:22-04:00", kst(2023, 4, 7, 8, 26, 22), -4 * 3600, true}, // offset kept
	{"2023-04-06T23:26:22+00:00", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},  // zero offset shown in KST
	{"2023-04-07T08:26:22.123456789+09:00", kst(2023, 4, 7, 8, 26, 22).Add(123456789), 9 * 3600, true},
	{"Mon, 02 Jan 2006 15:04:05 +0900", kst(2006, 1, 2, 15, 4, 5), 9 * 3600, true},
	{"Fri, 07 Apr 2023 08:26:22 GMT", kst(2023, 4, 7, 17, 26, 22), 9 * 3600, true},
	{"Fri, 7 Apr 2023 08:26:22 KST", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},
	{"Fri, 07 Apr 23 08:26 +0900", kst(2023, 4, 7, 8, 26, 0), 9 * 3600, true}, // RFC 822 two-digit year
	{"1681172782", kst(2023, 4, 11, 9, 26, 22), 9 * 3600, true},               // Unix seconds
	{"1681172782000", kst(2023, 4, 11, 9, 26, 22), 9 * 3600, true},            // Unix milliseconds
	{"2023.04.07 08:26", kst(2023, 4, 7, 8, 26, 0), 9 * 3600, true},           // visible form fallback
	{" 2023-04-07T08:26:22+09:00\n", kst(2023, 4, 7, 8, 26, 22), 9 * 3600, true},
	{"2023-13-07T08:26:22+09:00", time.Time{}, 0, false},
	{"2023-04-07T24:26:22+09:00", time.Time{}, 0, false},
	{"2023-04-07T08:26:22+25:00", time.Time{}, 0, false},
	{"Fri, 07 Apr 2023 08:26:22 XYZ", time.Time{}, 0, false},
	{"", time.Time{}, 0, false},
	{"null", time.Time{}, 0, false},
}

func TestParseMachineTime(t *testing.T) {
	for _, c := range machineCases {
		t.Run(c.in, func(t *testing.T) {
			got, ok := parseMachineTime(c.in)
			if ok != c.ok {
				t.Fatalf("parseMachineTime(%q) ok = %v, want %v (got %v)", c.in, ok, c.ok, got)
			}
			if !ok {
				return
			}
			if !got.Equal(c.want) {
				t.Errorf("parseMachineTime(%q) = %v, want %v", c.in, got, c.want)
			}
			if _, off := got.Zone(); off != c.wantOff {
				t.Errorf("parseMachineTime(%q) offset = %d, want %d", c.in, off, c.wantOff)
			}
		})
	}
}

func TestFindDates(t *testing.T) {
	zero := time.Time{}
	cases := []struct {
		in       string
		pub, upd time.Time
	}{
		{"입력 2025.05.15 20:00 수정 2025.05.15 20:57 4면", kst(2025, 5, 15, 20, 0, 0), kst(2025, 5, 15, 20, 57, 0)},
		{"입력 2026.07.12 22:09", kst(2026, 7, 12, 22, 9, 0), zero},
		{"입력\u00a0:\u00a02025-06-04\u00a002:37:08", kst(2025, 6, 4, 2, 37, 8), zero},
		{"입력 2023.04.07 (08:26) 수정 2023.04.07 (08:26)", kst(2023, 4, 7, 8, 26, 0), kst(2023, 4, 7, 8, 26, 0)},
		{"입력 2023-04-07 19:13:45 수정 2023-04-07 19:43:50", kst(2023, 4, 7, 19, 13, 45), kst(2023, 4, 7, 19, 43, 50)},
		{"입력 2023-04-19 23:32 | 수정 2023-04-19 23:34", kst(2023, 4, 19, 23, 32, 0), kst(2023, 4, 19, 23, 34, 0)},
		{"안진우 기자 l 기사입력 2023-04-04 19:01 l 최종수정 2023-04-04 19:56", kst(2023, 4, 4, 19, 1, 0), kst(2023, 4, 4, 19, 56, 0)},
		{"기사입력 2023-04-04 19:01 l 최종수정 2023-04-04 19:56", kst(2023, 4, 4, 19, 1, 0), kst(2023, 4, 4, 19, 56, 0)},
		{"등록 2023.04.21 16:27 / 수정 2023.04.21 16:29", kst(2023, 4, 21, 16, 27, 0), kst(2023, 4, 21, 16, 29, 0)},
		{"기사입력 :[ 2018-08-25 15:24 ]", kst(2018, 8, 25, 15, 24, 0), zero},
		{"[입력시간 : 2018-08-25 15:24]", kst(2018, 8, 25, 15, 24, 0), zero},
		{"입력 2018. 05. 16. 16:23 수정 2018. 05. 16. 17:01", kst(2018, 5, 16, 16, 23, 0), kst(2018, 5, 16, 17, 1, 0)},
		{"송고시간 2023-04-18 15:04:06", kst(2023, 4, 18, 15, 4, 6), zero},
		{"기사입력 2017.04.20. 오후 3:53", kst(2017, 4, 20, 15, 53, 0), zero},
		{"기사입력 2017.05.12. 오후 02:09 최종수정 2017.05.12. 오후 02:09", kst(2017, 5, 12, 14, 9, 0), kst(2017, 5, 12, 14, 9, 0)},
		{"최종수정 2017.05.12. 오후 02:09", zero, kst(2017, 5, 12, 14, 9, 0)},
		{"입력2024.05.30. 오전 11:40 수정2024.05.30. 오전 11:41", kst(2024, 5, 30, 11, 40, 0), kst(2024, 5, 30, 11, 41, 0)},
		{"등록 :2016-09-17 14:26", kst(2016, 9, 17, 14, 26, 0), zero},
		{"작성 2023.04.20 13:55", kst(2023, 4, 20, 13, 55, 0), zero},
		{"입력 2024.01.29 15:17 수정 2024.01.29 15:18", kst(2024, 1, 29, 15, 17, 0), kst(2024, 1, 29, 15, 18, 0)},
		{"입력 2026.01.06. 08:15 업데이트 2026.01.06. 13:50", kst(2026, 1, 6, 8, 15, 0), kst(2026, 1, 6, 13, 50, 0)},
		{"입력: 2021/11/21 09:30 -- 수정: 2021/11/21 10:30", kst(2021, 11, 21, 9, 30, 0), kst(2021, 11, 21, 10, 30, 0)},
		{"게재 일자 : 2014년 11월 21일", kst(2014, 11, 21, 0, 0, 0), zero},
		{"Published : 2021-11-21 09:30", kst(2021, 11, 21, 9, 30, 0), zero},
		{"Posted on 2021-11-21 09:30 Updated 2021-11-21 11:00", kst(2021, 11, 21, 9, 30, 0), kst(2021, 11, 21, 11, 0, 0)},
		{"승인 2024.01.29 15:17", kst(2024, 1, 29, 15, 17, 0), zero},
		{"2026/09/22 19:19 송고", kst(2026, 9, 22, 19, 19, 0), zero},
		{"2024.01.31 08:26 입력 | 2024.02.01 09:10 수정", kst(2024, 1, 31, 8, 26, 0), kst(2024, 2, 1, 9, 10, 0)}, // labels after
		{"2024-01-31 08:26:10 입력 2024-01-31 09:00:00 최종수정", kst(2024, 1, 31, 8, 26, 10), kst(2024, 1, 31, 9, 0, 0)},
		{"2024.01.31 08:26 등록", kst(2024, 1, 31, 8, 26, 0), zero},
		{"2024년 1월 31일 수정된 법안과 2024년 2월 1일 발표", zero, zero},            // prose: no time, a word
		{"2024.01.31 08:26 수정안을 냈다", kst(2024, 1, 31, 8, 26, 0), zero}, // 수정안 is a word: the single date stays published
		{"2018. 05. 16. 16:23", kst(2018, 5, 16, 16, 23, 0), zero},     // unlabeled single date
		{"2023년 04월 07일 18시 36분", kst(2023, 4, 7, 18, 36, 0), zero},
		{"2024-01-29 20:55 (월) 입력 2024.01.29 15:17", kst(2024, 1, 29, 15, 17, 0), zero}, // labeled beats unlabeled
		{"15:34 April 19, 2023", kst(2023, 4, 19, 15, 34, 0), zero},
		{"Posted on : Dec.3,2024 10:21 KST", kst(2024, 12, 3, 10, 21, 0), zero}, // no spaces inside the date
		{"Updated on : Dec.3,2024 11:05 KST", zero, kst(2024, 12, 3, 11, 5, 0)},
		{"등록번호 : 서울 아 02336", zero, zero},
		{"[ 등록년월일 : 2012년 11월 06일 ]", zero, zero},             // entermedia_1 footer
		{"등록일 : 2012년 11월 06일 발행일 : 2000년 6월 1일", zero, zero}, // einfomax_1 footer
		{"일간신문등록번호 : 가00196 | 등록일자 : 1966.03.08", zero, zero}, // mk_1 footer
		{"2020. 05. 22. 09:39 2020. 05. 22. 10:21", zero, zero},
		{"등록일 2023.04.07 08:26", kst(2023, 4, 7, 8, 26, 0), zero},
		{"기사승인 2023.04.07 08:26", kst(2023, 4, 7, 8, 26, 0), zero},
		{"기사전송 2023-04-07 08:26", kst(2023, 4, 7, 8, 26, 0), zero},
		{"등록 2026.02.23 10:21:37 수정 2026.02.23 10:28:55", kst(2026, 2, 23, 10, 21, 37), kst(2026, 2, 23, 10, 28, 55)},
		{"수정 2025-04-14 11:36 등록 2025-04-14 11:20", kst(2025, 4, 14, 11, 20, 0), kst(2025, 4, 14, 11, 36, 0)},
		{"등록 2024-05-22 오후 3:11:00", kst(2024, 5, 22, 15, 11, 0), zero},
		{"게재 일자 : 2014년 11월 21일(金)", kst(2014, 11, 21, 0, 0, 0), zero},
		{"최종 업데이트 2023-04-07 10:00", zero, kst(2023, 4, 7, 10, 0, 0)},
		{"Published : Apr. 19, 2023 - 15:34 Updated : Apr. 19, 2023 - 16:00", kst(2023, 4, 19, 15, 34, 0), kst(2023, 4, 19, 16, 0, 0)}, // two unlabeled: no guess
		{"오늘의 운세 2025년 5월 29일 입력 2025-05-30 00:23:35", kst(2025, 5, 30, 0, 23, 35), zero},                                              // mk_3 page text
		// The publication date written with no label before a labeled
		// update; in "A 수정 B" with nothing labeled published, 수정 labels
		// the later date.
		{"2024.12.03 10:21 (수정 2024.12.03 11:05)", kst(2024, 12, 3, 10, 21, 0), kst(2024, 12, 3, 11, 5, 0)},
		{"2024-12-03 10:21 | Updated 2024-12-03 11:05", kst(2024, 12, 3, 10, 21, 0), kst(2024, 12, 3, 11, 5, 0)},
		{"2024.12.03 10:21 수정 2024.12.03 11:05", kst(2024, 12, 3, 10, 21, 0), kst(2024, 12, 3, 11, 5, 0)},
		{"2024.12.03 10:21 최종수정 2024.12.04 09:00", kst(2024, 12, 3, 10, 21, 0), kst(2024, 12, 4, 9, 0, 0)},
		{"2024.12.03 10:21 수정 2024.12.02 11:05", zero, kst(2024, 12, 3, 10, 21, 0)},                // the later date first: no guess
		{"2024.12.03 10:21 (수정 2024.12.02 11:05)", zero, kst(2024, 12, 2, 11, 5, 0)},               // an update before the date
		{"2024.12.03 10:21 이 시각 많이 본 뉴스 목록 수정 2024.12.03 11:05", zero, kst(2024, 12, 3, 11, 5, 0)}, // far apart
		{"", zero, zero},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			pub, upd := findDates(c.in)
			if !pub.Equal(c.pub) {
				t.Errorf("published = %v, want %v", pub, c.pub)
			}
			if !upd.Equal(c.upd) {
				t.Errorf("updated = %v, want %v", upd, c.upd)
			}
		})
	}
}

func FuzzParseDate(f *testing.F) {
	for _, c := range dateCases {
		f.Add(c.in)
	}
	f.Add("입력 2023.04.07 (08:26) 수정 2023.04.07 (08:26)")
	f.Add("기사입력 2023-04-04 19:01 l 최종수정 2023-04-04 19:56")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDate(s)
		if ok {
			// KST, unless the text gives a place's offset.
			if _, off := got.Zone(); off != 9*3600 && (!realOffset(off) || !strings.ContainsAny(s, "+-")) {
				t.Errorf("parseDate(%q) = %v, neither KST nor an offset the text gives", s, got)
			}
			if y := got.Year(); y < 1900 || y > 2199 {
				t.Errorf("parseDate(%q) year %d", s, y)
			}
		} else if !got.IsZero() {
			t.Errorf("parseDate(%q) not ok but non-zero %v", s, got)
		}
		pub, upd := findDates(s)
		if !ok && !pub.IsZero() {
			t.Errorf("findDates(%q) found %v where parseDate found nothing", s, pub)
		}
		_ = upd
		if !utf8.ValidString(got.String()) {
			t.Errorf("invalid UTF-8")
		}
	})
}

func FuzzParseMachineTime(f *testing.F) {
	for _, c := range machineCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseMachineTime(s)
		if !ok {
			if !got.IsZero() {
				t.Errorf("parseMachineTime(%q) not ok but non-zero %v", s, got)
			}
			return
		}
		if y := got.Year(); y < 1899 || y > 2200 {
			t.Errorf("parseMachineTime(%q) year %d", s, y)
		}
		if _, off := got.Zone(); off == 0 {
			t.Errorf("parseMachineTime(%q) = %v: UTC times are shown in KST", s, got)
		}
		if _, err := got.MarshalJSON(); err != nil {
			t.Errorf("parseMachineTime(%q) = %v does not marshal: %v", s, got, err)
		}
	})
}

func BenchmarkFindDates(b *testing.B) {
	s := "입력 2023.04.07 (08:26) 수정 2023.04.07 (08:26) " + strings.Repeat("본문 문장입니다. ", 2000)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		findDates(s)
	}
}

// FuzzMayNumDate: the cheap check before numDateRe never turns away text
// the expression matches, so skipping it changes no date.
func FuzzMayNumDate(f *testing.F) {
	for _, s := range []string{"2024.01.02", "2024 -1-2", "2024년 1월 2일", "2024 년", "2024", "20245", "2024 ",
		"2024/1/2 10:30", "2024 시즌", "Copyright 2024", "2024)", "2024-", "2024 .", "2024\u00a0.01.02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 4 {
			return
		}
		if numDateRe.MatchString(s) && !mayNumDate(s) {
			t.Errorf("numDateRe matches %q, mayNumDate says it cannot", s)
		}
	})
}
