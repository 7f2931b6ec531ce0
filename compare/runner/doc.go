// Package runner carries out one run: a scenario's processes under one
// pairing of forms (C, cgo, Go or a user's command), with stdout, stderr
// and the errno side channel captured, and what the run left behind
// listed. Each run is a sandbox (package internal/sandbox): an init of its
// own in new PID, IPC, mount and network namespaces, with the run's own
// directory, a private /dev/shm and queue file system, loopback only, a
// deadline, and limits on output, memory and processes; when the init
// ends, the kernel ends whatever the run left. Where namespaces cannot be
// made, the runner says so and falls back to a process group, a private
// directory and token-named objects (see Sandboxed).
//
// It knows nothing of what the outcome should be: package judge compares
// outcomes. The benchmarks (package bench) start their processes through
// it too.
//
// Linux only.
package runner
