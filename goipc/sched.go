//go:build linux

package goipc

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"time"
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
