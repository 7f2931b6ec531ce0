//go:build cgo && linux

package cipc_test

// The shared-memory cases that both sides run are in
// internal/sides/sidestest (see sides_test.go); this one needs both.

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/sides/cside"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
)

// TestShmSharedBetweenSides maps one object on both sides in this process:
// what one writes, the other reads, and a read-only mapping works.
func TestShmSharedBetweenSides(t *testing.T) {
	c, g := cside.API(), goside.API()
	for _, pair := range [][2]sides.API{{c, g}, {g, c}} {
		w, r := pair[0], pair[1]
		t.Run(w.Name+"-writes", func(t *testing.T) {
			t.Parallel()
			name, fd := sidestest.ShmObject(t, w.Shm, 4096)
			wm, err := w.Shm.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
			if err != nil {
				t.Fatal(err)
			}
			rfd, err := r.Shm.Open(name, unix.O_RDONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(rfd)
			rm, err := r.Shm.Mmap(rfd, 0, 4096, unix.PROT_READ, unix.MAP_SHARED)
			if err != nil {
				t.Fatal(err)
			}
			msg := "written by " + w.Name
			copy(wm, msg+"\x00")
			if got := string(rm[:len(msg)]); got != msg {
				t.Errorf("%s reads %q, want %q", r.Name, got, msg)
			}
			for _, m := range []struct {
				s sides.API
				b []byte
			}{{w, wm}, {r, rm}} {
				if err := m.s.Shm.Munmap(m.b); err != nil {
					t.Errorf("%s: Munmap: %v", m.s.Name, err)
				}
			}
			if err := r.Shm.Unlink(name); err != nil {
				t.Error(err)
			}
		})
	}
}
