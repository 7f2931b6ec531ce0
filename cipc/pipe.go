//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static int cipc_pipe(int *fds) { return pipe(fds); }
static int cipc_pipe2(int *fds, int flags) { return pipe2(fds, flags); }
static int cipc_fcntl_int(int fd, int cmd, int arg) { return fcntl(fd, cmd, arg); }
*/
import "C"

import (
	creference "github.com/ipcparity/ipcparity/c_reference"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Pipe calls pipe(3) in glibc: p[0] becomes the read end and p[1] the write
// end. A p whose length is not 2 gives EINVAL.
func Pipe(p []int) error {
	if len(p) != 2 {
		return unix.EINVAL
	}
	var fds [2]C.int
	if r, err := C.cipc_pipe(&fds[0]); r != 0 {
		return err
	}
	p[0], p[1] = int(fds[0]), int(fds[1])
	return nil
}

// Pipe2 calls pipe2(3) in glibc with flags.
func Pipe2(p []int, flags int) error {
	if len(p) != 2 {
		return unix.EINVAL
	}
	var fds [2]C.int
	if r, err := C.cipc_pipe2(&fds[0], C.int(flags)); r != 0 {
		return err
	}
	p[0], p[1] = int(fds[0]), int(fds[1])
	return nil
}

// Read calls read(3) in glibc and returns the count; 0 means end of file.
func Read(fd int, p []byte) (int, error) {
	n, err := C.read(C.int(fd), bufPtr(p), C.size_t(len(p)))
	if n < 0 {
		return -1, err
	}
	return int(n), nil
}

// Write calls write(3) in glibc and returns the count written. A SIGPIPE
// that comes with EPIPE reaches the Go runtime's handler, which does not
// end the process: Write returns EPIPE (see os/signal).
func Write(fd int, p []byte) (int, error) {
	n, err := C.write(C.int(fd), bufPtr(p), C.size_t(len(p)))
	if n < 0 {
		return -1, err
	}
	return int(n), nil
}

// Close calls close(3) in glibc.
func Close(fd int) error {
	if r, err := C.close(C.int(fd)); r != 0 {
		return err
	}
	return nil
}

// FcntlInt calls fcntl(3) in glibc for a cmd whose argument is an integer
// and returns its result.
func FcntlInt(fd int, cmd int, arg int) (int, error) {
	r, err := C.cipc_fcntl_int(C.int(fd), C.int(cmd), C.int(arg))
	if r < 0 {
		return -1, err
	}
	return int(r), nil
}

// PipeMain runs pipe_main of c_reference/pipe.c. Its forked child never
// returns into Go: it flushes stdio and leaves with _exit.
func PipeMain(args []string) (int, error) {
	return CallMain(creference.PipeMain, args)
}

// bufPtr is the address of p's first byte, or nil for an empty p.
func bufPtr(p []byte) unsafe.Pointer {
	if len(p) == 0 {
		return nil
	}
	return unsafe.Pointer(&p[0])
}
