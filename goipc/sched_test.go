//go:build linux

package goipc

import (
	"testing"
	"time"
)

// The primitives that may block pass through the scheduler about once per
// yieldInterval, and not more often.
func TestYieldSometimes(t *testing.T) {
	old := lastYield.Load()
	defer lastYield.Store(old)

	now := int64(time.Since(yieldEpoch))
	lastYield.Store(now - int64(yieldInterval))
	for i := 0; i < 10000 && lastYield.Load() < now; i++ {
		yieldSometimes()
	}
	if last := lastYield.Load(); last < now {
		t.Fatalf("no yield in 10000 calls %v after the last one", yieldInterval)
	}

	recent := int64(time.Since(yieldEpoch))
	lastYield.Store(recent)
	for i := 0; i < 1000; i++ {
		yieldSometimes()
	}
	if last := lastYield.Load(); last != recent && time.Duration(last-recent) < yieldInterval {
		t.Errorf("a yield %v after the last one, want at least %v", time.Duration(last-recent), yieldInterval)
	}
}
