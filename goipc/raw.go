//go:build linux

package goipc

import (
	"runtime"
	"runtime/debug"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The calls of this file take a name, path, structure or array as an
// address, as glibc's do, and pass it to the kernel as it is (the EFAULT
// cases of call scripts). Where glibc reads the argument itself, they read
// it as glibc does, and an address that cannot be read kills the process
// with SIGSEGV, as it kills a C program.

// atFdcwd is AT_FDCWD as a system call argument.
var atFdcwd = uintptr(^uintptr(99)) // -100

// faultSink keeps the read of dieOfFault from being left out.
var faultSink byte

// dieOfFault ends the process as a C program that read p ends: of
// SIGSEGV, with no core file (the Go runtime would print a trace and exit
// 2).
func dieOfFault(p unsafe.Pointer) {
	unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	rtSigaction(int(unix.SIGSEGV), &sigaction{}, nil) // SIG_DFL
	faultSink = *(*byte)(p)
	unix.Tgkill(unix.Getpid(), unix.Gettid(), unix.SIGSEGV)
}

// readCString reads the NUL-terminated string at p, or says that p
// cannot be read (a fault, or no NUL in 4096 bytes, PATH_MAX).
func readCString(p unsafe.Pointer) (s string, ok bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	var b []byte
	for i := uintptr(0); i < 4096; i++ {
		c := *(*byte)(unsafe.Add(p, i))
		if c == 0 {
			return string(b), true
		}
		b = append(b, c)
	}
	return string(b), true
}

// glibcString is the string at p as glibc's strlen reads it: a p that
// cannot be read kills the process with SIGSEGV.
func glibcString(p unsafe.Pointer) string {
	s, ok := readCString(p)
	if !ok {
		dieOfFault(p)
	}
	return s
}

// errnoOf is e as an error: nil for 0.
func errnoOf(e unix.Errno) error {
	if e != 0 {
		return e
	}
	return nil
}

// RawPipe is pipe(2) with fds, the address of two ints, as the kernel
// takes it (pipe2 with no flags).
func RawPipe(fds unsafe.Pointer) error { return RawPipe2(fds, 0) }

// RawPipe2 is pipe2(2) with fds, the address of two ints.
func RawPipe2(fds unsafe.Pointer, flags int) error {
	_, _, e := unix.RawSyscall(unix.SYS_PIPE2, uintptr(fds), uintptr(flags), 0)
	return errnoOf(e)
}

// RawMkfifo is mkfifo(3) as glibc makes it, mknodat(2) of a FIFO, with the
// path at path.
func RawMkfifo(path unsafe.Pointer, mode uint32) error {
	_, _, e := unix.Syscall6(unix.SYS_MKNODAT, atFdcwd, uintptr(path), uintptr(mode|unix.S_IFIFO), 0, 0, 0)
	return errnoOf(e)
}

// RawOpen is open(2) as glibc makes it, openat(2), with the path at path.
func RawOpen(path unsafe.Pointer, flags int, mode uint32) (int, error) {
	fd, _, e := unix.Syscall6(unix.SYS_OPENAT, atFdcwd, uintptr(path), uintptr(flags), uintptr(mode), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// RawUnlink is unlink(2) as glibc makes it, unlinkat(2), with the path at
// path.
func RawUnlink(path unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_UNLINKAT, atFdcwd, uintptr(path), 0)
	return errnoOf(e)
}

// glibcQueueName is what glibc's mq_open(3) and mq_unlink(3) check of the
// name at name: its first byte, which must be '/' (EINVAL otherwise). A
// name that cannot be read kills the process with SIGSEGV, as in C.
func glibcQueueName(name unsafe.Pointer) error {
	s, ok := readCString(name)
	if !ok {
		dieOfFault(name)
	}
	if len(s) == 0 || s[0] != '/' {
		return unix.EINVAL
	}
	return nil
}

// RawMqOpen is mq_open(3) as glibc makes it with the name at name (whose
// '/' it checks, and leaves out for the kernel) and the struct mq_attr at
// attr, which the kernel reads.
func RawMqOpen(name unsafe.Pointer, oflag int, mode uint32, attr unsafe.Pointer) (int, error) {
	if err := glibcQueueName(name); err != nil {
		return -1, err
	}
	mqd, _, e := unix.Syscall6(unix.SYS_MQ_OPEN, uintptr(unsafe.Add(name, 1)), uintptr(int32(oflag)), uintptr(mode), uintptr(attr), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(mqd), nil
}

// RawMqUnlink is mq_unlink(3) as glibc makes it with the name at name:
// its '/' checked and left out, and the kernel's EPERM as EACCES.
func RawMqUnlink(name unsafe.Pointer) error {
	if err := glibcQueueName(name); err != nil {
		return err
	}
	_, _, e := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Add(name, 1)), 0, 0)
	if e == unix.EPERM {
		return unix.EACCES
	}
	return errnoOf(e)
}

// RawMqGetattr is mq_getattr(3) as glibc makes it, mq_getsetattr(2), with
// the struct mq_attr at attr, which the kernel writes.
func RawMqGetattr(mqd int, attr unsafe.Pointer) error { return RawMqSetattr(mqd, nil, attr) }

// RawMqSetattr is mq_setattr(3) as glibc makes it, mq_getsetattr(2), with
// the struct mq_attr at newattr (read) and at oldattr (written).
func RawMqSetattr(mqd int, newattr, oldattr unsafe.Pointer) error {
	_, _, e := unix.RawSyscall(unix.SYS_MQ_GETSETATTR, uintptr(mqd), uintptr(newattr), uintptr(oldattr))
	return errnoOf(e)
}

// RawMqTimedsend is mq_timedsend(2) with the struct timespec at abstime.
func RawMqTimedsend(mqd int, msg []byte, prio uint, abstime unsafe.Pointer) error {
	_, _, e := unix.Syscall6(unix.SYS_MQ_TIMEDSEND, uintptr(mqd), uintptr(unsafe.Pointer(unsafe.SliceData(msg))), uintptr(len(msg)), uintptr(prio), uintptr(abstime), 0)
	return errnoOf(e)
}

// RawMqTimedreceive is mq_timedreceive(2) with the struct timespec at
// abstime.
func RawMqTimedreceive(mqd int, buf []byte, prio *uint, abstime unsafe.Pointer) (int, error) {
	var p uint32
	var pp unsafe.Pointer
	if prio != nil {
		pp = unsafe.Pointer(&p)
	}
	n, _, e := unix.Syscall6(unix.SYS_MQ_TIMEDRECEIVE, uintptr(mqd), uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(len(buf)), uintptr(pp), uintptr(abstime), 0)
	if e != 0 {
		return -1, e
	}
	if prio != nil {
		*prio = uint(p)
	}
	return int(n), nil
}

// RawShmOpen is shm_open(3) with the name at name, which glibc measures
// with strlen: one that cannot be read kills the process with SIGSEGV.
func RawShmOpen(name unsafe.Pointer, oflag int, mode uint32) (int, error) {
	return ShmOpen(glibcString(name), oflag, mode)
}

// RawShmUnlink is shm_unlink(3) with the name at name, read as
// RawShmOpen reads it.
func RawShmUnlink(name unsafe.Pointer) error { return ShmUnlink(glibcString(name)) }

// RawSemUnlink is sem_unlink(3) with the name at name, read as
// RawShmOpen reads it.
func RawSemUnlink(name unsafe.Pointer) error { return SemUnlink(glibcString(name)) }

// RawSemOpen is sem_open(3) with the name at name, read as RawShmOpen
// reads it, and closes the semaphore it opens: it is for the failures of
// a name.
func RawSemOpen(name unsafe.Pointer, oflag int, mode uint32, value uint) error {
	s, err := SemOpen(glibcString(name), oflag, mode, value)
	if err != nil {
		return err
	}
	return SemClose(s)
}

// RawBind is bind(2) with the address at addr, addrlen bytes.
func RawBind(fd int, addr unsafe.Pointer, addrlen uint32) error {
	_, _, e := unix.RawSyscall(unix.SYS_BIND, uintptr(fd), uintptr(addr), uintptr(addrlen))
	return errnoOf(e)
}

// RawConnect is connect(2) with the address at addr, addrlen bytes.
func RawConnect(fd int, addr unsafe.Pointer, addrlen uint32) error {
	_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(addr), uintptr(addrlen))
	return errnoOf(e)
}

// RawSocketpair is socketpair(2) with sv, the address of two ints.
func RawSocketpair(domain, typ, proto int, sv unsafe.Pointer) error {
	_, _, e := unix.RawSyscall6(unix.SYS_SOCKETPAIR, uintptr(domain), uintptr(typ), uintptr(proto), uintptr(sv), 0, 0)
	return errnoOf(e)
}

// RawGetrlimit is getrlimit(2) as glibc makes it, prlimit64(2) of the
// process, with the struct rlimit at rlim, which the kernel writes.
func RawGetrlimit(resource int, rlim unsafe.Pointer) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, uintptr(resource), 0, uintptr(rlim), 0, 0)
	return errnoOf(e)
}

// RawSetrlimit is setrlimit(2) as glibc makes it, prlimit64(2) of the
// process, with the struct rlimit at rlim, which the kernel reads.
func RawSetrlimit(resource int, rlim unsafe.Pointer) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, uintptr(resource), uintptr(rlim), 0, 0, 0)
	return errnoOf(e)
}

// RawChmod is chmod(2) as Chmod makes it, fchmodat(2) from the working
// directory, with the path at path.
func RawChmod(path unsafe.Pointer, mode uint32) error {
	_, _, e := unix.Syscall(unix.SYS_FCHMODAT, atFdcwd, uintptr(path), uintptr(mode))
	return errnoOf(e)
}

// RawChown is chown(2) as Chown makes it, fchownat(2) from the working
// directory, with the path at path.
func RawChown(path unsafe.Pointer, uid, gid int) error {
	_, _, e := unix.Syscall6(unix.SYS_FCHOWNAT, atFdcwd, uintptr(path), uintptr(uid), uintptr(gid), 0, 0)
	return errnoOf(e)
}

// RawMkdir is mkdir(2) as Mkdir makes it, mkdirat(2) from the working
// directory, with the path at path.
func RawMkdir(path unsafe.Pointer, mode uint32) error {
	_, _, e := unix.Syscall(unix.SYS_MKDIRAT, atFdcwd, uintptr(path), uintptr(mode))
	return errnoOf(e)
}

// RawRmdir is rmdir(2) as Rmdir makes it, unlinkat(2) with AT_REMOVEDIR,
// with the path at path.
func RawRmdir(path unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_UNLINKAT, atFdcwd, uintptr(path), unix.AT_REMOVEDIR)
	return errnoOf(e)
}

// RawSymlink is symlink(2) as Symlink makes it, symlinkat(2), with the
// strings at target and linkpath: the kernel reads the target first.
func RawSymlink(target, linkpath unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_SYMLINKAT, uintptr(target), atFdcwd, uintptr(linkpath))
	return errnoOf(e)
}

// RawMknod is mknod(2) as Mknod makes it, with the path at path.
func RawMknod(path unsafe.Pointer, mode uint32, dev uint64) error {
	return RawMknodat(unix.AT_FDCWD, path, mode, dev)
}

// RawMknodat is mknodat(2) with the path at path. As glibc, it refuses a
// dev over 32 bits (EINVAL) before the kernel reads the path, which it
// does after it checks the type in mode.
func RawMknodat(dirfd int, path unsafe.Pointer, mode uint32, dev uint64) error {
	if dev != uint64(uint32(dev)) {
		return unix.EINVAL
	}
	_, _, e := unix.Syscall6(unix.SYS_MKNODAT, uintptr(dirfd), uintptr(path), uintptr(mode), uintptr(dev), 0, 0)
	return errnoOf(e)
}

// RawOpenat is openat(2) with the path at path: the kernel checks the
// flags, then reads the path, then looks at dirfd.
func RawOpenat(dirfd int, path unsafe.Pointer, flags int, mode uint32) (int, error) {
	fd, _, e := unix.Syscall6(unix.SYS_OPENAT, uintptr(dirfd), uintptr(path), uintptr(flags), uintptr(mode), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// RawWaitpid is waitpid(2) as glibc makes it, wait4(2) without usage,
// with status the address of an int: the kernel reaps the child, then
// writes the status, so EFAULT comes with the child gone.
func RawWaitpid(pid int, status unsafe.Pointer, options int) (int, error) {
	r, _, e := unix.Syscall6(unix.SYS_WAIT4, uintptr(pid), uintptr(status), uintptr(options), 0, 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(r), nil
}

// RawAccept is accept(2) as Accept makes it, accept4(2) with flags 0, with
// addr, a struct sockaddr, and addrlen, the address of its socklen_t
// size: the kernel takes the connection, then writes the peer's address,
// so a bad one gives EFAULT with the connection gone.
func RawAccept(fd int, addr, addrlen unsafe.Pointer) (int, error) {
	nfd, _, e := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(fd), uintptr(addr), uintptr(addrlen), 0, 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(nfd), nil
}

// RawGetsockname is getsockname(2) with addr, a struct sockaddr, and
// addrlen, the address of its socklen_t size.
func RawGetsockname(fd int, addr, addrlen unsafe.Pointer) error {
	_, _, e := unix.RawSyscall(unix.SYS_GETSOCKNAME, uintptr(fd), uintptr(addr), uintptr(addrlen))
	return errnoOf(e)
}

// RawSetgroups is setgroups(2) of every thread, as glibc makes it, with
// the size group ids (32 bits each) at list. The calling thread's call
// comes first, so its failure is the call's with nothing changed (the
// kernel checks the privilege and the size before it reads the list);
// then Setgroups sets the list it read on every thread.
func RawSetgroups(size int, list unsafe.Pointer) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if _, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(size), uintptr(list), 0); e != 0 {
		return e
	}
	gids := make([]int, size)
	for k, g := range unsafe.Slice((*uint32)(list), size) {
		gids[k] = int(g)
	}
	return Setgroups(gids)
}
