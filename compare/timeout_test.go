//go:build linux

package compare

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// TestExitBeforeDeadlineIsNoTimeout: clients that exit 1 at once, while the
// server they never reach hangs until the deadline, are reported with exit
// status 1 and no timeout; only the server timed out. The runner waits for
// them after the deadline, when their end and the deadline are both there
// to see: it must not take one for the other (it marks a timeout only when
// its SIGKILL ended the process).
func TestExitBeforeDeadlineIsNoTimeout(t *testing.T) {
	t.Parallel()
	sc := scenario("sock", "tcp-default")
	sc.Deadline = 1500 * time.Millisecond
	c := runner.BuiltinForms(binDir)[0]
	failing := runner.CommandForm("sock_client", []string{"sh", "-c", "exit 1"})
	pairing := runner.Pairing{c, failing} // sock_server, sock_client
	// Each client would be misreported half the time: two runs of four
	// clients leave such a bug 1 chance in 256. They run at once, each
	// waiting out its deadline.
	outs := Each(context.Background(), 2, 2, func(int) runner.Outcome {
		out, err := runner.Execute(context.Background(), sc, pairing)
		if err != nil {
			t.Error(err)
		}
		return out
	})
	for _, out := range outs {
		clients := 0
		for _, p := range out.Procs {
			if p.Role == "server" {
				if !p.Timeout || p.Exit != -1 {
					t.Errorf("server: exit %d, timeout %v; want killed at the deadline (-1, true)", p.Exit, p.Timeout)
				}
				continue
			}
			clients++
			if p.Exit != 1 || p.Timeout || p.Signal != "" {
				t.Errorf("%s: exit %d, signal %q, timeout %v; want exit 1, no timeout", p.Role, p.Exit, p.Signal, p.Timeout)
			}
		}
		if clients < 2 {
			t.Fatalf("%d clients ran, want several: %+v", clients, out.Procs)
		}
	}
}

// TestEndAfterStepsEndsWhenTheWaitIsSeen: a scenario whose program waits
// for good (EndAfterSteps) ends once its steps have seen the wait, not at
// its deadline, and reports the program killed at the deadline; a port
// never seen waiting keeps the whole deadline, and one that does not wait
// still differs from C.
func TestEndAfterStepsEndsWhenTheWaitIsSeen(t *testing.T) {
	t.Parallel()
	sc := scenario("fifo", "reader-no-writer")
	if !sc.EndAfterSteps {
		t.Fatal("fifo/reader-no-writer does not end after its steps")
	}
	sc.Deadline = 4 * time.Second // a runner that waits it out takes 4 s
	c := runner.BuiltinForms(binDir)[0]
	start := time.Now()
	out, err := runner.Execute(context.Background(), sc, runner.Pairing{c})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took >= sc.Deadline/2 {
		t.Errorf("the run took %v of its %v deadline: it did not end once the reader was seen waiting", took, sc.Deadline)
	}
	want := []runner.Proc{{Role: "fifo_reader", Exit: -1, Timeout: true}}
	if diff := cmp.Diff(want, out.Procs); diff != "" {
		t.Errorf("the waiting reader: mismatch (-want +got):\n%s", diff)
	}

	sc.Deadline = 700 * time.Millisecond
	sleeper := runner.CommandForm("fifo_reader", []string{"sleep", "30"})
	start = time.Now()
	out, err = runner.Execute(context.Background(), sc, runner.Pairing{sleeper})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < sc.Deadline {
		t.Errorf("a reader never seen waiting was stopped after %v, before its %v deadline", took, sc.Deadline)
	}
	if len(out.Procs) != 1 || !out.Procs[0].Timeout {
		t.Errorf("a reader never seen waiting: %+v, want killed at the deadline", out.Procs)
	}

	res := judge.Compare(context.Background(), sc, []runner.Pairing{{c}, {shForm("fifo_reader", "exit 0")}})
	if res.Agree {
		t.Error("a reader that exits at once agrees with C's, which waits")
	}
}
