//go:build linux

// Command mq_server is the pure-Go form of mq_server in c_reference/mq.c.
package main

import (
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

func main() { report.Exit(goipc.MqServerMain(os.Args)) }
