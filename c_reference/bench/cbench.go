//go:build linux

package cbench

/*
#cgo CFLAGS: -O2 -Wall -Wextra
#cgo LDFLAGS: -lrt -pthread
#include "bench.h"
*/
import "C"

// Main is ipcbench_main, the entry point of the C form, for cipc.CallMain.
var Main = (*[0]byte)(C.ipcbench_main)

// Nop calls the C function bench_nop, which returns x: the cost of one cgo
// call is the bench "call" of the cgo form.
func Nop(x int32) int32 { return int32(C.bench_nop(C.int(x))) }

// Warmup is bench_warmup: the untimed iterations before iters timed ones.
func Warmup(iters int) int { return int(C.bench_warmup(C.long(iters))) }
