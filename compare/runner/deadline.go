//go:build linux

package runner

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// A run of a scenario other than the reference (C in every role) is held
// to a shorter deadline when it stops doing anything: a port that never
// ends then costs seconds, not the scenario's whole deadline, pairing after
// pairing. From IdleAfter on, the run's processes are killed as soon as
// none of them has used the CPU for IdleWindow, nor started or ended; a run
// that computes on, however slowly, keeps the scenario's deadline. A load
// slows a run but does not make it idle: measured with ipcparity check on
// 2 cores at a load average of 30 (8 developers' builds and tests), the cgo
// pipe took 1.4 s (median; C 30 ms) in pipe/stdout-broken-long, 46 times
// C's time, every millisecond of it busy taking SIGPIPEs.
const (
	// PortDeadlineFactor times the reference's run time is when a port's
	// run may first be found idle.
	PortDeadlineFactor = 10
	// PortDeadlineFloor is the least time a port runs before it may be
	// found idle.
	PortDeadlineFloor = 2 * time.Second
	// IdleWindow is how long a run must stay without CPU time, without a
	// process starting or ending, to be idle.
	IdleWindow = 500 * time.Millisecond
	// idleCPU is the CPU time below which a window counts as idle: a Go
	// program blocked for good still has its runtime's monitor wake up.
	idleCPU = 2 * time.Millisecond
)

// PortDeadline returns when a run of sc by forms other than the
// reference's may first be found idle (Scenario.IdleAfter), after the
// reference run took refTook: PortDeadlineFactor × refTook, at least
// PortDeadlineFloor. It is 0, no idle deadline, when that is not shorter
// than the scenario's own deadline, or when a process of the reference was
// killed at the deadline (refTimedOut: a scenario where C waits until it is
// killed; the port is given what C had).
func PortDeadline(sc Scenario, refTook time.Duration, refTimedOut bool) time.Duration {
	d := max(PortDeadlineFloor, PortDeadlineFactor*refTook)
	if refTimedOut || d >= deadlineOf(sc) {
		return 0
	}
	return d
}

// DeadlineNote says in words how a run whose reference took refTook was
// stopped: "killed at the scenario's deadline (10s)", or "killed idle
// after 2s (nothing ran for 500ms; 10 × C's 35ms, at least 2s)".
func DeadlineNote(sc Scenario, idleAfter, refTook time.Duration) string {
	if idleAfter == 0 {
		return fmt.Sprintf("killed at the scenario's deadline (%v)", deadlineOf(sc))
	}
	return fmt.Sprintf("killed idle after %v (nothing ran for %v; %d × C's %v, at least %v)",
		idleAfter.Round(time.Millisecond), IdleWindow, PortDeadlineFactor, refTook.Round(time.Millisecond), PortDeadlineFloor)
}

// watchIdle returns a context that is cancelled, from after on, once the
// run has been idle for IdleWindow; stop ends the watch.
func (r *Run) watchIdle(ctx context.Context, after time.Duration) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-time.After(after):
		case <-ctx.Done():
			return
		}
		tick := time.NewTicker(IdleWindow)
		defer tick.Stop()
		last := r.cpuTimes()
		for {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
			now := r.cpuTimes()
			if idle(last, now) {
				cancel()
				return
			}
			last = now
		}
	}()
	return ctx, cancel
}

// idle reports whether nothing happened between two samples of cpuTimes:
// the same processes, and less than idleCPU used by them all.
func idle(before, after map[int]time.Duration) bool {
	if len(before) != len(after) {
		return false
	}
	var used time.Duration
	for pid, t := range after {
		b, ok := before[pid]
		if !ok {
			return false
		}
		used += t - b
	}
	return used < idleCPU
}

// cpuTimes samples the CPU time of each of the run's processes by pid:
// in a sandbox every process but its init, outside one every process in
// the process groups of the processes the run started (their children
// too: the Go pipe program's child is where its work is).
func (r *Run) cpuTimes() map[int]time.Duration {
	groups := map[int]bool{}
	if !r.inside {
		r.procsMu.Lock()
		for _, p := range r.procs {
			groups[p.pgid] = true
		}
		r.procsMu.Unlock()
	}
	out := map[int]time.Duration{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if !r.inside {
			if pg, err := unix.Getpgid(pid); err != nil || !groups[pg] {
				continue
			}
		}
		// The first field of schedstat is the time spent on a CPU, in
		// nanoseconds.
		b, err := os.ReadFile("/proc/" + e.Name() + "/schedstat")
		if err != nil {
			continue // ended meanwhile: the next sample misses it
		}
		f, _, _ := bytes.Cut(b, []byte(" "))
		ns, _ := strconv.ParseInt(string(f), 10, 64)
		out[pid] = time.Duration(ns)
	}
	return out
}
