package export_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/export"
)

// duckDB returns the folder where .ci/run installed @duckdb/node-api
// (GISA_TEST_DUCKDB), or skips the test when node or the module is
// missing — except in CI (CI=true), where that fails it.
func duckDB(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		msg := "DuckDB round trip not run: " + why + " (.ci/run installs it: npm install --no-save --prefix DIR @duckdb/node-api, then GISA_TEST_DUCKDB=DIR)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := os.Getenv("GISA_TEST_DUCKDB")
	if dir == "" {
		missing("GISA_TEST_DUCKDB is not set")
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("no node on PATH")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json")); err != nil {
		missing("@duckdb/node-api is not installed in " + dir)
	}
	return dir
}

// duckQuery runs sql with DuckDB and decodes the rows into out.
func duckQuery(t *testing.T, dir, sql string, out any) {
	t.Helper()
	cmd := exec.Command("node", filepath.Join("testdata", "duckdb_read.mjs"), sql)
	cmd.Env = append(os.Environ(), "GISA_TEST_DUCKDB="+dir)
	b, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("duckdb %s: %v\n%s", sql, err, stderr)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("duckdb output %s: %v", b, err)
	}
}

// duckRow is a record as the DuckDB queries below return it; times are
// microseconds since the epoch (DuckDB prints them as strings).
type duckRow struct {
	ArchiveKey    string             `json:"archive_key"`
	Revision      json.Number        `json:"revision"`
	ID            string             `json:"id"`
	URL           string             `json:"url"`
	CanonicalURL  *string            `json:"canonical_url"`
	OutletID      string             `json:"outlet_id"`
	OutletName    *string            `json:"outlet_name"`
	Section       *string            `json:"section"`
	Title         string             `json:"title"`
	Subtitle      *string            `json:"subtitle"`
	Body          string             `json:"body"`
	Reporters     []article.Reporter `json:"reporters"`
	PublishedUS   *string            `json:"published_us"`
	UpdatedUS     *string            `json:"updated_us"`
	FetchedUS     *string            `json:"fetched_us"`
	PublishedKST  *string            `json:"published_kst"`
	Images        []article.Image    `json:"images"`
	Related       []article.Link     `json:"related"`
	Tags          []string           `json:"tags"`
	Copyright     *string            `json:"copyright"`
	Language      *string            `json:"language"`
	Portal        *article.Portal    `json:"portal"`
	ContentHash   string             `json:"content_hash"`
	ParserVersion *string            `json:"parser_version"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func micros(t *testing.T, p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func wantMicros(tm interface{ UnixMicro() int64 }, isNil bool) string {
	if isNil {
		return ""
	}
	return strconv.FormatInt(tm.UnixMicro(), 10)
}

// TestDuckDBRoundTrip: DuckDB — a reader gisa did not write — reads the
// JSONL (gzip), CSV (--excel) and Parquet exports, and every field it
// returns equals the archive's.
func TestDuckDBRoundTrip(t *testing.T) {
	dir := duckDB(t)
	ta := newTestArchive(t)
	ta.put(t, sampleArticles()...)
	want := archived(t, ta)
	out := t.TempDir()
	common := `archive_key, revision, id, url, canonical_url, section, title, subtitle, body, reporters,
		epoch_us(published_at) AS published_us, epoch_us(updated_at) AS updated_us, epoch_us(fetched_at) AS fetched_us,
		images, related, tags, copyright, language, portal, content_hash, parser_version`
	for _, tc := range []struct {
		format   export.Format
		compress export.Compression
		sql      string
	}{
		{export.JSONL, export.Gzip, `SELECT ` + common + `, outlet.id AS outlet_id, outlet.name AS outlet_name
			FROM read_json('DIR/*.jsonl.gz', format = 'newline_delimited')`},
		{export.Parquet, "", `SELECT ` + common + `, outlet_id, outlet_name,
			strftime(published_at_kst, '%Y-%m-%dT%H:%M:%S') AS published_kst FROM read_parquet('DIR/*.parquet')`},
		{export.CSV, "", `SELECT *, epoch_us(published_at::TIMESTAMPTZ) AS published_us, epoch_us(updated_at::TIMESTAMPTZ) AS updated_us,
			epoch_us(fetched_at::TIMESTAMPTZ) AS fetched_us FROM read_csv('DIR/*.csv', header = true, all_varchar = true)`},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			d := filepath.Join(out, string(tc.format))
			if _, err := runExport(t, ta.source(t), export.NewDir(d), export.Options{Format: tc.format, Compress: tc.compress, Excel: tc.format == export.CSV}); err != nil {
				t.Fatal(err)
			}
			sql := strings.ReplaceAll(tc.sql, "DIR", filepath.ToSlash(d))
			var rows []duckRow
			if tc.format == export.CSV {
				rows = duckCSV(t, dir, sql)
			} else {
				duckQuery(t, dir, sql, &rows)
			}
			if len(rows) != len(want) {
				t.Fatalf("DuckDB read %d rows, want %d", len(rows), len(want))
			}
			for _, r := range rows {
				w, ok := want[r.ArchiveKey]
				if !ok {
					t.Errorf("row %q is not in the archive", r.ArchiveKey)
					continue
				}
				compareDuck(t, tc.format, r, w)
			}
		})
	}
}

// duckCSV reads a CSV export's rows with DuckDB (every cell as text) and
// rebuilds the lists from their documented joining.
func duckCSV(t *testing.T, dir, sql string) []duckRow {
	t.Helper()
	var cells []map[string]*string
	duckQuery(t, dir, sql, &cells)
	var rows []duckRow
	for _, c := range cells {
		get := func(k string) string {
			v, ok := c[k]
			if !ok {
				t.Fatalf("DuckDB found no column %q in the CSV", k)
			}
			return unneutralize(str(v))
		}
		opt := func(k string) *string { s := get(k); return &s }
		r := duckRow{
			ArchiveKey: get("archive_key"), Revision: json.Number(get("revision")), ID: get("id"), URL: get("url"),
			CanonicalURL: opt("canonical_url"), OutletID: get("outlet_id"), OutletName: opt("outlet_name"), Section: opt("section"),
			Title: get("title"), Subtitle: opt("subtitle"), Body: get("body"),
			PublishedUS: c["published_us"], UpdatedUS: c["updated_us"], FetchedUS: c["fetched_us"],
			Copyright: opt("copyright"), Language: opt("language"), ContentHash: get("content_hash"), ParserVersion: opt("parser_version"),
			Tags: splitList(get("tags")),
		}
		names, emails, roles := splitList(get("reporter_names")), splitList(get("reporter_emails")), splitList(get("reporter_roles"))
		for i := range names {
			r.Reporters = append(r.Reporters, article.Reporter{Name: names[i], Email: at(emails, i), Role: at(roles, i)})
		}
		urls, caps, credits := splitList(get("image_urls")), splitList(get("image_captions")), splitList(get("image_credits"))
		for i := range urls {
			r.Images = append(r.Images, article.Image{URL: urls[i], Caption: at(caps, i), Credit: at(credits, i)})
		}
		titles, rurls := splitList(get("related_titles")), splitList(get("related_urls"))
		for i := range rurls {
			r.Related = append(r.Related, article.Link{Title: at(titles, i), URL: rurls[i]})
		}
		if get("portal_name") != "" {
			r.Portal = &article.Portal{Name: get("portal_name"), OriginalURL: get("portal_original_url")}
		}
		rows = append(rows, r)
	}
	return rows
}

func compareDuck(t *testing.T, format export.Format, r duckRow, w article.Article) {
	t.Helper()
	got := article.Article{
		ID: r.ID, URL: r.URL, CanonicalURL: str(r.CanonicalURL), Outlet: article.Outlet{ID: r.OutletID, Name: str(r.OutletName)},
		Section: str(r.Section), Title: r.Title, Subtitle: str(r.Subtitle), Body: r.Body, Reporters: r.Reporters,
		Images: r.Images, Related: r.Related, Tags: r.Tags, Copyright: str(r.Copyright), Language: str(r.Language),
		Portal: r.Portal, ContentHash: r.ContentHash, ParserVersion: str(r.ParserVersion),
	}
	wa := w
	wa.SchemaVersion, wa.Extraction, wa.Raw = 0, article.Extraction{}, nil
	wa.PublishedAt, wa.UpdatedAt, wa.FetchedAt = nil, nil, nil
	if format == export.CSV {
		if wa.Portal != nil {
			wa.Portal = &article.Portal{Name: wa.Portal.Name, OriginalURL: wa.Portal.OriginalURL}
		}
		imgs := append([]article.Image(nil), wa.Images...)
		for i := range imgs {
			imgs[i].Caption = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(imgs[i].Caption)
		}
		wa.Images = imgs
	}
	compare(t, format, exported{Key: r.ArchiveKey, Article: got}, wa)
	if r.Revision.String() != "0" {
		t.Errorf("%s: revision %s, want 0", r.ID, r.Revision)
	}
	for _, tm := range []struct {
		name string
		got  *string
		want interface{ UnixMicro() int64 }
		null bool
	}{
		{"published_at", r.PublishedUS, w.PublishedAt, w.PublishedAt == nil},
		{"updated_at", r.UpdatedUS, w.UpdatedAt, w.UpdatedAt == nil},
		{"fetched_at", r.FetchedUS, w.FetchedAt, w.FetchedAt == nil},
	} {
		var want string
		if !tm.null {
			want = wantMicros(tm.want, false)
		}
		if g := micros(t, tm.got); g != want {
			t.Errorf("%s %s: %q µs, want %q", r.ID, tm.name, g, want)
		}
	}
	if format == export.Parquet && w.PublishedAt != nil {
		if want := w.PublishedAt.In(article.KST).Format("2006-01-02T15:04:05"); str(r.PublishedKST) != want {
			t.Errorf("%s published_at_kst %q, want %q", r.ID, str(r.PublishedKST), want)
		}
	}
}
