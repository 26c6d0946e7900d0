package parser

import (
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
)

// TestLazyRegexps compiles every lazily compiled pattern (a bad one would
// otherwise panic only when a page first reaches it) and checks that a
// lazyRegexp is compiled on first use, once, under concurrent use.
func TestLazyRegexps(t *testing.T) {
	for name, l := range lazyRegexps() {
		if _, err := regexp.Compile(l.src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	l := lazyRE(`^(\d+)-(\d+)$`)
	if l.re != nil {
		t.Fatal("compiled before its first use")
	}
	var wg sync.WaitGroup
	res := make([][]string, 8)
	for i := range res {
		wg.Go(func() { res[i] = l.FindStringSubmatch("12-34") })
	}
	wg.Wait()
	for i, m := range res {
		if len(m) != 3 || m[1] != "12" || m[2] != "34" {
			t.Errorf("goroutine %d: FindStringSubmatch = %q", i, m)
		}
	}
	if !l.MatchString("1-2") || l.MatchString("1-x") {
		t.Error("MatchString disagrees with the pattern")
	}
	if got := l.FindStringIndex("1-2"); len(got) != 2 || got[1] != 3 {
		t.Errorf("FindStringIndex = %v", got)
	}
	if got := l.FindAllStringSubmatchIndex("1-2", -1); len(got) != 1 {
		t.Errorf("FindAllStringSubmatchIndex = %v", got)
	}
	if got := l.FindString("x1-2"); got != "" {
		t.Errorf("FindString = %q", got) // anchored: no match
	}
	if got := l.FindStringSubmatchIndex("1-2"); len(got) != 6 || got[5] != 3 {
		t.Errorf("FindStringSubmatchIndex = %v", got)
	}
	m := lazyRE(`\d`)
	if got := m.FindAllStringIndex("a1b2", -1); len(got) != 2 {
		t.Errorf("FindAllStringIndex = %v", got)
	}
	if got := m.ReplaceAllString("a1b2", "#"); got != "a#b#" {
		t.Errorf("ReplaceAllString = %q", got)
	}
	if got := m.FindString("ab3"); got != "3" {
		t.Errorf("FindString = %q", got)
	}
}

// lazyRegexps are the package's lazily compiled patterns, by name.
func lazyRegexps() map[string]*lazyRegexp {
	return map[string]*lazyRegexp{
		"endLineRe": endLineRe, "sendTimeRe": sendTimeRe, "copyrightMarkRe": copyrightMarkRe,
		"copyrightStartRe": copyrightStartRe, "copyrightBodyRe": copyrightBodyRe, "copyrightLawRe": copyrightLawRe,
		"copyrightBareRe": copyrightBareRe, "soundbiteRe": soundbiteRe, "promoWordRe": promoWordRe,
		"promoRe": promoRe, "playerRe": playerRe, "shortPromoRe": shortPromoRe, "hashtagRe": hashtagRe,
		"tipRe": tipRe, "photoCreditRe": photoCreditRe, "productionCreditRe": productionCreditRe,
		"resaleRe": resaleRe, "slashCreditRe": slashCreditRe, "agencyCreditRe": agencyCreditRe,
		"unrelatedPhotoRe": unrelatedPhotoRe, "hotlineRe": hotlineRe, "quoteRightsRe": quoteRightsRe,
		"attnRe": attnRe, "speakerTurnRe": speakerTurnRe, "notSpeakerRe": notSpeakerRe,
		"datelineLabelRe": datelineLabelRe, "gluedCaptionRe": gluedCaptionRe, "engDateRe": engDateRe,
		"relatedLabel": relatedLabel, "fusionStart": fusionStart, "fusionCache": fusionCache, "emailRe": emailRe,
		"signOffRe": signOffRe, "reporterSignOffRe": reporterSignOffRe, "endMarkRe": endMarkRe,
		"wireDatelineRe": wireDatelineRe, "bracketBylineRe": bracketBylineRe, "namesEqRe": namesEqRe,
		"englishDatelineRe": englishDatelineRe, "numDateRe": numDateRe, "zoneRe": zoneRe, "isoRe": isoRe,
		"zoneAbbrevRe": zoneAbbrevRe, "pressBeforeRe": pressBeforeRe, "printMarkRe": printMarkRe,
		"naverPath": naverPath, "daumPath": daumPath, "trailingCreditRe": trailingCreditRe,
		"rankingWords": rankingWords, "headerLineCut": headerLineCut, "articleLikePath": articleLikePath,
	}
}

// TestLazyRegexpsAtStart checks, in a fresh test process that runs nothing
// else, that loading the package compiles none of its lazy patterns: a
// process that never parses (gisa version, serve before its first crawl)
// pays nothing for them, and one that parses a page compiles only those
// the page reaches.
func TestLazyRegexpsAtStart(t *testing.T) {
	if os.Getenv("GISA_LAZY_AT_START") == "1" {
		for name, l := range lazyRegexps() {
			if l.re != nil {
				t.Errorf("%s is compiled at start", name)
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLazyRegexpsAtStart$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GISA_LAZY_AT_START=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
