//go:build linux

// Command pipe is the cgo form of c_reference/pipe.c: a Go process that
// calls the C program through package cipc.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(cipc.PipeMain(os.Args)) }
