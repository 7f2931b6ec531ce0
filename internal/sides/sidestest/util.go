//go:build linux

package sidestest

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// errno is err as an errno, 0 for nil. Anything but a bare unix.Errno
// fails the test: both sides promise bare errno values.
func errno(t testing.TB, err error) unix.Errno {
	t.Helper()
	if err == nil {
		return 0
	}
	e, ok := err.(unix.Errno)
	if !ok {
		t.Fatalf("error %#v (%v) is not a bare unix.Errno", err, err)
	}
	return e
}

// errnoName names e: "EINVAL", "0" for 0.
func errnoName(e unix.Errno) string {
	if e == 0 {
		return "0"
	}
	return unix.ErrnoName(e)
}

// errName names err: "EINVAL", "0" for nil, its text for an error that
// is not an errno.
func errName(err error) string {
	if e, ok := err.(unix.Errno); ok {
		return errnoName(e)
	}
	if err == nil {
		return "0"
	}
	return err.Error()
}

// checkErrno fails the test unless got is the bare errno want (nil for 0).
func checkErrno(t testing.TB, who string, got error, want unix.Errno) {
	t.Helper()
	if e := errno(t, got); e != want {
		t.Errorf("%s: got %v (%s), want %s", who, got, errnoName(e), errnoName(want))
	}
}

var nameSeq atomic.Int64

// uniqueName gives a fresh object name, "/ipcparity-test-PID-N-label",
// padded with 'a' to length bytes after the slash when length > 0, and
// removes /dev/shm/NAME and /dev/shm/sem.NAME when the test ends, whatever
// happened.
func uniqueName(t testing.TB, label string, length int) string {
	t.Helper()
	base := fmt.Sprintf("ipcparity-test-%d-%d-%s", os.Getpid(), nameSeq.Add(1), label)
	if length > 0 {
		if len(base) > length {
			t.Fatalf("name %q longer than %d", base, length)
		}
		base += strings.Repeat("a", length-len(base))
	}
	t.Cleanup(func() {
		unix.Unlink("/dev/shm/" + base)
		unix.Unlink("/dev/shm/sem." + base)
	})
	return "/" + base
}

// closeAtEnd closes fd when the test ends.
func closeAtEnd(t testing.TB, fd int) {
	t.Cleanup(func() { unix.Close(fd) })
}

// in returns the absolute CLOCK_REALTIME time d from now, the clock that
// the timed calls measure against.
func in(t testing.TB, d time.Duration) *unix.Timespec {
	t.Helper()
	var now unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_REALTIME, &now); err != nil {
		t.Fatal(err)
	}
	ts := unix.NsecToTimespec(now.Nano() + d.Nanoseconds())
	return &ts
}

// procInt reads a number from a file such as /proc/sys/fs/mqueue/msg_max.
func procInt(t testing.TB, path string) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// hasCap reports whether the process has capability c in its effective
// set.
func hasCap(t testing.TB, c int) bool {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if hex, ok := strings.CutPrefix(line, "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
			return err == nil && caps&(1<<c) != 0
		}
	}
	return false
}

// setxid keeps glibc's credential calls and asNobody's threads apart. In
// a process with threads, glibc makes every thread repeat a set*id or
// setgroups call (its SIGSETXID broadcast) and aborts the process when
// their results differ: a thread that asNobody moved to uid 65534 gets
// EPERM where the others get EINVAL. A case that makes such a call in
// glibc holds setxid; asNobody holds it for reading.
var setxid sync.RWMutex

// asNobody runs f on a locked OS thread whose effective uid and gid are
// 65534: setresuid and setresgid as raw system calls change the calling
// thread only, and effective capabilities go with the uid. The thread
// takes its own ids back before asNobody returns (the saved ids stayed),
// and is never unlocked, so the Go runtime ends it when f returns. It
// skips the test when the thread's uid cannot change.
func asNobody(t *testing.T, f func()) {
	t.Helper()
	setxid.RLock()
	defer setxid.RUnlock()
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		const nobody = 65534
		uid, gid := unix.Geteuid(), unix.Getegid()
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, ^uintptr(0), nobody, ^uintptr(0)); e != 0 {
			done <- e
			return
		}
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, ^uintptr(0), nobody, ^uintptr(0)); e != 0 {
			done <- e
			return
		}
		f()
		_, _, e1 := unix.RawSyscall(unix.SYS_SETRESUID, ^uintptr(0), uintptr(uid), ^uintptr(0))
		_, _, e2 := unix.RawSyscall(unix.SYS_SETRESGID, ^uintptr(0), uintptr(gid), ^uintptr(0))
		if e1 != 0 || e2 != 0 {
			t.Errorf("taking the thread's ids back: setresuid %v, setresgid %v", e1, e2)
		}
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Skipf("cannot change the thread's uid: %v", err)
	}
}
