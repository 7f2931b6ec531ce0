//go:build linux

package sidestest

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestErrors checks a few of strerror's texts on api, glibc 2.36's; cipc's
// tests compare goipc's whole table with glibc's.
func TestErrors(t *testing.T, api sides.API) {
	for _, c := range []struct {
		e    unix.Errno
		want string
	}{
		{0, "Success"},
		{unix.EINVAL, "Invalid argument"},
		{unix.EAGAIN, "Resource temporarily unavailable"},
		{unix.ENOTRECOVERABLE, "State not recoverable"},
		{134, "Unknown error 134"},
	} {
		if got := api.Errors.Strerror(c.e); got != c.want {
			t.Errorf("%s: strerror(%d) = %q, want %q", api.Name, int(c.e), got, c.want)
		}
	}
}
