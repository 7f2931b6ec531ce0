//go:build linux && (386 || amd64 || arm || mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || s390x || sparc64)

package goipc

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// unlink calls the unlink system call, as glibc does on the architectures
// that have it (x/sys/unix.Unlink would call unlinkat instead).
func unlink(path string) error {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return err
	}
	_, _, e := unix.Syscall(unix.SYS_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}
