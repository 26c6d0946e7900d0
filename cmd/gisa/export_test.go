package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vbauerster/mpb/v8"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/export"
	"github.com/gisa-news/gisa/internal/fixture"
	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/s3test"
)

// crawledArchive crawls the local fixture site into a disk archive and
// returns its config file and directory.
func crawledArchive(t *testing.T, site *fixture.Site) (conf, archive string) {
	t.Helper()
	dir := t.TempDir()
	archive = filepath.Join(dir, "archive")
	writeFile(t, dir, "fixture.yaml", site.ProfileYAML("fixture"))
	conf = writeFile(t, dir, "gisa.yaml", `contact: ops@example.org
out: `+archive+`
profiles: [fixture.yaml]
fetch_timeout: 200ms
retry_base: 10ms
max_attempts: 2
outlets:
  - id: fixture
    delay: 0s
    concurrency: 4
`)
	if code, out, errs := runCmd(t, "", "crawl", "--config", conf, "--log-level", "error"); code != exitOK {
		t.Fatalf("crawl: exit %d\n%s\n%s", code, out, errs)
	}
	return conf, archive
}

// archivedArticles reads every current record of a disk archive by ID.
func archivedArticles(t *testing.T, archive string) map[string]article.Article {
	t.Helper()
	arts := map[string]article.Article{}
	filepath.WalkDir(filepath.Join(archive, "articles"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var a article.Article
		b, _ := os.ReadFile(p)
		if json.Unmarshal(b, &a) == nil {
			arts[a.ID] = a
		}
		return nil
	})
	if len(arts) == 0 {
		t.Fatal("nothing archived")
	}
	return arts
}

// jsonlIDs reads the IDs of a JSONL export (one file or a folder's parts,
// by its manifest) and checks that no ID comes twice.
func jsonlIDs(t *testing.T, data []byte) []string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var a struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("jsonl line %q: %v", sc.Text(), err)
		}
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	return ids
}

func readManifest(t *testing.T, path string) export.Manifest {
	t.Helper()
	var m export.Manifest
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func sortedKeys[V any](m map[string]V, keep func(V) bool) []string {
	var ks []string
	for k, v := range m {
		if keep == nil || keep(v) {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// TestExportCrawledArchive: filters, partitions and --since-last against an
// archive crawled from the local fixture site.
func TestExportCrawledArchive(t *testing.T) {
	site := fixture.New(fixture.Options{SlowDelay: 300 * time.Millisecond, BigSize: 17 << 20})
	defer site.Close()
	conf, archive := crawledArchive(t, site)
	arts := archivedArticles(t, archive)
	out := t.TempDir()

	t.Run("everything to stdout", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, "", "export", "--config", conf, "--format", "jsonl", "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got, want := jsonlIDs(t, []byte(stdout)), sortedKeys(arts, nil); !slices.Equal(got, want) {
			t.Errorf("exported %v\nwant %v", got, want)
		}
		// With --manifest, the stream's manifest goes to that file.
		mf := filepath.Join(out, "stdout.manifest.json")
		code, stdout2, stderr := runCmd(t, "", "export", "--config", conf, "--format", "jsonl", "--manifest", mf, "-")
		if code != exitOK || stdout2 != stdout {
			t.Fatalf("--manifest: exit %d, same output %v: %s", code, stdout2 == stdout, stderr)
		}
		sum := sha256.Sum256([]byte(stdout))
		if m := readManifest(t, mf); m.Records != int64(len(arts)) || len(m.Files) != 1 || m.Files[0].Name != "-" || m.Files[0].SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("stdout manifest %+v", m)
		}
	})

	t.Run("published days", func(t *testing.T) {
		// The middle day of the archive's published days, and the one after.
		var days []string
		for _, a := range arts {
			if a.PublishedAt != nil {
				days = append(days, a.PublishedAt.In(article.KST).Format(time.DateOnly))
			}
		}
		slices.Sort(days)
		days = slices.Compact(days)
		if len(days) < 3 {
			t.Fatalf("the fixture has %d published days, want 3 or more", len(days))
		}
		from, to := days[len(days)/2-1], days[len(days)/2]
		want := sortedKeys(arts, func(a article.Article) bool {
			if a.PublishedAt == nil {
				return false
			}
			d := a.PublishedAt.In(article.KST).Format(time.DateOnly)
			return d >= from && d <= to
		})
		file := filepath.Join(out, "days.jsonl")
		code, _, stderr := runCmd(t, "", "export", "--config", conf, "--format", "jsonl", "--since", from, "--until", to, "--outlet", "fixture", file)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got := jsonlIDs(t, readFileT(t, file)); !slices.Equal(got, want) || len(want) == 0 || len(want) == len(arts) {
			t.Errorf("%s..%s exported %v\nwant %v (of %d)", from, to, got, want, len(arts))
		}
		if m := readManifest(t, file+".manifest.json"); m.Records != int64(len(want)) || m.Filters.Since != from || len(m.Files) != 1 {
			t.Errorf("manifest %+v", m)
		}
		// An outlet that is not in the archive: nothing, and no error.
		code, stdout, _ := runCmd(t, "", "export", "--config", conf, "--format", "jsonl", "--outlet", "hani", "-")
		if code != exitOK || stdout != "" {
			t.Errorf("--outlet hani: exit %d, %q", code, stdout)
		}
	})

	t.Run("words reporter section", func(t *testing.T) {
		var one article.Article
		for _, a := range arts {
			if len(a.Reporters) > 0 && a.Section != "" && len([]rune(a.Title)) > 4 {
				one = a
				break
			}
		}
		if one.ID == "" {
			t.Fatal("no fixture article with a reporter, a section and a title")
		}
		word := strings.Fields(one.Title)[0]
		match := func(a article.Article) bool {
			okR := slices.ContainsFunc(a.Reporters, func(r article.Reporter) bool { return strings.Contains(r.Name, one.Reporters[0].Name) })
			okW := strings.Contains(strings.ToLower(a.Title), strings.ToLower(word)) || strings.Contains(strings.ToLower(a.Body), strings.ToLower(word))
			return okR && okW && strings.Contains(a.Section, one.Section)
		}
		code, stdout, stderr := runCmd(t, "", "export", "--config", conf, "--format", "jsonl",
			"--reporter", one.Reporters[0].Name, "--word", word, "--section", one.Section, "-")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got, want := jsonlIDs(t, []byte(stdout)), sortedKeys(arts, match); !slices.Equal(got, want) || !slices.Contains(got, one.ID) {
			t.Errorf("exported %v, want %v", got, want)
		}
	})

	t.Run("partitions and parts", func(t *testing.T) {
		dir := filepath.Join(out, "parts")
		code, _, stderr := runCmd(t, "", "export", "--config", conf, "--format", "csv", "--compress", "gzip",
			"--partition", "outlet,date", "--max-records", "2", dir)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		m := readManifest(t, filepath.Join(dir, export.ManifestName))
		perDay := map[string]int64{}
		for _, a := range arts {
			d := export.HiveNull
			if a.PublishedAt != nil {
				d = a.PublishedAt.In(article.KST).Format(time.DateOnly)
			}
			perDay["outlet=fixture/date="+d]++
		}
		got := map[string]int64{}
		for _, f := range m.Files {
			dir, base := filepath.Split(f.Name)
			if !strings.HasPrefix(base, "part-") || !strings.HasSuffix(base, ".csv.gz") || f.Records > 2 || f.Records < 1 {
				t.Errorf("file %+v", f)
			}
			got[strings.TrimSuffix(dir, "/")] += f.Records
			if _, err := os.Stat(filepath.Join(out, "parts", filepath.FromSlash(f.Name))); err != nil {
				t.Errorf("manifest names %s: %v", f.Name, err)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(perDay) || m.Outlets["fixture"] != int64(len(arts)) {
			t.Errorf("records per partition %v\nwant %v; outlets %v", got, perDay, m.Outlets)
		}
	})

	t.Run("since last", func(t *testing.T) {
		exportSince := func(name string) []string {
			t.Helper()
			code, stdout, stderr := runCmd(t, "", "export", "--config", conf, "--format", "jsonl", "--since-last", "nightly", "-")
			if code != exitOK {
				t.Fatalf("%s: exit %d: %s", name, code, stderr)
			}
			return jsonlIDs(t, []byte(stdout))
		}
		if got, want := exportSince("first"), sortedKeys(arts, nil); !slices.Equal(got, want) {
			t.Fatalf("first --since-last exported %v\nwant %v", got, want)
		}
		if got := exportSince("second"); len(got) != 0 {
			t.Errorf("second --since-last with nothing new exported %v", got)
		}
		// The site corrects some articles and publishes one: the next
		// export has exactly those.
		site.SetVersion(2)
		if code, o, e := runCmd(t, "", "crawl", "--config", conf, "--log-level", "error"); code != exitOK {
			t.Fatalf("second crawl: exit %d\n%s\n%s", code, o, e)
		}
		after := archivedArticles(t, archive)
		var want []string
		for id, a := range after {
			if old, ok := arts[id]; !ok || old.ContentHash != a.ContentHash || old.Title != a.Title {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		if len(want) < 2 {
			t.Fatalf("version 2 of the site changed %v, want the added and the corrected articles", want)
		}
		if got := exportSince("after the crawl"); !slices.Equal(got, want) {
			t.Errorf("--since-last after a crawl exported %v\nwant %v", got, want)
		}
		if _, err := os.Stat(filepath.Join(archive, "exports", "nightly.json")); err != nil {
			t.Errorf("watermark: %v", err)
		}
		// Another name starts from the beginning.
		code, stdout, _ := runCmd(t, "", "export", "--config", conf, "--format", "jsonl", "--since-last", "other", "-")
		if got := jsonlIDs(t, []byte(stdout)); code != exitOK || len(got) != len(after) {
			t.Errorf("--since-last other: exit %d, %d records, want %d", code, len(got), len(after))
		}
		// And the crawl still reads an archive with exports/ in it.
		if code, o, e := runCmd(t, "", "stats", "--config", conf); code != exitOK {
			t.Errorf("stats: exit %d\n%s\n%s", code, o, e)
		}
	})
}

func readFileT(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExportBadInput: every bad input gets a clear error and its exit code.
func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	st, err := storage.NewDisk(archive)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := storage.OpenCatalog(filepath.Join(archive, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	arch := storage.NewArchive(st, storage.WithCatalog(cat))
	for i := range 3 {
		at := time.Date(2024, 3, 1+i, 9, 0, 0, 0, article.KST)
		a := &article.Article{ID: fmt.Sprintf("hani-%d", i), URL: fmt.Sprintf("https://www.hani.co.kr/arti/%d.html", i),
			Outlet: article.Outlet{ID: "hani", Name: "한겨레"}, Title: fmt.Sprintf("제목 %d", i), Body: "본문", PublishedAt: &at, FetchedAt: &at}
		if _, _, err := arch.PutArticle(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	cat.Close()
	st.Close()
	// One record is spoiled on disk.
	bad := filepath.Join(archive, "articles", "hani", "2024", "03", "02", "hani-1.json")
	if err := os.WriteFile(bad, []byte(`{"id": "hani-1", broken`), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown format", []string{"--format", "xlsx", "-"}, exitUsage, `format "xlsx"`},
		{"no format", []string{"-"}, exitUsage, "--format is required"},
		{"unknown filter", []string{"--format", "jsonl", "--color", "red", "-"}, exitUsage, "-color"},
		{"inverted range", []string{"--format", "jsonl", "--since", "2024-03-05", "--until", "2024-03-01", "-"}, exitUsage, "before --since"},
		{"bad date", []string{"--format", "jsonl", "--since", "March", "-"}, exitUsage, `--since "March"`},
		{"bad partition", []string{"--format", "jsonl", "--partition", "reporter", filepath.Join(dir, "p")}, exitUsage, `partition key "reporter"`},
		{"compressed parquet", []string{"--format", "parquet", "--compress", "gzip", filepath.Join(dir, "x")}, exitUsage, "Parquet compresses"},
		{"parts to stdout", []string{"--format", "jsonl", "--max-records", "1", "-"}, exitUsage, "need a folder"},
		{"manifest of a folder export", []string{"--format", "jsonl", "--manifest", filepath.Join(dir, "m.json"), filepath.Join(dir, "f")}, exitUsage, "--manifest is for DEST -"},
		{"bad size", []string{"--format", "jsonl", "--max-bytes", "lots", filepath.Join(dir, "y")}, exitUsage, "--max-bytes"},
		{"bad name", []string{"--format", "jsonl", "--since-last", "../x", "-"}, exitUsage, "--since-last"},
		{"two destinations", []string{"--format", "jsonl", "a", "b"}, exitUsage, "one destination"},
		{"missing archive", []string{"--format", "jsonl", "--out", filepath.Join(dir, "none"), "-"}, exitFailure, "none"},
		{"strict", []string{"--format", "jsonl", "--strict", "-"}, exitFailure, "hani-1.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"export", "--out", archive}, tc.args...)
			code, _, stderr := runCmd(t, "", args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, %q; want exit %d naming %q", code, stderr, tc.code, tc.want)
			}
		})
	}

	t.Run("corrupt entry skipped and counted", func(t *testing.T) {
		file := filepath.Join(dir, "out.jsonl")
		code, stdout, stderr := runCmd(t, "", "export", "--out", archive, "--format", "jsonl", file)
		if code != exitOK || !strings.Contains(stderr, "skipped") || !strings.Contains(stderr, "hani-1.json") || !strings.Contains(stdout, "1 unreadable") {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		if got := jsonlIDs(t, readFileT(t, file)); !slices.Equal(got, []string{"hani-0", "hani-2"}) {
			t.Errorf("exported %v", got)
		}
		if m := readManifest(t, file+".manifest.json"); m.Skipped != 1 || m.Records != 2 {
			t.Errorf("manifest: %d skipped, %d records", m.Skipped, m.Records)
		}
		// The output exists now: refused, untouched, unless --overwrite.
		before := readFileT(t, file)
		code, _, stderr = runCmd(t, "", "export", "--out", archive, "--format", "jsonl", "--outlet", "hani", "--until", "2024-03-01", file)
		if code != exitFailure || !strings.Contains(stderr, "exists") || !bytes.Equal(readFileT(t, file), before) {
			t.Errorf("existing output: exit %d, %q", code, stderr)
		}
		code, _, stderr = runCmd(t, "", "export", "--out", archive, "--format", "jsonl", "--until", "2024-03-01", "--overwrite", file)
		if got := jsonlIDs(t, readFileT(t, file)); code != exitOK || !slices.Equal(got, []string{"hani-0"}) {
			t.Errorf("--overwrite: exit %d, %v, %s", code, got, stderr)
		}
		// A folder that is not empty is refused too.
		folder := filepath.Join(dir, "folder")
		os.MkdirAll(folder, 0o755)
		writeFile(t, folder, "notes.txt", "mine")
		code, _, stderr = runCmd(t, "", "export", "--out", archive, "--format", "csv", folder)
		if code != exitFailure || !strings.Contains(stderr, "not empty") {
			t.Errorf("non-empty folder: exit %d, %q", code, stderr)
		}
	})
}

// TestExportBesideWriter: repeated --since-last exports while another
// process writes the archive as a crawl does never export a record twice
// nor miss one: after the writer stops, one more export completes the set.
func TestExportBesideWriter(t *testing.T) {
	if dir := os.Getenv(writerChildEnv); dir != "" {
		writerChild(dir)
		return
	}
	archive := filepath.Join(t.TempDir(), "archive")
	cmd := exec.Command(os.Args[0], "-test.run=^TestExportBesideWriter$")
	cmd.Env = append(os.Environ(), writerChildEnv+"="+archive)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	stopWriter := func() {
		if !killed {
			killed = true
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	defer stopWriter()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("writer child: %q, %v", line, err)
	}
	seen := map[string]int{}
	exportOnce := func() int {
		t.Helper()
		code, out, errs := runCmd(t, "", "export", "--out", archive, "--format", "jsonl", "--since-last", "feed", "-")
		if code != exitOK {
			t.Fatalf("export beside a writer: exit %d\n%s", code, errs)
		}
		ids := jsonlIDs(t, []byte(out))
		for _, id := range ids {
			seen[id]++
		}
		return len(ids)
	}
	for range 4 {
		exportOnce()
	}
	stopWriter()
	exportOnce()
	// The writer was killed: the entry of its write in flight may be
	// pending; what is settled is the whole set.
	c, err := storage.OpenCatalogReadOnly(filepath.Join(archive, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var settled []string
	c.Range(t.Context(), "", time.Time{}, time.Time{}, func(e storage.Entry) error {
		if !e.Pending {
			settled = append(settled, e.ID)
		}
		return nil
	})
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s exported %d times", id, n)
		}
	}
	for _, id := range settled {
		if seen[id] == 0 {
			t.Errorf("%s never exported", id)
		}
	}
	if len(settled) < 21 {
		t.Errorf("%d settled entries, want at least 21", len(settled))
	}
}

// TestExportS3: an export into a bucket, and one whose uploads start
// failing midway: exit 1, no manifest, the files already written named.
func TestExportS3(t *testing.T) {
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "GISATESTKEY")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "gisa-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	var failPuts atomic.Int64 // uploads of parts allowed before they fail; <0: no failure
	failPuts.Store(-1)
	srv := s3test.NewServer(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/failing/") && failPuts.Load() >= 0 {
				if failPuts.Add(-1) < 0 {
					w.WriteHeader(http.StatusForbidden)
					fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>injected</Message></Error>`)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	})
	srv.CreateBucket(t, "exports")
	dir := t.TempDir()
	archive := filepath.Join(dir, "archive")
	st, err := storage.NewDisk(archive)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := storage.OpenCatalog(filepath.Join(archive, storage.CatalogName))
	if err != nil {
		t.Fatal(err)
	}
	arch := storage.NewArchive(st, storage.WithCatalog(cat))
	for i := range 6 {
		at := time.Date(2024, 3, 1+i%3, 9, 0, 0, 0, article.KST)
		outlet := []string{"hani", "khan"}[i%2]
		a := &article.Article{ID: fmt.Sprintf("%s-%d", outlet, i), URL: fmt.Sprintf("https://example.com/%d", i),
			Outlet: article.Outlet{ID: outlet}, Title: fmt.Sprintf("제목 %d", i), Body: "본문", PublishedAt: &at}
		if _, _, err := arch.PutArticle(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	cat.Close()
	st.Close()

	code, stdout, stderr := runCmd(t, "", "export", "--out", archive, "--s3-endpoint", srv.URL, "--format", "parquet",
		"--partition", "outlet", "s3://exports/ok/march")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	bucket := srv.NewStore(t, "exports", "ok/march")
	b, err := bucket.Get(t.Context(), export.ManifestName)
	if err != nil {
		t.Fatal(err)
	}
	var m export.Manifest
	json.Unmarshal(b, &m)
	if len(m.Files) != 2 || m.Records != 6 || m.Outlets["hani"] != 3 {
		t.Fatalf("manifest %s", b)
	}
	for _, f := range m.Files {
		data, err := bucket.Get(t.Context(), f.Name)
		if err != nil || int64(len(data)) != f.Bytes {
			t.Errorf("%s: %d bytes, %v; manifest says %d", f.Name, len(data), err, f.Bytes)
		}
	}
	// An existing prefix is refused.
	code, _, stderr = runCmd(t, "", "export", "--out", archive, "--s3-endpoint", srv.URL, "--format", "parquet", "s3://exports/ok/march")
	if code != exitFailure || !strings.Contains(stderr, "exists") {
		t.Errorf("existing prefix: exit %d, %q", code, stderr)
	}

	// The second upload fails.
	failPuts.Store(1)
	code, stdout, stderr = runCmd(t, "", "export", "--out", archive, "--s3-endpoint", srv.URL, "--format", "jsonl",
		"--partition", "outlet", "s3://exports/failing/x")
	if code != exitFailure || !strings.Contains(stderr, "no manifest") || !strings.Contains(stderr, "outlet=hani/part-00000.jsonl") {
		t.Errorf("failing upload: exit %d\n%s\n%s", code, stdout, stderr)
	}
	failPuts.Store(-1)
	if _, err := srv.NewStore(t, "exports", "failing/x").Get(t.Context(), export.ManifestName); err == nil {
		t.Error("a manifest was written for a failed export")
	}
}

// TestExportProgressLog: when stderr is not a terminal, progress is a
// structured log line (no bar, no escape sequences).
func TestExportProgressLog(t *testing.T) {
	var buf bytes.Buffer
	log, _ := newLogger(&buf, "info")
	pr := newProgress(&buf, log)
	if pr.bar != nil {
		t.Fatal("a bar on a buffer")
	}
	pr.every = 0
	pr.update(export.Progress{Records: 50, Bytes: 5000, Total: 100})
	pr.done()
	out := buf.String()
	for _, want := range []string{"msg=progress", "records=50", "bytes=5000", "total=100", "eta="} {
		if !strings.Contains(out, want) {
			t.Errorf("progress log %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequences in %q", out)
	}
}

// TestExportProgressOutlets: on a terminal, a line per outlet below the
// bar counts its records, names padded by display width.
func TestExportProgressOutlets(t *testing.T) {
	var buf bytes.Buffer
	pr := newProgressOn(&buf, 0, nil, mpb.WithWidth(120), mpb.WithAutoRefresh())
	recs := int64(0)
	for _, o := range []struct {
		outlet string
		n      int64
	}{{"hani", 2}, {"경향", 1}, {"hani", 1}, {"yonhap", 3}} {
		recs += o.n
		pr.update(export.Progress{Records: recs, Total: 7, Outlet: o.outlet})
	}
	pr.done()
	lines := outletLines(buf.String())
	want := []string{"  hani            3 records", "  경향            1 records", "  yonhap          3 records"}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("outlet lines\n%q\nwant\n%q\nin\n%s", lines, want, buf.String())
	}
}

// outletLines are the outlet lines of the progress's last drawing in out.
func outletLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		switch f := strings.Fields(l); {
		case strings.HasPrefix(l, "export "):
			lines = nil // a later drawing
		case len(f) >= 3 && f[len(f)-1] == "records":
			lines = append(lines, l)
		}
	}
	return lines
}

// TestExportProgressFewRows: on a terminal with fewer rows than outlets
// the bar stays in view: the first line sums the earlier outlets, the
// others show the latest.
func TestExportProgressFewRows(t *testing.T) {
	var buf bytes.Buffer
	pr := newProgressOn(&buf, 6, nil, mpb.WithWidth(120), mpb.WithAutoRefresh())
	recs := int64(0)
	for i, o := range []string{"a", "b", "c", "d", "e"} {
		recs += int64(i + 1)
		pr.update(export.Progress{Records: recs, Total: 15, Outlet: o})
	}
	pr.done()
	var lines []string
	for _, l := range outletLines(buf.String()) {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	want := []string{"(3 earlier) 6 records", "d 4 records", "e 5 records"}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("outlet lines\n%q\nwant\n%q\nin\n%s", lines, want, buf.String())
	}
}

// TestExportProgressRoutesLogs: while the export's bar is drawn, log lines
// and skip notices go through it (above the bar, not into its drawing);
// after it is done they go straight out again.
func TestExportProgressRoutesLogs(t *testing.T) {
	var drawn, direct bytes.Buffer
	logw := &switchWriter{w: &direct}
	pr := newProgressOn(&drawn, 0, nil, mpb.WithWidth(80), mpb.WithAutoRefresh())
	pr.routeLogs(logw)
	fmt.Fprintln(logw, "skipped articles/hani/x.json: invalid JSON")
	pr.update(export.Progress{Records: 1, Total: 1, Outlet: "hani"})
	pr.done()
	fmt.Fprintln(logw, "exported 1 record")
	if !strings.Contains(drawn.String(), "skipped articles/hani/x.json") {
		t.Errorf("the notice did not go through the bar's writer:\n%s", drawn.String())
	}
	if direct.String() != "exported 1 record\n" {
		t.Errorf("straight out: %q, want only the line after the bar", direct.String())
	}
}
