package serve

import (
	"fmt"
	"strings"
)

// Alarm kinds, the kind label of gisa_alarm.
const (
	AlarmExtraction = "extraction"      // new records lack a field too often
	AlarmNothing    = "nothing_fetched" // runs fetched nothing
)

// AlarmConfig sets when an outlet's alarms go off.
type AlarmConfig struct {
	// Runs is how many of the last runs the extraction health is taken
	// over.
	Runs int
	// MinHealth is the least share of new records that must have each of
	// Fields over those runs.
	MinHealth float64
	// Fields are watched (of title, body, reporters, published).
	Fields []string
	// EmptyRuns is how many runs in a row that fetched nothing raise an
	// alarm.
	EmptyRuns int
}

// DefaultAlarms: over the last 3 runs, under 80 % of new records with a
// title, body or published time; or 3 runs in a row that fetched nothing.
// Reporters are not watched by default: many outlets name none on some
// articles.
func DefaultAlarms() AlarmConfig {
	return AlarmConfig{Runs: 3, MinHealth: 0.8, Fields: []string{"title", "body", "published"}, EmptyRuns: 3}
}

// Validate names an impossible setting.
func (c AlarmConfig) Validate() error {
	var bad []string
	if c.Runs < 1 {
		bad = append(bad, fmt.Sprintf("runs %d: must be at least 1", c.Runs))
	}
	if c.EmptyRuns < 1 {
		bad = append(bad, fmt.Sprintf("empty_runs %d: must be at least 1", c.EmptyRuns))
	}
	if c.MinHealth < 0 || c.MinHealth > 1 {
		bad = append(bad, fmt.Sprintf("min_health %v: must be between 0 and 1", c.MinHealth))
	}
	for _, f := range c.Fields {
		known := false
		for _, k := range Fields {
			known = known || f == k
		}
		if !known {
			bad = append(bad, fmt.Sprintf("field %q: want one of %s", f, strings.Join(Fields, ", ")))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("alarms: %s", strings.Join(bad, "; "))
	}
	return nil
}

// Alarm is one raised alarm.
type Alarm struct {
	Kind    string   `json:"kind"`
	Fields  []string `json:"fields,omitempty"` // extraction: the fields below the threshold
	Message string   `json:"message"`
}

// Evaluate returns the alarms raised by an outlet's history (oldest run
// first).
func (c AlarmConfig) Evaluate(runs []Record) []Alarm {
	var out []Alarm
	if len(runs) >= c.Runs {
		var sum Extraction
		sum.Missing = map[string]int{}
		for _, r := range runs[len(runs)-c.Runs:] {
			sum.Checked += r.Extraction.Checked
			for f, n := range r.Extraction.Missing {
				sum.Missing[f] += n
			}
		}
		var low, parts []string
		for _, f := range c.Fields {
			if h := sum.Health(f); sum.Checked > 0 && h < c.MinHealth {
				low = append(low, f)
				parts = append(parts, fmt.Sprintf("%s %.0f%%", f, 100*h))
			}
		}
		if len(low) > 0 {
			out = append(out, Alarm{Kind: AlarmExtraction, Fields: low,
				Message: fmt.Sprintf("over the last %d runs (%d new records), new records with %s; threshold %.0f%%: has the site changed its layout?", c.Runs, sum.Checked, strings.Join(parts, ", "), 100*c.MinHealth)})
		}
	}
	if len(runs) >= c.EmptyRuns {
		empty := true
		for _, r := range runs[len(runs)-c.EmptyRuns:] {
			empty = empty && r.Fetched == 0
		}
		if empty {
			out = append(out, Alarm{Kind: AlarmNothing, Message: fmt.Sprintf("the last %d runs fetched nothing", c.EmptyRuns)})
		}
	}
	return out
}
