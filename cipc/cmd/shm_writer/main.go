//go:build linux

// Command shm_writer is the cgo form of shm_writer in c_reference/shm.c: a Go
// process that calls the C program through package cipc.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(cipc.ShmWriterMain(os.Args)) }
