// Package cbench compiles the C benchmarks of this directory with cgo for
// the cgo form of ipcbench (cipc/cmd/ipcbench), which runs the very same C
// functions as the native binary bin/bench/ipcbench.
//
// The C is compiled here, where it lives, so that Go's build cache sees
// every edit; main.c, the native binary's main(), is left out of the Go
// build.
//
// Linux only.
package cbench
