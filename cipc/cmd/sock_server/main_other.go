//go:build !cgo || !linux

package main

import (
	"fmt"
	"os"

	"github.com/ipcparity/ipcparity/cipc"
)

func main() {
	fmt.Fprintln(os.Stderr, "sock_server:", cipc.ErrNoCgo)
	os.Exit(2)
}
