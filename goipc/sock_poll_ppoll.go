//go:build linux && !(386 || amd64 || arm || mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || s390x || sparc64)

package goipc

import "golang.org/x/sys/unix"

// poll calls ppoll with timeout turned into a timespec (none when
// negative), as glibc does on the architectures that have no poll system
// call (arm64, riscv64, loong64).
func poll(fds []unix.PollFd, timeout int) (int, error) {
	n, err := unix.Poll(fds, timeout)
	if err != nil {
		return -1, err
	}
	return n, nil
}
