//go:build cgo && linux

package cipc_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides/cside"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// TestStrerror compares goipc's table with glibc's strerror for every
// errno Linux defines (0 to 133) and for a few it does not.
func TestStrerror(t *testing.T) {
	t.Parallel()
	c, g := cside.API().Errors.Strerror, goside.API().Errors.Strerror
	errnos := []unix.Errno{134, 200, 4096, unix.Errno(^uintptr(0))} // -1 as a C int
	for e := unix.Errno(0); e <= 133; e++ {
		errnos = append(errnos, e)
	}
	for _, e := range errnos {
		if cs, gs := c(e), g(e); cs != gs {
			t.Errorf("errno %d (%s): mismatch (-c +go):\n-%q\n+%q", int(e), unix.ErrnoName(e), cs, gs)
		}
	}
}
