//go:build linux

package goipc

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// ForkExec forks and execs path with argv and env, as fork(2) then
// execve(2) in the child do, with stdout as the child's descriptor 1 and
// every other descriptor kept as it is. Go cannot run Go code in a forked
// copy of its runtime, so this is syscall.ForkExec, whose child runs no Go
// code between clone and exec. It returns the child's pid, or the errno of
// the fork or of the exec.
func ForkExec(path string, argv, env []string, stdout int) (int, error) {
	pid, err := syscall.ForkExec(path, argv, &syscall.ProcAttr{
		Env:   env,
		Files: []uintptr{0, uintptr(stdout), 2},
	})
	if err != nil {
		return -1, err // a syscall.Errno, which unix.Errno is
	}
	return pid, nil
}

// Waitpid is waitpid(3): wait4(2) without the resource usage. status,
// when not nil, gets the child's wait status.
func Waitpid(pid int, status *int, options int) (int, error) {
	var ws unix.WaitStatus
	r, err := unix.Wait4(pid, &ws, options, nil)
	if err != nil {
		return -1, err
	}
	if status != nil {
		*status = int(ws)
	}
	return r, nil
}

// Getpid is getpid(2).
func Getpid() int { return unix.Getpid() }

// Getppid is getppid(2).
func Getppid() int { return unix.Getppid() }

// Kill is kill(2).
func Kill(pid, sig int) error { return unix.Kill(pid, unix.Signal(sig)) }

// Usleep is usleep(3): a nanosleep(2) of usec microseconds that a handled
// signal ends with EINTR, not resumed.
func Usleep(usec uint) error {
	ts := unix.NsecToTimespec(int64(usec) * 1000)
	return unix.Nanosleep(&ts, nil)
}

// Getrlimit is getrlimit(2).
func Getrlimit(resource int, rlim *unix.Rlimit) error { return unix.Getrlimit(resource, rlim) }

// Setrlimit is setrlimit(2). Through x/sys/unix it is syscall's prlimit,
// so the Go runtime no longer puts back the soft RLIMIT_NOFILE it found at
// start in the children it starts.
func Setrlimit(resource int, rlim *unix.Rlimit) error { return unix.Setrlimit(resource, rlim) }
