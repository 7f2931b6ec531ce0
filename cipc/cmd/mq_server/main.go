//go:build linux

// Command mq_server is the cgo form of mq_server in c_reference/mq.c: a Go
// process that calls the C program through package cipc.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(cipc.MqServerMain(os.Args)) }
