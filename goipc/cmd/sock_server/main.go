//go:build linux

// Command sock_server is the pure-Go form of sock_server in c_reference/sock.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.SockServerMain(os.Args)) }
