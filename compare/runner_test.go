//go:build linux

package compare

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// shForm stands in for a port of program: a shell command line.
func shForm(program, script string) runner.Form {
	return runner.CommandForm(program, []string{"/bin/sh", "-c", script, program})
}

func cForm(t *testing.T) runner.Form {
	t.Helper()
	return runner.BuiltinForms(binDir)[0]
}

func TestWrongProgramIsDifferent(t *testing.T) {
	// The notes' message without its "!": a port that lost a byte.
	wrong := shForm("pipe", `printf 'Hello World\n'`)
	res := judge.Compare(context.Background(), scenario("pipe", "default"), []runner.Pairing{{cForm(t)}, {wrong}})
	if res.Agree {
		t.Fatalf("a program that prints %q agrees with C", "Hello World\n")
	}
	got := res.Runs[1]
	if got.Verdict != judge.VerdictDifferent || !strings.Contains(got.Diff, "Stdout") {
		t.Errorf("verdict %q, diff %q: want %q with a Stdout diff", got.Verdict, got.Diff, judge.VerdictDifferent)
	}
	want := runner.Proc{Role: "pipe", Stdout: "Hello World!\n", Exit: 0}
	if diff := cmp.Diff([]runner.Proc{want}, res.Runs[0].Outcome.Procs); diff != "" {
		t.Errorf("the C reference: mismatch (-want +got):\n%s", diff)
	}
}

func TestExitStatusAndSignalAreCompared(t *testing.T) {
	for _, script := range []string{
		`printf 'Hello World!\n'; exit 3`,
		`printf 'Hello World!\n'; kill -TERM $$`,
		`printf 'Hello World!\n' >&2`,
	} {
		res := judge.Compare(context.Background(), scenario("pipe", "default"), []runner.Pairing{{cForm(t)}, {shForm("pipe", script)}})
		if res.Agree {
			t.Errorf("%s: agrees with C", script)
		}
	}
}

func TestHangingProgramTimesOut(t *testing.T) {
	sc := scenario("pipe", "default")
	sc.Deadline = 300 * time.Millisecond
	// The hanging program also starts a child in its process group: the
	// kill must take the whole group. The child's odd duration finds it.
	const marker = "31.4159"
	hang := shForm("pipe", `sleep `+marker+` & wait`)
	before := hostState(marker)
	start := time.Now()
	out, err := runner.Execute(context.Background(), sc, runner.Pairing{hang})
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v with a deadline of %v", elapsed, sc.Deadline)
	}
	if len(out.Procs) != 1 || !out.Procs[0].Timeout || out.Procs[0].Exit != -1 {
		t.Fatalf("outcome %+v: want one process marked timeout", out.Procs)
	}
	checkHostUnchanged(t, before, marker)
}

func TestLeftoversAreReportedAndCleaned(t *testing.T) {
	sc := scenario("pipe", "default")
	sc.IPCName = "/$RUN"
	leaky := shForm("pipe", `printf 'Hello World!\n'; touch stray; mkfifo named_pipe; : > /dev/shm/"${IPC_NAME#/}"; : > /dev/shm/sem."${IPC_NAME#/}"`)
	before := hostState("")
	out, err := runner.Execute(context.Background(), sc, runner.Pairing{leaky})
	if err != nil {
		t.Fatal(err)
	}
	// The shell's umask is the runner's 022.
	want := []string{owned("fifo named_pipe mode 0644"), owned("file stray mode 0644") + " size 0",
		owned("sem $IPC_NAME mode 0644") + " size 0", owned("shm $IPC_NAME mode 0644") + " size 0"}
	if diff := cmp.Diff(want, out.Leftovers); diff != "" {
		t.Errorf("leftovers: mismatch (-want +got):\n%s", diff)
	}
	checkHostUnchanged(t, before, "")
}

func TestLeakedProcessIsReported(t *testing.T) {
	leaky := shForm("pipe", `printf 'Hello World!\n'; sleep 30 >/dev/null 2>&1 &`)
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{leaky})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"process (left by pipe)"}, out.Leftovers); diff != "" {
		t.Errorf("leftovers: mismatch (-want +got):\n%s", diff)
	}
}

func TestStdoutModes(t *testing.T) {
	for _, tc := range []struct {
		mode runner.StdoutMode
		want runner.Proc
	}{
		// sh's printf to a closed descriptor 1 fails: sh says so.
		{runner.StdoutClosed, runner.Proc{Role: "pipe", Stdout: "", Exit: 1}},
		{runner.StdoutBroken, runner.Proc{Role: "pipe", Exit: -1, Signal: "SIGPIPE"}},
	} {
		sc := scenario("pipe", "default")
		sc.Steps = []runner.Step{{Program: "pipe", Stdout: tc.mode}}
		// /bin/echo is a separate process: its exit is what sh returns.
		out, err := runner.Execute(context.Background(), sc, runner.Pairing{shForm("pipe", `exec /bin/echo hello`)})
		if err != nil {
			t.Fatal(err)
		}
		got := out.Procs[0]
		got.Stderr = ""
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("stdout mode %d: mismatch (-want +got):\n%s", tc.mode, diff)
		}
	}
}

func TestErrnoSideChannel(t *testing.T) {
	// A port that reports ENOENT on the side channel, as the Go forms do.
	reporter := shForm("pipe", `echo '{"errno":2}' >&3; exit 1`)
	reporter.ReportsErrno = true
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{reporter})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Procs[0]; got.Errno != "ENOENT" || got.Exit != 1 {
		t.Errorf("got errno %q exit %d, want ENOENT and 1", got.Errno, got.Exit)
	}
}

func TestKnownDifferenceMustBeExact(t *testing.T) {
	sc := scenario("pipe", "stdout-broken-long")
	forms := runner.BuiltinForms(binDir)
	ref := runner.Outcome{Procs: []runner.Proc{{Role: "pipe", Exit: -1, Signal: "SIGPIPE"}}, Leftovers: []string{}}
	// What Go gives: the difference the list names.
	goOut := runner.Outcome{Procs: []runner.Proc{{Role: "pipe", Exit: 0}}, Leftovers: []string{}}
	if v, id, _ := judge.Verdict(sc, runner.Pairing{forms[2]}, ref, goOut); v != judge.VerdictKnown || id != "sigpipe-other-fd" {
		t.Errorf("Go's outcome: verdict %q %q, want known sigpipe-other-fd", v, id)
	}
	// Anything else still differs.
	other := runner.Outcome{Procs: []runner.Proc{{Role: "pipe", Exit: 1}}, Leftovers: []string{}}
	if v, _, _ := judge.Verdict(sc, runner.Pairing{forms[2]}, ref, other); v != judge.VerdictDifferent {
		t.Errorf("exit 1: verdict %q, want different", v)
	}
	// A listed difference that does not show means the list is stale.
	if v, _, _ := judge.Verdict(sc, runner.Pairing{forms[2]}, ref, ref); v != judge.VerdictDifferent {
		t.Errorf("no difference where one is required: verdict %q, want different", v)
	}
	// The native C form is not excused.
	if v, _, _ := judge.Verdict(sc, runner.Pairing{forms[0]}, ref, goOut); v != judge.VerdictDifferent {
		t.Errorf("c form with Go's outcome: verdict %q, want different", v)
	}
}

func TestTextJSONKeepsBytes(t *testing.T) {
	b, err := runner.Text("caf\xe9").MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"base64":"Y2Fm6Q=="}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if b, _ := runner.Text("ok\n").MarshalJSON(); string(b) != `"ok\n"` {
		t.Errorf("got %s", b)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestEscapedHolderDoesNotHang(t *testing.T) {
	// A child that leaves the process group with setsid and keeps stdout
	// open: the run ends at the deadline, not never.
	sc := scenario("pipe", "default")
	sc.Deadline = 500 * time.Millisecond
	escape := shForm("pipe", `printf 'Hello World!\n'; setsid sleep 3 &`)
	start := time.Now()
	if _, err := runner.Execute(context.Background(), sc, runner.Pairing{escape}); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %v with a deadline of %v", elapsed, sc.Deadline)
	}
}

func TestRunnerLeaksNoDescriptors(t *testing.T) {
	count := func() int {
		entries, _ := os.ReadDir("/proc/self/fd")
		return len(entries)
	}
	forms := runner.BuiltinForms(binDir)
	runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{forms[0]}) // warm up the poller
	before := count()
	for i := 0; i < 5; i++ {
		if _, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{forms[0]}); err != nil {
			t.Fatal(err)
		}
	}
	if after := count(); after != before {
		t.Errorf("%d descriptors open before five runs, %d after", before, after)
	}
}

// A step that fails ends the run at once with its error: the processes
// already started are killed, not waited for until the deadline, which
// would hide the error (the other-user scenarios, run by a runner that is
// not root, once "agreed" that way after 10 s a pairing).
func TestFailedStepEndsTheRun(t *testing.T) {
	sc := scenario("fifo", "default")
	sc.Deadline = 30 * time.Second
	// The reader sleeps; the step after it signals a process that has not
	// started.
	sc.Steps = []runner.Step{{Program: "fifo_reader", Background: true}, {Signal: "SIGTERM", Target: "fifo_writer"}}
	start := time.Now()
	_, err := runner.Execute(context.Background(), sc, runner.Pairing{shForm("fifo_reader", "exec sleep 60"), shForm("fifo_writer", ":")})
	if took := time.Since(start); err == nil || took > sc.Deadline/2 {
		t.Errorf("a step that fails: err %v after %v; want its error well before the deadline (%v)", err, took.Round(time.Millisecond), sc.Deadline)
	}
}
