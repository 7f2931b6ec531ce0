//go:build linux

package judge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/runner"
)

func TestLineDiff(t *testing.T) {
	got := lineDiff("a\nb\nc\n", "a\nc\nd")
	want := []string{"  a", "- b", "  c", "+ d   (no newline at the end)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// The explanation says, in words, each field that differs and the usual
// cause where there is one; a field that agrees is not mentioned.
func TestExplain(t *testing.T) {
	c := runner.Outcome{Procs: []runner.Proc{{Role: "reader", Stdout: "Hello World\n", Exit: 0}},
		Leftovers: []string{"seen: fifo named_pipe mode 0644"}}
	port := runner.Outcome{Procs: []runner.Proc{{Role: "reader", Stdout: "Hello World", Exit: 1, Errno: "ENOENT"}},
		Leftovers: []string{"fifo named_pipe", "seen: fifo named_pipe mode 0666"}}
	var b strings.Builder
	explain(&b, c, port, "user")
	for _, want := range []string{
		"reader:",
		"+ Hello World   (no newline at the end)",
		"hint: stdout ends without the newline that C prints",
		"end: C exit status 0, user exit status 1",
		"errno of the failing call: C none reported, user ENOENT (No such file or directory)",
		"observed with C only: fifo named_pipe mode 0644",
		"observed with user only: fifo named_pipe mode 0666",
		"left behind by user only: fifo named_pipe",
		"hint: a mode differs",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the explanation lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "stderr") {
		t.Errorf("stderr agrees, yet is mentioned:\n%s", b.String())
	}
}

func TestRepro(t *testing.T) {
	form := runner.Form{Name: "c", Command: func(p string) ([]string, error) { return []string{"/bin/" + p}, nil }}
	sc := runner.Scenario{Roles: []string{"fifo_reader", "fifo_writer"}, IPCName: "/q$RUN", Steps: []runner.Step{
		{Program: "fifo_reader", Background: true, Ready: runner.ReadyPath("named_pipe")},
		{Program: "fifo_writer", Args: []string{"it's"}, Stdout: runner.StdoutClosed},
		{Await: true, Target: "fifo_reader"},
	}}
	got := Repro(sc, runner.Pairing{form, form})
	want := []string{
		"umask 022",
		"IPC_NAME=/q" + runner.InsideToken + " /bin/fifo_reader & fifo_reader_pid=$!   # then wait until path named_pipe exists",
		"IPC_NAME=/q" + runner.InsideToken + ` /bin/fifo_writer 'it'\''s' >&-`,
		"# wait until fifo_reader: it ends",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
