//go:build linux

package compare

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

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
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return EachIn(ctx, j, order, f)
}

// EachIn is Each over the indices of order, started in that order: with
// the costliest first (see Schedule), the last to finish are short. The
// results are in index order.
func EachIn[T any](ctx context.Context, j int, order []int, f func(i int) T) []T {
	out := make([]T, len(order))
	if j < 1 {
		j = 1
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(j, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = f(i)
			}
		}()
	}
	for _, i := range order {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Schedule returns the indices of costs, costliest first (ties in index
// order): started so, j at a time, long jobs do not end a check alone on
// one CPU while the others idle.
func Schedule(costs []time.Duration) []int {
	order := make([]int, len(costs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(costs[b], costs[a]) })
	return order
}

// Cost estimates how long a scenario's runs take together, to order them
// (Schedule); it need not be exact. Measured one run at a time on 2 idle
// cores, a run takes some 20 ms (its sandbox, the programs' start), 5 ms
// more per process, about 0.8 ms per KiB that its processes get as input
// (a FIFO reader copies what it reads byte by byte), and a scenario with a
// deadline under a second is one whose programs wait until it kills them,
// unless the run ends once the wait is seen (EndAfterSteps).
func Cost(sc runner.Scenario, pairings int) time.Duration {
	run := 20 * time.Millisecond
	var bytes int
	for _, st := range sc.Steps {
		if st.Program != "" {
			run += 5 * time.Millisecond
		}
		bytes += len(st.Stdin)
		for _, a := range st.Args {
			bytes += len(a)
		}
	}
	run += time.Duration(bytes) * 800 * time.Microsecond / 1024
	if sc.Deadline > 0 && sc.Deadline < time.Second && !sc.EndAfterSteps {
		run += sc.Deadline
	}
	return time.Duration(pairings) * run
}

// ScriptCost is Cost for a call script: a run on each side, one process
// each.
const ScriptCost = 2 * 25 * time.Millisecond
