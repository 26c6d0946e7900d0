// Package eval measures the parser against corpora of pages with known
// truth: the Korean corpus (truth/*.json in gisa's truth format) and the
// article-extraction benchmark's layout (truth with articleBody).
package eval

import (
	"unicode"
)

// Shingles are the benchmark's counts for one page: true positives, false
// positives and false negatives over 4-token shingles, normalized so that
// they sum to 1 (every page weighs the same), or all zero when both texts are
// empty.
type Shingles struct{ TP, FP, FN float64 }

// tokens splits text into runs of word characters (letters, numbers, '_'),
// the benchmark's \w+.
func tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		word := r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func shingles(s string, n int) map[string]int {
	toks := tokens(s)
	m := make(map[string]int)
	end := len(toks) - n + 1
	if end < 1 {
		end = 1
	}
	for i := 0; i < end && i < len(toks); i++ {
		j := i + n
		if j > len(toks) {
			j = len(toks)
		}
		key := ""
		for k, t := range toks[i:j] {
			if k > 0 {
				key += "\x00"
			}
			key += t
		}
		m[key]++
	}
	return m
}

// MatchShingles compares a predicted text with the true one the way the
// article-extraction benchmark does (evaluate.py, string_shingle_matching).
func MatchShingles(truth, pred string) Shingles {
	t, p := shingles(truth, 4), shingles(pred, 4)
	var s Shingles
	for k, tc := range t {
		pc := p[k]
		s.TP += float64(min(tc, pc))
		s.FN += float64(max(0, tc-pc))
	}
	for k, pc := range p {
		s.FP += float64(max(0, pc-t[k]))
	}
	if sum := s.TP + s.FP + s.FN; sum > 0 {
		s.TP, s.FP, s.FN = s.TP/sum, s.FP/sum, s.FN/sum
	}
	return s
}

// Precision of one page, as the benchmark defines it for edge cases.
func (s Shingles) Precision() float64 {
	switch {
	case s.FP == 0 && s.FN == 0:
		return 1
	case s.TP == 0 && s.FP == 0:
		return 0
	}
	return s.TP / (s.TP + s.FP)
}

// Recall of one page, as the benchmark defines it for edge cases.
func (s Shingles) Recall() float64 {
	switch {
	case s.FP == 0 && s.FN == 0:
		return 1
	case s.TP == 0 && s.FN == 0:
		return 0
	}
	return s.TP / (s.TP + s.FN)
}

// BodyF1 averages precision and recall over pages (skipping pages where one
// is undefined, as the benchmark does) and returns their harmonic mean with
// the two averages.
func BodyF1(pages []Shingles) (f1, precision, recall float64) {
	var np, nr int
	for _, s := range pages {
		if s.TP+s.FP > 0 {
			precision += s.Precision()
			np++
		}
		if s.TP+s.FN > 0 {
			recall += s.Recall()
			nr++
		}
	}
	if np > 0 {
		precision /= float64(np)
	}
	if nr > 0 {
		recall /= float64(nr)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return f1, precision, recall
}
