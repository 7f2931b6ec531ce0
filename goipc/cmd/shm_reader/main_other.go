//go:build !linux

package main

import (
	"fmt"
	"os"
	"runtime"
)

func main() {
	fmt.Fprintln(os.Stderr, "shm_reader: Linux only: not supported on", runtime.GOOS)
	os.Exit(2)
}
