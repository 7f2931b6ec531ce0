//go:build linux

package compare

import "strings"

// The pipe program's scenarios (c_reference/pipe.c).
func init() {
	one := func(name, about string, args []string, stdout StdoutMode) Scenario {
		return Scenario{
			Mechanism: "pipe", Name: name, About: about,
			Roles: []string{"pipe"},
			Steps: []Step{{Program: "pipe", Args: args, Stdout: stdout}},
		}
	}
	register(
		one("default", "the notes' program: Hello World! through the pipe", nil, StdoutCaptured),
		one("empty", "an empty message: only the newline", []string{""}, StdoutCaptured),
		one("one-byte", "a 1-byte message", []string{"x"}, StdoutCaptured),
		one("65535", "one byte less than the pipe buffer", []string{strings.Repeat("a", 65535)}, StdoutCaptured),
		one("65536", "exactly the pipe buffer", []string{strings.Repeat("b", 65536)}, StdoutCaptured),
		one("65537", "one byte more than the pipe buffer: the parent's write blocks until the child reads", []string{strings.Repeat("c", 65537)}, StdoutCaptured),
		one("longest-argument", "131071 bytes, the longest string one argument can carry (MAX_ARG_STRLEN less the NUL)", []string{longestArgument()}, StdoutCaptured),
		one("not-utf8", "bytes that are not UTF-8 pass through unchanged", []string{"\xff\xfe\x80caf\xe9 \xc3\x28"}, StdoutCaptured),
		one("stdout-closed", "descriptor 1 closed: the child's writes fail with EBADF (a Go runtime reopens 0-2 on /dev/null at start)", nil, StdoutClosed),
		one("stdout-broken", "stdout a pipe whose reader has gone: the child's first write raises SIGPIPE", nil, StdoutBroken),
		one("stdout-broken-long", "stdout gone and a message longer than the pipe buffer: once the child is dead the parent's write raises SIGPIPE too", []string{strings.Repeat("d", 100000)}, StdoutBroken),
	)
}

// longestArgument is the longest string execve accepts as one argument:
// MAX_ARG_STRLEN (32 pages of 4096 bytes) counts the terminating NUL.
func longestArgument() string { return strings.Repeat("L", 32*4096-1) }
