//go:build linux

// Command fifo_writer is the idiomatic Go form of fifo_writer in
// c_reference/fifo.c: it opens the FIFO (IPC_NAME, default "named_pipe")
// for writing, which waits for a reader, and writes the message (the first
// argument, default "Hello World", without "!" as in the notes). It prints
// nothing; when the FIFO cannot be opened it exits 1.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/report"
)

// steps: fifo_writer

func main() {
	if err := run(os.Args); err != nil {
		report.Exit(1, err)
	}
}

func run(args []string) error {
	msg := "Hello World"
	if len(args) > 1 {
		msg = args[1]
	}

	f, err := os.OpenFile(goidiom.FIFOName(), os.O_WRONLY, 0) // waits until a reader opens the FIFO; step 1: open
	if err != nil {
		return err // no FIFO: ENOENT
	}
	defer f.Close() // step 3: close

	// As in the C, the write is not checked: a reader that has gone makes
	// it fail (EPIPE), and the writer still exits 0.
	f.WriteString(msg) // step 2: write known:sigpipe-other-fd
	return nil
}
