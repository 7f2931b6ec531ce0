//go:build linux

// Command sock_server is the cgo form of sock_server in c_reference/sock.c: a Go
// process that calls the C program through package cipc.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(cipc.SockServerMain(os.Args)) }
