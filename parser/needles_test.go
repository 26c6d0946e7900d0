package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindNeedles checks that findNeedles finds exactly the words
// strings.Contains finds: on every word alone, next to others, cut and
// among invalid bytes, and on every line of the corpus truths.
func TestFindNeedles(t *testing.T) {
	lines := []string{"", "a", "\xff", "\xec\x9e", "가\xec", "ⓒ\xe2\x93", "\xf0\x9f\x98\x80지금", "제보가 제보", "1109 13933",
		"Copyright ⓒ 연합뉴스 무단 전재 및 재배포 금지", "(c)(C)©Ⓒ", "저작권자 © 한겨레", "All Rights Reserved",
		"▶ 네이버에서 구독하기 클릭", "사진=연합뉴스", "출처：KBS", "VOD 플래시 브라우저 재생", "다운로드 뉴스레터 가기"}
	for _, w := range needleWords {
		lines = append(lines, w, "x"+w, w+"y", "가"+w+"나", w[:len(w)-1], w[1:], "\xe2"+w, w+"\xe2\x80", strings.Repeat(w, 3))
	}
	for _, x := range needleWords {
		for _, y := range needleWords {
			lines = append(lines, x+y)
		}
	}
	for _, c := range lineCases {
		lines = append(lines, c.in)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*", "truth", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(data), "\\n")...)
	}
	for _, l := range lines {
		var want needles
		for w, word := range needleWords {
			if strings.Contains(l, word) {
				want |= 1 << w
			}
		}
		if got := findNeedles(l); got != want {
			t.Fatalf("findNeedles(%q) = %b; want %b", l, got, want)
		}
	}
}
