//go:build linux

package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ipcparity/ipcparity/compare/runner"

	"golang.org/x/sys/unix"
)

// The fifo_reader and fifo_writer programs' scenarios (c_reference/fifo.c).
//
// In the two-process scenarios the reader starts first; the writer starts
// once the FIFO exists. At that moment the runner also notes the FIFO's
// type and permission bits (the reader made it with 0644 & ~umask), and the
// note becomes part of the outcome (see fifoModeProbe), so that the mode is
// compared across forms even though the reader removes the FIFO at the end.
func FIFO() []runner.Scenario {
	roles := []string{"fifo_reader", "fifo_writer"}
	both := func(name, about string, args []string) runner.Scenario {
		return runner.Scenario{
			Mechanism: "fifo", Name: name, About: about, Roles: roles,
			Steps: []runner.Step{
				{Program: "fifo_reader", Background: true, Ready: readyFifo()},
				{Program: "fifo_writer", Args: args},
				{Await: true, Target: "fifo_reader"},
			},
			Probes: []runner.Probe{fifoModeProbe},
		}
	}
	umask := func(name string, mask int, mode string) runner.Scenario {
		sc := both(name, fmt.Sprintf("umask %04o: the reader's FIFO has mode 0644 & ~%04o = %s", mask, mask, mode), nil)
		sc.Umask = &mask
		return sc
	}
	ipcName := both("ipc-name", "IPC_NAME names the FIFO instead of named_pipe", []string{"named by IPC_NAME"})
	ipcName.IPCName = "fifo_$RUN"

	stdoutBroken := func(name, about string, args []string) runner.Scenario {
		sc := both(name, about, args)
		sc.Steps[0].Stdout = runner.StdoutBroken
		return sc
	}

	return []runner.Scenario{
		both("default", "the notes' programs: Hello World (no !) through named_pipe, mode 0644 under umask 022", nil),
		both("empty", "an empty message: write(fd, \"\", 0), the reader prints only the newline", []string{""}),
		both("65535", "one byte less than the FIFO's buffer", []string{strings.Repeat("a", 65535)}),
		both("65536", "exactly the FIFO's buffer", []string{strings.Repeat("b", 65536)}),
		both("65537", "one byte more than the FIFO's buffer: the writer's write blocks until the reader reads", []string{strings.Repeat("c", 65537)}),
		both("not-utf8", "bytes that are not UTF-8 pass through unchanged", []string{"\xff\xfe\x80caf\xe9 \xc3\x28"}),
		ipcName,
		umask("umask-077", 0o077, "0600"),
		umask("umask-027", 0o027, "0640"),
		umask("umask-000", 0, "0644"),
		umask("umask-002", 0o002, "0644"),
		stdoutBroken("reader-stdout-broken", "the reader's stdout has no reader: its first write to it raises SIGPIPE, the FIFO stays behind", nil),
		stdoutBroken("reader-gone-long", "as reader-stdout-broken with 70000 bytes, more than the FIFO holds: once the reader is dead the writer's blocked write raises SIGPIPE too", []string{strings.Repeat("d", 70000)}),
		runner.Scenario{
			Mechanism: "fifo", Name: "signal-in-open",
			About: "the reader in open(O_RDONLY), waiting for a writer" + signalAbout,
			Roles: roles,
			Steps: steps(
				[]runner.Step{{Program: "fifo_reader", Background: true, Ready: readyFifo()},
					{Await: true, Target: "fifo_reader", Ready: readyWaitingForPartner()}},
				interrupted("fifo_reader", readyWaitingForPartner()),
				[]runner.Step{{Program: "fifo_writer"}, {Await: true, Target: "fifo_reader"}}),
			Probes: []runner.Probe{fifoModeProbe},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "writer-other-user",
			About: "umask 0000: the reader's FIFO is 0644, so a writer as another user" + otherUserAbout +
				" fails to open it (EACCES); a writer as the reader's user then gets through",
			Roles: roles, Umask: new(int), Setup: openRunDir,
			Steps: []runner.Step{
				{Program: "fifo_reader", Background: true, Ready: readyFifo()},
				{Await: true, Target: "fifo_reader", Ready: readyWaitingForPartner()},
				{Label: "fifo_writer (nobody)", Program: "fifo_writer", AsOtherUser: true},
				{Program: "fifo_writer"},
				{Await: true, Target: "fifo_reader"},
			},
			Probes: []runner.Probe{fifoModeProbe},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "exists",
			About: "named_pipe already exists (a FIFO of mode 0600): mkfifo fails with EEXIST, the reader prints nothing and leaves it",
			Roles: []string{"fifo_reader"},
			Setup: func(r *runner.Run) error {
				path := filepath.Join(r.Dir, "named_pipe")
				if err := unix.Mkfifo(path, 0o600); err != nil {
					return err
				}
				return os.Chmod(path, 0o600) // whatever the runner's own umask
			},
			Steps: []runner.Step{{Program: "fifo_reader"}},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "reader-missing-dir",
			About: "IPC_NAME in a directory that does not exist: mkfifo fails with ENOENT",
			Roles: []string{"fifo_reader"}, IPCName: "no_dir_$RUN/named_pipe",
			Steps: []runner.Step{{Program: "fifo_reader"}},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "writer-no-fifo",
			About: "the writer alone, with no FIFO: open fails with ENOENT, it prints nothing",
			Roles: []string{"fifo_writer"},
			Steps: []runner.Step{{Program: "fifo_writer"}},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "writer-regular-file",
			About: "named_pipe is a regular file of 20 bytes: the writer's open(O_WRONLY) neither creates, truncates " +
				"nor appends, so its write replaces the first 11 bytes and leaves the rest",
			Roles: []string{"fifo_writer"},
			Setup: func(r *runner.Run) error {
				path := filepath.Join(r.Dir, "named_pipe")
				if err := os.WriteFile(path, []byte("0123456789abcdefghij"), 0o644); err != nil {
					return err
				}
				return os.Chmod(path, 0o644)
			},
			Steps:  []runner.Step{{Program: "fifo_writer"}},
			Probes: []runner.Probe{fifoContentProbe},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "reader-no-writer",
			About: "the reader alone: it waits in open(O_RDONLY) until the deadline kills it; the FIFO it made stays behind (the runner removes it)",
			Roles: []string{"fifo_reader"}, Deadline: readerWaitDeadline, EndAfterSteps: true,
			Steps: []runner.Step{
				{Program: "fifo_reader", Background: true, Ready: readyFifo()},
				{Await: true, Target: "fifo_reader", Ready: readyWaitingForPartner()},
			},
			Probes: []runner.Probe{fifoModeProbe},
		},
		runner.Scenario{
			Mechanism: "fifo", Name: "writer-no-reader",
			About: "named_pipe exists and the writer is alone: it waits in open(O_WRONLY) until the deadline kills it",
			Roles: []string{"fifo_writer"}, Deadline: writerWaitDeadline, EndAfterSteps: true,
			Setup: func(r *runner.Run) error { return unix.Mkfifo(filepath.Join(r.Dir, "named_pipe"), 0o644) },
			Steps: []runner.Step{
				{Program: "fifo_writer", Background: true, Ready: readyWaitingForPartner()},
			},
		},
	}
}

// The deadlines of the scenarios in which a program waits in open for a
// partner that never comes: long enough for the wait to be observed
// (readyWaitingForPartner), short enough to keep the check fast. Once
// it is observed the run ends at once (EndAfterSteps): the deadline
// bounds only a port that never shows the wait.
const (
	readerWaitDeadline = 500 * time.Millisecond
	writerWaitDeadline = 300 * time.Millisecond
)

// fifoPath is the FIFO's path relative to the run's directory: IPC_NAME,
// else the notes' named_pipe.
func fifoPath(r *runner.Run) string {
	if r.IPCName != "" {
		return r.IPCName
	}
	return "named_pipe"
}

// fifoModes holds, per run, what readyFifo saw of the FIFO.
var fifoModes sync.Map // *runner.Run → string

// readyFifo holds once the FIFO exists; it notes the FIFO's type and
// permission bits for fifoModeProbe.
func readyFifo() runner.Ready {
	return runner.Ready{What: "the FIFO exists", Check: func(r *runner.Run, _ *runner.Process) (bool, error) {
		path := fifoPath(r)
		var st unix.Stat_t
		if err := unix.Lstat(filepath.Join(r.Dir, path), &st); err != nil {
			return false, nil
		}
		kind := "file"
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFIFO:
			kind = "fifo"
		case unix.S_IFDIR:
			kind = "dir"
		}
		fifoModes.Store(r, "seen: "+kind+" "+r.Normalize(path)+" "+runner.Attrs(&st))
		return true, nil
	}}
}

// fifoModeProbe adds to the outcome what readyFifo saw: "seen: fifo
// named_pipe mode 0644". It is an observation made while the reader ran,
// not a leftover.
var fifoModeProbe = runner.Probe{
	Name: "the FIFO's mode while the reader ran",
	Find: func(r *runner.Run) []string {
		if v, ok := fifoModes.Load(r); ok {
			return []string{v.(string)}
		}
		return nil
	},
	Clean: func(r *runner.Run) { fifoModes.Delete(r) },
}

// fifoContentProbe adds what the file named_pipe holds after the run:
// "seen: named_pipe holds \"Hello World\"".
var fifoContentProbe = runner.Probe{
	Name: "what named_pipe holds",
	Find: func(r *runner.Run) []string {
		b, err := os.ReadFile(filepath.Join(r.Dir, fifoPath(r)))
		if err != nil {
			return nil
		}
		return []string{"seen: " + r.Normalize(fifoPath(r)) + " holds " + runner.DescribeBytes(b)}
	},
}

// readyWaitingForPartner holds once a thread of the process sleeps in the
// kernel's FIFO open, waiting for the other end (wchan wait_for_partner):
// a Go process may make the call on any of its threads.
func readyWaitingForPartner() runner.Ready {
	return runner.Ready{What: "a thread waits in a FIFO open (wchan wait_for_partner)", Check: func(_ *runner.Run, p *runner.Process) (bool, error) {
		tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", p.Pid()))
		if err != nil {
			return false, nil
		}
		for _, t := range tasks {
			wchan, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/wchan", p.Pid(), t.Name()))
			if err == nil && string(wchan) == "wait_for_partner" {
				return true, nil
			}
		}
		return false, nil
	}}
}
