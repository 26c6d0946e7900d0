package warc_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os/exec"
	"syscall"
	"testing"

	"github.com/gisa-news/gisa/storage"
	"github.com/gisa-news/gisa/warc"
)

// TestSpoolFullIsPermanent: a spool on a full disk fails the Write with an
// error wrapping storage.ErrPermanent (and ENOSPC), so that a crawl stops
// at it instead of fetching pages it cannot keep. It needs to mount a small
// tmpfs (root, as in CI); elsewhere it skips.
func TestSpoolFullIsPermanent(t *testing.T) {
	spool := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", spool).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (%v: %s); needs root", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", spool).Run() })
	w := newWriter(t, newMemStore(), warc.Options{SpoolDir: spool})
	t.Cleanup(func() { w.Close(context.Background()) }) // before the umount
	p := testPage(1, t0)
	p.Body = make([]byte, 200<<10)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(p.Body) // incompressible
	_, err := w.Write(t.Context(), p)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Write on a full spool: error %v, want ENOSPC", err)
	}
	if !errors.Is(err, storage.ErrPermanent) {
		t.Errorf("Write on a full spool: error %v does not wrap storage.ErrPermanent", err)
	}
}
