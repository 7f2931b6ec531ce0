//go:build linux

package cipc

/*
#cgo LDFLAGS: -lrt -pthread
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

// mmap's failure is MAP_FAILED, not NULL; this gives NULL and errno.
static void *cipc_mmap(int fd, off_t offset, size_t length, int prot, int flags) {
	void *p = mmap(NULL, length, prot, flags, fd, offset);
	return p == MAP_FAILED ? NULL : p;
}
*/
import "C"

import (
	creference "github.com/ipcparity/ipcparity/c_reference"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// shmCName is name as a C string, or EINVAL for a name with a NUL byte,
// which a C string cannot hold. The caller frees the result.
func shmCName(name string) (*C.char, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return nil, unix.EINVAL
	}
	return C.CString(name), nil
}

// ShmOpen calls shm_open(3) in glibc and returns the descriptor. A name
// with a NUL byte gives EINVAL without a call.
func ShmOpen(name string, oflag int, mode uint32) (int, error) {
	cname, err := shmCName(name)
	if err != nil {
		return -1, err
	}
	defer C.free(unsafe.Pointer(cname))
	fd, err := C.shm_open(cname, C.int(oflag), C.mode_t(mode))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// ShmUnlink calls shm_unlink(3) in glibc. A name with a NUL byte gives
// EINVAL without a call.
func ShmUnlink(name string) error {
	cname, err := shmCName(name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	if r, err := C.shm_unlink(cname); r != 0 {
		return err
	}
	return nil
}

// Ftruncate calls ftruncate(3) in glibc.
func Ftruncate(fd int, length int64) error {
	if r, err := C.ftruncate(C.int(fd), C.off_t(length)); r != 0 {
		return err
	}
	return nil
}

// Mmap calls mmap(3) in glibc with a NULL address and returns the mapping
// as a byte slice.
func Mmap(fd int, offset int64, length int, prot int, flags int) ([]byte, error) {
	p, err := C.cipc_mmap(C.int(fd), C.off_t(offset), C.size_t(length), C.int(prot), C.int(flags))
	if p == nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), length), nil
}

// Munmap calls munmap(3) in glibc on b's address and length. An empty b
// gives munmap's EINVAL. After Munmap, b must not be used.
func Munmap(b []byte) error {
	if r, err := C.munmap(unsafe.Pointer(unsafe.SliceData(b)), C.size_t(len(b))); r != 0 {
		return err
	}
	return nil
}

// ShmWriterMain runs shm_writer_main of c_reference/shm.c: it creates the
// semaphore and then the 100-byte shared-memory object IPC_NAME (default
// "/shared_memory"), copies args[1] (default "Hello World", cut to 99 bytes)
// and its NUL into it, prints a ready line, and removes both once a reader
// has posted the semaphore.
func ShmWriterMain(args []string) (int, error) {
	return CallMain(creference.ShmWriterMain, args)
}

// ShmReaderMain runs shm_reader_main of c_reference/shm.c: it copies the
// 100 bytes of the object IPC_NAME out, posts the semaphore of the same
// name, and prints the text up to its NUL.
func ShmReaderMain(args []string) (int, error) {
	return CallMain(creference.ShmReaderMain, args)
}
