//go:build linux

package cipc

/*
#include <stdio.h>
#include <string.h>

// strerror may format an unknown errno into a buffer of the calling
// thread; copying within the same C call keeps it from changing under us.
static void cipc_strerror(int e, char *buf, size_t n) {
	snprintf(buf, n, "%s", strerror(e));
}
*/
import "C"

import "golang.org/x/sys/unix"

// Strerror returns glibc's strerror(3) text for errno e in the C locale
// (a Go program never calls setlocale).
func Strerror(e unix.Errno) string {
	var buf [256]C.char
	C.cipc_strerror(C.int(e), &buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0])
}
