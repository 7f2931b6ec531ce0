//go:build linux

// Command sock_client is the pure-Go form of sock_client in c_reference/sock.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.SockClientMain(os.Args)) }
