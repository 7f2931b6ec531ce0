//go:build linux

package sidestest

import (
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// noPid is a pid no process has: above the kernel's pid_max.
const noPid = 0x7fffffff

// TestProc runs the process, limit and signal cases on api.
func TestProc(t *testing.T, api sides.API) {
	runCases(t, api.Name, api.Proc, procCases)
	runCases(t, api.Name, api.Signal, signalCases)
}

var procCases = []fdCase[sides.Proc]{
	{"getpid-getppid", 0, func(t *testing.T, s sides.Proc) error {
		if s.Getpid() != unix.Getpid() || s.Getppid() != unix.Getppid() {
			t.Errorf("getpid %d, getppid %d; want %d, %d", s.Getpid(), s.Getppid(), unix.Getpid(), unix.Getppid())
		}
		return nil
	}},
	{"fork-exec-status", 0, func(t *testing.T, s sides.Proc) error {
		// The child's stdout is the pipe; its exit status comes back.
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		closeAtEnd(t, p[0])
		pid, err := s.ForkExec("/bin/sh", []string{"sh", "-c", "echo hi; exit 3"}, nil, p[1])
		unix.Close(p[1])
		if err != nil {
			return err
		}
		var status int
		if r, err := s.Waitpid(pid, &status, 0); r != pid || err != nil {
			t.Fatalf("waitpid = %d, %v; want %d", r, err, pid)
		}
		buf := make([]byte, 16)
		n, _ := unix.Read(p[0], buf)
		if ws := unix.WaitStatus(status); string(buf[:n]) != "hi\n" || !ws.Exited() || ws.ExitStatus() != 3 {
			t.Errorf("child printed %q and ended %#x; want \"hi\\n\" and exit 3", buf[:n], status)
		}
		return nil
	}},
	{"waitpid-nochild", unix.ECHILD, func(t *testing.T, s sides.Proc) error {
		_, err := s.Waitpid(noPid, nil, 0)
		return err
	}},
	{"kill-nopid", unix.ESRCH, func(t *testing.T, s sides.Proc) error { return s.Kill(noPid, 0) }},
	{"kill-badsig", unix.EINVAL, func(t *testing.T, s sides.Proc) error { return s.Kill(s.Getpid(), 1000) }},
	{"kill-self-0", 0, func(t *testing.T, s sides.Proc) error { return s.Kill(s.Getpid(), 0) }},
	{"usleep", 0, func(t *testing.T, s sides.Proc) error { return s.Usleep(1000) }},
	{"getrlimit-bad", unix.EINVAL, func(t *testing.T, s sides.Proc) error {
		var r unix.Rlimit
		return s.Getrlimit(1000, &r)
	}},
	{"setrlimit-cur-over-max", unix.EINVAL, func(t *testing.T, s sides.Proc) error {
		return s.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 2, Max: 1})
	}},
	{"rlimit-round-trip", 0, func(t *testing.T, s sides.Proc) error {
		var r, again unix.Rlimit
		if err := s.Getrlimit(unix.RLIMIT_MSGQUEUE, &r); err != nil {
			return err
		}
		if err := s.Setrlimit(unix.RLIMIT_MSGQUEUE, &r); err != nil {
			return err
		}
		if err := s.Getrlimit(unix.RLIMIT_MSGQUEUE, &again); err != nil || again != r {
			t.Errorf("getrlimit after setrlimit: %+v, %v; want %+v", again, err, r)
		}
		return nil
	}},
}

var signalCases = []fdCase[sides.Signal]{
	{"sigprocmask-badhow", unix.EINVAL, func(t *testing.T, s sides.Signal) error {
		return s.Sigprocmask(99, &unix.Sigset_t{}, nil)
	}},
	{"sigsuspend-null", unix.EFAULT, func(t *testing.T, s sides.Signal) error { return s.Sigsuspend(nil) }},
	{"raise-blocked-pending", 0, func(t *testing.T, s sides.Signal) error {
		// SIGPWR, which no other case uses, ignored: a blocked signal
		// stays pending all the same, and goes when unblocked. raise
		// sends it to this thread.
		if err := s.Sigaction(int(unix.SIGPWR), sides.SigIgn, 0, nil); err != nil {
			return err
		}
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		set := unix.Sigset_t{Val: [16]uint64{1 << (unix.SIGPWR - 1)}}
		var old, pending unix.Sigset_t
		if err := s.Sigprocmask(unix.SIG_BLOCK, &set, &old); err != nil {
			return err
		}
		if err := s.Raise(int(unix.SIGPWR)); err != nil {
			return err
		}
		if err := s.Sigpending(&pending); err != nil {
			return err
		}
		if pending.Val[0] != set.Val[0] {
			t.Errorf("pending %#x after raise; want %#x", pending.Val[0], set.Val[0])
		}
		if err := s.Sigprocmask(unix.SIG_SETMASK, &old, nil); err != nil {
			return err
		}
		if err := s.Sigpending(&pending); err != nil || pending.Val[0] != 0 {
			t.Errorf("pending %#x, %v after unblocking; want none", pending.Val[0], err)
		}
		return nil
	}},
	{"sigaction-badsig", unix.EINVAL, func(t *testing.T, s sides.Signal) error {
		return s.Sigaction(1000, sides.SigIgn, 0, nil)
	}},
	{"sigaction-sigkill", unix.EINVAL, func(t *testing.T, s sides.Signal) error {
		return s.Sigaction(int(unix.SIGKILL), sides.SigIgn, 0, nil)
	}},
	{"record-sigwinch", 0, func(t *testing.T, s sides.Signal) error {
		// SIGWINCH, whose default is to ignore it, sent to this thread
		// alone: sent to the process, it could land on the thread of a
		// parallel case and interrupt it (usleep failed with EINTR).
		if err := s.Sigaction(int(unix.SIGWINCH), sides.SigRecord, 0x10000000, nil); err != nil {
			return err
		}
		defer s.Sigaction(int(unix.SIGWINCH), sides.SigDfl, 0, nil)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := unix.Tgkill(unix.Getpid(), unix.Gettid(), unix.SIGWINCH); err != nil {
			t.Fatal(err)
		}
		// The handler may hand it on to another goroutine: wait a little.
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			for _, sig := range s.Caught() {
				if sig == int(unix.SIGWINCH) {
					return nil
				}
			}
		}
		t.Errorf("SIGWINCH not caught")
		return nil
	}},
}
