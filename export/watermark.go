package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gisa-news/gisa/storage"
)

// DirWatermarks keeps watermarks in a disk archive that is otherwise only
// read (opened beside a running crawl, whose Disk the export must not
// open for writing: that removes the temporary files of writes in flight).
// The file exports/<name>.json is written atomically: a temporary file
// named as the archive's Disk ignores it, fsynced, renamed, the folder
// fsynced.
type DirWatermarks struct{ Dir string }

func (d DirWatermarks) Load(ctx context.Context, name string) (Watermark, bool, error) {
	b, err := os.ReadFile(filepath.Join(d.Dir, filepath.FromSlash(WatermarkKey(name))))
	if errors.Is(err, fs.ErrNotExist) {
		return Watermark{}, false, nil
	}
	if err != nil {
		return Watermark{}, false, fmt.Errorf("watermark %s: %w", name, err)
	}
	return decodeWatermark(name, b)
}

func (d DirWatermarks) Save(ctx context.Context, w Watermark) error {
	if !validName.MatchString(w.Name) {
		return fmt.Errorf("%w: watermark name %q", ErrInvalid, w.Name)
	}
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(d.Dir)
	if err != nil {
		return fmt.Errorf("save watermark %s: %w", w.Name, err)
	}
	defer root.Close()
	if err := root.MkdirAll("exports", 0o755); err != nil {
		return fmt.Errorf("save watermark %s: %w", w.Name, err)
	}
	tmp := filepath.Join("exports", storage.TempPrefix+w.Name+".json")
	final := filepath.FromSlash(WatermarkKey(w.Name))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("save watermark %s: %w", w.Name, err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, final)
	}
	if err == nil {
		if dir, derr := root.Open("exports"); derr == nil {
			err = dir.Sync()
			dir.Close()
		}
	}
	if err != nil {
		root.Remove(tmp)
		return fmt.Errorf("save watermark %s: %w", w.Name, err)
	}
	return nil
}
