// Package report is the errno side channel between a program and the
// ipcparity runner. When a program fails, it tells the runner the errno of
// the call that made it fail, so that the runner can compare it with C's
// while stdout and stderr stay exactly the program's own.
//
// A Go port calls [Exit] where C's main returns (report.Exit(1, err)); a port
// that exits by other means can call [Errno] first.
//
// # The line format, for ports in any language
//
// The runner puts the number of a descriptor, open for writing, in the
// environment variable IPCPARITY_REPORT_FD ([EnvFD]; the runner sets it to
// 3). A program that exits with a status other than 0 writes, before it
// exits, one line to that descriptor:
//
//	{"errno":N}
//
// N is the errno in decimal (2 for ENOENT on Linux), the JSON object has
// that one member, and the line ends with a newline. Only the last line
// written counts, and N = 0, a line that is not this JSON, or no line at
// all mean that the program reports no errno. A program run without
// IPCPARITY_REPORT_FD writes nothing. In C (this module's own thin mains do
// this, in c_reference/report.c):
//
//	const char *fd = getenv("IPCPARITY_REPORT_FD");
//	if (status != 0 && err != 0 && fd != NULL)
//		dprintf(atoi(fd), "{\"errno\":%d}\n", err);
//
// In a shell script, with the errno at hand: [ -n "$IPCPARITY_REPORT_FD" ]
// && echo '{"errno":2}' >&"$IPCPARITY_REPORT_FD".
//
// ipcparity compares errno only for a port that says it reports it:
//
//	ipcparity verify --errno PROGRAM -- ./my-port
//
// Without --errno the errno of the port's processes is left out of the
// comparison, and the report notes each scenario where C's was set.
//
// The package builds on Linux only; this file is the package's one
// unconstrained file.
package report
