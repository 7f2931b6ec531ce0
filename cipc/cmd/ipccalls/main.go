//go:build linux

// Command ipccalls interprets a call script (testdata/calls) on cipc,
// glibc's calls through cgo, and prints its transcript: ipccalls FILE.
package main

import (
	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/callscript"
)

func main() { callscript.Main(callscript.SideC, compare.Calls()) }
