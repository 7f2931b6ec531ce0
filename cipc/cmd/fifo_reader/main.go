//go:build linux

// Command fifo_reader is the cgo form of fifo_reader in c_reference/fifo.c: a Go
// process that calls the C program through package cipc.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(cipc.FifoReaderMain(os.Args)) }
