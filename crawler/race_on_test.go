//go:build race

package crawler

// raceEnabled: the race detector is on, and sync.Pool drops a share of
// what is put into it at random, so pooled buffers are not always reused.
const raceEnabled = true
