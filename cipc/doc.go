// Package cipc calls the C in c_reference from Go through cgo: the libc
// primitives (pipe, mq_open, shm_open, sem_open, ...) with the same Go
// signatures as package goipc, and the C reference programs themselves,
// compiled from the very files in c_reference, never a copy.
//
// Errors are unix.Errno values taken from C's errno.
//
// The package needs cgo and Linux. Built with CGO_ENABLED=0, or for another
// system, it holds only Available, which is false, and ErrNoCgo.
package cipc
