// Package compare ties the parity check together: Mechanisms is the one
// list of the mechanisms of the notes (pipe, FIFO, message queue, shared
// memory, sockets), each naming its programs, scenarios, call-script calls,
// probes, the leftovers it can leave and its benchmarks. The work is done
// by packages with one job each: runner carries out one run in its own
// directory and deadline, scenarios holds the cases, callscript parses and
// interprets call scripts, judge compares outcomes and reports them, and
// the command ipcparity (compare/cmd/ipcparity) drives them.
//
// Linux only: every other file of the package is built for Linux alone.
package compare
