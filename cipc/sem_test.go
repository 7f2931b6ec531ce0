//go:build cgo && linux

package cipc_test

// The semaphore cases that both sides run, and C against Go across
// processes, are in internal/sides/sidestest (see sides_test.go); these
// need both sides in one process.

import (
	"bytes"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/sides/cside"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
)

// TestSemInitLayout checks that both sides write the same sem_t over
// memory full of 0xff (glibc leaves the last 20 bytes alone). The file
// that sem_open writes is checked byte for byte on each side by
// sidestest.TestSem.
func TestSemInitLayout(t *testing.T) {
	t.Parallel()
	for _, pshared := range []bool{false, true} {
		var got [2][]byte
		for i, api := range []sides.API{cside.API(), goside.API()} {
			mem := sidestest.SemMem(t)
			for i := range mem[:64] {
				mem[i] = 0xff
			}
			if _, err := api.Sem.Init(mem, pshared, 3); err != nil {
				t.Fatal(err)
			}
			got[i] = append([]byte(nil), mem[:32]...)
		}
		if !bytes.Equal(got[0], got[1]) {
			t.Errorf("sem_init(pshared=%v): mismatch (-c +go):\n-% x\n+% x", pshared, got[0], got[1])
		}
	}
}

// TestSemBetweenSidesInProcess uses one sem_t from both sides in this
// process: posts from one side are tokens for the other, and the waiter
// count that a sleeping waiter of one side leaves is undone by the other's
// post.
func TestSemBetweenSidesInProcess(t *testing.T) {
	c, g := cside.API(), goside.API()
	for _, pair := range [][2]sides.API{{c, g}, {g, c}} {
		a, b := pair[0], pair[1]
		t.Run(a.Name+"-inits", func(t *testing.T) {
			t.Parallel()
			mem := sidestest.SemMem(t)
			sa, err := a.Sem.Init(mem, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			sb, err := b.Sem.At(mem)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				if err := sb.Post(); err != nil {
					t.Fatal(err)
				}
			}
			if v, _ := sa.Getvalue(); v != 3 {
				t.Errorf("%s sees %d after 3 posts by %s", a.Name, v, b.Name)
			}
			if err := sa.Trywait(); err != nil {
				t.Fatal(err)
			}
			if v, _ := sb.Getvalue(); v != 2 {
				t.Errorf("%s sees %d, want 2", b.Name, v)
			}
			for sa.Trywait() == nil {
			}
			// A waiter of side a asleep in the futex; side b posts.
			done := make(chan error)
			go func() { done <- sa.Wait() }()
			deadline := time.Now().Add(5 * time.Second)
			for sidestest.SemData(mem)>>32 != 1 {
				if time.Now().After(deadline) {
					t.Fatal("the waiter did not count itself in")
				}
				time.Sleep(time.Millisecond)
			}
			if err := sb.Post(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatalf("%s: Wait: %v", a.Name, err)
			}
			if d := sidestest.SemData(mem); d != 0 {
				t.Errorf("data %#x after the wait, want 0", d)
			}
		})
	}
}
