//go:build linux

package sandbox

import (
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A program in a sandbox starts as it would from a login shell: no signal
// blocked, none ignored. The runner may have been started otherwise (perf
// blocks SIGWINCH in what it runs, a shell's background job ignores
// SIGINT, nohup ignores SIGHUP), and the Go runtime hands that on: a
// process it starts gets the signal mask the runtime itself started with,
// and SIGHUP and SIGINT still ignored if they were. With SIGWINCH blocked,
// every scenario that signals a waiting program waited out its deadline.

// kernelSigaction is the kernel's struct sigaction as rt_sigaction takes it
// on amd64 and arm64. Only the handler, first, is read; all zero is SIG_DFL.
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

const (
	sigIgn  = 1  // SIG_IGN as a handler
	sigSize = 8  // the kernel's sigset_t, as rt_sigaction and rt_sigprocmask take it
	maxSig  = 64 // the last real-time signal
)

// ignored reports whether sig is ignored (SIG_IGN) in this process.
func ignored(sig int) bool {
	var old kernelSigaction
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&old)), sigSize, 0, 0)
	return e == 0 && old.handler == sigIgn
}

// InheritedSignals says which signals a process that this one starts
// through the Go runtime would find blocked or ignored ("SIGWINCH
// blocked"), or "" when none. The Go runtime never blocks some signals on
// its own threads (SIGINT, SIGTERM, SIGSEGV...) yet hands them on blocked
// when it started so: those are not seen here, and only the trampoline,
// which clears the mask itself, is sure to clear them.
func InheritedSignals() string {
	var said []string
	var set unix.Sigset_t
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, nil, &set); err != nil {
		return "the signal mask unreadable: " + err.Error()
	}
	for sig := 1; sig <= maxSig; sig++ {
		if set.Val[(sig-1)/64]&(1<<((sig-1)%64)) != 0 {
			said = append(said, signalName(sig)+" blocked")
		}
	}
	for sig := 1; sig <= maxSig; sig++ {
		if ignored(sig) {
			said = append(said, signalName(sig)+" ignored")
		}
	}
	return strings.Join(said, ", ")
}

func signalName(sig int) string {
	if name := unix.SignalName(unix.Signal(sig)); name != "" {
		return name
	}
	return fmt.Sprintf("signal %d", sig)
}

// clearSignals unblocks every signal of the calling thread and sets every
// ignored signal back to its default, with raw system calls only: the
// trampoline calls it under its limits, just before execve, which resets
// the handlers the Go runtime installed but keeps the mask and SIG_IGN.
// A signal left pending by the old mask is taken here by the runtime's
// handler, not handed to the program.
func clearSignals() {
	var none unix.Sigset_t
	unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&none)), 0, sigSize, 0, 0)
	var dfl kernelSigaction
	for sig := 1; sig <= maxSig; sig++ {
		if ignored(sig) {
			unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, sigSize, 0, 0)
		}
	}
}
