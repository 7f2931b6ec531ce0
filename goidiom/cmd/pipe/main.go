//go:build linux

// Command pipe is the idiomatic Go form of c_reference/pipe.c: the parent
// writes the message (the first argument, default "Hello World!") into a
// pipe, and a child copies the pipe to standard output, then a newline.
//
// Go has no fork: the child is this program run again with os/exec, the
// pipe's read end as its standard input, told apart from the parent by the
// environment variable GOIDIOM_PIPE_CHILD. It copies with io.Copy, in
// chunks of up to 32 KiB, where the C reads one byte at a time.
package main

import (
	"io"
	"os"
	"os/exec"

	"github.com/ipcparity/ipcparity/report"
)

// steps: pipe

// childEnv marks the child in its environment.
const childEnv = "GOIDIOM_PIPE_CHILD"

func main() {
	if os.Getenv(childEnv) == "1" {
		child()
		return
	}
	if err := parent(os.Args); err != nil {
		report.Exit(1, err)
	}
}

// parent creates the pipe, starts the child on its read end, writes the
// message and waits for the child.
func parent(args []string) error {
	msg := "Hello World!"
	if len(args) > 1 {
		msg = args[1]
	}

	r, w, err := os.Pipe() // step 1: pipe
	if err != nil {
		return err
	}

	// os.Executable, not os.Args[0]: the caller chose argv[0], the kernel
	// knows which binary this is.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self) // step 2: fork known:fork
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin = r
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	r.Close() // the child has its own copy; step 3: close-read

	// As in the C, the write is not checked: a child that has gone makes
	// it fail (EPIPE), and the parent still closes, waits and exits 0.
	w.WriteString(msg) // step 4: write known:sigpipe-other-fd
	w.Close()          // the child sees end of file; step 5: close-write

	// The C's wait(NULL) does not look at how the child ended.
	cmd.Wait() // step 6: wait
	return nil
}

// child copies its standard input, the pipe, to standard output and ends
// the line.
func child() {
	// step 7: child-close-write none: os.Pipe is close-on-exec, the child has no write end
	io.Copy(os.Stdout, os.Stdin) // step 8: copy
	os.Stdout.WriteString("\n")  // step 9: newline
	// step 10: child-close-read none: its stdin closes when it exits
}
