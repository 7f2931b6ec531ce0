//go:build linux

package paritytest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
)

// EnvBin names the environment variable that, when Options.Bin is empty,
// gives the directory of the binaries (laid out as make build lays out
// bin/) instead of a build into the cache.
const EnvBin = "IPCPARITY_BIN"

// Options are the choices of ipcparity verify's and calls' flags. The zero
// Options are what Verify and Calls use.
type Options struct {
	// Bin is the directory of the binaries, as make build lays out bin/:
	// c/PROGRAM for Verify, cgo/ipccalls and go/ipccalls for Calls. When
	// it is empty, $IPCPARITY_BIN; when that is empty too, paritytest
	// builds them into the user cache directory (see the package doc).
	Bin string
	// Lang is the port's language, whose known differences apply to it:
	// "go", "cgo" (C code in a Go process), "c", or "none". Empty means go
	// for a Go binary, else none (--lang).
	Lang string
	// Errno says that the port reports the errno of a failing call on
	// IPCPARITY_REPORT_FD (package report), and errno is compared too
	// (--errno).
	Errno bool
	// Run, when not empty, is a regular expression that selects the
	// scenarios (MECHANISM/NAME) or call scripts (the file as given) to run
	// (--run); go test's -run selects among them too.
	Run string
}

var mainCalled atomic.Bool

// Main is the TestMain of a package that uses Verify or Calls: Init, then
// the tests.
//
//	func TestMain(m *testing.M) { paritytest.Main(m) }
func Main(m *testing.M) {
	Init()
	os.Exit(m.Run())
}

// Init must be called first thing in a TestMain of one's own: when the
// process is the init of a sandboxed run (the test binary again), it
// carries the run out and exits.
func Init() {
	runner.Main(compare.Lookup)
	mainCalled.Store(true)
}

// Verify runs every scenario of program with command (and its arguments;
// the scenario's are appended) in the program's place and C in the other
// roles, a subtest per scenario, as Options{} would.
func Verify(t *testing.T, program string, command ...string) {
	t.Helper()
	Options{}.Verify(t, program, command...)
}

// Calls runs each call script on cipc and goipc, a subtest per file, as
// Options{} would.
func Calls(t *testing.T, files ...string) {
	t.Helper()
	Options{}.Calls(t, files...)
}

// Verify runs every scenario of program that o.Run and -run select, each
// as a subtest MECHANISM/NAME, with command in the program's place and C
// in the other roles, and compares each with C alone. A scenario that
// disagrees fails with ipcparity verify's report; one that agrees logs it
// where a known difference or a note applies.
func (o Options) Verify(t *testing.T, program string, command ...string) {
	t.Helper()
	if !slices.Contains(compare.Programs(), program) {
		t.Fatalf("paritytest: unknown program %q (programs: %s)", program, strings.Join(compare.Programs(), " "))
	}
	if len(command) == 0 {
		t.Fatalf("paritytest: Verify %s: no command", program)
	}
	if !slices.Contains([]string{"", runner.LangGo, runner.LangCgo, runner.LangC, "none"}, o.Lang) {
		t.Fatalf("paritytest: unknown Options.Lang %q (go, cgo, c or none)", o.Lang)
	}
	run := o.selection(t)
	parallel := ready(t)
	bin := o.bin(t, needC)
	argv, path := resolve(t, command)
	user := runner.CommandForm(program, argv)
	user.ReportsErrno = o.Errno
	user.Lang = portLang(t, o.Lang, path)
	var c runner.Form // the reference
	for _, f := range runner.BuiltinForms(bin) {
		if f.Name == runner.FormC {
			c = f
		}
	}

	var scs []runner.Scenario
	for _, sc := range compare.Select(program) {
		if run == nil || run.MatchString(sc.Mechanism+"/"+sc.Name) {
			scs = append(scs, sc)
		}
	}
	if len(scs) == 0 {
		t.Fatalf("paritytest: Options.Run %q selects no scenario of %s (ipcparity list names them)", o.Run, program)
	}
	for _, sc := range scs {
		t.Run(sc.Mechanism+"/"+sc.Name, func(t *testing.T) {
			t.Helper() // failures point at the call of Verify
			if parallel {
				t.Parallel()
			}
			if !parallel && len(sc.Sysctls) > 0 {
				t.Skipf("paritytest: the scenario sets sysctls, which only a sandboxed run can: %v", runner.Sandboxed())
			}
			if why := runner.Unavailable(sc); why != "" {
				t.Skipf("paritytest: not run: %s", why)
			}
			res := judge.ComparePort(t.Context(), sc, program, c, user)
			var b strings.Builder
			judge.Report(&b, []judge.Result{res})
			switch {
			case !res.Agree:
				t.Errorf("%s does not behave as C:\n%s", program, b.String())
			case len(res.Notes) > 0 || slices.ContainsFunc(res.Runs, func(rr judge.RunResult) bool { return rr.Verdict == judge.VerdictKnown }):
				t.Logf("agrees with C:\n%s", b.String())
			}
		})
	}
}

// Calls runs each call script that o.Run and -run select on cipc and on
// goipc, each side in a run of its own, a subtest per file (its base
// name). A script fails when a side does not meet its expectations or the
// sides' transcripts differ, with ipcparity calls' report.
func (o Options) Calls(t *testing.T, files ...string) {
	t.Helper()
	if len(files) == 0 {
		t.Fatal("paritytest: Calls: no file")
	}
	run := o.selection(t)
	var selected []string
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("paritytest: %v", err)
		}
		if run == nil || run.MatchString(f) {
			selected = append(selected, f)
		}
	}
	if len(selected) == 0 {
		t.Fatalf("paritytest: Options.Run %q selects none of %q", o.Run, files)
	}
	parallel := ready(t)
	bin := o.bin(t, needCalls)
	for _, f := range selected {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Helper() // failures point at the call of Calls
			if parallel {
				t.Parallel()
			}
			if !parallel {
				text, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				// A script that does not parse is RunScript's to report.
				if s, err := compare.Calls().Parse(f, string(text)); err == nil && len(s.Sysctls) > 0 {
					t.Skipf("paritytest: the script sets sysctls, which only a sandboxed run can: %v", runner.Sandboxed())
				}
			}
			res := compare.RunScript(t.Context(), bin, f)
			if res.NotRun != "" {
				t.Skipf("paritytest: not run: %s", res.NotRun)
			}
			if !res.Agree {
				var b strings.Builder
				judge.ReportScripts(&b, []judge.ScriptResult{res})
				t.Errorf("cipc and goipc do not agree:\n%s", b.String())
			}
		})
	}
}

// selection compiles o.Run.
func (o Options) selection(t *testing.T) *regexp.Regexp {
	t.Helper()
	if o.Run == "" {
		return nil
	}
	re, err := regexp.Compile(o.Run)
	if err != nil {
		t.Fatalf("paritytest: Options.Run: %v", err)
	}
	return re
}

var sweepOnce sync.Once

// ready fails the test when Init was not called, skips it when runs
// cannot be sandboxed and the fallback was not asked for, and reports
// whether runs may go in parallel (they are sandboxed).
func ready(t *testing.T) bool {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("paritytest: Init was not called: the test package needs func TestMain(m *testing.M) { paritytest.Main(m) }")
	}
	why := runner.Sandboxed()
	if why == nil {
		return true
	}
	if os.Getenv(runner.NoSandboxEnv) == "" {
		t.Skipf("paritytest: runs cannot be sandboxed here (%v); %s=1 runs them without a sandbox, one at a time (see the README's Isolation)", why, runner.NoSandboxEnv)
	}
	// Without namespaces, a killed run's objects stay until a later run
	// sweeps them, as every ipcparity command does.
	sweepOnce.Do(func() { runner.Sweep(scenarios.SweepMqueues) })
	return false
}

// resolve makes the command's program a path that a run finds wherever it
// runs (its working directory is its own): a name without a slash is
// looked for in PATH, a relative path is made absolute. It returns the
// command line and the program's path.
func resolve(t *testing.T, command []string) ([]string, string) {
	t.Helper()
	argv := slices.Clone(command)
	if !strings.Contains(argv[0], "/") {
		path, err := exec.LookPath(argv[0])
		if err != nil {
			t.Fatalf("paritytest: %v", err)
		}
		return argv, path
	}
	abs, err := filepath.Abs(argv[0])
	if err != nil {
		t.Fatalf("paritytest: %v", err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("paritytest: the port: %v", err)
	}
	argv[0] = abs
	return argv, abs
}

// portLang is the port's language, as ipcparity verify takes it
// (runner.PortLang); what it took is logged.
func portLang(t *testing.T, lang, path string) string {
	t.Helper()
	l, said := runner.PortLang(lang, path)
	t.Logf("paritytest: %s (Options.Lang)", said)
	return l
}
