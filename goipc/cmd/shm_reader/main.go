//go:build linux

// Command shm_reader is the pure-Go form of shm_reader in c_reference/shm.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.ShmReaderMain(os.Args)) }
