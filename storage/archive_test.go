package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gisa-news/gisa/article"
	"github.com/gisa-news/gisa/storage"
)

func ptr(t time.Time) *time.Time { return &t }

// testArticle is a record as the parser makes it.
func testArticle() *article.Article {
	published := time.Date(2024, 1, 31, 18, 6, 10, 0, article.KST)
	fetched := time.Date(2024, 2, 2, 9, 0, 0, 0, time.UTC)
	a := &article.Article{
		ID:          "hani-1128383",
		URL:         "https://www.hani.co.kr/arti/society/1128383.html?a=1&b=2",
		Outlet:      article.Outlet{ID: "hani", Name: "한겨레"},
		Section:     "사회",
		Title:       "[단독] 제목 <이것>",
		Subtitle:    "부제",
		Body:        "첫 문단.\n\n둘째 문단.",
		Reporters:   []article.Reporter{{Name: "홍길동", Email: "hong@hani.co.kr", Role: "기자"}},
		PublishedAt: &published,
		FetchedAt:   &fetched,
		Language:    "ko",
		Extraction:  article.Extraction{Profile: "hani", Sources: map[string]string{"title": "profile"}},
	}
	a.Normalize()
	return a
}

func newArchive(t *testing.T) (*storage.Archive, *storage.Disk) {
	d := newDisk(t, t.TempDir())
	return storage.NewArchive(d), d
}

func mustPutArticle(t *testing.T, arc *storage.Archive, a *article.Article, want storage.Outcome) string {
	t.Helper()
	got, key, err := arc.PutArticle(t.Context(), a)
	if err != nil {
		t.Fatalf("PutArticle: %v", err)
	}
	if got != want {
		t.Fatalf("PutArticle = %v, want %v", got, want)
	}
	return key
}

func TestArticleKey(t *testing.T) {
	published := time.Date(2024, 1, 31, 20, 0, 0, 0, time.UTC) // 2024-02-01 05:00 KST
	fetched := time.Date(2024, 3, 5, 1, 0, 0, 0, article.KST)
	tests := []struct {
		name               string
		outlet, id         string
		published, fetched *time.Time
		want               string
	}{
		{"published, in KST", "hani", "hani-1", &published, &fetched, "articles/hani/2024/02/01/hani-1.json"},
		{"fetched when not published", "hani", "hani-1", nil, &fetched, "articles/hani/2024/03/05/hani-1.json"},
		{"zero published counts as none", "hani", "hani-1", &time.Time{}, &fetched, "articles/hani/2024/03/05/hani-1.json"},
		{"neither", "hani", "hani-1", nil, nil, "articles/hani/undated/hani-1.json"},
		{"no outlet", "", "x-1", &published, nil, "articles/_unknown/2024/02/01/x-1.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &article.Article{ID: tt.id, Outlet: article.Outlet{ID: tt.outlet}, PublishedAt: tt.published, FetchedAt: tt.fetched}
			got, err := storage.ArticleKey(a)
			if err != nil || got != tt.want {
				t.Errorf("ArticleKey = %q, %v; want %q", got, err, tt.want)
			}
			if err := storage.ValidKey(got); err != nil {
				t.Errorf("ArticleKey made an invalid key: %v", err)
			}
		})
	}
}

func TestArticleKeyInvalid(t *testing.T) {
	arc, d := newArchive(t)
	tests := []struct{ outlet, id, named string }{
		{"hani", "", `""`},
		{"hani", "..", `".."`},
		{"hani", "../etc/passwd", `"../etc/passwd"`},
		{"hani", "a/b", `"a/b"`},
		{"hani", "x y", `"x y"`},
		{"hani", "-x", `"-x"`},
		{"../x", "hani-1", `"../x"`},
		{"a/b", "hani-1", `"a/b"`},
		{"_unknown", "hani-1", `"_unknown"`}, // reserved, not a valid ID
		{".", "hani-1", `"."`},
	}
	for _, tt := range tests {
		a := &article.Article{ID: tt.id, Outlet: article.Outlet{ID: tt.outlet}}
		_, err := storage.ArticleKey(a)
		if !errors.Is(err, storage.ErrInvalidKey) || !strings.Contains(err.Error(), tt.named) {
			t.Errorf("ArticleKey(outlet %q, id %q): error %v, want ErrInvalidKey naming %s", tt.outlet, tt.id, err, tt.named)
		}
		if _, _, err := arc.PutArticle(t.Context(), a); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("PutArticle(outlet %q, id %q): error %v, want ErrInvalidKey", tt.outlet, tt.id, err)
		}
	}
	if _, err := storage.ArticleKey(nil); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("ArticleKey(nil): error %v", err)
	}
	if ks := listKeys(t, d, ""); len(ks) != 0 {
		t.Errorf("invalid articles were stored: %q", ks)
	}
}

func TestArchiveOutcomes(t *testing.T) {
	arc, d := newArchive(t)
	ctx := t.Context()
	a := testArticle()
	key := mustPutArticle(t, arc, a, storage.Created)
	if key != "articles/hani/2024/01/31/hani-1128383.json" {
		t.Fatalf("key = %q", key)
	}
	first, err := d.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}

	// Not changes: the fetch time, the extraction, links and images.
	same := testArticle()
	same.FetchedAt = ptr(time.Now())
	same.Extraction = article.Extraction{Profile: "", Sources: map[string]string{"title": "meta"}}
	same.Related = []article.Link{{Title: "관련", URL: "https://example.com/"}}
	same.Images = []article.Image{{URL: "https://example.com/a.jpg"}}
	same.Body = "첫   문단.\n둘째\n문단." // white space refolded: same content_hash
	mustPutArticle(t, arc, same, storage.Unchanged)
	same.PublishedAt = ptr(same.PublishedAt.UTC()) // the same instant
	mustPutArticle(t, arc, same, storage.Unchanged)
	if b, _ := d.Get(ctx, key); !bytes.Equal(b, first) {
		t.Errorf("Unchanged rewrote the stored article")
	}
	if revs, err := arc.Revisions(ctx, key); err != nil || len(revs) != 0 {
		t.Errorf("Revisions after Unchanged = %q, %v", revs, err)
	}

	// Each of these is a change.
	changes := []func(a *article.Article){
		func(a *article.Article) { a.Title = "새 제목" },
		func(a *article.Article) { a.Subtitle = "" },
		func(a *article.Article) { a.Body += "\n\n추가 문단." },
		func(a *article.Article) { a.UpdatedAt = ptr(time.Date(2024, 1, 31, 19, 0, 0, 0, article.KST)) },
		func(a *article.Article) {
			a.Reporters = append(a.Reporters, article.Reporter{Name: "김철수", Role: "기자"})
		},
		func(a *article.Article) { a.Reporters[0].Email = "" },
		func(a *article.Article) { a.PublishedAt = ptr(a.PublishedAt.Add(time.Minute)) }, // corrected, the same day
	}
	cur := testArticle()
	versions := [][]byte{first}
	for i, change := range changes {
		change(cur)
		mustPutArticle(t, arc, cur, storage.Updated)
		mustPutArticle(t, arc, cur, storage.Unchanged)
		b, err := d.Get(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, b)
		revs, err := arc.Revisions(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("revisions/hani/2024/01/31/hani-1128383/%d.json", i+1)
		if len(revs) != i+1 || revs[i] != want {
			t.Fatalf("after update %d, Revisions = %q, want …%s last", i+1, revs, want)
		}
	}
	// The revisions hold every earlier version, oldest first.
	revs, _ := arc.Revisions(ctx, key)
	for i, r := range revs {
		b, err := d.Get(ctx, r)
		if err != nil || !bytes.Equal(b, versions[i]) {
			t.Errorf("revision %s is not version %d (%v)", r, i+1, err)
		}
	}
	got, err := arc.GetArticle(ctx, key)
	if err != nil || got.Title != "새 제목" || len(got.Reporters) != 2 {
		t.Errorf("GetArticle = %+v, %v", got, err)
	}
}

// TestArchiveRevisionOrder: ten and more revisions come in numeric order.
func TestArchiveRevisionOrder(t *testing.T) {
	arc, _ := newArchive(t)
	a := testArticle()
	key := mustPutArticle(t, arc, a, storage.Created)
	for i := range 12 {
		a.Title = fmt.Sprintf("제목 %d", i)
		mustPutArticle(t, arc, a, storage.Updated)
	}
	revs, err := arc.Revisions(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range revs {
		old, err := arc.GetArticle(t.Context(), r)
		want := testArticle().Title // the first version, then each numbered one
		if i > 0 {
			want = fmt.Sprintf("제목 %d", i-1)
		}
		if err != nil || old.Title != want {
			t.Errorf("revision %d (%s): %+v, %v", i+1, r, old, err)
		}
	}
	if len(revs) != 12 || !strings.HasSuffix(revs[11], "/12.json") || !strings.HasSuffix(revs[9], "/10.json") || !strings.HasSuffix(revs[1], "/2.json") {
		t.Errorf("Revisions = %q", revs)
	}
}

// failingStore fails the Puts of articles/… keys while armed, as a crash
// between writing the revision and replacing the article would.
type failingStore struct {
	storage.Store
	mu    sync.Mutex
	armed bool
}

var errInjected = errors.New("injected failure")

func (f *failingStore) Put(ctx context.Context, key string, data []byte) error {
	f.mu.Lock()
	armed := f.armed
	f.mu.Unlock()
	if armed && strings.HasPrefix(key, "articles/") {
		return errInjected
	}
	return f.Store.Put(ctx, key, data)
}

func (f *failingStore) arm(on bool) {
	f.mu.Lock()
	f.armed = on
	f.mu.Unlock()
}

func TestArchiveRetryAfterCrash(t *testing.T) {
	ctx := t.Context()
	fs := &failingStore{Store: newDisk(t, t.TempDir())}
	arc := storage.NewArchive(fs)
	a := testArticle()
	key := mustPutArticle(t, arc, a, storage.Created)
	v1, _ := fs.Get(ctx, key)

	a.Title = "고친 제목"
	fs.arm(true)
	for range 3 { // the revision is written, the article is not: a crash
		if _, _, err := arc.PutArticle(ctx, a); !errors.Is(err, errInjected) {
			t.Fatalf("PutArticle with a failing store: %v", err)
		}
	}
	fs.arm(false)
	mustPutArticle(t, arc, a, storage.Updated) // the retry
	revs, err := arc.Revisions(ctx, key)
	if err != nil || len(revs) != 1 {
		t.Fatalf("after failed attempts and a retry, Revisions = %q, %v; want one", revs, err)
	}
	if b, _ := fs.Get(ctx, revs[0]); !bytes.Equal(b, v1) {
		t.Errorf("the revision is not the first version")
	}
	if got, _ := arc.GetArticle(ctx, key); got.Title != "고친 제목" {
		t.Errorf("stored title %q after the retry", got.Title)
	}

	// A crash, then the site reverts: the stored version is already saved.
	a.Title = "세 번째"
	fs.arm(true)
	arc.PutArticle(ctx, a)
	fs.arm(false)
	a.Title = "고친 제목"
	mustPutArticle(t, arc, a, storage.Unchanged)
	a.Title = "네 번째"
	mustPutArticle(t, arc, a, storage.Updated)
	if revs, _ := arc.Revisions(ctx, key); len(revs) != 2 {
		t.Errorf("Revisions = %q, want 2", revs)
	}
}

func TestArchiveInvalidJSON(t *testing.T) {
	arc, d := newArchive(t)
	ctx := t.Context()
	a := testArticle()
	key := mustPutArticle(t, arc, a, storage.Created)
	broken := []byte("{\n  \"id\": \"hani-1128383\",\n  \"title\": \"손으로 고침\n}\n")
	if err := d.Put(ctx, key, broken); err != nil {
		t.Fatal(err)
	}
	_, err := arc.GetArticle(ctx, key)
	if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "invalid JSON at line 3") {
		t.Errorf("GetArticle of broken JSON: error %v, want one naming the key and line", err)
	}
	a.Title = "새 제목"
	_, gotKey, err := arc.PutArticle(ctx, a)
	if err == nil || !strings.Contains(err.Error(), key) || gotKey != key {
		t.Errorf("PutArticle over broken JSON: error %v, want one naming the key", err)
	}
	if b, _ := d.Get(ctx, key); !bytes.Equal(b, broken) {
		t.Errorf("PutArticle replaced the broken record")
	}
	if revs, _ := arc.Revisions(ctx, key); len(revs) != 0 {
		t.Errorf("PutArticle over broken JSON made revisions %q", revs)
	}
	if _, err := arc.GetArticle(ctx, "articles/hani/missing.json"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetArticle of a missing key: error %v, want ErrNotFound", err)
	}
	// Valid JSON of the wrong shape.
	if err := d.Put(ctx, key, []byte(`{"title": 5}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := arc.GetArticle(ctx, key); err == nil || !strings.Contains(err.Error(), key) {
		t.Errorf("GetArticle of a wrongly typed record: error %v", err)
	}
}

func TestArchiveJSON(t *testing.T) {
	arc, d := newArchive(t)
	ctx := t.Context()
	a := testArticle()
	a.Reporters, a.Images, a.Tags, a.Extraction.Sources = nil, nil, nil, nil
	a.ContentHash = ""
	key := mustPutArticle(t, arc, a, storage.Created)
	if a.ContentHash != "" || a.Images != nil {
		t.Errorf("PutArticle changed the caller's article")
	}
	b, _ := d.Get(ctx, key)
	for _, want := range []string{
		"{\n  \"schema_version\": 1,\n  \"id\": \"hani-1128383\",\n",
		`"url": "https://www.hani.co.kr/arti/society/1128383.html?a=1&b=2"`, // no \u0026
		`"title": "[단독] 제목 <이것>"`,
		`"reporters": [],`,
		`"images": [],`,
		`"published_at": "2024-01-31T18:06:10+09:00"`,
		`"content_hash": "sha256:`,
		"\n}\n",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("stored JSON lacks %q:\n%s", want, b)
		}
	}
	if !bytes.HasSuffix(b, []byte("}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
		t.Errorf("stored JSON does not end in one newline")
	}
	// Deterministic: the same article in a fresh archive gives the same bytes.
	arc2, d2 := newArchive(t)
	mustPutArticle(t, arc2, a, storage.Created)
	if b2, _ := d2.Get(ctx, key); !bytes.Equal(b, b2) {
		t.Errorf("the same article gave different bytes")
	}
	// And it reads back equal.
	got, err := arc.GetArticle(ctx, key)
	if err != nil || got.Title != a.Title || !got.PublishedAt.Equal(*a.PublishedAt) || got.Extraction.Sources == nil {
		t.Errorf("GetArticle = %+v, %v", got, err)
	}
}

func TestArchiveRevisionsErrors(t *testing.T) {
	arc, _ := newArchive(t)
	for _, key := range []string{"", "revisions/hani/x.json", "articles/hani/x.txt", "articles/.json", "../articles/x.json"} {
		if _, err := arc.Revisions(t.Context(), key); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Revisions(%q): error %v, want ErrInvalidKey", key, err)
		}
	}
	revs, err := arc.Revisions(t.Context(), "articles/hani/undated/hani-1.json")
	if err != nil || len(revs) != 0 {
		t.Errorf("Revisions of an article never stored = %q, %v; want none", revs, err)
	}
}

// TestArchiveConcurrent: goroutines put different versions of one article
// and other articles at once; no revision is numbered twice or lost.
func TestArchiveConcurrent(t *testing.T) {
	arc, d := newArchive(t)
	ctx := t.Context()
	const n = 12
	var wg sync.WaitGroup
	outcomes := make(chan storage.Outcome, n)
	for i := range n {
		wg.Go(func() {
			a := testArticle()
			a.Title = fmt.Sprintf("버전 %d", i)
			o, _, err := arc.PutArticle(ctx, a)
			if err != nil {
				t.Error(err)
			}
			outcomes <- o
			b := testArticle()
			b.ID = fmt.Sprintf("hani-%d", i)
			if _, _, err := arc.PutArticle(ctx, b); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(outcomes)
	count := map[storage.Outcome]int{}
	for o := range outcomes {
		count[o]++
	}
	if count[storage.Created] != 1 || count[storage.Updated] != n-1 {
		t.Errorf("outcomes %v, want 1 created and %d updated", count, n-1)
	}
	key, _ := storage.ArticleKey(testArticle())
	revs, err := arc.Revisions(ctx, key)
	if err != nil || len(revs) != n-1 {
		t.Fatalf("Revisions = %q, %v; want %d", revs, err, n-1)
	}
	titles := map[string]bool{}
	for _, r := range append(revs, key) {
		a, err := arc.GetArticle(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		titles[a.Title] = true
	}
	if len(titles) != n {
		t.Errorf("%d distinct versions kept, want %d", len(titles), n)
	}
	if ks := listKeys(t, d, "articles/"); len(ks) != n+1 {
		t.Errorf("%d articles stored, want %d", len(ks), n+1)
	}
}

func TestOutcomeString(t *testing.T) {
	got := []string{storage.Created.String(), storage.Updated.String(), storage.Unchanged.String(), storage.Outcome(0).String()}
	if want := []string{"created", "updated", "unchanged", "Outcome(0)"}; !slices.Equal(got, want) {
		t.Errorf("Outcome strings = %q, want %q", got, want)
	}
}
