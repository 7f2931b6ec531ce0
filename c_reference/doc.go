// Package creference compiles the C reference programs of this directory
// (pipe.c, fifo.c, mq.c, shm.c, sock.c) with cgo and hands their functions
// to package cipc, which calls them from Go.
//
// The C is compiled here, in the package that holds it, so that Go's build
// cache sees every edit of a .c or .h file: a cgo form never runs stale C.
// The Makefile compiles the very same files into the native binaries
// (bin/c/NAME); main.c, their thin main(), is left out of the Go build.
//
// Linux only: the programs use Linux's libc (<mqueue.h>, POSIX semaphores).
package creference
