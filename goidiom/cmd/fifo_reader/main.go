//go:build linux

// Command fifo_reader is the idiomatic Go form of fifo_reader in
// c_reference/fifo.c: it creates the FIFO (IPC_NAME, default "named_pipe")
// with mode 0644 (less the umask), waits for a writer, copies the FIFO to
// standard output, then a newline, and removes the FIFO. When the FIFO
// cannot be made or opened it prints nothing and exits 1.
package main

import (
	"io"
	"os"
	"syscall"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/report"
)

// steps: fifo_reader

func main() {
	if err := run(); err != nil {
		report.Exit(1, err)
	}
}

func run() error {
	name := goidiom.FIFOName()
	if err := syscall.Mkfifo(name, 0o644); err != nil { // step 1: mkfifo
		return err // it exists already: EEXIST
	}

	f, err := os.Open(name) // waits until a writer opens the FIFO; step 2: open
	if err != nil {
		return err
	}

	io.Copy(os.Stdout, f)       // step 3: copy known:copy-in-chunks
	os.Stdout.WriteString("\n") // step 4: newline

	f.Close()       // step 5: close
	os.Remove(name) // step 6: unlink
	return nil
}
