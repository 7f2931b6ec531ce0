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

// Remember notes, in a file of the temporary directory named after token,
// the names of objects outside any directory (message queues) that the run
// of token may create, so that Sweep can remove them should the process die
// before its own cleanup.
func Remember(token string, names ...string) error {
	return os.WriteFile(notePath(token), []byte(strings.Join(names, "\n")+"\n"), 0o600)
}

// Forget removes the note of Remember, once the run has cleaned up.
func Forget(token string) { os.Remove(notePath(token)) }

func notePath(token string) string { return filepath.Join(os.TempDir(), token+".names") }

// Sweep removes what processes that have died left under prefix: the
// entries of /dev/shm that hold one of their tokens, and the entries of the
// temporary directory whose names start with one (run directories, notes).
// For each name a note remembers, it first calls unlink.
func Sweep(prefix string, unlink func(name string)) {
	for _, dir := range []string{"/dev/shm", os.TempDir()} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if (dir != "/dev/shm" && !strings.HasPrefix(e.Name(), prefix)) || !Dead(prefix, e.Name()) {
				continue
			}
			path := filepath.Join(dir, e.Name())
			if dir != "/dev/shm" && strings.HasSuffix(e.Name(), ".names") && unlink != nil {
				if note, err := os.ReadFile(path); err == nil {
					for _, name := range strings.Fields(string(note)) {
						unlink(name)
					}
				}
			}
			os.RemoveAll(path)
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
