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
