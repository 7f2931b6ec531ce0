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
