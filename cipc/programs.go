//go:build linux

package cipc

// The warnings of the Makefile for every C of the package (cgo applies a
// package's CFLAGS to all its files); make check adds -Werror.

/*
#cgo CFLAGS: -Wall -Wextra
#include <stdlib.h>
#include "run.h"
*/
import "C"

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// CallMain calls a C function with the signature of main() (a program of
// package creference, or cbench's ipcbench_main) with a C copy of args
// (args[0] included) and returns its status and, when the status is not 0,
// the errno it left. A child that the function forks never returns into
// Go: it flushes stdio and leaves with _exit.
func CallMain(program *[0]byte, args []string) (int, error) {
	argv := C.malloc(C.size_t(len(args)+1) * C.size_t(unsafe.Sizeof(uintptr(0))))
	defer C.free(argv)
	v := unsafe.Slice((**C.char)(argv), len(args)+1)
	for i, a := range args {
		v[i] = C.CString(a)
		defer C.free(unsafe.Pointer(v[i]))
	}
	v[len(args)] = nil
	var cerr C.int
	status := int(C.cipc_run(program, C.int(len(args)), (**C.char)(argv), &cerr))
	if status != 0 && cerr != 0 {
		return status, unix.Errno(cerr)
	}
	return status, nil
}
