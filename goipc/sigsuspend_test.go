//go:build linux

package goipc

import (
	"bytes"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A recorded signal that comes while Sigsuspend gets ready, after it has
// asked os/signal again and before it waits, goes to another thread: the
// calling thread still blocks it. Its handler runs there, and Sigsuspend
// must still return EINTR, as C's does once the handler has run; it used
// to wait for a signal that had come already, and never returned (seen as
// a hang of TestSignalMask under load, when a 20 ms timer fired there).
func TestSigsuspendSignalBeforeTheWait(t *testing.T) {
	sig := unix.SIGUSR2 // as the examples: SIGUSR1 is the queue tests'
	sigsuspendWindow = func() {
		unix.Kill(os.Getpid(), sig)
		// Taken by another thread's handler: no longer pending anywhere.
		for end := time.Now().Add(time.Second); time.Now().Before(end) && pendingAnywhere(sig); {
			time.Sleep(time.Millisecond)
		}
	}
	defer func() { sigsuspendWindow = nil }()

	thread, res := onOwnThread(func() waitResult {
		Sigaction(int(sig), SigRecord, 0, nil)
		defer Sigaction(int(sig), SigIgn, 0, nil)
		Caught()
		var old unix.Sigset_t
		block := unix.Sigset_t{Val: [16]uint64{1 << (sig - 1)}}
		Sigprocmask(unix.SIG_BLOCK, &block, &old)
		defer Sigprocmask(unix.SIG_SETMASK, &old, nil)
		err := Sigsuspend(&old)
		return waitResult{err, Caught()}
	})
	expectEINTR(t, "Sigsuspend", thread, res, sig)
}

// waitResult is what a wait returned, and the signals caught by then.
type waitResult struct {
	err    error
	caught []int
}

// onOwnThread runs wait in a goroutine locked to a thread of its own, and
// returns that thread's id and the channel its result comes on.
func onOwnThread(wait func() waitResult) (int, <-chan waitResult) {
	res, tid := make(chan waitResult, 1), make(chan int, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tid <- unix.Gettid()
		res <- wait()
	}()
	return <-tid, res
}

// expectEINTR checks that the wait on thread tid ends within 2 s with
// EINTR, having caught sig (once its handler ran on another thread); a
// wait that goes on is ended by sig sent to its own thread.
func expectEINTR(t *testing.T, what string, tid int, res <-chan waitResult, sig unix.Signal) {
	t.Helper()
	select {
	case r := <-res:
		if r.err != unix.EINTR || !slices.Equal(r.caught, []int{int(sig)}) {
			t.Errorf("%s: %v, caught %v; want EINTR and [%d]", what, r.err, r.caught, sig)
		}
	case <-time.After(2 * time.Second):
		t.Errorf("%s still waits 2 s after its signal's handler ran on another thread", what)
		unix.Tgkill(os.Getpid(), tid, sig)
		<-res
	}
}

// pendingAnywhere reports whether sig is pending for the process or for
// one of its threads.
func pendingAnywhere(sig unix.Signal) bool {
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		status, err := os.ReadFile("/proc/self/task/" + task.Name() + "/status")
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(status, []byte("\n")) {
			name, mask, ok := strings.Cut(string(line), ":")
			if !ok || name != "SigPnd" && name != "ShdPnd" {
				continue
			}
			if v, err := strconv.ParseUint(strings.TrimSpace(mask), 16, 64); err == nil && v&(1<<(sig-1)) != 0 {
				return true
			}
		}
	}
	return false
}

// A process-directed signal goes to any thread of the process that does
// not block it, not necessarily the one in Pause. Its handler runs there,
// and Pause must still return EINTR, as C's one thread does. Here the
// signal goes to the test's own thread, as the kernel may choose; Pause
// used to be a bare ppoll(2), which no handler on another thread ends.
func TestPauseSignalOnAnotherThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	sig := unix.SIGUSR2
	Sigaction(int(sig), SigRecord, SA_RESTART, nil)
	defer Sigaction(int(sig), SigIgn, 0, nil)
	Caught()

	waiter, res := onOwnThread(func() waitResult {
		err := Pause()
		return waitResult{err, Caught()}
	})
	if !waitsInSyscall(waiter, unix.SYS_RT_SIGSUSPEND, unix.SYS_PPOLL) {
		unix.Tgkill(os.Getpid(), waiter, sig)
		t.Fatalf("thread %d never waited in rt_sigsuspend or ppoll", waiter)
	}
	unix.Tgkill(os.Getpid(), unix.Gettid(), sig)
	expectEINTR(t, "Pause", waiter, res, sig)
}

// waitsInSyscall waits up to a second for thread tid to be asleep in one
// of the system calls nrs (/proc/self/task/TID/syscall).
func waitsInSyscall(tid int, nrs ...int) bool {
	path := "/proc/self/task/" + strconv.Itoa(tid) + "/syscall"
	for end := time.Now().Add(time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		b, err := os.ReadFile(path)
		if err != nil {
			return false
		}
		nr, _, _ := strings.Cut(string(b), " ")
		for _, want := range nrs {
			if nr == strconv.Itoa(want) {
				return true
			}
		}
	}
	return false
}
