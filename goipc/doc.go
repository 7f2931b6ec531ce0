// Package goipc holds pure-Go translations of the C programs in c_reference
// and the libc calls they use, written on golang.org/x/sys/unix without cgo.
//
// Every primitive has the signature of its twin in package cipc and fails
// the way glibc does: errors are unix.Errno values, so
// errors.Is(err, unix.ENOENT) and err == unix.ENOENT both work. Where glibc
// does work in user space before or after the system call (queue names,
// shared-memory names, semaphores), goipc does the same work.
//
// The programs (PipeMain and the others) take a C-style argument vector,
// args[0] included, and return the exit status together with the error of
// the call that made them fail.
//
// Linux only: every other file of the package is built for Linux alone.
package goipc
