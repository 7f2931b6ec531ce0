//go:build linux

package main

import (
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// sockListen is sock_listen: a Unix-domain socket at DIR/sock, or TCP on
// 127.0.0.1 with an ephemeral port, and the address to connect to. The
// socket is close-on-exec: the peer, a new program, must not hold it (the
// forked C child closes it).
func sockListen(a *args, tcp bool) (int, unix.Sockaddr, error) {
	family := unix.AF_UNIX
	var addr unix.Sockaddr = &unix.SockaddrUnix{Name: a.dir + "/sock"}
	if tcp {
		family = unix.AF_INET
		addr = &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	}
	fd, err := goipc.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, nil, fail("socket", err)
	}
	if err = goipc.Bind(fd, addr); err == nil {
		if err = goipc.Listen(fd, 1); err == nil {
			addr, err = goipc.Getsockname(fd)
		}
	}
	if err != nil {
		goipc.Close(fd)
		return -1, nil, fail("bind", err)
	}
	return fd, addr, nil
}

func sockNodelay(fd int, tcp bool) {
	if tcp {
		goipc.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
}

// sockRun is sock_run; the peer is told the port (TCP) or nothing (the
// Unix socket's path is DIR/sock).
func sockRun(a *args, tcp, tput bool) error {
	l, addr, err := sockListen(a, tcp)
	if err != nil {
		return err
	}
	var extra []string
	if in4, ok := addr.(*unix.SockaddrInet4); ok {
		extra = append(extra, strconv.Itoa(in4.Port))
	}
	pid, err := startPeer(a, -1, nil, extra...)
	if err != nil {
		goipc.Close(l)
		return err
	}
	fd, _, err := goipc.Accept(l)
	goipc.Close(l)
	if err != nil {
		err = fail("accept", err)
	} else {
		sockNodelay(fd, tcp)
		if tput {
			err = streamTputParent(fd, fd, a)
		} else {
			err = streamLatParent(fd, fd, a)
		}
		goipc.Close(fd) // the child sees end of file
	}
	if werr := waitPeer(pid); err == nil {
		err = werr
	}
	if !tcp {
		goipc.Unlink(a.dir + "/sock")
	}
	return err
}

func unixLat(a *args) error  { return sockRun(a, false, false) }
func unixTput(a *args) error { return sockRun(a, false, true) }
func tcpLat(a *args) error   { return sockRun(a, true, false) }
func tcpTput(a *args) error  { return sockRun(a, true, true) }

// sockPeer is the forked child of sock_run: connect, then the echo or the
// reader.
func sockPeer(a *args, extra []string) error {
	tcp := a.name == "tcp-lat" || a.name == "tcp-tput"
	family := unix.AF_UNIX
	var addr unix.Sockaddr = &unix.SockaddrUnix{Name: a.dir + "/sock"}
	if tcp {
		if len(extra) != 1 {
			return unix.EINVAL
		}
		port, err := strconv.Atoi(extra[0])
		if err != nil {
			return err
		}
		family = unix.AF_INET
		addr = &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port}
	}
	fd, err := goipc.Socket(family, unix.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	if err := goipc.Connect(fd, addr); err != nil {
		return err
	}
	sockNodelay(fd, tcp)
	if a.name == "unix-tput" || a.name == "tcp-tput" {
		streamTputChild(fd, fd, a)
	} else {
		streamLatChild(fd, fd, a)
	}
	return nil
}
