//go:build linux

package main

// Usage: go run ./internal/mutants [-list FILE] [-run REGEX] [-skip N] [-deadline D] [-gremlins] [-baseline=false]
//
// Run from the module's root (make mutants does). For each mutant of the
// list, in a temporary copy of the module: apply it, make build, then
// bin/ipcparity check of the mutant's mechanism (all of them for a file of
// none), then go test of the packages that see the file. The first that
// fails kills the mutant; a mutant that survives all is named. A mutant
// that does not build is the list's error (exit 2, after the others):
// realistic mistakes compile. -gremlins first runs gremlins on goipc in the copy.

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
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
	deadline := flag.Duration("deadline", 6*time.Minute, "the time a mutant's build and checks may take")
	gremlins := flag.Bool("gremlins", false, "first run gremlins (go-gremlins) on goipc, in the copy")
	skip := flag.Int("skip", 0, "leave out the first N mutants of the list (to go on with an interrupted run)")
	baseline := flag.Bool("baseline", true, "first hold the copy without mutants to the checks of all mechanisms")
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
	for _, m := range mutants {
		if err := m.Check("."); err != nil {
			fail(err)
		}
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
	// The unmutated copy must pass what the mutants are held to, or
	// every mutant would count as killed.
	var mechs []string
	programs := map[string][]string{}
	for _, m := range compare.Mechanisms {
		mechs = append(mechs, m.Name)
		programs[m.Name] = m.Programs
	}
	if *baseline {
		if why := checks(context.Background(), root, Mutant{File: "all"}, "", nil, *deadline*3); why != "" {
			fail(fmt.Errorf("the module without mutants fails: %s", why))
		}
		fmt.Printf("baseline passes (%s)\n", time.Since(start).Round(time.Second))
	} else if out, err := command(context.Background(), root, "nice", "-n", "19", "make", "-s", "build"); err != nil {
		fail(fmt.Errorf("make build: %s", firstLines(out, err)))
	}
	var survivors []Mutant
	var invalid, errored []string
	killed := 0
	for i, m := range mutants {
		t0 := time.Now()
		undo, err := m.Apply(root)
		if err != nil {
			fail(err)
		}
		mech := m.Mechanism(mechs)
		why := checks(context.Background(), root, m, mech, programs[mech], *deadline)
		if err := undo(); err != nil {
			fail(err)
		}
		verdict := "killed  "
		switch {
		case strings.HasPrefix(why, buildFailed):
			// Not a mistake a port could ship: the list's error.
			verdict = "INVALID "
			invalid = append(invalid, fmt.Sprintf("%s (%s:%d)", m.Name, *list, m.Line))
		case strings.HasPrefix(why, inconclusive):
			verdict = "ERROR   "
			errored = append(errored, m.Name)
		case why == "":
			verdict, why = "SURVIVED", m.File
			survivors = append(survivors, m)
		default:
			killed++
		}
		fmt.Printf("[%d/%d] %s %s (%s): %s [%s]\n", i+1, len(mutants), verdict, m.Name, m.Kind, why, time.Since(t0).Round(time.Second))
	}
	if len(mutants) == 0 {
		fail(errors.New("no mutants selected"))
	}
	counted := len(mutants) - len(invalid) - len(errored)
	fmt.Printf("\n%d of %d mutants killed: %.1f%% (%s in all)\n", killed, counted, 100*float64(killed)/float64(max(counted, 1)), time.Since(start).Round(time.Second))
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
		fmt.Printf("survivors of kind %s: %s\n", k, strings.Join(byKind[k], ", "))
	}
	if len(errored) > 0 {
		fmt.Printf("not counted, their check ended in an error (run them again): %s\n", strings.Join(errored, ", "))
	}
	if len(invalid) > 0 {
		fail(fmt.Errorf("mutants that do not build: %s", strings.Join(invalid, ", ")))
	}
	if len(survivors) > 0 {
		cleanup() // os.Exit runs no deferred call
		os.Exit(1)
	}
}

// cleanup removes the temporary copy of the module, once there is one.
var cleanup = func() {}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutants:", err)
	cleanup()
	os.Exit(2)
}

// buildFailed starts the verdict of a mutant whose module does not build,
// inconclusive that of one whose check ended in an error (exit 2).
const (
	buildFailed  = "make build: "
	inconclusive = "ipcparity check ended in an error: "
)

// checks builds the copy in root and runs the checks that m's file is
// held to, within deadline, and says what killed it ("" for nothing).
// mech narrows the parity run to one mechanism ("" for all), whose
// programs are the only ones rebuilt (nil: all).
func checks(ctx context.Context, root string, m Mutant, mech string, programs []string, deadline time.Duration) string {
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	for _, build := range m.Builds(programs) {
		if out, err := command(ctx, root, append([]string{"nice", "-n", "19"}, build...)...); err != nil {
			return buildFailed + firstLines(out, err)
		}
	}
	// The builds and tests are CPU-heavy and run niced; the parity run
	// is not: it takes a few seconds of CPU, but a starved run misses
	// its deadlines and differs from C for no fault of the mutant (seen
	// at nice 19 with a load of 25 on 2 CPUs). Four runs at a time: a run
	// mostly waits (for its sandbox, its processes).
	check := []string{"bin/ipcparity", "check", "--quiet", "--failfast", "-j", "4"}
	if mech != "" {
		check = append(check, mech)
	}
	if out, err := command(ctx, root, check...); err != nil {
		if ctx.Err() == nil && errors.As(err, new(*exec.ExitError)) && err.(*exec.ExitError).ExitCode() == 2 {
			// A run that could not be judged (one that did not end
			// after its deadline on a loaded machine, say) kills
			// nothing.
			return inconclusive + firstLines(out, err)
		}
		return "ipcparity check: " + firstLines(out, err)
	}
	test := append([]string{"nice", "-n", "19", "go", "test", "-count=1"}, m.Packages()...)
	if out, err := command(ctx, root, test...); err != nil {
		return "go test: " + firstLines(out, err)
	}
	return ""
}

// command runs argv in dir, in a process group of its own that the
// deadline kills whole, and returns its output.
func command(ctx context.Context, dir string, argv ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "IPCPARITY_SKIP_BUILD=1") // make build ran already
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
// DIFF, FAIL or error, at most three, else its last line.
func firstLines(out []byte, err error) string {
	var keep []string
	for _, l := range strings.Split(string(bytes.TrimSpace(out)), "\n") {
		if len(keep) < 3 && (strings.Contains(l, "DIFF") || strings.HasPrefix(strings.TrimSpace(l), "--- FAIL") || strings.Contains(l, "error")) {
			keep = append(keep, strings.TrimSpace(l))
		}
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
