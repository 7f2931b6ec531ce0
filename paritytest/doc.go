// Package paritytest runs ipcparity's comparisons from go test: a port of
// one of the notes' programs, verified against the C reference scenario by
// scenario, each scenario a subtest, and call scripts run on cipc and
// goipc, each script a subtest.
//
// A port's test file needs three lines besides its imports:
//
//	func TestMain(m *testing.M) { paritytest.Main(m) }
//
//	func TestPort(t *testing.T) { paritytest.Verify(t, "pipe", "./my-pipe") }
//
// TestMain hands the process over when it is the init of a sandboxed run
// (each run is this test binary again, in namespaces of its own; see the
// README's Isolation). A TestMain that does more calls [Init] first thing
// instead.
//
// [Verify] runs every scenario of the program (ipcparity list names them)
// with the command in the program's place and C in the other roles, and
// compares each with C alone: the same as ipcparity verify. Each scenario is
// a subtest named MECHANISM/NAME, so that
//
//	go test -run 'TestPort/pipe/(default|65536)$'
//
// runs two of them, and they run in parallel (up to -parallel) when runs are
// sandboxed. A scenario that disagrees fails with the report that ipcparity
// verify prints: the table, how to run the case by hand and what differs
// from C, field by field. The known differences of the port's language
// apply to it: a Go binary is recognised, and [Options].Lang says the
// language of anything else (a script that execs a Go binary). [Calls]
// runs call scripts (testdata/calls/*.calls in this module) the way
// ipcparity calls does, a subtest per file.
//
// # The C reference and what is skipped
//
// The reference is the native C of this module, bin/c/PROGRAM. Unless
// [Options].Bin or the environment variable IPCPARITY_BIN names a directory
// laid out as make build lays out bin/ (c/, and cgo/ and go/ with
// ipccalls for [Calls]), paritytest builds what it needs once per test
// binary into the user cache directory (os.UserCacheDir()/ipcparity),
// from the source of the version of this module that the test is built
// with (go list -m): the C with this module's Makefile (make, and cc or
// $CC), the call-script interpreters with go build. The build is
// incremental and locked, so that packages tested at once share it.
//
// A test skips, with the reason, where this cannot work:
//
//   - no make or C compiler in PATH (Verify), or cgo disabled (Calls: the
//     cipc side is C called through cgo);
//   - no go command in PATH to find this module's source (go test puts its
//     own first in PATH, so this is rare);
//   - runs cannot be sandboxed (a kernel older than 5.12, or unprivileged
//     user namespaces disabled while not root): set IPCPARITY_NO_SANDBOX=1
//     to run without the sandbox instead, one run at a time, with the
//     fallback's weaker isolation; scenarios and scripts that set sysctls
//     skip then.
//
// A directory given in Options.Bin or IPCPARITY_BIN that lacks a binary,
// a build that fails, a command that does not exist and an unknown program
// fail the test instead.
//
// Linux only: every other file of the package is built for Linux alone, so
// a port's test file that uses it carries //go:build linux.
package paritytest
