//go:build linux

package compare

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// TestOtherUserPorts runs ports that make their objects open to every
// user: the *-other-user scenarios, where a step runs as another user
// inside the sandbox, see that user get through where C refuses it.
func TestOtherUserPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "the FIFO made 0666", program: "fifo_reader",
			edits:   [][2]string{{"S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH; // 644", "S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH; // 666"}},
			catches: "writer-other-user", want: "Role:fifo_writer (nobody) Stdout: Stderr: Exit:0",
		},
		{
			name: "the queue made 0666", program: "mq_server",
			edits:   [][2]string{{"O_CREAT | O_RDONLY, 0600", "O_CREAT | O_RDONLY, 0666"}},
			catches: "client-other-user", want: "Role:client 1 (nobody) Stdout:you sent: hello",
		},
		{
			name: "the object and the semaphore made 0666", program: "shm_writer",
			edits: [][2]string{
				{"shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600)", "shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0666)"},
				{"sem_open(name, O_CREAT | O_EXCL, 0600, 0)", "sem_open(name, O_CREAT | O_EXCL, 0666, 0)"},
			},
			catches: "reader-other-user", want: "Role:shm_reader (nobody) Stdout:Hello World",
		},
		{
			name: "the socket file chmod'ed to 0777 after bind", program: "sock_server",
			edits: [][2]string{
				{"#include <sys/socket.h>", "#include <sys/socket.h>\n#include <sys/stat.h>"},
				{"    if(listen(fd, SOMAXCONN) == -1) {", "    if(addr.sa.sa_family == AF_UNIX) chmod(addr.un.sun_path, 0777);\n    if(listen(fd, SOMAXCONN) == -1) {"},
			},
			catches: "unix-client-other-user", want: "Role:client (nobody) Stdout:you sent: hello",
		},
	})
}

// TestNotOwnerPorts runs the permission scripts (another user's queue,
// object and semaphore, after seteuid in the sandbox) with goipc's
// ipccalls built with one mistake each, against cipc: each must differ.
// The mistakes pass the kernel's EPERM through where glibc says EACCES.
func TestNotOwnerPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	if os.Geteuid() != 0 {
		// The scripts themselves then fail in TestMqCallScripts and
		// TestShmCallScripts, at their seteuid line.
		t.Skip("a user other than root exists in a sandbox only when the runner is root")
	}
	for _, tc := range []struct {
		name, script string
		edits        map[string][][2]string
		want         string // in goipc's transcript, not in cipc's
	}{
		{
			name: "mq_unlink by a non-owner gives the kernel's EPERM", script: "mq_not_owner.calls",
			edits: map[string][][2]string{"goipc/mq.go": {{"\tcase unix.EPERM:\n\t\treturn unix.EACCES\n\t}\n\treturn e\n}", "\t}\n\treturn e\n}"}}},
			want:  `mq_unlink("/q$RUN") = -1 EPERM`,
		},
		{
			name: "shm_unlink by a non-owner gives the kernel's EPERM", script: "shm_not_owner.calls",
			edits: map[string][][2]string{"goipc/shm.go": {{"\terr = unix.Unlink(path)\n\tif err == unix.EPERM {\n\t\treturn unix.EACCES\n\t}\n", "\terr = unix.Unlink(path)\n"}}},
			want:  `shm_unlink("/o$RUN") = -1 EPERM`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bin, err := buildGoVariant(filepath.Join(t.TempDir(), "port"), "ipccalls", tc.edits)
			if err != nil {
				t.Fatal(err)
			}
			sides := runner.ScriptSides(binDir)
			sides[1].Command = func(string) ([]string, error) { return []string{bin}, nil }
			res := judge.RunScript(context.Background(), Calls(), filepath.Join("..", "testdata", "calls", tc.script), sides, nil)
			switch {
			case res.Error != "":
				t.Fatalf("%s: %s", tc.script, res.Error)
			case res.Agree:
				t.Fatalf("%s: the port agrees with cipc: the script must catch it", tc.script)
			case !strings.Contains(res.Transcripts[runner.SideGo], tc.want) || strings.Contains(res.Transcripts[runner.SideC], tc.want):
				t.Errorf("%s: differs, but not by %q:\n%s", tc.script, tc.want, res.Diff)
			}
		})
	}
}
