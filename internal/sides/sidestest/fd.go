//go:build linux

package sidestest

import (
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestFD runs the descriptor cases (dup, socketpair, eventfd, epoll,
// memfd, timerfd, signalfd) on api, each in a parallel subtest.
func TestFD(t *testing.T, api sides.API) {
	runCases(t, api.Name, api, fdCases)
}

// made takes the result of a call that gives a descriptor and returns its
// error; a descriptor it gave is closed when the test ends.
func made(t *testing.T) func(fd int, err error) error {
	return func(fd int, err error) error {
		if err == nil {
			closeAtEnd(t, fd)
		}
		return err
	}
}

// mustFd takes the result of the call what, which gives a descriptor: it
// fails the test unless the call succeeded, and closes the descriptor
// when the test ends.
func mustFd(t *testing.T, what string) func(fd int, err error) int {
	return func(fd int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		closeAtEnd(t, fd)
		return fd
	}
}

// counter is the 8 bytes of an eventfd or timerfd counter.
func counter(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }

var fdCases = []fdCase[sides.API]{
	{"dup/-1", unix.EBADF, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.Dup(-1))
	}},
	{"dup/round-trip", 0, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		d := mustFd(t, "dup")(s.FD.Dup(p[1]))
		if n, err := s.Pipe.Write(d, []byte("hi")); n != 2 || err != nil {
			t.Fatalf("write through the dup = %d, %v", n, err)
		}
		buf := make([]byte, 4)
		if n, err := s.Pipe.Read(p[0], buf); n != 2 || err != nil || string(buf[:2]) != "hi" {
			t.Errorf("read = %d %q, %v; want \"hi\"", n, buf[:max(n, 0)], err)
		}
		if fd, _ := s.Pipe.FcntlInt(d, unix.F_GETFD, 0); fd&unix.FD_CLOEXEC != 0 {
			t.Errorf("dup's descriptor has FD_CLOEXEC")
		}
		return nil
	}},
	{"dup2/same-open", 0, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		fd, err := s.FD.Dup2(p[0], p[0])
		if err == nil && fd != p[0] {
			t.Errorf("dup2(%d, %d) = %d", p[0], p[0], fd)
		}
		return err
	}},
	{"dup2/same-closed", unix.EBADF, func(t *testing.T, s sides.API) error {
		_, err := s.FD.Dup2(-1, -1)
		return err
	}},
	{"dup2/newfd-negative", unix.EBADF, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		_, err := s.FD.Dup2(p[0], -1)
		return err
	}},
	{"dup3/same", unix.EINVAL, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		_, err := s.FD.Dup3(p[0], p[0], 0)
		return err
	}},
	{"dup3/O_NONBLOCK", unix.EINVAL, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		return made(t)(s.FD.Dup3(p[0], p[1], unix.O_NONBLOCK))
	}},
	{"dup3/O_CLOEXEC", 0, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		q := pipeOf(t, s.Pipe, 0)
		fd, err := s.FD.Dup3(p[0], q[0], unix.O_CLOEXEC)
		if err != nil {
			return err
		}
		if fl, _ := s.Pipe.FcntlInt(fd, unix.F_GETFD, 0); fd != q[0] || fl&unix.FD_CLOEXEC == 0 {
			t.Errorf("dup3 = %d (want %d), F_GETFD %#x; want FD_CLOEXEC", fd, q[0], fl)
		}
		return nil
	}},
	{"socketpair/round-trip", 0, func(t *testing.T, s sides.API) error {
		sv := make([]int, 2)
		if err := s.FD.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0, sv); err != nil {
			return err
		}
		closeAtEnd(t, sv[0])
		closeAtEnd(t, sv[1])
		if n, err := s.Pipe.Write(sv[1], []byte("x")); n != 1 || err != nil {
			t.Fatalf("write = %d, %v", n, err)
		}
		buf := make([]byte, 2)
		if n, err := s.Pipe.Read(sv[0], buf); n != 1 || err != nil {
			t.Errorf("read = %d, %v; want 1", n, err)
		}
		return nil
	}},
	{"socketpair/AF_INET", unix.EOPNOTSUPP, func(t *testing.T, s sides.API) error {
		sv := make([]int, 2)
		err := s.FD.Socketpair(unix.AF_INET, unix.SOCK_STREAM, 0, sv)
		if err == nil {
			closeAtEnd(t, sv[0])
			closeAtEnd(t, sv[1])
		}
		return err
	}},
	{"socketpair/one-element-slice", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return s.FD.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0, make([]int, 1))
	}},
	{"eventfd/counter", unix.EAGAIN, func(t *testing.T, s sides.API) error {
		e := mustFd(t, "eventfd")(s.FD.Eventfd(2, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC))
		if n, err := s.Pipe.Write(e, counter(3)); n != 8 || err != nil {
			t.Fatalf("write = %d, %v", n, err)
		}
		buf := make([]byte, 8)
		if n, err := s.Pipe.Read(e, buf); n != 8 || err != nil || binary.NativeEndian.Uint64(buf) != 5 {
			t.Errorf("read = %d %x, %v; want 8 bytes of 5", n, buf, err)
		}
		_, err := s.Pipe.Read(e, buf) // the counter is 0 now
		return err
	}},
	{"eventfd/short-read", unix.EINVAL, func(t *testing.T, s sides.API) error {
		e := mustFd(t, "eventfd")(s.FD.Eventfd(1, 0))
		_, err := s.Pipe.Read(e, make([]byte, 4))
		return err
	}},
	{"eventfd/bad-flags", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.Eventfd(0, unix.O_APPEND))
	}},
	{"epoll/eventfd-ready", 0, func(t *testing.T, s sides.API) error {
		ep := mustFd(t, "epoll_create1")(s.FD.EpollCreate1(unix.EPOLL_CLOEXEC))
		e := mustFd(t, "eventfd")(s.FD.Eventfd(1, 0))
		if err := s.FD.EpollCtl(ep, unix.EPOLL_CTL_ADD, e, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: 77}); err != nil {
			return err
		}
		checkErrno(t, "EPOLL_CTL_ADD again", s.FD.EpollCtl(ep, unix.EPOLL_CTL_ADD, e, &unix.EpollEvent{Events: unix.EPOLLIN}), unix.EEXIST)
		evs := make([]unix.EpollEvent, 4)
		n, err := s.FD.EpollWait(ep, evs, 0)
		if n != 1 || err != nil || evs[0].Events != unix.EPOLLIN || evs[0].Fd != 77 {
			t.Errorf("epoll_wait = %d %+v, %v; want 1 {EPOLLIN 77}", n, evs[0], err)
		}
		return s.FD.EpollCtl(ep, unix.EPOLL_CTL_DEL, e, nil)
	}},
	{"epoll_create1/bad-flags", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.EpollCreate1(unix.O_NONBLOCK))
	}},
	{"epoll_ctl/DEL-absent", unix.ENOENT, func(t *testing.T, s sides.API) error {
		ep := mustFd(t, "epoll_create1")(s.FD.EpollCreate1(0))
		p := pipeOf(t, s.Pipe, 0)
		return s.FD.EpollCtl(ep, unix.EPOLL_CTL_DEL, p[0], nil)
	}},
	{"epoll_ctl/itself", unix.EINVAL, func(t *testing.T, s sides.API) error {
		ep := mustFd(t, "epoll_create1")(s.FD.EpollCreate1(0))
		return s.FD.EpollCtl(ep, unix.EPOLL_CTL_ADD, ep, &unix.EpollEvent{Events: unix.EPOLLIN})
	}},
	{"epoll_ctl/not-epoll", unix.EINVAL, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		return s.FD.EpollCtl(p[0], unix.EPOLL_CTL_ADD, p[1], &unix.EpollEvent{Events: unix.EPOLLIN})
	}},
	{"epoll_ctl/ADD-NULL", unix.EFAULT, func(t *testing.T, s sides.API) error {
		ep := mustFd(t, "epoll_create1")(s.FD.EpollCreate1(0))
		p := pipeOf(t, s.Pipe, 0)
		return s.FD.EpollCtl(ep, unix.EPOLL_CTL_ADD, p[0], nil)
	}},
	{"epoll_wait/no-events", unix.EINVAL, func(t *testing.T, s sides.API) error {
		ep := mustFd(t, "epoll_create1")(s.FD.EpollCreate1(0))
		_, err := s.FD.EpollWait(ep, nil, 0)
		return err
	}},
	{"epoll_wait/-1", unix.EBADF, func(t *testing.T, s sides.API) error {
		_, err := s.FD.EpollWait(-1, make([]unix.EpollEvent, 1), 0)
		return err
	}},
	{"memfd/write", 0, func(t *testing.T, s sides.API) error {
		m := mustFd(t, "memfd_create")(s.FD.MemfdCreate("m", unix.MFD_CLOEXEC))
		if n, err := s.Pipe.Write(m, []byte("hello")); n != 5 || err != nil {
			t.Errorf("write = %d, %v; want 5", n, err)
		}
		return s.Shm.Ftruncate(m, 4096)
	}},
	{"memfd/bad-flags", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.MemfdCreate("m", 0x100))
	}},
	{"memfd/long-name", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.MemfdCreate(longName(250), 0))
	}},
	{"timerfd/expires", unix.EAGAIN, func(t *testing.T, s sides.API) error {
		tf := mustFd(t, "timerfd_create")(s.FD.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK))
		buf := make([]byte, 8)
		_, err := s.Pipe.Read(tf, buf)
		checkErrno(t, "read of a disarmed timer", err, unix.EAGAIN)
		if err := s.FD.TimerfdSettime(tf, 0, &unix.ItimerSpec{Value: unix.Timespec{Nsec: 1}}, nil); err != nil {
			t.Fatalf("timerfd_settime: %v", err)
		}
		pfd := []unix.PollFd{{Fd: int32(tf), Events: unix.POLLIN}}
		if n, err := s.Sock.Poll(pfd, 5000); n != 1 || err != nil {
			t.Fatalf("poll = %d, %v; want 1", n, err)
		}
		if n, err := s.Pipe.Read(tf, buf); n != 8 || err != nil || binary.NativeEndian.Uint64(buf) != 1 {
			t.Errorf("read = %d %x, %v; want 8 bytes of 1", n, buf, err)
		}
		old := unix.ItimerSpec{Value: unix.Timespec{Sec: 1}}
		if err := s.FD.TimerfdSettime(tf, 0, &unix.ItimerSpec{}, &old); err != nil || old != (unix.ItimerSpec{}) {
			t.Errorf("timerfd_settime to disarm = %v, old %+v; want a spent timer", err, old)
		}
		_, err = s.Pipe.Read(tf, buf)
		return err
	}},
	{"timerfd_create/bad-clock", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.TimerfdCreate(12345, 0))
	}},
	{"timerfd_settime/bad-nsec", unix.EINVAL, func(t *testing.T, s sides.API) error {
		tf := mustFd(t, "timerfd_create")(s.FD.TimerfdCreate(unix.CLOCK_MONOTONIC, 0))
		return s.FD.TimerfdSettime(tf, 0, &unix.ItimerSpec{Value: unix.Timespec{Nsec: 1e9}}, nil)
	}},
	{"timerfd_settime/not-timerfd", unix.EINVAL, func(t *testing.T, s sides.API) error {
		p := pipeOf(t, s.Pipe, 0)
		return s.FD.TimerfdSettime(p[0], 0, &unix.ItimerSpec{}, nil)
	}},
	{"signalfd/nothing-pending", unix.EAGAIN, func(t *testing.T, s sides.API) error {
		var mask unix.Sigset_t
		mask.Val[0] = 1 << (unix.SIGUSR2 - 1)
		sf := mustFd(t, "signalfd")(s.FD.Signalfd(-1, &mask, unix.SFD_NONBLOCK|unix.SFD_CLOEXEC))
		_, err := s.Pipe.Read(sf, make([]byte, 128))
		return err
	}},
	{"signalfd/NULL", unix.EFAULT, func(t *testing.T, s sides.API) error {
		return made(t)(s.FD.Signalfd(-1, nil, 0))
	}},
	{"signalfd/not-signalfd", unix.EINVAL, func(t *testing.T, s sides.API) error {
		var mask unix.Sigset_t
		p := pipeOf(t, s.Pipe, 0)
		return made(t)(s.FD.Signalfd(p[0], &mask, 0))
	}},
}

// longName is a memfd name of n bytes.
func longName(n int) string { return strings.Repeat("m", n) }
