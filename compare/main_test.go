//go:build linux

package compare

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// binDir holds the binaries of `make build`, which TestMain brings up to
// date so that `go test ./...` works on its own.
const binDir = "../bin"

// testsAtOnce is how many of this package's parallel tests run at once
// unless -parallel says otherwise: they mostly wait on their sandboxes
// (deadlines, idle windows, the programs' start), so more of them than
// go test's one per CPU keep the CPUs busy.
const testsAtOnce = 6

func TestMain(m *testing.M) {
	runner.Main(Lookup) // sandbox.Available's probe starts this binary again
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", strconv.Itoa(max(testsAtOnce, runtime.GOMAXPROCS(0))))
	}
	if os.Getenv("IPCPARITY_SKIP_BUILD") == "" {
		cmd := exec.Command("make", "-s", "-C", "..", "build")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "make build:", err)
			os.Exit(1)
		}
	}
	// Sandboxed runs start bin/ipcparity-init as their init, as
	// bin/ipcparity does: the same catalogue, without the race detector's
	// start-up cost (the race detector still covers this process, which
	// judges).
	runner.InitBinary, _ = filepath.Abs(filepath.Join(binDir, "ipcparity-init"))
	// The runs' directories go to a directory of this test's own, where a
	// test can see what a run left without meeting other packages' runs.
	tmp, err := os.MkdirTemp("", "compare-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TMPDIR", tmp)
	code := m.Run()
	os.RemoveAll(tmp)
	if f := os.Getenv(junitEnv); f != "" {
		if err := writeJUnit(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// junitEnv names a file where the parity matrix of this package's tests
// is written as JUnit XML (.ci/run sets it): the same results as
// ipcparity check --junit, without running the matrix twice.
const junitEnv = "IPCPARITY_JUNIT"

var junit struct {
	sync.Mutex
	results []judge.Result
	scripts []judge.ScriptResult
}

func writeJUnit(file string) error {
	junit.Lock()
	defer junit.Unlock()
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := judge.WriteJUnit(f, junit.results, junit.scripts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// scenario returns the registered scenario mech/name.
func scenario(mech, name string) runner.Scenario {
	for _, sc := range Select(mech) {
		if sc.Mechanism == mech && sc.Name == name {
			return sc
		}
	}
	panic("no scenario " + mech + "/" + name)
}

// checkParity runs every scenario of mech under every pairing of the C,
// cgo and Go forms and fails with the report of each that disagrees.
func checkParity(t *testing.T, mech string) {
	t.Helper()
	forms := runner.BuiltinForms(binDir)
	scs := Select(mech)
	if len(scs) == 0 {
		t.Fatalf("no %s scenarios", mech)
	}
	// The costliest first, as check orders them, so that the test does
	// not end with one long scenario running alone.
	costs := make([]time.Duration, len(scs))
	for i, sc := range scs {
		costs[i] = Cost(sc, len(runner.Pairings(sc.Roles, forms)))
	}
	results := EachIn(context.Background(), Jobs(), Schedule(costs), func(i int) judge.Result {
		return judge.Compare(context.Background(), scs[i], runner.Pairings(scs[i].Roles, forms))
	})
	junit.Lock()
	junit.results = append(junit.results, results...)
	junit.Unlock()
	for i, res := range results {
		sc := scs[i]
		if why := judge.NotRun(res); why != "" {
			t.Logf("%s/%s: not run: %s", sc.Mechanism, sc.Name, why)
			continue
		}
		if !res.Agree {
			var b strings.Builder
			judge.Report(&b, []judge.Result{res})
			t.Errorf("%s:\n%s", sc.Name, b.String())
		}
	}
}

// checkScripts runs the call scripts testdata/calls/PREFIX_*.calls (at
// least atLeast of them) on cipc and goipc, each side run by its ipccalls.
func checkScripts(t *testing.T, prefix string, atLeast int) {
	t.Helper()
	files, _ := filepath.Glob("../testdata/calls/" + prefix + "_*.calls")
	if len(files) < atLeast {
		t.Fatalf("found %d %s call scripts, want at least %d", len(files), prefix, atLeast)
	}
	results := Each(context.Background(), Jobs(), len(files), func(i int) judge.ScriptResult {
		return RunScript(context.Background(), binDir, files[i])
	})
	junit.Lock()
	junit.scripts = append(junit.scripts, results...)
	junit.Unlock()
	for i, res := range results {
		f := files[i]
		if res.NotRun != "" {
			t.Logf("%s: not run: %s", f, res.NotRun)
			continue
		}
		if !res.Agree {
			var b strings.Builder
			judge.ReportScripts(&b, []judge.ScriptResult{res})
			t.Errorf("%s:\n%s", f, b.String())
		}
		if !strings.Contains(res.Transcripts[runner.SideGo], " = ") {
			t.Errorf("%s: empty transcript", f)
		}
	}
}

// hostState lists what a run could leave on the host: run directories in
// the temporary directory, entries of /dev/shm, and processes whose
// command line holds marker (when not empty).
func hostState(marker string) []string {
	var state []string
	tmp, _ := os.ReadDir(os.TempDir())
	for _, e := range tmp {
		if strings.HasPrefix(e.Name(), "ipcparity-") || strings.HasPrefix(e.Name(), runner.TokenPrefix) {
			state = append(state, "dir "+e.Name())
		}
	}
	shm, _ := os.ReadDir("/dev/shm")
	for _, e := range shm {
		// Other packages' tests name objects of their own meanwhile.
		if strings.Contains(e.Name(), runner.InsideToken) || strings.Contains(e.Name(), runner.TokenPrefix+strconv.Itoa(os.Getpid())+"_") {
			state = append(state, "shm "+e.Name())
		}
	}
	if marker != "" {
		procs, _ := os.ReadDir("/proc")
		for _, e := range procs {
			cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err == nil && strings.Contains(string(cmdline), marker) {
				state = append(state, "process "+e.Name()+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
			}
		}
	}
	return state
}

// checkHostUnchanged fails when the host holds something now that it did
// not hold before (hostState(marker) then).
func checkHostUnchanged(t *testing.T, before []string, marker string) {
	t.Helper()
	for _, x := range hostState(marker) {
		if !slices.Contains(before, x) {
			t.Errorf("left on the host: %s", x)
		}
	}
}
