//go:build linux

package runner

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ReadyInSyscall holds once a thread of the process sleeps (state S) in
// one of the system calls nrs, named name: /proc/PID/task/TID/syscall
// shows its number twice around a stat that shows S. A Go process has
// several threads; one of them is the one in the call.
func ReadyInSyscall(name string, nrs ...int) Ready {
	return Ready{What: "asleep in " + name, Check: func(_ *Run, p *Process) (bool, error) {
		return slices.ContainsFunc(nrs, func(nr int) bool { return AsleepIn(p.Pid(), nr) }), nil
	}}
}

// ReadyStopped holds once every thread of the process is stopped (state T
// in /proc/PID/task/TID/stat), as SIGSTOP leaves it.
func ReadyStopped() Ready {
	return Ready{What: "stopped", Check: func(_ *Run, p *Process) (bool, error) {
		states := TaskStates(p.Pid())
		if len(states) == 0 {
			return false, nil
		}
		for _, st := range states {
			if st != 'T' {
				return false, nil
			}
		}
		return true, nil
	}}
}

// TaskStates returns the state letter of each thread of pid.
func TaskStates(pid int) []byte {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var states []byte
	for _, t := range tasks {
		if st := TaskState(filepath.Join(dir, t.Name(), "stat")); st != 0 {
			states = append(states, st)
		}
	}
	return states
}

// TaskState reads the state letter of a stat file, 0 if it cannot. The
// state follows the command name, which may hold blanks and parentheses:
// it comes after the last ')'.
func TaskState(path string) byte {
	stat, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return 0
	}
	return stat[i+2]
}

// AsleepIn reports whether a thread of pid sleeps in the system call nr.
func AsleepIn(pid, nr int) bool {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return false // gone: the runner sees it end
	}
	for _, t := range tasks {
		before, err1 := os.ReadFile(filepath.Join(dir, t.Name(), "syscall"))
		state := TaskState(filepath.Join(dir, t.Name(), "stat"))
		after, err2 := os.ReadFile(filepath.Join(dir, t.Name(), "syscall"))
		if err1 != nil || err2 != nil || state != 'S' || !bytes.Equal(before, after) {
			continue
		}
		if f := strings.Fields(string(before)); len(f) > 0 && f[0] == strconv.Itoa(nr) {
			return true
		}
	}
	return false
}
