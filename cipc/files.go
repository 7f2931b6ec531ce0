//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int cipc_openat(int dirfd, const char *path, int flags, mode_t mode) {
	return openat(dirfd, path, flags, mode);
}
*/
import "C"

import (
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// cPath is path as a C string (free it), or EINVAL for a path with a NUL
// byte, which no C caller can pass. An empty optional path is NULL.
func cPath(path string, optional bool) (*C.char, error) {
	if strings.IndexByte(path, 0) >= 0 {
		return nil, unix.EINVAL
	}
	if optional && path == "" {
		return nil, nil
	}
	return C.CString(path), nil
}

// withPath calls f with path as a C string.
func withPath(path string, f func(p *C.char) (C.int, error)) error {
	p, err := cPath(path, false)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(p))
	if r, err := f(p); r != 0 {
		return err
	}
	return nil
}

// Chmod calls chmod(2) in glibc.
func Chmod(path string, mode uint32) error {
	return withPath(path, func(p *C.char) (C.int, error) {
		r, err := C.chmod(p, C.mode_t(mode))
		return r, err
	})
}

// Chown calls chown(2) in glibc; -1 leaves one id unchanged.
func Chown(path string, uid, gid int) error {
	return withPath(path, func(p *C.char) (C.int, error) {
		r, err := C.chown(p, C.uid_t(uid), C.gid_t(gid))
		return r, err
	})
}

// Mkdir calls mkdir(2) in glibc.
func Mkdir(path string, mode uint32) error {
	return withPath(path, func(p *C.char) (C.int, error) {
		r, err := C.mkdir(p, C.mode_t(mode))
		return r, err
	})
}

// Rmdir calls rmdir(2) in glibc.
func Rmdir(path string) error {
	return withPath(path, func(p *C.char) (C.int, error) {
		r, err := C.rmdir(p)
		return r, err
	})
}

// Symlink calls symlink(2) in glibc.
func Symlink(target, linkpath string) error {
	t, err := cPath(target, false)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(t))
	return withPath(linkpath, func(p *C.char) (C.int, error) {
		r, err := C.symlink(t, p)
		return r, err
	})
}

// Mknod calls mknod(2) in glibc.
func Mknod(path string, mode uint32, dev uint64) error {
	return withPath(path, func(p *C.char) (C.int, error) {
		r, err := C.mknod(p, C.mode_t(mode), C.dev_t(dev))
		return r, err
	})
}

// Mknodat calls mknodat(2) in glibc.
func Mknodat(dirfd int, path string, mode uint32, dev uint64) error {
	return withPath(path, func(p *C.char) (C.int, error) {
		r, err := C.mknodat(C.int(dirfd), p, C.mode_t(mode), C.dev_t(dev))
		return r, err
	})
}

// Openat calls openat(2) in glibc and returns the descriptor.
func Openat(dirfd int, path string, flags int, mode uint32) (int, error) {
	p, err := cPath(path, false)
	if err != nil {
		return -1, err
	}
	defer C.free(unsafe.Pointer(p))
	fd, err := C.cipc_openat(C.int(dirfd), p, C.int(flags), C.mode_t(mode))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// Seteuid calls seteuid(3) in glibc, which changes every thread.
func Seteuid(euid int) error {
	if r, err := C.seteuid(C.uid_t(euid)); r != 0 {
		return err
	}
	return nil
}

// Setegid calls setegid(3) in glibc, which changes every thread.
func Setegid(egid int) error {
	if r, err := C.setegid(C.gid_t(egid)); r != 0 {
		return err
	}
	return nil
}

// Setgroups calls setgroups(2) in glibc, which changes every thread.
func Setgroups(gids []int) error {
	list := make([]C.gid_t, len(gids)+1) // never empty: &list[0] is valid
	for i, g := range gids {
		list[i] = C.gid_t(g)
	}
	var p *C.gid_t
	if len(gids) > 0 {
		p = &list[0]
	}
	if r, err := C.setgroups(C.size_t(len(gids)), p); r != 0 {
		return err
	}
	return nil
}

// Mount calls mount(2) in glibc; an empty source, fstype or data passes
// NULL.
func Mount(source, target, fstype string, flags uintptr, data string) error {
	var ps [3]*C.char
	for i, s := range []string{source, fstype, data} {
		p, err := cPath(s, true)
		if err != nil {
			return err
		}
		if p != nil {
			defer C.free(unsafe.Pointer(p))
		}
		ps[i] = p
	}
	return withPath(target, func(t *C.char) (C.int, error) {
		r, err := C.mount(ps[0], t, ps[1], C.ulong(flags), unsafe.Pointer(ps[2]))
		return r, err
	})
}

// Umount2 calls umount2(2) in glibc.
func Umount2(target string, flags int) error {
	return withPath(target, func(p *C.char) (C.int, error) {
		r, err := C.umount2(p, C.int(flags))
		return r, err
	})
}
