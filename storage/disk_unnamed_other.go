//go:build !linux

package storage

import "context"

// putUnnamed stores nothing: unnamed files (O_TMPFILE) are Linux's. Put
// writes a named temporary file.
func (d *Disk) putUnnamed(context.Context, string, []byte) (bool, error) { return false, nil }
