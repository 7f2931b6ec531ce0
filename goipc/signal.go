//go:build linux

package goipc

import (
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The handlers of Sigaction.
const (
	SigDfl    = 0 // SIG_DFL
	SigIgn    = 1 // SIG_IGN
	SigRecord = 2 // a handler that records each signal it catches (Caught)
)

// The sa_flags of <signal.h> that Sigaction passes on.
const (
	SA_NODEFER   = 0x40000000
	SA_RESETHAND = 0x80000000
	SA_RESTART   = 0x10000000
)

// sigaction is the kernel's struct sigaction for rt_sigaction(2) on amd64
// and arm64.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

func rtSigaction(sig int, act, old *sigaction) error {
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// sigSentinel is the signal Caught sends itself to know that every signal
// caught before has come through os/signal: the runtime hands signals
// over in the order of their numbers, and this is the last one.
const sigSentinel = syscall.Signal(64)

// recorder is the recording handler.
var recorder recorderState

// recorderState is the recording handler: os/signal's channel, and which
// signals it was asked for.
type recorderState struct {
	sync.Mutex
	ch       chan os.Signal
	notified map[int]bool
	// goAction is the runtime's own action, taken from SIGURG (which
	// it always handles, for preemption) before any change.
	goAction sigaction
	ready    bool
	// held are the signals of notified that the caller's thread blocks,
	// which os/signal is not asked for meanwhile (Sigprocmask).
	held map[int]bool
	// caught is what flush took and Caught has not returned yet.
	caught []int
}

// Sigaction sets sig's action as sigaction(2) does: SIG_DFL or SIG_IGN,
// given to the kernel as they are, or (SigRecord) a handler that records
// the signal, with sa_flags flags (SA_RESTART, SA_RESETHAND, SA_NODEFER)
// and sa_mask mask, the signals blocked while the handler runs (nil:
// none).
//
// Pure Go cannot install a handler of its own: the recording handler is
// the Go runtime's, which hands the signal to os/signal, given to the
// kernel again with the caller's flags in place of the runtime's
// SA_RESTART (SA_SIGINFO, SA_ONSTACK and SA_RESTORER stay, as the runtime
// needs them) and the caller's sa_mask in place of the runtime's full
// one. So a handler without SA_RESTART lets a blocked call fail with
// EINTR, and two signals that sigsuspend lets through both run their
// handler unless one's sa_mask holds the other, as in C. os/signal
// delivers a signal after the handler has returned: Caught waits for it.
func Sigaction(sig, handler, flags int, mask *unix.Sigset_t) error {
	recorder.Lock()
	defer recorder.Unlock()
	if !recorder.ready {
		if err := rtSigaction(int(unix.SIGURG), nil, &recorder.goAction); err != nil {
			return err
		}
		recorder.ch = make(chan os.Signal, 256)
		recorder.notified = map[int]bool{}
		recorder.held = map[int]bool{}
		signal.Notify(recorder.ch, sigSentinel)
		recorder.ready = true
	}
	var act sigaction
	if mask != nil {
		act.mask = mask.Val[0]
	}
	switch handler {
	case SigDfl:
		act.handler = 0
		act.flags = uint64(flags)
	case SigIgn:
		act.handler = 1
		act.flags = uint64(flags)
	case SigRecord:
		if sig <= 0 || sig >= 65 {
			return unix.EINVAL
		}
		if sig != int(unix.SIGKILL) && sig != int(unix.SIGSTOP) && !recorder.notified[sig] {
			// Before the change below: Notify may install the
			// runtime's handler, with the runtime's flags.
			signal.Notify(recorder.ch, syscall.Signal(sig))
			recorder.notified[sig] = true
		}
		m := act.mask
		act = recorder.goAction
		act.flags = act.flags&^(SA_RESTART|SA_RESETHAND|SA_NODEFER) | uint64(flags)
		act.mask = m
	default:
		return unix.EINVAL
	}
	defer recorder.hold()
	return rtSigaction(sig, &act, nil)
}

// Caught returns the signals that the recording handler of Sigaction
// (see sigaction(2)) caught since the last call, in the order of their
// numbers (os/signal's). It sends its own thread signal 64 and takes what
// os/signal delivers until that comes, so that a signal caught during a
// call is counted before the next one, each time (os/signal merges a
// signal that comes again before the first was taken).
func Caught() []int {
	recorder.Lock()
	defer recorder.Unlock()
	if !recorder.ready {
		return nil
	}
	recorder.flush()
	out := recorder.caught
	recorder.caught = nil
	return out
}

// flush takes into caught what os/signal has for the channel: it sends
// the calling thread signal 64 and takes what comes until that does.
func (r *recorderState) flush() {
	if err := unix.Tgkill(unix.Getpid(), unix.Gettid(), sigSentinel); err != nil {
		return
	}
	// No timeout: a timer would bring the runtime's poller, and its
	// descriptors, to life. The signal to this thread comes at once.
	for s := range r.ch {
		if s == sigSentinel {
			break
		}
		r.caught = append(r.caught, int(s.(syscall.Signal)))
	}
}

// Alarm is alarm(2) as glibc's generic alarm makes it of setitimer(2):
// the seconds the earlier alarm had left, rounded to the nearest, and at
// least 1 if any time was left.
func Alarm(secs uint) uint {
	old, err := unix.Setitimer(unix.ItimerReal, unix.Itimerval{Value: unix.Timeval{Sec: int64(secs)}})
	if err != nil {
		return 0
	}
	left := uint(old.Value.Sec)
	if old.Value.Usec >= 500000 || left == 0 && old.Value.Usec > 0 {
		left++
	}
	return left
}

// Ualarm is ualarm(3) as glibc makes it of setitimer(2): a timer of usecs
// microseconds, then every interval, and the microseconds the earlier
// timer had left.
func Ualarm(usecs, interval uint) uint {
	old, err := unix.Setitimer(unix.ItimerReal, unix.Itimerval{
		Value:    unix.NsecToTimeval(int64(usecs) * 1000),
		Interval: unix.NsecToTimeval(int64(interval) * 1000),
	})
	if err != nil {
		return 0
	}
	return uint(old.Value.Sec*1000000 + old.Value.Usec)
}

// rtSigprocmask is rt_sigprocmask(2) on the calling thread.
func rtSigprocmask(how int, set, old *unix.Sigset_t) error {
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, uintptr(how), uintptr(unsafe.Pointer(set)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// sigismember reports whether sig is in set.
func sigismember(set *unix.Sigset_t, sig int) bool {
	return set.Val[(sig-1)/64]&(1<<((sig-1)%64)) != 0
}

// glibc's own signals (SIGCANCEL, SIGSETXID), which its pthread_sigmask
// leaves out of the set it is given.
const glibcSignals = 1<<(32-1) | 1<<(33-1)

// hold stops asking os/signal for the recorded signals that the calling
// thread blocks: see Sigprocmask.
func (r *recorderState) hold() {
	if !r.ready {
		return
	}
	var cur unix.Sigset_t
	if rtSigprocmask(unix.SIG_BLOCK, nil, &cur) != nil {
		return
	}
	flushed := false
	for sig := range r.notified {
		if sigismember(&cur, sig) && !r.held[sig] {
			// os/signal drops what it has not handed on yet.
			if !flushed {
				r.flush()
				flushed = true
			}
			signal.Reset(syscall.Signal(sig))
			r.held[sig] = true
		}
	}
}

// release asks os/signal again for the held signals that next, the
// thread's mask to come, lets through, and returns them.
func (r *recorderState) release(next *unix.Sigset_t) []int {
	var out []int
	for sig := range r.held {
		if !sigismember(next, sig) {
			signal.Notify(r.ch, syscall.Signal(sig))
			delete(r.held, sig)
			out = append(out, sig)
		}
	}
	return out
}

// Sigprocmask is sigprocmask(2) as glibc makes it (pthread_sigmask(3)):
// how is SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK, set the signals (nil: the
// mask stays), and oldset, if not nil, gets the mask before. As glibc
// does, it reads set to take out signals 32 and 33, glibc's own: a set at
// an address that cannot be read panics where C dies of SIGSEGV. The
// kernel writes oldset after it set the new mask: an oldset it cannot
// write gives EFAULT with the mask changed (x/sys/unix.PthreadSigmask
// clears oldset in Go first, and faults).
//
// It changes the calling thread's mask. A C program's one thread is its
// process: a signal it blocks stays pending for the process until it
// unblocks it. A Go process has many threads, and a signal sent to the
// process (kill(2), a timer) goes to any thread that does not block it.
// So a Go program that wants C's behaviour locks its goroutine to its
// thread (runtime.LockOSThread) and starts with the signals it waits for
// blocked on every thread (the runtime starts its threads with the mask
// the process started with), as ipccalls does; raise(3) (Raise) sends to
// the thread alone. One thread is this package's own: os/signal's, which
// unblocks every signal the recording handler of Sigaction takes. So that
// a signal the caller blocks stays pending there too, os/signal is not
// asked for it while the calling thread blocks it (signal.Reset), and is
// asked again (signal.Notify) before the thread unblocks it: a signal
// pending for the process then reaches os/signal's thread, and is caught
// all the same.
func Sigprocmask(how int, set, oldset *unix.Sigset_t) error {
	recorder.Lock()
	defer recorder.Unlock()
	if set != nil && set.Val[0]&glibcSignals != 0 {
		local := *set
		local.Val[0] &^= glibcSignals
		set = &local
	}
	if set != nil && recorder.ready {
		var next unix.Sigset_t
		if err := rtSigprocmask(unix.SIG_BLOCK, nil, &next); err != nil {
			return err
		}
		for i := range next.Val {
			switch how {
			case unix.SIG_BLOCK:
				next.Val[i] |= set.Val[i]
			case unix.SIG_UNBLOCK:
				next.Val[i] &^= set.Val[i]
			case unix.SIG_SETMASK:
				next.Val[i] = set.Val[i]
			}
		}
		recorder.release(&next)
	}
	defer recorder.hold()
	return rtSigprocmask(how, set, oldset)
}

// Sigpending is sigpending(2): the signals pending for the calling thread
// or the process that the thread blocks.
func Sigpending(set *unix.Sigset_t) error {
	_, _, e := unix.RawSyscall(unix.SYS_RT_SIGPENDING, uintptr(unsafe.Pointer(set)), 8, 0)
	if e != 0 {
		return e
	}
	return nil
}

// readSigset copies *p, or says that p cannot be read.
func readSigset(p *unix.Sigset_t) (s unix.Sigset_t, ok bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return *p, true
}

// Sigsuspend is sigsuspend(2): it waits with mask as the calling thread's
// mask until a handler has run, and returns EINTR; a mask the kernel
// cannot read gives EFAULT. A recorded signal that mask lets through may
// be pending for the process (not the thread: raise(3)'s are the
// thread's) or come while Sigsuspend gets ready; it then reaches
// os/signal's thread once Sigsuspend asks os/signal for it again (as
// Sigprocmask says), not the caller's. Sigsuspend still returns EINTR
// then, as C's does after the handler: while it waits, a goroutine takes
// what os/signal hands on and wakes the calling thread with SIGURG, which
// the runtime's handler takes and nothing records. Two such signals are
// both caught, where in C one's sa_mask may hold the other back. A mask
// that blocks SIGURG, or SIGURG recorded, leaves only a signal pending
// before the call to end the wait early.
func Sigsuspend(mask *unix.Sigset_t) error {
	recorder.Lock()
	defer recorder.Unlock()
	m, readable := readSigset(mask)
	if !readable || !recorder.ready {
		_, _, e := unix.Syscall(unix.SYS_RT_SIGSUSPEND, uintptr(unsafe.Pointer(mask)), 8, 0)
		return e
	}
	if sigismember(&m, int(unix.SIGURG)) || recorder.notified[int(unix.SIGURG)] {
		return recorder.suspendPending(mask, &m)
	}
	return recorder.suspend(mask, &m)
}

// suspend is Sigsuspend's wait, woken by a watcher when a recorded signal
// comes to os/signal. SIGURG is blocked on the calling thread until the
// wait lets it through, so that a wake sent before the wait stays pending
// for it rather than being lost.
func (r *recorderState) suspend(mask, m *unix.Sigset_t) error {
	// The mask, the wake and the wait are one thread's, even for a
	// caller that did not lock its goroutine to its thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var urg, prev unix.Sigset_t
	urg.Val[(unix.SIGURG-1)/64] = 1 << ((unix.SIGURG - 1) % 64)
	if err := rtSigprocmask(unix.SIG_BLOCK, &urg, &prev); err != nil {
		return err
	}
	defer rtSigprocmask(unix.SIG_SETMASK, &prev, nil)
	pid, tid := unix.Getpid(), unix.Gettid()
	stop, taken := make(chan struct{}), make(chan []int)
	go func() {
		var got []int
		for {
			select {
			case s := <-r.ch:
				if s != sigSentinel {
					got = append(got, int(s.(syscall.Signal)))
				}
				unix.Tgkill(pid, tid, unix.SIGURG)
			case <-stop:
				taken <- got
				return
			}
		}
	}()
	r.release(m)
	defer r.hold()
	if sigsuspendWindow != nil {
		sigsuspendWindow()
	}
	_, _, e := unix.Syscall(unix.SYS_RT_SIGSUSPEND, uintptr(unsafe.Pointer(mask)), 8, 0)
	close(stop)
	r.caught = append(r.caught, <-taken...)
	return e
}

// suspendPending is Sigsuspend's wait when SIGURG cannot wake it: a
// recorded signal pending for the process before the call, taken by
// os/signal's thread once asked for again, ends it at once.
func (r *recorderState) suspendPending(mask, m *unix.Sigset_t) error {
	var before, after unix.Sigset_t
	if err := Sigpending(&before); err != nil {
		return err
	}
	r.release(m)
	defer r.hold()
	if err := Sigpending(&after); err != nil {
		return err
	}
	if before.Val[0]&^m.Val[0] != 0 && after.Val[0]&^m.Val[0] == 0 {
		return unix.EINTR
	}
	_, _, e := unix.Syscall(unix.SYS_RT_SIGSUSPEND, uintptr(unsafe.Pointer(mask)), 8, 0)
	return e
}

// sigsuspendWindow, set by a test, runs in Sigsuspend once os/signal has
// been asked again for the signals the mask lets through, before the wait.
var sigsuspendWindow func()

// Raise is raise(3) as glibc makes it: sig sent to the calling thread
// (tgkill(2)), which gets it before Raise returns unless it blocks it.
func Raise(sig int) error {
	return unix.Tgkill(unix.Getpid(), unix.Gettid(), unix.Signal(sig))
}

// Pause is pause(2): it waits until a handler has run, and returns EINTR.
// It is Sigsuspend with the calling thread's mask as it is (so
// rt_sigsuspend, where glibc makes the pause system call; the kernel ends
// both alike): a process-directed signal goes to any thread of the process
// that does not block it, and a Go process has several, so a recorded
// signal whose handler ran on another thread must still end the wait, as
// it does for C's one thread. A bare wait there would go on for good.
func Pause() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var mask unix.Sigset_t
	if err := rtSigprocmask(unix.SIG_BLOCK, nil, &mask); err != nil {
		return err
	}
	return Sigsuspend(&mask)
}
