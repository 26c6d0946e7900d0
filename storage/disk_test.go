package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/storage/storetest"
)

// crashEnv, when set to a directory, makes the test binary a crash-test
// child: it writes objects there until it is killed.
const crashEnv = "GISA_STORAGE_CRASH_CHILD_DIR"

func TestMain(m *testing.M) {
	// Tests never leave the machine: the AWS SDK's credential chain, with
	// no credentials, would ask the EC2 metadata address. Only a run
	// against real AWS (GISA_TEST_S3_ENDPOINT=aws) may use an instance role.
	if os.Getenv("GISA_TEST_S3_ENDPOINT") != "aws" {
		os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	}
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(dir)
		os.Exit(2) // not reached: the child runs until killed
	}
	os.Exit(m.Run())
}

func newDisk(t testing.TB, dir string) *storage.Disk {
	t.Helper()
	d, err := storage.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestDisk(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storage.Store {
		return newDisk(t, t.TempDir())
	})
}

// tempFiles lists the temporary files under dir, as the file system has them.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var temps []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// A temporary file: in a directory, or with a name, that begins
		// with TempPrefix.
		if rel, _ := filepath.Rel(dir, p); !e.IsDir() && strings.Contains("/"+filepath.ToSlash(rel), "/"+storage.TempPrefix) {
			temps = append(temps, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return temps
}

func listKeys(t *testing.T, s storage.Store, prefix string) []string {
	t.Helper()
	var ks []string
	if err := s.List(t.Context(), prefix, func(i storage.Info) error {
		ks = append(ks, i.Key)
		return nil
	}); err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return ks
}

func TestDiskFiles(t *testing.T) {
	dir := t.TempDir()
	d := newDisk(t, dir)
	if err := d.Put(t.Context(), "articles/hani/2024/01/31/hani-1.json", []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "articles", "hani", "2024", "01", "31", "hani-1.json"))
	if err != nil || string(b) != "{}\n" {
		t.Fatalf("the object is not the file its key names: %q, %v", b, err)
	}
	if temps := tempFiles(t, dir); len(temps) != 0 {
		t.Errorf("Put left temporary files: %q", temps)
	}
}

func TestDiskRecoversTempFiles(t *testing.T) {
	dir := t.TempDir()
	d := newDisk(t, dir)
	if d.Recovered() != 0 {
		t.Errorf("Recovered() of a new directory = %d", d.Recovered())
	}
	if err := d.Put(t.Context(), "a/obj", []byte("whole")); err != nil {
		t.Fatal(err)
	}
	// What a crash in the middle of Puts leaves: files in the temporary
	// directory.
	for _, p := range []string{storage.TempPrefix + "writes/1", storage.TempPrefix + "writes/2", storage.TempPrefix + "writes/3"} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("par"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if ks := listKeys(t, d, ""); !slices.Equal(ks, []string{"a/obj"}) {
		t.Errorf("List shows temporary files: %q", ks)
	}
	d2 := newDisk(t, dir)
	if d2.Recovered() != 3 {
		t.Errorf("Recovered() = %d, want 3", d2.Recovered())
	}
	if temps := tempFiles(t, dir); len(temps) != 0 {
		t.Errorf("NewDisk left temporary files: %q", temps)
	}
	if b, err := d2.Get(t.Context(), "a/obj"); err != nil || string(b) != "whole" {
		t.Errorf("Get after recovery = %q, %v", b, err)
	}
}

// TestDiskKeyConflicts: a key cannot be an object and a directory at once.
func TestDiskKeyConflicts(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	d := newDisk(t, dir)
	if err := d.Put(ctx, "a/b", []byte("x")); err != nil {
		t.Fatal(err)
	}
	err := d.Put(ctx, "a", []byte("y"))
	if err == nil || !strings.Contains(err.Error(), `put a: key is a directory`) {
		t.Errorf("Put of a key that is a directory: error %v, want one naming the key", err)
	}
	err = d.Put(ctx, "a/b/c", []byte("y"))
	if err == nil || !strings.Contains(err.Error(), "put a/b/c: a/b is an object") {
		t.Errorf("Put under a key that is an object: error %v, want one naming both", err)
	}
	if !errors.Is(err, storage.ErrPermanent) {
		t.Errorf("Put under a key that is an object: error %v does not wrap ErrPermanent", err)
	}
	if err := d.Put(ctx, "a", []byte("y")); !errors.Is(err, storage.ErrPermanent) {
		t.Errorf("Put of a key that is a directory: error %v does not wrap ErrPermanent", err)
	}
	if _, err := d.Get(ctx, "a"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Get of a directory: error %v, want ErrNotFound", err)
	}
	if _, err := d.Stat(ctx, "a"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Stat of a directory: error %v, want ErrNotFound", err)
	}
	if err := d.Delete(ctx, "a"); err != nil {
		t.Errorf("Delete of a directory: %v", err)
	}
	if ks := listKeys(t, d, ""); !slices.Equal(ks, []string{"a/b"}) {
		t.Errorf("after the conflicts List = %q, want [a/b]", ks)
	}
	if temps := tempFiles(t, dir); len(temps) != 0 {
		t.Errorf("failed Puts left temporary files: %q", temps)
	}
}

// readOnly makes dir refuse writes: chmod for ordinary users; for root,
// who ignores permissions, the immutable attribute (chattr +i), which the
// kernel enforces for root too. It skips the test when neither is possible.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i is not available here (%v: %s): root bypasses file permissions", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
}

func TestDiskNotWritable(t *testing.T) {
	ctx := t.Context()
	parent := t.TempDir()
	d := newDisk(t, parent)
	if err := d.Put(ctx, "kept.json", []byte(`{"kept":true}`)); err != nil {
		t.Fatal(err)
	}
	readOnly(t, parent)

	_, err := storage.NewDisk(filepath.Join(parent, "archive"))
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("NewDisk under a read-only directory: error %v, want permission denied", err)
	}
	d = newDisk(t, parent) // opening a read-only directory is fine: reading works
	err = d.Put(ctx, "a/b.json", []byte("x"))
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "a/b.json") {
		t.Errorf("Put into a read-only directory: error %v, want permission denied naming the key", err)
	}
	if !errors.Is(err, storage.ErrPermanent) {
		t.Errorf("Put into a read-only directory: error %v does not wrap ErrPermanent", err)
	}
	if _, err := d.Get(ctx, "a/b.json"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Get after a failed Put: error %v, want ErrNotFound", err)
	}
	// A refused overwrite leaves what was archived as it was.
	err = d.Put(ctx, "kept.json", []byte("new"))
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "kept.json") {
		t.Errorf("overwrite in a read-only directory: error %v, want permission denied naming the key", err)
	}
	if b, err := d.Get(ctx, "kept.json"); err != nil || string(b) != `{"kept":true}` {
		t.Errorf("after a refused overwrite: %q, %v", b, err)
	}
}

func TestDiskNewDiskOnFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.NewDisk(file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("NewDisk on a file: error %v, want one naming it", err)
	}
	if _, err := storage.NewDisk(""); err == nil {
		t.Errorf("NewDisk(\"\") succeeded")
	}
}

// TestDiskStaysInside: a symbolic link placed in the directory cannot lead a
// key outside it.
func TestDiskStaysInside(t *testing.T) {
	ctx := t.Context()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	d := newDisk(t, dir)
	rel, err := filepath.Rel(dir, outside)
	if err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"abs": outside, "rel": rel} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot make symbolic links: %v", err)
		}
		if b, err := d.Get(ctx, name+"/secret"); err == nil || string(b) == "secret" {
			t.Errorf("Get through a %s link outside: %q, %v; want an error", name, b, err)
		}
		if err := d.Put(ctx, name+"/new", []byte("x")); err == nil {
			t.Errorf("Put through a %s link outside succeeded", name)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "new")); err == nil {
		t.Errorf("a Put wrote outside the directory")
	}
	if ks := listKeys(t, d, ""); len(ks) != 0 {
		t.Errorf("List shows %q", ks)
	}
}

// TestDiskSkipsInvalidNames: files put in the directory by hand under names
// that are not valid keys are not listed.
func TestDiskSkipsInvalidNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"ok", "back\\slash", "new\nline"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := newDisk(t, dir)
	if ks := listKeys(t, d, ""); !slices.Equal(ks, []string{"ok"}) {
		t.Errorf("List = %q, want [ok]", ks)
	}
}

// crashObject is what the crash-test child writes: whole when len(Fill) is N.
type crashObject struct {
	Writer, Seq, N int
	Fill           string
}

// crashChild writes objects under dir from several goroutines, forever.
func crashChild(dir string) {
	d, err := storage.NewDisk(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ready")
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for seq := 0; ; seq++ {
				n := rand.IntN(128 << 10)
				b, _ := json.Marshal(crashObject{w, seq, n, strings.Repeat("가", n/3)})
				// Some keys are rewritten, some new, in new directories
				// too. Few keys, so that most Puts replace an object:
				// only those leave a temporary file to a kill (a new
				// object is an unnamed file until linked in, on Linux).
				key := fmt.Sprintf("obj/%d/%d-%d.json", rand.IntN(4), w, rand.IntN(4))
				if err := d.Put(ctx, key, b); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
		})
	}
	wg.Wait()
}

// TestDiskCrash kills a process that is writing objects at random moments,
// then checks that NewDisk removes the temporary files left and that every
// object is whole. (A killed process leaves its written data in the page
// cache; what this cannot test is the fsyncs against a power loss.)
func TestDiskCrash(t *testing.T) {
	const budget = 5 * time.Second
	dir := t.TempDir()
	start := time.Now()
	recovered, objects, iterations, changed := 0, 0, 0, 0
	var last []byte // the objects after the last kill
	for ; iterations < 40 && time.Since(start) < budget; iterations++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+dir)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("crash child did not start: %q, %v", line, err)
		}
		<-time.After(time.Duration(rand.IntN(40)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		if err := cmd.Wait(); err == nil || cmd.ProcessState.Exited() {
			t.Fatalf("crash child ended by itself (%v): see its output", err)
		}

		d, err := storage.NewDisk(dir)
		if err != nil {
			t.Fatal(err)
		}
		recovered += d.Recovered()
		if temps := tempFiles(t, dir); len(temps) != 0 {
			t.Fatalf("after NewDisk, temporary files remain: %q", temps)
		}
		objects = 0
		var all []byte
		err = d.List(t.Context(), "", func(info storage.Info) error {
			objects++
			b, err := d.Get(t.Context(), info.Key)
			if err != nil {
				return err
			}
			all = append(append(all, info.Key...), b...)
			var o crashObject
			if err := json.Unmarshal(b, &o); err != nil {
				return fmt.Errorf("%s is torn (%d bytes): %v", info.Key, len(b), err)
			}
			if len(o.Fill) != 3*(o.N/3) {
				return fmt.Errorf("%s is not whole: %d bytes of fill, want %d", info.Key, len(o.Fill), 3*(o.N/3))
			}
			return nil
		})
		d.Close()
		if err != nil {
			t.Fatalf("iteration %d: %v", iterations, err)
		}
		if !bytes.Equal(all, last) {
			changed++
		}
		last = all
	}
	t.Logf("%d kills in %v, %d of them after writes: %d temporary files recovered, %d whole objects at the end",
		iterations, time.Since(start).Round(time.Millisecond), changed, recovered, objects)
	// The child's workers do nothing but Puts: a kill after writes is one
	// amid Puts. (Few kills leave a temporary file: on Linux only a Put
	// replacing an object names one, and only from its link to its
	// rename; TestDiskRecoversTempFiles tests their removal.)
	if changed < 2 {
		t.Errorf("only %d kills came after writes: the test did not test anything", changed)
	}
}

// TestDiskFull writes into a 64 KiB file system: a Put that does not fit
// fails with an error naming the key and ENOSPC, leaves no temporary file,
// and what was archived before stays whole. It needs to mount a tmpfs
// (root, as in CI); elsewhere it skips.
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (%v: %s); needs root", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	ctx := t.Context()
	d := newDisk(t, dir)
	if err := d.Put(ctx, "articles/kept.json", []byte(`{"kept":true}`)); err != nil {
		t.Fatal(err)
	}
	err := d.Put(ctx, "articles/big.json", bytes.Repeat([]byte("가"), 100<<10))
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "articles/big.json") {
		t.Fatalf("Put on a full disk: error %v, want ENOSPC naming the key", err)
	}
	if !errors.Is(err, storage.ErrPermanent) {
		t.Errorf("Put on a full disk: error %v does not wrap ErrPermanent", err)
	}
	if b, err := d.Get(ctx, "articles/kept.json"); err != nil || string(b) != `{"kept":true}` {
		t.Errorf("after a failed Put: %q, %v", b, err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "articles"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "kept.json" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
