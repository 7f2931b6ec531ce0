//go:build linux

package goipc

import (
	"math"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Constants of <mqueue.h> and <signal.h> that golang.org/x/sys/unix does not
// define, with glibc's values for Linux.
const (
	// MQ_PRIO_MAX is the kernel's bound on message priorities: a
	// priority must be less than it.
	MQ_PRIO_MAX = 32768

	// SIGEV_SIGNAL asks MqNotify for a signal (sigev_signo).
	SIGEV_SIGNAL = 0
	// SIGEV_NONE registers for notification but asks for nothing to be
	// delivered.
	SIGEV_NONE = 1
	// SIGEV_THREAD asks for a function to run in a new thread; MqNotify
	// does not support it.
	SIGEV_THREAD = 2
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

// mqAttrKernel is the kernel's struct mq_attr: four longs and four
// reserved longs (a Go int is a C long on every Linux port of Go).
type mqAttrKernel struct {
	flags    int
	maxmsg   int
	msgsize  int
	curmsgs  int
	reserved [4]int
}

func (a *MqAttr) toKernel() *mqAttrKernel {
	if a == nil {
		return nil
	}
	return &mqAttrKernel{
		flags:   int(a.Flags),
		maxmsg:  int(a.Maxmsg),
		msgsize: int(a.Msgsize),
		curmsgs: int(a.Curmsgs),
	}
}

func (a *MqAttr) fromKernel(k *mqAttrKernel) {
	a.Flags = int64(k.flags)
	a.Maxmsg = int64(k.maxmsg)
	a.Msgsize = int64(k.msgsize)
	a.Curmsgs = int64(k.curmsgs)
}

// Sigevent holds the fields of struct sigevent that MqNotify uses.
type Sigevent struct {
	Notify int     // sigev_notify: SIGEV_NONE or SIGEV_SIGNAL
	Signo  int     // sigev_signo: the signal for SIGEV_SIGNAL
	Value  uintptr // sigev_value, as sival_ptr
}

// sigeventKernel is the kernel's struct sigevent, 64 bytes long
// (SIGEV_MAX_SIZE).
type sigeventKernel struct {
	value  uintptr
	signo  int32
	notify int32
	_      [64 - 8 - unsafe.Sizeof(uintptr(0))]byte
}

// mqName checks a queue name as glibc does and returns what the kernel is
// given: the name without its one leading '/'. A name that does not start
// with '/' gives EINVAL; so does a name with a NUL byte, which a C string
// cannot hold.
func mqName(name string) (*byte, error) {
	if name == "" || name[0] != '/' {
		return nil, unix.EINVAL
	}
	if strings.IndexByte(name, 0) >= 0 {
		return nil, unix.EINVAL
	}
	return unix.BytePtrFromString(name[1:])
}

// mqBuf is the address of p's first byte, or nil for an empty p.
func mqBuf(p []byte) unsafe.Pointer {
	if len(p) == 0 {
		return nil
	}
	return unsafe.Pointer(&p[0])
}

// MqOpen opens the message queue name, as mq_open(3) in glibc, and returns
// its descriptor. As glibc does, it gives EINVAL for a name that does not
// start with '/' and passes the kernel the name without that '/'; mode and
// attr count only with O_CREAT (otherwise 0 and NULL go to the kernel);
// a nil attr asks for the default limits. The kernel sets close-on-exec on
// the descriptor. A name with a NUL byte gives EINVAL.
func MqOpen(name string, oflag int, mode uint32, attr *MqAttr) (int, error) {
	p, err := mqName(name)
	if err != nil {
		return -1, err
	}
	var kattr *mqAttrKernel
	if oflag&unix.O_CREAT != 0 {
		kattr = attr.toKernel()
	} else {
		mode = 0
	}
	fd, _, e := unix.Syscall6(unix.SYS_MQ_OPEN, uintptr(unsafe.Pointer(p)), uintptr(int32(oflag)),
		uintptr(mode), uintptr(unsafe.Pointer(kattr)), 0, 0)
	runtime.KeepAlive(p)
	runtime.KeepAlive(kattr)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// MqClose closes the queue descriptor mqd, as mq_close(3): glibc calls
// close(2).
func MqClose(mqd int) error {
	return unix.Close(mqd)
}

// MqUnlink removes the message queue name, as mq_unlink(3) in glibc: a name
// that does not start with '/' gives EINVAL, the kernel is given the name
// without that '/', and the kernel's EPERM becomes EACCES. A name with a
// NUL byte gives EINVAL.
func MqUnlink(name string) error {
	p, err := mqName(name)
	if err != nil {
		return err
	}
	_, _, e := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0)
	runtime.KeepAlive(p)
	switch e {
	case 0:
		return nil
	case unix.EPERM:
		return unix.EACCES
	}
	return e
}

// MqSend adds msg with priority prio to the queue mqd, as mq_send(3):
// glibc calls mq_timedsend with no timeout. A prio that a C unsigned int
// cannot hold gives EINVAL, as the kernel does for any prio of MQ_PRIO_MAX
// or more.
func MqSend(mqd int, msg []byte, prio uint) error {
	return MqTimedsend(mqd, msg, prio, nil)
}

// MqTimedsend adds msg with priority prio to the queue mqd, as
// mq_timedsend(3); on a full queue it waits until the absolute
// CLOCK_REALTIME time abstime at most (forever if abstime is nil) and then
// fails with ETIMEDOUT. The kernel checks abstime before anything else and
// gives EINVAL for tv_nsec outside [0, 1e9) or a negative tv_sec, even when
// the call would not wait.
func MqTimedsend(mqd int, msg []byte, prio uint, abstime *unix.Timespec) error {
	if uint64(prio) > math.MaxUint32 {
		return unix.EINVAL
	}
	yieldSometimes()
	_, _, e := unix.Syscall6(unix.SYS_MQ_TIMEDSEND, uintptr(int32(mqd)), uintptr(mqBuf(msg)), uintptr(len(msg)),
		uintptr(prio), uintptr(unsafe.Pointer(abstime)), 0)
	runtime.KeepAlive(msg)
	runtime.KeepAlive(abstime)
	if e != 0 {
		return e
	}
	return nil
}

// MqReceive takes the oldest of the highest-priority messages off the
// queue mqd into buf, as mq_receive(3), and returns its length; its
// priority goes to *prio unless prio is nil. glibc calls mq_timedreceive
// with no timeout. A buf shorter than the queue's mq_msgsize gives
// EMSGSIZE.
func MqReceive(mqd int, buf []byte, prio *uint) (int, error) {
	return MqTimedreceive(mqd, buf, prio, nil)
}

// MqTimedreceive is MqReceive that waits on an empty queue until the
// absolute CLOCK_REALTIME time abstime at most (forever if abstime is nil)
// and then fails with ETIMEDOUT, as mq_timedreceive(3). The kernel checks
// abstime as for MqTimedsend.
func MqTimedreceive(mqd int, buf []byte, prio *uint, abstime *unix.Timespec) (int, error) {
	var p uint32
	var pp *uint32
	if prio != nil {
		pp = &p
	}
	yieldSometimes()
	n, _, e := unix.Syscall6(unix.SYS_MQ_TIMEDRECEIVE, uintptr(int32(mqd)), uintptr(mqBuf(buf)), uintptr(len(buf)),
		uintptr(unsafe.Pointer(pp)), uintptr(unsafe.Pointer(abstime)), 0)
	runtime.KeepAlive(buf)
	runtime.KeepAlive(pp)
	runtime.KeepAlive(abstime)
	if e != 0 {
		return -1, e
	}
	if prio != nil {
		*prio = uint(p)
	}
	return int(n), nil
}

// MqGetattr stores the attributes of the queue mqd in *attr, as
// mq_getattr(3): glibc calls mq_setattr(mqd, NULL, attr). Flags holds the
// descriptor's O_NONBLOCK bit and nothing else.
func MqGetattr(mqd int, attr *MqAttr) error {
	return MqSetattr(mqd, nil, attr)
}

// MqSetattr sets the O_NONBLOCK flag of the descriptor mqd from
// newattr.Flags and stores the previous attributes in *oldattr, as
// mq_setattr(3) (the mq_getsetattr system call). The other fields of
// newattr are ignored; Flags with any bit other than O_NONBLOCK gives
// EINVAL. Either pointer may be nil.
func MqSetattr(mqd int, newattr, oldattr *MqAttr) error {
	knew := newattr.toKernel()
	var kold *mqAttrKernel
	if oldattr != nil {
		kold = new(mqAttrKernel)
	}
	_, _, e := unix.Syscall(unix.SYS_MQ_GETSETATTR, uintptr(int32(mqd)), uintptr(unsafe.Pointer(knew)),
		uintptr(unsafe.Pointer(kold)))
	runtime.KeepAlive(knew)
	runtime.KeepAlive(kold)
	if e != 0 {
		return e
	}
	if oldattr != nil {
		oldattr.fromKernel(kold)
	}
	return nil
}

// MqNotify registers the calling process for notification when a message
// arrives on the empty queue mqd, as mq_notify(3); a nil sev removes the
// process's registration. Only one process can be registered: a second
// registration gives EBUSY. SIGEV_THREAD, which names a C function to
// run, gives EINVAL here: MqNotifyFunc takes a Go function instead (glibc
// runs its function on a thread of its own; MqNotifyFunc on a goroutine).
// Any other unknown Notify value is left to the kernel, which gives
// EINVAL.
func MqNotify(mqd int, sev *Sigevent) error {
	var ksev *sigeventKernel
	if sev != nil {
		if int32(sev.Notify) == SIGEV_THREAD {
			return unix.EINVAL
		}
		ksev = &sigeventKernel{value: sev.Value, signo: int32(sev.Signo), notify: int32(sev.Notify)}
	}
	_, _, e := unix.Syscall(unix.SYS_MQ_NOTIFY, uintptr(int32(mqd)), uintptr(unsafe.Pointer(ksev)), 0)
	runtime.KeepAlive(ksev)
	if e != 0 {
		return e
	}
	return nil
}
