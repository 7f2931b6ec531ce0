//go:build linux

package sidestest

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestSock runs the socket cases on api, each in a parallel subtest.
func TestSock(t *testing.T, api sides.API) {
	runCases(t, api.Name, api.Sock, sockCases)
}

// sockOf makes an AF_UNIX socket of typ, closed when the test ends.
func sockOf(t *testing.T, s sides.Sock, typ int) int {
	t.Helper()
	fd, err := s.Socket(unix.AF_UNIX, typ, 0)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	closeAtEnd(t, fd)
	return fd
}

// listening makes a listening AF_UNIX stream socket at a fresh path.
func listening(t *testing.T, s sides.Sock) (int, *unix.SockaddrUnix) {
	t.Helper()
	fd := sockOf(t, s, unix.SOCK_STREAM)
	sa := &unix.SockaddrUnix{Name: filepath.Join(t.TempDir(), "sock")}
	if err := s.Bind(fd, sa); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if err := s.Listen(fd, 4); err != nil {
		t.Fatalf("listen: %v", err)
	}
	return fd, sa
}

var sockCases = []fdCase[sides.Sock]{
	{"socket/bad-domain", unix.EAFNOSUPPORT, func(t *testing.T, s sides.Sock) error {
		fd, err := s.Socket(12345, unix.SOCK_STREAM, 0)
		if err == nil {
			closeAtEnd(t, fd)
		}
		return err
	}},
	{"socket/bad-type", unix.EINVAL, func(t *testing.T, s sides.Sock) error {
		fd, err := s.Socket(unix.AF_UNIX, 12345, 0)
		if err == nil {
			closeAtEnd(t, fd)
		}
		return err
	}},
	{"round-trip", 0, func(t *testing.T, s sides.Sock) error {
		l, sa := listening(t, s)
		got, err := s.Getsockname(l)
		if u, ok := got.(*unix.SockaddrUnix); err != nil || !ok || u.Name != sa.Name {
			t.Errorf("getsockname = %#v, %v; want %q", got, err, sa.Name)
		}
		c := sockOf(t, s, unix.SOCK_STREAM)
		if err := s.Connect(c, sa); err != nil {
			return err
		}
		a, _, err := s.Accept(l)
		if err != nil {
			return err
		}
		closeAtEnd(t, a)
		if n, err := s.Send(c, []byte("ping"), unix.MSG_NOSIGNAL); n != 4 || err != nil {
			t.Fatalf("send = %d, %v", n, err)
		}
		fds := []unix.PollFd{{Fd: int32(a), Events: unix.POLLIN}}
		if n, err := s.Poll(fds, 5000); n != 1 || err != nil || fds[0].Revents&unix.POLLIN == 0 {
			t.Errorf("poll = %d, %v, revents %#x; want 1 and POLLIN", n, err, fds[0].Revents)
		}
		buf := make([]byte, 8)
		if n, err := s.Recv(a, buf, 0); string(buf[:max(n, 0)]) != "ping" || err != nil {
			t.Errorf("recv = %q, %v", buf[:max(n, 0)], err)
		}
		if err := s.Shutdown(c, unix.SHUT_WR); err != nil {
			return err
		}
		n, err := s.Recv(a, buf, 0)
		if n != 0 {
			t.Errorf("recv after the peer's shutdown = %d, want 0", n)
		}
		return err
	}},
	{"poll/timeout", 0, func(t *testing.T, s sides.Sock) error {
		l, _ := listening(t, s)
		fds := []unix.PollFd{{Fd: int32(l), Events: unix.POLLIN}}
		n, err := s.Poll(fds, 0)
		if n != 0 {
			t.Errorf("poll = %d, want 0", n)
		}
		return err
	}},
	{"bind/existing-path", unix.EADDRINUSE, func(t *testing.T, s sides.Sock) error {
		_, sa := listening(t, s)
		return s.Bind(sockOf(t, s, unix.SOCK_STREAM), sa)
	}},
	{"connect/missing-path", unix.ENOENT, func(t *testing.T, s sides.Sock) error {
		return s.Connect(sockOf(t, s, unix.SOCK_STREAM), &unix.SockaddrUnix{Name: filepath.Join(t.TempDir(), "none")})
	}},
	{"connect/not-listening", unix.ECONNREFUSED, func(t *testing.T, s sides.Sock) error {
		fd := sockOf(t, s, unix.SOCK_STREAM)
		sa := &unix.SockaddrUnix{Name: filepath.Join(t.TempDir(), "sock")}
		if err := s.Bind(fd, sa); err != nil {
			t.Fatal(err)
		}
		return s.Connect(sockOf(t, s, unix.SOCK_STREAM), sa)
	}},
	{"accept/not-listening", unix.EINVAL, func(t *testing.T, s sides.Sock) error {
		_, _, err := s.Accept(sockOf(t, s, unix.SOCK_STREAM))
		return err
	}},
	{"listen/-1", unix.EBADF, func(t *testing.T, s sides.Sock) error { return s.Listen(-1, 1) }},
	{"send/not-connected", unix.ENOTCONN, func(t *testing.T, s sides.Sock) error {
		_, err := s.Send(sockOf(t, s, unix.SOCK_STREAM), []byte("x"), unix.MSG_NOSIGNAL)
		return err
	}},
	// AF_UNIX shuts down a socket that has no peer without complaint.
	{"shutdown/not-connected", 0, func(t *testing.T, s sides.Sock) error {
		return s.Shutdown(sockOf(t, s, unix.SOCK_STREAM), unix.SHUT_RDWR)
	}},
	{"setsockopt/SO_RCVBUF", 0, func(t *testing.T, s sides.Sock) error {
		return s.SetsockoptInt(sockOf(t, s, unix.SOCK_STREAM), unix.SOL_SOCKET, unix.SO_RCVBUF, 8192)
	}},
	{"setsockopt/unknown-option", unix.ENOPROTOOPT, func(t *testing.T, s sides.Sock) error {
		return s.SetsockoptInt(sockOf(t, s, unix.SOCK_STREAM), unix.SOL_SOCKET, 12345, 1)
	}},
}
