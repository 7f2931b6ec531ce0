//go:build linux

package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/runtoken"
)

// The forms, as in package compare.
const (
	FormC   = "c"
	FormCgo = "cgo"
	FormGo  = "go"
)

// Form is one bench binary.
type Form struct {
	Name string // c, cgo, go
	Path string
}

// Forms are the three bench binaries under bin: bin/bench/ipcbench (C),
// bin/cgo/ipcbench and bin/go/ipcbench.
func Forms(bin string) []Form {
	return []Form{
		{FormC, filepath.Join(bin, "bench", "ipcbench")},
		{FormCgo, filepath.Join(bin, "cgo", "ipcbench")},
		{FormGo, filepath.Join(bin, "go", "ipcbench")},
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
	Sweep()
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

// tokenPrefix starts every run's token and directory.
const tokenPrefix = "ipcbench"

// RunOnce runs form's binary once for spec s with iters and cpu, in its
// own directory and process group, under a deadline, and removes what the
// run may have left: its directory, its queues and its /dev/shm entries.
// The values are p50 and p99 in ns (latency), rate in B/s (throughput) or
// call in ns (call cost).
func RunOnce(ctx context.Context, f Form, s Spec, iters, cpu int, deadline time.Duration) (map[string]float64, error) {
	token := runtoken.New(tokenPrefix)
	dir, err := os.MkdirTemp("", token+"_")
	if err != nil {
		return nil, err
	}
	defer cleanup(dir, token)
	runtoken.Remember(token, "/"+token+".up", "/"+token+".down")

	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(f.Path, s.Name, strconv.Itoa(iters), strconv.Itoa(s.Size), strconv.Itoa(cpu), dir, token)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pgid := cmd.Process.Pid
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			unix.Kill(-pgid, unix.SIGKILL)
		case <-done:
		}
	}()
	err = cmd.Wait()
	close(done)
	unix.Kill(-pgid, unix.SIGKILL) // a peer that outlived its parent
	if ctx.Err() != nil {
		return nil, fmt.Errorf("no result within %v", deadline)
	}
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return ParseResult(s.Kind, stdout.String())
}

// cleanup removes the run's directory, its queues (/TOKEN.up and
// /TOKEN.down) and every /dev/shm entry with the token in its name.
func cleanup(dir, token string) {
	os.RemoveAll(dir)
	goipc.MqUnlink("/" + token + ".up")
	goipc.MqUnlink("/" + token + ".down")
	runtoken.RemoveShm(token)
	runtoken.Forget(token)
}

// Sweep removes the run directories, /dev/shm entries and queues that runs
// of a harness that is gone (killed before its cleanup) left behind: their
// token holds the harness's pid, and a note names the queues, which cannot
// be listed without /dev/mqueue mounted.
func Sweep() { runtoken.Sweep(tokenPrefix, func(name string) { goipc.MqUnlink(name) }) }

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
