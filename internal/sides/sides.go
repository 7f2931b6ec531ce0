//go:build linux

package sides

import "golang.org/x/sys/unix"

// API is one side's implementation of every call: cipc's or goipc's.
type API struct {
	Name   string // "cipc" or "goipc"
	Pipe   Pipe
	FIFO   FIFO
	Mq     Mq
	Shm    Shm
	Sem    Sem
	Sock   Sock
	FD     FD    // fd.go
	Mem    Mem   // mem.go
	Files  Files // files.go
	Errors Errors
	Proc   Proc   // proc.go
	Signal Signal // proc.go
	Raw    Raw    // raw.go
	// MqThread is mq_notify's SIGEV_THREAD (mqthread.go).
	MqThread MqThread
}

// Pipe holds pipe(2), pipe2(2) and the descriptor calls the pipe program
// uses.
type Pipe struct {
	Pipe     func(p []int) error
	Pipe2    func(p []int, flags int) error
	Read     func(fd int, p []byte) (int, error)
	Write    func(fd int, p []byte) (int, error)
	Close    func(fd int) error
	FcntlInt func(fd int, cmd int, arg int) (int, error)
}

// FIFO holds mkfifo(3), open(2), unlink(2) and umask(2).
type FIFO struct {
	Mkfifo func(path string, mode uint32) error
	Open   func(path string, flags int, mode uint32) (int, error)
	Unlink func(path string) error
	Umask  func(mask int) int
}

// Mq holds the POSIX message queue calls, over this package's MqAttr and
// Sigevent, and the side's constants of <mqueue.h> and <signal.h>: MqOf
// at this package's types, which is what MqOf.Adapt gives.
type Mq = MqOf[MqAttr, Sigevent]

// Shm holds shm_open(3), shm_unlink(3), ftruncate(2), mmap(2) and
// munmap(2).
type Shm struct {
	Open      func(name string, oflag int, mode uint32) (int, error)
	Unlink    func(name string) error
	Ftruncate func(fd int, length int64) error
	Mmap      func(fd int, offset int64, length int, prot int, flags int) ([]byte, error)
	Munmap    func(b []byte) error
}

// Sem holds the POSIX semaphore calls that take or give a semaphore, over
// Semaphore, and the side's SEM_VALUE_MAX and sizeof(sem_t): SemOf at
// Semaphore, which is what SemOf.Adapt gives. A failing call gives a nil
// Semaphore unless the side gave a non-nil one.
type Sem = SemOf[Semaphore]

// Semaphore is what both sides' *Sem can do. Two Semaphores are equal
// when they hold the same *Sem.
type Semaphore interface {
	Post() error
	Wait() error
	Trywait() error
	Timedwait(abstime *unix.Timespec) error
	Getvalue() (int, error)
}

// Sock holds the socket calls of the socket programs.
type Sock struct {
	Socket        func(domain, typ, proto int) (int, error)
	Bind          func(fd int, sa unix.Sockaddr) error
	Connect       func(fd int, sa unix.Sockaddr) error
	Listen        func(fd, backlog int) error
	Accept        func(fd int) (int, unix.Sockaddr, error)
	Getsockname   func(fd int) (unix.Sockaddr, error)
	Shutdown      func(fd, how int) error
	Send          func(fd int, p []byte, flags int) (int, error)
	Recv          func(fd int, p []byte, flags int) (int, error)
	Poll          func(fds []unix.PollFd, timeout int) (int, error)
	SetsockoptInt func(fd, level, opt, value int) error
}

// Errors holds strerror(3).
type Errors struct {
	Strerror func(e unix.Errno) string
}

// glibc's values of the constants that both sides define; the shared
// tests check each side's against them.
const (
	MQ_PRIO_MAX   = 32768
	SIGEV_SIGNAL  = 0
	SIGEV_NONE    = 1
	SIGEV_THREAD  = 2
	SEM_VALUE_MAX = 0x7fffffff
	SizeofSem     = 32
)
