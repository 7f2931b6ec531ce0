//go:build linux

package cipc

/*
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

// open is variadic, which cgo cannot call.
static int cipc_open(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }
*/
import "C"

import (
	"unsafe"

	creference "github.com/ipcparity/ipcparity/c_reference"
)

// Mkfifo calls mkfifo(3) in glibc: it creates a FIFO at path with
// permission bits mode &^ umask. A path with a NUL byte gives EINVAL
// without a call; so do Open's and Unlink's.
func Mkfifo(path string, mode uint32) error {
	p, err := cPath(path, false)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(p))
	if r, err := C.mkfifo(p, C.mode_t(mode)); r != 0 {
		return err
	}
	return nil
}

// Open calls open(2) in glibc with flags and mode and returns the new
// descriptor.
func Open(path string, flags int, mode uint32) (int, error) {
	p, err := cPath(path, false)
	if err != nil {
		return -1, err
	}
	defer C.free(unsafe.Pointer(p))
	fd, err := C.cipc_open(p, C.int(flags), C.mode_t(mode))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// Unlink calls unlink(2) in glibc.
func Unlink(path string) error {
	p, err := cPath(path, false)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(p))
	if r, err := C.unlink(p); r != 0 {
		return err
	}
	return nil
}

// Umask calls umask(2) in glibc: it sets the file mode creation mask to
// mask & 0777 and returns the previous mask.
func Umask(mask int) int {
	return int(C.umask(C.mode_t(mask)))
}

// FifoReaderMain runs fifo_reader_main of c_reference/fifo.c.
func FifoReaderMain(args []string) (int, error) {
	return CallMain(creference.FifoReaderMain, args)
}

// FifoWriterMain runs fifo_writer_main of c_reference/fifo.c.
func FifoWriterMain(args []string) (int, error) {
	return CallMain(creference.FifoWriterMain, args)
}
