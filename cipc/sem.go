//go:build linux

package cipc

/*
#cgo LDFLAGS: -lrt -pthread
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <stdlib.h>
#include <time.h>

// sem_open is variadic, which cgo cannot call.
static sem_t *cipc_sem_open(const char *name, int oflag, mode_t mode, unsigned int value) {
	return sem_open(name, oflag, mode, value);
}

static int cipc_sem_getvalue(sem_t *sem, int *sval) { return sem_getvalue(sem, sval); }

static int cipc_sem_timedwait(sem_t *sem, long long sec, long long nsec) {
	struct timespec ts;
	ts.tv_sec = sec;
	ts.tv_nsec = nsec;
	return sem_timedwait(sem, &ts);
}
*/
import "C"

import (
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// SEM_VALUE_MAX is the largest value a semaphore can hold, from glibc's
// <semaphore.h>.
const SEM_VALUE_MAX = C.SEM_VALUE_MAX

// SizeofSem is sizeof(sem_t): the bytes SemInit and SemAt need at the
// start of their slice.
const SizeofSem = C.sizeof_sem_t

// Sem is a POSIX semaphore of glibc: a sem_t that sem_open mapped, or one
// in memory that the caller gave SemInit or SemAt. The zero Sem is not
// usable; a Sem that SemClose released gives EINVAL.
type Sem struct {
	mu  sync.Mutex
	p   *C.sem_t
	mem []byte // SemInit's and SemAt's memory, kept reachable
}

func (s *Sem) sem() *C.sem_t {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.p
}

// semOpened mirrors glibc's table of named semaphores that this process
// has open: sem_open gives the same sem_t * for the same file and name, and
// so SemOpen gives the same *Sem, with the number of its references.
var (
	semOpenedMu sync.Mutex
	semOpened   = map[*C.sem_t]*semRef{}
)

type semRef struct {
	sem  *Sem
	refs int
}

// semCheck checks that mem can hold a sem_t at its start: at least
// SizeofSem bytes, 8-byte aligned. A C sem_t is aligned by its type; here a
// misaligned or short slice gives EINVAL without a call.
func semCheck(mem []byte) (*C.sem_t, error) {
	if len(mem) < SizeofSem || uintptr(unsafe.Pointer(unsafe.SliceData(mem)))%8 != 0 {
		return nil, unix.EINVAL
	}
	return (*C.sem_t)(unsafe.Pointer(unsafe.SliceData(mem))), nil
}

// SemInit calls sem_init(3) in glibc on the start of mem and returns the
// semaphore. A mem shorter than SizeofSem or not 8-byte aligned gives
// EINVAL without a call; so does a value that a C unsigned int cannot hold.
func SemInit(mem []byte, pshared bool, value uint) (*Sem, error) {
	p, err := semCheck(mem)
	if err != nil {
		return nil, err
	}
	if value > 0xffffffff {
		return nil, unix.EINVAL
	}
	var shared C.int
	if pshared {
		shared = 1
	}
	if r, err := C.sem_init(p, shared, C.uint(value)); r != 0 {
		return nil, err
	}
	return &Sem{p: p, mem: mem}, nil
}

// SemAt returns the semaphore that sem_init placed at the start of mem, in
// this process or another one that shares mem, as a C program casts the
// address to sem_t *. A mem shorter than SizeofSem or not 8-byte aligned
// gives EINVAL.
func SemAt(mem []byte) (*Sem, error) {
	p, err := semCheck(mem)
	if err != nil {
		return nil, err
	}
	return &Sem{p: p, mem: mem}, nil
}

// SemDestroy calls sem_destroy(3) in glibc.
func SemDestroy(s *Sem) error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	if r, err := C.sem_destroy(p); r != 0 {
		return err
	}
	return nil
}

// SemOpen calls sem_open(3) in glibc with mode and value as its third and
// fourth arguments and returns the semaphore; where glibc gives the same
// sem_t * as an earlier call, SemOpen gives the same *Sem. A name with a
// NUL byte gives EINVAL without a call; so does a value that a C unsigned
// int cannot hold.
func SemOpen(name string, oflag int, mode uint32, value uint) (*Sem, error) {
	cname, err := shmCName(name)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cname))
	if value > 0xffffffff {
		return nil, unix.EINVAL
	}
	semOpenedMu.Lock()
	defer semOpenedMu.Unlock()
	p, err := C.cipc_sem_open(cname, C.int(oflag), C.mode_t(mode), C.uint(value))
	if p == nil {
		return nil, err
	}
	if r, ok := semOpened[p]; ok {
		r.refs++
		return r.sem, nil
	}
	s := &Sem{p: p}
	semOpened[p] = &semRef{sem: s, refs: 1}
	return s, nil
}

// SemClose calls sem_close(3) in glibc. With the last reference, glibc
// unmaps the semaphore and s becomes unusable (EINVAL). A Sem that SemOpen
// did not give, or that is closed already, gives glibc's EINVAL.
func SemClose(s *Sem) error {
	if s == nil {
		return unix.EINVAL
	}
	semOpenedMu.Lock()
	defer semOpenedMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.p == nil {
		return unix.EINVAL
	}
	if r, err := C.sem_close(s.p); r != 0 {
		return err
	}
	if r, ok := semOpened[s.p]; ok {
		if r.refs--; r.refs == 0 {
			delete(semOpened, s.p)
			s.p = nil
		}
	}
	return nil
}

// SemUnlink calls sem_unlink(3) in glibc. A name with a NUL byte gives
// EINVAL without a call.
func SemUnlink(name string) error {
	cname, err := shmCName(name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	if r, err := C.sem_unlink(cname); r != 0 {
		return err
	}
	return nil
}

// Post calls sem_post(3) in glibc.
func (s *Sem) Post() error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	if r, err := C.sem_post(p); r != 0 {
		return err
	}
	return nil
}

// Getvalue calls sem_getvalue(3) in glibc and returns the value.
func (s *Sem) Getvalue() (int, error) {
	p := s.sem()
	if p == nil {
		return -1, unix.EINVAL
	}
	var v C.int
	if r, err := C.cipc_sem_getvalue(p, &v); r != 0 {
		return -1, err
	}
	return int(v), nil
}

// Trywait calls sem_trywait(3) in glibc.
func (s *Sem) Trywait() error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	if r, err := C.sem_trywait(p); r != 0 {
		return err
	}
	return nil
}

// Wait calls sem_wait(3) in glibc, and calls it again when it returns
// EINTR: the Go runtime's signal handlers, which a C program does not have,
// must not show through (see goipc's Wait).
func (s *Sem) Wait() error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	for {
		r, err := C.sem_wait(p)
		if r == 0 {
			return nil
		}
		if err != unix.EINTR {
			return err
		}
	}
}

// Timedwait calls sem_timedwait(3) in glibc with abstime, and calls it
// again with the same abstime when it returns EINTR: the kernel does not
// restart a timed futex wait after a signal handler, and the handlers are
// the Go runtime's, which a C program does not have (see goipc's
// Timedwait). A nil abstime gives EFAULT without a call, where C would
// crash.
func (s *Sem) Timedwait(abstime *unix.Timespec) error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	if abstime == nil {
		return unix.EFAULT
	}
	for {
		r, err := C.cipc_sem_timedwait(p, C.longlong(abstime.Sec), C.longlong(abstime.Nsec))
		if r == 0 {
			return nil
		}
		if err != unix.EINTR {
			return err
		}
	}
}
