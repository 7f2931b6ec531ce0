//go:build linux

// Command fifo_reader is the pure-Go form of fifo_reader in c_reference/fifo.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.FifoReaderMain(os.Args)) }
