//go:build linux

package storage

// DisableOpenat2 makes d read as where openat2 is refused: through its
// os.Root.
func DisableOpenat2(d *Disk) { d.noOpenat2.Store(true) }
