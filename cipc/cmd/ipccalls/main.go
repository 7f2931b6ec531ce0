//go:build linux

// Command ipccalls interprets a call script (testdata/calls) on cipc,
// glibc's calls through cgo, and prints its transcript: ipccalls FILE.
// Error texts are glibc's strerror.
package main

import (
	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/callscript"
	"github.com/ipcparity/ipcparity/internal/sides/cside"
)

func main() { callscript.Main(cside.API(), compare.Calls()) }
