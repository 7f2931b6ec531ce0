//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"slices"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// badAddress is an address no one may read or write: a page mapped with
// PROT_NONE, kept for the test binary's life.
var badAddress = func() unsafe.Pointer {
	b, err := unix.Mmap(-1, 0, 4096, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		panic(err)
	}
	return unsafe.Pointer(&b[0])
}()

// cstr is s as a C string.
func cstr(s string) unsafe.Pointer { return unsafe.Pointer(unsafe.StringData(s + "\x00")) }

func ExampleRawPipe() {
	fmt.Println(goipc.RawPipe(nil), goipc.RawPipe(badAddress))
	// Output: bad address bad address
}

func ExampleRawPipe2() {
	// The flags are checked before the array is written.
	fmt.Println(goipc.RawPipe2(badAddress, unix.O_CLOEXEC))
	fmt.Println(goipc.RawPipe2(badAddress, 1))
	var fds [2]int32
	fmt.Println(goipc.RawPipe2(unsafe.Pointer(&fds), unix.O_CLOEXEC), fds[0] > 2 && fds[1] > 2)
	goipc.Close(int(fds[0]))
	goipc.Close(int(fds[1]))
	// Output:
	// bad address
	// invalid argument
	// <nil> true
}

func ExampleRawMkfifo() {
	fmt.Println(goipc.RawMkfifo(badAddress, 0600))
	// Output: bad address
}

func ExampleRawOpen() {
	_, err := goipc.RawOpen(nil, unix.O_RDONLY, 0)
	fmt.Println(err)
	fd, err := goipc.RawOpen(cstr("/dev/null"), unix.O_RDONLY, 0)
	fmt.Println(err)
	goipc.Close(fd)
	// Output:
	// bad address
	// <nil>
}

func ExampleRawUnlink() {
	fmt.Println(goipc.RawUnlink(badAddress))
	// Output: bad address
}

func ExampleRawMqOpen() {
	// The name is good and the attributes are not: nothing is made.
	_, err := goipc.RawMqOpen(cstr("/ipcparity-example-raw"), unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, badAddress)
	fmt.Println(err)
	// glibc checks the '/' itself.
	_, err = goipc.RawMqOpen(cstr("q"), unix.O_RDONLY, 0, nil)
	fmt.Println(err)
	// Output:
	// bad address
	// invalid argument
}

func ExampleRawMqUnlink() {
	fmt.Println(goipc.RawMqUnlink(cstr("/ipcparity-example-none")))
	// Output: no such file or directory
}

func ExampleRawMqGetattr() {
	// A queue that is not there: EBADF before any address is touched.
	fmt.Println(goipc.RawMqGetattr(-1, badAddress))
	// Output: bad file descriptor
}

func ExampleRawMqSetattr() {
	// The kernel reads the new attributes before it looks up the queue.
	fmt.Println(goipc.RawMqSetattr(-1, badAddress, nil))
	// Output: bad address
}

func ExampleRawMqTimedsend() {
	// The kernel reads the deadline before it looks at the queue.
	fmt.Println(goipc.RawMqTimedsend(-1, []byte("m"), 0, badAddress))
	// Output: bad address
}

func ExampleRawMqTimedreceive() {
	_, err := goipc.RawMqTimedreceive(-1, make([]byte, 8), nil, badAddress)
	fmt.Println(err)
	// Output: bad address
}

func ExampleRawShmOpen() {
	_, err := goipc.RawShmOpen(cstr("/ipcparity-example-none"), unix.O_RDONLY, 0)
	fmt.Println(err)
	// Output: no such file or directory
}

func ExampleRawShmUnlink() {
	fmt.Println(goipc.RawShmUnlink(cstr("/ipcparity-example-none")))
	// Output: no such file or directory
}

func ExampleRawSemUnlink() {
	fmt.Println(goipc.RawSemUnlink(cstr("/ipcparity-example-none")))
	// Output: no such file or directory
}

func ExampleRawBind() {
	fd, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(fd)
	fmt.Println(goipc.RawBind(fd, badAddress, unix.SizeofSockaddrUnix))
	fmt.Println(goipc.RawBind(fd, badAddress, 1000))
	// Output:
	// bad address
	// invalid argument
}

func ExampleRawConnect() {
	fd, _ := goipc.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	defer goipc.Close(fd)
	fmt.Println(goipc.RawConnect(fd, nil, unix.SizeofSockaddrUnix))
	// Output: bad address
}

func ExampleRawSocketpair() {
	// The kernel writes the numbers before it makes the sockets.
	fmt.Println(goipc.RawSocketpair(unix.AF_INET, unix.SOCK_STREAM, 0, badAddress))
	var sv [2]int32
	fmt.Println(goipc.RawSocketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0, unsafe.Pointer(&sv)))
	goipc.Close(int(sv[0]))
	goipc.Close(int(sv[1]))
	// Output:
	// bad address
	// <nil>
}

func ExampleRawGetrlimit() {
	// NULL asks for nothing.
	fmt.Println(goipc.RawGetrlimit(unix.RLIMIT_CORE, nil), goipc.RawGetrlimit(unix.RLIMIT_CORE, badAddress))
	// Output: <nil> bad address
}

func ExampleRawSetrlimit() {
	// The limit is read before the resource is checked.
	fmt.Println(goipc.RawSetrlimit(99, badAddress), goipc.RawSetrlimit(unix.RLIMIT_CORE, nil))
	// Output: bad address <nil>
}

func ExampleRawChmod() {
	fmt.Println(goipc.RawChmod(nil, 0600), goipc.RawChmod(badAddress, 0600))
	// Output: bad address bad address
}

func ExampleRawChown() {
	// The kernel reads the path even when there is nothing to change.
	fmt.Println(goipc.RawChown(nil, -1, -1))
	// Output: bad address
}

func ExampleRawMkdir() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	fmt.Println(goipc.RawMkdir(badAddress, 0700), goipc.RawMkdir(cstr(dir+"/d"), 0700))
	// Output: bad address <nil>
}

func ExampleRawRmdir() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	fmt.Println(goipc.RawRmdir(nil), goipc.RawRmdir(cstr(dir)))
	// Output: bad address <nil>
}

func ExampleRawSymlink() {
	// The target is read, and an empty one refused, before the link's path.
	fmt.Println(goipc.RawSymlink(badAddress, cstr("l")))
	fmt.Println(goipc.RawSymlink(cstr(""), badAddress))
	// Output:
	// bad address
	// no such file or directory
}

func ExampleRawMknod() {
	// The type is checked, and a device number over 32 bits refused,
	// before the path is read.
	fmt.Println(goipc.RawMknod(nil, unix.S_IFIFO|0600, 0))
	fmt.Println(goipc.RawMknod(badAddress, unix.S_IFDIR|0700, 0))
	fmt.Println(goipc.RawMknod(badAddress, unix.S_IFIFO|0600, 1<<32))
	// Output:
	// bad address
	// operation not permitted
	// invalid argument
}

func ExampleRawMknodat() {
	// The path is read before the directory descriptor is looked at.
	fmt.Println(goipc.RawMknodat(-1, badAddress, unix.S_IFIFO|0600, 0))
	fmt.Println(goipc.RawMknodat(-1, cstr("p"), unix.S_IFIFO|0600, 0))
	// Output:
	// bad address
	// bad file descriptor
}

func ExampleRawOpenat() {
	// The flags are checked before the path is read, the path before the
	// directory descriptor.
	_, err := goipc.RawOpenat(unix.AT_FDCWD, badAddress, unix.O_TMPFILE|unix.O_RDONLY, 0)
	fmt.Println(err)
	_, err = goipc.RawOpenat(-1, badAddress, unix.O_RDONLY, 0)
	fmt.Println(err)
	fd, err := goipc.RawOpenat(unix.AT_FDCWD, cstr("/dev/null"), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	fmt.Println(err)
	goipc.Close(fd)
	// Output:
	// invalid argument
	// bad address
	// <nil>
}

func ExampleRawWaitpid() {
	pid, err := syscall.ForkExec("/bin/true", []string{"true"}, nil)
	if err != nil {
		panic(err)
	}
	// The kernel reaps the child before it fails to write the status.
	_, err = goipc.RawWaitpid(pid, badAddress, 0)
	fmt.Println(err)
	_, err = goipc.RawWaitpid(pid, nil, 0)
	fmt.Println(err)
	// Output:
	// bad address
	// no child processes
}

func ExampleRawAccept() {
	l, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	c, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	defer goipc.Close(l)
	defer goipc.Close(c)
	unix.Bind(l, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	unix.Listen(l, 1)
	sa, _ := unix.Getsockname(l)
	unix.Connect(c, sa)
	// The connection is taken, then the address cannot be written: the
	// client reads the end of it.
	n := uint32(unix.SizeofSockaddrAny)
	_, err := goipc.RawAccept(l, badAddress, unsafe.Pointer(&n))
	fmt.Println(err)
	fmt.Println(unix.Read(c, make([]byte, 1)))
	// Output:
	// bad address
	// 0 <nil>
}

func ExampleRawGetsockname() {
	fd, _ := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	defer goipc.Close(fd)
	var rsa unix.RawSockaddrAny
	n := uint32(unix.SizeofSockaddrAny)
	fmt.Println(goipc.RawGetsockname(fd, badAddress, unsafe.Pointer(&n)))
	fmt.Println(goipc.RawGetsockname(fd, unsafe.Pointer(&rsa), nil))
	// The socket is looked up first.
	fmt.Println(goipc.RawGetsockname(-1, badAddress, nil))
	// Output:
	// bad address
	// bad address
	// bad file descriptor
}

func ExampleRawSemOpen() {
	// A name at a bad address would end the process of SIGSEGV, as glibc
	// reads it; a good one that names nothing:
	fmt.Println(goipc.RawSemOpen(cstr("/ipcparity-example-none"), 0, 0, 0))
	// Output: no such file or directory
}

func ExampleRawSetgroups() {
	// A list that cannot be read (EFAULT as root, EPERM before it
	// otherwise) changes nothing.
	before, _ := unix.Getgroups()
	err := goipc.RawSetgroups(1, badAddress)
	after, _ := unix.Getgroups()
	fmt.Println(err != nil, slices.Equal(before, after))
	// Output: true true
}
