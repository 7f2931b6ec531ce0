//go:build linux

package scenarios

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ipcparity/ipcparity/compare/runner"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// The message-queue programs' scenarios (c_reference/mq.c): the server
// creates the queue IPC_NAME and prints what the clients send until "quit".
func Mq() []runner.Scenario {
	const server, client = "mq_server", "mq_client"
	roles := []string{server, client}
	srv := func(ready runner.Ready) runner.Step {
		return runner.Step{Program: server, Background: true, Ready: ready}
	}
	cl := func(n int, args ...string) runner.Step {
		return runner.Step{Label: fmt.Sprintf("client %d", n), Program: client, Args: args}
	}
	session := func(name, about string, steps ...runner.Step) runner.Scenario {
		return runner.Scenario{
			Mechanism: "mq", Name: name, About: about, Roles: roles,
			IPCName: "/$RUN", Steps: steps, Deadline: 5 * time.Second,
			Probes: []runner.Probe{mqProbe},
		}
	}
	alone := func(name, about string, steps ...runner.Step) runner.Scenario {
		sc := session(name, about, steps...)
		sc.Roles = []string{client}
		return sc
	}

	// The server is stopped for good (every thread in state T) before the
	// first client sends: a receiver still asleep in mq_receive would take
	// that message straight off the sender.
	full := []runner.Step{srv(ReadyMqueue()), {Signal: "SIGSTOP", Target: server},
		{Await: true, Target: server, Ready: runner.ReadyStopped()}}
	for i := 1; i <= 10; i++ {
		full = append(full, cl(i, "message "+strconv.Itoa(i)))
	}
	eleventh := cl(11, "message 11")
	eleventh.Background = true
	eleventh.Ready = runner.ReadyInSyscall("mq_timedsend", unix.SYS_MQ_TIMEDSEND)
	full = append(full, eleventh)
	inSend := runner.ReadyInSyscall("mq_timedsend", unix.SYS_MQ_TIMEDSEND)
	// signalInSend: full-queue with the 11th client interrupted in
	// mq_timedsend.
	signalInSend := steps(full, interrupted("client 11", inSend))
	rest := []runner.Step{
		{Signal: "SIGCONT", Target: server},
		runner.Step{Await: true, Target: "client 11"},
		cl(12, "quit"),
		{Await: true, Target: server}}
	full = append(full, rest...)
	signalInSend = append(signalInSend, rest...)
	inReceive := runner.ReadyInSyscall("mq_timedreceive", unix.SYS_MQ_TIMEDRECEIVE)

	stale := session("stale-queue", "the queue is left from an earlier run with two messages (\"left over\", "+
		"no NUL, priority 1; \"urgent\", priority 5): the server opens it as it is and prints them first, "+
		"by priority",
		srv(runner.ReadyLine()), cl(1, "hello"), cl(2, "quit"), runner.Step{Await: true, Target: server})
	stale.Setup = staleQueue(&goipc.MqAttr{Maxmsg: 10, Msgsize: 128},
		staleMessage{"left over", 1}, staleMessage{"urgent", 5})
	staleSize := session("stale-queue-msgsize", "the queue is left from an earlier run with the default "+
		"mq_msgsize of 8192: O_CREAT keeps it, so the server's 128-byte mq_receive fails with EMSGSIZE; a "+
		"later client finds no queue",
		srv(runner.ReadyLine()), runner.Step{Await: true, Target: server}, cl(1, "hello"))
	staleSize.Setup = staleQueue(nil)
	noSlash := session("name-without-slash", "IPC_NAME without its leading slash: glibc's mq_open refuses "+
		"it (EINVAL) in the server and in the client",
		runner.Step{Program: server}, cl(1, "hello"))
	noSlash.IPCName = "$RUN"

	// modes: the server under umask mask, its queue's mode and attributes
	// noted once it exists (mqSeen).
	modes := func(name string, mask int) runner.Scenario {
		sc := session(name, fmt.Sprintf("umask %04o: the server's queue has mode 0600 & ~%04o = %04o, mq_maxmsg 10 "+
			"and mq_msgsize 128 (the runner looks at /dev/mqueue and asks mq_getattr while the server runs)",
			mask, mask, 0o600&^mask),
			srv(readyMqueueSeen()), cl(1, "Hello"), cl(2, "quit"), runner.Step{Await: true, Target: server})
		sc.Umask = &mask
		sc.Probes = append(sc.Probes, mqSeen.probe())
		return sc
	}
	// drained: clients alone on a queue that Setup made; the runner then
	// takes every message off the queue and shows it (runner.DescribeQueue).
	drained := func(name, about string, attr goipc.MqAttr, steps ...runner.Step) runner.Scenario {
		sc := alone(name, about, steps...)
		sc.Setup = staleQueue(&attr)
		return sc
	}
	staleLong := session("stale-queue-long", "the queue is left with a message of 128 bytes without a NUL and "+
		"one of \"ab\\0cd\" (both priority 0): the server's 128-byte receive takes the first whole and prints "+
		"it, and prints the second up to its NUL",
		// The client's quit (priority 1) would pass the stale messages
		// (priority 0): it comes once the server has taken them and sleeps
		// in mq_receive.
		srv(runner.ReadyLine()),
		runner.Step{Await: true, Target: server, Ready: runner.ReadyInSyscall("mq_timedreceive", unix.SYS_MQ_TIMEDRECEIVE)},
		cl(1, "quit"), runner.Step{Await: true, Target: server})
	staleLong.Setup = staleQueue(&goipc.MqAttr{Maxmsg: 10, Msgsize: 128},
		staleMessage{strings.Repeat("x", 127) + "X", 0}, staleMessage{"ab\x00cd", 0})

	// otherClient: a client as another user on the server's 0600 queue.
	nobody := cl(1, "hello")
	nobody.Label, nobody.AsOtherUser = "client 1 (nobody)", true
	otherClient := session("client-other-user", "umask 0000: the server's queue is 0600, so a client as another "+
		"user"+otherUserAbout+" fails to open it (EACCES); then quit from the server's user",
		srv(ReadyMqueue()), nobody, cl(2, "quit"), runner.Step{Await: true, Target: server})
	otherClient.Umask = new(int)

	return []runner.Scenario{
		session("default", "the example's session: the server prints what three clients send and stops on quit",
			srv(ReadyMqueue()), cl(1, "Hello"), cl(2, "World"), cl(3, "quit"), runner.Step{Await: true, Target: server}),
		alone("no-server", "a client with no queue to send to: mq_open fails with ENOENT",
			cl(1, "hello")),
		alone("usage-no-args", "a client without its message prints its usage and fails",
			cl(1)),
		alone("usage-two-args", "a client with two arguments prints its usage and fails",
			cl(1, "hello", "world")),
		session("63-64-65", "messages of 63, 64 and 65 bytes: snprintf cuts at 63, the struct holds 64",
			srv(ReadyMqueue()),
			cl(1, strings.Repeat("a", 62)+"A"), cl(2, strings.Repeat("b", 63)+"B"), cl(3, strings.Repeat("c", 63)+"CD"),
			cl(4, "quit"), runner.Step{Await: true, Target: server}),
		session("not-utf8", "bytes that are not UTF-8 pass through the queue unchanged",
			srv(ReadyMqueue()), cl(1, "\xff\xfe\x80caf\xe9 \xc3\x28"), cl(2, "quit"), runner.Step{Await: true, Target: server}),
		session("near-quit", "an empty message, and messages that are not exactly quit, do not stop the server",
			srv(ReadyMqueue()), cl(1, ""), cl(2, "Quit"), cl(3, "quit "), cl(4, "quitter"), cl(5, "quit"),
			runner.Step{Await: true, Target: server}),
		session("full-queue", "the server stopped (SIGSTOP): ten clients fill the queue (mq_maxmsg 10), the 11th "+
			"sleeps in mq_timedsend until SIGCONT lets the server drain the queue",
			full...),
		session("signal-in-send", "as full-queue, the 11th client in mq_timedsend on the full queue"+signalAbout,
			signalInSend...),
		session("signal-in-receive", "the server in mq_receive, waiting for a client"+signalAbout,
			steps([]runner.Step{srv(ReadyMqueue()), {Await: true, Target: server, Ready: inReceive}},
				interrupted(server, inReceive),
				[]runner.Step{cl(1, "hello"), cl(2, "quit"), {Await: true, Target: server}})...),
		stale, staleSize, noSlash,
		session("server-killed", "the server killed (SIGKILL) while it waits: the queue outlives it and takes "+
			"a later client's message",
			srv(ReadyMqueue()), cl(1, "hello"),
			runner.Step{Await: true, Target: server, Ready: runner.ReadyInSyscall("mq_timedreceive", unix.SYS_MQ_TIMEDRECEIVE)},
			runner.Step{Signal: "SIGKILL", Target: server}, runner.Step{Await: true, Target: server},
			cl(2, "world")),
		modes("umask-000", 0), modes("umask-002", 0o002),
		drained("client-messages", "clients alone on a queue that Setup made (10 × 128 bytes): afterwards the "+
			"runner receives every message: each is the whole 64-byte struct, zero-filled after the text, "+
			"priority 1, in the order sent",
			goipc.MqAttr{Maxmsg: 10, Msgsize: 128},
			cl(1, "hello"), cl(2, ""), cl(3, strings.Repeat("m", 63)+"MN"), cl(4, "\xff\xfe\x80caf\xe9"), cl(5, "quit")),
		drained("client-send-fails", "the queue takes messages of at most 63 bytes: the client's 64-byte "+
			"mq_send fails with EMSGSIZE, it prints perror(\"ERROR-> mq_send()\") and still returns 0",
			goipc.MqAttr{Maxmsg: 10, Msgsize: 63}, cl(1, "hello")),
		staleLong, otherClient,
	}

}

// staleMessage is a message that a queue left from an earlier run holds.
type staleMessage struct {
	text string // sent without a NUL
	prio uint
}

// staleQueue returns a Setup that creates the run's queue with attr (nil:
// the system's defaults) and puts msgs on it, as a run that died would have
// left it.
func staleQueue(attr *goipc.MqAttr, msgs ...staleMessage) func(r *runner.Run) error {
	return func(r *runner.Run) error {
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

// MqExists reports whether the queue name exists: it opens it for reading
// and closes it again; EACCES means it exists too. A name that no queue can
// have (no leading '/', too long) does not exist.
func MqExists(name string) (bool, error) {
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
func ReadyMqueue() runner.Ready {
	return runner.Ready{What: "queue IPC_NAME exists", Check: func(r *runner.Run, _ *runner.Process) (bool, error) {
		return MqExists(r.IPCName)
	}}
}

// mqSeen holds what readyMqueueSeen noted.
var mqSeen = &seenNotes{name: "the queue's mode and attributes while the server ran"}

// readyMqueueSeen holds once the queue IPC_NAME exists; it notes the
// queue's permission bits (its file in the queue file system, which the
// sandbox mounts at /dev/mqueue), owner and attributes (mq_getattr):
// "seen: mqueue $IPC_NAME mode 0600 uid 0 gid 0 maxmsg 10 msgsize 128".
func readyMqueueSeen() runner.Ready {
	return runner.Ready{What: "queue IPC_NAME exists (its mode and attributes noted)", Check: func(r *runner.Run, _ *runner.Process) (bool, error) {
		ok, err := MqExists(r.IPCName)
		if !ok || err != nil {
			return ok, err
		}
		mode := "unknown (no queue file system)"
		var st unix.Stat_t
		if unix.Stat(mqueueDir+"/"+strings.TrimPrefix(r.IPCName, "/"), &st) == nil {
			mode = strings.TrimPrefix(runner.Perms(&st), "mode ")
		}
		attrs := ""
		if mqd, err := goipc.MqOpen(r.IPCName, unix.O_RDONLY|unix.O_NONBLOCK, 0, nil); err == nil {
			var a goipc.MqAttr
			if goipc.MqGetattr(mqd, &a) == nil {
				attrs = fmt.Sprintf(" maxmsg %d msgsize %d", a.Maxmsg, a.Msgsize)
			}
			goipc.MqClose(mqd)
		}
		mqSeen.note(r, fmt.Sprintf("seen: mqueue %s mode %s%s", r.Normalize(r.IPCName), mode, attrs))
		return true, nil
	}}
}

// mqProbe finds the run's queue IPC_NAME left behind, and removes it. The
// queue file system need not be mounted (/dev/mqueue): the probe asks
// mq_open. It describes the queue and the messages on it as the runner's
// own listing in a sandbox does (runner.DescribeQueue), so that the two
// give one line each.
var mqProbe = runner.Probe{
	Name: "mqueue",
	Find: func(r *runner.Run) []string {
		if ok, _ := MqExists(r.IPCName); ok {
			return runner.DescribeQueue(r.IPCName, r.Normalize(r.IPCName))
		}
		return nil
	},
	Clean: func(r *runner.Run) {
		if r.IPCName != "" {
			goipc.MqUnlink(r.IPCName)
		}
	},
}

// mqueueDir is where the queue file system is mounted, when it is.
const mqueueDir = "/dev/mqueue"

// SweepMqueues removes the queues that runs of a dead ipcparity left, when
// the queue file system is mounted and lists them. Without it Sweep still
// removes each run's IPC_NAME queue from the note the run left
// (runtoken.Remember); what a call script named otherwise stays until the
// next reboot. Each run's own probe removes its queue on every way out that
// the runner lives through.
func SweepMqueues(dead func(name string) bool) {
	entries, err := os.ReadDir(mqueueDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), runner.TokenPrefix) && dead(e.Name()) {
			goipc.MqUnlink("/" + e.Name())
		}
	}
}

// mqScriptName finds the queue names of a script that carry $RUN.
var mqScriptName = regexp.MustCompile(`"(/[^"\\/]*\$RUN[^"\\/]*)"`)

// mqScriptQueues returns the queues that the script of a run of RunScript
// names with $RUN (the script is the last argument of the run's one step),
// with the run's token in place of $RUN.
func mqScriptQueues(r *runner.Run) []string {
	steps := r.Scenario.Steps
	if len(steps) != 1 || len(steps[0].Args) == 0 {
		return nil
	}
	text, err := os.ReadFile(steps[0].Args[len(steps[0].Args)-1])
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var names []string
	for _, m := range mqScriptName.FindAllStringSubmatch(string(text), -1) {
		name := strings.ReplaceAll(m[1], "$RUN", r.Token)
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

// ScriptQueueProbe finds the queues that a call script created and did not
// unlink, and removes them: a queue cannot be found by listing a directory
// where the queue file system is not mounted.
var ScriptQueueProbe = runner.Probe{
	Name: "mqueue",
	Find: func(r *runner.Run) []string {
		var left []string
		for _, name := range mqScriptQueues(r) {
			if ok, _ := MqExists(name); ok {
				left = append(left, runner.DescribeQueue(name, r.Normalize(name))...)
			}
		}
		return left
	},
	Clean: func(r *runner.Run) {
		for _, name := range mqScriptQueues(r) {
			goipc.MqUnlink(name)
		}
	},
}
