//go:build linux

// Command ipcparity runs the C reference programs and their cgo and pure-Go
// forms on identical inputs and reports every difference.
//
//	ipcparity list
//	ipcparity run --form c|cgo|go PROGRAM [ARGS]
//	ipcparity check [--json] [PROGRAM...]
//	ipcparity verify [--json] [--errno] [--lang go|cgo|c|none] PROGRAM -- COMMAND [ARGS]
//	ipcparity calls [--json] [--transcript] FILE...
//	ipcparity bench [--json] [--cpu N] [--reps N] [--quick] [MECHANISM...]
//
// check runs every scenario of the named programs or mechanisms (all when
// none is named) under every pairing of forms, then every call script in
// testdata/calls; it exits 0 only when everything agrees. verify runs the
// scenarios of one program with a user's command in its place and compares
// it with C; the known differences of the command's language apply to it
// (a Go binary is recognised, --lang says it for anything else). An
// interrupted command prints no verdict and exits 130 (SIGINT), 143
// (SIGTERM) or 129 (SIGHUP). Binaries are looked for in the directory of ipcparity itself
// (bin/, as make build lays them out) unless --bin says otherwise.
package main

import (
	"context"
	"debug/buildinfo"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
	"github.com/ipcparity/ipcparity/report"
)

const usage = `usage:
  ipcparity list
  ipcparity run --form c|cgo|go PROGRAM [ARGS]
  ipcparity check [--json] [PROGRAM...]
  ipcparity verify [--json] [--errno] [--lang go|cgo|c|none] PROGRAM -- COMMAND [ARGS]
  ipcparity calls [--json] [--transcript] FILE...
  ipcparity bench [--json] [--cpu N] [--reps N] [--quick] [MECHANISM...]
options (before the command's arguments):
  --bin DIR     where the c, cgo and go binaries are (default: ipcparity's own directory)
  --calls DIR   the call scripts that check runs (default: testdata/calls beside --bin)
  --json        write the results as JSON
  --transcript  calls: print each script's transcript too
  --errno       verify: the command reports errno on IPCPARITY_REPORT_FD; compare it too
  --lang L      verify: the command's language, whose known differences apply to it: go, cgo
                (C code in a Go process), c or none (default: go for a Go binary, else none)
  -j N          runs at once (default: two per CPU when runs are sandboxed, else 1)
  --run REGEX   only the scenarios (MECHANISM/NAME) and call scripts (their file) that REGEX matches
  --failfast    stop starting runs after the first difference
`

func main() {
	runner.Main(compare.Lookup) // a sandboxed run's init is this binary again
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is a bad command line: the usage goes to stderr, exit 2.
type usageError string

func (e usageError) Error() string { return string(e) }

func run(args []string, stdout, stderr io.Writer) int {
	code, err := dispatch(args, stdout, stderr)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "ipcparity: %s\n%s", ue, usage)
		return 2
	}
	var intr interrupted
	if errors.As(err, &intr) {
		// What did not finish has no verdict, and none is printed.
		fmt.Fprintf(stderr, "ipcparity: %v: stopped, no verdict\n", err)
		return 128 + int(intr.sig)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ipcparity: %v\n", err)
		return 2
	}
	return code
}

// interrupted is the cause of a command's context when a signal ended it.
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string { return "interrupted by " + unix.SignalName(e.sig) }

// notifyContext is a context that a SIGINT, SIGTERM or SIGHUP cancels, with
// an interrupted as its cause.
func notifyContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case s := <-ch:
			cancel(interrupted{s.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(nil) }
}

// stopped is the error of a command whose context is done: the signal
// that interrupted it.
func stopped(ctx context.Context) error {
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return ctx.Err()
}

type options struct {
	bin, calls, form string
	lang             string
	json, transcript bool
	errno            bool
	jobs             int
	run              *regexp.Regexp // --run: the scenarios and scripts to run
	failfast         bool
	progress         io.Writer // a line per finished run, where stderr is a terminal
}

// terminal returns w when it is a terminal, for progress lines; nil else.
func terminal(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok {
		if _, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS); err == nil {
			return w
		}
	}
	return nil
}

// selected keeps the scenarios that --run matches ("fifo/umask-000").
func (o *options) selected(scs []runner.Scenario) []runner.Scenario {
	if o.run == nil {
		return scs
	}
	var out []runner.Scenario
	for _, sc := range scs {
		if o.run.MatchString(sc.Mechanism + "/" + sc.Name) {
			out = append(out, sc)
		}
	}
	return out
}

// each is compare.Each with -j, and with --failfast the runs not yet
// started are left out once one disagrees (their results stay zero and
// are dropped by the caller).
func each[T any](ctx context.Context, o *options, n int, f func(int) T, agrees func(T) bool, label func(int) string) []T {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	done := make([]bool, n)
	finished := 0
	out := compare.Each(ctx, o.jobCount(), n, func(i int) T {
		r := f(i)
		mu.Lock()
		done[i] = true
		finished++
		if o.progress != nil {
			mark := "ok"
			if !agrees(r) {
				mark = "DIFF"
			}
			fmt.Fprintf(o.progress, "[%d/%d] %-4s %s\n", finished, n, mark, label(i))
		}
		mu.Unlock()
		if o.failfast && !agrees(r) {
			cancel()
		}
		return r
	})
	var kept []T
	for i, r := range out {
		if done[i] {
			kept = append(kept, r)
		}
	}
	return kept
}

// jobCount is -j, or compare.Jobs() when it is not given.
func (o *options) jobCount() int {
	if o.jobs > 0 {
		return o.jobs
	}
	return compare.Jobs()
}

func parse(name string, args []string, withForm bool) (*options, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := &options{}
	self, _ := os.Executable()
	fs.StringVar(&o.bin, "bin", filepath.Dir(self), "")
	fs.StringVar(&o.calls, "calls", "", "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.transcript, "transcript", false, "")
	fs.BoolVar(&o.errno, "errno", false, "")
	fs.IntVar(&o.jobs, "j", 0, "")
	runRE := fs.String("run", "", "")
	fs.BoolVar(&o.failfast, "failfast", false, "")
	if withForm {
		fs.StringVar(&o.form, "form", "", "")
	}
	if name == "verify" {
		fs.StringVar(&o.lang, "lang", "", "")
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, usageError(name + ": " + err.Error())
	}
	if o.calls == "" {
		o.calls = filepath.Join(o.bin, "..", "testdata", "calls")
	}
	if *runRE != "" {
		re, err := regexp.Compile(*runRE)
		if err != nil {
			return nil, nil, usageError(name + ": --run: " + err.Error())
		}
		o.run = re
	}
	return o, fs.Args(), nil
}

func dispatch(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 {
		return 0, usageError("no command")
	}
	ctx, stop := notifyContext()
	defer stop()
	code, err := command(ctx, args, stdout, stderr)
	if ctx.Err() != nil {
		// Interrupted: whatever the command made of it, it did not finish.
		var intr interrupted
		if errors.As(context.Cause(ctx), &intr) {
			return 0, intr
		}
	}
	return code, err
}

func command(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	if runner.Sandboxed() != nil {
		// Without namespaces, runs name their objects with a token, and a
		// killed run's are swept by the next (see the README).
		runner.Sweep(scenarios.SweepMqueues)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "list":
		if len(rest) != 0 {
			return 0, usageError("list takes no arguments")
		}
		return list(stdout)
	case "run":
		o, rest, err := parse("run", rest, true)
		if err != nil {
			return 0, err
		}
		return runOne(ctx, o, rest, stdout, stderr)
	case "check":
		o, rest, err := parse("check", rest, false)
		if err != nil {
			return 0, err
		}
		o.progress = terminal(stderr)
		return check(ctx, o, rest, stdout)
	case "verify":
		o, rest, err := parse("verify", rest, false)
		if err != nil {
			return 0, err
		}
		o.progress = terminal(stderr)
		return verify(ctx, o, rest, stdout, stderr)
	case "calls":
		o, rest, err := parse("calls", rest, false)
		if err != nil {
			return 0, err
		}
		o.progress = terminal(stderr)
		if len(rest) == 0 {
			return 0, usageError("calls needs at least one FILE")
		}
		return calls(ctx, o, rest, stdout)
	case "bench":
		return benchCmd(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0, nil
	}
	return 0, usageError(fmt.Sprintf("unknown command %q", cmd))
}

func programs() []string {
	seen := map[string]bool{}
	var out []string
	for _, sc := range compare.Scenarios() {
		for _, r := range sc.Roles {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out
}

func mechanisms() []string {
	var out []string
	for _, sc := range compare.Scenarios() {
		if len(out) == 0 || out[len(out)-1] != sc.Mechanism {
			out = append(out, sc.Mechanism)
		}
	}
	return out
}

func list(w io.Writer) (int, error) {
	fmt.Fprintf(w, "forms: c (bin/c), cgo (bin/cgo), go (bin/go)\n\nprograms: %s\n", strings.Join(programs(), " "))
	mech := ""
	for _, sc := range compare.Scenarios() {
		if sc.Mechanism != mech {
			mech = sc.Mechanism
			fmt.Fprintf(w, "\n%s (%s):\n", mech, strings.Join(sc.Roles, ", "))
		}
		fmt.Fprintf(w, "  %-22s %s\n", sc.Name, sc.About)
	}
	fmt.Fprintf(w, "\nknown differences between C and Go:\n")
	for _, kd := range judge.KnownDifferences {
		seen := ""
		if kd.Expect == nil {
			seen = "; no outcome shows it"
		}
		fmt.Fprintf(w, "  %s (languages %s; %s%s):\n      %s\n", kd.ID, strings.Join(kd.Langs, ", "), strings.Join(kd.Scenarios, ", "), seen, strings.ReplaceAll(judge.Wrap(kd.Reason, 72), "\n", "\n      "))
	}
	return 0, nil
}

// runOne runs one program as one form, in the current directory with this
// terminal, as a user would run the binary; a failure's errno is told on
// stderr afterwards.
func runOne(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) (int, error) {
	if o.form == "" {
		return 0, usageError("run needs --form c, cgo or go")
	}
	if len(args) == 0 {
		return 0, usageError("run needs a PROGRAM")
	}
	if !contains(programs(), args[0]) {
		return 0, usageError(fmt.Sprintf("unknown program %q (programs: %s)", args[0], strings.Join(programs(), " ")))
	}
	var form *runner.Form
	for _, f := range runner.BuiltinForms(o.bin) {
		if f.Name == o.form {
			form = &f
		}
	}
	if form == nil {
		return 0, usageError(fmt.Sprintf("unknown form %q (forms: c, cgo, go)", o.form))
	}
	argv, err := form.Command(args[0])
	if err != nil {
		return 0, err
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.ExtraFiles = []*os.File{wr}
	cmd.Env = append(os.Environ(), "IPCPARITY_REPORT_FD=3")
	err = cmd.Start()
	wr.Close()
	if err != nil {
		rd.Close()
		return 0, err
	}
	side, _ := io.ReadAll(rd)
	rd.Close()
	err = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		fmt.Fprintf(stderr, "ipcparity: %s (%s) killed by %s\n", args[0], o.form, ws.Signal())
		return 128 + int(ws.Signal()), nil
	}
	if err != nil && code != 0 {
		msg := fmt.Sprintf("ipcparity: %s (%s) exited %d", args[0], o.form, code)
		if e := runner.ParseErrno(string(side)); e != 0 {
			msg += ", errno " + report.ErrnoName(e)
		}
		fmt.Fprintln(stderr, msg)
	}
	return code, nil
}

func check(ctx context.Context, o *options, names []string, stdout io.Writer) (int, error) {
	for _, n := range names {
		if !contains(programs(), n) && !contains(mechanisms(), n) {
			return 0, usageError(fmt.Sprintf("unknown program %q (programs: %s; mechanisms: %s)", n, strings.Join(programs(), " "), strings.Join(mechanisms(), " ")))
		}
	}
	forms := runner.BuiltinForms(o.bin)
	scs := o.selected(compare.Select(names...))
	results := each(ctx, o, len(scs), func(i int) judge.Result {
		return judge.Compare(ctx, scs[i], runner.Pairings(scs[i].Roles, forms))
	}, func(r judge.Result) bool { return r.Agree }, func(i int) string { return scs[i].Mechanism + "/" + scs[i].Name })
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	// The call scripts of the selected mechanisms: pipe*.calls for pipe.
	var files []string
	all, _ := filepath.Glob(filepath.Join(o.calls, "*.calls"))
	sort.Strings(all)
	for _, f := range all {
		if (len(names) == 0 || selected(filepath.Base(f), names)) && (o.run == nil || o.run.MatchString(f)) {
			files = append(files, relative(f))
		}
	}
	if o.failfast && !judge.AllAgree(results) {
		files = nil
	}
	scripts := each(ctx, o, len(files), func(i int) judge.ScriptResult {
		return compare.RunScript(ctx, o.bin, files[i])
	}, func(r judge.ScriptResult) bool { return r.Agree }, func(i int) string { return files[i] })
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	ok := judge.AllAgree(results) && scriptsAgree(scripts)
	if o.json {
		if err := writeJSON(stdout, results, scripts, ok); err != nil {
			return 0, err
		}
	} else {
		judge.Report(stdout, results)
		if len(scripts) > 0 {
			fmt.Fprintln(stdout)
			judge.ReportScripts(stdout, scripts)
		}
	}
	if !ok {
		return 1, nil
	}
	return 0, nil
}

// selected reports whether a script file (fifo_open.calls) belongs to one
// of the named mechanisms or programs.
func selected(base string, names []string) bool {
	mech, _, _ := strings.Cut(strings.TrimSuffix(base, ".calls"), "_")
	for _, n := range names {
		m, _, _ := strings.Cut(n, "_")
		if m == mech {
			return true
		}
	}
	return false
}

func verify(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) (int, error) {
	dash := -1
	for i, a := range args {
		if a == "--" {
			dash = i
			break
		}
	}
	if dash != 1 || dash == len(args)-1 {
		return 0, usageError("verify needs PROGRAM -- COMMAND [ARGS]")
	}
	program, command := args[0], args[dash+1:]
	if !contains(programs(), program) {
		return 0, usageError(fmt.Sprintf("unknown program %q (programs: %s)", program, strings.Join(programs(), " ")))
	}
	if !contains([]string{"", runner.LangGo, runner.LangCgo, runner.LangC, "none"}, o.lang) {
		return 0, usageError(fmt.Sprintf("verify: unknown --lang %q (go, cgo, c or none)", o.lang))
	}
	path := command[0]
	if !strings.Contains(command[0], "/") {
		found, err := exec.LookPath(command[0])
		if err != nil {
			return 0, fmt.Errorf("verify: %v", err)
		}
		path = found
	} else if abs, err := filepath.Abs(command[0]); err == nil {
		command[0], path = abs, abs
	}
	var c runner.Form
	for _, f := range runner.BuiltinForms(o.bin) {
		if f.Name == runner.FormC {
			c = f
		}
	}
	user := runner.CommandForm(program, command)
	user.ReportsErrno = o.errno
	user.Lang = portLang(o.lang, path, stderr)
	scs := o.selected(compare.Select(program))
	results := each(ctx, o, len(scs), func(k int) judge.Result {
		sc := scs[k]
		ref := make(runner.Pairing, len(sc.Roles))
		mine := make(runner.Pairing, len(sc.Roles))
		for i, r := range sc.Roles {
			ref[i], mine[i] = c, c
			if r == program {
				mine[i] = user
			}
		}
		return judge.Compare(ctx, sc, []runner.Pairing{ref, mine})
	}, func(r judge.Result) bool { return r.Agree }, func(i int) string { return scs[i].Mechanism + "/" + scs[i].Name })
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	ok := judge.AllAgree(results)
	if o.json {
		if err := writeJSON(stdout, results, nil, ok); err != nil {
			return 0, err
		}
	} else {
		judge.Report(stdout, results)
	}
	if !ok {
		return 1, nil
	}
	return 0, nil
}

// portLang is the language of the user's port: --lang when it is given,
// else go for a Go binary, else none. What it took is said on stderr.
func portLang(flagLang, path string, stderr io.Writer) string {
	switch flagLang {
	case "none":
		return ""
	case "":
	default:
		return flagLang
	}
	if _, err := buildinfo.ReadFile(path); err != nil {
		fmt.Fprintf(stderr, "ipcparity: %s is not a Go binary: no known difference applies, the port is held to C (a wrapper of a Go binary: --lang go)\n", path)
		return ""
	}
	// A Go binary built with cgo that does not call C behaves as Go does:
	// the cgo entries are about C code running inside a Go process.
	fmt.Fprintf(stderr, "ipcparity: %s is a Go binary: the known differences of Go apply (C code in it: --lang cgo)\n", path)
	return runner.LangGo
}

func calls(ctx context.Context, o *options, files []string, stdout io.Writer) (int, error) {
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return 0, err
		}
	}
	scripts := each(ctx, o, len(files), func(i int) judge.ScriptResult {
		return compare.RunScript(ctx, o.bin, files[i])
	}, func(r judge.ScriptResult) bool { return r.Agree }, func(i int) string { return files[i] })
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	ok := scriptsAgree(scripts)
	if o.json {
		if err := writeJSON(stdout, nil, scripts, ok); err != nil {
			return 0, err
		}
	} else {
		if o.transcript {
			for _, r := range scripts {
				printTranscripts(stdout, r)
			}
		}
		judge.ReportScripts(stdout, scripts)
	}
	if !ok {
		return 1, nil
	}
	return 0, nil
}

// printTranscripts shows what a script did: once when cipc and goipc
// printed the same, else each side's.
func printTranscripts(w io.Writer, r judge.ScriptResult) {
	c, g := r.Transcripts[runner.SideC], r.Transcripts[runner.SideGo]
	if c == g {
		fmt.Fprintf(w, "# %s: cipc and goipc\n%s\n", r.File, c)
		return
	}
	fmt.Fprintf(w, "# %s: cipc\n%s\n# %s: goipc\n%s\n", r.File, c, r.File, g)
}

// relative shortens path to a path from the working directory when it is
// below it, for the report.
func relative(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

func scriptsAgree(s []judge.ScriptResult) bool {
	for _, r := range s {
		if !r.Agree {
			return false
		}
	}
	return true
}

func writeJSON(w io.Writer, results []judge.Result, scripts []judge.ScriptResult, agree bool) error {
	return judge.WriteJSON(w, results, scripts, agree)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
