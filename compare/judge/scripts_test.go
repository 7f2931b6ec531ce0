//go:build linux

package judge

import (
	"strings"
	"testing"
)

// A transcript's skipped lines are counted apart from the calls made, and
// the report says both.
func TestScriptSkippedCounted(t *testing.T) {
	transcript := "mq_open(\"/q\", O_RDWR) = -1 ENOENT (No such file or directory)\n" +
		"mq_send($q, \"x\", 1, 0) = skipped ($q not bound: line 1 failed)\n" +
		"close(3) = -1 EBADF (Bad file descriptor)\n"
	calls, skipped := countCalls(transcript)
	if calls != 2 || skipped != 1 {
		t.Errorf("countCalls = %d, %d; want 2, 1", calls, skipped)
	}
	var b strings.Builder
	ReportScripts(&b, []ScriptResult{{File: "a.calls", Calls: calls, Skipped: skipped}, {File: "b.calls", Agree: true, Calls: 4}})
	want := "DIFF a.calls (2 calls, 1 skipped)\nok   b.calls (4 calls)\n1 of 2 call scripts agree between cipc and goipc\n"
	if b.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}
}
