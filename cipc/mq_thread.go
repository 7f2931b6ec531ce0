//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <mqueue.h>
#include <signal.h>
#include <string.h>

#define CIPC_NOTIFIED_MAX 256

// The recording notification function writes the value it is called
// with into a ring, in the order the calls take their places.
static int cipc_notified_ring[CIPC_NOTIFIED_MAX];
static unsigned cipc_notified_taken, cipc_notified_done, cipc_notified_read;

static void cipc_notify_record(union sigval v) {
    unsigned i = __atomic_fetch_add(&cipc_notified_taken, 1, __ATOMIC_SEQ_CST);
    cipc_notified_ring[i % CIPC_NOTIFIED_MAX] = v.sival_int;
    while(__atomic_load_n(&cipc_notified_done, __ATOMIC_SEQ_CST) != i)
        ;
    __atomic_store_n(&cipc_notified_done, i + 1, __ATOMIC_SEQ_CST);
}

static int cipc_mq_notify_record(mqd_t q, int value) {
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD;
    sev.sigev_notify_function = cipc_notify_record;
    sev.sigev_value.sival_int = value;
    return mq_notify(q, &sev);
}

static int cipc_mq_notified(int *out, int max) {
    unsigned done = __atomic_load_n(&cipc_notified_done, __ATOMIC_SEQ_CST);
    int n = 0;
    for(; cipc_notified_read != done && n < max; cipc_notified_read++)
        out[n++] = cipc_notified_ring[cipc_notified_read % CIPC_NOTIFIED_MAX];
    return n;
}
*/
import "C"

// MqNotifyRecord calls mq_notify(3) in glibc with SIGEV_THREAD: when a
// message arrives on the empty queue mqd, glibc's helper thread (reading
// the notification from a netlink socket it opened at the first such
// call) starts a thread that runs a C function recording value.
func MqNotifyRecord(mqd int, value int) error {
	if r, err := C.cipc_mq_notify_record(C.mqd_t(mqd), C.int(value)); r != 0 {
		return err
	}
	return nil
}

// MqNotified returns the values the function of MqNotifyRecord was
// called with since the last call, in the order called (the last 256 at
// most).
func MqNotified() []int {
	var buf [256]C.int
	n := C.cipc_mq_notified(&buf[0], C.int(len(buf)))
	out := make([]int, n)
	for i := range out {
		out[i] = int(buf[i])
	}
	return out
}
