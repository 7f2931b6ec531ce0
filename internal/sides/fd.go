//go:build linux

package sides

import "golang.org/x/sys/unix"

// FD holds the descriptor calls beyond the pipe's and the socket
// programs': dup(2), dup2, dup3, socketpair(2), eventfd(2), the epoll(7)
// calls, memfd_create(2), timerfd_create(2), timerfd_settime and
// signalfd(2). Read, Write, Close and Poll (Pipe's and Sock's) work on
// every descriptor they make.
type FD struct {
	Dup            func(oldfd int) (int, error)
	Dup2           func(oldfd, newfd int) (int, error)
	Dup3           func(oldfd, newfd, flags int) (int, error)
	Socketpair     func(domain, typ, proto int, sv []int) error
	Eventfd        func(initval uint, flags int) (int, error)
	EpollCreate1   func(flags int) (int, error)
	EpollCtl       func(epfd, op, fd int, event *unix.EpollEvent) error
	EpollWait      func(epfd int, events []unix.EpollEvent, msec int) (int, error)
	MemfdCreate    func(name string, flags int) (int, error)
	TimerfdCreate  func(clockid, flags int) (int, error)
	TimerfdSettime func(fd, flags int, newValue, oldValue *unix.ItimerSpec) error
	Signalfd       func(fd int, mask *unix.Sigset_t, flags int) (int, error)
}
