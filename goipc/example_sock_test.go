//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// socketPath is a path for a Unix-domain socket in a new directory that
// only its user can enter; remove the directory when done.
func socketPath(name string) (path, dir string) {
	dir, err := os.MkdirTemp("", "goipc-sock-")
	if err != nil {
		panic(err)
	}
	return filepath.Join(dir, name), dir
}

// A stream socket of a family the kernel does not know, or of a type that
// is not one, cannot be made.
func ExampleSocket() {
	_, err := goipc.Socket(12345, unix.SOCK_STREAM, 0)
	fmt.Println(err == unix.EAFNOSUPPORT)
	_, err = goipc.Socket(unix.AF_UNIX, 12345, 0)
	fmt.Println(err == unix.EINVAL)

	fd, err := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(fd)
	flags, _ := goipc.FcntlInt(fd, unix.F_GETFD, 0)
	fmt.Println(flags == unix.FD_CLOEXEC)
	// Output:
	// true
	// true
	// true
}

// Binding creates the socket file, which stays when the socket is closed:
// a second bind to the path fails with EADDRINUSE until it is removed.
func ExampleBind() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)

	a, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	fmt.Println(goipc.Bind(a, &unix.SockaddrUnix{Name: path}))
	goipc.Close(a)

	b, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(b)
	err := goipc.Bind(b, &unix.SockaddrUnix{Name: path})
	fmt.Println(err == unix.EADDRINUSE, goipc.Strerror(err.(unix.Errno)))
	goipc.Unlink(path)
	fmt.Println(goipc.Bind(b, &unix.SockaddrUnix{Name: path}))

	// sun_path holds 108 bytes.
	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	long := make([]byte, 109)
	for i := range long {
		long[i] = 'x'
	}
	fmt.Println(goipc.Bind(c, &unix.SockaddrUnix{Name: string(long)}) == unix.EINVAL)
	// Output:
	// <nil>
	// true Address already in use
	// <nil>
	// true
}

// A socket bound to port 0 gets a port from the kernel.
func ExampleGetsockname() {
	fd, _ := goipc.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	defer goipc.Close(fd)
	goipc.Bind(fd, &unix.SockaddrInet4{Port: 0, Addr: [4]byte{127, 0, 0, 1}})
	sa, err := goipc.Getsockname(fd)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := sa.(*unix.SockaddrInet4)
	fmt.Println(in.Addr, in.Port != 0)
	// Output:
	// [127 0 0 1] true
}

// Only a socket that listens accepts connections; a non-blocking one with
// nobody waiting says EAGAIN.
func ExampleListen() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)

	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0)
	defer goipc.Close(s)
	goipc.Bind(s, &unix.SockaddrUnix{Name: path})
	_, _, err := goipc.Accept(s)
	fmt.Println(err == unix.EINVAL)

	fmt.Println(goipc.Listen(s, 5))
	_, _, err = goipc.Accept(s)
	fmt.Println(err == unix.EAGAIN)
	// Output:
	// true
	// <nil>
	// true
}

// A connecting client is unnamed: the server sees an empty name.
func ExampleAccept() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)

	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(s)
	goipc.Bind(s, &unix.SockaddrUnix{Name: path})
	goipc.Listen(s, 5)

	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	goipc.Connect(c, &unix.SockaddrUnix{Name: path}) // completes before accept: the backlog holds it

	a, peer, err := goipc.Accept(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(a)
	fmt.Printf("%q\n", peer.(*unix.SockaddrUnix).Name)
	// Output:
	// ""
}

// With no socket at the path connect fails with ENOENT, with a socket that
// does not listen with ECONNREFUSED, and once connected with EISCONN.
func ExampleConnect() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)
	srv := &unix.SockaddrUnix{Name: path}

	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	fmt.Println(goipc.Connect(c, srv) == unix.ENOENT)

	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(s)
	goipc.Bind(s, srv)
	fmt.Println(goipc.Connect(c, srv) == unix.ECONNREFUSED)

	goipc.Listen(s, 5)
	fmt.Println(goipc.Connect(c, srv))
	fmt.Println(goipc.Connect(c, srv) == unix.EISCONN)
	// Output:
	// true
	// true
	// <nil>
	// true
}

// A client sends its message and shuts down its sending side; the server
// reads to end of file and answers on the same connection.
func ExampleShutdown() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)
	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(s)
	goipc.Bind(s, &unix.SockaddrUnix{Name: path})
	goipc.Listen(s, 5)
	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	goipc.Connect(c, &unix.SockaddrUnix{Name: path})
	a, _, _ := goipc.Accept(s)
	defer goipc.Close(a)

	goipc.Send(c, []byte("hello"), unix.MSG_NOSIGNAL)
	fmt.Println(goipc.Shutdown(c, unix.SHUT_WR))
	_, err := goipc.Send(c, []byte("more"), unix.MSG_NOSIGNAL)
	fmt.Println(err == unix.EPIPE)

	buf := make([]byte, 16)
	n, _ := goipc.Recv(a, buf, 0)
	fmt.Printf("%q\n", buf[:n])
	n, _ = goipc.Recv(a, buf, 0)
	fmt.Println(n) // end of file
	// Output:
	// <nil>
	// true
	// "hello"
	// 0
}

// send on a connection whose peer has gone fails with EPIPE; MSG_NOSIGNAL
// keeps the SIGPIPE away.
func ExampleSend() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)
	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(s)
	goipc.Bind(s, &unix.SockaddrUnix{Name: path})
	goipc.Listen(s, 5)
	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	goipc.Connect(c, &unix.SockaddrUnix{Name: path})
	a, _, _ := goipc.Accept(s)

	n, err := goipc.Send(c, []byte("hello"), unix.MSG_NOSIGNAL)
	fmt.Println(n, err)
	goipc.Close(a)
	_, err = goipc.Send(c, []byte("hello"), unix.MSG_NOSIGNAL)
	fmt.Println(err == unix.EPIPE)
	// Output:
	// 5 <nil>
	// true
}

// MSG_PEEK reads without taking; MSG_DONTWAIT does not wait for data.
func ExampleRecv() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)
	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(s)
	goipc.Bind(s, &unix.SockaddrUnix{Name: path})
	goipc.Listen(s, 5)
	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	goipc.Connect(c, &unix.SockaddrUnix{Name: path})
	a, _, _ := goipc.Accept(s)
	defer goipc.Close(a)

	goipc.Send(c, []byte("received"), 0)
	buf := make([]byte, 16)
	n, _ := goipc.Recv(a, buf[:4], unix.MSG_PEEK)
	fmt.Printf("%q\n", buf[:n])
	n, _ = goipc.Recv(a, buf, 0)
	fmt.Printf("%q\n", buf[:n])
	_, err := goipc.Recv(a, buf, unix.MSG_DONTWAIT)
	fmt.Println(err == unix.EAGAIN)
	// Output:
	// "rece"
	// "received"
	// true
}

// A listening socket polls readable once a client waits to be accepted; a
// descriptor that is not open shows POLLNVAL and a negative one is
// skipped.
func ExamplePoll() {
	path, dir := socketPath("srv")
	defer os.RemoveAll(dir)
	s, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(s)
	goipc.Bind(s, &unix.SockaddrUnix{Name: path})
	goipc.Listen(s, 5)

	fds := []unix.PollFd{{Fd: int32(s), Events: unix.POLLIN}, {Fd: -1, Events: unix.POLLIN}}
	n, _ := goipc.Poll(fds, 0)
	fmt.Println(n, fds[0].Revents)

	c, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(c)
	goipc.Connect(c, &unix.SockaddrUnix{Name: path})
	n, _ = goipc.Poll(fds, -1)
	fmt.Println(n, fds[0].Revents == unix.POLLIN, fds[1].Revents)

	bad := []unix.PollFd{{Fd: 999, Events: unix.POLLIN}}
	n, _ = goipc.Poll(bad, 0)
	fmt.Println(n, bad[0].Revents == unix.POLLNVAL)
	// Output:
	// 0 0
	// 1 true 0
	// 1 true
}

// SO_REUSEADDR lets a server bind its port again while connections of an
// earlier run are in TIME_WAIT.
func ExampleSetsockoptInt() {
	fd, _ := goipc.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	defer goipc.Close(fd)
	fmt.Println(goipc.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1))
	v, _ := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR)
	fmt.Println(v)
	err := goipc.SetsockoptInt(fd, unix.SOL_SOCKET, 12345, 1)
	fmt.Println(err == unix.ENOPROTOOPT)
	// Output:
	// <nil>
	// 1
	// true
}
