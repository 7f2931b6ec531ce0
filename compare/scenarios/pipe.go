//go:build linux

package scenarios

import (
	"strings"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// The pipe program's scenarios (c_reference/pipe.c).
func Pipe() []runner.Scenario {
	one := func(name, about string, args []string, stdout runner.StdoutMode) runner.Scenario {
		return runner.Scenario{
			Mechanism: "pipe", Name: name, About: about,
			Roles: []string{"pipe"},
			Steps: []runner.Step{{Program: "pipe", Args: args, Stdout: stdout}},
		}
	}
	return []runner.Scenario{
		one("default", "the notes' program: Hello World! through the pipe", nil, runner.StdoutCaptured),
		one("empty", "an empty message: only the newline", []string{""}, runner.StdoutCaptured),
		one("one-byte", "a 1-byte message", []string{"x"}, runner.StdoutCaptured),
		one("65535", "one byte less than the pipe buffer", []string{strings.Repeat("a", 65535)}, runner.StdoutCaptured),
		one("65536", "exactly the pipe buffer", []string{strings.Repeat("b", 65536)}, runner.StdoutCaptured),
		one("65537", "one byte more than the pipe buffer: the parent's write blocks until the child reads", []string{strings.Repeat("c", 65537)}, runner.StdoutCaptured),
		one("longest-argument", "131071 bytes, the longest string one argument can carry (MAX_ARG_STRLEN less the NUL)", []string{longestArgument()}, runner.StdoutCaptured),
		one("not-utf8", "bytes that are not UTF-8 pass through unchanged", []string{"\xff\xfe\x80caf\xe9 \xc3\x28"}, runner.StdoutCaptured),
		one("stdout-closed", "descriptor 1 closed: the child's writes fail with EBADF (a Go runtime reopens 0-2 on /dev/null at start)", nil, runner.StdoutClosed),
		one("stdout-broken", "stdout a pipe whose reader has gone: the child's first write raises SIGPIPE", nil, runner.StdoutBroken),
		one("stdout-broken-long", "stdout gone and a message longer than the pipe buffer: once the child is dead the parent's write raises SIGPIPE too", []string{strings.Repeat("d", 100000)}, runner.StdoutBroken),
	}
}

// longestArgument is the longest string execve accepts as one argument:
// MAX_ARG_STRLEN (32 pages of 4096 bytes) counts the terminating NUL.
func longestArgument() string { return strings.Repeat("L", 32*4096-1) }
