package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/gisa-news/gisa/article"
)

// ManifestRoot is the key prefix of run manifests (see Archive.Flush).
const ManifestRoot = "manifests/"

// manifestBatch is how many entries an Archive holds for its next manifest
// before PutArticle writes one: memory stays bounded in a long run, and a
// crash loses at most that many lines.
const manifestBatch = 1000

// note records e for the next manifest and reports whether manifestBatch
// entries are waiting: the caller then Flushes. A failed write is not
// PutArticle's failure (the article is stored): the entries wait for the
// next attempt, and Flush reports the error.
func (a *Archive) note(e Entry) bool {
	if !a.manifests {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.written[e.ID] = e
	return len(a.written) >= manifestBatch
}

// manifestMarks is what a Catalog offers (SQLiteCatalog does) for the
// Archive to know which entries no manifest holds yet: its entries'
// sequence numbers (Entry.Seq) and a mark below which every settled entry
// is in a manifest. Flush raises the mark to the catalog's last sequence
// number at the moment it takes its batch: every entry settled by then is
// in that batch or an earlier manifest, since settle puts an entry and
// notes it without a Flush in between. RecoverManifests writes the
// settled entries above the mark, those of a run killed before its Flush.
type manifestMarks interface {
	LastSeq(ctx context.Context) (int64, error)
	ManifestMark(ctx context.Context) (int64, error)
	SetManifestMark(ctx context.Context, seq int64) error
	Since(ctx context.Context, seq int64, fn func(Entry) error) error
}

// RecoverManifests writes a manifest of the catalog entries that no
// manifest holds: those a run killed before its Flush settled (see Flush).
// It returns how many entries it wrote. Call it once after opening an
// archive, after Recover and before any PutArticle; without a catalog that
// keeps sequence numbers (SQLiteCatalog), or with manifests off, it does
// nothing. After a Reindex, which puts every entry anew, call
// MarkManifested instead: the articles' manifests are as they were.
func (a *Archive) RecoverManifests(ctx context.Context) (int, error) {
	mm, ok := a.catalog.(manifestMarks)
	if !ok || !a.manifests {
		return 0, nil
	}
	mark, err := mm.ManifestMark(ctx)
	if err != nil {
		return 0, fmt.Errorf("recover manifests: %w", err)
	}
	n := 0
	err = mm.Since(ctx, mark, func(e Entry) error {
		if !e.Pending {
			a.mu.Lock()
			a.written[e.ID] = e
			a.mu.Unlock()
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("recover manifests: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	if err := a.Flush(ctx); err != nil {
		return 0, fmt.Errorf("recover manifests: %w", err)
	}
	return n, nil
}

// MarkManifested tells the catalog that every entry it holds is as the
// manifests (and the articles) say, so that RecoverManifests writes none
// of them: call it after a Reindex or ReindexFromManifests. Without a
// catalog that keeps sequence numbers it does nothing.
func (a *Archive) MarkManifested(ctx context.Context) error {
	mm, ok := a.catalog.(manifestMarks)
	if !ok {
		return nil
	}
	seq, err := mm.LastSeq(ctx)
	if err == nil {
		err = mm.SetManifestMark(ctx, seq)
	}
	if err != nil {
		return fmt.Errorf("mark manifested: %w", err)
	}
	return nil
}

// Flush writes a run manifest: one line of Entry JSON, by ID, for every
// article this Archive created, updated or re-cataloged since the last Flush
// (the latest entry of each), as
//
//	manifests/<yyyy>/<mm>/<dd>/<yyyymmddThhmmss.sss>-<run>-<n>.jsonl
//
// dated (KST) when it is written; <run> is random per Archive and <n> counts
// its manifests, so keys sort in the order manifests were written. With
// nothing to write it writes nothing. PutArticle also writes one whenever
// 1,000 entries are waiting. Call Flush at the end of a run, so that an S3
// archive can be cataloged from its manifests (ReindexFromManifests) without
// reading every article. If the write fails, the entries wait for the next
// Flush.
func (a *Archive) Flush(ctx context.Context) error {
	a.flushMu.Lock()
	defer a.flushMu.Unlock()
	mm, marks := a.catalog.(manifestMarks)
	var seq int64
	a.gate.Lock()
	a.mu.Lock()
	batch := a.written
	if len(batch) == 0 {
		a.mu.Unlock()
		a.gate.Unlock()
		return nil
	}
	a.written = map[string]Entry{}
	a.flushes++
	n := a.flushes
	a.mu.Unlock()
	var err error
	if marks {
		seq, err = mm.LastSeq(ctx)
	}
	a.gate.Unlock()
	if err != nil {
		a.requeue(batch)
		return fmt.Errorf("write manifest: %w", err)
	}

	ids := slices.Sorted(maps.Keys(batch))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, id := range ids {
		e := batch[id]
		if err := enc.Encode(&e); err != nil {
			return fmt.Errorf("write manifest: %s: %w", id, err)
		}
	}
	now := time.Now().In(article.KST)
	key := fmt.Sprintf("%s%s/%s-%s-%04d.jsonl", ManifestRoot, now.Format("2006/01/02"),
		now.Format("20060102T150405.000"), a.run, n)
	if err := a.store.Put(ctx, key, buf.Bytes()); err != nil {
		a.requeue(batch)
		return fmt.Errorf("write manifest: %w", err)
	}
	if marks {
		if err := mm.SetManifestMark(ctx, seq); err != nil {
			// The manifest is written; RecoverManifests may write its
			// entries again, which is harmless.
			return fmt.Errorf("write manifest %s: %w", key, err)
		}
	}
	return nil
}

// requeue puts the entries of a batch that could not be written back for
// the next Flush, unless newer ones came meanwhile.
func (a *Archive) requeue(batch map[string]Entry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, e := range batch {
		if _, newer := a.written[id]; !newer {
			a.written[id] = e
		}
	}
}
