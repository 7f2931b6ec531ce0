//go:build linux

package sides

import "golang.org/x/sys/unix"

// Proc holds the process and resource-limit calls of call scripts:
// fork(2) of a child that execs at once, waitpid(2), getpid(2),
// getppid(2), kill(2), usleep(3), getrlimit(2) and setrlimit(2).
type Proc struct {
	// ForkExec forks; the child makes stdout its descriptor 1 and execs
	// path with argv and env, and every other descriptor stays as it is
	// (neither side closes or dups any). It returns the child's pid.
	ForkExec  func(path string, argv, env []string, stdout int) (int, error)
	Waitpid   func(pid int, status *int, options int) (int, error)
	Getpid    func() int
	Getppid   func() int
	Kill      func(pid, sig int) error
	Usleep    func(usec uint) error
	Getrlimit func(resource int, rlim *unix.Rlimit) error
	Setrlimit func(resource int, rlim *unix.Rlimit) error
}

// Signal holds sigaction(2) with the three handlers call scripts name
// (SIG_DFL, SIG_IGN, and a handler that records each delivery), the
// signals that handler caught, alarm(2) and ualarm(3).
type Signal struct {
	// Sigaction sets sig's action to handler (SigDfl, SigIgn or
	// SigRecord) with sa_flags flags and an empty sa_mask.
	Sigaction func(sig, handler, flags int) error
	// Caught returns the signals the recording handler caught since the
	// last call, in the order caught.
	Caught func() []int
	Alarm  func(secs uint) uint
	Ualarm func(usecs, interval uint) uint
}

// The handlers of Signal.Sigaction, the same on both sides.
const (
	SigDfl    = 0
	SigIgn    = 1
	SigRecord = 2
)
