//go:build linux

package goipc_test

import (
	"fmt"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// sigset is a set of the signals given.
func sigset(sigs ...unix.Signal) *unix.Sigset_t {
	var set unix.Sigset_t
	for _, s := range sigs {
		set.Val[0] |= 1 << (s - 1)
	}
	return &set
}

func ExampleSigprocmask() {
	// The mask is the thread's: keep to one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var old, now unix.Sigset_t
	if err := goipc.Sigprocmask(unix.SIG_BLOCK, sigset(unix.SIGWINCH), &old); err != nil {
		fmt.Println(err)
		return
	}
	goipc.Sigprocmask(unix.SIG_BLOCK, nil, &now)
	fmt.Println(now.Val[0]&^old.Val[0] == 1<<(unix.SIGWINCH-1))
	// SIGKILL cannot be blocked: the kernel leaves it out.
	goipc.Sigprocmask(unix.SIG_SETMASK, sigset(unix.SIGKILL), nil)
	goipc.Sigprocmask(unix.SIG_SETMASK, &old, &now)
	fmt.Println(now.Val[0])
	// Output:
	// true
	// 0
}

func ExampleSigpending() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var old, pending unix.Sigset_t
	goipc.Sigprocmask(unix.SIG_BLOCK, sigset(unix.SIGWINCH), &old)
	goipc.Raise(int(unix.SIGWINCH))
	goipc.Sigpending(&pending)
	fmt.Println(pending.Val[0] == 1<<(unix.SIGWINCH-1))
	// Unblocked, it is delivered (the Go runtime ignores SIGWINCH).
	goipc.Sigprocmask(unix.SIG_SETMASK, &old, nil)
	goipc.Sigpending(&pending)
	fmt.Println(pending.Val[0])
	// Output:
	// true
	// 0
}

func ExampleRaise() {
	// The recording handler, and SIGUSR2 sent to this thread: it is
	// caught before Raise returns.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	goipc.Sigaction(int(unix.SIGUSR2), goipc.SigRecord, 0, nil)
	defer goipc.Sigaction(int(unix.SIGUSR2), goipc.SigIgn, 0, nil)
	goipc.Caught()
	fmt.Println(goipc.Raise(int(unix.SIGUSR2)))
	fmt.Println(syscall.Signal(goipc.Caught()[0]))
	// Output:
	// <nil>
	// user defined signal 2
}

func ExampleSigsuspend() {
	// SIGUSR2 blocked and sent: sigsuspend lets it through, the handler
	// runs, and sigsuspend returns EINTR with the mask as it was.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	goipc.Sigaction(int(unix.SIGUSR2), goipc.SigRecord, 0, nil)
	defer goipc.Sigaction(int(unix.SIGUSR2), goipc.SigIgn, 0, nil)
	goipc.Caught()
	var old unix.Sigset_t
	goipc.Sigprocmask(unix.SIG_BLOCK, sigset(unix.SIGUSR2), &old)
	defer goipc.Sigprocmask(unix.SIG_SETMASK, &old, nil)
	goipc.Raise(int(unix.SIGUSR2))
	err := goipc.Sigsuspend(&old)
	fmt.Println(err == unix.EINTR, syscall.Signal(goipc.Caught()[0]))
	// Output:
	// true user defined signal 2
}

func ExamplePause() {
	// Pause waits until a handler has run on its thread: another
	// goroutine signals that thread until it does.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	goipc.Sigaction(int(unix.SIGUSR2), goipc.SigRecord, 0, nil)
	defer goipc.Sigaction(int(unix.SIGUSR2), goipc.SigIgn, 0, nil)
	goipc.Caught()
	tid, done := unix.Gettid(), make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				unix.Tgkill(unix.Getpid(), tid, unix.SIGUSR2)
			}
		}
	}()
	err := goipc.Pause()
	close(done)
	fmt.Println(err)
	// Output:
	// interrupted system call
}
