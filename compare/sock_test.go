//go:build linux

package compare

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// cOnly runs a scenario with C in every role.
func cOnly(t *testing.T, name string) runner.Outcome {
	t.Helper()
	sc := scenario("sock", name)
	c := runner.BuiltinForms(binDir)[0]
	p := make(runner.Pairing, len(sc.Roles))
	for i := range p {
		p[i] = c
	}
	out, err := runner.Execute(context.Background(), sc, p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func procOf(out runner.Outcome, role string) runner.Proc {
	for _, p := range out.Procs {
		if p.Role == role {
			return p
		}
	}
	return runner.Proc{Role: role + " (missing)", Exit: -2}
}

const sockReady = "server shuts down on message \"quit\"\n\n"

// TestSockReference checks that the C reference does what the spec asks,
// so that the forms agreeing with it means something.
func TestSockReference(t *testing.T) {
	for _, tr := range []string{"unix", "tcp"} {
		out := cOnly(t, tr+"-default")
		if got, want := procOf(out, "server").Stdout, runner.Text(sockReady+"hello\nHello World!\na b  c\td\nquit\n"); got != want {
			t.Errorf("%s-default: server printed %q, want %q", tr, got, want)
		}
		if got, want := procOf(out, "client 1").Stdout, runner.Text("you sent: hello\nserver answered: received \"hello\"\n"); got != want {
			t.Errorf("%s-default: client printed %q, want %q", tr, got, want)
		}
		for _, p := range out.Procs {
			if p.Exit != 0 || p.Stderr != "" {
				t.Errorf("%s-default: %+v", tr, p)
			}
		}
		if len(out.Leftovers) != 0 {
			t.Errorf("%s-default left %q", tr, out.Leftovers)
		}

		out = cOnly(t, tr+"-20-clients")
		lines := strings.Split(strings.TrimPrefix(string(procOf(out, "server").Stdout), sockReady), "\n")
		sort.Strings(lines)
		if len(lines) != 22 || lines[0] != "" || lines[21] != "quit" {
			t.Errorf("%s-20-clients: server printed %q", tr, lines)
		}
		for _, p := range out.Procs {
			if p.Exit != 0 || (p.Role != "server" && !strings.Contains(string(p.Stdout), "server answered: received")) {
				t.Errorf("%s-20-clients: %+v", tr, p)
			}
		}

		out = cOnly(t, tr+"-message-sizes")
		want := sockReady + strings.Repeat("a", 63) + "\n" + strings.Repeat("b", 63) + "\n" + strings.Repeat("L", 63) + "\nquit\n"
		if got := procOf(out, "server").Stdout; got != runner.Text(want) {
			t.Errorf("%s-message-sizes: server printed %q", tr, got)
		}

		out = cOnly(t, tr+"-silent-client")
		if got := procOf(out, "silent").Stdout; got != "you sent: \nserver closed the connection without an answer\n" {
			t.Errorf("%s-silent-client: the silent client printed %q", tr, got)
		}
		if got := procOf(out, "server").Stdout; got != runner.Text(sockReady+"before\nafter\nquit\n") {
			t.Errorf("%s-silent-client: server printed %q", tr, got)
		}
	}

	for name, stderr := range map[string]string{
		"unix-no-server":           "connect(): No such file or directory\n",
		"tcp-no-server":            "connect(): Connection refused\n",
		"unix-stale-socket-client": "connect(): Connection refused\n",
	} {
		p := procOf(cOnly(t, name), "client")
		if p.Stderr != runner.Text(stderr) || p.Exit != 1 || p.Stdout != "" {
			t.Errorf("%s: %+v", name, p)
		}
	}

	out := cOnly(t, "unix-stale-socket")
	if p := procOf(out, "server"); p.Stderr != "bind(): Address already in use\n" || p.Exit != 1 || p.Stdout != "" {
		t.Errorf("unix-stale-socket: %+v", p)
	}
	if len(out.Leftovers) != 1 || out.Leftovers[0] != owned("socket server_socket mode 0755") {
		t.Errorf("unix-stale-socket: leftovers %q, want the stale socket", out.Leftovers)
	}
	if p := procOf(cOnly(t, "tcp-port-in-use"), "server"); p.Stderr != "bind(): Address already in use\n" || p.Exit != 1 {
		t.Errorf("tcp-port-in-use: %+v", p)
	}

	out = cOnly(t, "unix-path-107")
	if p := procOf(out, "client"); p.Exit != 0 || p.Stdout != "you sent: hello\nserver answered: received \"hello\"\n" {
		t.Errorf("unix-path-107: %+v", p)
	}
	if len(out.Leftovers) != 0 {
		t.Errorf("unix-path-107 left %q", out.Leftovers)
	}
	for _, p := range cOnly(t, "unix-path-108").Procs {
		if p.Stderr != "IPC_NAME: File name too long\n" || p.Exit != 1 {
			t.Errorf("unix-path-108: %+v", p)
		}
	}

	out = cOnly(t, "unix-server-killed")
	if p := procOf(out, "server"); p.Signal != "SIGTERM" || p.Stdout != sockReady {
		t.Errorf("unix-server-killed: %+v", p)
	}
	if len(out.Leftovers) != 1 || out.Leftovers[0] != owned("socket server_socket mode 0755") {
		t.Errorf("unix-server-killed: leftovers %q, want the server's socket", out.Leftovers)
	}

	for _, p := range cOnly(t, "client-usage").Procs {
		if p.Stdout != "usage: ./client <message>\n" || p.Exit != 1 || p.Errno != "" {
			t.Errorf("client-usage: %+v", p)
		}
	}
	for _, p := range cOnly(t, "bad-ipc-name").Procs {
		want := "IPC_NAME: Invalid argument\n"
		if p.Role == "IPC_NAME=unix:" {
			want = "IPC_NAME: No such file or directory\n"
		}
		if p.Stderr != runner.Text(want) || p.Exit != 1 {
			t.Errorf("bad-ipc-name: %+v", p)
		}
	}
}

// TestSockReportsCallErrno checks that every form reports the errno of the
// call that failed, the one the perror line names, and not the EINVAL that
// glibc's perror leaves on a write-only stderr (the runner's is read-write).
func TestSockReportsCallErrno(t *testing.T) {
	for _, f := range runner.BuiltinForms(binDir) {
		for name, want := range map[string]string{
			"unix-no-server": "ENOENT", "tcp-no-server": "ECONNREFUSED", "unix-stale-socket": "EADDRINUSE",
		} {
			out, err := runner.Execute(context.Background(), scenario("sock", name), runner.Pairing{f, f})
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Procs[0].Errno; got != want {
				t.Errorf("%s: %s reports %s, want %s", name, f.Name, got, want)
			}
		}
	}
}

// TestSockWrongServerIsDifferent crosses C clients with a server that
// prints one line more when it ends: the check must see it.
func TestSockWrongServerIsDifferent(t *testing.T) {
	forms := runner.BuiltinForms(binDir)
	server, err := filepath.Abs(filepath.Join(binDir, "c", "sock_server"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := runner.CommandForm("sock_server", []string{"/bin/sh", "-c", `"$0"; s=$?; echo extra; exit $s`, server})
	res := judge.Compare(context.Background(), scenario("sock", "unix-default"), []runner.Pairing{{forms[0], forms[0]}, {wrong, forms[0]}})
	if res.Agree || res.Runs[1].Verdict != judge.VerdictDifferent || !strings.Contains(res.Runs[1].Diff, "extra") {
		t.Errorf("a server that prints more agrees with C: verdict %q, diff %q", res.Runs[1].Verdict, res.Runs[1].Diff)
	}
}

// TestSockSocketRemovedAfterKill checks that the socket file a killed
// server left is reported, and gone with the run's directory afterwards.
func TestSockSocketRemovedAfterKill(t *testing.T) {
	before := hostState("")
	c := runner.BuiltinForms(binDir)[0]
	out, err := runner.Execute(context.Background(), scenario("sock", "unix-server-killed"), runner.Pairing{c})
	if err != nil {
		t.Fatal(err)
	}
	if !leftoverNamed(out.Leftovers, "socket server_socket") {
		t.Errorf("leftovers %q do not show the socket", out.Leftovers)
	}
	checkHostUnchanged(t, before, "")
}

// TestSockParity runs every sock scenario under every pairing of the C, cgo and Go
// forms.
func TestSockParity(t *testing.T) { checkParity(t, "sock") }

// TestSockCallScripts runs every sock call script on cipc and goipc.
func TestSockCallScripts(t *testing.T) { checkScripts(t, "sock", 6) }

// TestSockWrongPorts runs ports of the socket programs that differ from C
// in one way each, and names the scenario that catches each.
func TestSockWrongPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "the socket file left behind", program: "sock_server",
			edits:   [][2]string{{"if(addr->sa.sa_family == AF_UNIX) unlink(addr->un.sun_path);", "(void)addr;"}},
			catches: "unix-default", want: "leftover socket server_socket",
		},
		{
			name: "the socket file chmod'ed to 0600 after bind", program: "sock_server",
			edits: [][2]string{
				{"#include <sys/socket.h>", "#include <sys/socket.h>\n#include <sys/stat.h>"},
				{"    if(listen(fd, SOMAXCONN) == -1) {", "    if(addr.sa.sa_family == AF_UNIX) chmod(addr.un.sun_path, 0600);\n    if(listen(fd, SOMAXCONN) == -1) {"},
			},
			catches: "unix-umask-000", want: "mode 0600",
		},
		{
			name: "no SO_REUSEADDR", program: "sock_server",
			edits:   [][2]string{{"const int on = 1;", "const int on = 0;"}},
			catches: "tcp-rebind", want: "bind(): Address already in use",
		},
		{
			name: "perror text of a failed connect without its ()", program: "sock_client",
			edits:   [][2]string{{`perror("connect()")`, `perror("connect")`}},
			catches: "unix-no-server", want: "connect: No such file or directory",
		},
		{
			name: "exit status 0 after the usage", program: "sock_client",
			script:  `"$0" "$@"; s=$?; [ $s -eq 1 ] && exit 0; exit $s`,
			catches: "client-usage", want: "Exit:0",
		},
		{
			name: "listen with a backlog of 5", program: "sock_server",
			edits:   [][2]string{{"listen(fd, SOMAXCONN)", "listen(fd, 5)"}},
			catches: "unix-backlog", want: "backlog took 6 of 64",
		},
		{
			name: "the answer sent without MSG_NOSIGNAL", program: "sock_server",
			edits:   [][2]string{{"send(fds[i].fd, answer, strlen(answer), MSG_NOSIGNAL)", "send(fds[i].fd, answer, strlen(answer), 0)"}},
			catches: "unix-client-gone", want: "Signal:SIGPIPE",
		},
		{
			name: "goipc's listen with a backlog of 5", program: "sock_server",
			goEdits: map[string][][2]string{"goipc/sock.go": {{"Listen(fd, unix.SOMAXCONN)", "Listen(fd, 5)"}}},
			catches: "unix-backlog", want: "backlog took 6 of 64",
		},
	})
}
