package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/gisa-news/gisa/storage"
)

// archiveHandle is an open archive: its Store (disk or S3), its catalog
// (<dir>/.gisa-catalog for a disk archive, <state>-catalog beside the crawl
// state for an S3 one) and the Archive over both. A writer holds the
// archive's lock (<dir>/.gisa-lock, or <state>-lock for S3) from before it
// touches anything until Close.
type archiveHandle struct {
	out     string
	store   storage.Store
	catalog *storage.SQLiteCatalog
	arch    *storage.Archive
	state   string // crawl state file; with a shared state, this worker's local path
	shared  bool   // the crawl state is in Redis, shared with other workers
	closers []func()
}

// archiveMode says how a command opens an archive.
type archiveMode struct {
	command string // "gisa crawl": recorded in the lock, named to those refused
	write   bool   // take the lock; false: read only, touch nothing
	reindex bool   // rebuild an empty catalog of an archive that has articles
}

// lockPath is the lock file of archive out.
func lockPath(out, state string) string {
	if strings.HasPrefix(out, "s3://") {
		return state + "-lock"
	}
	return filepath.Join(out, storage.LockName)
}

// statePath is where the crawl state of archive out lives unless the
// configuration says: <dir>/.gisa on disk, ./.gisa-state for S3.
func statePath(out, state string) string {
	switch {
	case state != "":
		return state
	case strings.HasPrefix(out, "s3://"):
		return ".gisa-state"
	}
	return filepath.Join(out, ".gisa")
}

// openArchive opens the archive at out. A writer first takes the archive's
// lock, so that a command refused because another holds it has touched
// nothing (not even the temporary files of the holder's writes in flight).
// With reindex, a catalog that is empty while the archive holds articles (a
// lost catalog, or an archive written before it) is rebuilt first.
func openArchive(ctx context.Context, out, state, endpoint string, mode archiveMode, log *slog.Logger) (*archiveHandle, error) {
	shared := isRedisState(state)
	if shared {
		// The frontier is shared; this worker's catalog, WARC spool and
		// lock stay local, where they would be without a state.
		state = ""
	} else if strings.Contains(state, "://") {
		return nil, fmt.Errorf("state %s: want a file path, redis:// or rediss://", state)
	}
	h := &archiveHandle{out: out, state: statePath(out, state), shared: shared}
	// Resolved once: gisa serve writes beside it (history, WARC spool)
	// for as long as it runs, and logs where.
	if abs, err := filepath.Abs(h.state); err == nil {
		h.state = abs
	}
	if mode.write {
		lock, err := storage.LockArchive(lockPath(out, h.state), mode.command)
		if err != nil {
			return nil, fmt.Errorf("archive %s: %w", out, err)
		}
		h.closers = append(h.closers, func() { lock.Unlock() })
	}
	store, closeStore, err := openStore(ctx, out, endpoint, !mode.write, log)
	if err != nil {
		h.Close()
		return nil, err
	}
	h.store = store
	h.closers = append(h.closers, closeStore)
	catPath := filepath.Join(out, storage.CatalogName)
	if strings.HasPrefix(out, "s3://") {
		catPath = h.state + "-catalog"
	}
	if !mode.write && shared && strings.HasPrefix(out, "s3://") {
		// Each worker's local catalog holds only its own writes: read
		// the archive itself, which holds every worker's.
		return h, nil
	}
	if !mode.write {
		// A snapshot of the catalog, beside a crawl that may be writing.
		h.catalog, err = storage.OpenCatalogReadOnly(catPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return h, nil // no catalog yet: the reader reads the archive itself
		case errors.Is(err, storage.ErrNotCatalog):
			log.Warn("the catalog cannot be read: reading the archive itself", "err", err)
			h.catalog = nil
			return h, nil
		case err != nil:
			h.Close()
			return nil, fmt.Errorf("archive %s: %w", out, err)
		}
		h.closers = append(h.closers, func() { h.catalog.Close() })
		h.arch = storage.NewArchive(store, storage.WithCatalog(h.catalog))
		return h, nil
	}
	if h.catalog, err = storage.OpenCatalog(catPath); err != nil {
		h.Close()
		return nil, fmt.Errorf("archive %s: %w", out, err)
	}
	h.closers = append(h.closers, func() { h.catalog.Close() })
	opts := []storage.ArchiveOption{storage.WithCatalog(h.catalog)}
	if shared {
		opts = append(opts, storage.WithWorker(workerID()))
	}
	h.arch = storage.NewArchive(store, opts...)
	if n, err := h.arch.Recover(ctx); err != nil {
		h.Close()
		return nil, fmt.Errorf("archive %s: settling the catalog: %w", out, err)
	} else if n > 0 {
		log.Info("catalog entries of writes a crash interrupted settled", "entries", n)
	}
	if n, err := h.arch.RecoverManifests(ctx); err != nil {
		h.Close()
		return nil, fmt.Errorf("archive %s: %w", out, err)
	} else if n > 0 {
		log.Info("the manifest a killed run did not write written", "entries", n)
	}
	if mode.reindex {
		if err := h.reindexIfEmpty(ctx, log); err != nil {
			h.Close()
			return nil, err
		}
	}
	return h, nil
}

var errFound = errors.New("found")

func (h *archiveHandle) reindexIfEmpty(ctx context.Context, log *slog.Logger) error {
	n, err := h.catalog.Len(ctx)
	if err != nil || n > 0 {
		return err
	}
	err = h.store.List(ctx, "articles/", func(storage.Info) error { return errFound })
	if !errors.Is(err, errFound) {
		return err // nil: an empty archive
	}
	log.Info("the catalog is empty but the archive has articles: reindexing", "archive", h.out)
	st, err := storage.Reindex(ctx, h.store, h.catalog, func(key string, err error) {
		log.Warn("reindex: skipped", "key", key, "err", err)
	})
	if err != nil {
		return fmt.Errorf("archive %s: reindex: %w", h.out, err)
	}
	log.Info("reindexed", "articles", st.Articles, "revisions", st.Revisions, "corrupt", st.Corrupt)
	return h.arch.MarkManifested(ctx)
}

// Close flushes the run's manifest and closes everything, in reverse.
func (h *archiveHandle) Close() {
	for i := len(h.closers) - 1; i >= 0; i-- {
		h.closers[i]()
	}
}
