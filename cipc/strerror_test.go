//go:build cgo && linux

package cipc_test

import (
	"testing"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// TestStrerror compares goipc's table with glibc's strerror for every
// errno Linux defines (0 to 133) and for a few it does not.
func TestStrerror(t *testing.T) {
	errnos := []unix.Errno{134, 200, 4096, unix.Errno(^uintptr(0))} // -1 as a C int
	for e := unix.Errno(0); e <= 133; e++ {
		errnos = append(errnos, e)
	}
	for _, e := range errnos {
		if c, g := cipc.Strerror(e), goipc.Strerror(e); c != g {
			t.Errorf("errno %d (%s): mismatch (-c +go):\n-%q\n+%q", int(e), unix.ErrnoName(e), c, g)
		}
	}
}
