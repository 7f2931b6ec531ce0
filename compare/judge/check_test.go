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
