//go:build linux

package compare

import (
	"context"
	"testing"

	"github.com/ipcparity/ipcparity/compare/runner"
)

func TestPipeReference(t *testing.T) {
	// What the C reference does, as the notes say: the message and a
	// newline, status 0, nothing left behind.
	forms := runner.BuiltinForms(binDir)
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{forms[0]})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Procs) != 1 || out.Procs[0].Stdout != "Hello World!\n" || out.Procs[0].Exit != 0 || len(out.Leftovers) != 0 {
		t.Errorf("C pipe: %+v", out)
	}
}

// TestPipeParity runs every pipe scenario under every pairing of the C, cgo and Go
// forms.
func TestPipeParity(t *testing.T) { checkParity(t, "pipe") }

// TestPipeCallScripts runs every pipe call script on cipc and goipc.
func TestPipeCallScripts(t *testing.T) { checkScripts(t, "pipe", 5) }

// TestPipeWrongPorts runs ports of pipe that differ from C in one way
// each, and names the scenario that catches each.
func TestPipeWrongPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "no newline after the message", program: "pipe",
			edits:   [][2]string{{`write(STDOUT_FILENO, "\n", 1)`, `write(STDOUT_FILENO, "\n", 0)`}},
			catches: "default", want: "Stdout:Hello World! Stderr",
		},
		{
			name: "EXIT_FAILURE when the child did not exit 0 (C's parent waits and returns 0)", program: "pipe",
			edits:   [][2]string{{"wait(NULL);", "int status; wait(&status); if(status != 0) exit(EXIT_FAILURE);"}},
			catches: "stdout-broken", want: "Exit:1",
		},
		{
			name: "exit status 1 after the message, as a wrapper script", program: "pipe",
			script:  `"$0" "$@"; exit 1`,
			catches: "default", want: "Exit:1",
		},
	})
}
