package storage

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gisa-news/gisa/table"
)

// WARCRoot is the key prefix of WARC files in an archive.
const WARCRoot = "warc/"

// HealthFields are the record fields whose absence Health counts, as
// Entry.Missing names them.
var HealthFields = []string{"title", "body", "reporters", "published_at", "updated_at"}

// ArchiveStats describe an archive: what Stats counts.
type ArchiveStats struct {
	FromCatalog   bool  `json:"from_catalog"` // articles counted from a catalog, not by reading them
	Articles      int   `json:"articles"`
	ArticleBytes  int64 `json:"article_bytes"` // of their JSON
	Revisions     int   `json:"revisions"`     // revision objects
	RevisionBytes int64 `json:"revision_bytes"`
	WARCFiles     int   `json:"warc_files"` // objects under warc/
	WARCBytes     int64 `json:"warc_bytes"`
	// Undated counts the articles without published_at. Those with a
	// fetch time are still filed, and counted in Days, under their fetch
	// day (the archive's layout): Undated tells how many days are guesses.
	Undated int            `json:"undated"`
	Days    map[string]int `json:"days"`    // KST day "2006-01-02" (published, else fetched) → articles
	Outlets []OutletStats  `json:"outlets"` // by outlet ID
	Pending int            `json:"pending,omitempty"`
	Corrupt []string       `json:"corrupt,omitempty"` // article keys that could not be read, by key
}

// OutletStats are the figures of one outlet (UnknownOutlet for articles
// without one).
type OutletStats struct {
	Outlet        string         `json:"outlet"`
	Articles      int            `json:"articles"`
	ArticleBytes  int64          `json:"article_bytes"`
	Revisions     int            `json:"revisions"`
	RevisionBytes int64          `json:"revision_bytes"`
	Undated       int            `json:"undated"`
	Days          map[string]int `json:"days"`
	Health        Health         `json:"health"`
}

// Health tells how well extraction did for a set of articles: how many lack
// each of HealthFields, and which extraction layer supplied each field
// (article.Extraction.Sources). Divide by the articles for shares.
type Health struct {
	Missing map[string]int            `json:"missing"` // field → articles where it is empty or null
	Sources map[string]map[string]int `json:"sources"` // field → layer → articles
}

// Stats counts the articles of the Archive in s: by outlet and by KST day,
// their bytes, their revisions, the WARC files beside them, and extraction
// health per outlet.
//
// With a catalog, the articles are counted from its entries (Pending ones
// included, and counted in Pending) and none is read; without (c nil),
// every article is read, and those that cannot be are listed in Corrupt and
// not counted. Revisions and WARC files are always counted by listing
// revisions/ and warc/.
func Stats(ctx context.Context, s Store, c Catalog) (*ArchiveStats, error) {
	st := &ArchiveStats{FromCatalog: c != nil, Days: map[string]int{}}
	outlets := map[string]*OutletStats{}
	outlet := func(id string) *OutletStats {
		o := outlets[id]
		if o == nil {
			o = &OutletStats{
				Outlet: id,
				Days:   map[string]int{},
				Health: Health{Missing: map[string]int{}, Sources: map[string]map[string]int{}},
			}
			outlets[id] = o
		}
		return o
	}
	count := func(e Entry) {
		st.Articles++
		st.ArticleBytes += e.Size
		if e.Pending {
			st.Pending++
		}
		o := outlet(e.Outlet)
		o.Articles++
		o.ArticleBytes += e.Size
		if day := e.Day(); day != "" {
			st.Days[day]++
			o.Days[day]++
		}
		if e.Published.IsZero() {
			st.Undated++
			o.Undated++
		}
		for _, f := range e.Missing {
			o.Health.Missing[f]++
		}
		for field, layer := range e.Sources {
			m := o.Health.Sources[field]
			if m == nil {
				m = map[string]int{}
				o.Health.Sources[field] = m
			}
			m[layer]++
		}
	}

	var err error
	if c != nil {
		err = c.Range(ctx, "", time.Time{}, time.Time{}, func(e Entry) error {
			count(e)
			return nil
		})
	} else {
		err = readEach(ctx, s, "articles/",
			func(info Info) (bool, error) { return strings.HasSuffix(info.Key, ".json"), nil },
			func(key string, data []byte) (Entry, error) {
				rec, err := decode(key, data)
				if err != nil {
					return Entry{}, err
				}
				return newEntry(key, data, rec, rec.ContentHash, 0), nil
			},
			func(key string, e Entry, err error) error {
				if err != nil {
					st.Corrupt = append(st.Corrupt, key)
				} else {
					count(e)
				}
				return nil
			})
		slices.Sort(st.Corrupt)
	}
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}

	err = s.List(ctx, "revisions/", func(info Info) error {
		if _, ok := revisionArticle(info.Key); !ok {
			return nil
		}
		st.Revisions++
		st.RevisionBytes += info.Size
		o := outlet(strings.Split(info.Key, "/")[1])
		o.Revisions++
		o.RevisionBytes += info.Size
		return nil
	})
	if err == nil {
		err = s.List(ctx, WARCRoot, func(info Info) error {
			st.WARCFiles++
			st.WARCBytes += info.Size
			return nil
		})
	}
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	for _, id := range slices.Sorted(maps.Keys(outlets)) {
		st.Outlets = append(st.Outlets, *outlets[id])
	}
	return st, nil
}

// WriteTable writes the figures as aligned text tables: totals, one line per
// outlet (with the share of articles lacking each of HealthFields), one per
// day, and the extraction layers of each field per outlet.
func (st *ArchiveStats) WriteTable(w io.Writer) error {
	tw := table.NewWriter(w, 2, 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }

	source := "read from the articles"
	if st.FromCatalog {
		source = "from the catalog"
	}
	p("articles\t%d\t%s\t(%s)\n", st.Articles, formatBytes(st.ArticleBytes), source)
	p("revisions\t%d\t%s\n", st.Revisions, formatBytes(st.RevisionBytes))
	p("WARC files\t%d\t%s\n", st.WARCFiles, formatBytes(st.WARCBytes))
	days := slices.Sorted(maps.Keys(st.Days))
	if len(days) > 0 {
		p("days\t%d\t%s … %s\n", len(days), days[0], days[len(days)-1])
	}
	p("undated\t%d\t%s\t(no published_at: filed under their fetch day)\n", st.Undated, share(st.Undated, st.Articles))
	if st.Pending > 0 {
		p("pending\t%d\t\t(interrupted writes: run recovery or reindex)\n", st.Pending)
	}
	if len(st.Corrupt) > 0 {
		p("unreadable\t%d\t\t(%s)\n", len(st.Corrupt), strings.Join(st.Corrupt, ", "))
	}

	if len(st.Outlets) > 0 {
		p("\nOUTLET\tARTICLES\tBYTES\tREVISIONS\tFIRST DAY\tLAST DAY\tUNDATED")
		for _, f := range HealthFields {
			p("\tNO %s", strings.ToUpper(strings.TrimSuffix(f, "_at")))
		}
		p("\n")
		for _, o := range st.Outlets {
			first, last := "-", "-"
			if ds := slices.Sorted(maps.Keys(o.Days)); len(ds) > 0 {
				first, last = ds[0], ds[len(ds)-1]
			}
			p("%s\t%d\t%s\t%d\t%s\t%s\t%d (%s)", o.Outlet, o.Articles, formatBytes(o.ArticleBytes), o.Revisions, first, last, o.Undated, share(o.Undated, o.Articles))
			for _, f := range HealthFields {
				p("\t%s", share(o.Health.Missing[f], o.Articles))
			}
			p("\n")
		}
	}

	if len(days) > 0 {
		p("\nDAY\tARTICLES\tBY OUTLET\n")
		for _, d := range days {
			var parts []string
			for _, o := range st.Outlets {
				if n := o.Days[d]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s %d", o.Outlet, n))
				}
			}
			p("%s\t%d\t%s\n", d, st.Days[d], strings.Join(parts, ", "))
		}
	}

	header := false
	for _, o := range st.Outlets {
		for _, field := range slices.Sorted(maps.Keys(o.Health.Sources)) {
			if !header {
				p("\nOUTLET\tFIELD\tSOURCES\n")
				header = true
			}
			layers := o.Health.Sources[field]
			names := slices.SortedFunc(maps.Keys(layers), func(a, b string) int {
				return cmp.Or(cmp.Compare(layers[b], layers[a]), strings.Compare(a, b))
			})
			parts := make([]string, len(names))
			for i, l := range names {
				parts[i] = l + " " + share(layers[l], o.Articles)
			}
			p("%s\t%s\t%s\n", o.Outlet, field, strings.Join(parts, ", "))
		}
	}
	return tw.Flush()
}

func share(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

// formatBytes writes n in B, KiB, MiB, GiB or TiB.
func formatBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n)
	for _, unit := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v /= 1024
		if v < 1024 || unit == "TiB" {
			return fmt.Sprintf("%.1f %s", v, unit)
		}
	}
	return "" // not reached
}
