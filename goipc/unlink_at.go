//go:build linux && !(386 || amd64 || arm || mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || s390x || sparc64)

package goipc

import "golang.org/x/sys/unix"

// unlink calls unlinkat(AT_FDCWD, path, 0), as glibc does on the
// architectures that have no unlink system call (arm64, riscv64, loong64).
func unlink(path string) error {
	return unix.Unlinkat(unix.AT_FDCWD, path, 0)
}
