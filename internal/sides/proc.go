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
// signals that handler caught, alarm(2), ualarm(3), and the signal mask
// of the calling thread: sigprocmask(2), sigpending(2), sigsuspend(2) and
// pause(2).
type Signal struct {
	// Sigaction sets sig's action to handler (SigDfl, SigIgn or
	// SigRecord) with sa_flags flags and sa_mask mask (nil: empty).
	Sigaction func(sig, handler, flags int, mask *unix.Sigset_t) error
	// Caught returns the signals the recording handler caught since the
	// last call, in the order caught.
	Caught func() []int
	Alarm  func(secs uint) uint
	Ualarm func(usecs, interval uint) uint
	// Sigprocmask changes the calling thread's mask (SIG_BLOCK,
	// SIG_UNBLOCK, SIG_SETMASK) and gives the old one; set and oldset
	// may each be nil, or an address no one may touch.
	Sigprocmask func(how int, set, oldset *unix.Sigset_t) error
	Sigpending  func(set *unix.Sigset_t) error
	// Sigsuspend and Pause wait for a handler to run: -1 EINTR.
	Sigsuspend func(mask *unix.Sigset_t) error
	Pause      func() error
	// Raise sends sig to the calling thread (raise(3)).
	Raise func(sig int) error
}

// The handlers of Signal.Sigaction, the same on both sides.
const (
	SigDfl    = 0
	SigIgn    = 1
	SigRecord = 2
)
