//go:build linux

package compare

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// TestShmReference checks what the C programs do, as the spec says: the
// reader prints the message, the writer its ready line, both exit 0, and
// nothing is left; a writer killed while it waits in sem_wait leaves the
// object and the semaphore.
func TestShmReference(t *testing.T) {
	c := runner.BuiltinForms(binDir)[0]
	for _, tc := range []struct {
		scenario string
		want     runner.Outcome
	}{
		{"default", runner.Outcome{Procs: []runner.Proc{
			{Role: "shm_writer", Stdout: "waiting for a reader\n"},
			{Role: "shm_reader", Stdout: "Hello World\n"},
		}, Leftovers: []string{}}},
		{"101", runner.Outcome{Procs: []runner.Proc{
			{Role: "shm_writer", Stdout: "waiting for a reader\n"},
			{Role: "shm_reader", Stdout: runner.Text(strings.Repeat("c", 98) + "C\n")},
		}, Leftovers: []string{}}},
		{"reader-no-writer", runner.Outcome{Procs: []runner.Proc{
			{Role: "shm_reader", Exit: 1, Errno: "ENOENT"},
		}, Leftovers: []string{}}},
		{"writer-killed", runner.Outcome{Procs: []runner.Proc{
			{Role: "shm_writer", Stdout: "waiting for a reader\n", Exit: -1, Signal: "SIGKILL"},
		}, Leftovers: []string{"seen: shm_writer asleep in sem_wait on sem $IPC_NAME", "sem $IPC_NAME", "shm $IPC_NAME"}}},
	} {
		var sc runner.Scenario
		for _, s := range Select("shm") {
			if s.Name == tc.scenario {
				sc = s
			}
		}
		pairing := make(runner.Pairing, len(sc.Roles))
		for i := range pairing {
			pairing[i] = c
		}
		got, err := runner.Execute(context.Background(), sc, pairing)
		if err != nil {
			t.Fatalf("%s: %v", tc.scenario, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("C %s: mismatch (-want +got):\n%s", tc.scenario, diff)
		}
	}
}

// TestShmParity runs every shm scenario under every pairing of the C, cgo and Go
// forms.
func TestShmParity(t *testing.T) { checkParity(t, "shm") }

// TestShmCallScripts runs every shm call script on cipc and goipc.
func TestShmCallScripts(t *testing.T) { checkScripts(t, "shm", 6) }
