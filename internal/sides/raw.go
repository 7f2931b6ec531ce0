//go:build linux

package sides

import "unsafe"

// Raw holds the calls whose name, path, structure or array a call script
// may give as NULL or BADPTR (an address no one may read or write), for
// the EFAULT cases: each takes that argument as an address and passes it
// on as glibc does, where the other calls take Go values. A name or path
// is a NUL-terminated string at its address. Where glibc reads the
// argument itself before the system call (the '/' of a queue's name, the
// strlen of a shared memory object's), a bad address kills the process
// with SIGSEGV on both sides, without a core dump.
type Raw struct {
	Pipe           func(fds unsafe.Pointer) error
	Pipe2          func(fds unsafe.Pointer, flags int) error
	Mkfifo         func(path unsafe.Pointer, mode uint32) error
	Open           func(path unsafe.Pointer, flags int, mode uint32) (int, error)
	Unlink         func(path unsafe.Pointer) error
	MqOpen         func(name unsafe.Pointer, oflag int, mode uint32, attr unsafe.Pointer) (int, error)
	MqUnlink       func(name unsafe.Pointer) error
	MqGetattr      func(mqd int, attr unsafe.Pointer) error
	MqSetattr      func(mqd int, newattr, oldattr unsafe.Pointer) error
	MqTimedsend    func(mqd int, msg []byte, prio uint, abstime unsafe.Pointer) error
	MqTimedreceive func(mqd int, buf []byte, prio *uint, abstime unsafe.Pointer) (int, error)
	ShmOpen        func(name unsafe.Pointer, oflag int, mode uint32) (int, error)
	ShmUnlink      func(name unsafe.Pointer) error
	SemUnlink      func(name unsafe.Pointer) error
	Bind           func(fd int, addr unsafe.Pointer, addrlen uint32) error
	Connect        func(fd int, addr unsafe.Pointer, addrlen uint32) error
	Socketpair     func(domain, typ, proto int, sv unsafe.Pointer) error
	Getrlimit      func(resource int, rlim unsafe.Pointer) error
	Setrlimit      func(resource int, rlim unsafe.Pointer) error
	Chmod          func(path unsafe.Pointer, mode uint32) error
	Chown          func(path unsafe.Pointer, uid, gid int) error
	Mkdir          func(path unsafe.Pointer, mode uint32) error
	Rmdir          func(path unsafe.Pointer) error
	Symlink        func(target, linkpath unsafe.Pointer) error
	Mknod          func(path unsafe.Pointer, mode uint32, dev uint64) error
	Mknodat        func(dirfd int, path unsafe.Pointer, mode uint32, dev uint64) error
	Openat         func(dirfd int, path unsafe.Pointer, flags int, mode uint32) (int, error)
	Waitpid        func(pid int, status unsafe.Pointer, options int) (int, error)
	Accept         func(fd int, addr, addrlen unsafe.Pointer) (int, error)
	// SemOpen is for the failures of a name: a semaphore it opens, it
	// closes at once.
	SemOpen     func(name unsafe.Pointer, oflag int, mode uint32, value uint) error
	Getsockname func(fd int, addr, addrlen unsafe.Pointer) error
	Setgroups   func(size int, list unsafe.Pointer) error
}
