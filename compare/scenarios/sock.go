//go:build linux

package scenarios

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ipcparity/ipcparity/compare/runner"

	"golang.org/x/sys/unix"
)

// The sock_server and sock_client programs' scenarios (c_reference/sock.c).
//
// The server starts first and the clients once it has printed its ready
// line. Most scenarios run twice: over a Unix-domain socket (IPC_NAME unset:
// the default "unix:server_socket" in the run's directory) and over TCP on
// 127.0.0.1, at a port that Setup finds free for the run (sockTCP). The
// programs never print the address, so the port does not reach an outcome.
func Sock() []runner.Scenario {
	roles := []string{"sock_server", "sock_client"}
	server := runner.Step{Label: "server", Program: "sock_server", Background: true, Ready: runner.ReadyLine()}
	client := func(label string, args ...string) runner.Step {
		return runner.Step{Label: label, Program: "sock_client", Args: args}
	}
	quit := client("quit", "quit")
	awaitServer := runner.Step{Await: true, Target: "server"}
	// inPoll waits until the server is back asleep in poll: it has printed
	// all it had to print.
	// A server that waits for clients: in poll(2) (C, goipc), or in the Go
	// runtime's network poller (a server on package net).
	inPoll := runner.Step{Await: true, Target: "server", Ready: runner.ReadyInSyscall("poll, or the Go runtime's epoll_pwait", sockPollSyscall, unix.SYS_EPOLL_PWAIT)}
	// signalled: the server interrupted in poll, then back in it.
	signalled := interrupted("server", inPoll.Ready)

	// session: the server, the clients one after another, "quit".
	session := func(tr sockTransport, name, about string, clients ...runner.Step) runner.Scenario {
		steps := append([]runner.Step{server}, clients...)
		steps = append(steps, quit, awaitServer)
		return tr.scenario(runner.Scenario{Name: name, About: about, Roles: roles, Steps: steps})
	}

	// many: n clients started at once, each awaited, then "quit". The order
	// in which the server gets their messages is not determined.
	many := func(tr sockTransport, n int) runner.Scenario {
		steps := []runner.Step{server}
		for i := 1; i <= n; i++ {
			steps = append(steps, runner.Step{Label: fmt.Sprintf("client %d", i), Program: "sock_client",
				Args: []string{fmt.Sprintf("message %d", i)}, Background: true})
		}
		for i := 1; i <= n; i++ {
			steps = append(steps, runner.Step{Await: true, Target: fmt.Sprintf("client %d", i)})
		}
		steps = append(steps, quit, awaitServer)
		return tr.scenario(runner.Scenario{
			Name: fmt.Sprintf("%d-clients", n),
			About: fmt.Sprintf("%d clients started at once, then quit: the server polls them together, at most 16 "+
				"connected (the rest wait in the backlog)", n),
			Roles: roles, Steps: steps, Unordered: []string{"server"},
		})
	}

	var list []runner.Scenario
	for _, tr := range []sockTransport{sockUnix, sockTCP} {
		list = append(list,
			session(tr, "default", "a few clients one after another, then quit; each gets its answer",
				client("client 1", "hello"), client("client 2", "Hello World!"), client("client 3", "a b  c\td")),
			many(tr, 20),
			session(tr, "silent-client", "a client with the empty message sends nothing and shuts down its side: "+
				"the server prints nothing, answers nothing and closes",
				client("client 1", "before"), client("silent", ""), client("client 2", "after")),
			session(tr, "message-sizes", "63 bytes fit the server's 64-byte buffer with the NUL; 64 bytes and the "+
				"longest argument (131071 bytes) are cut to 63, the rest read and dropped",
				client("63 bytes", strings.Repeat("a", 63)), client("64 bytes", strings.Repeat("b", 64)),
				client("131071 bytes", longestArgument())),
			session(tr, "not-utf8", "bytes that are not UTF-8 pass through unchanged",
				client("client 1", "\xff\xfe\x80caf\xe9 \xc3\x28")),
			tr.scenario(runner.Scenario{
				Name: "no-server", About: "a client with no server: connect fails with " + tr.noServer,
				Roles: []string{"sock_client"}, Steps: []runner.Step{client("client", "hello")},
			}),
		)
	}

	list = append(list,
		session(sockUnix, "near-quit", "messages that are not exactly quit do not stop the server (sock.c compares "+
			"the whole word and its NUL): the clients after each still get their answers",
			client("Quit", "Quit"), client("quit ", "quit "), client("quitter", "quitter"), client("qui", "qui"),
			client("quit\\n", "quit\n"), client("after", "after")),
		sockUnix.scenario(runner.Scenario{
			Name: "client-other-user",
			About: "bind gives the socket file 0755 under umask 0022, so a client as another user" + otherUserAbout +
				" cannot connect (EACCES: connecting takes write permission); then a client as the server's user",
			Roles: roles, Setup: openRunDir,
			Steps: []runner.Step{server, {Label: "client (nobody)", Program: "sock_client", Args: []string{"hello"}, AsOtherUser: true},
				client("client", "hello"), quit, awaitServer},
		}),
		session(sockUnix, "signal-in-poll", "the server in poll, waiting for clients"+signalAbout,
			steps([]runner.Step{inPoll}, signalled, []runner.Step{client("client", "hello")})...),
	)

	// backlog: the server stopped while the runner connects without
	// waiting; the server continued serves those connections, which end
	// without a message, then quits.
	stopped := []runner.Step{server, {Signal: "SIGSTOP", Target: "server"}, {Await: true, Target: "server", Ready: runner.ReadyStopped()}}
	list = append(list,
		sockUnix.scenario(runner.Scenario{
			Name: "backlog",
			About: fmt.Sprintf("the server stopped (SIGSTOP) while the runner connects %d times without waiting: "+
				"listen(fd, SOMAXCONN) lets them all wait to be accepted (a backlog of 5 takes 6, then "+
				"EAGAIN); continued (SIGCONT), the server accepts each, which ends without a message", sockBacklogTries),
			Roles: roles, Probes: []runner.Probe{sockBacklog.probe()},
			Steps: steps(stopped, []runner.Step{{Await: true, Target: "server", Ready: readyBacklog(sockBacklogTries)},
				{Signal: "SIGCONT", Target: "server"}, inPoll, client("client", "hello"), quit, awaitServer}),
		}),
		// The server's send meets a closed socket: EPIPE, and the SIGPIPE
		// that MSG_NOSIGNAL holds back. A Go server ignores that SIGPIPE
		// anyway (it is on a descriptor other than 1 and 2): only C shows
		// the flag. The runner is the client here, as no sock_client can
		// close its socket between its message and the answer.
		sockUnix.scenario(runner.Scenario{
			Name: "client-gone",
			About: "a client (the runner) that sends hello and closes its socket at once: the server prints hello, " +
				"its answer fails with EPIPE (send with MSG_NOSIGNAL: no SIGPIPE) and it serves the next clients",
			Roles: roles, Unordered: []string{"server"},
			Steps: []runner.Step{server, inPoll, {Await: true, Target: "server", Ready: readyGoneClient("hello")}, inPoll,
				client("client", "after"), quit, awaitServer},
		}),
	)

	// modes: a Unix session under umask mask; once the server is ready the
	// runner notes its socket file's mode (sockSeen).
	for _, mask := range []int{0, 0o002} {
		sc := sockUnix.scenario(runner.Scenario{
			Name: fmt.Sprintf("umask-%03o", mask),
			About: fmt.Sprintf("umask %04o: bind gives the server's socket file mode 0777 & ~%04o = %04o (the runner "+
				"looks at it while the server runs)", mask, mask, 0o777&^mask),
			Roles: roles, Probes: []runner.Probe{sockSeen.probe()},
			Steps: []runner.Step{
				{Label: "server", Program: "sock_server", Background: true, Ready: readySockSeen()},
				client("client", "hello"), quit, awaitServer,
			},
		})
		sc.Umask = &mask
		list = append(list, sc)
	}

	// rebind: a second server on the port of the first, at once. The
	// runner holds a connection to the first that sends nothing, so the
	// first server closes it on quit before the runner does: that
	// connection stays on the port (FIN_WAIT_2, then TIME_WAIT), and only
	// SO_REUSEADDR lets the second server bind.
	held := runner.Step{Label: "server", Program: "sock_server", Background: true, Ready: readyHeldConnection()}
	second := runner.Step{Label: "server 2", Program: "sock_server", Background: true, Ready: runner.ReadyLine()}
	list = append(list, sockTCP.scenario(runner.Scenario{
		Name: "rebind",
		About: "a session in which the runner holds a silent connection, which the server closes on quit; then " +
			"at once a second server on the same port, where that connection still waits to end (FIN_WAIT_2): " +
			"the second binds only thanks to SO_REUSEADDR",
		Roles: roles, Probes: []runner.Probe{heldConnectionProbe},
		Steps: []runner.Step{held, client("client", "hello"), quit, awaitServer,
			second, client("client 2", "again"), client("quit 2", "quit"), {Await: true, Target: "server 2"}},
	}))

	// pathOf names a Unix socket of n bytes (relative to the run's directory).
	pathOf := func(n int) string { return strings.Repeat("p", n) }
	list = append(list,
		sockUnix.scenario(runner.Scenario{
			Name:  "stale-socket",
			About: "server_socket left behind by an earlier run: bind fails with EADDRINUSE and the server leaves the file alone",
			Roles: []string{"sock_server"}, Setup: staleSocket,
			Steps: []runner.Step{{Label: "server", Program: "sock_server"}},
		}),
		sockUnix.scenario(runner.Scenario{
			Name:  "stale-socket-client",
			About: "server_socket left behind and no server: connect fails with ECONNREFUSED",
			Roles: []string{"sock_client"}, Setup: staleSocket,
			Steps: []runner.Step{client("client", "hello")},
		}),
		sockTCP.scenario(runner.Scenario{
			Name:  "port-in-use",
			About: "another socket listens on the port: bind fails with EADDRINUSE (SO_REUSEADDR does not change that)",
			Roles: []string{"sock_server"}, Setup: portInUse, Probes: []runner.Probe{portInUseProbe},
			Steps: []runner.Step{{Label: "server", Program: "sock_server"}},
		}),
		runner.Scenario{
			Mechanism: "sock", Name: "unix-path-107",
			About: "a socket path of 107 bytes, the longest that sun_path (108 bytes) holds with its NUL: a whole session",
			Roles: roles, IPCName: "unix:" + pathOf(107),
			Steps: []runner.Step{server, client("client", "hello"), quit, awaitServer},
		},
		runner.Scenario{
			Mechanism: "sock", Name: "unix-path-108",
			About: "a socket path of 108 bytes leaves no room for the NUL: both programs refuse it with ENAMETOOLONG " +
				"(sock.c checks the length rather than cut the path with strncpy)",
			Roles: roles, IPCName: "unix:" + pathOf(108),
			Steps: []runner.Step{{Label: "server", Program: "sock_server"}, client("client", "hello")},
		},
		runner.Scenario{
			Mechanism: "sock", Name: "unix-server-killed",
			About: "the server killed by SIGTERM while it waits in poll: its socket file stays behind (the runner removes it)",
			Roles: []string{"sock_server"},
			Steps: []runner.Step{server, inPoll, {Signal: "SIGTERM", Target: "server"}, awaitServer},
		},
		runner.Scenario{
			Mechanism: "sock", Name: "unix-server-killed-after-client",
			About: "as unix-server-killed after one client: C's stdout is a pipe, so the line the server printed " +
				"is still in its stdio buffer when SIGTERM ends it (see stdio-buffer-lost-on-kill)",
			Roles: roles,
			Steps: []runner.Step{server, client("client", "hello"), inPoll, {Signal: "SIGTERM", Target: "server"}, awaitServer},
		},
		runner.Scenario{
			Mechanism: "sock", Name: "client-usage",
			About: "a client with no message or two: it prints its usage and returns EXIT_FAILURE",
			Roles: []string{"sock_client"},
			Steps: []runner.Step{client("no message"), client("two messages", "a", "b")},
		},
		runner.Scenario{
			Mechanism: "sock", Name: "bad-ipc-name",
			About: "IPC_NAME that names no address: EINVAL (ENOENT for an empty path), printed as perror(\"IPC_NAME\")",
			Roles: []string{"sock_client"},
			Steps: []runner.Step{
				badName("unix:"), badName("udp:127.0.0.1:80"), badName("server_socket"), badName("tcp:127.0.0.1"),
				badName("tcp:127.0.0.1:"), badName("tcp:127.0.0.1:65536"), badName("tcp:127.0.0.1:+80"),
				badName("tcp:127.0.0.01:80"), badName("tcp:127.0.0:80"), badName("tcp:localhost:80"),
				badName("tcp:1234567890123456:80"),
			},
		},
	)
	return list
}

// sockSeen holds what readySockSeen noted.
var sockSeen = &seenNotes{name: "the socket file's mode while the server ran"}

// readySockSeen holds once the server has printed its ready line; it then
// notes the kind and permission bits of the file at the run's Unix socket
// path: "seen: socket server_socket mode 0755".
func readySockSeen() runner.Ready {
	return runner.Ready{What: "a line on stdout (the socket file's mode noted)", Check: func(r *runner.Run, p *runner.Process) (bool, error) {
		if !strings.Contains(p.Stdout(), "\n") {
			return false, nil
		}
		path := "server_socket"
		if rest, ok := strings.CutPrefix(r.IPCName, "unix:"); ok {
			path = rest
		}
		sockSeen.note(r, "seen: "+describeFile(filepath.Join(r.Dir, path), r.Normalize(path)))
		return true, nil
	}}
}

// sockBacklogTries is how many connections the backlog scenario tries:
// more than a server serves at once (SOCK_MAX_CLIENTS, 16), so that a
// backlog of that order is caught too.
const sockBacklogTries = 64

// sockBacklog holds what readyBacklog noted.
var sockBacklog = &seenNotes{name: "how many connections the stopped server's backlog took"}

// sockPath is the run's Unix socket file, on the host's side.
func sockPath(r *runner.Run) string {
	path := "server_socket"
	if rest, ok := strings.CutPrefix(r.IPCName, "unix:"); ok {
		path = rest
	}
	return filepath.Join(r.Dir, path)
}

// readyBacklog connects to the run's Unix socket up to tries times
// without waiting (a full backlog gives EAGAIN), notes how many
// connections the listening socket took ("seen: the stopped server's
// backlog took 64 of 64 connections") and closes them: each waits on to
// be accepted, and its server then reads end of file.
func readyBacklog(tries int) runner.Ready {
	return runner.Ready{What: "the runner's connections tried (how many the backlog took noted)", Check: func(r *runner.Run, _ *runner.Process) (bool, error) {
		var fds []int
		defer func() {
			for _, fd := range fds {
				unix.Close(fd)
			}
		}()
		for len(fds) < tries {
			fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				return false, err
			}
			err = unix.Connect(fd, &unix.SockaddrUnix{Name: sockPath(r)})
			if err == unix.EAGAIN {
				unix.Close(fd)
				break
			}
			if err != nil {
				unix.Close(fd)
				return false, err
			}
			fds = append(fds, fd)
		}
		sockBacklog.note(r, fmt.Sprintf("seen: the stopped server's backlog took %d of %d connections", len(fds), tries))
		return true, nil
	}}
}

// readyGoneClient connects to the run's Unix socket, sends msg and closes
// the connection, all at once: the server reads msg, then end of file,
// from a peer that is gone.
func readyGoneClient(msg string) runner.Ready {
	return runner.Ready{What: "the runner's connection made, " + msg + " sent and closed", Check: func(r *runner.Run, _ *runner.Process) (bool, error) {
		fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return false, err
		}
		defer unix.Close(fd)
		if err := unix.Connect(fd, &unix.SockaddrUnix{Name: sockPath(r)}); err != nil {
			return false, err
		}
		if _, err := unix.Write(fd, []byte(msg)); err != nil {
			return false, err
		}
		return true, nil
	}}
}

// heldConnections holds, per run, the connection that
// readyHeldConnection made.
var heldConnections sync.Map // *runner.Run → int

// readyHeldConnection holds once the server has printed its ready line and
// the runner has connected to the run's TCP address; the runner keeps the
// connection, silent, until the run is cleaned up (heldConnectionProbe).
func readyHeldConnection() runner.Ready {
	return runner.Ready{What: "a line on stdout (the runner then holds a connection)", Check: func(r *runner.Run, p *runner.Process) (bool, error) {
		if !strings.Contains(p.Stdout(), "\n") {
			return false, nil
		}
		var port int
		if _, err := fmt.Sscanf(r.IPCName, "tcp:127.0.0.1:%d", &port); err != nil {
			return false, fmt.Errorf("IPC_NAME %q: %w", r.IPCName, err)
		}
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return false, err
		}
		if err := unix.Connect(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port}); err != nil {
			unix.Close(fd)
			return false, err
		}
		heldConnections.Store(r, fd)
		return true, nil
	}}
}

// heldConnectionProbe closes readyHeldConnection's connection when the run
// is cleaned up; it finds nothing, the connection being the runner's own.
var heldConnectionProbe = runner.Probe{
	Name: "the connection the runner holds",
	Find: func(*runner.Run) []string { return nil },
	Clean: func(r *runner.Run) {
		if fd, ok := heldConnections.LoadAndDelete(r); ok {
			unix.Close(fd.(int))
		}
	},
}

// A sockTransport is the kind of socket a scenario runs on.
type sockTransport struct {
	name string
	// setup gives the run its address.
	setup func(r *runner.Run) error
	// noServer is connect's errno with nobody at the address.
	noServer string
}

var (
	sockUnix = sockTransport{name: "unix", noServer: "ENOENT"}
	sockTCP  = sockTransport{name: "tcp", setup: freePort, noServer: "ECONNREFUSED"}
)

// scenario completes sc for the transport: its mechanism, a name that
// starts with the transport's, and the transport's setup before sc's own.
func (tr sockTransport) scenario(sc runner.Scenario) runner.Scenario {
	sc.Mechanism = "sock"
	sc.Name = tr.name + "-" + sc.Name
	if own, setup := sc.Setup, tr.setup; setup != nil {
		sc.Setup = func(r *runner.Run) error {
			if err := setup(r); err != nil {
				return err
			}
			if own != nil {
				return own(r)
			}
			return nil
		}
	}
	return sc
}

// badName is a client run with IPC_NAME set to name.
func badName(name string) runner.Step {
	return runner.Step{Label: "IPC_NAME=" + name, Program: "sock_client", Args: []string{"hello"}, Env: []string{"IPC_NAME=" + name}}
}

// loopbackSocket returns a TCP socket (close-on-exec, so that no program
// inherits it) bound to a port of 127.0.0.1 that the kernel picks, and the
// port.
func loopbackSocket() (int, int, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, 0, err
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	return fd, sa.(*unix.SockaddrInet4).Port, nil
}

// freePort sets the run's IPC_NAME to a port of 127.0.0.1 that was free a
// moment ago: the kernel picked it for a socket that is closed again at
// once. Each run gets its own, so that runs side by side never collide.
func freePort(r *runner.Run) error {
	fd, port, err := loopbackSocket()
	if err != nil {
		return err
	}
	unix.Close(fd)
	r.IPCName = fmt.Sprintf("tcp:127.0.0.1:%d", port)
	return nil
}

// staleSocket leaves server_socket in the run's directory as a server
// that ended without removing it would: a socket bound there and closed.
func staleSocket(r *runner.Run) error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Bind(fd, &unix.SockaddrUnix{Name: filepath.Join(r.Dir, "server_socket")})
}

// portListeners holds, per run, the socket that portInUse left listening.
var portListeners sync.Map // *runner.Run → int

// portInUse listens on a free port of 127.0.0.1 (in the runner, for the
// whole run) and gives that port to the run.
func portInUse(r *runner.Run) error {
	fd, port, err := loopbackSocket()
	if err != nil {
		return err
	}
	if err := unix.Listen(fd, 1); err != nil {
		unix.Close(fd)
		return err
	}
	portListeners.Store(r, fd)
	r.IPCName = fmt.Sprintf("tcp:127.0.0.1:%d", port)
	return nil
}

// portInUseProbe closes portInUse's socket when the run is cleaned up; it
// finds nothing, the socket being the runner's own.
var portInUseProbe = runner.Probe{
	Name: "the socket that holds the port",
	Find: func(*runner.Run) []string { return nil },
	Clean: func(r *runner.Run) {
		if fd, ok := portListeners.LoadAndDelete(r); ok {
			unix.Close(fd.(int))
		}
	},
}
