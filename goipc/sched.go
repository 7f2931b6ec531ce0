//go:build linux

package goipc

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// yieldInterval is how long a process's goroutines may go through
// primitives that may block without one trip through the scheduler.
const yieldInterval = time.Millisecond

var (
	yieldEpoch = time.Now()
	// lastYield is the monotonic time of the last yield, from yieldEpoch.
	lastYield atomic.Int64
)

// yieldSometimes is called by the primitives that may block in the
// kernel: Read, Write, Send, Recv, MqTimedsend and MqTimedreceive (and so
// MqSend and MqReceive), and the futex wait of Sem.Wait and Sem.Timedwait.
// About once a millisecond it calls runtime.Gosched.
//
// The Go runtime's sysmon thread takes a goroutine that has not been
// through the scheduler for 10 ms (forcePreemptNS) for one that hogs its P.
// It cannot preempt it while it is in a system call, so it takes the P
// away (retake, handoffp) and wakes another thread to hold it; back from
// the call, the goroutine gets a P again without going through the
// scheduler, so it still counts as hogging, and the next sysmon tick, 20 µs
// later, does it all again. A goroutine that does nothing but I/O on a
// pipe or a queue (the notes' programs, a server loop) thus paid a thread
// wake-up and two context switches every few tens of microseconds: on one
// CPU, a quarter of the throughput of 64 KiB pipe writes and a p99 round
// trip of 35 µs against C's 7 µs (README.md, "Benchmarks"). One pass
// through the scheduler now and then resets sysmon's clock.
//
// Only one call in 16, picked by the runtime's per-thread random
// generator, reads the clock; the time of the last yield is shared by the
// process. A Gosched can wake an idle thread (when a P is idle), so it is
// kept rare rather than made every few calls.
func yieldSometimes() {
	if rand.Uint32()%16 != 0 {
		return
	}
	now := int64(time.Since(yieldEpoch))
	if now-lastYield.Load() < int64(yieldInterval) {
		return
	}
	lastYield.Store(now)
	runtime.Gosched()
}

// Waiting briefly before blocking, as glibc's adaptive mutexes do (see
// Waiting briefly in the package documentation). A call that may block
// first tries without blocking, by RawSyscall or by looking at memory,
// which keeps the goroutine's P; while it would block, the thread yields
// the CPU (sched_yield, which runs the peer at once when it shares the CPU)
// and tries again, for spinFor at most; only then does it block the usual
// way, by Syscall, which gives the P up. A wait that ends within the tries
// never counts as in a system call, so sysmon finds nothing to retake: no
// hand-off of the P and no thread woken for it. spinFor is well under
// sysmon's 20 µs tick, so the garbage collector and other goroutines wait
// that long at most; an idle waiter spins once and then sleeps, as before.
//
// Used by Sem.Wait, where a try is an atomic load. For the queue calls,
// where a try is a system call (a timeout of {0, 0}, which arms no timer),
// five runs on one CPU gave throughput 0.93–1.18 × and four round trips
// 0.72–1.13 × that of blocking at once: no clear gain, and it was left
// out; one raw try without the yields gained 2–4 % in throughput and made
// round trips slower (1.15 against 1.10 × C), since a round trip's
// receive always waits and so its try always fails first. A deadline a
// few microseconds ahead is no substitute: arming the kernel's
// high-resolution timer costs more than the wait on a virtual machine
// (queue throughput 10 × lower).
const spinFor = 10 * time.Microsecond

// A spin paces the tries of one call that may block:
//
//	for sp := (spin{}); notDone && sp.again(); {
//		try without blocking
//	}
//	if notDone {
//		block
//	}
type spin struct {
	start time.Time
	tried bool
}

// again reports whether to try (once more) without blocking: true for the
// first try at once, then after yielding the CPU until spinFor has passed
// since the first.
func (s *spin) again() bool {
	switch {
	case !s.tried:
		s.tried = true
		return true
	case s.start.IsZero():
		s.start = time.Now()
	case time.Since(s.start) > spinFor:
		return false
	}
	unix.RawSyscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
	return true
}
