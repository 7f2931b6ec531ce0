//go:build !linux

package main

import (
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/report"
)

func main() { report.Unsupported("pipe", goipc.ErrNotSupported) }
