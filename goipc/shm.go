//go:build linux

package goipc

import (
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// shmDir is glibc's SHMDIR: the directory that holds POSIX shared-memory
// objects and named semaphores on Linux.
const shmDir = "/dev/shm/"

// shmNameBuf is the size of glibc 2.36's struct shmdir_name (posix/
// shm-directory.h): sizeof SHMDIR (with its NUL) + 4 for the "sem." prefix
// + NAME_MAX. The path that __shm_get_name builds, NUL included, must fit.
const shmNameBuf = len(shmDir) + 1 + 4 + unix.NAME_MAX

// shmGetName is glibc 2.36's __shm_get_name (posix/shm-directory.c): it
// strips name's leading slashes and gives "/dev/shm/" + prefix + the rest,
// prefix being "sem." for semaphores. The rest must be non-empty and hold
// no '/', and the whole path with its NUL must fit in struct shmdir_name;
// otherwise the result is EINVAL. glibc 2.36 has no ENAMETOOLONG here (later
// versions have): a shared-memory name of 256 to 259 bytes passes and the
// kernel's open gives ENAMETOOLONG (the file name is longer than NAME_MAX),
// 260 bytes and more give EINVAL; for a semaphore ("sem." + name) the bounds
// are 252 to 255 and 256.
//
// A name with a NUL byte gives EINVAL: a C string cannot hold it (the
// project's rule for names, on both sides).
func shmGetName(name string, semPrefix bool) (string, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", unix.EINVAL
	}
	name = strings.TrimLeft(name, "/")
	prefix := ""
	if semPrefix {
		prefix = "sem."
	}
	path := shmDir + prefix + name
	if name == "" || strings.IndexByte(name, '/') >= 0 || len(path)+1 > shmNameBuf {
		return "", unix.EINVAL
	}
	return path, nil
}

// ShmOpen opens the POSIX shared-memory object name, as shm_open(3) in
// glibc 2.36, and returns its descriptor.
//
// The object is the file /dev/shm/NAME, NAME being name without its leading
// slashes. An empty NAME, a NAME with a '/' or a NUL byte in it, or one of
// 260 bytes or more (too long for glibc's buffer) gives EINVAL; a NAME of
// 256 to 259 bytes passes and the kernel gives ENAMETOOLONG. The file is
// opened with oflag|O_NOFOLLOW|O_CLOEXEC and mode; the kernel's EISDIR
// becomes EINVAL. As in glibc, "." and ".." are not refused: they
// name /dev/shm and /dev themselves, which open with O_RDONLY succeeds on.
func ShmOpen(name string, oflag int, mode uint32) (int, error) {
	path, err := shmGetName(name, false)
	if err != nil {
		return -1, err
	}
	fd, err := unix.Open(path, oflag|unix.O_NOFOLLOW|unix.O_CLOEXEC, mode)
	if err == unix.EISDIR {
		return -1, unix.EINVAL
	}
	if err != nil {
		return -1, err
	}
	return fd, nil
}

// ShmUnlink removes the POSIX shared-memory object name, as shm_unlink(3)
// in glibc 2.36. A name that ShmOpen would refuse gives ENOENT, not EINVAL;
// otherwise the result is unlink(2)'s on /dev/shm/NAME, its EPERM turned
// into EACCES.
func ShmUnlink(name string) error {
	if strings.IndexByte(name, 0) >= 0 {
		return unix.EINVAL
	}
	path, err := shmGetName(name, false)
	if err != nil {
		return unix.ENOENT
	}
	err = unix.Unlink(path)
	if err == unix.EPERM {
		return unix.EACCES
	}
	return err
}

// Ftruncate sets the size of the file fd refers to, as ftruncate(2). A
// descriptor not open for writing gives EINVAL, as does a negative length.
func Ftruncate(fd int, length int64) error {
	return unix.Ftruncate(fd, length)
}

// Mmap maps length bytes of fd from offset, as mmap(2) with a NULL address,
// and returns the mapping as a byte slice.
//
// Unlike unix.Mmap, Mmap keeps no table of its own: every error comes from
// the kernel, as in glibc (length 0 gives EINVAL, a bad fd EBADF,
// PROT_WRITE with MAP_SHARED on a descriptor opened O_RDONLY EACCES), and
// Munmap takes any part of a mapping.
func Mmap(fd int, offset int64, length int, prot int, flags int) ([]byte, error) {
	p, err := unix.MmapPtr(fd, offset, nil, uintptr(length), prot, flags)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), length), nil
}

// Munmap removes the mappings of the pages that b covers, as munmap(2) on
// b's address and length. An empty b gives EINVAL, as munmap with length 0
// does. After Munmap, b must not be used: its memory is gone.
func Munmap(b []byte) error {
	return unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)))
}
