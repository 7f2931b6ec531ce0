//go:build linux

package cbench

/*
#cgo CFLAGS: -O2 -Wall -Wextra
#cgo LDFLAGS: -lrt -pthread
#include <stdlib.h>
#include "bench.h"
*/
import "C"

import "unsafe"

// Main runs ipcbench_main, the entry point of the C form, on args (args[0]
// included) and returns its status.
func Main(args []string) int {
	argv := C.malloc(C.size_t(len(args)+1) * C.size_t(unsafe.Sizeof(uintptr(0))))
	defer C.free(argv)
	v := unsafe.Slice((**C.char)(argv), len(args)+1)
	for i, a := range args {
		v[i] = C.CString(a)
		defer C.free(unsafe.Pointer(v[i]))
	}
	v[len(args)] = nil
	return int(C.ipcbench_main(C.int(len(args)), (**C.char)(argv)))
}

// Nop calls the C function bench_nop, which returns x: the cost of one cgo
// call is the bench "call" of the cgo form.
func Nop(x int32) int32 { return int32(C.bench_nop(C.int(x))) }

// Warmup is bench_warmup: the untimed iterations before iters timed ones.
func Warmup(iters int) int { return int(C.bench_warmup(C.long(iters))) }
