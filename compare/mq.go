//go:build linux

package compare

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// The message-queue programs' scenarios (c_reference/mq.c): the server
// creates the queue IPC_NAME and prints what the clients send until "quit".
func init() {
	const server, client = "mq_server", "mq_client"
	roles := []string{server, client}
	srv := func(ready Ready) Step {
		return Step{Program: server, Background: true, Ready: ready}
	}
	cl := func(n int, args ...string) Step {
		return Step{Label: fmt.Sprintf("client %d", n), Program: client, Args: args}
	}
	session := func(name, about string, steps ...Step) Scenario {
		return Scenario{
			Mechanism: "mq", Name: name, About: about, Roles: roles,
			IPCName: "/$RUN", Steps: steps, Deadline: 5 * time.Second,
			Probes: []Probe{mqProbe},
		}
	}
	alone := func(name, about string, steps ...Step) Scenario {
		sc := session(name, about, steps...)
		sc.Roles = []string{client}
		return sc
	}

	// The server is stopped for good (every thread in state T) before the
	// first client sends: a receiver still asleep in mq_receive would take
	// that message straight off the sender.
	full := []Step{srv(ReadyMqueue()), {Signal: "SIGSTOP", Target: server},
		{Await: true, Target: server, Ready: ReadyStopped()}}
	for i := 1; i <= 10; i++ {
		full = append(full, cl(i, "message "+strconv.Itoa(i)))
	}
	eleventh := cl(11, "message 11")
	eleventh.Background = true
	eleventh.Ready = ReadyInSyscall("mq_timedsend", unix.SYS_MQ_TIMEDSEND)
	full = append(full, eleventh,
		Step{Signal: "SIGCONT", Target: server},
		Step{Await: true, Target: "client 11"},
		cl(12, "quit"),
		Step{Await: true, Target: server})

	stale := session("stale-queue", "the queue is left from an earlier run with two messages (\"left over\", "+
		"no NUL, priority 1; \"urgent\", priority 5): the server opens it as it is and prints them first, "+
		"by priority",
		srv(ReadyLine()), cl(1, "hello"), cl(2, "quit"), Step{Await: true, Target: server})
	stale.Setup = staleQueue(&goipc.MqAttr{Maxmsg: 10, Msgsize: 128},
		staleMessage{"left over", 1}, staleMessage{"urgent", 5})
	staleSize := session("stale-queue-msgsize", "the queue is left from an earlier run with the default "+
		"mq_msgsize of 8192: O_CREAT keeps it, so the server's 128-byte mq_receive fails with EMSGSIZE; a "+
		"later client finds no queue",
		srv(ReadyLine()), Step{Await: true, Target: server}, cl(1, "hello"))
	staleSize.Setup = staleQueue(nil)
	noSlash := session("name-without-slash", "IPC_NAME without its leading slash: glibc's mq_open refuses "+
		"it (EINVAL) in the server and in the client",
		Step{Program: server}, cl(1, "hello"))
	noSlash.IPCName = "$RUN"

	register(
		session("default", "the example's session: the server prints what three clients send and stops on quit",
			srv(ReadyMqueue()), cl(1, "Hello"), cl(2, "World"), cl(3, "quit"), Step{Await: true, Target: server}),
		alone("no-server", "a client with no queue to send to: mq_open fails with ENOENT",
			cl(1, "hello")),
		alone("usage-no-args", "a client without its message prints its usage and fails",
			cl(1)),
		alone("usage-two-args", "a client with two arguments prints its usage and fails",
			cl(1, "hello", "world")),
		session("63-64-65", "messages of 63, 64 and 65 bytes: snprintf cuts at 63, the struct holds 64",
			srv(ReadyMqueue()),
			cl(1, strings.Repeat("a", 62)+"A"), cl(2, strings.Repeat("b", 63)+"B"), cl(3, strings.Repeat("c", 63)+"CD"),
			cl(4, "quit"), Step{Await: true, Target: server}),
		session("not-utf8", "bytes that are not UTF-8 pass through the queue unchanged",
			srv(ReadyMqueue()), cl(1, "\xff\xfe\x80caf\xe9 \xc3\x28"), cl(2, "quit"), Step{Await: true, Target: server}),
		session("near-quit", "an empty message, and messages that are not exactly quit, do not stop the server",
			srv(ReadyMqueue()), cl(1, ""), cl(2, "Quit"), cl(3, "quit "), cl(4, "quitter"), cl(5, "quit"),
			Step{Await: true, Target: server}),
		session("full-queue", "the server stopped (SIGSTOP): ten clients fill the queue (mq_maxmsg 10), the 11th "+
			"sleeps in mq_timedsend until SIGCONT lets the server drain the queue",
			full...),
		stale, staleSize, noSlash,
		session("server-killed", "the server killed (SIGKILL) while it waits: the queue outlives it and takes "+
			"a later client's message",
			srv(ReadyMqueue()), cl(1, "hello"),
			Step{Await: true, Target: server, Ready: ReadyInSyscall("mq_timedreceive", unix.SYS_MQ_TIMEDRECEIVE)},
			Step{Signal: "SIGKILL", Target: server}, Step{Await: true, Target: server},
			cl(2, "world")),
	)

	sweepers = append(sweepers, sweepMqueues)
}

// staleMessage is a message that a queue left from an earlier run holds.
type staleMessage struct {
	text string // sent without a NUL
	prio uint
}

// staleQueue returns a Setup that creates the run's queue with attr (nil:
// the system's defaults) and puts msgs on it, as a run that died would have
// left it.
func staleQueue(attr *goipc.MqAttr, msgs ...staleMessage) func(r *Run) error {
	return func(r *Run) error {
		mqd, err := goipc.MqOpen(r.IPCName, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0600, attr)
		if err != nil {
			return fmt.Errorf("mq_open(%q): %w", r.IPCName, err)
		}
		defer goipc.MqClose(mqd)
		for _, m := range msgs {
			if err := goipc.MqSend(mqd, []byte(m.text), m.prio); err != nil {
				return fmt.Errorf("mq_send: %w", err)
			}
		}
		return nil
	}
}

// mqExists reports whether the queue name exists: it opens it for reading
// and closes it again; EACCES means it exists too. A name that no queue can
// have (no leading '/', too long) does not exist.
func mqExists(name string) (bool, error) {
	mqd, err := goipc.MqOpen(name, unix.O_RDONLY, 0, nil)
	switch err {
	case nil:
		goipc.MqClose(mqd)
		return true, nil
	case unix.EACCES:
		return true, nil
	case unix.ENOENT, unix.EINVAL, unix.ENAMETOOLONG:
		return false, nil
	}
	return false, err
}

// ReadyMqueue holds once the queue IPC_NAME exists.
func ReadyMqueue() Ready {
	return Ready{What: "queue IPC_NAME exists", Check: func(r *Run, _ *process) (bool, error) {
		return mqExists(r.IPCName)
	}}
}

// ReadyInSyscall holds once a thread of the process sleeps (state S) in the
// system call nr, named name: /proc/PID/task/TID/syscall shows its number
// twice around a stat that shows S. A Go process has several threads; one
// of them is the one in the call.
func ReadyInSyscall(name string, nr int) Ready {
	return Ready{What: "asleep in " + name, Check: func(_ *Run, p *process) (bool, error) {
		return asleepIn(p.proc.Pid, nr), nil
	}}
}

// ReadyStopped holds once every thread of the process is stopped (state T
// in /proc/PID/task/TID/stat), as SIGSTOP leaves it.
func ReadyStopped() Ready {
	return Ready{What: "stopped", Check: func(_ *Run, p *process) (bool, error) {
		states := taskStates(p.proc.Pid)
		if len(states) == 0 {
			return false, nil
		}
		for _, st := range states {
			if st != 'T' {
				return false, nil
			}
		}
		return true, nil
	}}
}

// taskStates returns the state letter of each thread of pid.
func taskStates(pid int) []byte {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var states []byte
	for _, t := range tasks {
		if st := taskState(filepath.Join(dir, t.Name(), "stat")); st != 0 {
			states = append(states, st)
		}
	}
	return states
}

// taskState reads the state letter of a stat file, 0 if it cannot. The
// state follows the command name, which may hold blanks and parentheses:
// it comes after the last ')'.
func taskState(path string) byte {
	stat, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 || i+2 >= len(stat) {
		return 0
	}
	return stat[i+2]
}

// asleepIn reports whether a thread of pid sleeps in the system call nr.
func asleepIn(pid, nr int) bool {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return false // gone: the runner sees it end
	}
	for _, t := range tasks {
		before, err1 := os.ReadFile(filepath.Join(dir, t.Name(), "syscall"))
		state := taskState(filepath.Join(dir, t.Name(), "stat"))
		after, err2 := os.ReadFile(filepath.Join(dir, t.Name(), "syscall"))
		if err1 != nil || err2 != nil || state != 'S' || !bytes.Equal(before, after) {
			continue
		}
		if f := strings.Fields(string(before)); len(f) > 0 && f[0] == strconv.Itoa(nr) {
			return true
		}
	}
	return false
}

// mqProbe finds the run's queue IPC_NAME left behind, and removes it. The
// queue file system need not be mounted (/dev/mqueue): the probe asks
// mq_open.
var mqProbe = Probe{
	Name: "mqueue",
	Find: func(r *Run) []string {
		if ok, _ := mqExists(r.IPCName); ok {
			return []string{"mqueue " + r.normalize(r.IPCName)}
		}
		return nil
	},
	Clean: func(r *Run) {
		if r.IPCName != "" {
			goipc.MqUnlink(r.IPCName)
		}
	},
}

// mqueueDir is where the queue file system is mounted, when it is.
const mqueueDir = "/dev/mqueue"

// sweepMqueues removes the queues that runs of a dead ipcparity left, when
// the queue file system is mounted and lists them. Without it Sweep still
// removes each run's IPC_NAME queue from the note the run left
// (runtoken.Remember); what a call script named otherwise stays until the
// next reboot. Each run's own probe removes its queue on every way out that
// the runner lives through.
func sweepMqueues(dead func(name string) bool) {
	entries, err := os.ReadDir(mqueueDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), runPrefix) && dead(e.Name()) {
			goipc.MqUnlink("/" + e.Name())
		}
	}
}
