package frontier

import (
	"testing"

	"github.com/gisa-news/gisa/internal/lazy/lazytest"
)

// TestLazyAtStart checks that loading the package hashes none of its Redis
// scripts (redis.NewScript takes each script's SHA-1: 22 KB of every gisa
// command's start-up, Redis or not).
func TestLazyAtStart(t *testing.T) {
	lazytest.NotBuiltAtStart(t, "TestLazyAtStart", map[string]lazytest.Builder{
		"scriptAcquire": scriptAcquire, "scriptGateRelease": scriptGateRelease, "scriptHold": scriptHold,
		"scriptSetDelay": scriptSetDelay, "scriptRenewLock": scriptRenewLock, "scriptUnlock": scriptUnlock,
		"scriptClaimSlot": scriptClaimSlot, "scriptAdd": scriptAdd, "scriptLease": scriptLease,
		"scriptDone": scriptDone, "scriptRetry": scriptRetry, "scriptRelease": scriptRelease,
		"scriptRenew": scriptRenew, "scriptHosts": scriptHosts,
	})
}
