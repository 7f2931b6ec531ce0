//go:build linux

package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/trace"
)

// listTrace lists, for list, the known differences at the level of system
// calls (check --trace) and what a trace leaves out.
func listTrace(w io.Writer) {
	fmt.Fprintf(w, "\nknown differences in system calls (--trace):\n")
	for _, kd := range trace.Known {
		fmt.Fprintf(w, "  %s (languages %s; %s):\n      %s\n      %s\n", kd.ID, strings.Join(kd.Langs, ", "), strings.Join(kd.Scenarios, ", "),
			strings.ReplaceAll(judge.Wrap(kd.Reason, 72), "\n", "\n      "), strings.ReplaceAll(judge.Wrap(kd.Calls, 72), "\n", "\n      "))
	}
	fmt.Fprintf(w, "\nleft out of a trace (--trace):\n")
	for _, f := range trace.Filtered {
		fmt.Fprintf(w, "  - %s\n", strings.ReplaceAll(judge.Wrap(f, 72), "\n", "\n    "))
	}
}
