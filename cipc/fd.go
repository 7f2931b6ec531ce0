//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

// x/sys/unix's Sigset_t has glibc's sigset_t layout (128 bytes, the
// first 64 signals in the first 8, which glibc's signalfd passes on): the
// pointer goes to glibc as it is, so a bad one reaches the kernel (EFAULT).
static int cipc_signalfd(int fd, const void *mask, int flags) {
	return signalfd(fd, (const sigset_t *)mask, flags);
}
*/
import "C"

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Dup calls dup(2) in glibc and returns the new descriptor.
func Dup(oldfd int) (int, error) {
	fd, err := C.dup(C.int(oldfd))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// Dup2 calls dup2(2) in glibc and returns newfd.
func Dup2(oldfd, newfd int) (int, error) {
	fd, err := C.dup2(C.int(oldfd), C.int(newfd))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// Dup3 calls dup3(2) in glibc and returns newfd.
func Dup3(oldfd, newfd, flags int) (int, error) {
	fd, err := C.dup3(C.int(oldfd), C.int(newfd), C.int(flags))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// Socketpair calls socketpair(2) in glibc and stores the two descriptors
// in sv. An sv whose length is not 2 gives EINVAL.
func Socketpair(domain, typ, proto int, sv []int) error {
	if len(sv) != 2 {
		return unix.EINVAL
	}
	var fds [2]C.int
	if r, err := C.socketpair(C.int(domain), C.int(typ), C.int(proto), &fds[0]); r != 0 {
		return err
	}
	sv[0], sv[1] = int(fds[0]), int(fds[1])
	return nil
}

// Eventfd calls eventfd(2) in glibc and returns the descriptor.
func Eventfd(initval uint, flags int) (int, error) {
	fd, err := C.eventfd(C.uint(initval), C.int(flags))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// EpollCreate1 calls epoll_create1(2) in glibc and returns the descriptor.
func EpollCreate1(flags int) (int, error) {
	fd, err := C.epoll_create1(C.int(flags))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// EpollCtl calls epoll_ctl(2) in glibc; a nil event passes NULL.
// unix.EpollEvent has the layout of struct epoll_event.
func EpollCtl(epfd, op, fd int, event *unix.EpollEvent) error {
	if r, err := C.epoll_ctl(C.int(epfd), C.int(op), C.int(fd), (*C.struct_epoll_event)(unsafe.Pointer(event))); r != 0 {
		return err
	}
	return nil
}

// EpollWait calls epoll_wait(2) in glibc with maxevents len(events) (an
// empty events passes NULL) and returns the count of events stored.
func EpollWait(epfd int, events []unix.EpollEvent, msec int) (int, error) {
	var p *C.struct_epoll_event
	if len(events) > 0 {
		p = (*C.struct_epoll_event)(unsafe.Pointer(&events[0]))
	}
	n, err := C.epoll_wait(C.int(epfd), p, C.int(len(events)), C.int(msec))
	if n < 0 {
		return -1, err
	}
	return int(n), nil
}

// MemfdCreate calls memfd_create(2) in glibc and returns the descriptor.
func MemfdCreate(name string, flags int) (int, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	fd, err := C.memfd_create(cname, C.uint(flags))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// TimerfdCreate calls timerfd_create(2) in glibc and returns the
// descriptor.
func TimerfdCreate(clockid, flags int) (int, error) {
	fd, err := C.timerfd_create(C.int(clockid), C.int(flags))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// TimerfdSettime calls timerfd_settime(2) in glibc; a nil oldValue passes
// NULL. unix.ItimerSpec has the layout of struct itimerspec.
func TimerfdSettime(fd, flags int, newValue, oldValue *unix.ItimerSpec) error {
	r, err := C.timerfd_settime(C.int(fd), C.int(flags),
		(*C.struct_itimerspec)(unsafe.Pointer(newValue)), (*C.struct_itimerspec)(unsafe.Pointer(oldValue)))
	if r != 0 {
		return err
	}
	return nil
}

// Signalfd calls signalfd(2) in glibc with mask, whose first 64 signals
// glibc passes to the kernel; a nil mask passes NULL.
func Signalfd(fd int, mask *unix.Sigset_t, flags int) (int, error) {
	nfd, err := C.cipc_signalfd(C.int(fd), unsafe.Pointer(mask), C.int(flags))
	if nfd < 0 {
		return -1, err
	}
	return int(nfd), nil
}
