//go:build linux

package scenarios

// What every mechanism's scenarios share for two kinds of case: a signal
// that the Go runtime takes, sent while a program waits (interrupted), and
// a step run as another user (openRunDir).

import (
	"os"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// runtimeSignals are signals whose default action is to ignore them, so a
// C program never sees them (the kernel discards them), while the Go
// runtime installs its handler for each (SIGURG is also its preemption
// signal): a Go port's call asleep in the kernel is interrupted, and must
// go back to sleep (the kernel restarts most calls after the runtime's
// SA_RESTART handlers; poll it never restarts) rather than fail with
// EINTR.
var runtimeSignals = []string{"SIGURG", "SIGWINCH"}

// interrupted returns the steps that interrupt target where asleep holds
// (asleep in a call): each of runtimeSignals sent to every thread of its
// process group, then a wait until it has taken them all and sleeps in
// the call again. A port that fails on the interruption ends instead, and
// its outcome shows it.
func interrupted(target string, asleep runner.Ready) []runner.Step {
	var steps []runner.Step
	for _, sig := range runtimeSignals {
		steps = append(steps, runner.Step{Signal: sig, EveryThread: true, Target: target})
	}
	return append(steps,
		runner.Step{Await: true, Target: target, Ready: runner.ReadySignalsTaken()},
		runner.Step{Await: true, Target: target, Ready: asleep})
}

// signalAbout ends the About of every scenario that interrupts a wait.
const signalAbout = ": SIGURG and SIGWINCH (ignored by C, taken by the Go runtime) sent to each of its threads while it " +
	"waits there, after which it waits on as C does"

// steps joins lists of steps.
func steps(lists ...[]runner.Step) []runner.Step {
	var out []runner.Step
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// openRunDir lets every user reach the files of the run's directory
// (made 0700): a step AsOtherUser then meets the mode of the file it
// opens, not the directory's.
func openRunDir(r *runner.Run) error { return os.Chmod(r.Dir, 0o755) }

// otherUserAbout ends the About of every scenario with a step as another
// user.
const otherUserAbout = " (run as nobody, 65534, inside the sandbox)"
