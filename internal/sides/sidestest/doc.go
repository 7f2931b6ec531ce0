// Package sidestest holds the unit tests that cipc and goipc share,
// written once against a sides.API: TestPipe, TestFIFO, TestMq, TestShm,
// TestSem, TestSock and TestErrors each take a *testing.T and the side to
// test, and the packages' own tests call them with cside.API() and
// goside.API(). TestSemAcrossProcesses takes several sides and runs every
// pairing of them across processes.
//
// It also holds the helper-process machinery of the packages' tests, in
// the style of os/exec's: one TestMain (Main) per package with a registry
// of helper commands, StartHelper to run one in a child process, and a
// failure for an unknown helper or for a registered helper that no test
// started.
//
// The tests do not call t.Parallel at their top level: a caller runs them
// from a sequential Test function, and they run their independent cases
// in parallel subtests and their cases that change process state (the
// umask, signal handlers, a thread's uid) inline, while no parallel case
// of theirs runs. A caller must not run them from a parallel test.
//
// Linux only: every other file of the package is built for Linux alone.
package sidestest
