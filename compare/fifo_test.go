//go:build linux

package compare

import (
	"context"
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
		{"default", runner.Outcome{Procs: []runner.Proc{reader, writer}, Leftovers: []string{owned("seen: fifo named_pipe mode 0644")}}},
		{"umask-077", runner.Outcome{Procs: []runner.Proc{reader, writer}, Leftovers: []string{owned("seen: fifo named_pipe mode 0600")}}},
		{"ipc-name", runner.Outcome{
			Procs:     []runner.Proc{{Role: "fifo_reader", Stdout: "named by IPC_NAME\n"}, writer},
			Leftovers: []string{owned("seen: fifo $IPC_NAME mode 0644")},
		}},
		{"exists", runner.Outcome{
			Procs:     []runner.Proc{{Role: "fifo_reader", Exit: 1, Errno: "EEXIST"}},
			Leftovers: []string{owned("fifo named_pipe mode 0600")},
		}},
		{"writer-no-fifo", runner.Outcome{Procs: []runner.Proc{{Role: "fifo_writer", Exit: 1, Errno: "ENOENT"}}, Leftovers: []string{}}},
		{"reader-no-writer", runner.Outcome{
			Procs:     []runner.Proc{{Role: "fifo_reader", Exit: -1, Timeout: true}},
			Leftovers: []string{owned("fifo named_pipe mode 0644"), owned("seen: fifo named_pipe mode 0644")},
		}},
		{"reader-gone-long", runner.Outcome{
			Procs: []runner.Proc{
				{Role: "fifo_reader", Exit: -1, Signal: "SIGPIPE"},
				{Role: "fifo_writer", Exit: -1, Signal: "SIGPIPE"},
			},
			Leftovers: []string{owned("fifo named_pipe mode 0644"), owned("seen: fifo named_pipe mode 0644")},
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
		if !leftoverNamed(out.Leftovers, "fifo named_pipe") {
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

// TestFifoWrongPorts runs ports of the FIFO programs that differ from C
// in one way each, and names the scenario that catches each.
func TestFifoWrongPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "mkfifo with mode 0666 (the umasks 022, 027 and 077 hide it)", program: "fifo_reader",
			edits:   [][2]string{{"S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH;", "S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH;"}},
			catches: "umask-000", want: "mode 0666",
		},
		{
			name: "mkfifo with mode 0664", program: "fifo_reader",
			edits:   [][2]string{{"S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH;", "S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP | S_IROTH;"}},
			catches: "umask-002", want: "mode 0664",
		},
		{
			name: "no newline after the message", program: "fifo_reader",
			edits:   [][2]string{{`write(STDOUT_FILENO, "\n", 1)`, `write(STDOUT_FILENO, "\n", 0)`}},
			catches: "default", want: "Stdout:Hello World Stderr",
		},
		{
			name: "the FIFO not removed", program: "fifo_reader",
			edits:   [][2]string{{"unlink(name);", "(void)name;"}},
			catches: "default", want: "leftover fifo named_pipe",
		},
		{
			name: "exit status 2 instead of EXIT_FAILURE", program: "fifo_writer",
			script:  `"$0" "$@" || exit 2`,
			catches: "writer-no-fifo", want: "Exit:2",
		},
		{
			name: "the writer's open truncates (os.Create's O_TRUNC)", program: "fifo_writer",
			edits:   [][2]string{{"open(name, O_WRONLY)", "open(name, O_WRONLY | O_TRUNC)"}},
			catches: "writer-regular-file", want: `holds "Hello World"`,
		},
	})
}
