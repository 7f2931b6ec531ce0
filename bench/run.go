//go:build linux

package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/goipc"
)

// The forms, as in package compare, and C run with the threads of a Go
// process (for the floor, see Floor).
const (
	FormC        = "c"
	FormCThreads = "c+threads"
	FormCgo      = "cgo"
	FormGo       = "go"
)

// GoThreads is how many threads a Go ipcbench process has besides the one
// that runs the bench (4 in all, counted in /proc/PID/task during a run with
// GOMAXPROCS 1: sysmon and the runtime's spare threads). The c+threads form
// starts as many idle ones in each process (IPCBENCH_THREADS).
const GoThreads = 3

// Form is one bench binary.
type Form struct {
	Name string // c, cgo, go
	Path string
	// Args come before the bench's own arguments (none for the built
	// binaries).
	Args []string
}

// Forms are the bench binaries under bin: bin/bench/ipcbench (C, and the
// same with GoThreads idle threads by env(1)), bin/cgo/ipcbench and
// bin/go/ipcbench.
func Forms(bin string) []Form {
	c := filepath.Join(bin, "bench", "ipcbench")
	return []Form{
		{Name: FormC, Path: c},
		{Name: FormCThreads, Path: "/usr/bin/env", Args: []string{"IPCBENCH_THREADS=" + strconv.Itoa(GoThreads), c}},
		{Name: FormCgo, Path: filepath.Join(bin, "cgo", "ipcbench")},
		{Name: FormGo, Path: filepath.Join(bin, "go", "ipcbench")},
	}
}

// Options say what Run runs.
type Options struct {
	Forms []Form
	// CPU pins both processes of every run to this CPU; -1 leaves them
	// unpinned.
	CPU int
	// Reps is the number of runs of every form (at least 1).
	Reps int
	// Quick runs tiny counts (the figures mean nothing): for tests.
	Quick bool
	// Specs are the benches to run (all when empty).
	Specs []Spec
	// Progress, if not nil, gets a line per bench as it starts.
	Progress io.Writer
	// Deadline bounds one run (0: a minute, 20 s with Quick).
	Deadline time.Duration
}

// Report is the result of Run.
type Report struct {
	// Placement says where the processes ran.
	Placement string   `json:"placement"`
	CPU       int      `json:"cpu"`
	Reps      int      `json:"reps"`
	Quick     bool     `json:"quick"`
	Forms     []string `json:"forms"`
	Figures   []Figure `json:"figures"`
	// Errors are the runs that failed, one line each.
	Errors []string `json:"errors,omitempty"`
}

// Placement describes cpu for the report.
func Placement(cpu int) string {
	if cpu < 0 {
		return "unpinned: the kernel places both processes (--cpu -1)"
	}
	return fmt.Sprintf("both processes pinned to CPU %d with sched_setaffinity (--cpu %d)", cpu, cpu)
}

// Order is the order of the forms in repetition rep: rotated by one each
// time, so that no form always runs first or last.
func Order(forms []Form, rep int) []Form {
	n := len(forms)
	out := make([]Form, n)
	for i := range forms {
		out[i] = forms[(i+rep)%n]
	}
	return out
}

// Iters is the ITERS of spec s under o: unpinned round trips wait for an
// idle CPU to wake (some 100 µs on a small virtual machine), so they run a
// quarter as many.
func (o *Options) Iters(s Spec) int {
	if o.Quick {
		return s.Quick
	}
	if o.CPU < 0 && s.Kind == Latency {
		return s.Iters / 4
	}
	return s.Iters
}

// Run runs every spec of o, every form Reps times, and reports.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Reps < 1 {
		return nil, fmt.Errorf("bench: reps must be at least 1")
	}
	specs := o.Specs
	if len(specs) == 0 {
		specs = Specs
	}
	rep := &Report{Placement: Placement(o.CPU), CPU: o.CPU, Reps: o.Reps, Quick: o.Quick}
	var forms []Form
	for _, f := range o.Forms {
		if _, err := os.Stat(f.Path); err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s form left out: %v", f.Name, err))
			continue
		}
		forms = append(forms, f)
		rep.Forms = append(rep.Forms, f.Name)
	}
	if len(forms) == 0 {
		return nil, fmt.Errorf("bench: no bench binaries (make build and make bench-c first)")
	}
	for _, s := range specs {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "bench: %s\n", s.Name)
		}
		values := map[string]map[string][]float64{}
		for r := 0; r < o.Reps; r++ {
			for _, f := range Order(forms, r) {
				res, err := RunOnce(ctx, f, s, o.Iters(s), o.CPU, o.deadline())
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if err != nil {
					rep.Errors = append(rep.Errors, fmt.Sprintf("%s %s: %v", s.Name, f.Name, err))
					continue
				}
				for k, v := range res {
					if values[k] == nil {
						values[k] = map[string][]float64{}
					}
					values[k][f.Name] = append(values[k][f.Name], v)
				}
			}
		}
		rep.Figures = append(rep.Figures, figures(s, values)...)
	}
	rep.floors()
	return rep, nil
}

func (o *Options) deadline() time.Duration {
	switch {
	case o.Deadline > 0:
		return o.Deadline
	case o.Quick:
		return 20 * time.Second
	}
	return time.Minute
}

// Program is the role of the one process of a bench run; a form's
// binary runs as it.
const Program = "ipcbench"

// RunOnce runs form's binary once for spec s with iters and cpu through
// the runner (package runner): in a sandbox of its own, whose directory is
// the bench's DIR (".") and whose token is its TOKEN, under a deadline.
// A run that exits non-zero, is killed by a signal, outlives its deadline
// or leaves anything behind (a file, a queue, a shared-memory object, a
// process: the bench must clean up after itself) is an error that says
// which. The values are p50 and p99 in ns (latency), rate in B/s
// (throughput) or call in ns (call cost).
func RunOnce(ctx context.Context, f Form, s Spec, iters, cpu int, deadline time.Duration) (map[string]float64, error) {
	sc := runner.Scenario{
		Mechanism: "bench",
		Name:      s.Name,
		Roles:     []string{Program},
		Steps: []runner.Step{{
			Program: Program,
			Args:    []string{s.Name, strconv.Itoa(iters), strconv.Itoa(s.Size), strconv.Itoa(cpu), ".", "$RUN"},
		}},
		Deadline: deadline,
	}
	if runner.Sandboxed() != nil {
		// Unsandboxed, the runner lists the run's directory and its
		// /dev/shm entries, but cannot list queues: look for the
		// bench's by name.
		sc.Probes = []runner.Probe{queueProbe}
	}
	out, err := runner.Execute(ctx, sc, runner.Pairing{f.runnerForm()})
	if err != nil {
		return nil, err
	}
	if len(out.Procs) != 1 {
		return nil, fmt.Errorf("%d processes ran, want 1", len(out.Procs))
	}
	p := out.Procs[0]
	var problems []string
	switch {
	case p.Timeout:
		problems = append(problems, fmt.Sprintf("no result within %v", deadline))
	case p.Signal != "":
		problems = append(problems, "killed by "+p.Signal)
	case p.Exit != 0:
		problems = append(problems, fmt.Sprintf("exit status %d", p.Exit))
	}
	if msg := strings.TrimSpace(string(p.Stderr)); msg != "" && len(problems) > 0 {
		problems[0] += ": " + msg
	}
	if len(out.Leftovers) > 0 {
		problems = append(problems, "left behind: "+strings.Join(out.Leftovers, ", "))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return ParseResult(s.Kind, string(p.Stdout))
}

// runnerForm is f as the runner's form of Program.
func (f Form) runnerForm() runner.Form {
	argv := append([]string{f.Path}, f.Args...)
	return runner.Form{Name: f.Name, Command: func(string) ([]string, error) { return argv, nil }}
}

// benchQueues are the queues a bench names after its TOKEN.
func benchQueues(r *runner.Run) []string {
	return []string{"/" + r.Token + ".up", "/" + r.Token + ".down"}
}

// queueProbe finds the bench's queues that an unsandboxed run left, and
// removes them.
var queueProbe = runner.Probe{
	Name: "bench queues",
	Find: func(r *runner.Run) []string {
		var left []string
		for _, q := range benchQueues(r) {
			if fd, err := goipc.MqOpen(q, unix.O_RDONLY, 0, nil); err == nil {
				goipc.MqClose(fd)
				left = append(left, "mqueue "+r.Normalize(q))
			}
		}
		return left
	},
	Clean: func(r *runner.Run) {
		for _, q := range benchQueues(r) {
			goipc.MqUnlink(q)
		}
	},
}

// ParseResult reads ipcbench's line of key=value pairs into the values of
// a spec of kind k.
func ParseResult(k Kind, line string) (map[string]float64, error) {
	kv := map[string]float64{}
	for _, f := range strings.Fields(line) {
		key, val, ok := strings.Cut(f, "=")
		if !ok {
			return nil, fmt.Errorf("bad result %q", strings.TrimSpace(line))
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("bad result %q", strings.TrimSpace(line))
		}
		kv[key] = v
	}
	need := func(keys ...string) error {
		for _, k := range keys {
			if kv[k] <= 0 {
				return fmt.Errorf("result %q lacks a positive %s", strings.TrimSpace(line), k)
			}
		}
		return nil
	}
	switch k {
	case Latency:
		if err := need("n", "p50_ns", "p99_ns"); err != nil {
			return nil, err
		}
		return map[string]float64{"p50": kv["p50_ns"], "p99": kv["p99_ns"]}, nil
	case Throughput:
		if err := need("bytes", "ns"); err != nil {
			return nil, err
		}
		return map[string]float64{"rate": kv["bytes"] * 1e9 / kv["ns"]}, nil
	case CallCost:
		if err := need("calls", "ns"); err != nil {
			return nil, err
		}
		return map[string]float64{"call": kv["ns"] / kv["calls"]}, nil
	}
	return nil, errors.New("unknown kind")
}
