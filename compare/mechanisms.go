//go:build linux

package compare

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ipcparity/ipcparity/compare/callscript"
	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
)

// A Mechanism is one section of the notes, and everything the project has
// for it. Adding one is the checklist in ARCHITECTURE.md; TestMechanisms
// checks the list against c_reference/programs.h, the commands of cipc and
// goipc, the call scripts and the benchmarks.
type Mechanism struct {
	// Name is the mechanism's short name ("fifo"): the prefix of its
	// programs and of its call scripts (testdata/calls/NAME_*.calls).
	Name string
	// Programs are the C functions NAME_main of c_reference/programs.h,
	// each also a command in cipc/cmd and goipc/cmd.
	Programs []string
	// Scenarios returns the mechanism's parity cases.
	Scenarios func() []runner.Scenario
	// Calls are the libc calls a call script may make, on both sides.
	Calls callscript.Table
	// ScriptProbes look for what a call script may leave that is not a
	// file (a queue, where the queue file system is not mounted).
	ScriptProbes []runner.Probe
	// Leftovers are the kinds of leftover the mechanism's programs can
	// leave (Outcome.Leftovers: "fifo named_pipe", "mqueue $IPC_NAME").
	Leftovers []string
	// Bench names the benchmarks of package bench that measure it.
	Bench []string
}

// Mechanisms is the list, in the order of the notes.
var Mechanisms = []Mechanism{
	{
		Name:      "pipe",
		Programs:  []string{"pipe"},
		Scenarios: scenarios.Pipe,
		Calls:     callscript.Pipe,
		Bench:     []string{"pipe-lat", "pipe-tput", "pipe-byte"},
	},
	{
		Name:      "fifo",
		Programs:  []string{"fifo_reader", "fifo_writer"},
		Scenarios: scenarios.FIFO,
		Calls:     callscript.FIFO,
		Leftovers: []string{"fifo"},
		Bench:     []string{"fifo-lat", "fifo-tput"},
	},
	{
		Name:         "mq",
		Programs:     []string{"mq_server", "mq_client"},
		Scenarios:    scenarios.Mq,
		Calls:        callscript.Mq,
		ScriptProbes: []runner.Probe{scenarios.ScriptQueueProbe},
		Leftovers:    []string{"mqueue"},
		Bench:        []string{"mq-lat", "mq-tput"},
	},
	{
		Name:      "shm",
		Programs:  []string{"shm_writer", "shm_reader"},
		Scenarios: scenarios.Shm,
		Calls:     callscript.Shm,
		Leftovers: []string{"shm", "sem"},
		Bench:     []string{"shmsem-lat", "shmsem-tput", "shmspin-lat", "shmspin-tput", "shm-copy"},
	},
	{
		Name:      "sock",
		Programs:  []string{"sock_server", "sock_client"},
		Scenarios: scenarios.Sock,
		Calls:     callscript.Sock,
		Leftovers: []string{"socket"},
		Bench:     []string{"unix-lat", "unix-tput", "tcp-lat", "tcp-tput"},
	},
}

// A CallGroup is calls of call scripts that belong to no mechanism
// (processes, limits, signals, descriptor kinds, pointers and mappings,
// files and credentials). Its scripts, testdata/calls/NAME_*.calls,
// use them against the mechanisms; TestMechanisms checks that each group
// has scripts and that every call is used by one.
type CallGroup struct {
	Name  string
	Calls callscript.Table
}

// CallGroups is the list.
var CallGroups = []CallGroup{
	{Name: "proc", Calls: callscript.Proc},
	{Name: "limits", Calls: callscript.Limits},
	{Name: "signal", Calls: callscript.Signal},
	{Name: "fd", Calls: callscript.FD},
	{Name: "mem", Calls: callscript.Mem},
	{Name: "files", Calls: callscript.Files},
}

// OverheadBench names the benchmarks that measure no mechanism: the cost
// of a call and of a system call in each form.
var OverheadBench = []string{"call", "syscall", "syscall-raw"}

// Programs returns every program of every mechanism, in the list's order.
func Programs() []string {
	var out []string
	for _, m := range Mechanisms {
		out = append(out, m.Programs...)
	}
	return out
}

// Scenarios returns every scenario, mechanism by mechanism.
func Scenarios() []runner.Scenario {
	var out []runner.Scenario
	for _, m := range Mechanisms {
		out = append(out, m.Scenarios()...)
	}
	return out
}

// Select returns the scenarios whose mechanism or one of whose programs is
// among names; no names selects all.
func Select(names ...string) []runner.Scenario {
	var out []runner.Scenario
	for _, s := range Scenarios() {
		if len(names) == 0 || slices.Contains(names, s.Mechanism) || slices.ContainsFunc(s.Roles, func(r string) bool { return slices.Contains(names, r) }) {
			out = append(out, s)
		}
	}
	return out
}

// Calls returns what call scripts may use: every mechanism's calls.
func Calls() *callscript.Lang {
	var tables []callscript.Table
	for _, m := range Mechanisms {
		tables = append(tables, m.Calls)
	}
	for _, g := range CallGroups {
		tables = append(tables, g.Calls)
	}
	l, err := callscript.NewLang(tables...)
	if err != nil {
		panic(fmt.Sprintf("compare.Mechanisms: %v", err)) // a defect of the list, caught by its test
	}
	return l
}

// ScriptProbes returns every mechanism's probes for call scripts.
func ScriptProbes() []runner.Probe {
	var out []runner.Probe
	for _, m := range Mechanisms {
		out = append(out, m.ScriptProbes...)
	}
	return out
}

// RunScript runs a call script on cipc and on goipc with the ipccalls
// binaries in binDir/cgo and binDir/go, and compares their transcripts.
func RunScript(ctx context.Context, binDir, file string) judge.ScriptResult {
	var probes []runner.Probe
	if runner.Sandboxed() != nil {
		// A sandbox lists every queue; a run without one must ask for
		// the names a script used.
		probes = ScriptProbes()
	}
	return judge.RunScript(ctx, Calls(), file, runner.ScriptSides(binDir), probes)
}

// Lookup finds a scenario of the catalogue by "mechanism/name", for
// runner.Main: a sandboxed run takes the scenario's functions from there.
// Only the mechanism's scenarios are made: every run's init calls it.
func Lookup(id string) (runner.Scenario, bool) {
	mech, _, _ := strings.Cut(id, "/")
	for _, m := range Mechanisms {
		if m.Name != mech {
			continue
		}
		for _, sc := range m.Scenarios() {
			if sc.Mechanism+"/"+sc.Name == id {
				return sc, true
			}
		}
	}
	return runner.Scenario{}, false
}
