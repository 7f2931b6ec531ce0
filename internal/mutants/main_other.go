//go:build !linux

package main

import (
	"fmt"
	"os"
)

// main says that the tool needs Linux: a command needs a main on every
// system that builds ./... (make check builds it for darwin).
func main() {
	fmt.Fprintln(os.Stderr, "mutants: Linux only")
	os.Exit(2)
}
