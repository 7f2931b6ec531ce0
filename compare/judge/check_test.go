//go:build linux

package judge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// Long outputs are shortened for the report, yet two that differ only at
// their very end still differ, and short ones stay as they are.
func TestDigestKeepsDifferences(t *testing.T) {
	long := strings.Repeat("a", 3*TextKept)
	one := func(stdout string) runner.Outcome {
		return runner.Outcome{Procs: []runner.Proc{{Role: "pipe", Stdout: runner.Text(stdout), Stderr: "short"}}}
	}
	a, b := Digest(one(long+"x")), Digest(one(long+"y"))
	if len(a.Procs[0].Stdout) > TextKept+100 {
		t.Errorf("digest of %d bytes keeps %d", 3*TextKept+1, len(a.Procs[0].Stdout))
	}
	if cmp.Diff(a, b) == "" {
		t.Error("outputs that differ in their last byte have equal digests")
	}
	if diff := cmp.Diff(Digest(one(long)), Digest(one(long))); diff != "" {
		t.Errorf("equal outputs, different digests:\n%s", diff)
	}
	if got := Digest(one("Hello World!\n")); got.Procs[0].Stdout != "Hello World!\n" || got.Procs[0].Stderr != "short" {
		t.Errorf("a short output changed: %+v", got.Procs[0])
	}
	// What the runner dropped counts too: the same kept bytes, one more
	// dropped, is a different output.
	c := one("abc")
	c.Procs[0].StdoutDropped = 1
	if cmp.Diff(Digest(one("abc")), Digest(c)) == "" {
		t.Error("an output with dropped bytes digests like one without")
	}
}

// A run skipped after a hang shows as such in every report: a "skipped"
// cell and a line saying why in the text, the verdict and reason in JSON,
// and a skipped case (valid against the schema) in JUnit; the hang itself
// is named where the run that hung is explained.
func TestSkippedAfterHangReported(t *testing.T) {
	ref := runner.Outcome{Procs: []runner.Proc{{Role: "server", Stdout: "quit\n"}, {Role: "client 1", Stdout: "ok\n"}}, Leftovers: []string{}}
	stuck := runner.Outcome{Procs: []runner.Proc{{Role: "server", Exit: -1, Timeout: true}, {Role: "client 1", Exit: -1, Timeout: true}}, Leftovers: []string{}}
	hung := "sock_client (go) hung: server (c), client 1 (go) did not end: killed idle after 2s (nothing ran for 500ms; 10 × C's 31ms, at least 2s)"
	skipped := "sock_client (go) hung in pairing server=c client=go: not waited for again"
	res := Result{
		Mechanism: "sock", Scenario: "unix-default", About: "a few clients", Roles: []string{"sock_server", "sock_client"},
		Runs: []RunResult{
			{Pairing: "c", Outcome: ref, Verdict: VerdictReference},
			{Pairing: "server=c client=go", Outcome: stuck, Verdict: VerdictDifferent, Diff: "-", Hung: hung},
			{Pairing: "server=cgo client=go", Verdict: VerdictSkipped, Skipped: skipped},
		},
	}
	var text strings.Builder
	Report(&text, []Result{res})
	for _, want := range []string{"  hung: " + hung, "[server=cgo client=go]: skipped: " + skipped} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text report does not say %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(text.String(), "DIFF                skipped") {
		t.Errorf("no skipped cell in the table:\n%s", text.String())
	}
	var js strings.Builder
	if err := WriteJSON(&js, []Result{res}, nil, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"verdict": "skipped"`, `"skipped": "` + skipped + `"`, `"hung": "` + hung + `"`} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("the JSON does not say %s:\n%s", want, js.String())
		}
	}
	var x strings.Builder
	if err := WriteJUnit(&x, []Result{res}, nil); err != nil {
		t.Fatal(err)
	}
	validate(t, []byte(x.String()))
	for _, want := range []string{`skipped="1"`, `<skipped message="skipped: ` + skipped + `" type="skipped">`, "hung: sock_client (go) hung: server (c), client 1 (go) did not end: killed idle after 2s"} {
		if !strings.Contains(x.String(), want) {
			t.Errorf("the JUnit XML does not say %s:\n%s", want, x.String())
		}
	}
}
