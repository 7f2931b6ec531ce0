//go:build linux

// Command ipcparity-init is the init of ipcparity's sandboxed runs, and
// only that: the runner and the scenario catalogue, without the judge, the
// reports and the command line. Every run starts its init afresh, some
// eight hundred times in a check, and this binary starts in a fraction of
// ipcparity's time (half its size, a tenth of its package initialisation).
// bin/ipcparity starts it as the init when it lies in the same directory
// (make build puts it there), and itself otherwise. Run by hand, it exits
// at once.
package main

import (
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
)

// catalogue is compare.Mechanisms' scenarios by mechanism, which this
// binary cannot import without the judge; the test holds the two equal.
var catalogue = map[string]func() []runner.Scenario{
	"pipe": scenarios.Pipe,
	"fifo": scenarios.FIFO,
	"mq":   scenarios.Mq,
	"shm":  scenarios.Shm,
	"sock": scenarios.Sock,
}

// lookup finds a scenario by "mechanism/name", as compare.Lookup does.
func lookup(id string) (runner.Scenario, bool) {
	for mech, f := range catalogue {
		if len(id) <= len(mech) || id[:len(mech)+1] != mech+"/" {
			continue
		}
		for _, sc := range f() {
			if sc.Mechanism+"/"+sc.Name == id {
				return sc, true
			}
		}
	}
	return runner.Scenario{}, false
}

func main() {
	runner.Main(lookup)
}
