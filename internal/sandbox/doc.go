// Package sandbox runs a job of the current binary as the init (PID 1) of
// new PID, IPC, mount and network namespaces, plus a user namespace when the
// caller is not root, so that everything a run starts dies with it, sees a
// private /dev/shm and message-queue namespace and a loopback-only network,
// and cannot write outside its own run directory.
//
// The package is Linux only: on other systems it is empty.
//
// A binary that uses Run calls Main first thing in main (and in TestMain).
// Run re-executes /proc/self/exe with an environment marker; in the new
// process Main recognises the marker, sets the namespaces up, runs the named
// Job, writes its result back on a descriptor and exits. When the init exits
// the kernel kills every other process of its PID namespace.
//
// Processes a job starts must be started with Start or StartProcess: these
// apply the memory and process limits (through a short exec trampoline, so
// that limits never apply to the init itself) and keep the init's orphan
// reaper away from the job's own children.
package sandbox
