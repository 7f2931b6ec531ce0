//go:build linux

package runner

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// signalThreads sends sig with tgkill to every thread of every process
// in the process group pgid (see Step.EveryThread).
func signalThreads(pgid int, sig unix.Signal) {
	procs, _ := os.ReadDir("/proc")
	for _, e := range procs {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if g, err := unix.Getpgid(pid); err != nil || g != pgid {
			continue
		}
		tasks, _ := os.ReadDir(filepath.Join("/proc", e.Name(), "task"))
		for _, t := range tasks {
			if tid, err := strconv.Atoi(t.Name()); err == nil {
				unix.Tgkill(pid, tid, sig)
			}
		}
	}
}

// ReadySignalsTaken holds once no thread of the process has a signal
// pending (SigPnd and ShdPnd are 0 in /proc/PID/task/TID/status): each
// signal sent to it was taken by a handler, or discarded as ignored.
func ReadySignalsTaken() Ready {
	return Ready{What: "no signal pending", Check: func(_ *Run, p *Process) (bool, error) {
		dir := filepath.Join("/proc", strconv.Itoa(p.Pid()), "task")
		tasks, err := os.ReadDir(dir)
		if err != nil {
			return false, nil // gone: the runner sees it end
		}
		for _, t := range tasks {
			status, err := os.ReadFile(filepath.Join(dir, t.Name(), "status"))
			if err != nil {
				continue // the thread ended
			}
			for _, line := range strings.Split(string(status), "\n") {
				name, mask, ok := strings.Cut(line, ":")
				if ok && (name == "SigPnd" || name == "ShdPnd") && strings.Trim(strings.TrimSpace(mask), "0") != "" {
					return false, nil
				}
			}
		}
		return true, nil
	}}
}
