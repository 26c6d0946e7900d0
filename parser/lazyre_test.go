package parser

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy"
	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// lazyRegexps are the package's lazily compiled patterns, by name.
func lazyRegexps() map[string]*lazy.Regexp {
	return map[string]*lazy.Regexp{
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
		"naverPath": naverPath, "englishCreditRe": englishCreditRe, "daumPath": daumPath, "trailingCreditRe": trailingCreditRe,
		"rankingWords": rankingWords, "headerLineCut": headerLineCut, "articleLikePath": articleLikePath, "shortYearRe": shortYearRe,
	}
}

// TestLazyRegexpsAtStart checks that every lazy pattern compiles (a bad
// one would otherwise panic only when a page first reaches it) and that
// loading the package compiles none of them: a process that never parses
// (gisa version, serve before its first crawl) pays nothing for them, and
// one that parses a page compiles only those the page reaches.
func TestLazyRegexpsAtStart(t *testing.T) {
	lazytest.Regexps(t, "TestLazyRegexpsAtStart", lazyRegexps())
}
