//go:build !race

package crawler

// raceEnabled: the race detector is off.
const raceEnabled = false
