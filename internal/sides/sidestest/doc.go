// Package sidestest holds the unit tests that cipc and goipc share,
// written once against a sides.API: TestPipe, TestFIFO, TestMq, TestShm,
// TestSem, TestSock and TestErrors each take a *testing.T and the side to
// test, and the packages' own tests call them with cside.API() and
// goside.API(). TestSemAcrossProcesses takes several sides and runs every
// pairing of them across processes.
//
// The helper processes of TestSemAcrossProcesses are SemHelpers, which a
// package's TestMain registers with testhelper.Main.
//
// The tests do not call t.Parallel at their top level: a caller runs them
// from a sequential Test function, and they run their independent cases
// in parallel subtests and their cases that change process state (the
// umask, signal handlers, a thread's uid) inline, while no parallel case
// of theirs runs. A caller must not run them from a parallel test.
//
// Linux only: every other file of the package is built for Linux alone.
package sidestest
