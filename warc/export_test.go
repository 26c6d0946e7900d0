package warc

// SpoolFile is the open spool file as a Writer writes it, for tests that
// stand in for the disk.
type SpoolFile = spoolWriter

// OpenSpool is how a Writer creates its spool files.
var OpenSpool = openSpool

// SetSpoolOpener makes w create its spool files with open. Call it before
// the first Write.
func SetSpoolOpener(w *Writer, open func(path string) (SpoolFile, error)) {
	w.mu.Lock()
	w.openSpool = open
	w.mu.Unlock()
}
