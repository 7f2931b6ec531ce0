//go:build linux

package compare

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// TestFifoReference checks what the C reference does, as the notes say,
// so that a parity check cannot pass on an outcome that is wrong for all.
func TestFifoReference(t *testing.T) {
	c := runner.BuiltinForms(binDir)[0]
	reader := runner.Proc{Role: "fifo_reader", Stdout: "Hello World\n"}
	writer := runner.Proc{Role: "fifo_writer"}
	for _, tc := range []struct {
		name string
		want runner.Outcome
	}{
		{"default", runner.Outcome{Procs: []runner.Proc{reader, writer}, Leftovers: []string{"seen: fifo named_pipe mode 0644"}}},
		{"umask-077", runner.Outcome{Procs: []runner.Proc{reader, writer}, Leftovers: []string{"seen: fifo named_pipe mode 0600"}}},
		{"ipc-name", runner.Outcome{
			Procs:     []runner.Proc{{Role: "fifo_reader", Stdout: "named by IPC_NAME\n"}, writer},
			Leftovers: []string{"seen: fifo $IPC_NAME mode 0644"},
		}},
		{"exists", runner.Outcome{
			Procs:     []runner.Proc{{Role: "fifo_reader", Exit: 1, Errno: "EEXIST"}},
			Leftovers: []string{"fifo named_pipe"},
		}},
		{"writer-no-fifo", runner.Outcome{Procs: []runner.Proc{{Role: "fifo_writer", Exit: 1, Errno: "ENOENT"}}, Leftovers: []string{}}},
		{"reader-no-writer", runner.Outcome{
			Procs:     []runner.Proc{{Role: "fifo_reader", Exit: -1, Timeout: true}},
			Leftovers: []string{"fifo named_pipe", "seen: fifo named_pipe mode 0644"},
		}},
		{"reader-gone-long", runner.Outcome{
			Procs: []runner.Proc{
				{Role: "fifo_reader", Exit: -1, Signal: "SIGPIPE"},
				{Role: "fifo_writer", Exit: -1, Signal: "SIGPIPE"},
			},
			Leftovers: []string{"fifo named_pipe", "seen: fifo named_pipe mode 0644"},
		}},
	} {
		sc := scenario("fifo", tc.name)
		var pairing runner.Pairing
		for range sc.Roles {
			pairing = append(pairing, c)
		}
		got, err := runner.Execute(context.Background(), sc, pairing)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: C outcome mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestFifoRunCleansUp checks that a reader killed at the deadline leaves
// its FIFO, which the outcome reports, and nothing on the host once the run
// is over: the FIFO goes with the run's directory.
func TestFifoRunCleansUp(t *testing.T) {
	before := hostState("")
	for _, f := range runner.BuiltinForms(binDir) {
		out, err := runner.Execute(context.Background(), scenario("fifo", "reader-no-writer"), runner.Pairing{f})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(out.Leftovers, "fifo named_pipe") {
			t.Errorf("%s: leftovers %q do not show the reader's FIFO", f.Name, out.Leftovers)
		}
	}
	checkHostUnchanged(t, before, "")
}

// TestFifoParity runs every fifo scenario under every pairing of the C, cgo and Go
// forms.
func TestFifoParity(t *testing.T) { checkParity(t, "fifo") }

// TestFifoCallScripts runs every fifo call script on cipc and goipc.
func TestFifoCallScripts(t *testing.T) { checkScripts(t, "fifo", 3) }
