//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// glibc reads a queue's or shared memory object's name itself: with a
// bad address the process dies of SIGSEGV, as a C program does, rather
// than in the Go runtime's handler (which would print a trace and exit
// 2); and it leaves no core file in the run's directory.
struct cipc_segv { struct sigaction old; int dumpable; };

static void cipc_segv_default(struct cipc_segv *s) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    s->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    sigaction(SIGSEGV, &dfl, &s->old);
}

static void cipc_segv_restore(struct cipc_segv *s) {
    int e = errno;
    sigaction(SIGSEGV, &s->old, NULL);
    prctl(PR_SET_DUMPABLE, s->dumpable, 0, 0, 0);
    errno = e;
}

static int cipc_raw_mq_open(const char *name, int oflag, mode_t mode, struct mq_attr *attr) {
    struct cipc_segv s;
    cipc_segv_default(&s);
    int r = mq_open(name, oflag, mode, attr);
    cipc_segv_restore(&s);
    return r;
}

static int cipc_raw_mq_unlink(const char *name) {
    struct cipc_segv s;
    cipc_segv_default(&s);
    int r = mq_unlink(name);
    cipc_segv_restore(&s);
    return r;
}

static int cipc_raw_shm_open(const char *name, int oflag, mode_t mode) {
    struct cipc_segv s;
    cipc_segv_default(&s);
    int r = shm_open(name, oflag, mode);
    cipc_segv_restore(&s);
    return r;
}

static int cipc_raw_shm_unlink(const char *name) {
    struct cipc_segv s;
    cipc_segv_default(&s);
    int r = shm_unlink(name);
    cipc_segv_restore(&s);
    return r;
}

static int cipc_raw_open(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }

static int cipc_raw_bind(int fd, const void *addr, socklen_t len) { return bind(fd, addr, len); }
static int cipc_raw_connect(int fd, const void *addr, socklen_t len) { return connect(fd, addr, len); }

static int cipc_raw_accept(int fd, void *addr, void *len) { return accept(fd, addr, len); }
static int cipc_raw_getsockname(int fd, void *addr, void *len) { return getsockname(fd, addr, len); }
static int cipc_raw_setgroups(int size, const void *list) { return setgroups(size, list); }
static int cipc_raw_socketpair(int d, int t, int p, void *sv) { return socketpair(d, t, p, sv); }
static int cipc_raw_getrlimit(int res, void *rlim) { return getrlimit(res, rlim); }
static int cipc_raw_setrlimit(int res, const void *rlim) { return setrlimit(res, rlim); }

static int cipc_raw_chown(const char *path, int uid, int gid) { return chown(path, uid, gid); }
static int cipc_raw_mknod(const char *path, mode_t mode, unsigned long long dev) { return mknod(path, mode, dev); }
static int cipc_raw_mknodat(int dirfd, const char *path, mode_t mode, unsigned long long dev) { return mknodat(dirfd, path, mode, dev); }
static int cipc_raw_openat(int dirfd, const char *path, int flags, mode_t mode) { return openat(dirfd, path, flags, mode); }

static int cipc_raw_waitpid(int pid, void *status, int options) { return waitpid(pid, status, options); }

static int cipc_raw_sem_open(const char *name, int oflag, mode_t mode, unsigned value) {
    struct cipc_segv s;
    cipc_segv_default(&s);
    sem_t *sem = sem_open(name, oflag, mode, value);
    cipc_segv_restore(&s);
    if (sem == SEM_FAILED)
        return -1;
    sem_close(sem);
    return 0;
}

static int cipc_raw_sem_unlink(const char *name) {
    struct cipc_segv s;
    cipc_segv_default(&s);
    int r = sem_unlink(name);
    cipc_segv_restore(&s);
    return r;
}
*/
import "C"

import "unsafe"

// The calls of this file take a name, path, structure or array as an
// address, as glibc's do, so that a bad one reaches glibc as it is: the
// EFAULT cases of call scripts.

// result is a call's 0 or -1 and errno as an error.
func result(r C.int, err error) error {
	if r != 0 {
		return err
	}
	return nil
}

// RawPipe calls pipe(2) in glibc with fds, an array of two ints.
func RawPipe(fds unsafe.Pointer) error {
	r, err := C.pipe((*C.int)(fds))
	return result(r, err)
}

// RawPipe2 calls pipe2(2) in glibc with fds, an array of two ints.
func RawPipe2(fds unsafe.Pointer, flags int) error {
	r, err := C.pipe2((*C.int)(fds), C.int(flags))
	return result(r, err)
}

// RawMkfifo calls mkfifo(3) in glibc with the path at path.
func RawMkfifo(path unsafe.Pointer, mode uint32) error {
	r, err := C.mkfifo((*C.char)(path), C.mode_t(mode))
	return result(r, err)
}

// RawOpen calls open(2) in glibc with the path at path.
func RawOpen(path unsafe.Pointer, flags int, mode uint32) (int, error) {
	fd, err := C.cipc_raw_open((*C.char)(path), C.int(flags), C.mode_t(mode))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// RawUnlink calls unlink(2) in glibc with the path at path.
func RawUnlink(path unsafe.Pointer) error {
	r, err := C.unlink((*C.char)(path))
	return result(r, err)
}

// RawMqOpen calls mq_open(3) in glibc with the name at name and the
// struct mq_attr at attr. glibc reads the name's first byte: a bad name
// kills the process with SIGSEGV.
func RawMqOpen(name unsafe.Pointer, oflag int, mode uint32, attr unsafe.Pointer) (int, error) {
	mqd, err := C.cipc_raw_mq_open((*C.char)(name), C.int(oflag), C.mode_t(mode), (*C.struct_mq_attr)(attr))
	if mqd < 0 {
		return -1, err
	}
	return int(mqd), nil
}

// RawMqUnlink calls mq_unlink(3) in glibc with the name at name, which
// glibc reads (SIGSEGV for a bad one).
func RawMqUnlink(name unsafe.Pointer) error {
	r, err := C.cipc_raw_mq_unlink((*C.char)(name))
	return result(r, err)
}

// RawMqGetattr calls mq_getattr(3) in glibc with the struct mq_attr at
// attr.
func RawMqGetattr(mqd int, attr unsafe.Pointer) error {
	r, err := C.mq_getattr(C.mqd_t(mqd), (*C.struct_mq_attr)(attr))
	return result(r, err)
}

// RawMqSetattr calls mq_setattr(3) in glibc with the struct mq_attr at
// newattr and at oldattr.
func RawMqSetattr(mqd int, newattr, oldattr unsafe.Pointer) error {
	r, err := C.mq_setattr(C.mqd_t(mqd), (*C.struct_mq_attr)(newattr), (*C.struct_mq_attr)(oldattr))
	return result(r, err)
}

// RawMqTimedsend calls mq_timedsend(3) in glibc with the struct timespec
// at abstime.
func RawMqTimedsend(mqd int, msg []byte, prio uint, abstime unsafe.Pointer) error {
	r, err := C.mq_timedsend(C.mqd_t(mqd), (*C.char)(bufPtr(msg)), C.size_t(len(msg)), C.uint(prio),
		(*C.struct_timespec)(abstime))
	return result(r, err)
}

// RawMqTimedreceive calls mq_timedreceive(3) in glibc with the struct
// timespec at abstime.
func RawMqTimedreceive(mqd int, buf []byte, prio *uint, abstime unsafe.Pointer) (int, error) {
	var p C.uint
	var pp *C.uint
	if prio != nil {
		pp = &p
	}
	n, err := C.mq_timedreceive(C.mqd_t(mqd), (*C.char)(bufPtr(buf)), C.size_t(len(buf)), pp, (*C.struct_timespec)(abstime))
	if n < 0 {
		return -1, err
	}
	if prio != nil {
		*prio = uint(p)
	}
	return int(n), nil
}

// RawShmOpen calls shm_open(3) in glibc with the name at name, which
// glibc measures with strlen (SIGSEGV for a bad one).
func RawShmOpen(name unsafe.Pointer, oflag int, mode uint32) (int, error) {
	fd, err := C.cipc_raw_shm_open((*C.char)(name), C.int(oflag), C.mode_t(mode))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// RawShmUnlink calls shm_unlink(3) in glibc with the name at name, which
// glibc reads (SIGSEGV for a bad one).
func RawShmUnlink(name unsafe.Pointer) error {
	r, err := C.cipc_raw_shm_unlink((*C.char)(name))
	return result(r, err)
}

// RawSemUnlink calls sem_unlink(3) in glibc with the name at name, which
// glibc reads (SIGSEGV for a bad one).
func RawSemUnlink(name unsafe.Pointer) error {
	r, err := C.cipc_raw_sem_unlink((*C.char)(name))
	return result(r, err)
}

// RawBind calls bind(2) in glibc with the address at addr.
func RawBind(fd int, addr unsafe.Pointer, addrlen uint32) error {
	r, err := C.cipc_raw_bind(C.int(fd), addr, C.socklen_t(addrlen))
	return result(r, err)
}

// RawConnect calls connect(2) in glibc with the address at addr.
func RawConnect(fd int, addr unsafe.Pointer, addrlen uint32) error {
	r, err := C.cipc_raw_connect(C.int(fd), addr, C.socklen_t(addrlen))
	return result(r, err)
}

// RawSocketpair calls socketpair(2) in glibc with sv, an array of two
// ints.
func RawSocketpair(domain, typ, proto int, sv unsafe.Pointer) error {
	r, err := C.cipc_raw_socketpair(C.int(domain), C.int(typ), C.int(proto), sv)
	return result(r, err)
}

// RawGetrlimit calls getrlimit(2) in glibc with the struct rlimit at
// rlim.
func RawGetrlimit(resource int, rlim unsafe.Pointer) error {
	r, err := C.cipc_raw_getrlimit(C.int(resource), rlim)
	return result(r, err)
}

// RawSetrlimit calls setrlimit(2) in glibc with the struct rlimit at
// rlim.
func RawSetrlimit(resource int, rlim unsafe.Pointer) error {
	r, err := C.cipc_raw_setrlimit(C.int(resource), rlim)
	return result(r, err)
}

// RawChmod calls chmod(2) in glibc with the path at path.
func RawChmod(path unsafe.Pointer, mode uint32) error {
	r, err := C.chmod((*C.char)(path), C.mode_t(mode))
	return result(r, err)
}

// RawChown calls chown(2) in glibc with the path at path.
func RawChown(path unsafe.Pointer, uid, gid int) error {
	r, err := C.cipc_raw_chown((*C.char)(path), C.int(uid), C.int(gid))
	return result(r, err)
}

// RawMkdir calls mkdir(2) in glibc with the path at path.
func RawMkdir(path unsafe.Pointer, mode uint32) error {
	r, err := C.mkdir((*C.char)(path), C.mode_t(mode))
	return result(r, err)
}

// RawRmdir calls rmdir(2) in glibc with the path at path.
func RawRmdir(path unsafe.Pointer) error {
	r, err := C.rmdir((*C.char)(path))
	return result(r, err)
}

// RawSymlink calls symlink(2) in glibc with the strings at target and
// linkpath.
func RawSymlink(target, linkpath unsafe.Pointer) error {
	r, err := C.symlink((*C.char)(target), (*C.char)(linkpath))
	return result(r, err)
}

// RawMknod calls mknod(2) in glibc with the path at path.
func RawMknod(path unsafe.Pointer, mode uint32, dev uint64) error {
	r, err := C.cipc_raw_mknod((*C.char)(path), C.mode_t(mode), C.ulonglong(dev))
	return result(r, err)
}

// RawMknodat calls mknodat(2) in glibc with the path at path.
func RawMknodat(dirfd int, path unsafe.Pointer, mode uint32, dev uint64) error {
	r, err := C.cipc_raw_mknodat(C.int(dirfd), (*C.char)(path), C.mode_t(mode), C.ulonglong(dev))
	return result(r, err)
}

// RawOpenat calls openat(2) in glibc with the path at path.
func RawOpenat(dirfd int, path unsafe.Pointer, flags int, mode uint32) (int, error) {
	fd, err := C.cipc_raw_openat(C.int(dirfd), (*C.char)(path), C.int(flags), C.mode_t(mode))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// RawWaitpid calls waitpid(2) in glibc with status, the address of an
// int, which the kernel writes after it has reaped the child.
func RawWaitpid(pid int, status unsafe.Pointer, options int) (int, error) {
	r, err := C.cipc_raw_waitpid(C.int(pid), status, C.int(options))
	if r < 0 {
		return -1, err
	}
	return int(r), nil
}

// RawAccept calls accept(2) in glibc with addr, a struct sockaddr, and
// addrlen, the address of its socklen_t size.
func RawAccept(fd int, addr, addrlen unsafe.Pointer) (int, error) {
	nfd, err := C.cipc_raw_accept(C.int(fd), addr, addrlen)
	if nfd < 0 {
		return -1, err
	}
	return int(nfd), nil
}

// RawGetsockname calls getsockname(2) in glibc with addr, a struct
// sockaddr, and addrlen, the address of its socklen_t size.
func RawGetsockname(fd int, addr, addrlen unsafe.Pointer) error {
	r, err := C.cipc_raw_getsockname(C.int(fd), addr, addrlen)
	return result(r, err)
}

// RawSemOpen calls sem_open(3) in glibc with the name at name, which
// glibc measures with strlen (SIGSEGV for a bad one), and closes the
// semaphore it opens: it is for the failures of a name.
func RawSemOpen(name unsafe.Pointer, oflag int, mode uint32, value uint) error {
	r, err := C.cipc_raw_sem_open((*C.char)(name), C.int(oflag), C.mode_t(mode), C.uint(value))
	return result(r, err)
}

// RawSetgroups calls setgroups(2) in glibc (every thread) with the size
// group ids at list.
func RawSetgroups(size int, list unsafe.Pointer) error {
	r, err := C.cipc_raw_setgroups(C.int(size), list)
	return result(r, err)
}
