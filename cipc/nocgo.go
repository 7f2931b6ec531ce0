//go:build !cgo || !linux

package cipc

import (
	"errors"
	"runtime"
)

// Available reports whether the package was built with cgo on Linux and
// holds the C forms. Otherwise it holds nothing else.
const Available = false

// ErrNoCgo says why the C forms are missing: no cgo, or not Linux.
var ErrNoCgo = errors.New(missing())

func missing() string {
	if runtime.GOOS != "linux" {
		return "cipc: Linux only: the C forms need Linux's libc (<mqueue.h>, POSIX semaphores, ...) and cgo; not supported on " + runtime.GOOS
	}
	return "cipc: built without cgo (CGO_ENABLED=0): the C forms need cgo and a C compiler"
}
