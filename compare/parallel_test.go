//go:build linux

package compare

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// EachIn starts the calls in the order given and returns the results in
// index order; an order that is the identity is Each.
func TestEachInOrder(t *testing.T) {
	t.Parallel()
	order := []int{3, 0, 4, 1, 2}
	var mu sync.Mutex
	var started []int
	got := EachIn(context.Background(), 1, order, func(i int) int {
		mu.Lock()
		started = append(started, i)
		mu.Unlock()
		return 10 * i
	})
	if !slices.Equal(started, order) {
		t.Errorf("started %v, want %v", started, order)
	}
	if want := []int{0, 10, 20, 30, 40}; !slices.Equal(got, want) {
		t.Errorf("results %v, want %v (index order)", got, want)
	}
	// A reversed schedule would start 4 first: Schedule keeps ties in
	// index order.
	if s := Schedule([]time.Duration{1, 3, 3, 2}); !slices.Equal(s, []int{1, 2, 3, 0}) {
		t.Errorf("Schedule(1, 3, 3, 2) = %v, want [1 2 3 0]", s)
	}
}

// The scenarios that wait until their deadline kills a program, and those
// with large inputs, are scheduled before the quick ones: a check that
// started them last would end with one of them alone. One that ends once
// the wait is seen (EndAfterSteps) costs what a quick one does.
func TestScheduleLongFirst(t *testing.T) {
	t.Parallel()
	forms := runner.BuiltinForms(binDir)
	scs := Scenarios()
	waits := scenario("fifo", "reader-no-writer")
	waits.Name, waits.EndAfterSteps = "reader-no-writer-until-the-deadline", false
	scs = append(scs, waits)
	costs := make([]time.Duration, len(scs))
	for i, sc := range scs {
		costs[i] = Cost(sc, len(runner.Pairings(sc.Roles, forms)))
	}
	rank := map[string]int{}
	for r, i := range Schedule(costs) {
		rank[scs[i].Mechanism+"/"+scs[i].Name] = r
	}
	quick := rank["pipe/default"]
	for _, id := range []string{"fifo/" + waits.Name, "fifo/65537", "pipe/longest-argument", "sock/unix-20-clients"} {
		if r, ok := rank[id]; !ok || r >= quick {
			t.Errorf("%s is started %dth, after pipe/default (%dth)", id, r+1, quick+1)
		}
	}
	if r := rank["fifo/"+waits.Name]; r >= len(scs)/4 {
		t.Errorf("%s, which waits 4 × 500 ms, is started %dth of %d", waits.Name, r+1, len(scs))
	}
	if r := rank["fifo/reader-no-writer"]; r < len(scs)/4 {
		t.Errorf("fifo/reader-no-writer, which ends once the wait is seen, is started %dth of %d, among the long ones", r+1, len(scs))
	}
}
