//go:build linux

package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ipcparity/ipcparity/internal/sandbox"
)

// A run in a sandbox: the runner starts an init of its own (this binary
// again, see package sandbox) in new PID, IPC, mount and network
// namespaces, and that init carries the run out as Execute would, in the
// run's directory seen as sandbox.RunDir, with a private /dev/shm and queue
// namespace and a loopback of its own. It sends the outcome back. When the
// init ends, the kernel kills whatever the run left running; the queues,
// shared-memory objects and semaphores go with the namespaces. Nothing of a
// run stays on the host but its directory, which the runner removes.

// sandboxJob is the job's name in the map given to sandbox.Main.
const sandboxJob = "run"

// InsideToken stands for $RUN inside a sandbox: names need not differ
// between runs there.
const InsideToken = "ipcprun"

// Teardown is what a sandboxed run may take beyond its scenario's deadline
// to kill what is left, list the leftovers and send them back.
const teardown = 5 * time.Second

// Limits of every sandboxed run.
const (
	// MemoryLimit bounds the address space (RLIMIT_AS) of every process
	// of a run. It is address space, not memory used: a Go process with
	// cgo reserves a glibc malloc arena per thread (64 MiB each), and
	// under load 1 GiB was seen to run out (runtime: out of memory).
	MemoryLimit = 4 << 30
	// ProcessLimit bounds the processes and threads of a run together.
	ProcessLimit = 512
)

var lookupScenario func(id string) (Scenario, bool)

// InitBinary, when set, is the binary that sandboxed runs start as their
// init instead of this one; it must call Main with the same catalogue
// (bin/ipcparity does). The tests set it: their own binary, built with the
// race detector, takes some 20 ms to start against 2 ms, some 700 times.
var InitBinary string

// InitBeside makes the file name in the running executable's directory
// the init of sandboxed runs (InitBinary), when it is an executable file
// there and InitBinary is not set: bin/ipcparity starts bin/ipcparity-init,
// which holds the runner and the catalogue alone and starts in a fraction
// of ipcparity's time (see compare/cmd/ipcparity-init).
func InitBeside(name string) {
	if InitBinary != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	p := filepath.Join(filepath.Dir(exe), name)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		InitBinary = p
	}
}

// Main must be called first thing in main() and in TestMain of every
// binary that calls Execute: when the process is the init of a sandboxed
// run, it carries the run out and exits. lookup finds a scenario of the
// catalogue by "mechanism/name": a scenario's functions (Setup, probes,
// readiness other than ReadyLine and ReadyPath) cannot be sent to the
// init, which takes them from there.
func Main(lookup func(id string) (Scenario, bool)) {
	lookupScenario = lookup
	sandbox.Main(map[string]sandbox.Job{sandboxJob: runInside})
}

// NoSandboxEnv, set to anything in the environment, makes the runner fall
// back as it does where namespaces cannot be made: to see what a port does
// outside a sandbox, and to test the fallback.
const NoSandboxEnv = "IPCPARITY_NO_SANDBOX"

var (
	fallbackOnce sync.Once
	fallbackWhy  error
)

// Sandboxed reports nil when runs are sandboxed, or why they are not: the
// runner then falls back to a process group, a private directory and
// names with a token in them, and says so once on stderr (see the README
// for what that isolation does not cover).
func Sandboxed() error {
	fallbackOnce.Do(func() {
		if os.Getenv(NoSandboxEnv) != "" {
			fallbackWhy = fmt.Errorf("%s is set", NoSandboxEnv)
		} else {
			fallbackWhy = sandbox.Available()
		}
		if fallbackWhy != nil {
			fmt.Fprintf(os.Stderr, "ipcparity: runs are NOT sandboxed (%v): falling back to process groups and token-named objects; see the README's isolation section\n", fallbackWhy)
			// A sandbox's init starts again without these; the fallback
			// cannot (ipcparity clears its mask, not nohup's SIGHUP).
			if inherited := sandbox.InheritedSignals(); inherited != "" {
				fmt.Fprintf(os.Stderr, "ipcparity: and the programs inherit this process's signals as they are: %s\n", inherited)
			}
		}
	})
	return fallbackWhy
}

// wire is a run as it travels to the init: the scenario's data, and the
// command line of each role's form.
type wire struct {
	ID       string
	Scenario wireScenario
	Forms    []wireForm // one per role
	// Visible are the files the forms' command lines name by absolute
	// path (the programs, a script's helper): kept visible in the sandbox
	// where it covers them (a checkout in /tmp).
	Visible []string
}

type wireScenario struct {
	Mechanism, Name, About string
	Roles                  []string
	Steps                  []wireStep
	IPCName                string
	Umask                  *int
	Deadline, IdleAfter    time.Duration
	Unordered              []string
	Sysctls                map[string]string
	Setup                  bool
	Probes                 []string
	Trace                  bool
	EndAfterSteps          bool
}

type wireStep struct {
	Label, Program string
	Args           raw
	Stdin          []byte
	Stdout         StdoutMode
	Env            raw
	AsOtherUser    bool
	Background     bool
	Ready          wireReady
	Signal         string
	EveryThread    bool
	Await          bool
	Target         string
}

// raw is a list of strings that travels byte for byte: arguments need not
// be UTF-8 (a scenario gives one that is not), and JSON would replace
// what is not with U+FFFD. Each string goes as base64.
type raw [][]byte

func toRaw(ss []string) raw {
	var r raw
	for _, s := range ss {
		r = append(r, []byte(s))
	}
	return r
}

func (r raw) strings() []string {
	var ss []string
	for _, b := range r {
		ss = append(ss, string(b))
	}
	return ss
}

// wireReady is a readiness condition by kind: "line" and "path" are
// rebuilt inside; any other is taken from the catalogue.
type wireReady struct {
	What, Kind, Arg string
}

func (r wireReady) rebuild() Ready {
	switch r.Kind {
	case readyKindLine:
		return ReadyLine()
	case readyKindPath:
		return ReadyPath(r.Arg)
	}
	return Ready{What: r.What}
}

type wireForm struct {
	Name         string
	Argv         raw
	ReportsErrno bool
}

func toWire(sc Scenario, pairing Pairing) (wire, error) {
	w := wire{ID: sc.Mechanism + "/" + sc.Name}
	ws := wireScenario{
		Mechanism: sc.Mechanism, Name: sc.Name, About: sc.About, Roles: sc.Roles,
		IPCName: sc.IPCName, Umask: sc.Umask, Deadline: sc.Deadline, IdleAfter: sc.IdleAfter, Unordered: sc.Unordered,
		Sysctls: sc.Sysctls, Setup: sc.Setup != nil, Trace: sc.Trace, EndAfterSteps: sc.EndAfterSteps,
	}
	for _, st := range sc.Steps {
		ws.Steps = append(ws.Steps, wireStep{
			Label: st.Label, Program: st.Program, Args: toRaw(st.Args), Stdin: st.Stdin, Stdout: st.Stdout,
			Env: toRaw(st.Env), AsOtherUser: st.AsOtherUser, Background: st.Background, Ready: wireReady{st.Ready.What, st.Ready.kind, st.Ready.arg},
			Signal: st.Signal, EveryThread: st.EveryThread, Await: st.Await, Target: st.Target,
		})
	}
	for _, pr := range sc.Probes {
		ws.Probes = append(ws.Probes, pr.Name)
	}
	w.Scenario = ws
	for _, role := range sc.Roles {
		f := pairing.FormFor(sc.Roles, role)
		argv, err := f.Command(role)
		if err != nil {
			return w, err
		}
		if len(argv) == 0 {
			return w, fmt.Errorf("form %s: empty command for %s", f.Name, role)
		}
		if path, err := resolve(argv[0]); err != nil {
			return w, fmt.Errorf("start %s (%s): %w", role, f.Name, err)
		} else {
			argv = append([]string{path}, argv[1:]...)
		}
		w.Forms = append(w.Forms, wireForm{Name: f.Name, Argv: toRaw(argv), ReportsErrno: f.ReportsErrno})
		for _, a := range argv {
			// A word of an argument ("sh -c 'exec /tmp/x/port'") that is
			// an absolute path of the host.
			for _, word := range strings.Fields(a) {
				word = strings.Trim(word, `"'`)
				if _, err := os.Stat(word); err == nil && filepath.IsAbs(word) && !slices.Contains(w.Visible, word) {
					w.Visible = append(w.Visible, word)
				}
			}
		}
	}
	return w, nil
}

// resolve finds a command as a user's shell would, and checks that it can
// be executed: inside the sandbox, a command that cannot start shows only
// as an exit status.
func resolve(file string) (string, error) {
	path := file
	if !strings.Contains(file, "/") {
		var err error
		if path, err = lookPath(file); err != nil {
			return "", err
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s: %w", path, os.ErrPermission)
	}
	return path, nil
}

// fromWire rebuilds the scenario and the pairing inside the init. What
// cannot travel (functions) comes from the catalogue's scenario of the
// same ID, which must then exist and match.
func fromWire(w wire) (Scenario, Pairing, error) {
	ws := w.Scenario
	sc := Scenario{
		Mechanism: ws.Mechanism, Name: ws.Name, About: ws.About, Roles: ws.Roles,
		IPCName: ws.IPCName, Umask: ws.Umask, Deadline: ws.Deadline, IdleAfter: ws.IdleAfter, Unordered: ws.Unordered,
		Sysctls: ws.Sysctls, Trace: ws.Trace, EndAfterSteps: ws.EndAfterSteps,
	}
	var base Scenario
	found := false
	if lookupScenario != nil {
		base, found = lookupScenario(w.ID)
	}
	need := func(what string) error {
		return fmt.Errorf("scenario %s: %s cannot be sent into the sandbox and the catalogue has no scenario %s to take it from", w.ID, what, w.ID)
	}
	if ws.Setup {
		if !found || base.Setup == nil {
			return sc, nil, need("its Setup")
		}
		sc.Setup = base.Setup
	}
	for i, st := range ws.Steps {
		step := Step{
			Label: st.Label, Program: st.Program, Args: st.Args.strings(), Stdin: st.Stdin, Stdout: st.Stdout,
			Env: st.Env.strings(), AsOtherUser: st.AsOtherUser, Background: st.Background, Ready: st.Ready.rebuild(), Signal: st.Signal,
			EveryThread: st.EveryThread, Await: st.Await, Target: st.Target,
		}
		if st.Ready.What != "" && step.Ready.Check == nil {
			if !found || i >= len(base.Steps) || base.Steps[i].Ready.What != st.Ready.What {
				return sc, nil, need("step " + strconv.Itoa(i+1) + "'s readiness (" + st.Ready.What + ")")
			}
			step.Ready = base.Steps[i].Ready
		}
		sc.Steps = append(sc.Steps, step)
	}
	for _, name := range ws.Probes {
		k := -1
		if found {
			k = slices.IndexFunc(base.Probes, func(p Probe) bool { return p.Name == name })
		}
		if k < 0 {
			return sc, nil, need("probe " + name)
		}
		sc.Probes = append(sc.Probes, base.Probes[k])
	}
	var pairing Pairing
	for _, f := range w.Forms {
		argv := f.Argv.strings()
		pairing = append(pairing, Form{Name: f.Name, ReportsErrno: f.ReportsErrno, Command: func(string) ([]string, error) { return argv, nil }})
	}
	return sc, pairing, nil
}

// executeSandboxed runs sc under pairing in a sandbox of its own.
func executeSandboxed(ctx context.Context, sc Scenario, pairing Pairing) (Outcome, error) {
	w, err := toWire(sc, pairing)
	if err != nil {
		return Outcome{}, err
	}
	payload, err := json.Marshal(w)
	if err != nil {
		return Outcome{}, err
	}
	dir, err := os.MkdirTemp("", "ipcparity-")
	if err != nil {
		return Outcome{}, err
	}
	defer os.RemoveAll(dir)
	res, err := sandbox.Run(ctx, sandbox.Spec{
		Job: sandboxJob, Payload: payload, Dir: dir, Init: InitBinary,
		Deadline: deadlineOf(sc) + teardown, MemoryBytes: MemoryLimit, MaxProcs: ProcessLimit,
		Sysctls: sc.Sysctls, Visible: w.Visible,
	})
	var limits []string
	if errors.Is(err, sandbox.ErrProcs) && res != nil {
		limits = append(limits, strings.TrimPrefix(err.Error(), "sandbox: "))
		err = nil
	}
	if err != nil {
		if errors.Is(err, sandbox.ErrDeadline) {
			return Outcome{}, fmt.Errorf("%s/%s: the sandboxed run did not end %v after its deadline: %w", sc.Mechanism, sc.Name, teardown, err)
		}
		return Outcome{}, err
	}
	var out Outcome
	if err := json.Unmarshal(res, &out); err != nil {
		return Outcome{}, fmt.Errorf("%s/%s: the sandbox's outcome: %w", sc.Mechanism, sc.Name, err)
	}
	out.Limits = limits
	return out, nil
}

// runInside is the sandbox's job: the run, carried out by its init.
func runInside(ctx context.Context, payload []byte) ([]byte, error) {
	var w wire
	if err := json.Unmarshal(payload, &w); err != nil {
		return nil, err
	}
	sc, pairing, err := fromWire(w)
	if err != nil {
		return nil, err
	}
	out, err := execute(ctx, sc, pairing, true)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
