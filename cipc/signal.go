//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define CIPC_CAUGHT_MAX 1024

// The recording handler writes each signal it catches into a ring; the
// reader takes them in order.
static volatile int cipc_caught_ring[CIPC_CAUGHT_MAX];
static unsigned cipc_caught_head, cipc_caught_tail;

static void cipc_record(int sig) {
    unsigned i = __atomic_fetch_add(&cipc_caught_head, 1, __ATOMIC_SEQ_CST);
    cipc_caught_ring[i % CIPC_CAUGHT_MAX] = sig;
}

static int cipc_sigaction(int sig, int handler, int flags, const sigset_t *mask) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if(mask != NULL)
        sa.sa_mask = *mask;
    else
        sigemptyset(&sa.sa_mask);
    sa.sa_handler = handler == 0 ? SIG_DFL : handler == 1 ? SIG_IGN : cipc_record;
    sa.sa_flags = flags;
    if(handler == 2)
        // The Go runtime's threads are where a signal may land, and Go
        // asks every handler to run on their alternate stacks. It changes
        // nothing else: no script sets an alternate stack.
        sa.sa_flags |= SA_ONSTACK;
    return sigaction(sig, &sa, NULL);
}

static int cipc_caught(int *out, int max) {
    unsigned head = __atomic_load_n(&cipc_caught_head, __ATOMIC_SEQ_CST);
    int n = 0;
    for(; cipc_caught_tail != head && n < max; cipc_caught_tail++)
        out[n++] = cipc_caught_ring[cipc_caught_tail % CIPC_CAUGHT_MAX];
    return n;
}
*/
import "C"

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The handlers of Sigaction.
const (
	SigDfl    = 0 // SIG_DFL
	SigIgn    = 1 // SIG_IGN
	SigRecord = 2 // a handler that records each signal it catches (Caught)
)

// Sigaction calls sigaction(2) in glibc to set sig's action: SIG_DFL,
// SIG_IGN, or (SigRecord) a C handler that records the signal, with
// sa_flags flags (SA_RESTART, SA_RESETHAND, SA_NODEFER) and sa_mask mask
// (nil: empty). The recording handler also has SA_ONSTACK, which the Go
// runtime asks of handlers in a cgo program.
func Sigaction(sig, handler, flags int, mask *unix.Sigset_t) error {
	if r, err := C.cipc_sigaction(C.int(sig), C.int(handler), C.int(flags), sigset(mask)); r != 0 {
		return err
	}
	return nil
}

// Caught returns the signals the recording handler caught since the last
// call, in the order caught (the last 1024 at most).
func Caught() []int {
	var buf [1024]C.int
	n := C.cipc_caught(&buf[0], C.int(len(buf)))
	out := make([]int, n)
	for i := range out {
		out[i] = int(buf[i])
	}
	return out
}

// Alarm calls alarm(2) in glibc and returns the seconds the earlier alarm
// had left.
func Alarm(secs uint) uint { return uint(C.alarm(C.uint(secs))) }

// Ualarm calls ualarm(3) in glibc and returns the microseconds the earlier
// timer had left.
func Ualarm(usecs, interval uint) uint {
	return uint(C.ualarm(C.useconds_t(usecs), C.useconds_t(interval)))
}

// sigset is set as glibc's sigset_t, which has the same 1024 bits.
func sigset(set *unix.Sigset_t) *C.sigset_t { return (*C.sigset_t)(unsafe.Pointer(set)) }

// Sigprocmask calls sigprocmask(3) in glibc, which is pthread_sigmask(3):
// the calling thread's mask, less glibc's own signals 32 and 33. glibc
// reads set itself to take those out: a set at a bad address kills the
// process with SIGSEGV; oldset is the kernel's to write (EFAULT).
func Sigprocmask(how int, set, oldset *unix.Sigset_t) error {
	if r, err := C.sigprocmask(C.int(how), sigset(set), sigset(oldset)); r != 0 {
		return err
	}
	return nil
}

// Sigpending calls sigpending(2) in glibc: the signals pending for the
// calling thread or the process that the thread blocks.
func Sigpending(set *unix.Sigset_t) error {
	if r, err := C.sigpending(sigset(set)); r != 0 {
		return err
	}
	return nil
}

// Sigsuspend calls sigsuspend(2) in glibc: it waits with mask as the
// thread's mask until a handler has run, and returns EINTR.
func Sigsuspend(mask *unix.Sigset_t) error {
	_, err := C.sigsuspend(sigset(mask))
	return err
}

// Pause calls pause(2) in glibc: it waits until a handler has run, and
// returns EINTR.
func Pause() error {
	_, err := C.pause()
	return err
}

// Raise calls raise(3) in glibc: sig sent to the calling thread, which
// gets it before Raise returns unless it blocks it.
func Raise(sig int) error {
	if r, err := C.raise(C.int(sig)); r != 0 {
		return err
	}
	return nil
}
