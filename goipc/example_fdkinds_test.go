//go:build linux

package goipc_test

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

func ExampleDup() {
	var p [2]int
	if err := goipc.Pipe(p[:]); err != nil {
		fmt.Println(err)
		return
	}
	d, _ := goipc.Dup(p[1]) // a second write end
	goipc.Write(d, []byte("via dup"))
	buf := make([]byte, 16)
	n, _ := goipc.Read(p[0], buf)
	fmt.Printf("%q\n", buf[:n])
	for _, fd := range []int{p[0], p[1], d} {
		goipc.Close(fd)
	}
	_, err := goipc.Dup(-1)
	fmt.Println(errors.Is(err, unix.EBADF))
	// Output:
	// "via dup"
	// true
}

func ExampleDup2() {
	var p [2]int
	if err := goipc.Pipe(p[:]); err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(p[0])
	defer goipc.Close(p[1])
	fd, err := goipc.Dup2(p[0], p[0]) // onto itself: only checked
	fmt.Println(fd == p[0], err)
	_, err = goipc.Dup2(-1, -1)
	fmt.Println(err)
	// Output:
	// true <nil>
	// bad file descriptor
}

func ExampleDup3() {
	var p [2]int
	if err := goipc.Pipe(p[:]); err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(p[0])
	defer goipc.Close(p[1])
	_, err := goipc.Dup3(p[0], p[0], 0) // unlike dup2
	fmt.Println(err)
	fd, _ := goipc.Dup3(p[0], 100, unix.O_CLOEXEC)
	fdflags, _ := goipc.FcntlInt(fd, unix.F_GETFD, 0)
	fmt.Println(fd, fdflags == unix.FD_CLOEXEC)
	goipc.Close(fd)
	// Output:
	// invalid argument
	// 100 true
}

func ExampleSocketpair() {
	sv := make([]int, 2)
	if err := goipc.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0, sv); err != nil {
		fmt.Println(err)
		return
	}
	goipc.Write(sv[0], []byte("ping"))
	buf := make([]byte, 8)
	n, _ := goipc.Read(sv[1], buf)
	fmt.Printf("%q\n", buf[:n])
	goipc.Close(sv[0])
	goipc.Close(sv[1])
	fmt.Println(goipc.Socketpair(unix.AF_INET, unix.SOCK_STREAM, 0, sv))
	// Output:
	// "ping"
	// operation not supported
}

func ExampleEventfd() {
	e, err := goipc.Eventfd(2, unix.EFD_NONBLOCK)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(e)
	goipc.Write(e, binary.NativeEndian.AppendUint64(nil, 3))
	buf := make([]byte, 8)
	goipc.Read(e, buf)
	fmt.Println(binary.NativeEndian.Uint64(buf))
	_, err = goipc.Read(e, buf) // the counter is 0
	fmt.Println(errors.Is(err, unix.EAGAIN))
	// Output:
	// 5
	// true
}

func ExampleEpollCreate1() {
	ep, err := goipc.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(ep)
	var p [2]int
	goipc.Pipe(p[:])
	defer goipc.Close(p[0])
	defer goipc.Close(p[1])
	goipc.EpollCtl(ep, unix.EPOLL_CTL_ADD, p[0], &unix.EpollEvent{Events: unix.EPOLLIN, Fd: 7})
	events := make([]unix.EpollEvent, 4)
	n, _ := goipc.EpollWait(ep, events, 0)
	fmt.Println(n)
	goipc.Write(p[1], []byte("x"))
	n, _ = goipc.EpollWait(ep, events, 0)
	fmt.Println(n, events[0].Events == unix.EPOLLIN, events[0].Fd)
	fmt.Println(goipc.EpollCtl(ep, unix.EPOLL_CTL_ADD, p[0], &unix.EpollEvent{Events: unix.EPOLLIN}))
	// Output:
	// 0
	// 1 true 7
	// file exists
}

func ExampleEpollCtl() {
	ep, _ := goipc.EpollCreate1(0)
	defer goipc.Close(ep)
	e, _ := goipc.Eventfd(0, 0)
	defer goipc.Close(e)
	fmt.Println(goipc.EpollCtl(ep, unix.EPOLL_CTL_ADD, e, &unix.EpollEvent{Events: unix.EPOLLIN}))
	fmt.Println(goipc.EpollCtl(ep, unix.EPOLL_CTL_ADD, ep, &unix.EpollEvent{Events: unix.EPOLLIN})) // itself
	fmt.Println(goipc.EpollCtl(ep, unix.EPOLL_CTL_MOD, e, nil))                                     // NULL
	fmt.Println(goipc.EpollCtl(ep, unix.EPOLL_CTL_DEL, e, nil))
	// Output:
	// <nil>
	// invalid argument
	// bad address
	// <nil>
}

func ExampleEpollWait() {
	ep, _ := goipc.EpollCreate1(0)
	defer goipc.Close(ep)
	e, _ := goipc.Eventfd(1, 0) // readable: its counter is 1
	defer goipc.Close(e)
	goipc.EpollCtl(ep, unix.EPOLL_CTL_ADD, e, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT, Fd: int32(e)})
	events := make([]unix.EpollEvent, 8)
	n, _ := goipc.EpollWait(ep, events, -1)
	fmt.Println(n, events[0].Events == unix.EPOLLIN|unix.EPOLLOUT, events[0].Fd == int32(e))
	_, err := goipc.EpollWait(ep, nil, 0) // maxevents 0
	fmt.Println(err)
	// Output:
	// 1 true true
	// invalid argument
}

func ExampleMemfdCreate() {
	m, err := goipc.MemfdCreate("example", unix.MFD_CLOEXEC)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(m)
	goipc.Ftruncate(m, 4096)
	b, _ := goipc.Mmap(m, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	copy(b, "in memory")
	goipc.Munmap(b)
	buf := make([]byte, 9)
	n, _ := goipc.Read(m, buf)
	fmt.Printf("%q\n", buf[:n])
	// Output:
	// "in memory"
}

func ExampleTimerfdCreate() {
	tf, err := goipc.TimerfdCreate(unix.CLOCK_MONOTONIC, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(tf)
	// One expiration, a millisecond from now.
	goipc.TimerfdSettime(tf, 0, &unix.ItimerSpec{Value: unix.Timespec{Nsec: 1e6}}, nil)
	buf := make([]byte, 8)
	goipc.Read(tf, buf) // waits for it
	fmt.Println(binary.NativeEndian.Uint64(buf))
	err = goipc.TimerfdSettime(tf, 0, &unix.ItimerSpec{Value: unix.Timespec{Nsec: 1e9}}, nil)
	fmt.Println(err)
	// Output:
	// 1
	// invalid argument
}

func ExampleTimerfdSettime() {
	tf, _ := goipc.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK)
	defer goipc.Close(tf)
	goipc.TimerfdSettime(tf, 0, &unix.ItimerSpec{Interval: unix.Timespec{Sec: 5}, Value: unix.Timespec{Sec: 60}}, nil)
	var old unix.ItimerSpec // the setting replaced: a minute at most left
	goipc.TimerfdSettime(tf, 0, &unix.ItimerSpec{}, &old)
	fmt.Println(old.Interval.Sec, old.Value.Sec <= 60 && old.Value != unix.Timespec{})
	_, err := goipc.Read(tf, make([]byte, 8)) // disarmed: nothing to read
	fmt.Println(errors.Is(err, unix.EAGAIN))
	// Output:
	// 5 true
	// true
}

func ExampleSignalfd() {
	var mask unix.Sigset_t
	mask.Val[0] = 1 << (unix.SIGUSR1 - 1)
	sf, err := goipc.Signalfd(-1, &mask, unix.SFD_NONBLOCK|unix.SFD_CLOEXEC)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(sf)
	_, err = goipc.Read(sf, make([]byte, 128)) // no SIGUSR1 pending
	fmt.Println(errors.Is(err, unix.EAGAIN))
	// Output:
	// true
}
