//go:build linux

// Command pipe is the pure-Go form of c_reference/pipe.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.PipeMain(os.Args)) }
