//go:build linux

package testhelper

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// signalsEnv holds the signals that a helper must start with blocked and
// ignored: "blocked=28,ignored=2", as SignalsEnv writes it.
const signalsEnv = "TESTHELPER_SIGNALS"

// SignalsEnv returns the environment entry that makes a process of this
// test binary (a helper, or a TestMain that calls StartWithSignals) begin
// with blocked signals blocked and ignored ones ignored, as a parent such
// as perf (SIGWINCH blocked) or nohup (SIGHUP ignored) starts it. The Go
// runtime cannot be told so once it runs, hence the exec.
func SignalsEnv(blocked, ignored []syscall.Signal) string {
	list := func(sigs []syscall.Signal) string {
		var s []string
		for _, sig := range sigs {
			s = append(s, strconv.Itoa(int(sig)))
		}
		return strings.Join(s, ":")
	}
	return fmt.Sprintf("%s=blocked=%s,ignored=%s", signalsEnv, list(blocked), list(ignored))
}

// StartWithSignals, when SignalsEnv's entry is in the environment, removes
// it, blocks and ignores the signals it names and executes this binary
// again with its arguments: the new image starts with them as a parent
// would have left them. It returns when the entry is absent, and exits 2
// when it is malformed or the exec fails.
func StartWithSignals() {
	v, ok := os.LookupEnv(signalsEnv)
	if !ok {
		return
	}
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "testhelper: %s=%q: %v\n", signalsEnv, v, err)
		os.Exit(2)
	}
	os.Unsetenv(signalsEnv)
	b, i, ok1 := strings.Cut(v, ",")
	blocked, ok2 := strings.CutPrefix(b, "blocked=")
	ignored, ok3 := strings.CutPrefix(i, "ignored=")
	if !ok1 || !ok2 || !ok3 {
		fail(fmt.Errorf("want blocked=N:N...,ignored=N:N..."))
	}
	signals := func(list string) []int {
		var sigs []int
		for _, n := range strings.Split(list, ":") {
			if n == "" {
				continue
			}
			sig, err := strconv.Atoi(n)
			if err != nil || sig < 1 || sig > 64 {
				fail(fmt.Errorf("bad signal %q", n))
			}
			sigs = append(sigs, sig)
		}
		return sigs
	}
	runtime.LockOSThread()
	for _, sig := range signals(ignored) {
		// The kernel's struct sigaction starts with the handler; 1 is SIG_IGN.
		act := [4]uint64{1}
		if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0); e != 0 {
			fail(fmt.Errorf("ignoring signal %d: %v", sig, e))
		}
	}
	var mask unix.Sigset_t
	for _, sig := range signals(blocked) {
		mask.Val[(sig-1)/64] |= 1 << ((sig - 1) % 64)
	}
	// Only this thread, which executes, needs the mask: execve keeps it.
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &mask, nil); err != nil {
		fail(fmt.Errorf("blocking: %v", err))
	}
	fail(syscall.Exec(self, os.Args, os.Environ()))
}
