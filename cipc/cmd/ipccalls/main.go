//go:build linux

// Command ipccalls interprets a call script (testdata/calls) on cipc,
// glibc's calls through cgo, and prints its transcript: ipccalls FILE.
// Error texts are glibc's strerror.
package main

import (
	"runtime"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/callscript"
	"github.com/ipcparity/ipcparity/internal/sides/cside"
)

// init keeps main on the main thread, and makes it the thread that takes
// the script's signals: a call that a signal interrupts is the script's.
func init() {
	runtime.LockOSThread()
	callscript.KeepSignalsOnMain()
}

func main() { callscript.Main(cside.API(), compare.Calls()) }
