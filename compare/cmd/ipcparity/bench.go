//go:build linux

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/bench"
)

// benchCmd is ipcparity bench [--json] [--cpu N] [--reps N] [--quick]
// [MECHANISM...]: the C, cgo and Go forms of every bench of the named
// mechanisms (all when none is named) side by side; see package bench.
func benchCmd(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	self, _ := os.Executable()
	bin := fs.String("bin", filepath.Dir(self), "")
	asJSON := fs.Bool("json", false, "")
	cpu := fs.Int("cpu", 0, "")
	reps := fs.Int("reps", 5, "")
	quick := fs.Bool("quick", false, "")
	if err := fs.Parse(args); err != nil {
		return 0, usageError("bench: " + err.Error())
	}
	if *reps < 1 {
		return 0, usageError("bench: --reps must be at least 1")
	}
	var allowed unix.CPUSet
	if *cpu < -1 || *cpu >= 0 && (unix.SchedGetaffinity(0, &allowed) != nil || !allowed.IsSet(*cpu)) {
		return 0, usageError(fmt.Sprintf("bench: --cpu %d: not a CPU this process may run on (-1: unpinned)", *cpu))
	}
	specs, unknown := bench.Select(fs.Args()...)
	if unknown != "" {
		return 0, usageError(fmt.Sprintf("bench: unknown mechanism %q (mechanisms: %s)", unknown, strings.Join(bench.Mechanisms(), " ")))
	}
	o := bench.Options{Forms: bench.Forms(*bin), CPU: *cpu, Reps: *reps, Quick: *quick, Specs: specs, Progress: stderr}
	rep, err := bench.Run(ctx, o)
	if err != nil {
		return 1, err
	}
	if *asJSON {
		if err := rep.JSON(stdout); err != nil {
			return 0, err
		}
	} else {
		rep.Text(stdout)
	}
	if len(rep.Errors) > 0 {
		return 1, nil
	}
	return 0, nil
}
