//go:build linux && (386 || amd64 || arm || mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || s390x || sparc64)

package goipc

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// poll calls the poll system call, as glibc does on the architectures that
// have it (x/sys/unix.Poll would call ppoll instead).
func poll(fds []unix.PollFd, timeout int) (int, error) {
	var p unsafe.Pointer
	if len(fds) > 0 {
		p = unsafe.Pointer(&fds[0])
	}
	n, _, e := unix.Syscall(unix.SYS_POLL, uintptr(p), uintptr(len(fds)), uintptr(timeout))
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}
