//go:build linux

package runner

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A Scenario is one case of one mechanism: the processes to start, in
// order, and when each may start.
type Scenario struct {
	// Mechanism groups scenarios: "pipe", "fifo", "mq", "shm", "sock".
	Mechanism string
	Name      string
	About     string
	// Roles are the programs that take part, one form each in a pairing:
	// ["fifo_reader", "fifo_writer"].
	Roles []string
	Steps []Step
	// IPCName is the value of IPC_NAME for every process, with "$RUN"
	// replaced by a token unique to the run; empty leaves IPC_NAME unset so
	// that the programs use their default names.
	IPCName string
	// Umask is the umask the processes start with; nil means 022.
	Umask *int
	// Setup prepares the run before the first step (a FIFO left over from
	// an earlier run, say).
	Setup func(r *Run) error
	// Deadline bounds the whole run; 0 means DefaultDeadline.
	Deadline time.Duration
	// IdleAfter, when set, ends the run before its deadline once it is
	// idle: from IdleAfter on, its processes are killed, as at the
	// deadline, when none has used the CPU, started or ended for
	// IdleWindow. The judge sets it for runs of forms other than C's
	// (PortDeadline).
	IdleAfter time.Duration
	// EndAfterSteps brings the deadline forward to the end of the steps,
	// for a scenario whose programs wait for good: once the last step is
	// done, every process still running is killed and reported as killed
	// at the deadline, without waiting out Deadline. The last step must
	// observe the wait (a Ready that holds only while the process waits
	// where it would wait forever), so that the outcome says what was
	// seen; a process never seen so keeps the whole Deadline.
	EndAfterSteps bool
	// Unordered names the processes whose stdout is compared as a set of
	// lines, where the order of lines is not determined; the report says so.
	Unordered []string
	// Probes add to the leftovers what only the scenario knows to look for.
	Probes []Probe
	// Sysctls are IPC-namespaced sysctls the run sets first, keyed by
	// their path below /proc/sys ("fs/mqueue/msg_max": "64"). They belong
	// to the run's own IPC namespace, so no privilege on the host is
	// needed; a run that is not sandboxed cannot set them and fails.
	Sysctls map[string]string
	// Trace runs every process under strace -f (see trace.go): the
	// outcome then holds each process's system calls (Outcome.Traces).
	Trace bool
}

// DefaultDeadline bounds a run whose scenario sets none.
const DefaultDeadline = 10 * time.Second

// A Step starts a process, or acts on one that runs.
type Step struct {
	// Label names the process in the outcome; it defaults to Program.
	Label string
	// Program is one of the scenario's Roles; the pairing gives its form.
	Program string
	// Args follow the form's command; "$RUN" in them becomes the run's
	// token, as in IPCName.
	Args []string
	// Stdin is written to the process's standard input, which then closes;
	// nil gives /dev/null.
	Stdin []byte
	// Stdout says what the process's standard output is.
	Stdout StdoutMode
	// Env adds NAME=VALUE entries to the process's environment.
	Env []string
	// AsOtherUser runs the process as OtherUser instead of the run's own
	// user (root of the sandbox), for the permission cases: another
	// user's queue, object or socket.
	AsOtherUser bool
	// Background starts the process and goes on to the next step once Ready
	// holds; otherwise the step waits for the process to end.
	Background bool
	// Ready is what tells that a background process is ready.
	Ready Ready

	// Signal, when set, makes the step send that signal to the process
	// group of the process labelled Target instead of starting a process.
	Signal string
	// EveryThread sends Signal to every thread of every process in the
	// group instead (tgkill), so that the thread asleep in a call gets it
	// whichever thread the kernel would have picked: a Go program has
	// several, and the one in the call is seldom the main thread.
	EveryThread bool
	// Await, when set, makes the step wait until the process labelled
	// Target has ended, or until Ready holds when Ready is set.
	Await  bool
	Target string
}

// label returns the name of the process the step starts.
func (s Step) Role() string {
	if s.Label != "" {
		return s.Label
	}
	return s.Program
}

// StdoutMode says what a process gets as its standard output.
type StdoutMode int

const (
	// StdoutCaptured is a pipe that the runner reads.
	StdoutCaptured StdoutMode = iota
	// StdoutClosed is no descriptor 1 at all.
	StdoutClosed
	// StdoutBroken is a pipe whose read end is closed before the process
	// starts, so that a write to it fails with EPIPE and raises SIGPIPE.
	StdoutBroken
)

// A Ready condition tells that a process is ready for its peer. It is
// polled, never replaced by a sleep.
type Ready struct {
	What string
	// Check reports whether the condition holds.
	Check func(r *Run, p *Process) (bool, error)
	// kind and arg say how to rebuild the condition inside a sandbox;
	// empty for a scenario's own conditions, taken from the catalogue.
	kind, arg string
}

// Kinds of Ready that travel into a sandbox by value.
const (
	readyKindLine = "line"
	readyKindPath = "path"
)

// ReadyPath holds once the path (relative to the run's directory) exists.
func ReadyPath(rel string) Ready {
	return Ready{What: "path " + rel + " exists", kind: readyKindPath, arg: rel, Check: func(r *Run, _ *Process) (bool, error) {
		_, err := os.Lstat(filepath.Join(r.Dir, rel))
		return err == nil, nil
	}}
}

// ReadyLine holds once the process has written a complete line on its
// standard output.
func ReadyLine() Ready {
	return Ready{What: "a line on stdout", kind: readyKindLine, Check: func(_ *Run, p *Process) (bool, error) {
		return strings.Contains(p.Stdout(), "\n"), nil
	}}
}

// A Probe looks for what a run may have left behind beyond the files in its
// directory and the objects in /dev/shm named after the run, and removes it.
type Probe struct {
	Name string
	// Find returns the leftovers in the notation of Outcome.Leftovers.
	Find func(r *Run) []string
	// Clean removes them.
	Clean func(r *Run)
}
