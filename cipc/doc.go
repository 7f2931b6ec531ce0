// Package cipc calls the C in c_reference from Go through cgo: the libc
// primitives (pipe, mq_open, shm_open, sem_open, ...) with the same Go
// signatures as package goipc (internal/sides declares them once, so the
// compiler checks that the two agree), and the C reference programs
// themselves, which package creference compiles from c_reference/.
//
// Errors are unix.Errno values taken from C's errno.
//
// Linux only, and cgo only: every other file of the package is built for
// Linux alone, and it needs a C compiler.
package cipc
