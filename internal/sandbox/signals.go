//go:build linux

package sandbox

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A program in a sandbox starts as it would from a login shell: no signal
// blocked, none ignored. The runner may have been started otherwise (perf
// blocks SIGWINCH in what it runs, a shell's background job ignores
// SIGINT, nohup ignores SIGHUP), and the Go runtime hands that on: its
// threads keep the mask it started with, less the signals it never lets
// be blocked, a process it starts gets the forking thread's, and SIGHUP
// and SIGINT stay ignored if they were. With SIGWINCH blocked, every
// scenario that signals a waiting program waited out its deadline.

// kernelSigaction is the kernel's struct sigaction as rt_sigaction takes
// it on amd64 and arm64 (the Go runtime's sigactiont for both). Only the
// handler, first, is read; all zero is SIG_DFL.
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

// glibcOwn reports whether sig is one of the two signals glibc keeps for
// its threads (SIGCANCEL 32, SIGSETXID 33): a program cannot set them,
// and glibc installs its handlers whatever it inherited. GNU make starts
// its commands with both ignored; they are left as they are.
func glibcOwn(sig int) bool { return sig == 32 || sig == 33 }

// ignored reports whether sig is ignored (SIG_IGN) in this process.
func ignored(sig int) bool {
	var old kernelSigaction
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(unsafe.Pointer(&old)), sigSize, 0, 0)
	return e == 0 && old.handler == sigIgn
}

// inherited returns the signals blocked in the calling thread's mask and
// those ignored in this process.
func inherited() (blocked, ignoredSigs []int) {
	var set unix.Sigset_t
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, nil, &set); err != nil {
		return []int{0}, nil // unreadable: not clean
	}
	for sig := 1; sig <= maxSig; sig++ {
		if glibcOwn(sig) {
			continue
		}
		if set.Val[(sig-1)/64]&(1<<((sig-1)%64)) != 0 {
			blocked = append(blocked, sig)
		}
		if ignored(sig) {
			ignoredSigs = append(ignoredSigs, sig)
		}
	}
	return blocked, ignoredSigs
}

// InheritedSignals says which signals a process that this one starts
// through the Go runtime would find blocked or ignored ("SIGWINCH
// blocked"), or "" when none. The runtime hands on the mask of the thread
// that starts the process, and ignored SIGHUP and SIGINT.
func InheritedSignals() string {
	blocked, ignoredSigs := inherited()
	var said []string
	for _, sig := range blocked {
		said = append(said, signalName(sig)+" blocked")
	}
	for _, sig := range ignoredSigs {
		said = append(said, signalName(sig)+" ignored")
	}
	return strings.Join(said, ", ")
}

// StartClean executes this binary again, with its arguments and
// environment, when it started with signals blocked (or ignored, with
// ignoredToo): the new image starts with none, so that the processes it
// starts do too, which the Go runtime cannot be told once it runs. It
// returns nil at once when there is nothing to clear, and an error when
// the signals could not be cleared or the exec failed.
//
// The sandbox's init calls it; so do ipcparity and the tests, for the
// mask only: a command started with SIGHUP ignored by nohup must go on
// ignoring it.
func StartClean(ignoredToo bool) error {
	blocked, ignoredSigs := inherited()
	if len(blocked) == 0 && (!ignoredToo || len(ignoredSigs) == 0) {
		return nil
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	clearSignals(ignoredToo)
	if blocked, ignoredSigs = inherited(); len(blocked) > 0 || ignoredToo && len(ignoredSigs) > 0 {
		return fmt.Errorf("signals still blocked or ignored after clearing: %v, %v", blocked, ignoredSigs)
	}
	return fmt.Errorf("executing itself again without the signals it inherited: %w", syscall.Exec("/proc/self/exe", os.Args, os.Environ()))
}

func signalName(sig int) string {
	if name := unix.SignalName(unix.Signal(sig)); name != "" {
		return name
	}
	return fmt.Sprintf("signal %d", sig)
}

// clearSignals unblocks every signal of the calling thread and, with
// ignoredToo, sets every ignored signal back to its default. execve then
// resets the handlers the Go runtime installed; a signal left pending by
// the old mask is taken here, by the runtime's handler.
func clearSignals(ignoredToo bool) {
	var none unix.Sigset_t
	unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&none)), 0, sigSize, 0, 0)
	if !ignoredToo {
		return
	}
	var dfl kernelSigaction
	for sig := 1; sig <= maxSig; sig++ {
		if !glibcOwn(sig) && ignored(sig) {
			unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, sigSize, 0, 0)
		}
	}
}
