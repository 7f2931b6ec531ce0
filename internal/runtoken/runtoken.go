//go:build linux

// Package runtoken names what a run creates after the process that runs it,
// so that what a killed runner left can be told from what a live one uses.
// A token is PREFIX<pid>_<n>; the parity runner and the benchmark harness
// each have their prefix.
package runtoken

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

var (
	seq  atomic.Int64
	last atomic.Pointer[string]
)

// New returns a token unique on the machine among live processes.
func New(prefix string) string {
	t := fmt.Sprintf("%s%d_%d", prefix, os.Getpid(), seq.Add(1))
	last.Store(&t)
	return t
}

// Last returns the token New returned last in this process, for tests that
// look for what a run left.
func Last() string {
	if t := last.Load(); t != nil {
		return *t
	}
	return ""
}

// Dead reports whether name holds a token of prefix whose process has
// ended.
func Dead(prefix, name string) bool {
	i := strings.Index(name, prefix)
	if i < 0 {
		return false
	}
	rest := name[i+len(prefix):]
	end := strings.IndexByte(rest, '_')
	if end <= 0 {
		return false
	}
	pid, err := strconv.Atoi(rest[:end])
	if err != nil || pid == os.Getpid() {
		return false
	}
	return unix.Kill(pid, 0) == unix.ESRCH
}

// Sweep removes the entries of /dev/shm that hold a dead token of prefix,
// and the directories of the temporary directory whose names start with
// one.
func Sweep(prefix string) {
	for _, dir := range []string{"/dev/shm", os.TempDir()} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if (dir != "/dev/shm" && !strings.HasPrefix(e.Name(), prefix)) || !Dead(prefix, e.Name()) {
				continue
			}
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// RemoveShm removes every entry of /dev/shm whose name holds token:
// shared-memory objects and named semaphores ("sem." prefix).
func RemoveShm(token string) {
	entries, _ := os.ReadDir("/dev/shm")
	for _, e := range entries {
		if strings.Contains(e.Name(), token) {
			os.Remove(filepath.Join("/dev/shm", e.Name()))
		}
	}
}
