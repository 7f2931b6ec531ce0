//go:build linux

// Command ipcbench is the cgo form of the benchmarks in c_reference/bench:
// a Go process that runs the very same C functions through cgo (package
// cbench compiles them where they live, in c_reference/bench). Its
// command line and output are those of the C form:
//
//	ipcbench BENCH ITERS SIZE CPU DIR TOKEN
//
// Every bench runs its loops in C, as in the C binary; the difference is
// the process around them (the Go runtime's threads and signals). One
// bench is Go's own: "call" here times one cgo call of the C function
// bench_nop, where the C form times a C call of it and the Go form a Go
// call.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/ipcparity/ipcparity/bench"
	cbench "github.com/ipcparity/ipcparity/c_reference/bench"
	"github.com/ipcparity/ipcparity/cipc"
)

func main() {
	os.Exit(run(os.Args))
}

func run(args []string) int {
	if len(args) == 7 {
		// The Go threads too: the C pins only the thread it runs on.
		if cpu, err := strconv.Atoi(args[4]); err == nil {
			if err := bench.PinProcess(cpu); err != nil {
				fmt.Fprintf(os.Stderr, "sched_setaffinity: %v\n", err)
				return 1
			}
		}
		if args[1] == "call" {
			return cgoCall(args)
		}
	}
	status, _ := cipc.CallMain(cbench.Main, args)
	return status
}

var callSink int32

// cgoCall is bench_call with the C function called through cgo.
func cgoCall(args []string) int {
	iters, err := strconv.Atoi(args[2])
	if err != nil || iters <= 0 {
		fmt.Fprintln(os.Stderr, "ipcbench: ITERS must be positive")
		return 2
	}
	x := int32(0)
	for i := 0; i < cbench.Warmup(iters); i++ {
		x = cbench.Nop(x)
	}
	t0 := time.Now()
	for i := 0; i < iters; i++ {
		x = cbench.Nop(x)
	}
	ns := time.Since(t0).Nanoseconds()
	callSink = x
	fmt.Printf("calls=%d ns=%d\n", iters, ns)
	return 0
}
