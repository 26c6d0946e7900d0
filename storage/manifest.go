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

// note records e for the next manifest, writing one when manifestBatch
// entries are waiting. A failed write is not PutArticle's failure (the
// article is stored): the entries wait for the next attempt, and Flush
// reports the error.
func (a *Archive) note(ctx context.Context, e Entry) {
	if !a.manifests {
		return
	}
	a.mu.Lock()
	a.written[e.ID] = e
	full := len(a.written) >= manifestBatch
	a.mu.Unlock()
	if full {
		_ = a.Flush(ctx)
	}
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
	a.mu.Lock()
	batch := a.written
	if len(batch) == 0 {
		a.mu.Unlock()
		return nil
	}
	a.written = map[string]Entry{}
	a.flushes++
	n := a.flushes
	a.mu.Unlock()

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
		a.mu.Lock()
		for id, e := range batch {
			if _, newer := a.written[id]; !newer {
				a.written[id] = e
			}
		}
		a.mu.Unlock()
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}
