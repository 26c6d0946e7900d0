//go:build !linux

package storage

// readFile reads the object under key, a valid key, through the os.Root.
func (d *Disk) readFile(key string) ([]byte, error) { return d.root.ReadFile(key) }
