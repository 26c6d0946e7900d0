package parser

import (
	"regexp"
	"sync"
	"testing"
)

// TestLazyRegexps compiles every lazily compiled pattern (a bad one would
// otherwise panic only when a page first reaches it) and checks that a
// lazyRegexp is compiled on first use, once, under concurrent use.
func TestLazyRegexps(t *testing.T) {
	all := map[string]*lazyRegexp{
		"endLineRe": endLineRe, "sendTimeRe": sendTimeRe, "copyrightMarkRe": copyrightMarkRe,
		"copyrightStartRe": copyrightStartRe, "copyrightBodyRe": copyrightBodyRe, "copyrightLawRe": copyrightLawRe,
		"copyrightBareRe": copyrightBareRe, "soundbiteRe": soundbiteRe, "promoWordRe": promoWordRe,
		"promoRe": promoRe, "playerRe": playerRe, "shortPromoRe": shortPromoRe, "hashtagRe": hashtagRe,
		"tipRe": tipRe, "photoCreditRe": photoCreditRe, "productionCreditRe": productionCreditRe,
		"resaleRe": resaleRe, "slashCreditRe": slashCreditRe, "agencyCreditRe": agencyCreditRe,
		"unrelatedPhotoRe": unrelatedPhotoRe, "hotlineRe": hotlineRe, "quoteRightsRe": quoteRightsRe,
		"attnRe": attnRe, "speakerTurnRe": speakerTurnRe, "notSpeakerRe": notSpeakerRe,
		"datelineLabelRe": datelineLabelRe, "gluedCaptionRe": gluedCaptionRe, "engDateRe": engDateRe,
		"relatedLabel": relatedLabel,
	}
	for name, l := range all {
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
}
