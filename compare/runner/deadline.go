//go:build linux

package runner

import (
	"fmt"
	"time"
)

// A run of a scenario other than the reference (C in every role) is given a
// deadline that follows how long the reference took: a port that never
// ends then costs seconds, not the scenario's whole deadline, pairing after
// pairing. The factor and the floor leave room for what is legitimately
// slower than C on a loaded machine: a Go or cgo process starts in some
// milliseconds where C starts in one, and a loaded machine stretches a short
// run more than a long one. Measured with ipcparity check --json on 2 cores
// at a load average of 30 (8 developers' builds and tests): the project's own
// forms took up to 26 times C's time (shm/101: 0.32 s against 12 ms), and
// never more than 0.97 s (pipe/stdout-broken-long, C 46 ms). The floor is
// three times that.
const (
	// PortDeadlineFactor times the reference's run time is a port's deadline.
	PortDeadlineFactor = 10
	// PortDeadlineFloor is the shortest deadline a port is given.
	PortDeadlineFloor = 3 * time.Second
)

// PortDeadline returns the deadline of a run of sc by forms other than the
// reference's, after the reference run took refTook: PortDeadlineFactor ×
// refTook, at least PortDeadlineFloor, and never more than the scenario's
// own deadline. When a process of the reference was killed at the deadline
// (refTimedOut: a scenario where C waits until it is killed), the port gets
// the scenario's deadline, as C had.
func PortDeadline(sc Scenario, refTook time.Duration, refTimedOut bool) time.Duration {
	full := deadlineOf(sc)
	if refTimedOut {
		return full
	}
	return min(full, max(PortDeadlineFloor, PortDeadlineFactor*refTook))
}

// DeadlineNote says in words how PortDeadline chose d for a run whose
// reference took refTook ("3s: 10 × C's 35ms, at least 3s").
func DeadlineNote(sc Scenario, d, refTook time.Duration) string {
	if d == deadlineOf(sc) {
		return fmt.Sprintf("%v: the scenario's deadline", d)
	}
	return fmt.Sprintf("%v: %d × C's %v, at least %v", d.Round(time.Millisecond), PortDeadlineFactor, refTook.Round(time.Millisecond), PortDeadlineFloor)
}
