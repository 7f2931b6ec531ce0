//go:build linux

package goipc_test

// The semaphore cases that cipc and goipc share are in
// internal/sides/sidestest (see sides_test.go); this one is goipc's own.

import (
	"testing"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
)

// TestSemHandsOver passes data between goroutines under the semaphore
// alone: the race detector must see the post as happening before the wait
// that took its token, although the semaphore's memory is a mapping it
// does not watch. That is goipc's doing (cipc's sem_t lives in C, which
// the race detector does not see at all).
func TestSemHandsOver(t *testing.T) {
	t.Parallel()
	mem := sidestest.SemMem(t)
	full, _ := goipc.SemInit(mem, false, 0)
	empty, _ := goipc.SemInit(mem[64:], false, 1)
	var box int // guarded by the two semaphores only
	const n = 1000
	go func() {
		for i := 1; i <= n; i++ {
			empty.Wait()
			box = i
			full.Post()
		}
	}()
	sum := 0
	for i := 0; i < n; i++ {
		if err := full.Wait(); err != nil {
			t.Fatal(err)
		}
		sum += box
		empty.Post()
	}
	if sum != n*(n+1)/2 {
		t.Errorf("sum %d", sum)
	}
}
