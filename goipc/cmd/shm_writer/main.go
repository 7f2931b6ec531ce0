//go:build linux

// Command shm_writer is the pure-Go form of shm_writer in c_reference/shm.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.ShmWriterMain(os.Args)) }
