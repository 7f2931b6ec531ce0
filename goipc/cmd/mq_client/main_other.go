//go:build !linux

package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	fmt.Fprintln(os.Stderr, "mq_client: Linux only: not supported on", runtime.GOOS)
	os.Exit(2)
}
