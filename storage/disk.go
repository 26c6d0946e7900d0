package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// Disk is a Store in a directory: the object under key "a/b/c.json" is the
// file <dir>/a/b/c.json. All access goes through an os.Root, so no key, and no
// symbolic link placed in the directory, reaches outside it.
//
// Put writes the data to a file, fsyncs it, makes it the object and fsyncs
// the object's directory; directories it creates are fsynced into their
// parents. On Linux the file is an unnamed one (O_TMPFILE) made in the
// object's directory, and a new object is linked in under its key: a crash
// before that leaves no name behind. An object that is replaced, and every
// object elsewhere, is written as a temporary file in <dir>/.tmp-writes (a
// name that is never a key) renamed over the object. Files are created
// with mode 0644 and directories with 0755, less the umask.
//
// Disk lists regular files only. Symbolic links placed in the directory by
// hand are not listed; Get and Stat follow them while they stay inside the
// directory. Files whose names are not valid keys are not listed. Directories
// emptied by Delete are left in place.
//
// A key cannot name an object and be a directory of other objects at once:
// Put("a") while "a/b" exists, or Put("a/b") while "a" exists, fails. Get and
// Stat of a key that is a directory report ErrNotFound, and Delete of one does
// nothing.
//
// Several Disks, in one process or several, may share a directory, except
// that NewDisk removes every temporary file, including those of a Put in
// flight elsewhere (one replacing an object), which then fails: a process takes the archive's Lock
// before it calls NewDisk. A Disk opened by OpenDiskReadOnly changes
// nothing and may be opened beside a writer at any time.
type Disk struct {
	root      *os.Root
	recovered int
	readOnly  bool
	dirs      dirSyncs
	noUnnamed atomic.Bool // unnamed files cannot be made or linked here (see putUnnamed)
	dirFD     *os.File    // the root directory, for readFile; nil when it could not be opened
	noOpenat2 atomic.Bool // openat2 is refused here (see readFile)
}

// ErrReadOnly is wrapped by the error of Put and Delete on a Disk opened
// with OpenDiskReadOnly.
var ErrReadOnly = errors.New("store opened read-only")

var _ Store = (*Disk)(nil)

// NewDisk returns a Disk in directory dir, creating it (and its parents) when
// missing. It removes the temporary files that Puts interrupted by a crash
// left behind (one directory read, whatever the archive's size); Recovered
// tells how many.
// Close the Disk when done.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("disk store: empty directory name")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("disk store %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("disk store %s: %w", dir, err)
	}
	d := &Disk{root: root}
	d.dirFD, _ = root.Open(".")
	n, err := d.removeTemps()
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("disk store %s: remove temporary files: %w", dir, err)
	}
	d.recovered = n
	return d, nil
}

// OpenDiskReadOnly returns a Disk in the existing directory dir that only
// reads: it creates no directory, removes no temporary file, and its Put
// and Delete fail with an error wrapping ErrReadOnly. A missing directory
// is an error naming it. Close the Disk when done.
func OpenDiskReadOnly(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("disk store: empty directory name")
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("disk store %s: %w", dir, err)
	}
	d := &Disk{root: root, readOnly: true}
	d.dirFD, _ = root.Open(".")
	return d, nil
}

// Recovered is the number of temporary files, left by interrupted Puts, that
// NewDisk removed.
func (d *Disk) Recovered() int { return d.recovered }

// Close releases the directory. The Disk must not be used afterwards.
func (d *Disk) Close() error {
	if d.dirFD != nil {
		d.dirFD.Close()
	}
	return d.root.Close()
}

// tempDir holds the files of Puts in progress, in the root so that the
// final rename stays on one file system. Its name begins with TempPrefix,
// so it is never a key. Keeping them in one directory makes the clean-up
// after a crash one directory read, however large the archive.
const tempDir = TempPrefix + "writes"

func (d *Disk) removeTemps() (int, error) {
	if err := d.root.Mkdir(tempDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return 0, err
	}
	entries, err := fs.ReadDir(d.root.FS(), tempDir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		switch err := d.root.Remove(path.Join(tempDir, e.Name())); {
		case err == nil:
			n++
		case !errors.Is(err, fs.ErrNotExist):
			return n, err
		}
	}
	return n, nil
}

// Put stores data under key atomically; see Store. An error that trying
// again will not cure (permission denied, read-only or full file system, a
// key that is a directory or runs through an object) wraps ErrPermanent.
func (d *Disk) Put(ctx context.Context, key string, data []byte) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if d.readOnly {
		return fmt.Errorf("put %s: %w", key, ErrReadOnly)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	if done, err := d.putUnnamed(ctx, key, data); done {
		return err
	}
	dir := path.Dir(key)
	if err := d.mkdirs(dir); err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	tmp, err := d.writeTemp(data)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	return d.publish(ctx, key, tmp)
}

// publish renames the temporary file tmp, complete and fsynced, over key,
// whose directory exists, and fsyncs that directory. tmp is removed when
// it fails.
func (d *Disk) publish(ctx context.Context, key, tmp string) error {
	dir := path.Dir(key)
	if err := ctx.Err(); err != nil { // last chance to back out
		d.root.Remove(tmp)
		return fmt.Errorf("put %s: %w", key, err)
	}
	if err := d.root.Rename(tmp, key); err != nil {
		d.root.Remove(tmp)
		if fi, serr := d.root.Lstat(key); serr == nil && fi.IsDir() {
			return fmt.Errorf("put %s: %w", key, permanent(errors.New("key is a directory of other objects")))
		}
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	if err := d.syncDir(dir); err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	return nil
}

// PutFile stores the regular file at path under key as Put stores data,
// without reading the file into memory: on the file system of the Disk it
// links the file in (no copy), elsewhere it copies it in a stream (in the
// kernel where it can) to a temporary file, fsynced; either way the object
// appears whole, by a rename, and its directory is fsynced. The file is
// not changed or removed, and must not change while PutFile runs. It is
// meant for finished WARC spool files, which are never written again: a
// linked object shares the file's data until the file is removed. Errors
// are those of Put; a path that is not a regular file wraps ErrPermanent.
func (d *Disk) PutFile(ctx context.Context, key, path string) error {
	return d.putFile(ctx, key, path, true)
}

// putFile is PutFile; without link it always copies (as on another file
// system).
func (d *Disk) putFile(ctx context.Context, key, src string, link bool) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if d.readOnly {
		return fmt.Errorf("put %s: %w", key, ErrReadOnly)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("put %s: %w", key, permanent(fmt.Errorf("%s is not a regular file", src)))
	}
	if err := d.mkdirs(path.Dir(key)); err != nil {
		return fmt.Errorf("put %s: %w", key, FileError(err))
	}
	tmp := ""
	if link {
		tmp = d.linkTemp(f, fi)
	}
	linked := tmp != ""
	if tmp == "" {
		if tmp, err = d.copyTemp(f); err != nil {
			return fmt.Errorf("put %s: copy %s: %w", key, src, FileError(err))
		}
	}
	if err := d.publish(ctx, key, tmp); err != nil {
		return err
	}
	if linked {
		// A rename between two links to one file (key was this file
		// already) does nothing and leaves tmp.
		d.root.Remove(tmp)
	}
	return nil
}

// linkTemp makes a temporary name in tempDir for the open file f (fi its
// description), fsynced, and returns it; "" when it cannot (another file
// system, links not supported), for the caller to copy instead. The link
// is made by path, outside the os.Root, so it checks through the root
// that tempDir is a directory of its own before and that the new name is
// f after.
func (d *Disk) linkTemp(f *os.File, fi os.FileInfo) string {
	if td, err := d.root.Lstat(tempDir); err != nil || !td.IsDir() {
		return ""
	}
	if err := f.Sync(); err != nil {
		return ""
	}
	name := path.Join(tempDir, strconv.FormatUint(rand.Uint64(), 36))
	if err := os.Link(f.Name(), filepath.Join(d.root.Name(), filepath.FromSlash(name))); err != nil {
		return ""
	}
	if li, err := d.root.Lstat(name); err != nil || !os.SameFile(li, fi) {
		d.root.Remove(name)
		return ""
	}
	return name
}

// copyTemp copies f to a new temporary file in tempDir, fsynced and
// closed, and returns its name.
func (d *Disk) copyTemp(f *os.File) (string, error) {
	name, t, err := d.createTemp()
	if err != nil {
		return "", err
	}
	_, err = io.Copy(t, f)
	if err == nil {
		err = t.Sync()
	}
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.root.Remove(name)
		return "", err
	}
	return name, nil
}

// createTemp creates a new, empty temporary file in tempDir.
func (d *Disk) createTemp() (string, *os.File, error) {
	var (
		name string
		f    *os.File
		err  error
	)
	for range 10 {
		name = path.Join(tempDir, strconv.FormatUint(rand.Uint64(), 36))
		f, err = d.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	return name, f, err
}

// writeTemp writes data to a new temporary file in tempDir, fsynced and
// closed, and returns its name.
func (d *Disk) writeTemp(data []byte) (string, error) {
	name, f, err := d.createTemp()
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		d.root.Remove(name)
		return "", err
	}
	return name, nil
}

// mkdirs makes directory dir and its missing parents, fsyncing each parent
// that gained an entry, so that a new object's directory survives a crash as
// well as the object.
func (d *Disk) mkdirs(dir string) error {
	if dir == "." {
		return nil
	}
	fi, err := d.root.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return nil
	case err == nil:
		return permanent(fmt.Errorf("%s is an object, not a directory", dir))
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return err
	}
	parent := path.Dir(dir)
	if err := d.mkdirs(parent); err != nil {
		return err
	}
	if err := d.root.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) { // made meanwhile by another Put
			if fi, err := d.root.Stat(dir); err == nil && fi.IsDir() {
				return nil
			}
			return permanent(fmt.Errorf("%s is an object, not a directory", dir))
		}
		return err
	}
	return d.syncDir(parent)
}

// syncDir fsyncs directory dir after the caller changed an entry in it.
// Concurrent callers for one directory share fsyncs: each returns the
// result of an fsync that began after it called (so after its change), and
// a crowd of writers into one directory costs about two fsyncs, not one
// each. Callers for different directories do not wait for each other.
func (d *Disk) syncDir(dir string) error {
	return d.dirs.sync(dir, func() error {
		f, err := d.root.Open(dir)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// dirSyncs shares directory fsyncs between concurrent callers, per
// directory. Its zero value is ready.
type dirSyncs struct {
	mu sync.Mutex
	m  map[string]*dirSync
	// hook, when set (by tests), runs each fsync in place of the real one.
	hook func(dir string) error
}

// dirSync is one directory's fsyncs, guarded by dirSyncs.mu.
type dirSync struct {
	users   int           // callers inside sync for this directory
	running bool          // an fsync is in flight
	started uint64        // fsyncs begun
	done    uint64        // the last fsync finished
	err     error         // its result
	wake    chan struct{} // closed when the fsync in flight ends
}

func (s *dirSyncs) sync(dir string, fsync func() error) error {
	if s.hook != nil {
		hook := s.hook
		fsync = func() error { return hook(dir) }
	}
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]*dirSync{}
	}
	ds := s.m[dir]
	if ds == nil {
		ds = &dirSync{}
		s.m[dir] = ds
	}
	ds.users++
	need := ds.started + 1 // the first fsync to begin from now on
	defer func() {
		ds.users--
		if ds.users == 0 {
			delete(s.m, dir)
		}
		s.mu.Unlock()
	}()
	for {
		if ds.done >= need {
			return ds.err
		}
		if ds.running {
			wake := ds.wake
			s.mu.Unlock()
			<-wake
			s.mu.Lock()
			continue
		}
		ds.running = true
		ds.started++
		n := ds.started
		ds.wake = make(chan struct{})
		s.mu.Unlock()
		err := fsync()
		s.mu.Lock()
		ds.running, ds.done, ds.err = false, n, err
		close(ds.wake)
	}
}

// missing reports whether err from opening or reading key means that no
// object is there: nothing by that name, a parent that is a file, or a
// directory.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EISDIR)
}

// Get returns the object under key; see Store.
func (d *Disk) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ValidKey(key); err != nil {
		return nil, fmt.Errorf("get: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	b, err := d.readFile(key)
	if err != nil {
		if missing(err) {
			return nil, fmt.Errorf("get %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	return b, nil
}

// Stat describes the object under key; see Store.
func (d *Disk) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, fmt.Errorf("stat: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("stat %s: %w", key, err)
	}
	fi, err := d.root.Stat(key)
	if err != nil {
		if missing(err) {
			return Info{}, fmt.Errorf("stat %s: %w", key, ErrNotFound)
		}
		return Info{}, fmt.Errorf("stat %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		return Info{}, fmt.Errorf("stat %s: %w", key, ErrNotFound)
	}
	return Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Delete removes the object under key, if any; see Store.
func (d *Disk) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if d.readOnly {
		return fmt.Errorf("delete %s: %w", key, ErrReadOnly)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	fi, err := d.root.Lstat(key)
	if err != nil {
		if missing(err) {
			return nil
		}
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if fi.IsDir() {
		return nil // no object here, only other objects' directory
	}
	if err := d.root.Remove(key); err != nil {
		if missing(err) {
			return nil
		}
		return fmt.Errorf("delete %s: %w", key, err)
	}
	if err := d.syncDir(path.Dir(key)); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// List calls fn for every object whose key begins with prefix, in key order;
// see Store. It reads only the directories where such keys can be, starting
// at the one the prefix names up to its last '/'.
func (d *Disk) List(ctx context.Context, prefix string, fn func(Info) error) error {
	dir, base := ".", ""
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		dir, base = prefix[:i], prefix[:i+1]
		if ValidKey(dir) != nil { // no valid key begins with prefix
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("list %q: %w", prefix, err)
			}
			return nil
		}
	}
	err := d.listDir(ctx, dir, base, prefix, fn)
	if stop, ok := err.(errStop); ok {
		return stop.err
	}
	return err
}

// errStop carries fn's error out of the recursion, to be returned unwrapped.
type errStop struct{ err error }

func (e errStop) Error() string { return e.err.Error() }

// listDir walks directory dir, whose objects' keys begin with base ("" or
// "a/b/"), descending only where keys with prefix can be.
//
// Entries are visited in the order of name for files and name+"/" for
// directories, which makes the walk yield keys in lexical order of the whole
// key: "a.json" ('.' < '/') comes before everything under "a/", and "a0"
// after it.
func (d *Disk) listDir(ctx context.Context, dir, base, prefix string, fn func(Info) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("list %q: %w", prefix, err)
	}
	f, err := d.root.Open(dir)
	if err != nil {
		if dir != "." && missing(err) { // no such directory, or removed meanwhile
			return nil
		}
		return fmt.Errorf("list %q: %w", prefix, err)
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		if dir != "." && missing(err) { // an object, not a directory
			return nil
		}
		return fmt.Errorf("list %q: %w", prefix, err)
	}
	type entry struct {
		order string
		e     fs.DirEntry
	}
	sorted := make([]entry, 0, len(entries))
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, TempPrefix):
		case e.IsDir():
			sorted = append(sorted, entry{name + "/", e})
		case e.Type().IsRegular():
			sorted = append(sorted, entry{name, e})
		}
	}
	slices.SortFunc(sorted, func(a, b entry) int { return strings.Compare(a.order, b.order) })
	for _, s := range sorted {
		key := base + s.order
		if s.e.IsDir() {
			// Descend only where keys with the prefix can be.
			if strings.HasPrefix(key, prefix) || strings.HasPrefix(prefix, key) {
				if err := d.listDir(ctx, path.Join(dir, s.e.Name()), key, prefix, fn); err != nil {
					return err
				}
			}
			continue
		}
		if !strings.HasPrefix(key, prefix) || ValidKey(key) != nil {
			continue
		}
		fi, err := s.e.Info()
		if err != nil {
			if missing(err) { // deleted meanwhile
				continue
			}
			return fmt.Errorf("list %q: %w", prefix, err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("list %q: %w", prefix, err)
		}
		if err := fn(Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}); err != nil {
			return errStop{err}
		}
	}
	return nil
}
