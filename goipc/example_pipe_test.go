//go:build linux

package goipc_test

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

func ExamplePipe() {
	var p [2]int // p[0]: read end, p[1]: write end
	if err := goipc.Pipe(p[:]); err != nil {
		fmt.Println(err)
		return
	}
	goipc.Write(p[1], []byte("Hello World!"))
	goipc.Close(p[1]) // the reader will see end of file

	buf := make([]byte, 64)
	n, _ := goipc.Read(p[0], buf)
	fmt.Printf("%q\n", buf[:n])
	n, _ = goipc.Read(p[0], buf)
	fmt.Println(n)
	goipc.Close(p[0])
	// Output:
	// "Hello World!"
	// 0
}

func ExamplePipe2() {
	var p [2]int
	if err := goipc.Pipe2(p[:], unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(p[0])
	defer goipc.Close(p[1])
	_, err := goipc.Read(p[0], make([]byte, 1))
	fmt.Println(errors.Is(err, unix.EAGAIN), goipc.Strerror(err.(unix.Errno)))
	// Output:
	// true Resource temporarily unavailable
}

func ExampleWrite() {
	var p [2]int
	goipc.Pipe(p[:])
	goipc.Close(p[0])
	// No reader: EPIPE. On a descriptor other than 1 and 2 a Go process
	// survives the SIGPIPE that comes with it.
	_, err := goipc.Write(p[1], []byte("x"))
	fmt.Println(err == unix.EPIPE)
	goipc.Close(p[1])
	// Output:
	// true
}

func ExampleFcntlInt() {
	var p [2]int
	goipc.Pipe(p[:])
	defer goipc.Close(p[0])
	defer goipc.Close(p[1])
	size, _ := goipc.FcntlInt(p[1], unix.F_GETPIPE_SZ, 0)
	fmt.Println(size)
	// Output:
	// 65536
}

func ExampleStrerror() {
	fmt.Println(goipc.Strerror(unix.ENOENT))
	fmt.Println(unix.ENOENT.Error()) // Go's own text differs
	// Output:
	// No such file or directory
	// no such file or directory
}
