//go:build linux

package main

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

var callSink int

// nop is bench_nop: a Go function that does next to nothing.
//
//go:noinline
func nop(x int) int { return x + 1 }

// callBench is bench_call: the cost of one Go function call.
func callBench(a *args) error {
	x := 0
	for i := 0; i < warmup(a.iters); i++ {
		x = nop(x)
	}
	t0 := nowNs()
	for i := 0; i < a.iters; i++ {
		x = nop(x)
	}
	t1 := nowNs()
	callSink = x
	reportCall(a.iters, t1-t0)
	return nil
}

// syscallBench is bench_syscall: goipc.Write of one byte to /dev/null.
func syscallBench(a *args) error {
	fd, err := goipc.Open("/dev/null", unix.O_WRONLY, 0)
	if err != nil {
		return fail("open", err)
	}
	defer goipc.Close(fd)
	c := []byte("x")
	for i := 0; i < warmup(a.iters); i++ {
		goipc.Write(fd, c)
	}
	t0 := nowNs()
	for i := 0; i < a.iters; i++ {
		if n, err := goipc.Write(fd, c); n != 1 {
			return fail("write", err)
		}
	}
	t1 := nowNs()
	reportCall(a.iters, t1-t0)
	return nil
}

// syscallRawBench is bench_syscall with the write made by unix.RawSyscall,
// which skips the runtime's bookkeeping around a system call (entersyscall
// and exitsyscall): what that bookkeeping costs. It is no way to make a
// call that may block: the goroutine would keep its P and the garbage
// collector could not stop it.
func syscallRawBench(a *args) error {
	fd, err := goipc.Open("/dev/null", unix.O_WRONLY, 0)
	if err != nil {
		return fail("open", err)
	}
	defer goipc.Close(fd)
	c := []byte("x")
	write := func() (int, error) {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&c[0])), 1)
		if e != 0 {
			return -1, e
		}
		return int(n), nil
	}
	for i := 0; i < warmup(a.iters); i++ {
		write()
	}
	t0 := nowNs()
	for i := 0; i < a.iters; i++ {
		if n, err := write(); n != 1 {
			return fail("write", err)
		}
	}
	t1 := nowNs()
	reportCall(a.iters, t1-t0)
	return nil
}
