//go:build linux

package bench

import (
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// PinProcess pins every thread of the calling process to cpu, as
// sched_setaffinity(0, ...) pins a single-threaded C process: a Go
// process has several threads, and sched_setaffinity pins one. It pins
// each thread in /proc/self/task, and goes over the list again until a
// pass finds no thread it had not seen (one started meanwhile by a thread
// not yet pinned). Threads started later inherit their creator's mask, and
// so does a process that a pinned thread starts. A negative cpu leaves the
// placement to the kernel.
//
// It then sets GOMAXPROCS to 1: what the runtime picks for a process
// started on one CPU (taskset -c N), and what it moves a running process
// to within a second of a change of its mask; here at once, so that every
// run has the same setting from its start.
func PinProcess(cpu int) error {
	if cpu < 0 {
		return nil
	}
	defer runtime.GOMAXPROCS(1)
	var set unix.CPUSet
	set.Set(cpu)
	seen := map[int]bool{}
	for {
		entries, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return err
		}
		fresh := false
		for _, e := range entries {
			tid, err := strconv.Atoi(e.Name())
			if err != nil || seen[tid] {
				continue
			}
			fresh = true
			seen[tid] = true
			if err := unix.SchedSetaffinity(tid, &set); err != nil && err != unix.ESRCH {
				return err
			}
		}
		if !fresh {
			return nil
		}
	}
}
