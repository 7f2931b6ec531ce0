//go:build linux

package compare

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
)

// TestMqReference checks what the C reference does, as the example says,
// so that a parity check cannot pass on an outcome that is wrong for all.
func TestMqReference(t *testing.T) {
	c := runner.BuiltinForms(binDir)[0]
	const ready = "server shuts down on message \"quit\"\n\n"
	sent := func(n int, msg string) runner.Proc {
		return runner.Proc{Role: "client " + string(rune('0'+n)), Stdout: runner.Text("you sent: " + msg + "\n")}
	}
	for _, tc := range []struct {
		name string
		want runner.Outcome
	}{
		{"default", runner.Outcome{
			Procs:     []runner.Proc{{Role: "mq_server", Stdout: ready + "Hello\nWorld\nquit\n"}, sent(1, "Hello"), sent(2, "World"), sent(3, "quit")},
			Leftovers: []string{},
		}},
		{"no-server", runner.Outcome{
			Procs:     []runner.Proc{{Role: "client 1", Stderr: "mq_open(): No such file or directory\n", Exit: 1, Errno: "ENOENT"}},
			Leftovers: []string{},
		}},
		{"usage-two-args", runner.Outcome{
			Procs:     []runner.Proc{{Role: "client 1", Stdout: "usage: ./client <message>\n", Exit: 1}},
			Leftovers: []string{},
		}},
		{"stale-queue", runner.Outcome{
			Procs:     []runner.Proc{{Role: "mq_server", Stdout: ready + "urgent\nleft over\nhello\nquit\n"}, sent(1, "hello"), sent(2, "quit")},
			Leftovers: []string{},
		}},
		{"stale-queue-msgsize", runner.Outcome{
			Procs: []runner.Proc{
				{Role: "mq_server", Stdout: ready, Stderr: "ERROR-> mq_recieve()\n: Message too long\n"},
				{Role: "client 1", Stderr: "mq_open(): No such file or directory\n", Exit: 1, Errno: "ENOENT"},
			},
			Leftovers: []string{},
		}},
		{"server-killed", runner.Outcome{
			Procs: []runner.Proc{{Role: "mq_server", Stdout: ready, Exit: -1, Signal: "SIGKILL"}, sent(1, "hello"), sent(2, "world")},
			Leftovers: []string{`mqueue $IPC_NAME message 01: 64 bytes prio 1 "world" and 59 NUL`,
				owned("mqueue $IPC_NAME mode 0600") + " maxmsg 10 msgsize 128"},
		}},
	} {
		out, err := runner.Execute(context.Background(), scenario("mq", tc.name), runner.Pairing{c, c})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, out); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tc.name, diff)
		}
	}

	// The 63, 64 and 65 bytes: the server prints at most 63.
	out, err := runner.Execute(context.Background(), scenario("mq", "63-64-65"), runner.Pairing{c, c})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out.Procs[0].Stdout), "\n")
	for i, want := range []int{63, 63, 63} {
		if got := len(lines[2+i]); got != want {
			t.Errorf("63-64-65: message %d printed with %d bytes, want %d", i+1, got, want)
		}
	}
}

// TestMqQueueRemovedAfterKill checks that a queue the killed server left
// is reported, and not there on the host after the run: in a sandbox it
// goes with the run's IPC namespace, without one the runner removes it.
func TestMqQueueRemovedAfterKill(t *testing.T) {
	c := runner.BuiltinForms(binDir)[0]
	sc := scenario("mq", "server-killed")
	sc.IPCName = "/ipcparity_test_queue"
	if ok, err := scenarios.MqExists(sc.IPCName); ok || err != nil {
		t.Fatalf("queue %s is there before the run (%v)", sc.IPCName, err)
	}
	out, err := runner.Execute(context.Background(), sc, runner.Pairing{c, c})
	if err != nil {
		t.Fatal(err)
	}
	if !leftoverNamed(out.Leftovers, "mqueue $IPC_NAME") {
		t.Errorf("leftovers %q do not show the queue", out.Leftovers)
	}
	if ok, err := scenarios.MqExists(sc.IPCName); ok || err != nil {
		t.Errorf("queue %s still there after the run (%v)", sc.IPCName, err)
	}
}

// TestMqWrongClientIsDifferent crosses the C server with a client that
// adds a byte to its message: the check must see it.
func TestMqWrongClientIsDifferent(t *testing.T) {
	forms := runner.BuiltinForms(binDir)
	client, err := filepath.Abs(filepath.Join(binDir, "c", "mq_client"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := runner.CommandForm("mq_client", []string{"/bin/sh", "-c", `exec "$0" "$1!"`, client})
	// Its "quit!" does not stop the server, which then waits for the
	// deadline: a short one.
	sc := scenario("mq", "default")
	sc.Deadline = time.Second
	res := judge.Compare(context.Background(), sc, []runner.Pairing{{forms[0], forms[0]}, {forms[0], wrong}})
	if res.Agree || res.Runs[1].Verdict != judge.VerdictDifferent || !strings.Contains(res.Runs[1].Diff, "Stdout") {
		t.Errorf("a client that adds a byte agrees with C: verdict %q, diff %q", res.Runs[1].Verdict, res.Runs[1].Diff)
	}
}

// TestReadyInSyscall watches sleep(1) sleep in clock_nanosleep, then stop.
func TestReadyInSyscall(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	pid := cmd.Process.Pid
	deadline := time.Now().Add(5 * time.Second)
	for !runner.AsleepIn(pid, unix.SYS_CLOCK_NANOSLEEP) && !runner.AsleepIn(pid, unix.SYS_NANOSLEEP) {
		if time.Now().After(deadline) {
			t.Fatal("sleep(1) never seen asleep in clock_nanosleep or nanosleep")
		}
		time.Sleep(time.Millisecond)
	}
	if runner.AsleepIn(pid, unix.SYS_MQ_TIMEDSEND) {
		t.Error("sleep(1) seen asleep in mq_timedsend")
	}
	if err := unix.Kill(pid, unix.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	for {
		states := runner.TaskStates(pid)
		if len(states) > 0 && !strings.ContainsFunc(string(states), func(r rune) bool { return r != 'T' }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sleep(1) not stopped after SIGSTOP: states %q", states)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestMqParity runs every mq scenario under every pairing of the C, cgo and Go
// forms.
func TestMqParity(t *testing.T) { checkParity(t, "mq") }

// TestMqCallScripts runs every mq call script on cipc and goipc.
func TestMqCallScripts(t *testing.T) { checkScripts(t, "mq", 8) }

// TestMqWrongPorts runs ports of the queue programs that differ from C in
// one way each, and names the scenario that catches each.
func TestMqWrongPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	const send = "mq_send(mq, (const char*)&message, sizeof message, 1)"
	checkWrongPorts(t, []wrongPort{
		{
			name: "the client sends with priority 0", program: "mq_client",
			edits:   [][2]string{{send, "mq_send(mq, (const char*)&message, sizeof message, 0)"}},
			catches: "client-messages", want: "64 bytes prio 0",
		},
		{
			name: "the client sends 128 bytes (a struct of 128)", program: "mq_client",
			edits:   [][2]string{{"    char msg[64];\n};", "    char msg[64];\n    char pad[64];\n};"}},
			catches: "client-messages", want: "128 bytes prio 1",
		},
		{
			name: "the client sends the text and its NUL, not the whole struct", program: "mq_client",
			edits:   [][2]string{{send, "mq_send(mq, message.msg, strlen(message.msg) + 1, 1)"}},
			catches: "client-messages", want: "6 bytes prio 1",
		},
		{
			name: "another struct layout: the text after a 4-byte header", program: "mq_client",
			edits: [][2]string{
				{"    char msg[64];\n};", "    char head[4];\n    char msg[60];\n};"},
				{"struct mq_message message = {0};", "struct mq_message message = {{'m', 's', 'g', ':'}, {0}};"},
			},
			catches: "client-messages", want: `"msg:hello"`,
		},
		{
			name: "perror text of a failed mq_send without its ()", program: "mq_client",
			edits:   [][2]string{{`perror("ERROR-> mq_send()")`, `perror("ERROR-> mq_send")`}},
			catches: "client-send-fails", want: "ERROR-> mq_send: Message too long",
		},
		{
			name: "EXIT_FAILURE after a failed mq_send", program: "mq_client",
			edits:   [][2]string{{`perror("ERROR-> mq_send()");`, `perror("ERROR-> mq_send()"); mq_close(mq); return EXIT_FAILURE;`}},
			catches: "client-send-fails", want: "Exit:1",
		},
		{
			name: "perror text with the example's typo fixed (mq_receive)", program: "mq_server",
			edits:   [][2]string{{`perror("ERROR-> mq_recieve()\n")`, `perror("ERROR-> mq_receive()\n")`}},
			catches: "stale-queue-msgsize", want: "mq_receive",
		},
		{
			name: "the queue not unlinked", program: "mq_server",
			edits:   [][2]string{{"mq_unlink(name);", "(void)name;"}},
			catches: "default", want: "leftover mqueue $IPC_NAME",
		},
		{
			name: "the queue made with mode 0644", program: "mq_server",
			edits:   [][2]string{{"O_CREAT | O_RDONLY, 0600", "O_CREAT | O_RDONLY, 0644"}},
			catches: "umask-000", want: "mode 0644",
		},
		{
			name: "the queue made with mq_msgsize 64", program: "mq_server",
			edits:   [][2]string{{"attr.mq_msgsize = 128;", "attr.mq_msgsize = 64;"}},
			catches: "umask-002", want: "msgsize 64",
		},
		{
			name: "a 64-byte receive buffer", program: "mq_server",
			edits:   [][2]string{{"buffer[n] = '\\0';", "buffer[n < 63 ? n : 63] = '\\0';"}},
			catches: "stale-queue-long", want: "xxx\nab",
		},
	})
}
