package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gisa-news/gisa/storage"
)

// Target is where an export's files go. Its methods are called from one
// goroutine.
type Target interface {
	// Prepare refuses a destination that already holds an export (or, for
	// a single file, exists), wrapping ErrExists, unless overwrite; with
	// overwrite it first removes the earlier manifest, so that no manifest
	// names a file that is being replaced.
	Prepare(ctx context.Context, overwrite bool) error
	// Create begins the file name (a slash-separated relative path). Its
	// bytes are complete at the destination only after Commit.
	Create(ctx context.Context, name string) (File, error)
	// WriteManifest writes the manifest, last.
	WriteManifest(ctx context.Context, data []byte) error
	// Single reports whether the target takes one file only (a file, or
	// standard output): no parts, no partitions.
	Single() bool
	// String names the destination in messages.
	String() string
}

// File is a file being written to a Target.
type File interface {
	io.Writer
	Commit(ctx context.Context) error // complete it at the destination
	Abort()                           // discard it
}

// ManifestName is the file name of an export's manifest in a folder or
// under an S3 prefix; beside a single file it is <file>.manifest.json. Its
// leading underscore makes Spark and pyarrow (pandas) skip it when they
// read the folder as a dataset, as they skip _SUCCESS.
const ManifestName = "_manifest.json"

// readManifestFiles returns the files an earlier manifest names.
func readManifestFiles(data []byte) []string {
	var m Manifest
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	var names []string
	for _, f := range m.Files {
		if validName := checkRelName(f.Name) == nil; validName {
			names = append(names, f.Name)
		}
	}
	return names
}

// checkRelName refuses a file name that would leave the destination.
func checkRelName(name string) error {
	if name == "" || path.IsAbs(name) || strings.Contains(name, "\\") || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("file name %q would leave the destination", name)
	}
	return nil
}

// Dir is a Target in a local folder: files are written beside their final
// name as .tmp-…, fsynced and renamed when committed.
type Dir struct {
	dir  string
	root *os.Root
}

// NewDir returns a Target in folder dir (created when missing).
func NewDir(dir string) *Dir { return &Dir{dir: dir} }

func (d *Dir) String() string { return d.dir }
func (d *Dir) Single() bool   { return false }

func (d *Dir) Prepare(ctx context.Context, overwrite bool) error {
	if fi, err := os.Stat(d.dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("%w: %s is a file, not a folder", ErrExists, d.dir)
	}
	entries, err := os.ReadDir(d.dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export to %s: %w", d.dir, err)
	}
	if len(entries) > 0 && !overwrite {
		return fmt.Errorf("%w: %s is not empty (--overwrite replaces an earlier export)", ErrExists, d.dir)
	}
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("export to %s: %w", d.dir, err)
	}
	if d.root, err = os.OpenRoot(d.dir); err != nil {
		return fmt.Errorf("export to %s: %w", d.dir, err)
	}
	if old, err := d.root.ReadFile(ManifestName); err == nil {
		if err := d.root.Remove(ManifestName); err != nil {
			return fmt.Errorf("export to %s: remove the earlier manifest: %w", d.dir, err)
		}
		for _, name := range readManifestFiles(old) {
			d.root.Remove(filepath.FromSlash(name))
		}
	}
	return nil
}

func (d *Dir) Create(ctx context.Context, name string) (File, error) {
	if err := checkRelName(name); err != nil {
		return nil, err
	}
	rel := filepath.FromSlash(name)
	if dir := filepath.Dir(rel); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("export %s: %w", name, err)
		}
	}
	tmp := filepath.Join(filepath.Dir(rel), storage.TempPrefix+filepath.Base(rel))
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", name, err)
	}
	return &dirFile{root: d.root, f: f, tmp: tmp, final: rel}, nil
}

func (d *Dir) WriteManifest(ctx context.Context, data []byte) error {
	return d.writeFile(ctx, ManifestName, data)
}

// writeFile writes the whole file name in d, atomically.
func (d *Dir) writeFile(ctx context.Context, name string, data []byte) error {
	f, err := d.Create(ctx, name)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", name, err)
	}
	return f.Commit(ctx)
}

// Close releases the folder.
func (d *Dir) Close() error {
	if d.root == nil {
		return nil
	}
	return d.root.Close()
}

type dirFile struct {
	root       *os.Root
	f          *os.File
	tmp, final string
}

func (f *dirFile) Write(p []byte) (int, error) { return f.f.Write(p) }

func (f *dirFile) Commit(ctx context.Context) error {
	err := f.f.Sync()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = f.root.Rename(f.tmp, f.final)
	}
	if err == nil {
		if dir, derr := f.root.Open(filepath.Dir(f.final)); derr == nil {
			err = dir.Sync()
			dir.Close()
		}
	}
	if err != nil {
		f.root.Remove(f.tmp)
		return fmt.Errorf("write %s: %w", filepath.ToSlash(f.final), err)
	}
	return nil
}

func (f *dirFile) Abort() {
	f.f.Close()
	f.root.Remove(f.tmp)
}

// OneFile is a Target of one local file, its manifest beside it
// (<file>.manifest.json).
type OneFile struct {
	path string
	dir  *Dir
}

// NewFile returns a Target that writes the single file at path.
func NewFile(p string) *OneFile {
	return &OneFile{path: p, dir: NewDir(filepath.Dir(p))}
}

func (o *OneFile) String() string   { return o.path }
func (o *OneFile) Single() bool     { return true }
func (o *OneFile) fileName() string { return filepath.Base(o.path) }

func (o *OneFile) manifestName() string { return filepath.Base(o.path) + ".manifest.json" }

func (o *OneFile) Prepare(ctx context.Context, overwrite bool) error {
	return claimFile(o.dir, o.path, o.manifestName(), overwrite)
}

// claimFile refuses the file at path when it exists (a folder always, a
// file unless overwrite), opens its folder d, and removes stale there (the
// earlier manifest), so that no manifest names a file being replaced.
func claimFile(d *Dir, path, stale string, overwrite bool) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%w: %s is a folder", ErrExists, path)
		}
		if !overwrite {
			return fmt.Errorf("%w: %s (--overwrite replaces it)", ErrExists, path)
		}
	}
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	d.root = root
	if err := root.Remove(stale); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export to %s: remove the earlier manifest: %w", path, err)
	}
	return nil
}

func (o *OneFile) Create(ctx context.Context, _ string) (File, error) {
	return o.dir.Create(ctx, filepath.Base(o.path))
}

func (o *OneFile) WriteManifest(ctx context.Context, data []byte) error {
	return o.dir.writeFile(ctx, o.manifestName(), data)
}

// Close releases the folder.
func (o *OneFile) Close() error { return o.dir.Close() }

// Stream is a Target of one stream, such as standard output. Its manifest,
// when it is given a path for one, is written to that file last.
type Stream struct {
	w        io.Writer
	manifest string // path of the manifest file; "" for none
	dir      *Dir   // the manifest's folder
}

// NewStream returns a Target that writes to w, and its manifest to the file
// manifest ("" for none). The manifest names the stream "-".
func NewStream(w io.Writer, manifest string) *Stream {
	s := &Stream{w: w, manifest: manifest}
	if manifest != "" {
		s.dir = NewDir(filepath.Dir(manifest))
	}
	return s
}

func (s *Stream) String() string   { return "-" }
func (s *Stream) Single() bool     { return true }
func (s *Stream) fileName() string { return "-" }

// Prepare refuses an existing manifest file unless overwrite, which
// removes it first: a failed export leaves no manifest behind.
func (s *Stream) Prepare(ctx context.Context, overwrite bool) error {
	if s.manifest == "" {
		return nil
	}
	if err := claimFile(s.dir, s.manifest, filepath.Base(s.manifest), overwrite); err != nil {
		return fmt.Errorf("manifest file: %w", err)
	}
	return nil
}

func (s *Stream) Create(ctx context.Context, _ string) (File, error) {
	return streamFile{s.w}, nil
}

func (s *Stream) WriteManifest(ctx context.Context, data []byte) error {
	if s.manifest == "" {
		return nil
	}
	return s.dir.writeFile(ctx, filepath.Base(s.manifest), data)
}

// Close releases the manifest's folder.
func (s *Stream) Close() error {
	if s.dir == nil {
		return nil
	}
	return s.dir.Close()
}

type streamFile struct{ io.Writer }

func (streamFile) Commit(context.Context) error { return nil }
func (streamFile) Abort()                       {}

// Bucket is what the S3 target uses of storage.S3.
type Bucket interface {
	Put(ctx context.Context, key string, data []byte) error
	PutFile(ctx context.Context, key, path string) error
	Get(ctx context.Context, key string) ([]byte, error)
	List(ctx context.Context, prefix string, fn func(storage.Info) error) error
	Delete(ctx context.Context, key string) error
}

// S3 is a Target under a prefix of a bucket: each file is written to a
// local temporary folder and uploaded (in parts when large) when
// committed, so memory stays bounded; the manifest is uploaded last.
type S3 struct {
	bucket Bucket
	where  string // s3://bucket/prefix, for messages
	tmp    string // local folder of files being written
}

// NewS3 returns a Target in bucket (a storage.S3 opened at the export's
// prefix); where names it in messages; tmp is a local folder for the files
// before they are uploaded ("" for the system's).
func NewS3(bucket Bucket, where, tmp string) *S3 {
	return &S3{bucket: bucket, where: where, tmp: tmp}
}

func (s *S3) String() string { return s.where }
func (s *S3) Single() bool   { return false }

func (s *S3) Prepare(ctx context.Context, overwrite bool) error {
	found := errors.New("found")
	err := s.bucket.List(ctx, "", func(storage.Info) error { return found })
	if err != nil && !errors.Is(err, found) {
		return fmt.Errorf("export to %s: %w", s.where, err)
	}
	if err != nil && !overwrite {
		return fmt.Errorf("%w: %s holds objects (--overwrite replaces an earlier export)", ErrExists, s.where)
	}
	if old, err := s.bucket.Get(ctx, ManifestName); err == nil {
		if err := s.bucket.Delete(ctx, ManifestName); err != nil {
			return fmt.Errorf("export to %s: remove the earlier manifest: %w", s.where, err)
		}
		for _, name := range readManifestFiles(old) {
			s.bucket.Delete(ctx, name)
		}
	}
	dir, err := os.MkdirTemp(s.tmp, "gisa-export-")
	if err != nil {
		return fmt.Errorf("export to %s: local temporary folder: %w", s.where, err)
	}
	s.tmp = dir
	return nil
}

func (s *S3) Create(ctx context.Context, name string) (File, error) {
	if err := checkRelName(name); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(s.tmp, "part-")
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", name, err)
	}
	return &s3File{s: s, f: f, name: name}, nil
}

func (s *S3) WriteManifest(ctx context.Context, data []byte) error {
	if err := s.bucket.Put(ctx, ManifestName, data); err != nil {
		return fmt.Errorf("upload the manifest: %w", err)
	}
	return nil
}

// Close removes the local temporary folder.
func (s *S3) Close() error {
	if strings.Contains(filepath.Base(s.tmp), "gisa-export-") {
		return os.RemoveAll(s.tmp)
	}
	return nil
}

type s3File struct {
	s    *S3
	f    *os.File
	name string
}

func (f *s3File) Write(p []byte) (int, error) { return f.f.Write(p) }

func (f *s3File) Commit(ctx context.Context) error {
	defer os.Remove(f.f.Name())
	if err := f.f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", f.name, err)
	}
	if err := f.s.bucket.PutFile(ctx, f.name, f.f.Name()); err != nil {
		return fmt.Errorf("upload %s: %w", f.name, err)
	}
	return nil
}

func (f *s3File) Abort() {
	f.f.Close()
	os.Remove(f.f.Name())
}
