//go:build linux

package trace

import "slices"

// A KnownDifference is a way in which a language's programs truly make
// other system calls than C's for the same IPC, with its reason: the trace
// level's counterpart of judge.KnownDifferences. Read recognises exactly
// the calls Go makes instead (Calls says which) and writes them as C's,
// and names the entry in Process.Known; any other way still differs.
type KnownDifference struct {
	ID     string
	Langs  []string
	Reason string
	// Calls says what the language's programs call instead of C's calls.
	Calls string
	// Scenarios are "mechanism/name" of scenarios that show it.
	Scenarios []string
	// Reported is set for a difference in what the processes do, not in
	// how (a Go process goes on where C's dies): in its scenarios, a
	// pairing with a form of its languages has its calls reported, not
	// judged, since they differ from there on. The outcome is still held
	// to C's, with its own known differences.
	Reported bool
}

// Known is the one list of the known differences at the level of system
// calls.
var Known = []KnownDifference{
	{
		ID:    "fork",
		Langs: []string{"go"},
		Reason: "Go cannot fork (a forked Go runtime would have one thread and locks held by threads that no longer " +
			"exist): os.StartProcess runs the binary again, as goipc's pipe does (known difference fork)",
		Calls: `C's "fork() = child 1" is, in Go, pipe2([r, w], O_CLOEXEC) = 0, clone(flags=CLONE_VM|CLONE_PIDFD|` +
			`CLONE_VFORK|SIGCHLD, parent_tid=[pidfd]) = child 1, close(w), read(r, "", 8) = 0, close(r) (the pipe ` +
			`reports a failed exec); the child's first call is execve of its own binary; C's "wait4(-1, NULL, 0, ` +
			`NULL) = child 1" is waitid(P_PIDFD, pidfd, ..., WEXITED, ...) = 0 and close(pidfd)`,
		Scenarios: []string{"pipe/default"},
	},
	{
		ID:    "accept-peer-address",
		Langs: []string{"go"},
		Reason: "Go's accept asks for the peer's address: golang.org/x/sys/unix.Accept and package net pass a " +
			"buffer, and so does goipc.Accept, whose signature (the call scripts' API, shared with cipc) returns " +
			"the address; the notes' server passes NULL and ignores it, as goipc's program ignores what it gets",
		Calls:     `C's "accept(3, NULL, NULL) = 4" is, in Go, "accept(3, {sa_family=...}, [112 => N]) = 4" (accept4 with flags 0)`,
		Scenarios: []string{"sock/unix-default", "sock/tcp-default"},
	},
	{
		ID:    "empty-buffer",
		Langs: []string{"go"},
		Reason: "An empty Go slice has no address: goipc's Send (and a port's unix.Syscall of one) passes NULL " +
			"for a message of no bytes, where C passes a pointer to its empty string. With a length of 0 the " +
			"kernel reads nothing either way",
		Calls:     `C's "send(3, "", 0, MSG_NOSIGNAL) = 0" is, in Go, "send(3, NULL, 0, MSG_NOSIGNAL) = 0" (send and write, length 0 only)`,
		Scenarios: []string{"sock/unix-silent-client", "sock/tcp-silent-client"},
	},
	{
		ID:    "stdio-reopened",
		Langs: []string{"go", "cgo"},
		Reason: "The Go runtime opens /dev/null on a descriptor 0, 1 or 2 that a process starts without, so the " +
			"program's first descriptors are 3 and up where C's pipe takes the free 1: C's child then copies to " +
			"the pipe's read end and every write fails with EBADF, Go's writes to /dev/null. Neither shows in the " +
			"output, which is closed",
		Calls:     `C's "pipe([1, 3]) = 0" is, in Go, open("/dev/null", O_RDWR) = 1 at start, then "pipe([3, 4]) = 0"`,
		Scenarios: []string{"pipe/stdout-closed"},
		Reported:  true,
	},
	{
		ID:    "sigpipe",
		Langs: []string{"go", "cgo"},
		Reason: "A Go process has the runtime's SIGPIPE handler (known differences sigpipe-other-fd and " +
			"sigpipe-cgo-stdout): its write to a pipe without a reader fails with EPIPE and the program goes on " +
			"with its next calls where C dies of SIGPIPE, and its peer meets a reader that is still there",
		Calls:     `after C's last call, "write(N, ...) = -1 EPIPE (Broken pipe)" and the calls that follow it`,
		Scenarios: []string{"pipe/stdout-broken", "pipe/stdout-broken-long", "fifo/reader-stdout-broken", "fifo/reader-gone-long"},
		Reported:  true,
	},
}

// ReportedFor returns the entry (Reported) under which the calls of a
// pairing of scenario id ("mechanism/name") with forms in langs are
// reported and not judged; nil when there is none.
func ReportedFor(id string, langs []string) *KnownDifference {
	for i, kd := range Known {
		if kd.Reported && slices.Contains(kd.Scenarios, id) && slices.ContainsFunc(langs, func(l string) bool { return slices.Contains(kd.Langs, l) }) {
			return &Known[i]
		}
	}
	return nil
}

// KnownFor returns the IDs of the known differences of lang.
func KnownFor(lang string) []string {
	var ids []string
	for _, kd := range Known {
		if slices.Contains(kd.Langs, lang) {
			ids = append(ids, kd.ID)
		}
	}
	return ids
}
