// Package runner carries out one run: a scenario's processes under one
// pairing of forms (C, cgo, Go or a user's command), each run in its own
// directory, environment and deadline, with stdout, stderr and the errno
// side channel captured, and what the run left behind listed. It knows
// nothing of what the outcome should be: package judge compares outcomes.
// The benchmarks (package bench) start their processes through it too.
//
// Linux only.
package runner
