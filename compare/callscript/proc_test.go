//go:build linux

package callscript

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sandbox"
	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// The process, limit and signal calls are tried here in the test binary:
// a script's fork starts the test binary again, and TestMain makes it the
// child interpreter, on goipc or on a wrong side that testSideEnv names
// (the children of a test inherit it). The run's signals go to the main
// thread, as in ipccalls. The tests that fork are not parallel: a child
// gets every descriptor of the process, another test's pipe too, whose
// reader would then stay open.

func init() { runtime.LockOSThread() }

// testSideEnv names the side a child of these tests runs on: "" for
// goipc, or one of wrongSides.
const testSideEnv = "CALLSCRIPT_TEST_SIDE"

// wrongSides are goipc made wrong in one way each, as a port could be.
var wrongSides = map[string]func(sides.API) sides.API{
	// A child's exit status off by one, as a port whose exit(3) is wrong
	// (the child reports it on its transcript, which the parent reads).
	"exit-status": func(a sides.API) sides.API {
		wp := a.Proc.Waitpid
		a.Proc.Waitpid = func(pid int, status *int, options int) (int, error) {
			r, err := wp(pid, status, options)
			if status != nil && r > 0 && unix.WaitStatus(*status).Exited() {
				*status += 1 << 8
			}
			return r, err
		}
		return a
	},
	// Every handler with SA_RESTART, as the Go runtime installs its own.
	"always-restart": func(a sides.API) sides.API {
		sa := a.Signal.Sigaction
		a.Signal.Sigaction = func(sig, handler, flags int, m *unix.Sigset_t) error { return sa(sig, handler, flags|0x10000000, m) }
		return a
	},
	// Every handler without SA_RESTART: signal(2) as System V had it.
	"never-restart": func(a sides.API) sides.API {
		sa := a.Signal.Sigaction
		a.Signal.Sigaction = func(sig, handler, flags int, m *unix.Sigset_t) error { return sa(sig, handler, flags&^0x10000000, m) }
		return a
	},
	// os/signal's channel read once, with what came merged: a signal
	// caught twice counts once.
	"merged-signals": func(a sides.API) sides.API {
		caught := a.Signal.Caught
		var pending []int
		a.Signal.Caught = func() []int {
			pending = append(pending, caught()...)
			if len(pending) < 2 {
				return nil
			}
			out := []int{pending[0]}
			pending = nil
			return out
		}
		return a
	},
	// sigprocmask as x/sys/unix.PthreadSigmask has it: the thread's
	// mask alone, os/signal's thread left to take what the thread blocks.
	"sigprocmask-thread-only": func(a sides.API) sides.API {
		a.Signal.Sigprocmask = unix.PthreadSigmask
		return a
	},
	// sigprocmask's old set asked for after the change.
	"sigprocmask-old-after": func(a sides.API) sides.API {
		sp := a.Signal.Sigprocmask
		a.Signal.Sigprocmask = func(how int, set, old *unix.Sigset_t) error {
			if err := sp(how, set, nil); err != nil || old == nil {
				return err
			}
			return sp(unix.SIG_BLOCK, nil, old)
		}
		return a
	},
	// sigpending as /proc/thread-self/status's SigPnd: the thread's
	// pending signals, not the process's.
	"sigpending-thread-only": func(a sides.API) sides.API {
		a.Signal.Sigpending = func(set *unix.Sigset_t) error {
			st, err := os.ReadFile("/proc/thread-self/status")
			if err != nil {
				return err
			}
			var pnd, blk uint64
			for _, l := range strings.Split(string(st), "\n") {
				if v, ok := strings.CutPrefix(l, "SigPnd:\t"); ok {
					pnd, _ = strconv.ParseUint(v, 16, 64)
				}
				if v, ok := strings.CutPrefix(l, "SigBlk:\t"); ok {
					blk, _ = strconv.ParseUint(v, 16, 64)
				}
			}
			*set = unix.Sigset_t{Val: [16]uint64{pnd & blk}}
			return nil
		}
		return a
	},
	// The Go runtime's full sa_mask kept for the recording handler.
	"sa-mask-full": func(a sides.API) sides.API {
		sa := a.Signal.Sigaction
		a.Signal.Sigaction = func(sig, handler, flags int, _ *unix.Sigset_t) error {
			return sa(sig, handler, flags, &unix.Sigset_t{Val: [16]uint64{^uint64(0)}})
		}
		return a
	},
	// sa_mask dropped.
	"sa-mask-empty": func(a sides.API) sides.API {
		sa := a.Signal.Sigaction
		a.Signal.Sigaction = func(sig, handler, flags int, _ *unix.Sigset_t) error { return sa(sig, handler, flags, nil) }
		return a
	},
	// sigsuspend's EINTR taken for success, as a wrapper that retries
	// nothing but reports "the handler ran" as no error.
	"sigsuspend-eintr-nil": func(a sides.API) sides.API {
		ss := a.Signal.Sigsuspend
		a.Signal.Sigsuspend = func(m *unix.Sigset_t) error {
			if err := ss(m); err != unix.EINTR {
				return err
			}
			return nil
		}
		return a
	},
	// pause as ppoll with a zero deadline where NULL waits for ever.
	"pause-zero-timeout": func(a sides.API) sides.API {
		a.Signal.Pause = func() error {
			_, err := unix.Ppoll(nil, &unix.Timespec{}, nil)
			return err
		}
		return a
	},
	// raise as kill(getpid()): to the process, not the thread.
	"raise-to-process": func(a sides.API) sides.API {
		a.Signal.Raise = func(sig int) error { return unix.Kill(unix.Getpid(), unix.Signal(sig)) }
		return a
	},
	// A name that glibc reads itself handed to the kernel unread, as a
	// Go port that passes the pointer on: EFAULT where C dies of SIGSEGV.
	"names-to-kernel": func(a sides.API) sides.API {
		toKernel := func(name unsafe.Pointer) error {
			_, err := a.Raw.Open(name, unix.O_RDONLY, 0)
			return err
		}
		a.Raw.MqOpen = func(name unsafe.Pointer, oflag int, mode uint32, attr unsafe.Pointer) (int, error) {
			mqd, _, e := unix.Syscall6(unix.SYS_MQ_OPEN, uintptr(unsafe.Add(name, 1)), uintptr(oflag), uintptr(mode), uintptr(attr), 0, 0)
			if e != 0 {
				return -1, e
			}
			return int(mqd), nil
		}
		a.Raw.MqUnlink = func(name unsafe.Pointer) error {
			_, _, e := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Add(name, 1)), 0, 0)
			if e != 0 {
				return e
			}
			return nil
		}
		a.Raw.ShmOpen = func(name unsafe.Pointer, _ int, _ uint32) (int, error) { return -1, toKernel(name) }
		a.Raw.ShmUnlink = toKernel
		a.Raw.SemUnlink = toKernel
		a.Raw.SemOpen = func(name unsafe.Pointer, _ int, _ uint32, _ uint) error { return toKernel(name) }
		return a
	},
	// sem_open alone handing its name to the kernel unread.
	"sem-name-to-kernel": func(a sides.API) sides.API {
		a.Raw.SemOpen = func(name unsafe.Pointer, _ int, _ uint32, _ uint) error {
			_, err := a.Raw.Open(name, unix.O_RDONLY, 0)
			return err
		}
		return a
	},
	// setrlimit that does nothing.
	"no-setrlimit": func(a sides.API) sides.API {
		a.Proc.Setrlimit = func(int, *unix.Rlimit) error { return nil }
		return a
	},
	// A child that does not keep its close-on-exec descriptors, as an
	// exec'd child would without the interpreter's care.
	"exec-closes": func(a sides.API) sides.API {
		fe := a.Proc.ForkExec
		a.Proc.ForkExec = func(path string, argv, env []string, stdout int) (int, error) {
			for _, e := range env {
				if js, ok := strings.CutPrefix(e, childEnv+"="); ok {
					var state childState
					json.Unmarshal([]byte(js), &state)
					for _, fd := range state.Cloexec {
						unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
					}
				}
			}
			return fe(path, argv, env, stdout)
		}
		return a
	},
}

// testAPI is side ("" for goipc, or one of wrongSides), whose children
// are that side too: its fork tells them in testSideEnv.
func testAPI(side string) sides.API {
	api := goside.API()
	if w := wrongSides[side]; w != nil {
		api = w(api)
	}
	fe := api.Proc.ForkExec
	api.Proc.ForkExec = func(path string, argv, env []string, stdout int) (int, error) {
		env = slices.DeleteFunc(slices.Clone(env), func(e string) bool {
			return strings.HasPrefix(e, testSideEnv+"=") || strings.HasPrefix(e, "GORACE=")
		})
		// A race-enabled child would sleep a second as it exits.
		return fe(path, argv, append(env, testSideEnv+"="+side, "GORACE=atexit_sleep_ms=0"), stdout)
	}
	return api
}

var procLang = func() *Lang {
	l, err := NewLang(Pipe, FIFO, Mq, Shm, Sock, Proc, Limits, Signal, Mem)
	if err != nil {
		panic(err)
	}
	return l
}()

// testToken is the $RUN of the scripts that the tests run in this process,
// unsandboxed: its queues, shared-memory objects and semaphores are the
// host's, so two test processes at once must not meet in them.
var testToken = fmt.Sprintf("t%d", os.Getpid())

func TestMain(m *testing.M) {
	if js, ok := os.LookupEnv(childEnv); ok {
		// As ipccalls: the script's signals go to the main thread only.
		KeepSignalsOnMain()
		noteStartFds()
		runChild(testAPI(os.Getenv(testSideEnv)), procLang, js)
	}
	// As testhelper.Main does (on an error, the tests run as they
	// started); not in a forked child above, which keeps the mask its
	// script's parent had.
	sandbox.StartClean(false)
	noteStartFds()
	os.Exit(m.Run())
}

// runScript runs text on side ("" for goipc) in this process and returns
// the transcript and the outcome.
func runScript(t *testing.T, side, text string) (string, Outcome) {
	t.Helper()
	s, err := procLang.Parse("t.calls", text)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	o, err := procLang.Exec(s, testAPI(side), testToken, &b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return b.String(), o
}

// differsIn reports whether the wrong transcript differs from the right
// one, numbers aside (descriptors differ from run to run), in the lines
// that contain shows: one of its own, or another count of them.
func differsIn(right, wrong, shows string) bool {
	digits := regexp.MustCompile(`[0-9]+`)
	r := strings.Split(digits.ReplaceAllString(right, "N"), "\n")
	w := strings.Split(digits.ReplaceAllString(wrong, "N"), "\n")
	shows = digits.ReplaceAllString(shows, "N")
	has := func(l string) bool { return strings.Contains(l, shows) }
	if slices.Equal(r, w) {
		return false
	}
	if len(slices.DeleteFunc(slices.Clone(r), func(l string) bool { return !has(l) })) != len(slices.DeleteFunc(slices.Clone(w), func(l string) bool { return !has(l) })) {
		return true
	}
	return slices.ContainsFunc(w, func(l string) bool { return has(l) && !slices.Contains(r, l) })
}

// TestForkWait: the child's lines, marked, where the parent waits; its
// descriptors at the parent's numbers, close-on-exec ones too; the exit
// status. Wrong sides: an exit status off by one, and a child without the
// close-on-exec descriptors.
func TestForkWait(t *testing.T) {
	const script = `pipe2([$r, $w], O_CLOEXEC) = 0
fork() = $c {
    close($r) = 0
    write($w, "hi", 2) = 2
    exit(3)
}
close($w) = 0
read($r, buf, 8) = 2
waitpid($c, status, 0) = $c
fork() { exit(0) }
close($r) = 0
`
	got, o := runScript(t, "", script)
	if len(o.Mismatches) != 0 {
		t.Errorf("mismatches: %v", o.Mismatches)
	}
	lines := strings.Split(got, "\n")
	r, w := strings.TrimPrefix(strings.Split(lines[0], ", ")[0], "pipe2(["), strings.Split(strings.Split(lines[0], ", ")[1], "]")[0]
	want := []string{
		lines[0],
		"fork() = $c",
		"close(" + w + ") = 0",
		`read(` + r + `, "hi", 8) = 2`,
		"[$c] close(" + r + ") = 0",
		"[$c] write(" + w + `, "hi", 2) = 2`,
		"[$c] exit(3) = ?",
		"waitpid($c, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0) = $c",
		"fork() = PID",
		"close(" + r + ") = 0",
		"[line 10] exit(0) = ?",
		"[line 10] not waited for: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]",
		"",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	// Numbers aside (descriptors differ from run to run), as the status
	// is a number.
	if wrong, _ := runScript(t, "exit-status", script); !strings.Contains(wrong, "WEXITSTATUS(s) == 4") {
		t.Errorf("side exit-status: transcript does not show the status 4:\n%s", wrong)
	}
	if wrong, _ := runScript(t, "exec-closes", script); !differsIn(got, wrong, "= -1 EBADF") {
		t.Errorf("side exec-closes: transcript does not show EBADF:\n%s", wrong)
	}
}

// TestLoops: repeat runs N rounds, until stops at its errno and a bound
// reached without it is a mismatch. Wrong input: a bound too small.
func TestLoops(t *testing.T) {
	t.Parallel()
	got, o := runScript(t, "", "pipe2([$r, $w], O_NONBLOCK) = 0\nrepeat 2 { write($w, \"x\", 1) = 1 }\nuntil EAGAIN max 100 { read($r, buf, 1) }\n")
	want := "repeat 2 {\n  write(%w, \"x\", 1) = 1\n  write(%w, \"x\", 1) = 1\n} = 2 rounds\nuntil EAGAIN max 100 {\n  read(%r, \"x\", 1) = 1\n  read(%r, \"x\", 1) = 1\n  read(%r, buf, 1) = -1 EAGAIN (Resource temporarily unavailable)\n} = 3 rounds\n"
	f := strings.Fields(strings.NewReplacer("[", " ", ",", " ", "]", " ").Replace(strings.SplitN(got, "\n", 2)[0]))
	want = strings.NewReplacer("%r", f[1], "%w", f[2]).Replace(want)
	if diff := cmp.Diff(want, strings.SplitN(got, "\n", 2)[1]); diff != "" || len(o.Mismatches) != 0 {
		t.Errorf("(-want +got):\n%s\nmismatches %v", diff, o.Mismatches)
	}
	_, o = runScript(t, "", "pipe2([$r, $w], O_NONBLOCK) = 0\nrepeat 3 { write($w, \"x\", 1) = 1 }\nuntil EAGAIN max 2 { read($r, buf, 1) }\n")
	if want := []string{"t.calls:3: until EAGAIN max 2: no EAGAIN in 2 rounds"}; !cmp.Equal(want, o.Mismatches) {
		t.Errorf("a bound too small: mismatches %q, want %q", o.Mismatches, want)
	}
}

// TestLimitsUntilEMFILE: with the soft limit lowered in a child, open
// fails with EMFILE after as many descriptors as it leaves. Wrong side: a
// setrlimit that does nothing.
func TestLimitsUntilEMFILE(t *testing.T) {
	const script = `fork() = $c {
    setrlimit(RLIMIT_NOFILE, {rlim_cur=3, rlim_max=4096}) = 0
    until EMFILE max 64 { open("/dev/null", O_RDONLY) }
}
waitpid($c, status, 0) = $c
`
	got, o := runScript(t, "", script)
	if len(o.Mismatches) != 0 || !strings.Contains(got, "[$c]   open(\"/dev/null\", O_RDONLY) = -1 EMFILE") {
		t.Errorf("mismatches %v, transcript:\n%s", o.Mismatches, got)
	}
	wrong, o := runScript(t, "no-setrlimit", script)
	if len(o.Mismatches) == 0 || cmp.Diff(got, wrong) == "" {
		t.Errorf("no-setrlimit: not caught: mismatches %v, transcript:\n%s", o.Mismatches, wrong)
	}
}

// TestSignals: in a child, a handler without SA_RESTART makes a blocked
// read fail with EINTR, and three SIGPIPEs are three. Wrong sides: every
// handler with SA_RESTART (the read waits for the child's byte), and
// signals merged.
func TestSignals(t *testing.T) {
	const script = `pipe([$r, $w]) = 0
fork() = $c {
    sigaction(SIGALRM, {sa_handler=record, sa_flags=0}, NULL) = 0
    fork() = $late {
        usleep(300000) = 0
        write($w, "x", 1) = 1
    }
    ualarm(20000, 0) = 0
    read($r, buf, 1) = -1 EINTR
    waitpid($late, status, 0) = $late
    sigaction(SIGPIPE, {sa_handler=record}, NULL) = 0
    close($r) = 0
    repeat 3 { write($w, "x", 1) = -1 EPIPE }
}
close($r) = 0
close($w) = 0
waitpid($c, status, 0) = $c
`
	got, o := runScript(t, "", script)
	if len(o.Mismatches) != 0 || strings.Count(got, "--- SIGPIPE ---") != 3 || !strings.Contains(got, "= -1 EINTR") {
		t.Errorf("mismatches %v, transcript:\n%s", o.Mismatches, got)
	}
	for side, shows := range map[string]string{
		"always-restart": `read(`,
		"merged-signals": `--- SIGPIPE ---`,
	} {
		wrong, o := runScript(t, side, script)
		if !differsIn(got, wrong, shows) {
			t.Errorf("side %s: not caught (mismatches %v):\n%s", side, o.Mismatches, wrong)
		}
	}
}

// TestSignalIsBSD: glibc's signal installs the handler with SA_RESTART,
// so a read goes on after it; the transcript names the old action. Wrong
// side: a signal without SA_RESTART (System V's), where the read fails.
func TestSignalIsBSD(t *testing.T) {
	const script = `pipe([$r, $w]) = 0
fork() = $c {
    signal(SIGALRM, record)
    signal(SIGALRM, record)
    fork() = $late {
        usleep(300000) = 0
        write($w, "x", 1) = 1
    }
    ualarm(20000, 0) = 0
    read($r, buf, 1) = 1
    waitpid($late, status, 0) = $late
}
close($r) = 0
close($w) = 0
waitpid($c, status, 0) = $c
`
	got, o := runScript(t, "", script)
	if len(o.Mismatches) != 0 || !strings.Contains(got, "[$c] signal(SIGALRM, record) = (the Go runtime's handler)\n[$c] signal(SIGALRM, record) = record\n") {
		t.Errorf("mismatches %v, transcript:\n%s", o.Mismatches, got)
	}
	if wrong, _ := runScript(t, "never-restart", script); !differsIn(got, wrong, "read(") {
		t.Errorf("side never-restart: not caught:\n%s", wrong)
	}
}

// TestBlockErrors: a wrong block is the script's error, with its line and
// column.
func TestBlockErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"fork() = $c", "bad.calls:1:1: fork needs a block"},
		{"fork() = $c {\n  close(3)\n", "bad.calls:1:1: the block that line 1 opens is not closed with }"},
		{"close(3)\n}", "bad.calls:2:1: } closes no block"},
		{"close(3) {\n}", "bad.calls:1:1: close takes no block"},
		{"repeat 2 {\n}", "bad.calls:2:1: the block of line 1 is empty"},
		{"exit(0)", "bad.calls:1:1: exit ends a child"},
		{"repeat 2 { exit(0) }", "bad.calls:1:12: exit ends a child"},
		{"repeat 0 { close(3) }", "bad.calls:1:9: repeat count 0 out of range (1 to 100000)"},
		{"until EMFILE { close(3) }", "bad.calls:1:14: expected max N after until EMFILE"},
		{"until EBOGUS max 3 { close(3) }", "bad.calls:1:13: expected an errno name after until"},
		{"repeat 2", "bad.calls:1:9: repeat needs a block"},
		{"repeat 2 { close(3)", "bad.calls:1:20: expected '}'"},
		{"fork() {\n#sysctl fs/mqueue/msg_max=1\n}", "bad.calls:2:1: #sysctl inside a block"},
	} {
		_, err := procLang.Parse("bad.calls", tc.text)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want %s...", tc.text, err, tc.want)
		}
	}
	// At run time: a process that is not a variable, a refused signal.
	for _, tc := range []struct{ text, want string }{
		{"kill(1, SIGTERM)", "t.calls:1:6: 1: a process is a variable bound by fork, getpid or getppid, or 0"},
		{"sigaction(SIGSEGV, {sa_handler=record}, NULL)", "t.calls:1:11: SIGSEGV: the Go runtime of both interpreters needs it"},
		{"fork() = $c { getpid() = $x }\nfork() { kill($c, SIGTERM) }", "t.calls:2:15: $c is not bound in the child"},
	} {
		s, err := procLang.Parse("t.calls", tc.text)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_, err = procLang.Exec(s, testAPI(""), testToken, &b)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want %s...", tc.text, err, tc.want)
		}
	}
}

// TestSignalMask runs signal_mask.calls on goipc, where it must pass, and
// on wrong sides: each must first differ from goipc at the line named
// (numbers shown as N), in goipc's transcript or the wrong side's.
func TestSignalMask(t *testing.T) {
	text, err := os.ReadFile("../../testdata/calls/signal_mask.calls")
	if err != nil {
		t.Fatal(err)
	}
	// In a child, whose main thread takes the signals, as in ipccalls.
	text = []byte("fork() = $t {\n" + string(text) + "}\nwaitpid($t, status, 0) = $t\n")
	got, o := runScript(t, "", string(text))
	if len(o.Mismatches) != 0 || len(o.Skipped) != 0 {
		t.Fatalf("goipc: mismatches %q, skipped %q:\n%s", o.Mismatches, o.Skipped, got)
	}
	for _, w := range []struct {
		side  string
		shows []string // one of them
	}{
		// Where os/signal's thread takes the signal: before the next
		// line, after it, or after sigpending saw it, where it is caught
		// before the unblock; or (x/sys/unix clears the old set in Go)
		// the process dies at a bad old set.
		{"sigprocmask-thread-only", []string{"kill($me, SIGUSRN)", "sigpending([SIGUSRN])", "] --- SIGUSRN ---", "[SIGUSRN], BADPTR)"}},
		{"sigprocmask-old-after", []string{"sigprocmask(SIG_BLOCK, [SIGUSRN], [SIGUSRN])"}},
		{"sigpending-thread-only", []string{"sigpending([])"}},
		{"sa-mask-full", []string{"--- SIGUSRN ---"}},
		{"sa-mask-empty", []string{"sigpending([SIGUSRN])"}},
		{"sigsuspend-eintr-nil", []string{"sigsuspend([]) = -N EINTR"}},
		{"pause-zero-timeout", []string{"pause() = -N EINTR"}},
		{"raise-to-process", []string{"sigpending([SIGUSRN])"}},
	} {
		wrong, _ := runScript(t, w.side, string(text))
		r, g := firstDifference(got, wrong)
		if !slices.ContainsFunc(w.shows, func(s string) bool { return strings.Contains(r, s) || strings.Contains(g, s) }) {
			t.Errorf("side %s: first difference %q / %q, not at %q:\n%s", w.side, r, g, w.shows, wrong)
		}
	}
}

// firstDifference is the first line where the wrong transcript differs
// from the right one, numbers aside, in each.
func firstDifference(right, wrong string) (string, string) {
	digits := regexp.MustCompile(`[0-9]+`)
	r := strings.Split(digits.ReplaceAllString(right, "N"), "\n")
	w := strings.Split(digits.ReplaceAllString(wrong, "N"), "\n")
	for k := range min(len(r), len(w)) {
		if r[k] != w[k] {
			return r[k], w[k]
		}
	}
	if len(r) != len(w) {
		return strings.Join(r[min(len(r), len(w)):], "\n"), strings.Join(w[min(len(r), len(w)):], "\n")
	}
	return "", ""
}

// TestGlibcReadsNames runs the scripts whose children pass a bad name to
// a call whose glibc reads it (SIGSEGV) on goipc, and on a side that hands
// the name to the kernel unread: the child then ends well, with EFAULT.
func TestGlibcReadsNames(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct{ file, side string }{
		{"mq_efault.calls", "names-to-kernel"},
		{"shm_efault.calls", "names-to-kernel"},
		{"shm_efault.calls", "sem-name-to-kernel"},
	} {
		text, err := os.ReadFile(wd + "/../../testdata/calls/" + w.file)
		if err != nil {
			t.Fatal(err)
		}
		t.Chdir(t.TempDir())
		got, o := runScript(t, "", string(text))
		if len(o.Mismatches) != 0 || !strings.Contains(got, "WTERMSIG(s) == SIGSEGV") {
			t.Fatalf("%s on goipc: mismatches %q:\n%s", w.file, o.Mismatches, got)
		}
		wrong, _ := runScript(t, w.side, string(text))
		if r, g := firstDifference(got, wrong); !strings.Contains(r, "WTERMSIG(s) == SIGSEGV") && !strings.Contains(g, "EFAULT") {
			t.Errorf("%s: side %s: first difference %q / %q:\n%s", w.file, w.side, r, g, wrong)
		}
	}
}
