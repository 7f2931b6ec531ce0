//go:build linux

package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// A cgroup is a pids cgroup made for one run. An init that carries the
// limits itself joins it (limitSelf writes "0" to procs), and the
// processes it starts are born in it; otherwise (a race-enabled init) each
// program's trampoline moves itself in, and the init's threads are not
// counted.
type cgroup struct {
	dir   string
	procs *os.File // cgroup.procs, opened for writing before the init starts
}

var cgroupSeq atomic.Uint64

const cgroupPrefix = "ipcparity-sandbox-"

// sweepCgroups removes the cgroups of runners that died without removing
// theirs (kill -9): their name holds the runner's pid. rmdir fails on a
// cgroup that still has tasks, so a live one is never removed.
func sweepCgroups(parent string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), cgroupPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidStr, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if unix.Kill(pid, 0) == unix.ESRCH {
			unix.Rmdir(filepath.Join(parent, e.Name()))
		}
	}
}

// newCgroup creates a pids cgroup below the caller's own, in the cgroup v2
// hierarchy when it has the pids controller, else in the v1 pids hierarchy.
func newCgroup(maxProcs int) (*cgroup, error) {
	parent, err := pidsCgroupDir()
	if err != nil {
		return nil, err
	}
	sweepCgroups(parent)
	dir := filepath.Join(parent, fmt.Sprintf("%s%d-%d", cgroupPrefix, os.Getpid(), cgroupSeq.Add(1)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	cg := &cgroup{dir: dir}
	if err := os.WriteFile(filepath.Join(dir, "pids.max"), []byte(strconv.Itoa(maxProcs)), 0); err != nil {
		cg.remove()
		return nil, err
	}
	cg.procs, err = os.OpenFile(filepath.Join(dir, "cgroup.procs"), os.O_WRONLY, 0)
	if err != nil {
		cg.remove()
		return nil, err
	}
	return cg, nil
}

// pidsCgroupDir returns the directory of the caller's cgroup in a
// hierarchy with the pids controller.
func pidsCgroupDir() (string, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	defer f.Close()
	var v1, v2 string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// hierarchy-ID:controller-list:path
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			v2 = parts[2]
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "pids" {
				v1 = parts[2]
			}
		}
	}
	if v1 != "" {
		dir := filepath.Join("/sys/fs/cgroup/pids", v1)
		if _, err := os.Stat(dir); err == nil {
			return dir, nil
		}
	}
	if v2 != "" {
		dir := filepath.Join("/sys/fs/cgroup", v2)
		ctl, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
		if err == nil && strings.Contains(" "+strings.TrimSpace(string(ctl))+" ", " pids ") {
			// A child gets the controller only when the parent delegates
			// it; a v2 cgroup that has processes of its own cannot (EBUSY).
			sub := filepath.Join(dir, "cgroup.subtree_control")
			b, _ := os.ReadFile(sub)
			if slices.Contains(strings.Fields(string(b)), "pids") {
				return dir, nil
			}
			if err := os.WriteFile(sub, []byte("+pids"), 0); err != nil {
				return "", fmt.Errorf("enabling pids in %s: %w", sub, err)
			}
			return dir, nil
		}
	}
	return "", errors.New("no writable cgroup hierarchy with the pids controller")
}

// refused returns how many forks the limit refused (the "max" count of
// pids.events), or 0 when it cannot tell.
func (cg *cgroup) refused() int {
	b, err := os.ReadFile(filepath.Join(cg.dir, "pids.events"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "max "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// remove deletes the cgroup. The PID namespace is gone by then, but its
// last tasks may still be leaving the cgroup, hence EBUSY and a retry.
func (cg *cgroup) remove() {
	if cg.procs != nil {
		cg.procs.Close()
	}
	for i := 0; i < 200; i++ {
		err := unix.Rmdir(cg.dir)
		if err == nil || err == unix.ENOENT || err != unix.EBUSY {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
