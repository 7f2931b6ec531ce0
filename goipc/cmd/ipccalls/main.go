//go:build linux

// Command ipccalls interprets a call script (testdata/calls) on goipc and
// prints its transcript: ipccalls FILE. make builds it without cgo, so
// that goipc's calls never share a process with glibc.
package main

import (
	"runtime"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/callscript"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// init keeps main on the main thread, and makes it the thread that takes
// the script's signals: a call that a signal interrupts is the script's.
func init() {
	runtime.LockOSThread()
	callscript.KeepSignalsOnMain()
}

func main() { callscript.Main(goside.API(), compare.Calls()) }
