//go:build linux

package main

// Usage: go run ./internal/mutants [-list FILE] [-run REGEX] [-skip N] [-deadline D] [-gremlins] [-baseline=false] [-trace=false]
//
// Run from the module's root (make mutants does). For each mutant of the
// list, in a temporary copy of the module: apply it, rebuild, then
// bin/ipcparity check of the mutant's mechanism (all of them for a file of
// none), then go test of the packages that see the file. The first that
// fails kills the mutant. A mutant that survives both is held to
// bin/ipcparity check --trace of its mechanism (its system calls against
// C's), once the copy without mutants has passed that for the mechanism.
// A mutant that survives all is named, or reported as equivalent when the
// list says it is. A mutant that does not build is the list's error (exit
// 2, after the others): realistic mistakes compile. -gremlins first runs
// gremlins on goipc in the copy.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/ipcparity/ipcparity/compare"
)

func main() {
	list := flag.String("list", "testdata/mutants.txt", "the list of mutants")
	run := flag.String("run", "", "only the mutants whose name matches this regular expression")
	deadline := flag.Duration("deadline", 6*time.Minute, "the time a mutant's build and checks may take (and again its traced check)")
	gremlins := flag.Bool("gremlins", false, "first run gremlins (go-gremlins) on goipc, in the copy")
	skip := flag.Int("skip", 0, "leave out the first N mutants of the list (to go on with an interrupted run)")
	baseline := flag.Bool("baseline", true, "first hold the copy without mutants to the checks of all mechanisms")
	trace := flag.Bool("trace", true, "hold the survivors to ipcparity check --trace of their mechanism (needs strace)")
	flag.Parse()
	mutants, err := ParseList(*list)
	if err != nil {
		fail(err)
	}
	re, err := regexp.Compile(*run)
	if err != nil {
		fail(err)
	}
	mutants = mutants[min(*skip, len(mutants)):]
	mutants = slices.DeleteFunc(mutants, func(m Mutant) bool { return !re.MatchString(m.Name) })
	if len(mutants) == 0 {
		fail(errors.New("no mutants selected"))
	}
	for _, m := range mutants {
		if err := m.Check("."); err != nil {
			fail(err)
		}
	}
	if _, err := exec.LookPath("strace"); *trace && err != nil {
		fail(errors.New("strace is not installed (Debian: apt-get install strace); the survivors' trace layer needs it (-trace=false leaves that layer out)"))
	}
	tmp, err := os.MkdirTemp("", "ipcparity-mutants-")
	if err != nil {
		fail(err)
	}
	cleanup = func() { os.RemoveAll(tmp) }
	defer cleanup()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		// Each command runs in a process group of its own, which a
		// signal to the tool's group does not reach: it ends with the
		// command's deadline at worst, and the copy is removed now.
		sig := <-stop
		cleanup()
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
	root := filepath.Join(tmp, "module")
	if err := copyModule(".", root); err != nil {
		fail(err)
	}
	start := time.Now()
	if *gremlins {
		runGremlins(root)
	}
	t := newTool(root, *deadline, *trace)
	// The unmutated copy must pass what the mutants are held to, or
	// every mutant would count as killed.
	if *baseline {
		base := t.plans(Mutant{File: "all"}, "")
		base.deadline = *deadline * 3
		if res := t.hold(nil, base); res != (result{}) {
			fail(fmt.Errorf("the module without mutants fails: %s", res.why))
		}
		fmt.Printf("baseline passes (%s)\n", time.Since(start).Round(time.Second))
	} else if out, err := command(context.Background(), root, "nice", "-n", "19", "make", "-s", "build"); err != nil {
		fail(fmt.Errorf("make build: %s", firstLines(out, err)))
	}
	code := t.runAll(os.Stdout, mutants, *list)
	fmt.Printf("(%s in all)\n", time.Since(start).Round(time.Second))
	cleanup() // os.Exit runs no deferred call
	os.Exit(code)
}

// cleanup removes the temporary copy of the module, once there is one.
var cleanup = func() {}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutants:", err)
	cleanup()
	os.Exit(2)
}

// A layer is one check a mutant is held to: a command that exits 0 when
// the mutant passes it. For ipcparity, exit status 2 is a run that could
// not be judged (one that did not end after its deadline on a loaded
// machine, say): it kills nothing.
type layer struct {
	name string // "check", "go test", "trace": a mutant is "killed (NAME)"
	argv []string
}

// A plan is what a mutant is held to: builds, then layers in order; the
// first layer that fails kills it.
type plan struct {
	builds   [][]string
	layers   []layer
	deadline time.Duration
}

// A tool holds mutants, one at a time, to their plans in its copy of the
// module.
type tool struct {
	root string
	// mechs are the mechanisms, for Mutant.Mechanism.
	mechs []string
	// plans gives what a mutant of mech ("" for all) is held to: first
	// plain, then, when it survives that, trace (no layers: no trace
	// layer).
	plans func(m Mutant, mech string) plan
	trace func(m Mutant, mech string) plan
	// traceBase holds, per mechanism, why the copy without mutants fails
	// its trace plan ("" when it passes); a mechanism not yet needed is
	// absent.
	traceBase map[string]string
}

// newTool is the tool of make mutants: mutants of a mechanism rebuild its
// programs and run its checks, within deadline (each plan).
func newTool(root string, deadline time.Duration, trace bool) *tool {
	t := &tool{root: root, traceBase: map[string]string{}}
	programs := map[string][]string{}
	for _, m := range compare.Mechanisms {
		t.mechs = append(t.mechs, m.Name)
		programs[m.Name] = m.Programs
	}
	t.plans = func(m Mutant, mech string) plan {
		return plan{builds: m.Builds(programs[mech]), layers: Layers(m, mech), deadline: deadline}
	}
	t.trace = func(m Mutant, mech string) plan {
		p := plan{builds: m.Builds(programs[mech]), deadline: deadline}
		if trace {
			p.layers = []layer{TraceLayer(mech)}
		}
		return p
	}
	return t
}

// Layers are the plain checks of a mutant of mech ("" for all): the
// parity run of its mechanism, then the go tests of its packages.
//
// The builds and tests are CPU-heavy and run niced; the parity run is
// not: it takes a few seconds of CPU, but a starved run misses its
// deadlines and differs from C for no fault of the mutant (seen at nice 19
// with a load of 25 on 2 CPUs). Four runs at a time: a run mostly waits
// (for its sandbox, its processes).
func Layers(m Mutant, mech string) []layer {
	check := []string{"bin/ipcparity", "check", "--quiet", "--failfast", "-j", "4"}
	if mech != "" {
		check = append(check, mech)
	}
	return []layer{
		{"check", check},
		{"go test", append([]string{"nice", "-n", "19", "go", "test", "-count=1"}, m.Packages()...)},
	}
}

// TraceLayer is the check of a survivor of mech ("" for all): every
// scenario of the mechanism under strace, each process's IPC system calls
// held to C's (call scripts are not traced).
func TraceLayer(mech string) layer {
	argv := []string{"bin/ipcparity", "check", "--trace", "--quiet", "--failfast", "-j", "4"}
	if mech != "" {
		argv = append(argv, mech)
	}
	return layer{"trace", argv}
}

// A result is what became of a mutant under a plan.
type result struct {
	layer string // the layer that killed it; "" for none
	why   string
	// invalid: it did not build; inconclusive: a check could not judge.
	invalid, inconclusive bool
}

// hold applies m (nil: none) to the copy, carries out p and puts the file
// back.
func (t *tool) hold(m *Mutant, p plan) result {
	if m != nil {
		undo, err := m.Apply(t.root)
		if err != nil {
			fail(err)
		}
		defer func() {
			if err := undo(); err != nil {
				fail(err)
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.deadline)
	defer cancel()
	for _, build := range p.builds {
		if out, err := command(ctx, t.root, append([]string{"nice", "-n", "19"}, build...)...); err != nil {
			return result{invalid: ctx.Err() == nil, inconclusive: ctx.Err() != nil, why: "build: " + firstLines(out, err)}
		}
	}
	for _, l := range p.layers {
		out, err := command(ctx, t.root, l.argv...)
		if err == nil {
			continue
		}
		var exit *exec.ExitError
		if ctx.Err() == nil && errors.As(err, &exit) && exit.ExitCode() == 2 && l.argv[0] == "bin/ipcparity" {
			return result{inconclusive: true, why: l.name + " ended in an error: " + firstLines(out, err)}
		}
		return result{layer: l.name, why: firstLines(out, err)}
	}
	return result{}
}

// judge holds m to its plain plan, then, if it survives, to its trace
// plan, after the copy without mutants has passed that (once per
// mechanism: a layer that fails without a mutant kills nothing).
func (t *tool) judge(m Mutant) result {
	mech := m.Mechanism(t.mechs)
	res := t.hold(&m, t.plans(m, mech))
	tp := t.trace(m, mech)
	if res.layer != "" || res.invalid || res.inconclusive || len(tp.layers) == 0 {
		return res
	}
	base, ok := t.traceBase[mech]
	if !ok {
		r := t.hold(nil, tp)
		base = r.why
		if r.layer == "" && !r.inconclusive && !r.invalid {
			base = ""
		}
		t.traceBase[mech] = base
	}
	if base != "" {
		return result{inconclusive: true, why: "the module without mutants fails the trace layer: " + base}
	}
	return t.hold(&m, tp)
}

// runAll judges each mutant, prints a line for each and the summary on w,
// and returns the exit status: 0 when every mutant is killed or listed as
// equivalent, 1 when one survives, 2 when the list is wrong (a mutant
// that does not build, or one listed as equivalent that a layer kills).
func (t *tool) runAll(w io.Writer, mutants []Mutant, list string) int {
	var survivors []Mutant
	var invalid, errored, equivalent, mislisted []string
	killedBy := map[string]int{}
	var layers []string // in the order they first killed
	killed := 0
	for i, m := range mutants {
		t0 := time.Now()
		res := t.judge(m)
		verdict, why := "", res.why
		switch {
		case res.invalid:
			// Not a mistake a port could ship: the list's error.
			verdict = "INVALID"
			invalid = append(invalid, fmt.Sprintf("%s (%s:%d)", m.Name, list, m.Line))
		case res.inconclusive:
			verdict = "ERROR"
			errored = append(errored, m.Name)
		case res.layer != "" && m.Equivalent != "":
			verdict = "MISLISTED"
			why = "listed as equivalent, killed by " + res.layer + ": " + why
			mislisted = append(mislisted, fmt.Sprintf("%s (%s:%d)", m.Name, list, m.Line))
		case res.layer != "":
			verdict = "killed (" + res.layer + ")"
			if killedBy[res.layer] == 0 {
				layers = append(layers, res.layer)
			}
			killedBy[res.layer]++
			killed++
		case m.Equivalent != "":
			verdict, why = "equivalent", m.Equivalent
			equivalent = append(equivalent, m.Name)
		default:
			verdict, why = "SURVIVED", m.File
			survivors = append(survivors, m)
		}
		fmt.Fprintf(w, "[%d/%d] %-16s %s (%s): %s [%s]\n", i+1, len(mutants), verdict, m.Name, m.Kind, why, time.Since(t0).Round(time.Second))
	}
	counted := len(mutants) - len(invalid) - len(errored) - len(mislisted) - len(equivalent)
	var by []string
	for _, l := range layers {
		by = append(by, fmt.Sprintf("%d by %s", killedBy[l], l))
	}
	fmt.Fprintf(w, "\n%d of %d mutants killed: %.1f%% (%s)\n", killed, counted, 100*float64(killed)/float64(max(counted, 1)), strings.Join(by, ", "))
	if len(equivalent) > 0 {
		fmt.Fprintf(w, "equivalent, listed with their reason and not counted: %s\n", strings.Join(equivalent, ", "))
	}
	byKind := map[string][]string{}
	for _, m := range survivors {
		byKind[m.Kind] = append(byKind[m.Kind], m.Name+" ("+m.File+")")
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "survivors of kind %s: %s\n", k, strings.Join(byKind[k], ", "))
	}
	if len(errored) > 0 {
		fmt.Fprintf(w, "not counted, their check ended in an error (run them again): %s\n", strings.Join(errored, ", "))
	}
	switch {
	case len(invalid) > 0:
		fmt.Fprintf(w, "mutants that do not build: %s\n", strings.Join(invalid, ", "))
		return 2
	case len(mislisted) > 0:
		fmt.Fprintf(w, "mutants listed as equivalent that a layer kills: %s\n", strings.Join(mislisted, ", "))
		return 2
	case len(survivors) > 0:
		return 1
	}
	return 0
}

// command runs argv in dir, in a process group of its own that the
// deadline kills whole, and returns its output.
func command(ctx context.Context, dir string, argv ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "IPCPARITY_SKIP_BUILD=1") // the plan built what it runs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("deadline: %w", ctx.Err())
	}
	return out, err
}

// firstLines is what shows why a command failed: the lines that say
// DIFF, FAIL or error, at most three, else its last line; when the output
// has a trace diff, its first line of those and the diff's first removed
// and added calls instead (C's call, the mutant's).
func firstLines(out []byte, err error) string {
	var keep, calls []string
	var minus, plus bool
	for _, l := range strings.Split(string(bytes.TrimSpace(out)), "\n") {
		l = strings.TrimSpace(l)
		// A trace diff's line: "- send(4, ...) = 9" (a transcript's diff
		// quotes its lines).
		isCall := len(l) > 2 && 'a' <= l[2] && l[2] <= 'z' && strings.Contains(l, ") = ")
		switch {
		case strings.HasPrefix(l, "ok "):
		case strings.Contains(l, "DIFF") || strings.HasPrefix(l, "--- FAIL") || strings.Contains(l, "error"):
			if len(keep) < 3 {
				keep = append(keep, l)
			}
		case !minus && isCall && strings.HasPrefix(l, "- "):
			minus = true
			calls = append(calls, l)
		case !plus && isCall && strings.HasPrefix(l, "+ "):
			plus = true
			calls = append(calls, l)
		}
	}
	if len(calls) > 0 {
		keep = append(keep[:min(len(keep), 1)], calls...)
	}
	if len(keep) == 0 {
		lines := strings.Split(string(bytes.TrimSpace(out)), "\n")
		keep = append(keep, strings.TrimSpace(lines[len(lines)-1]))
	}
	return err.Error() + ": " + strings.Join(keep, " | ")
}

// copyModule copies the module in src (its files as they are, committed
// or not) to dst, without .git and bin.
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() && (rel == ".git" || rel == "bin") {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
}

// runGremlins runs gremlins on goipc in the copy, one worker, and prints
// its report; a missing gremlins is said, not fatal.
func runGremlins(root string) {
	path, err := exec.LookPath("gremlins")
	if err != nil {
		fmt.Println("gremlins: not installed (go install github.com/go-gremlins/gremlins/cmd/gremlins@latest)")
		return
	}
	t0 := time.Now()
	cmd := exec.Command(path, "unleash", "--workers", "1", "--timeout-coefficient", "5", "./goipc")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Println("gremlins:", err)
	}
	fmt.Printf("gremlins took %s\n", time.Since(t0).Round(time.Second))
}
