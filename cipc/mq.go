//go:build linux

package cipc

/*
#cgo LDFLAGS: -lrt
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

// mq_open is variadic, which cgo cannot call.
static mqd_t cipc_mq_open(const char *name, int oflag, mode_t mode, struct mq_attr *attr) {
	return mq_open(name, oflag, mode, attr);
}

static int cipc_mq_notify(mqd_t mqd, int has, int notify, int signo, uintptr_t value) {
	if (!has)
		return mq_notify(mqd, NULL);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = notify;
	sev.sigev_signo = signo;
	sev.sigev_value.sival_ptr = (void *) value;
	return mq_notify(mqd, &sev);
}
*/
import "C"

import (
	creference "github.com/ipcparity/ipcparity/c_reference"
	"math"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Constants of <mqueue.h> and <signal.h> that golang.org/x/sys/unix does not
// define, taken from glibc's headers.
const (
	// MQ_PRIO_MAX is the kernel's bound on message priorities: a
	// priority must be less than it (glibc's <limits.h>).
	MQ_PRIO_MAX = C.MQ_PRIO_MAX

	// SIGEV_SIGNAL asks MqNotify for a signal (sigev_signo).
	SIGEV_SIGNAL = C.SIGEV_SIGNAL
	// SIGEV_NONE registers for notification but asks for nothing to be
	// delivered.
	SIGEV_NONE = C.SIGEV_NONE
	// SIGEV_THREAD asks for a function to run in a new thread; MqNotify
	// does not support it.
	SIGEV_THREAD = C.SIGEV_THREAD
)

// MqAttr holds the fields of struct mq_attr: the descriptor's flags (only
// O_NONBLOCK), the queue's message limit and message size, and the number
// of messages on the queue.
type MqAttr struct {
	Flags   int64 // mq_flags
	Maxmsg  int64 // mq_maxmsg
	Msgsize int64 // mq_msgsize
	Curmsgs int64 // mq_curmsgs
}

func (a *MqAttr) toC() *C.struct_mq_attr {
	if a == nil {
		return nil
	}
	var c C.struct_mq_attr
	c.mq_flags = C.__syscall_slong_t(a.Flags)
	c.mq_maxmsg = C.__syscall_slong_t(a.Maxmsg)
	c.mq_msgsize = C.__syscall_slong_t(a.Msgsize)
	c.mq_curmsgs = C.__syscall_slong_t(a.Curmsgs)
	return &c
}

func (a *MqAttr) fromC(c *C.struct_mq_attr) {
	a.Flags = int64(c.mq_flags)
	a.Maxmsg = int64(c.mq_maxmsg)
	a.Msgsize = int64(c.mq_msgsize)
	a.Curmsgs = int64(c.mq_curmsgs)
}

// Sigevent holds the fields of struct sigevent that MqNotify uses.
type Sigevent struct {
	Notify int     // sigev_notify: SIGEV_NONE or SIGEV_SIGNAL
	Signo  int     // sigev_signo: the signal for SIGEV_SIGNAL
	Value  uintptr // sigev_value, as sival_ptr
}

// mqCName is name as a C string, or EINVAL for a name with a NUL byte,
// which a C string cannot hold (C would see a shorter name). The caller
// frees the result.
func mqCName(name string) (*C.char, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return nil, unix.EINVAL
	}
	return C.CString(name), nil
}

// MqOpen calls mq_open(3) in glibc, with mode and attr as its third and
// fourth arguments, and returns the queue descriptor. A name with a NUL
// byte gives EINVAL without a call.
func MqOpen(name string, oflag int, mode uint32, attr *MqAttr) (int, error) {
	cname, err := mqCName(name)
	if err != nil {
		return -1, err
	}
	defer C.free(unsafe.Pointer(cname))
	mqd, err := C.cipc_mq_open(cname, C.int(oflag), C.mode_t(mode), attr.toC())
	if mqd < 0 {
		return -1, err
	}
	return int(mqd), nil
}

// MqClose calls mq_close(3) in glibc.
func MqClose(mqd int) error {
	if r, err := C.mq_close(C.mqd_t(mqd)); r != 0 {
		return err
	}
	return nil
}

// MqUnlink calls mq_unlink(3) in glibc. A name with a NUL byte gives
// EINVAL without a call.
func MqUnlink(name string) error {
	cname, err := mqCName(name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	if r, err := C.mq_unlink(cname); r != 0 {
		return err
	}
	return nil
}

// MqSend calls mq_send(3) in glibc. A prio that a C unsigned int cannot
// hold gives EINVAL without a call.
func MqSend(mqd int, msg []byte, prio uint) error {
	if uint64(prio) > math.MaxUint32 {
		return unix.EINVAL
	}
	if r, err := C.mq_send(C.mqd_t(mqd), (*C.char)(bufPtr(msg)), C.size_t(len(msg)), C.uint(prio)); r != 0 {
		return err
	}
	return nil
}

// MqTimedsend calls mq_timedsend(3) in glibc with abstime (nil for no
// timeout). A prio that a C unsigned int cannot hold gives EINVAL without
// a call.
func MqTimedsend(mqd int, msg []byte, prio uint, abstime *unix.Timespec) error {
	if uint64(prio) > math.MaxUint32 {
		return unix.EINVAL
	}
	if r, err := C.mq_timedsend(C.mqd_t(mqd), (*C.char)(bufPtr(msg)), C.size_t(len(msg)), C.uint(prio),
		cTimespec(abstime)); r != 0 {
		return err
	}
	return nil
}

// MqReceive calls mq_receive(3) in glibc and returns the message's length;
// its priority goes to *prio unless prio is nil.
func MqReceive(mqd int, buf []byte, prio *uint) (int, error) {
	var p C.uint
	var pp *C.uint
	if prio != nil {
		pp = &p
	}
	n, err := C.mq_receive(C.mqd_t(mqd), (*C.char)(bufPtr(buf)), C.size_t(len(buf)), pp)
	if n < 0 {
		return -1, err
	}
	if prio != nil {
		*prio = uint(p)
	}
	return int(n), nil
}

// MqTimedreceive calls mq_timedreceive(3) in glibc with abstime (nil for
// no timeout) and returns the message's length; its priority goes to
// *prio unless prio is nil.
func MqTimedreceive(mqd int, buf []byte, prio *uint, abstime *unix.Timespec) (int, error) {
	var p C.uint
	var pp *C.uint
	if prio != nil {
		pp = &p
	}
	n, err := C.mq_timedreceive(C.mqd_t(mqd), (*C.char)(bufPtr(buf)), C.size_t(len(buf)), pp, cTimespec(abstime))
	if n < 0 {
		return -1, err
	}
	if prio != nil {
		*prio = uint(p)
	}
	return int(n), nil
}

// MqGetattr calls mq_getattr(3) in glibc.
func MqGetattr(mqd int, attr *MqAttr) error {
	var c C.struct_mq_attr
	var pc *C.struct_mq_attr
	if attr != nil {
		pc = &c
	}
	if r, err := C.mq_getattr(C.mqd_t(mqd), pc); r != 0 {
		return err
	}
	if attr != nil {
		attr.fromC(pc)
	}
	return nil
}

// MqSetattr calls mq_setattr(3) in glibc; either pointer may be nil.
func MqSetattr(mqd int, newattr, oldattr *MqAttr) error {
	var c C.struct_mq_attr
	var pc *C.struct_mq_attr
	if oldattr != nil {
		pc = &c
	}
	if r, err := C.mq_setattr(C.mqd_t(mqd), newattr.toC(), pc); r != 0 {
		return err
	}
	if oldattr != nil {
		oldattr.fromC(pc)
	}
	return nil
}

// MqNotify calls mq_notify(3) in glibc; a nil sev removes the process's
// registration. SIGEV_THREAD gives EINVAL without a call: glibc would run
// a C function on a thread of its own, and Sigevent has no way to name
// one.
func MqNotify(mqd int, sev *Sigevent) error {
	var r C.int
	var err error
	if sev == nil {
		r, err = C.cipc_mq_notify(C.mqd_t(mqd), 0, 0, 0, 0)
	} else {
		if C.int(sev.Notify) == C.SIGEV_THREAD {
			return unix.EINVAL
		}
		r, err = C.cipc_mq_notify(C.mqd_t(mqd), 1, C.int(sev.Notify), C.int(sev.Signo), C.uintptr_t(sev.Value))
	}
	if r != 0 {
		return err
	}
	return nil
}

// cTimespec is t as a C struct timespec, or nil.
func cTimespec(t *unix.Timespec) *C.struct_timespec {
	if t == nil {
		return nil
	}
	var c C.struct_timespec
	c.tv_sec = C.time_t(t.Sec)
	c.tv_nsec = C.long(t.Nsec)
	return &c
}

// MqServerMain runs mq_server_main of c_reference/mq.c: it creates the
// queue IPC_NAME (default "/csba1316"), prints every message it receives
// and ends after the message "quit", removing the queue.
func MqServerMain(args []string) (int, error) {
	return CallMain(creference.MqServerMain, args)
}

// MqClientMain runs mq_client_main of c_reference/mq.c: it sends args[1],
// cut to 63 bytes, as one 64-byte message to the queue IPC_NAME.
func MqClientMain(args []string) (int, error) {
	return CallMain(creference.MqClientMain, args)
}
