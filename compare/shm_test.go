//go:build linux

package compare

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/judge"
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
		}, Leftovers: []string{"seen: shm_writer asleep in sem_wait on sem $IPC_NAME", owned("sem $IPC_NAME mode 0600") + " size 32", owned("shm $IPC_NAME mode 0600") + " size 100"}}},
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

// TestShmWrongPorts runs ports of the shared-memory programs that differ
// from C in one way each, and names the scenario that catches each.
func TestShmWrongPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "the object made with mode 0644", program: "shm_writer",
			edits:   [][2]string{{"shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600)", "shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0644)"}},
			catches: "umask-000", want: "shm $IPC_NAME mode 0644",
		},
		{
			name: "the semaphore made with mode 0666", program: "shm_writer",
			edits:   [][2]string{{"sem_open(name, O_CREAT | O_EXCL, 0600, 0)", "sem_open(name, O_CREAT | O_EXCL, 0666, 0)"}},
			catches: "umask-002", want: "sem $IPC_NAME mode 0664",
		},
		{
			name: "the object a page long", program: "shm_writer",
			edits:   [][2]string{{"ftruncate(fd, SHM_SIZE)", "ftruncate(fd, 4096)"}},
			catches: "umask-000", want: "size 4096",
		},
		{
			name: "the semaphore not removed", program: "shm_writer",
			edits:   [][2]string{{"    sem_unlink(name); // step 13: sem-unlink\n", ""}},
			catches: "default", want: "leftover sem $IPC_NAME",
		},
		{
			name: "exit status 3 instead of EXIT_FAILURE", program: "shm_reader",
			script:  `"$0" "$@" || exit 3`,
			catches: "reader-no-writer", want: "Exit:3",
		},
	})
}

// TestShmNoFollowPorts runs shm_nofollow.calls with goipc's ipccalls
// built with one mistake each, against cipc: shm_open or sem_open without
// glibc's O_NOFOLLOW opens what a symbolic link in /dev/shm points to.
func TestShmNoFollowPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	for _, tc := range []struct {
		name  string
		edits map[string][][2]string
		want  string // the line of cipc's transcript that goipc's does not have
	}{
		{
			name:  "shm_open without O_NOFOLLOW",
			edits: map[string][][2]string{"goipc/shm.go": {{"oflag|unix.O_NOFOLLOW|unix.O_CLOEXEC, mode)", "oflag|unix.O_CLOEXEC, mode)"}}},
			want:  `shm_open("/l$RUN", O_RDWR, 0) = -1 ELOOP`,
		},
		{
			name:  "sem_open without O_NOFOLLOW",
			edits: map[string][][2]string{"goipc/sem.go": {{"|unix.O_NOFOLLOW|unix.O_RDWR, 0)", "|unix.O_RDWR, 0)"}}},
			want:  `sem_open("/l$RUN", 0) = -1 ELOOP`,
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
			res := judge.RunScript(context.Background(), Calls(), filepath.Join("..", "testdata", "calls", "shm_nofollow.calls"), sides, nil)
			switch {
			case res.Error != "":
				t.Fatalf("shm_nofollow.calls: %s", res.Error)
			case res.Agree:
				t.Fatal("shm_nofollow.calls: the port agrees with cipc: the script must catch it")
			case !strings.Contains(res.Transcripts[runner.SideC], tc.want) || strings.Contains(res.Transcripts[runner.SideGo], tc.want):
				t.Errorf("shm_nofollow.calls differs, but not by %q:\n%s", tc.want, res.Diff)
			}
		})
	}
}
