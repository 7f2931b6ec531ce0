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
// For students: each program's doc comment names the C it translates and
// says where the Go differs from it (no fork, SIGPIPE, stdio buffering),
// and each primitive's names its C function and man page section, with a
// runnable example. `ipcparity explain PROGRAM` prints a program's C, this
// package's form and the idiomatic one side by side, step by step.
//
// # Waiting briefly
//
// Sem.Wait on a semaphore at 0 first looks again for a token for up to
// 10 µs, yielding the CPU between looks (sched_yield), and only then sleeps
// on the futex the way glibc's sem_wait does. A Go process pays for a
// blocked system call that glibc's caller does not (the runtime hands the
// goroutine's P to another thread after 20 µs), a look costs no system
// call, and on one CPU the peer usually posts within the looks: round trips
// through two semaphores took 0.74–0.77 × C's time in three runs, against
// 1.00–1.02 × without the looks. An idle waiter sleeps in the kernel after
// them. The queue calls do not wait so: there each try is a system call,
// and five runs gave no clear gain (bench/README.md).
//
// Linux only: every other file of the package is built for Linux alone.
package goipc
