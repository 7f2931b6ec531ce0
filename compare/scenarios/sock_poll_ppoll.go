//go:build linux && !(386 || amd64 || arm || mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || s390x || sparc64)

package scenarios

import "golang.org/x/sys/unix"

// sockPollSyscall is the system call in which the socket server waits for
// its clients: glibc's poll, and goipc.Poll, call ppoll where the kernel
// has no poll (arm64, riscv64, loong64).
const sockPollSyscall = unix.SYS_PPOLL
