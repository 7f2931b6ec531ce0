//go:build linux

package main

import (
	"context"
	"io"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/bench"
)

// benchCmd is ipcparity bench [--json] [--cpu N] [--reps N] [--quick]
// [MECHANISM...]: the C, cgo and Go forms of every bench of the named
// mechanisms (all when none is named) side by side; see package bench.
func benchCmd(ctx context.Context, opts *options, names []string, stdout, stderr io.Writer) (int, error) {
	if opts.reps < 1 {
		return 0, usageErr("bench", "--reps must be at least 1")
	}
	var allowed unix.CPUSet
	if opts.cpu < -1 || opts.cpu >= 0 && (unix.SchedGetaffinity(0, &allowed) != nil || !allowed.IsSet(opts.cpu)) {
		return 0, usageErr("bench", "--cpu %d: not a CPU this process may run on (-1: unpinned)", opts.cpu)
	}
	specs, unknown := bench.Select(names...)
	if unknown != "" {
		return 0, usageErr("bench", "unknown mechanism %q (mechanisms: %s)", unknown, strings.Join(bench.Mechanisms(), " "))
	}
	if err := checkBin(opts.bin); err != nil {
		return 0, err
	}
	o := bench.Options{Forms: bench.Forms(opts.bin), CPU: opts.cpu, Reps: opts.reps, Quick: opts.quick, Specs: specs, Progress: stderr}
	rep, err := bench.Run(ctx, o)
	if err != nil {
		return 0, err
	}
	if opts.json {
		if err := rep.JSON(stdout); err != nil {
			return 0, err
		}
	} else {
		rep.Text(stdout)
	}
	if len(rep.Errors) > 0 {
		return 2, nil // runs that failed, listed in the report: an error, not a difference
	}
	return 0, nil
}
