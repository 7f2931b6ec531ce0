//go:build linux

package goipc

import (
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel's side of SIGEV_THREAD (see mq_notify(2)): the process gives
// a netlink socket and a cookie of 32 bytes; when a message arrives on
// the empty queue, or the registration is removed, the kernel sends the
// cookie on that socket, its last byte NOTIFY_WOKENUP or NOTIFY_REMOVED.
// glibc opens the socket at the first such mq_notify and reads it on a
// helper thread, which starts a thread for each notification; so does
// this package, with goroutines.
const (
	notifyCookieLen = 32
	notifyWokenup   = 1
	notifyRemoved   = 2
)

// mqThreads is the netlink socket and the functions registered, by the
// number in their cookie.
var mqThreads struct {
	sync.Mutex
	opened   bool
	fd       int // -1 when the socket could not be opened
	next     uint64
	fns      map[uint64]func()
	notified []int // MqNotifyRecord's values
}

// notifyHelper reads the cookies the kernel sends on fd and runs each
// woken function on a goroutine of its own.
func notifyHelper(fd int) {
	buf := make([]byte, notifyCookieLen)
	for {
		n, _, err := unix.Recvfrom(fd, buf, unix.MSG_NOSIGNAL|unix.MSG_WAITALL)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return
		}
		if n != notifyCookieLen {
			continue
		}
		id := *(*uint64)(unsafe.Pointer(&buf[0]))
		mqThreads.Lock()
		fn := mqThreads.fns[id]
		delete(mqThreads.fns, id)
		mqThreads.Unlock()
		if fn != nil && buf[notifyCookieLen-1] == notifyWokenup {
			go fn()
		}
	}
}

// MqNotifyFunc is mq_notify(3) with SIGEV_THREAD, as glibc makes it: when
// a message arrives on the empty queue mqd, fn runs on a goroutine of its
// own (glibc: a thread) and the registration is gone. The first call
// opens a netlink socket (close-on-exec) that the process keeps, read by
// a goroutine, as glibc's helper thread reads it; if it cannot be opened,
// this and every later call give ENOSYS. A second registration on the
// queue gives EBUSY.
func MqNotifyFunc(mqd int, fn func()) error {
	mqThreads.Lock()
	defer mqThreads.Unlock()
	if !mqThreads.opened {
		mqThreads.opened = true
		mqThreads.fns = map[uint64]func(){}
		fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			fd = -1
		} else {
			go notifyHelper(fd)
		}
		mqThreads.fd = fd
	}
	if mqThreads.fd < 0 {
		return unix.ENOSYS
	}
	mqThreads.next++
	id := mqThreads.next
	// On the heap, which does not move: the kernel reads it in the call.
	cookie := new([notifyCookieLen]byte)
	*(*uint64)(unsafe.Pointer(&cookie[0])) = id
	ksev := &sigeventKernel{value: uintptr(unsafe.Pointer(cookie)), signo: int32(mqThreads.fd), notify: SIGEV_THREAD}
	mqThreads.fns[id] = fn
	_, _, e := unix.Syscall(unix.SYS_MQ_NOTIFY, uintptr(int32(mqd)), uintptr(unsafe.Pointer(ksev)), 0)
	runtime.KeepAlive(cookie)
	if e != 0 {
		delete(mqThreads.fns, id)
		return e
	}
	return nil
}

// MqNotifyRecord is MqNotifyFunc with a function that records value
// (MqNotified has it), as mq_notify(3) with SIGEV_THREAD and sigev_value
// value.
func MqNotifyRecord(mqd int, value int) error {
	return MqNotifyFunc(mqd, func() {
		mqThreads.Lock()
		mqThreads.notified = append(mqThreads.notified, value)
		mqThreads.Unlock()
	})
}

// MqNotified returns the values that the functions of MqNotifyRecord (see
// mq_notify(3)) recorded since the last call, in the order recorded.
func MqNotified() []int {
	mqThreads.Lock()
	defer mqThreads.Unlock()
	out := mqThreads.notified
	mqThreads.notified = nil
	return out
}
