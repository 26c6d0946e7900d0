package parser

import (
	"math/bits"
	"strings"
	"sync"
)

// The words classifyLine's rules look for before they run an expression.
// Looking for each with strings.Contains read a line up to 30 times, and
// the Hangul ones found their first byte (0xEA–0xED) at every syllable;
// findNeedles reads the line once and looks each word up by its first
// character.
const (
	ndOpyright = iota
	ndOPYRIGHT
	ndCircledC    // ⓒ
	ndCopySign    // ©
	ndCircledCapC // Ⓒ
	ndParenC
	ndParenCapC
	ndJeojakgwon // 저작권
	ndMudan      // 무단
	ndIghts
	ndIGHTS
	ndJaepanmae // 재판매
	ndEop       // 없
	nd109
	nd1393
	ndJasal       // 자살
	ndSaengmyeong // 생명의
	ndInyong      // 인용
	ndBaramnida   // 바랍니다
	ndJebo        // 제보
	ndJeboga      // 제보가
	ndChannel     // 채널
	ndMannaboseyo
	ndGudokryo // 구독료
	ndIlgeojugi
	ndClick // 클릭
	ndServiced
	ndVOD
	ndFlash   // 플래시
	ndBrowser // 브라우저
	ndPlay    // 재생
	ndGudok   // 구독
	ndGagi    // 가기
	ndNaver   // 네이버
	ndDownload
	ndNewsletter
	ndJigeum // 지금
	ndEquals
	ndColon
	ndWideColon // ：
	ndHuwon     // 후원
	ndGongyu    // 공유
	ndWongoryo  // 원고료
	ndJoayo     // 좋아요
	ndCount
)

var needleWords = [ndCount]string{
	ndOpyright: "opyright", ndOPYRIGHT: "OPYRIGHT", ndCircledC: "ⓒ", ndCopySign: "©", ndCircledCapC: "Ⓒ",
	ndParenC: "(c)", ndParenCapC: "(C)", ndJeojakgwon: "저작권", ndMudan: "무단", ndIghts: "ights", ndIGHTS: "IGHTS",
	ndJaepanmae: "재판매", ndEop: "없", nd109: "109", nd1393: "1393", ndJasal: "자살", ndSaengmyeong: "생명의",
	ndInyong: "인용", ndBaramnida: "바랍니다", ndJebo: "제보", ndJeboga: "제보가", ndChannel: "채널",
	ndMannaboseyo: "만나보세요", ndGudokryo: "구독료", ndIlgeojugi: "읽어주기", ndClick: "클릭", ndServiced: "서비스된",
	ndVOD: "VOD", ndFlash: "플래시", ndBrowser: "브라우저", ndPlay: "재생", ndGudok: "구독", ndGagi: "가기",
	ndNaver: "네이버", ndDownload: "다운로드", ndNewsletter: "뉴스레터", ndJigeum: "지금", ndEquals: "=", ndColon: ":",
	ndWideColon: "：", ndHuwon: "후원", ndGongyu: "공유", ndWongoryo: "원고료", ndJoayo: "좋아요",
}

// needles is a set of needleWords, bit i for word i.
type needles uint64

// any reports whether the set holds one of the words.
func (m needles) any(words ...int) bool {
	for _, w := range words {
		if m&(1<<w) != 0 {
			return true
		}
	}
	return false
}

const needleBuckets = 1024

// needleTable files the words by the key of their first character, built
// on first use (nothing at package init).
var needleTable struct {
	once    sync.Once
	buckets [needleBuckets]needles
}

// charKey is the bucket of the character that starts at s[i] and the bytes
// to step over it. A character is its lead byte and the continuation bytes
// that follow it (at most two); any other byte stands alone. A word (valid
// UTF-8) starts with a lead or ASCII byte, never inside what a step skips,
// so every place a word starts is a step's start.
func charKey(s string, i int) (key uint32, size int) {
	c := s[i]
	if c < 0xC0 || i+1 >= len(s) || s[i+1]&0xC0 != 0x80 {
		return uint32(c), 1
	}
	if c < 0xE0 || i+2 >= len(s) || s[i+2]&0xC0 != 0x80 {
		return (uint32(c)<<8 | uint32(s[i+1])) * 0x9E3779B1 >> 22, 2
	}
	return (uint32(c)<<16 | uint32(s[i+1])<<8 | uint32(s[i+2])) * 0x9E3779B1 >> 22, 3
}

// findNeedles is the set of needleWords s holds: bit i set exactly when
// strings.Contains(s, needleWords[i]).
func findNeedles(s string) needles {
	t := &needleTable
	t.once.Do(func() {
		for w, word := range needleWords {
			k, _ := charKey(word, 0)
			t.buckets[k%needleBuckets] |= 1 << w
		}
	})
	var m needles
	for i := 0; i < len(s); {
		k, size := charKey(s, i)
		if b := t.buckets[k%needleBuckets] &^ m; b != 0 {
			for b != 0 {
				w := bits.TrailingZeros64(uint64(b))
				b &^= 1 << w
				if strings.HasPrefix(s[i:], needleWords[w]) {
					m |= 1 << w
				}
			}
		}
		i += size
	}
	return m
}
