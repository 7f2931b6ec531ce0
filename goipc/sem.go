//go:build linux

package goipc

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// SEM_VALUE_MAX is the largest value a semaphore can hold, as in glibc's
// <semaphore.h> on Linux (INT_MAX).
const SEM_VALUE_MAX = 0x7fffffff

// SizeofSem is the size of a C sem_t on x86_64 (and other 64-bit Linux
// targets): the bytes SemInit and SemAt need at the start of their slice.
const SizeofSem = 32

// newSem is glibc's struct new_sem for targets with 64-bit atomics
// (nptl/internaltypes.h), at the start of a 32-byte sem_t.
type newSem struct {
	// data holds the value in its low 32 bits and the number of
	// possibly blocked waiters (nwaiters) in its high 32 bits. Its low
	// half, at the same address on a little-endian machine, is the futex
	// word (SEM_VALUE_OFFSET is 0).
	data uint64
	// private is FUTEX_PRIVATE (0) for a semaphore of one process and
	// FUTEX_SHARED (FUTEX_PRIVATE_FLAG, 128) for one shared between
	// processes. glibc's futex calls use op ^ private on an op that has
	// FUTEX_PRIVATE_FLAG set (__lll_private_flag).
	private int32
	pad     int32
	// the rest of sem_t, which glibc leaves alone (sem_init) or zeroes
	// (sem_open).
	_ [SizeofSem - 16]byte
}

// Fields of new_sem.data and futex constants of <linux/futex.h>, which
// golang.org/x/sys/unix does not define.
const (
	semValueMask       = 0xffffffff // SEM_VALUE_MASK
	semNwaitersShift   = 32         // SEM_NWAITERS_SHIFT
	semOneWaiter       = uint64(1) << semNwaitersShift
	semMinusOneWaiter  = ^(semOneWaiter - 1) // adds as -semOneWaiter
	futexWake          = 1
	futexWaitBitset    = 9
	futexPrivateFlag   = 128
	futexClockRealtime = 256
	futexBitsetAny     = 0xffffffff // FUTEX_BITSET_MATCH_ANY
	futexShared        = futexPrivateFlag
	futexPrivate       = 0
)

// Sem is a POSIX semaphore: glibc's sem_t, in memory that SemOpen mapped
// from /dev/shm or that the caller gave SemInit or SemAt. Its methods
// follow glibc 2.36's algorithm and futex protocol exactly, so a Sem and a
// C program's sem_t on the same memory work together. The zero Sem is not
// usable; a Sem that SemClose released gives EINVAL.
type Sem struct {
	p   atomic.Pointer[newSem]
	mem []byte // SemInit's and SemAt's memory, kept reachable
}

// semRaceSync gives the race detector the happens-before edge from a Post
// to the Wait that takes its token: the atomics on the semaphore itself
// are on memory the race detector does not see (a mapping), as cgo's
// calls into glibc are. Post adds to it, a successful wait loads it.
var semRaceSync atomic.Uint32

func (s *Sem) sem() *newSem {
	if s == nil {
		return nil
	}
	return s.p.Load()
}

// semAt checks that mem can hold a sem_t at its start: at least SizeofSem
// bytes, 8-byte aligned for the 64-bit atomics. A C sem_t is aligned by its
// type; here a misaligned or short slice gives EINVAL.
func semAt(mem []byte) (*newSem, error) {
	if len(mem) < SizeofSem || uintptr(unsafe.Pointer(unsafe.SliceData(mem)))%8 != 0 {
		return nil, unix.EINVAL
	}
	return (*newSem)(unsafe.Pointer(unsafe.SliceData(mem))), nil
}

// SemInit initialises an unnamed semaphore with value at the start of mem,
// as sem_init(3) in glibc, and returns it. With pshared, the semaphore
// works between processes that share mem (a MAP_SHARED mapping); without,
// only inside this process. A value over SEM_VALUE_MAX gives EINVAL, and so
// does a mem shorter than SizeofSem or not 8-byte aligned.
//
// As glibc's, SemInit writes only the value, the waiter count and the
// private flag: the first 12 bytes.
func SemInit(mem []byte, pshared bool, value uint) (*Sem, error) {
	if value > SEM_VALUE_MAX {
		return nil, unix.EINVAL
	}
	p, err := semAt(mem)
	if err != nil {
		return nil, err
	}
	atomic.StoreUint64(&p.data, uint64(value))
	if pshared {
		p.private = futexShared
	} else {
		p.private = futexPrivate
	}
	s := &Sem{mem: mem}
	s.p.Store(p)
	return s, nil
}

// SemAt returns the semaphore that SemInit, or sem_init in C, placed at the
// start of mem, in this process or another one that shares mem: what a C
// program does by casting the address to sem_t *. It does not touch the
// memory. A mem shorter than SizeofSem or not 8-byte aligned gives EINVAL.
func SemAt(mem []byte) (*Sem, error) {
	p, err := semAt(mem)
	if err != nil {
		return nil, err
	}
	s := &Sem{mem: mem}
	s.p.Store(p)
	return s, nil
}

// SemDestroy destroys an unnamed semaphore, as sem_destroy(3) in glibc,
// which does nothing and succeeds. A nil or closed Sem gives EINVAL, as in
// package cipc.
func SemDestroy(s *Sem) error {
	if s.sem() == nil {
		return unix.EINVAL
	}
	return nil
}

// semMapping is glibc's struct inuse_sem: one mapping of a named
// semaphore in this process, shared by every SemOpen of the same file under
// the same name (nptl/sem_routines.c).
type semMapping struct {
	dev, ino uint64
	name     string // as given to SemOpen, slashes included
	refcnt   int
	sem      *Sem
	addr     unsafe.Pointer // the mapping, SizeofSem bytes
}

var (
	semMappingsMu sync.Mutex
	semMappings   []*semMapping
)

// semCheckAddMapping is glibc's __sem_check_add_mapping: if this process
// has the file fd under name mapped already, it counts one more reference
// and returns that Sem (unmapping existing, if given); otherwise it maps fd
// (unless existing is a mapping of it already) and records the mapping.
func semCheckAddMapping(name string, fd int, existing unsafe.Pointer) (*Sem, error) {
	var st unix.Stat_t
	var result *Sem
	err := unix.Fstat(fd, &st)
	if err == nil {
		semMappingsMu.Lock()
		for _, m := range semMappings {
			if m.dev == st.Dev && m.ino == st.Ino && m.name == name {
				m.refcnt++
				result = m.sem
				break
			}
		}
		if result == nil {
			addr := existing
			if addr == nil {
				addr, err = unix.MmapPtr(fd, 0, nil, SizeofSem, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
			}
			if err == nil {
				s := &Sem{}
				s.p.Store((*newSem)(addr))
				semMappings = append(semMappings, &semMapping{
					dev: st.Dev, ino: st.Ino, name: name, refcnt: 1, sem: s, addr: addr,
				})
				result = s
				existing = nil // now in the table
			}
		}
		semMappingsMu.Unlock()
	}
	if existing != nil {
		unix.MunmapPtr(existing, SizeofSem)
	}
	if result == nil {
		return nil, err
	}
	return result, nil
}

// semRemoveMapping is glibc's __sem_remove_mapping: it drops one reference
// to s and unmaps it with the last. A Sem not in the table gives EINVAL.
func semRemoveMapping(s *Sem) error {
	semMappingsMu.Lock()
	defer semMappingsMu.Unlock()
	for i, m := range semMappings {
		if m.sem != s {
			continue
		}
		m.refcnt--
		if m.refcnt > 0 {
			return nil
		}
		semMappings = append(semMappings[:i], semMappings[i+1:]...)
		s.p.Store(nil)
		if unix.MunmapPtr(m.addr, SizeofSem) != nil {
			return unix.EINVAL
		}
		return nil
	}
	return unix.EINVAL
}

// semTempLetters are the letters of glibc's __gen_tempname.
const semTempLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// semTempName is glibc's mktemp on "/dev/shm/sem.XXXXXX": six random
// letters, chosen again while lstat finds the name taken.
func semTempName() (string, error) {
	var b [6]byte
	for try := 0; try < 62*62*62; try++ {
		// getrandom(2) itself, not crypto/rand: that arms a timer, which
		// brings up the Go runtime's poller and its two descriptors in
		// the middle of a program whose descriptor numbers C would not
		// shift (seen in shm_sem_open.calls).
		if n, err := unix.Getrandom(b[:], unix.GRND_NONBLOCK); err != nil || n != len(b) {
			return "", unix.EEXIST
		}
		for i := range b {
			b[i] = semTempLetters[int(b[i])%len(semTempLetters)]
		}
		name := shmDir + "sem." + string(b[:])
		var st unix.Stat_t
		switch err := unix.Lstat(name, &st); err {
		case nil:
			continue
		case unix.ENOENT:
			return name, nil
		default:
			return "", err
		}
	}
	return "", unix.EEXIST
}

// SemOpen opens the named semaphore name, creating it with O_CREAT, as
// sem_open(3) in glibc 2.36, and returns it.
//
// The semaphore is the 32-byte file /dev/shm/sem.NAME, NAME being name
// without its leading slashes, under the name rules of ShmOpen (EINVAL for
// an empty NAME, a '/' in it, or a name too long for glibc's buffer; the
// kernel's ENAMETOOLONG for "sem."+NAME longer than NAME_MAX).
//
// Without O_CREAT|O_EXCL, SemOpen first opens the existing file with
// oflag minus O_CREAT and the access mode, plus O_RDWR|O_NOFOLLOW; if it is
// missing and oflag has O_CREAT, it creates it. Creating checks value (over
// SEM_VALUE_MAX gives EINVAL, so an existing semaphore opens whatever value
// says, while with O_CREAT|O_EXCL a bad value wins over EEXIST), writes an
// initialised process-shared sem_t to a new file /dev/shm/sem.XXXXXX
// (O_RDWR|O_CREAT|O_EXCL, mode, so the umask applies), maps it, and links
// it to its name; the link fails with EEXIST if the name exists, which
// without O_EXCL means: open that one instead. The temporary name is then
// removed. A C program can open what SemOpen created and the other way
// round.
//
// A name with a NUL byte, or a value that a C unsigned int cannot hold,
// gives EINVAL at once, as in package cipc, where no C call can take them.
//
// As in glibc, opening the same file under the same name again in this
// process returns the same *Sem, counting references: each SemOpen needs
// its SemClose.
func SemOpen(name string, oflag int, mode uint32, value uint) (*Sem, error) {
	path, err := shmGetName(name, true)
	if err != nil {
		return nil, err
	}
	if value > 0xffffffff {
		// C's unsigned int cannot hold it: EINVAL, as in package cipc.
		return nil, unix.EINVAL
	}
	if oflag&unix.O_CREAT == 0 || oflag&unix.O_EXCL == 0 {
		for {
			fd, err := unix.Open(path, oflag&^(unix.O_CREAT|unix.O_ACCMODE)|unix.O_NOFOLLOW|unix.O_RDWR, 0)
			if err == nil {
				s, err := semCheckAddMapping(name, fd, nil)
				unix.Close(fd)
				return s, err
			}
			if oflag&unix.O_CREAT == 0 || err != unix.ENOENT {
				return nil, err
			}
			s, again, err := semCreate(name, path, oflag, mode, value)
			if !again {
				return s, err
			}
		}
	}
	s, _, err := semCreate(name, path, oflag, mode, value)
	return s, err
}

// semCreate is the try_create part of glibc's sem_open. again reports that
// the name appeared meanwhile and, without O_EXCL, must be opened instead.
func semCreate(name, path string, oflag int, mode uint32, value uint) (s *Sem, again bool, err error) {
	if value > SEM_VALUE_MAX {
		return nil, false, unix.EINVAL
	}
	// The initial file content: __new_sem_open_init, the rest zeroed.
	var sem newSem
	sem.data = uint64(value)
	sem.private = futexShared
	init := (*[SizeofSem]byte)(unsafe.Pointer(&sem))

	var tmp string
	var fd int
	for retries := 0; ; {
		tmp, err = semTempName()
		if err != nil {
			return nil, false, err
		}
		fd, err = unix.Open(tmp, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, mode)
		if err == nil {
			break
		}
		if err != unix.EEXIST {
			return nil, false, err
		}
		if retries++; retries >= 50 {
			return nil, false, unix.EAGAIN
		}
	}
	defer unix.Close(fd)
	defer unix.Unlink(tmp)

	var n int
	for {
		n, err = unix.Write(fd, init[:])
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, false, err
	}
	if n != SizeofSem {
		// glibc gives up with whatever errno a short write left.
		return nil, false, unix.EIO
	}
	addr, err := unix.MmapPtr(fd, 0, nil, SizeofSem, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, false, err
	}
	if err := unix.Link(tmp, path); err != nil {
		unix.MunmapPtr(addr, SizeofSem)
		if oflag&unix.O_EXCL == 0 && err == unix.EEXIST {
			return nil, true, err
		}
		return nil, false, err
	}
	s, err = semCheckAddMapping(name, fd, addr)
	return s, false, err
}

// SemClose closes the named semaphore s, as sem_close(3) in glibc: it
// drops the reference that one SemOpen gave, and unmaps the semaphore with
// the last. A Sem that SemOpen did not give, or that is closed already,
// gives EINVAL.
func SemClose(s *Sem) error {
	return semRemoveMapping(s)
}

// SemUnlink removes the named semaphore name, as sem_unlink(3) in glibc
// 2.36: a name SemOpen would refuse gives ENOENT, otherwise the result is
// unlink(2)'s on /dev/shm/sem.NAME, its EPERM turned into EACCES. A name
// with a NUL byte gives EINVAL.
func SemUnlink(name string) error {
	if strings.IndexByte(name, 0) >= 0 {
		return unix.EINVAL
	}
	path, err := shmGetName(name, true)
	if err != nil {
		return unix.ENOENT
	}
	err = unix.Unlink(path)
	if err == unix.EPERM {
		return unix.EACCES
	}
	return err
}

// Post adds one to the semaphore, as sem_post(3) in glibc, and wakes one
// waiter if any may be asleep. At SEM_VALUE_MAX it gives EOVERFLOW.
func (s *Sem) Post() error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	semRaceSync.Add(1)
	private := p.private
	d := atomic.LoadUint64(&p.data)
	for {
		if d&semValueMask == SEM_VALUE_MAX {
			return unix.EOVERFLOW
		}
		if atomic.CompareAndSwapUint64(&p.data, d, d+1) {
			break
		}
		d = atomic.LoadUint64(&p.data)
	}
	if d>>semNwaitersShift > 0 {
		futexWakeOne(p, private)
	}
	return nil
}

// Getvalue returns the semaphore's value, as sem_getvalue(3) in glibc: a
// count of tokens, never negative (waiters are not counted in).
func (s *Sem) Getvalue() (int, error) {
	p := s.sem()
	if p == nil {
		return -1, unix.EINVAL
	}
	return int(atomic.LoadUint64(&p.data) & semValueMask), nil
}

// Trywait takes a token if there is one, as sem_trywait(3) in glibc;
// otherwise it gives EAGAIN at once.
func (s *Sem) Trywait() error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	if semWaitFast(p, true) {
		return nil
	}
	return unix.EAGAIN
}

// Wait takes a token, sleeping until there is one, as sem_wait(3) in glibc:
// it counts itself in nwaiters and sleeps in FUTEX_WAIT_BITSET on the value
// word (with FUTEX_CLOCK_REALTIME and no timeout, as glibc). Unlike glibc,
// it first looks again for a token for up to 10 µs, yielding the CPU
// between looks, before it counts in and sleeps (see Waiting briefly in
// the package documentation): strace shows sched_yield calls that C's
// sem_wait does not make.
//
// Interruptions: glibc's sem_wait returns EINTR when a signal handler
// interrupts its futex wait, which in a C program happens only for a
// handler installed without SA_RESTART (an untimed futex wait is restarted
// after an SA_RESTART handler). A Go process always has the runtime's
// handlers, all SA_RESTART; Wait goes back to sleep on EINTR, as sem_wait
// does in a C program that installs no handlers of its own.
func (s *Sem) Wait() error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	for sp := (spin{}); sp.again(); { // wait briefly before sleeping
		if semWaitFast(p, false) {
			return nil
		}
	}
	return semWaitSlow(p, nil)
}

// Timedwait takes a token as Wait does, but gives ETIMEDOUT once the
// CLOCK_REALTIME time abstime has passed, as sem_timedwait(3) in glibc 2.36.
//
// As glibc 2.36 does, it checks abstime.Nsec before anything else: outside
// [0, 999999999] gives EINVAL even when a token is there to take. A
// negative abstime.Sec gives ETIMEDOUT without sleeping (glibc's
// workaround for the kernel, which refuses it). A nil abstime gives EFAULT,
// where C would crash.
//
// Interruptions: the kernel does not restart a futex wait with a timeout
// after a signal handler, so glibc's sem_timedwait returns EINTR for any
// handler. A C program without handlers never sees that; Timedwait, in a
// Go process that always has the runtime's handlers, sleeps again until
// the same abstime.
func (s *Sem) Timedwait(abstime *unix.Timespec) error {
	p := s.sem()
	if p == nil {
		return unix.EINVAL
	}
	if abstime == nil {
		return unix.EFAULT
	}
	if abstime.Nsec < 0 || abstime.Nsec >= 1e9 {
		return unix.EINVAL
	}
	if semWaitFast(p, false) {
		return nil
	}
	ts := *abstime
	return semWaitSlow(p, &ts)
}

// semWaitFast is glibc's __new_sem_wait_fast: take a token if there is
// one. Without definitive, one failed compare-and-swap (the token taken by
// someone else meanwhile) is enough to give up, as glibc's weak CAS.
func semWaitFast(p *newSem, definitive bool) bool {
	d := atomic.LoadUint64(&p.data)
	for {
		if d&semValueMask == 0 {
			return false
		}
		if atomic.CompareAndSwapUint64(&p.data, d, d-1) {
			semRaceSync.Load()
			return true
		}
		if !definitive {
			return false
		}
		d = atomic.LoadUint64(&p.data)
	}
}

// semWaitSlow is glibc's __new_sem_wait_slow64 for 64-bit atomics: count
// in as a waiter, sleep on the futex while the value is 0, and take a
// token and count out in one compare-and-swap.
func semWaitSlow(p *newSem, abstime *unix.Timespec) error {
	d := atomic.AddUint64(&p.data, semOneWaiter) - semOneWaiter
	for {
		if d&semValueMask == 0 {
			err := futexAbstimedWait(p, abstime)
			switch err {
			case unix.ETIMEDOUT, unix.EOVERFLOW:
				atomic.AddUint64(&p.data, semMinusOneWaiter)
				return err
			case 0, unix.EAGAIN, unix.EINTR, unix.EINVAL:
				// A wake-up, a changed value, or an interruption
				// by one of the runtime's handlers (see Wait):
				// look again.
			default:
				// glibc aborts the process here (futex_fatal_error).
				atomic.AddUint64(&p.data, semMinusOneWaiter)
				return err
			}
			d = atomic.LoadUint64(&p.data)
			continue
		}
		if atomic.CompareAndSwapUint64(&p.data, d, d-1-semOneWaiter) {
			semRaceSync.Load()
			return nil
		}
		d = atomic.LoadUint64(&p.data)
	}
}

// futexAbstimedWait is glibc's __futex_abstimed_wait_common for
// CLOCK_REALTIME: FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME on the value word
// expecting 0, with the absolute timeout abstime (nil: none) and
// FUTEX_BITSET_MATCH_ANY, private or shared as the semaphore says. A
// negative tv_sec gives ETIMEDOUT without a call.
func futexAbstimedWait(p *newSem, abstime *unix.Timespec) unix.Errno {
	if abstime != nil && abstime.Sec < 0 {
		return unix.ETIMEDOUT
	}
	op := (futexWaitBitset | futexClockRealtime | futexPrivateFlag) ^ int(p.private)
	yieldSometimes()
	_, _, e := unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&p.data)), uintptr(op), 0,
		uintptr(unsafe.Pointer(abstime)), 0, futexBitsetAny)
	runtime.KeepAlive(abstime)
	return e
}

// futexWakeOne is glibc's futex_wake(&value, 1, private). A wake never
// blocks: a raw system call, without the runtime's syscall bookkeeping.
func futexWakeOne(p *newSem, private int32) {
	op := (futexWake | futexPrivateFlag) ^ int(private)
	unix.RawSyscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&p.data)), uintptr(op), 1, 0, 0, 0)
}
