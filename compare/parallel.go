//go:build linux

package compare

import (
	"context"
	"runtime"
	"sync"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// Jobs is how many runs go at once by default: two per CPU when runs are
// sandboxed (they cannot meet, and a run spends most of its time waiting
// for its processes), else one (token-named objects and free ports taken
// by one run could be met by another).
func Jobs() int {
	if runner.Sandboxed() != nil {
		return 1
	}
	return 2 * runtime.NumCPU()
}

// Each calls f(0) ... f(n-1), j at a time, and returns the results in
// index order, whatever order they finish in. Once ctx is done, the calls
// not yet started are not made and their results are zero.
func Each[T any](ctx context.Context, j, n int, f func(i int) T) []T {
	out := make([]T, n)
	if j < 1 {
		j = 1
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(j, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = f(i)
			}
		}()
	}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
