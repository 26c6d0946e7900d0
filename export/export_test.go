package export_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/export"
	"github.com/gisa-news/gisa/storage"
)

// testArchive is a disk archive with a catalog, filled by the test.
type testArchive struct {
	dir   string
	store *storage.Disk
	cat   *storage.SQLiteCatalog
	arch  *storage.Archive
}

func newTestArchive(t *testing.T) *testArchive {
	t.Helper()
	dir := t.TempDir()
	st, err := storage.NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := storage.OpenCatalog(filepath.Join(dir, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	return &testArchive{dir: dir, store: st, cat: cat, arch: storage.NewArchive(st, storage.WithCatalog(cat))}
}

func (ta *testArchive) put(t *testing.T, arts ...*article.Article) {
	t.Helper()
	for _, a := range arts {
		if _, _, err := ta.arch.PutArticle(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
}

// source opens a read-only snapshot of the archive, as gisa export does.
func (ta *testArchive) source(t *testing.T) *export.Source {
	t.Helper()
	cat, err := storage.OpenCatalogReadOnly(filepath.Join(ta.dir, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	st, err := storage.OpenDiskReadOnly(ta.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &export.Source{Store: st, Catalog: cat, Watermarks: export.DirWatermarks{Dir: ta.dir}}
}

func tp(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	t = t.In(article.KST)
	return &t
}

// sampleArticles are records with what an export must carry intact:
// Hangul, cells a spreadsheet would run, line breaks, several reporters,
// images and links, nulls, a portal copy.
func sampleArticles() []*article.Article {
	return []*article.Article{
		{
			ID: "hani-1001", URL: "https://www.hani.co.kr/arti/1001.html", CanonicalURL: "https://www.hani.co.kr/arti/1001.html",
			Outlet: article.Outlet{ID: "hani", Name: "한겨레"}, Section: "정치", Title: "=SUM(A1:A9) 국회, 예산안 처리",
			Subtitle: "여야 합의", Body: "첫 문단입니다.\n\n둘째 문단, \"인용\"과 쉼표.\n-셋째 줄",
			Reporters:   []article.Reporter{{Name: "홍길동", Email: "hong@hani.co.kr", Role: "기자"}, {Name: "김철수", Role: "특파원"}},
			PublishedAt: tp("2024-03-01T09:30:00+09:00"), UpdatedAt: tp("2024-03-01T11:00:00+09:00"), FetchedAt: tp("2024-03-01T03:00:00Z"),
			Images:  []article.Image{{URL: "https://img.hani.co.kr/1.jpg", Caption: "국회 본회의장\n전경", Credit: "연합뉴스"}, {URL: "https://img.hani.co.kr/2.jpg"}},
			Related: []article.Link{{Title: "관련 기사", URL: "https://www.hani.co.kr/arti/999.html"}},
			Tags:    []string{"국회", "예산"}, Copyright: "ⓒ 한겨레신문사", Language: "ko", ParserVersion: "7",
		},
		{
			ID: "khan-2002", URL: "https://www.khan.co.kr/article/2002", Outlet: article.Outlet{ID: "khan", Name: "경향신문"},
			Section: "사회", Title: "+속보 @서울 지하철", Body: "@본문은 골뱅이로 시작",
			Reporters:   []article.Reporter{{Name: "이영희", Email: "lee@khan.co.kr", Role: "기자"}},
			PublishedAt: tp("2024-03-15T23:59:00+09:00"), FetchedAt: tp("2024-03-15T15:00:00Z"), Language: "ko",
			Portal: &article.Portal{Name: "naver", PressCode: "032", ArticleCode: "0003", OriginalURL: "https://www.khan.co.kr/article/2002"},
		},
		{
			ID: "khan-2003", URL: "https://www.khan.co.kr/article/2003", Outlet: article.Outlet{ID: "khan", Name: "경향신문"},
			Section: "경제", Title: "4월 기사", Body: "경제 기사 본문",
			PublishedAt: tp("2024-04-02T08:00:00+09:00"), FetchedAt: tp("2024-04-02T00:00:00Z"),
		},
		{
			ID: "yonhap-3003", URL: "https://www.yna.co.kr/view/3003", Outlet: article.Outlet{ID: "yonhap", Name: "연합뉴스"},
			Title: "날짜 없는 기사", Body: "발행 시각이 없다", FetchedAt: tp("2024-03-02T00:00:00Z"),
		},
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decompress undoes the compression a part's extension names.
func decompress(t *testing.T, name string, b []byte) []byte {
	t.Helper()
	switch {
	case strings.HasSuffix(name, ".gz"):
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return out
	case strings.HasSuffix(name, ".zst"):
		r, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return b
}

// exported is one record read back from an export, in the archive's terms.
type exported struct {
	Key      string
	Revision int
	Article  article.Article
}

// readJSONL reads a JSONL export's lines with encoding/json.
func readJSONL(t *testing.T, b []byte) []exported {
	t.Helper()
	var out []exported
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var e exported
		if err := json.Unmarshal(sc.Bytes(), &e.Article); err != nil {
			t.Fatalf("jsonl line %q: %v", sc.Text(), err)
		}
		var extra struct {
			ArchiveKey string `json:"archive_key"`
			Revision   int    `json:"revision"`
		}
		json.Unmarshal(sc.Bytes(), &extra)
		e.Key, e.Revision = extra.ArchiveKey, extra.Revision
		out = append(out, e)
	}
	return out
}

func unneutralize(s string) string {
	if strings.HasPrefix(s, "'") && len(s) > 1 && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, export.ListSep)
}

// readCSV reads a CSV export with encoding/csv and rebuilds each record.
func readCSV(t *testing.T, b []byte) []exported {
	t.Helper()
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], export.CSVColumns) {
		t.Fatalf("header %q, want %q", rows[0], export.CSVColumns)
	}
	var out []exported
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %s %q is not neutralized", export.CSVColumns[i], cell)
			}
		}
		c := map[string]string{}
		for i, name := range export.CSVColumns {
			c[name] = unneutralize(row[i])
		}
		when := func(s string) *time.Time {
			if s == "" {
				return nil
			}
			tm, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				t.Fatalf("time %q: %v", s, err)
			}
			return &tm
		}
		a := article.Article{
			ID: c["id"], URL: c["url"], CanonicalURL: c["canonical_url"], Outlet: article.Outlet{ID: c["outlet_id"], Name: c["outlet_name"]},
			Section: c["section"], Title: c["title"], Subtitle: c["subtitle"], Body: c["body"],
			PublishedAt: when(c["published_at"]), UpdatedAt: when(c["updated_at"]), FetchedAt: when(c["fetched_at"]),
			Copyright: c["copyright"], Language: c["language"], ContentHash: c["content_hash"], ParserVersion: c["parser_version"],
		}
		names, emails, roles := splitList(c["reporter_names"]), splitList(c["reporter_emails"]), splitList(c["reporter_roles"])
		for i := range names {
			a.Reporters = append(a.Reporters, article.Reporter{Name: names[i], Email: at(emails, i), Role: at(roles, i)})
		}
		urls, caps, credits := splitList(c["image_urls"]), splitList(c["image_captions"]), splitList(c["image_credits"])
		for i := range urls {
			a.Images = append(a.Images, article.Image{URL: urls[i], Caption: at(caps, i), Credit: at(credits, i)})
		}
		titles, rurls := splitList(c["related_titles"]), splitList(c["related_urls"])
		for i := range rurls {
			a.Related = append(a.Related, article.Link{Title: at(titles, i), URL: rurls[i]})
		}
		a.Tags = splitList(c["tags"])
		if c["portal_name"] != "" {
			a.Portal = &article.Portal{Name: c["portal_name"], OriginalURL: c["portal_original_url"]}
		}
		var rev int
		fmt.Sscan(c["revision"], &rev)
		out = append(out, exported{Key: c["archive_key"], Revision: rev, Article: a})
	}
	return out
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// readParquet reads a Parquet export with parquet-go's reader.
func readParquet(t *testing.T, b []byte) []exported {
	t.Helper()
	rows, err := parquet.Read[export.ParquetRow](bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []exported
	for _, r := range rows {
		a := article.Article{
			ID: r.ID, URL: r.URL, CanonicalURL: r.CanonicalURL, Outlet: article.Outlet{ID: r.OutletID, Name: r.OutletName},
			Section: r.Section, Title: r.Title, Subtitle: r.Subtitle, Body: r.Body, Tags: r.Tags,
			Copyright: r.Copyright, Language: r.Language, ContentHash: r.ContentHash, ParserVersion: r.ParserVersion,
			PublishedAt: r.PublishedAt, UpdatedAt: r.UpdatedAt, FetchedAt: r.FetchedAt, SchemaVersion: int(r.SchemaVersion),
		}
		for _, x := range r.Reporters {
			a.Reporters = append(a.Reporters, article.Reporter(x))
		}
		for _, x := range r.Images {
			a.Images = append(a.Images, article.Image(x))
		}
		for _, x := range r.Related {
			a.Related = append(a.Related, article.Link(x))
		}
		if r.Portal != nil {
			p := article.Portal(*r.Portal)
			a.Portal = &p
		}
		// The KST wall time is the same instant, nine hours on.
		for _, pair := range []struct {
			utc *time.Time
			kst *int64
		}{{r.PublishedAt, r.PublishedKST}, {r.UpdatedAt, r.UpdatedKST}, {r.FetchedAt, r.FetchedKST}} {
			if (pair.utc == nil) != (pair.kst == nil) {
				t.Errorf("%s: UTC and KST times disagree on null", r.ID)
			} else if pair.utc != nil {
				if pair.utc.Location() != time.UTC {
					t.Errorf("%s: time %v not in UTC", r.ID, pair.utc)
				}
				wall := time.UnixMicro(*pair.kst).UTC().Format(time.DateTime)
				if want := pair.utc.In(article.KST).Format(time.DateTime); wall != want {
					t.Errorf("%s: KST wall time %s, want %s", r.ID, wall, want)
				}
			}
		}
		out = append(out, exported{Key: r.ArchiveKey, Revision: int(r.Revision), Article: a})
	}
	return out
}

// readBack reads every file a manifest names, checking its size and
// SHA-256, and returns the records in file order.
func readBack(t *testing.T, dir string, m *export.Manifest) []exported {
	t.Helper()
	var out []exported
	for _, f := range m.Files {
		b := readAll(t, filepath.Join(dir, filepath.FromSlash(f.Name)))
		sum := sha256.Sum256(b)
		if int64(len(b)) != f.Bytes || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s: %d bytes sha256 %x, manifest says %d %s", f.Name, len(b), sum, f.Bytes, f.SHA256)
		}
		b = decompress(t, f.Name, b)
		var recs []exported
		switch m.Format {
		case export.JSONL:
			recs = readJSONL(t, b)
		case export.CSV:
			recs = readCSV(t, b)
		case export.Parquet:
			recs = readParquet(t, b)
		}
		if int64(len(recs)) != f.Records {
			t.Errorf("%s: %d records, manifest says %d", f.Name, len(recs), f.Records)
		}
		out = append(out, recs...)
	}
	return out
}

// archived reads the archive's current records (revision 0) by key.
func archived(t *testing.T, ta *testArchive) map[string]article.Article {
	t.Helper()
	recs := map[string]article.Article{}
	err := ta.store.List(t.Context(), "articles/", func(i storage.Info) error {
		a, err := ta.arch.GetArticle(t.Context(), i.Key)
		if err != nil {
			return err
		}
		recs[i.Key] = *a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// compare checks every field of an exported record against the archived
// one; fields a format does not carry are left out of the comparison.
func compare(t *testing.T, format export.Format, got exported, want article.Article) {
	t.Helper()
	w := want
	g := got.Article
	switch format {
	case export.CSV:
		w.SchemaVersion, w.Extraction, w.Raw = 0, article.Extraction{}, nil
		if w.Portal != nil {
			w.Portal = &article.Portal{Name: w.Portal.Name, OriginalURL: w.Portal.OriginalURL}
		}
		// A line break inside a list item becomes a space (the lines
		// separate the items).
		oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace
		w.Images = slices.Clone(w.Images)
		for i := range w.Images {
			w.Images[i].Caption = oneLine(w.Images[i].Caption)
		}
	case export.Parquet:
		w.Extraction, w.Raw = article.Extraction{}, nil
	}
	norm := func(a *article.Article) {
		if len(a.Reporters) == 0 {
			a.Reporters = nil
		}
		if len(a.Images) == 0 {
			a.Images = nil
		}
		if len(a.Related) == 0 {
			a.Related = nil
		}
		if len(a.Tags) == 0 {
			a.Tags = nil
		}
		if len(a.Extraction.Sources) == 0 {
			a.Extraction.Sources = nil
		}
		for _, p := range []**time.Time{&a.PublishedAt, &a.UpdatedAt, &a.FetchedAt} {
			if *p != nil {
				u := (*p).UTC()
				*p = &u
			}
		}
	}
	norm(&w)
	norm(&g)
	if !reflect.DeepEqual(g, w) {
		gj, _ := json.MarshalIndent(g, "", " ")
		wj, _ := json.MarshalIndent(w, "", " ")
		t.Errorf("%s %s: exported record differs\n got %s\nwant %s", format, got.Key, gj, wj)
	}
}

func runExport(t *testing.T, src *export.Source, dst export.Target, o export.Options) (*export.Manifest, error) {
	t.Helper()
	if c, ok := dst.(io.Closer); ok {
		t.Cleanup(func() { c.Close() })
	}
	return export.Run(t.Context(), src, dst, o)
}

// TestRoundTrip exports every format (and compression) into a folder and
// reads each back with Go's own readers, comparing every field with the
// archive and every file with the manifest.
func TestRoundTrip(t *testing.T) {
	ta := newTestArchive(t)
	ta.put(t, sampleArticles()...)
	want := archived(t, ta)
	for _, tc := range []struct {
		format   export.Format
		compress export.Compression
		excel    bool
	}{
		{export.JSONL, "", false}, {export.JSONL, export.Gzip, false}, {export.JSONL, export.Zstd, false},
		{export.CSV, "", false}, {export.CSV, export.Gzip, true}, {export.CSV, export.Zstd, false},
		{export.Parquet, "", false},
	} {
		t.Run(fmt.Sprintf("%s-%s-%v", tc.format, tc.compress, tc.excel), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			m, err := runExport(t, ta.source(t), export.NewDir(out), export.Options{Format: tc.format, Compress: tc.compress, Excel: tc.excel})
			if err != nil {
				t.Fatal(err)
			}
			got := readBack(t, out, m)
			if len(got) != len(want) || m.Records != int64(len(want)) {
				t.Fatalf("%d records read back, manifest %d, want %d", len(got), m.Records, len(want))
			}
			for _, g := range got {
				w, ok := want[g.Key]
				if !ok {
					t.Errorf("exported %s, not in the archive", g.Key)
					continue
				}
				compare(t, tc.format, g, w)
			}
			if m.Outlets["hani"] != 1 || m.Outlets["khan"] != 2 || m.Outlets["yonhap"] != 1 {
				t.Errorf("counts per outlet %v", m.Outlets)
			}
			// The manifest on disk is the one returned.
			var onDisk export.Manifest
			if err := json.Unmarshal(readAll(t, filepath.Join(out, export.ManifestName)), &onDisk); err != nil || len(onDisk.Files) != len(m.Files) {
				t.Errorf("manifest on disk: %v, %+v", err, onDisk)
			}
			if tc.excel {
				raw := decompress(t, m.Files[0].Name, readAll(t, filepath.Join(out, m.Files[0].Name)))
				if !bytes.HasPrefix(raw, []byte("\uFEFFid,")) || bytes.Contains(raw, []byte("\r")) {
					t.Errorf("--excel CSV begins %q", raw[:min(len(raw), 20)])
				}
			}
		})
	}
}

// TestNeutralize: every cell a spreadsheet would run as a formula is shown
// as text.
func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+82": "'+82", "-3": "'-3", "@SUM(A1)": "'@SUM(A1)", "\t=1": "'\t=1",
		"한겨레": "한겨레", "": "", "a=b": "a=b", "'=x": "'=x",
	} {
		if got := export.Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

var _ = errors.Is
var _ context.Context

// TestWithoutCatalog: an archive without a catalog is listed instead, and
// filters still apply to the records.
// TestProgressPerOutlet: the records each progress call adds are its
// outlet's, and add up to the manifest's counts per outlet.
func TestProgressPerOutlet(t *testing.T) {
	ta := newTestArchive(t)
	ta.put(t, sampleArticles()...)
	got := map[string]int64{}
	var last int64
	m, err := runExport(t, ta.source(t), export.NewStream(io.Discard, ""), export.Options{
		Format: export.JSONL,
		OnProgress: func(p export.Progress) {
			got[p.Outlet] += p.Records - last
			last = p.Records
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || fmt.Sprint(got) != fmt.Sprint(m.Outlets) {
		t.Errorf("progress counted %v per outlet, the manifest %v", got, m.Outlets)
	}
}

func TestWithoutCatalog(t *testing.T) {
	ta := newTestArchive(t)
	ta.put(t, sampleArticles()...)
	st, err := storage.OpenDiskReadOnly(ta.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var buf bytes.Buffer
	m, err := export.Run(t.Context(), &export.Source{Store: st}, export.NewStream(&buf, ""), export.Options{
		Format: export.JSONL, Filter: export.Filter{Outlets: []string{"khan"}, Since: *tp("2024-03-01T00:00:00+09:00"), Until: *tp("2024-03-31T00:00:00+09:00")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := readJSONL(t, buf.Bytes())
	if len(got) != 1 || got[0].Article.ID != "khan-2002" || m.Records != 1 {
		t.Errorf("exported %+v", got)
	}
	// --since-last needs the catalog.
	_, err = export.Run(t.Context(), &export.Source{Store: st}, export.NewStream(io.Discard, ""), export.Options{Format: export.JSONL, SinceLast: "x"})
	if !errors.Is(err, export.ErrInvalid) || !strings.Contains(err.Error(), "catalog") {
		t.Errorf("--since-last without a catalog: %v", err)
	}
}

// TestRevisions: --revisions exports every earlier version beside the
// current one, numbered as in the archive; by default only the latest.
func TestRevisions(t *testing.T) {
	ta := newTestArchive(t)
	arts := sampleArticles()
	ta.put(t, arts...)
	fixed := *arts[0]
	fixed.Body += "\n\n[정정] 바로잡습니다."
	ta.put(t, &fixed)
	for _, tc := range []struct {
		revisions bool
		want      []string
	}{
		{false, []string{"hani-1001/0", "khan-2002/0", "khan-2003/0", "yonhap-3003/0"}},
		{true, []string{"hani-1001/0", "hani-1001/1", "khan-2002/0", "khan-2003/0", "yonhap-3003/0"}},
	} {
		var buf bytes.Buffer
		_, err := export.Run(t.Context(), ta.source(t), export.NewStream(&buf, ""), export.Options{Format: export.JSONL, Filter: export.Filter{Revisions: tc.revisions}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range readJSONL(t, buf.Bytes()) {
			got = append(got, fmt.Sprintf("%s/%d", r.Article.ID, r.Revision))
			if r.Article.ID == "hani-1001" && (r.Revision == 0) != strings.Contains(r.Article.Body, "[정정]") {
				t.Errorf("revision %d has body %q", r.Revision, r.Article.Body)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("revisions %v: %v, want %v", tc.revisions, got, tc.want)
		}
	}
}

// TestPartLimits: parts close at the record or byte limit, and every part
// is complete and named in the manifest.
func TestPartLimits(t *testing.T) {
	ta := newTestArchive(t)
	ta.put(t, sampleArticles()...)
	for _, tc := range []struct {
		o     export.Options
		parts int
	}{
		{export.Options{Format: export.JSONL, MaxRecords: 3}, 2},
		{export.Options{Format: export.CSV, MaxBytes: 1}, 4},
		{export.Options{Format: export.Parquet, MaxRecords: 1}, 4},
	} {
		out := filepath.Join(t.TempDir(), "out")
		m, err := runExport(t, ta.source(t), export.NewDir(out), tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != tc.parts {
			t.Errorf("%s max %d records %d bytes: %d parts, want %d", tc.o.Format, tc.o.MaxRecords, tc.o.MaxBytes, len(m.Files), tc.parts)
		}
		if got := readBack(t, out, m); len(got) != 4 {
			t.Errorf("%s: %d records read back", tc.o.Format, len(got))
		}
	}
}

// TestSingleTargetManifest: the manifest of a single-file export names that
// file (not a part name of a folder export), with its size and SHA-256; an
// export to a stream names "-" and writes its manifest to the file asked
// for, last, refusing one that exists unless overwrite, and leaving none
// when the export fails.
func TestSingleTargetManifest(t *testing.T) {
	ta := newTestArchive(t)
	ta.put(t, sampleArticles()...)
	dir := t.TempDir()
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

	out := filepath.Join(dir, "march.jsonl.gz")
	f := export.NewFile(out)
	m, err := export.Run(t.Context(), ta.source(t), f, export.Options{Format: export.JSONL, Compress: export.Gzip})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	data := readAll(t, out)
	if len(m.Files) != 1 || m.Files[0].Name != "march.jsonl.gz" || m.Files[0].Bytes != int64(len(data)) || m.Files[0].SHA256 != sum(data) {
		t.Errorf("single-file manifest names %+v; want march.jsonl.gz, %d bytes, %s", m.Files, len(data), sum(data))
	}

	mpath := filepath.Join(dir, "stdout.manifest.json")
	var buf bytes.Buffer
	s := export.NewStream(&buf, mpath)
	m, err = export.Run(t.Context(), ta.source(t), s, export.Options{Format: export.CSV})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var written export.Manifest
	if err := json.Unmarshal(readAll(t, mpath), &written); err != nil {
		t.Fatalf("manifest file: %v", err)
	}
	if written.Records != m.Records || m.Records == 0 || len(written.Files) != 1 || written.Files[0].Name != "-" ||
		written.Files[0].SHA256 != sum(buf.Bytes()) || written.Files[0].Bytes != int64(buf.Len()) {
		t.Errorf("stream manifest %+v; want %d records, one file - of %d bytes, %s", written, m.Records, buf.Len(), sum(buf.Bytes()))
	}

	s = export.NewStream(io.Discard, mpath)
	_, err = export.Run(t.Context(), ta.source(t), s, export.Options{Format: export.CSV})
	s.Close()
	if !errors.Is(err, export.ErrExists) {
		t.Errorf("an existing manifest file: %v, want ErrExists", err)
	}

	// An export that fails (a corrupt entry under --strict) with overwrite
	// removes the old manifest and writes none.
	if err := os.WriteFile(filepath.Join(ta.dir, sampleKey(t, ta)), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	s = export.NewStream(io.Discard, mpath)
	_, err = export.Run(t.Context(), ta.source(t), s, export.Options{Format: export.CSV, Strict: true, Overwrite: true})
	s.Close()
	if !errors.Is(err, export.ErrCorrupt) {
		t.Errorf("strict export of a corrupt entry: %v, want ErrCorrupt", err)
	}
	if _, err := os.Stat(mpath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left a manifest file (%v)", err)
	}
}

// sampleKey is the archive key of one stored article of ta.
func sampleKey(t *testing.T, ta *testArchive) string {
	t.Helper()
	var key string
	err := ta.cat.Range(t.Context(), "", time.Time{}, time.Time{}, func(e storage.Entry) error {
		key = e.Key
		return errors.New("stop")
	})
	if key == "" {
		t.Fatalf("no entry in the catalog: %v", err)
	}
	return filepath.FromSlash(key)
}
