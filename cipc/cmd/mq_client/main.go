//go:build linux

// Command mq_client is the cgo form of mq_client in c_reference/mq.c: a Go
// process that calls the C program through package cipc.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(cipc.MqClientMain(os.Args)) }
