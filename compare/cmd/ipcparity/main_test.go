//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

func TestBadArgumentsGiveUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"list", "extra"},
		{"run", "pipe"},
		{"run", "--form", "rust", "pipe"},
		{"run", "--form", "go", "nosuch"},
		{"check", "nosuch"},
		{"check", "--nosuchflag"},
		{"verify", "pipe"},
		{"verify", "pipe", "--"},
		{"verify", "nosuch", "--", "true"},
		{"verify", "--lang", "rust", "pipe", "--", "true"},
		{"check", "--lang", "go", "pipe"},
		{"calls"},
		{"calls", "--run", "pipe"},
		{"list", "--json"},
		{"verify", "pipe", "true"},
		{"verify", "pipe", "extra", "--", "true"},
		{"run", "--form", "go", "pipe", "-x"},
		{"run", "--form", "c", "--deadline", "-1s", "pipe"},
		{"run", "--form", "c", "--deadline", "soon", "pipe"},
		{"check", "-j", "-1", "pipe"},
		{"check", "--run", "(", "pipe"},
		{"bench", "--reps", "0"},
		{"bench", "--also", "before", "call"},
		{"bench", "--also", "=/bin/true", "call"},
		{"bench", "--also", "go=/bin/true", "call"},
		{"bench", "--also", "before=/no/such/ipcbench", "call"},
		{"help", "nosuch"},
		{"help", "check", "verify"},
		{"--version", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(stderr.String(), "usage:") {
			t.Errorf("%q: no usage on stderr: %q", args, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: wrote to stdout: %q", args, stdout.String())
		}
	}
}

func TestMain(m *testing.M) {
	runner.Main(compare.Lookup) // sandbox.Available's probe starts this binary again
	// Sandboxed runs start bin/ipcparity-init as their init, as
	// bin/ipcparity does: the same catalogue, without the race detector's
	// start-up cost.
	runner.InitBinary, _ = filepath.Abs("../../../bin/ipcparity-init")
	testhelper.Main(m, map[string]testhelper.Helper{
		// The test binary as ipcparity itself, for the tests that signal it.
		"ipcparity": func(args []string) int { return run(args, os.Stdout, os.Stderr) },
	})
}

// binDir is where make build put the binaries.
func binDir(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs("../../../bin")
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// programNames are the nine programs of the notes.
var programNames = []string{"pipe", "fifo_reader", "fifo_writer", "mq_server", "mq_client", "shm_writer", "shm_reader", "sock_server", "sock_client"}

// TestVerifyPassesOwnGoForms: each of this module's own Go programs, given
// to verify as a user's port, passes. Known differences belong to Go, not
// to the form named "go": verify sees a Go binary and applies them.
//
// Without --errno, the report says what is missing for errno to be
// compared; with it, errno is compared and agrees.
func TestVerifyPassesOwnGoForms(t *testing.T) {
	bin := binDir(t)
	const errnoNote = "run verify with --errno if your port reports errno on IPCPARITY_REPORT_FD"
	// Each program's scenarios where a known difference of Go's shows
	// (the rest of each program's scenarios are the parity matrix's, in
	// package compare, where the go and idiom forms meet C in every role);
	// fifo_reader's fail with an errno, for the note.
	for _, c := range []struct{ program, run string }{
		{"pipe", "."},
		{"fifo_writer", "fifo/reader-gone-long"},
		{"fifo_reader", "fifo/(reader-gone-long|exists|reader-missing-dir)$"},
		{"mq_server", "mq/server-killed"},
		{"sock_server", "sock/unix-server-killed-after-client"},
	} {
		for _, form := range []string{"go", "idiom"} {
			for _, errno := range []bool{true, false} {
				if !errno && c.program != "fifo_reader" {
					continue // the note's case; with --errno is the stronger check
				}
				var stdout, stderr bytes.Buffer
				args := []string{"verify", "--bin", bin, "--run", c.run}
				if errno {
					args = append(args, "--errno")
				}
				code := run(append(args, c.program, "--", bin+"/"+form+"/"+c.program), &stdout, &stderr)
				if code != 0 {
					t.Errorf("%q %s: exit %d, want 0\n%s%s", args, form, code, stdout.String(), stderr.String())
				}
				if !strings.Contains(stderr.String(), "is a Go binary") {
					t.Errorf("%q %s: stderr does not say the port was taken for Go: %q", args, form, stderr.String())
				}
				if strings.Contains(stdout.String(), " 0 of ") {
					t.Errorf("%q %s: --run %q selected no scenario", args, form, c.run)
				}
				// fifo_reader fails with ENOENT and EEXIST in some scenarios.
				if note := strings.Contains(stdout.String(), errnoNote); c.program == "fifo_reader" && note == errno {
					t.Errorf("%q %s: note %q shown: %v, want %v\n%s", args, form, errnoNote, note, !errno, stdout.String())
				}
			}
		}
	}
}

// TestVerifyLang: a shell script that execs bin/go/pipe cannot be seen to
// be Go. Held to C, it fails where Go differs from C, and the report says
// how to say its language; with --lang go it passes. A wrong Go port, one
// that appends an "x" to its message, fails with --lang go all the same.
func TestVerifyLang(t *testing.T) {
	bin := binDir(t)
	pipe := bin + "/go/pipe"
	for _, c := range []struct {
		name   string
		lang   []string
		script string
		code   int
		want   []string
	}{
		{"wrapper as go", []string{"--lang", "go"}, `exec "` + pipe + `" "$@"`, 0, []string{"known:sigpipe-other-fd"}},
		{"wrapper unsaid", nil, `exec "` + pipe + `" "$@"`, 1, []string{"DIFF", "stdout-broken-long", "say so with verify --lang"}},
		{"wrapper as c", []string{"--lang", "c"}, `exec "` + pipe + `" "$@"`, 1, []string{"DIFF", "stdout-broken-long"}},
		{"wrong port as go", []string{"--lang", "go"}, `exec "` + pipe + `" "$@"x`, 1, []string{"DIFF"}},
		// A known difference is allowed, not required, of a user's port:
		// C's outcome passes too.
		{"c as go", []string{"--lang", "go"}, `exec "` + bin + `/c/pipe" "$@"`, 0, nil},
	} {
		var stdout, stderr bytes.Buffer
		// Two scenarios: one where Go differs from C, one where it does not.
		args := append([]string{"verify", "--bin", bin, "--run", "pipe/(default|stdout-broken-long)$"}, c.lang...)
		args = append(args, "pipe", "--", "sh", "-c", c.script, "pipe")
		code := run(args, &stdout, &stderr)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.code, stdout.String(), stderr.String())
		}
		for _, w := range c.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%s: the report lacks %q:\n%s", c.name, w, stdout.String())
			}
		}
	}
}

// TestInterruptedVerify: a verify whose port hangs, interrupted by SIGINT
// or SIGTERM, prints no verdict and exits 128+the signal.
func TestInterruptedVerify(t *testing.T) {
	bin := binDir(t)
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			t.Parallel()
			argv := testhelper.Command(t, "ipcparity", "verify", "--bin", bin, "pipe", "--", "sh", "-c", "exec sleep 60")
			cmd := exec.Command(argv[0], argv[1:]...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Once the port runs (a sleep among the command's
			// descendants), interrupt it.
			start := time.Now()
			for !descendant(cmd.Process.Pid, "sleep") {
				if time.Since(start) > 20*time.Second {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("no run started in 20 s\n%s%s", stdout.String(), stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Signal(c.sig)
			sent := time.Now()
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout.String(), stderr.String())
			}
			for _, verdict := range []string{" ok", "DIFF", "ERROR", "agree"} {
				if strings.Contains(stdout.String(), verdict) {
					t.Errorf("an interrupted verify printed a verdict (%q):\n%s", verdict, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), "interrupted by "+unix.SignalName(c.sig)) {
				t.Errorf("stderr does not say what interrupted it: %q", stderr.String())
			}
			if elapsed := time.Since(sent); elapsed > 5*time.Second {
				t.Errorf("it took %v to stop after the signal: it waited for the runs' deadline", elapsed)
			}
		})
	}
}

// descendant reports whether a process named comm descends from process
// pid (the sandboxes' PID namespaces hide nothing from this side).
func descendant(pid int, comm string) bool { return descendantPid(pid, comm) != 0 }

// descendantPid is the pid of a descendant of pid named comm, or 0.
func descendantPid(pid int, comm string) int {
	tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "children"))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, c := range strings.Fields(string(b)) {
			child, _ := strconv.Atoi(c)
			if name, _ := os.ReadFile(filepath.Join("/proc", c, "comm")); strings.TrimSpace(string(name)) == comm {
				return child
			}
			if d := descendantPid(child, comm); d != 0 {
				return d
			}
		}
	}
	return 0
}

// TestCheckAndVerify runs the command as a user does, on the pipe program
// (the parity matrix itself is package compare's test): check agrees, and
// verify tells a port that drops the "!" from C.
func TestCheckAndVerify(t *testing.T) {
	bin, err := filepath.Abs("../../../bin")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", "--bin", bin, "pipe"}, &stdout, &stderr); code != 0 {
		t.Fatalf("check pipe: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "scenarios agree") || !strings.Contains(stdout.String(), "call scripts agree") {
		t.Errorf("check pipe printed no summary:\n%s", stdout.String())
	}
	stdout.Reset()
	stderr.Reset()
	code := run([]string{"verify", "--bin", bin, "pipe", "--", "sh", "-c", `printf 'Hello World\n'`}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stdout.String(), "Hello World!") {
		t.Errorf("verify of a wrong port: exit %d (want 1)\n%s%s", code, stdout.String(), stderr.String())
	}
}

// --junit writes a JUnit file that CI servers read (held to the schema
// with xmllint), with a failure where a port differs.
func TestJUnitFile(t *testing.T) {
	bin := binDir(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args             []string
		code, cases, bad int
	}{
		{[]string{"check", "--bin", bin, "--run", "pipe/default$", "pipe", "--junit", dir + "/check.xml"}, 0, 4, 0},
		{[]string{"verify", "--bin", bin, "--run", "pipe/default$", "--junit", dir + "/verify.xml", "pipe", "--", "sh", "-c", `printf 'Hello World\n'`}, 1, 2, 1},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != c.code {
			t.Fatalf("%q: exit %d, want %d\n%s%s", c.args, code, c.code, stdout.String(), stderr.String())
		}
		file := c.args[slices.Index(c.args, "--junit")+1]
		out, err := exec.Command("xmllint", "--noout", "--schema", "../../judge/testdata/junit.xsd", file).CombinedOutput()
		if err != nil {
			t.Errorf("%s breaks the JUnit schema: %v\n%s", file, err, out)
		}
		b, _ := os.ReadFile(file)
		if n := strings.Count(string(b), "<testcase "); n != c.cases {
			t.Errorf("%s: %d test cases, want %d", file, n, c.cases)
		}
		if n := strings.Count(string(b), "<failure "); n != c.bad {
			t.Errorf("%s: %d failures, want %d", file, n, c.bad)
		}
	}
}

// Progress on stderr, where it is not a terminal: a line per finished run,
// the first difference as soon as it shows; nothing with --quiet.
func TestProgress(t *testing.T) {
	bin := binDir(t)
	port := []string{"pipe", "--", "sh", "-c", `printf 'Hello World\n'`}
	var stdout, stderr bytes.Buffer
	run(append([]string{"verify", "--bin", bin, "-j", "1", "--run", "pipe/(default|empty)$"}, port...), &stdout, &stderr)
	for _, want := range []string{"[1/2] DIFF  pipe/", "[2/2] DIFF  pipe/", "first difference:\npipe/", "what differs from C:"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if n := strings.Count(stderr.String(), "first difference:"); n != 1 {
		t.Errorf("the first difference told %d times", n)
	}
	stderr.Reset()
	run(append([]string{"verify", "--bin", bin, "--quiet", "--run", "pipe/default$"}, port...), &stdout, &stderr)
	if strings.Contains(stderr.String(), "[1/1]") || strings.Contains(stderr.String(), "first difference") {
		t.Errorf("--quiet, yet progress on stderr:\n%s", stderr.String())
	}
}

// A script that is wrong only when it runs (a variable never bound) is an
// error, exit 2, not a disagreement between the sides.
func TestScriptWrongAtRunTime(t *testing.T) {
	f := filepath.Join(t.TempDir(), "bad.calls")
	if err := os.WriteFile(f, []byte("pipe([$r, $w]) = 0\nclose($nope)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"calls", "--bin", binDir(t), "--quiet", f}, &stdout, &stderr); code != 2 {
		t.Errorf("exit %d, want 2\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "ERROR "+f+":2:7: $nope is not bound") || strings.Contains(stdout.String(), "DIFF") {
		t.Errorf("the report does not call it an error:\n%s", stdout.String())
	}
}

// TestTrace: verify --trace passes the project's own Go form of a program,
// and --trace without strace is an error, said once (exit 2).
func TestTrace(t *testing.T) {
	if _, err := runner.Strace(); err != nil {
		t.Skip(err) // .ci/run installs strace
	}
	bin := binDir(t)
	var stdout, stderr bytes.Buffer
	args := []string{"verify", "--trace", "--bin", bin, "--run", "mq/default$", "mq_client", "--", bin + "/go/mq_client"}
	if code := run(args, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "1 of 1 scenarios agree") {
		t.Errorf("%q: exit %d, want 0 and 1 scenario\n%s%s", args, code, stdout.String(), stderr.String())
	}
	argv := testhelper.Command(t, "ipcparity", "check", "--trace", "--bin", bin, "pipe")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), runner.StraceEnv+"="+filepath.Join(t.TempDir(), "no-strace"))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || strings.Count(string(out), "--trace needs strace") != 1 {
		t.Errorf("check --trace without strace: %v, want exit 2 and the reason once:\n%s", err, out)
	}
}

// TestCheckUnderBlockedSignals: ipcparity started with SIGWINCH blocked
// and SIGINT ignored, as perf and a shell's background job start a
// command, behaves as it does started from a login shell. Its sandboxes'
// init (bin/ipcparity-init) starts again without them, and still starts
// programs itself, which tells a port that cannot start as an error (a
// trampoline's exec shows it only as exit 127). With SIGWINCH blocked, the
// C reference never took the signal of the five signal-in scenarios, and
// each waited out its deadline.
func TestCheckUnderBlockedSignals(t *testing.T) {
	bin := binDir(t)
	notExec := filepath.Join(t.TempDir(), "not-an-executable")
	write(t, notExec, "garbage\n", 0o755)
	for _, c := range []struct {
		args []string
		code int
		said string
	}{
		{[]string{"check", "--bin", bin, "--run", "signal-in", "fifo", "mq", "shm", "sock"}, 0, "5 of 5 scenarios agree"},
		{[]string{"verify", "--bin", bin, "--run", "pipe/default$", "pipe", "--", notExec}, 2, "exec format error (1 run could not start"},
	} {
		argv := testhelper.Command(t, "ipcparity", c.args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), testhelper.SignalsEnv([]syscall.Signal{syscall.SIGWINCH}, []syscall.Signal{syscall.SIGINT}))
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != c.code || !strings.Contains(string(out), c.said) {
			t.Errorf("%q with SIGWINCH blocked and SIGINT ignored: exit %d, want %d and %q:\n%s", c.args, code, c.code, c.said, out)
		}
	}
}

// TestRunPassesNoDescriptors: the program that ipcparity run starts by
// hand, unsandboxed, gets none of the descriptors ipcparity inherited
// (make's jobserver, a terminal's, a host file): only 0, 1, 2 and its
// errno report, 3. The Go runtime closes none it did not open. It runs
// bin/ipcparity itself, as the helper does not go through main.
func TestRunPassesNoDescriptors(t *testing.T) {
	bin := binDir(t)
	cmd := exec.Command(filepath.Join(bin, "ipcparity"), "run", "--bin", bin, "--form", "c", "fifo_reader")
	cmd.Dir = t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	for i := 0; i < 5; i++ { // descriptors 3 to 7
		f, err := os.Create(filepath.Join(t.TempDir(), "host-file"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.ExtraFiles = append(cmd.ExtraFiles, f)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// run passes SIGTERM on to fifo_reader, which would otherwise wait
	// for a writer, holding the stderr pipe, after a SIGKILL of run.
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	pid := 0
	for start := time.Now(); pid == 0; time.Sleep(10 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("fifo_reader did not start in 10 s\n%s", stderr.String())
		}
		pid = descendantPid(cmd.Process.Pid, "fifo_reader")
	}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	var fds []string
	for _, e := range ents {
		fds = append(fds, e.Name())
	}
	if diff := cmp.Diff([]string{"0", "1", "2", "3"}, fds); diff != "" {
		t.Errorf("fifo_reader's descriptors under ipcparity run, ipcparity holding 3 to 7 (-want +got):\n%s", diff)
	}
}
