//go:build linux

package goipc

import (
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The descriptor kinds beyond pipes and sockets that a port may use, each
// with glibc's system call and errno. Each function returns the bare
// unix.Errno the call failed with, so errors.Is(err, unix.EBADF) works.

// Dup duplicates oldfd onto the lowest free descriptor, as dup(2), and
// returns it.
func Dup(oldfd int) (int, error) {
	fd, _, e := unix.RawSyscall(unix.SYS_DUP, uintptr(oldfd), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// Dup2 makes newfd a copy of oldfd, closing newfd first if it was open,
// as dup2(2), and returns newfd. When oldfd equals newfd it only checks
// that oldfd is open (EBADF if not) and returns it. glibc does the same
// with fcntl(F_GETFL) and dup3 where the kernel has no dup2 (arm64); Dup2
// does so everywhere, which gives the kernel's dup2 outcome on every
// architecture.
func Dup2(oldfd, newfd int) (int, error) {
	if oldfd == newfd {
		if _, err := unix.FcntlInt(uintptr(oldfd), unix.F_GETFL, 0); err != nil {
			return -1, err
		}
		return newfd, nil
	}
	return Dup3(oldfd, newfd, 0)
}

// Dup3 is Dup2 with flags (O_CLOEXEC only), as dup3(2): equal descriptors
// give EINVAL, and so does any other flag.
func Dup3(oldfd, newfd, flags int) (int, error) {
	fd, _, e := unix.RawSyscall(unix.SYS_DUP3, uintptr(oldfd), uintptr(newfd), uintptr(flags))
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// Socketpair creates a pair of connected sockets, as socketpair(2), and
// stores their descriptors in sv, whose length must be 2 (EINVAL
// otherwise, without a call).
func Socketpair(domain, typ, proto int, sv []int) error {
	if len(sv) != 2 {
		return unix.EINVAL
	}
	var fds [2]int32
	_, _, e := unix.RawSyscall6(unix.SYS_SOCKETPAIR, uintptr(domain), uintptr(typ), uintptr(proto), uintptr(unsafe.Pointer(&fds)), 0, 0)
	if e != 0 {
		return e
	}
	sv[0], sv[1] = int(fds[0]), int(fds[1])
	return nil
}

// Eventfd creates an eventfd object whose counter starts at initval, as
// eventfd(2) (glibc calls eventfd2), and returns its descriptor. flags
// are EFD_CLOEXEC, EFD_NONBLOCK and EFD_SEMAPHORE. Its counter is read and
// written with Read and Write, 8 bytes in host byte order.
func Eventfd(initval uint, flags int) (int, error) {
	fd, _, e := unix.RawSyscall(unix.SYS_EVENTFD2, uintptr(uint32(initval)), uintptr(flags), 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// EpollCreate1 creates an epoll instance, as epoll_create1(2), and returns
// its descriptor; flags is 0 or EPOLL_CLOEXEC.
func EpollCreate1(flags int) (int, error) {
	fd, _, e := unix.RawSyscall(unix.SYS_EPOLL_CREATE1, uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// EpollCtl adds, changes or removes (op: EPOLL_CTL_ADD, EPOLL_CTL_MOD,
// EPOLL_CTL_DEL) fd in the interest list of epfd, as epoll_ctl(2). event
// may be nil, which passes NULL (allowed for EPOLL_CTL_DEL, EFAULT for
// the others). event's Fd and Pad together are the 64 bits of
// epoll_data, as x/sys/unix lays it out.
func EpollCtl(epfd, op, fd int, event *unix.EpollEvent) error {
	_, _, e := unix.RawSyscall6(unix.SYS_EPOLL_CTL, uintptr(epfd), uintptr(op), uintptr(fd), uintptr(unsafe.Pointer(event)), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// EpollWait waits up to msec milliseconds (-1: without end, 0: not at
// all) for events on epfd, as epoll_wait(2) with maxevents len(events),
// and returns how many it stored in events. An empty events gives EINVAL
// (x/sys/unix passes a dummy event and the count 0, which the kernel
// refuses first, as it refuses glibc's).
// A signal that comes while it waits makes it fail with EINTR: it is
// never restarted. glibc calls epoll_wait where the kernel has it (amd64)
// and epoll_pwait with no mask elsewhere; x/sys/unix.EpollWait, which this
// calls, does the same.
func EpollWait(epfd int, events []unix.EpollEvent, msec int) (int, error) {
	yieldSometimes()
	n, err := unix.EpollWait(epfd, events, msec)
	if err != nil {
		return -1, err
	}
	return n, nil
}

// MemfdCreate creates an anonymous file in memory named name (shown in
// /proc/self/fd as "/memfd:NAME"), as memfd_create(2), and returns its
// descriptor. flags are MFD_CLOEXEC, MFD_ALLOW_SEALING, MFD_HUGETLB, ...; a
// name of more than 249 bytes gives EINVAL.
func MemfdCreate(name string, flags int) (int, error) {
	// A C string ends at its first NUL: so does the name glibc passes.
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	p, err := unix.BytePtrFromString(name)
	if err != nil {
		return -1, unix.EINVAL
	}
	fd, _, e := unix.RawSyscall(unix.SYS_MEMFD_CREATE, uintptr(unsafe.Pointer(p)), uintptr(flags), 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// TimerfdCreate creates a timer on clockid (CLOCK_REALTIME,
// CLOCK_MONOTONIC, ...) that notifies through a descriptor, as
// timerfd_create(2), and returns it. flags are TFD_CLOEXEC and
// TFD_NONBLOCK. A read of 8 bytes gives the count of expirations since the
// last read.
func TimerfdCreate(clockid, flags int) (int, error) {
	fd, _, e := unix.RawSyscall(unix.SYS_TIMERFD_CREATE, uintptr(clockid), uintptr(flags), 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// TimerfdSettime arms (a non-zero newValue.Value) or disarms the timer fd,
// as timerfd_settime(2); flags is 0 (relative) or TFD_TIMER_ABSTIME. When
// oldValue is not nil it receives the setting that was replaced.
func TimerfdSettime(fd, flags int, newValue, oldValue *unix.ItimerSpec) error {
	_, _, e := unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, uintptr(fd), uintptr(flags), uintptr(unsafe.Pointer(newValue)), uintptr(unsafe.Pointer(oldValue)), 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// Signalfd creates (fd -1) or changes (fd a signalfd) a descriptor from
// which the signals in mask are read as struct signalfd_siginfo, as
// signalfd(2) (glibc calls signalfd4 with the kernel's mask size, 8
// bytes). flags are SFD_CLOEXEC and SFD_NONBLOCK. The signals must be
// blocked in every thread to be read rather than delivered, which a Go
// program cannot ask of the runtime's threads.
func Signalfd(fd int, mask *unix.Sigset_t, flags int) (int, error) {
	nfd, _, e := unix.RawSyscall6(unix.SYS_SIGNALFD4, uintptr(fd), uintptr(unsafe.Pointer(mask)), 8, uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(nfd), nil
}
