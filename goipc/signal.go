//go:build linux

package goipc

import (
	"os"
	"os/signal"
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

// recorder is the recording handler: os/signal's channel, and which
// signals it was asked for.
var recorder struct {
	sync.Mutex
	ch       chan os.Signal
	notified map[int]bool
	// goAction is the runtime's own action, taken from SIGURG (which
	// it always handles, for preemption) before any change.
	goAction sigaction
	ready    bool
}

// Sigaction sets sig's action as sigaction(2) does: SIG_DFL or SIG_IGN,
// given to the kernel as they are, or (SigRecord) a handler that records
// the signal, with sa_flags flags (SA_RESTART, SA_RESETHAND, SA_NODEFER).
//
// Pure Go cannot install a handler of its own: the recording handler is
// the Go runtime's, which hands the signal to os/signal, given to the
// kernel again with the script's flags in place of the runtime's
// SA_RESTART (SA_SIGINFO, SA_ONSTACK and SA_RESTORER stay, as the runtime
// needs them). So a handler without SA_RESTART lets a blocked call fail
// with EINTR, as in C. The runtime blocks every signal while its handler
// runs (its sa_mask is full) where C's handler has an empty sa_mask, and
// os/signal delivers a signal after the handler has returned: Caught
// waits for it.
func Sigaction(sig, handler, flags int) error {
	recorder.Lock()
	defer recorder.Unlock()
	if !recorder.ready {
		if err := rtSigaction(int(unix.SIGURG), nil, &recorder.goAction); err != nil {
			return err
		}
		recorder.ch = make(chan os.Signal, 256)
		recorder.notified = map[int]bool{}
		signal.Notify(recorder.ch, sigSentinel)
		recorder.ready = true
	}
	var act sigaction
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
		act = recorder.goAction
		act.flags = act.flags&^(SA_RESTART|SA_RESETHAND|SA_NODEFER) | uint64(flags)
	default:
		return unix.EINVAL
	}
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
	if err := unix.Tgkill(unix.Getpid(), unix.Gettid(), sigSentinel); err != nil {
		return nil
	}
	// No timeout: a timer would bring the runtime's poller, and its
	// descriptors, to life. The signal to this thread comes at once.
	var out []int
	for s := range recorder.ch {
		if s == sigSentinel {
			break
		}
		out = append(out, int(s.(syscall.Signal)))
	}
	return out
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
