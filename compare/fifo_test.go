//go:build linux

package compare

import (
	"context"
	"os"
	"path/filepath"
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
// nothing once the run is over: its FIFO goes with the run's directory.
func TestFifoRunCleansUp(t *testing.T) {
	for _, f := range runner.BuiltinForms(binDir) {
		sc := scenario("fifo", "reader-no-writer")
		var dir, fifo string
		sc.Probes = append(sc.Probes, runner.Probe{Name: "the run's directory", Find: func(r *runner.Run) []string {
			dir, fifo = r.Dir, filepath.Join(r.Dir, "named_pipe")
			if _, err := os.Lstat(fifo); err != nil {
				t.Errorf("%s: the reader's FIFO is not there before the cleanup: %v", f.Name, err)
			}
			return nil
		}})
		if _, err := runner.Execute(context.Background(), sc, runner.Pairing{f}); err != nil {
			t.Fatal(err)
		}
		if dir == "" {
			t.Fatalf("%s: the probe did not run", f.Name)
		}
		if _, err := os.Lstat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: %s is still there after the run (%v)", f.Name, dir, err)
		}
	}
}

// TestFifoParity runs every fifo scenario under every pairing of the C, cgo and Go
// forms.
func TestFifoParity(t *testing.T) { checkParity(t, "fifo") }

// TestFifoCallScripts runs every fifo call script on cipc and goipc.
func TestFifoCallScripts(t *testing.T) { checkScripts(t, "fifo", 3) }
