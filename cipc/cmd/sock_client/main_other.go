//go:build !cgo || !linux

package main

import (
	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/internal/report"
)

func main() { report.Unsupported("sock_client", cipc.ErrNoCgo) }
