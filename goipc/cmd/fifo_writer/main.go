//go:build linux

// Command fifo_writer is the pure-Go form of fifo_writer in c_reference/fifo.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.FifoWriterMain(os.Args)) }
