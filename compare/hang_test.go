//go:build linux

package compare

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// hangingClient builds the wrong port of issue 17: a socket client that
// never shuts down its write side, so that it and the server wait for
// each other until they are killed.
func hangingClient(t *testing.T) runner.Form {
	t.Helper()
	bin, err := buildCVariant(filepath.Join(t.TempDir(), "hang"), "sock_client", [][2]string{
		{"if(shutdown(fd, SHUT_WR) == -1) {", "if(0) {"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return runner.CommandForm("sock_client", []string{bin})
}

// A port that hangs where C ends is killed at the deadline that C's time
// gives it (runner.PortDeadline), not the scenario's, and named; the later
// pairings that give it the same role are skipped, visibly; a pairing
// without it still runs and agrees.
func TestHangSkipsItsOtherPairings(t *testing.T) {
	t.Parallel()
	hang := hangingClient(t)
	forms := runner.BuiltinForms(binDir)
	c, golang := forms[0], forms[2]
	sc := scenario("sock", "unix-default") // roles: sock_server, sock_client
	// A deadline long enough that C's time, however loaded the machine,
	// gives the port a shorter one.
	sc.Deadline = time.Minute
	start := time.Now()
	res := judge.Compare(context.Background(), sc, []runner.Pairing{{c, c}, {c, hang}, {golang, hang}, {golang, c}})
	took := time.Since(start)
	if len(res.Runs) != 4 {
		t.Fatalf("%d runs, want 4", len(res.Runs))
	}
	hung, skipped, other := res.Runs[1], res.Runs[2], res.Runs[3]
	if hung.Verdict != judge.VerdictDifferent || !adapted(hung.Hung) {
		t.Errorf("the hanging port: verdict %q, hung %q; want different, the client named, killed at the deadline C's time gives", hung.Verdict, hung.Hung)
	}
	if skipped.Verdict != judge.VerdictSkipped || !strings.Contains(skipped.Skipped, "sock_client (user) hung in pairing server=c client=user") {
		t.Errorf("its second pairing: verdict %q, skipped %q; want skipped after the hang", skipped.Verdict, skipped.Skipped)
	}
	if other.Verdict != judge.VerdictSame {
		t.Errorf("server=go client=c, without the port: verdict %q, want same:\n%s", other.Verdict, other.Diff)
	}
	if res.Agree {
		t.Error("the scenario agrees with a port that hangs")
	}
	var b strings.Builder
	judge.Report(&b, []judge.Result{res})
	for _, want := range []string{"skipped", "hung: " + hung.Hung, "[server=go client=user]: skipped: sock_client (user) hung"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report does not say %q:\n%s", want, b.String())
		}
	}
	if took >= sc.Deadline {
		t.Errorf("the comparison took %v: the hang was waited out for the scenario's deadline (%v) or more", took, sc.Deadline)
	}
}

// verify on a port that hangs finishes in seconds and names the hang: each
// scenario gives it the deadline C's time gives (10 s is the scenarios'
// own), and the report says which process hung and when it was killed.
func TestVerifyHangingPort(t *testing.T) {
	t.Parallel()
	hang := hangingClient(t)
	argv, _ := hang.Command("sock_client")
	start := time.Now()
	cmd := exec.Command(filepath.Join(binDir, "ipcparity"), "verify", "--quiet", "--json", "--run", `^sock/(unix|tcp)-default$`, "sock_client", "--", argv[0])
	out, err := cmd.Output()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("verify: %v, want exit status 1; stdout:\n%s", err, out)
	}
	var doc struct {
		Scenarios []judge.Result
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Scenarios) != 2 {
		t.Fatalf("%d scenarios, want 2", len(doc.Scenarios))
	}
	slow := false
	for _, r := range doc.Scenarios {
		switch {
		case len(r.Runs) != 2:
			t.Errorf("%s: %d runs, want 2", r.Scenario, len(r.Runs))
		case r.Runs[0].Seconds*runner.PortDeadlineFactor >= runner.DefaultDeadline.Seconds():
			// C itself took a tenth of the deadline: a machine this
			// loaded gives the port the whole deadline, rightly.
			slow = true
			t.Logf("%s: C took %.1fs", r.Scenario, r.Runs[0].Seconds)
		case !adapted(r.Runs[1].Hung):
			t.Errorf("%s: the hang is not named with the deadline C's time gives: %q", r.Scenario, r.Runs[1].Hung)
		}
	}
	if !slow && took >= runner.DefaultDeadline {
		t.Errorf("verify took %v, the scenarios' deadline (%v) or more", took, runner.DefaultDeadline)
	}
}

// adapted reports whether a run's Hung names the hanging client and a
// deadline taken from C's time, not the scenario's.
func adapted(hung string) bool {
	return strings.HasPrefix(hung, "sock_client (user) hung: ") && strings.Contains(hung, " did not end: killed idle after ") && strings.Contains(hung, " × C's ")
}

// From IdleAfter on, a run whose processes wait for nothing is killed
// within a few idle windows, while one that keeps computing runs on to its
// end: slow is not hung. (A watch that killed at IdleAfter whatever the
// run does fails the busy case; one that never killed, the idle one.)
func TestIdleAfterKillsOnlyIdleRuns(t *testing.T) {
	t.Parallel()
	sc := scenario("pipe", "default")
	sc.Deadline = time.Minute
	sc.IdleAfter = 100 * time.Millisecond
	for _, tc := range []struct {
		name, script string
		killed       bool
	}{
		{"idle", `sleep 50`, true},
		// Busy for one to two seconds, ten times IdleAfter or more.
		{"busy", `end=$(($(date +%s) + 2)); while [ "$(date +%s)" -lt "$end" ]; do :; done; echo done`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			out, err := runner.Execute(context.Background(), sc, runner.Pairing{shForm("pipe", tc.script)})
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			p := out.Procs[0]
			if p.Timeout != tc.killed {
				t.Errorf("%+v after %v: killed %v, want %v", p, took, p.Timeout, tc.killed)
			}
			if tc.killed && took >= sc.Deadline/2 {
				t.Errorf("the idle run took %v: not ended when idle", took)
			}
			if !tc.killed && p.Stdout != "done\n" {
				t.Errorf("the busy run: %+v", p)
			}
		})
	}
}

// A scenario whose wait for a process to become ready never ends (here:
// a server ready once a file appears that nobody makes) ran none of its
// later steps, on every form alike: C's run says so and the scenario does
// not agree. Before, every pairing timed out the same way and agreed.
func TestNeverReadyIsNoAgreement(t *testing.T) {
	t.Parallel()
	forms := runner.BuiltinForms(binDir)
	c, golang := forms[0], forms[2]
	sc := scenario("sock", "unix-default")
	sc.Deadline = 500 * time.Millisecond
	sc.Steps[0].Ready = runner.ReadyPath("no-one-makes-this")
	res := judge.Compare(context.Background(), sc, []runner.Pairing{{c, c}, {golang, golang}})
	if res.Agree {
		t.Errorf("a scenario that never got past its first wait agrees: %+v", res.Runs)
	}
	if ref := res.Runs[0]; !strings.Contains(ref.Err, "never ready before the deadline: server: path no-one-makes-this exists") {
		t.Errorf("C's run: error %q, want it to say what never became ready", ref.Err)
	}
	ok := judge.Compare(context.Background(), scenario("sock", "unix-default"), []runner.Pairing{{c, c}, {golang, golang}})
	if !ok.Agree || len(ok.Runs[0].Outcome.NotReady) != 0 {
		t.Errorf("the scenario as written: agree %v, not ready %q", ok.Agree, ok.Runs[0].Outcome.NotReady)
	}
}
