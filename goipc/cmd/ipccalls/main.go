//go:build linux

// Command ipccalls interprets a call script (testdata/calls) on goipc and
// prints its transcript: ipccalls FILE. make builds it without cgo, so
// that goipc's calls never share a process with glibc.
package main

import (
	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/callscript"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

func main() { callscript.Main(goside.API(), compare.Calls()) }
