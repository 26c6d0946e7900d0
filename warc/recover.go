package warc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gisa-news/gisa/storage"
	"github.com/nlnwa/gowarc/v3"
)

// lockName is the spool directory's lock file.
const lockName = "lock"

// Recover finishes the spool files a crash left behind in spoolDir and
// uploads them to st, as NewWriter does before it starts. It returns how
// many files it uploaded and how many pages (response records) they hold.
//
// A file that was open when the process died keeps every complete record
// (every gzip member that decompresses, passes its CRC and holds a whole
// WARC record); what follows the last one, a torn record, is cut off. A file
// left with no response record is removed. Files that were finished but not
// uploaded are uploaded as they are. A file uploaded but not yet removed
// when the process died is uploaded again: Put is idempotent and the name
// unique.
//
// Recover takes the spool directory's lock: it fails with ErrSpoolBusy while
// a Writer uses the directory. Files whose upload fails stay in the spool
// and make the error; the others are still uploaded.
func Recover(ctx context.Context, st storage.Store, spoolDir string) (files, records int, err error) {
	lock, err := lockSpool(spoolDir)
	if err != nil {
		return 0, 0, err
	}
	defer unlockSpool(lock)
	return recoverSpool(ctx, st, spoolDir, true)
}

// recoverSpool repairs the open files in dir and uploads every finished one;
// the spool lock is held. With count, records is the number of pages in the
// uploaded files.
func recoverSpool(ctx context.Context, st storage.Store, dir string, count bool) (files, records int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, fmt.Errorf("warc: recover: %w", err)
	}
	var errs []error
	for _, e := range entries {
		final, ok := strings.CutSuffix(e.Name(), extOpen)
		if !ok || !e.Type().IsRegular() || keyFor(final) == "" {
			continue
		}
		if err := repair(ctx, dir, e.Name(), final); err != nil {
			errs = append(errs, err)
		}
	}
	files, records, err = uploadFinished(ctx, st, dir, count)
	return files, records, errors.Join(append(errs, err)...)
}

// repair cuts the torn end off the open spool file name and renames it to
// final, or removes it when it holds no page.
func repair(ctx context.Context, dir, name, final string) error {
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("warc: recover %s: %w", name, err)
	}
	var end int64
	pages := 0
	err = walk(ctx, data, func(rec gowarc.WarcRecord, off, size int64) error {
		if rec.Type() == gowarc.Response {
			pages++
		}
		end = off + size
		return nil
	}, func(int64, error) {})
	if err != nil {
		return fmt.Errorf("warc: recover %s: %w", name, err)
	}
	if pages == 0 {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("warc: recover %s: %w", name, err)
		}
		return nil
	}
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("warc: recover %s: %w", name, err)
	}
	if end < int64(len(data)) {
		err = f.Truncate(end)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = renameSync(p, filepath.Join(dir, final))
	}
	if err != nil {
		return fmt.Errorf("warc: recover %s: %w", name, err)
	}
	return nil
}

// uploadFinished uploads the finished files in dir, oldest name first, and
// removes each one uploaded. With count, it also counts their pages. It
// goes on past a failed upload; the error joins them all.
func uploadFinished(ctx context.Context, st storage.Store, dir string, count bool) (files, records int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, fmt.Errorf("warc: upload: %w", err)
	}
	var errs []error
	for _, e := range entries {
		key := keyFor(e.Name())
		if key == "" || !e.Type().IsRegular() {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, fmt.Errorf("warc: upload %s: %w", e.Name(), err))
			break
		}
		p := filepath.Join(dir, e.Name())
		pages := 0
		if count {
			if pages, err = countPages(ctx, p); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := upload(ctx, st, key, p); err != nil {
			errs = append(errs, fmt.Errorf("warc: upload %s: %w", e.Name(), err))
			continue
		}
		if err := os.Remove(p); err != nil {
			errs = append(errs, fmt.Errorf("warc: uploaded %s: %w", e.Name(), err))
			continue
		}
		files++
		records += pages
	}
	return files, records, errors.Join(errs...)
}

func upload(ctx context.Context, st storage.Store, key, path string) error {
	if fp, ok := st.(filePutter); ok {
		return fp.PutFile(ctx, key, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return st.Put(ctx, key, data)
}

func countPages(ctx context.Context, path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("warc: recover: %w", err)
	}
	pages := 0
	err = walk(ctx, data, func(rec gowarc.WarcRecord, _, _ int64) error {
		if rec.Type() == gowarc.Response {
			pages++
		}
		return nil
	}, func(int64, error) {})
	return pages, err
}
