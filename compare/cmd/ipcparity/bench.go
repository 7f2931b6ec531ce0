//go:build linux

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/bench"
)

// benchCmd is ipcparity bench [--json] [--cpu N] [--reps N] [--quick]
// [--also NAME=PATH]... [MECHANISM...]: the C (also with a Go process's
// threads), cgo and Go forms of every bench of the named mechanisms (all
// when none is named) side by side, and any more binaries as forms of
// their own; see package bench.
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
	forms := bench.Forms(opts.bin)
	for _, a := range opts.also {
		name, path, ok := strings.Cut(a, "=")
		if !ok || name == "" || path == "" || strings.Contains(name, "/") {
			return 0, usageErr("bench", "--also %q: want NAME=PATH", a)
		}
		for _, f := range forms {
			if f.Name == name {
				return 0, usageErr("bench", "--also %q: there is a form %s already", a, name)
			}
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return 0, err
		}
		if _, err := os.Stat(abs); err != nil {
			return 0, usageErr("bench", "--also %q: %v", a, err)
		}
		forms = append(forms, bench.Form{Name: name, Path: abs})
	}
	o := bench.Options{Forms: forms, CPU: opts.cpu, Reps: opts.reps, Quick: opts.quick, Specs: specs, Progress: stderr}
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
