//go:build linux

// Command ipcparity runs the C reference programs and their cgo and pure-Go
// forms on identical inputs and reports every difference.
//
//	ipcparity list
//	ipcparity run --form c|cgo|go|idiom [--here] [--deadline D] PROGRAM [ARGS]
//	ipcparity check [--json] [--trace] [-j N] [--run REGEX] [--failfast] [PROGRAM|MECHANISM...]
//	ipcparity verify [--json] [--errno] [--lang L] [--trace] [-j N] [--run REGEX] [--failfast] PROGRAM -- COMMAND [ARGS]
//	ipcparity calls [--json] [--transcript] [-j N] [--run REGEX] [--failfast] FILE...
//	ipcparity explain [--width N] [--src DIR] PROGRAM
//	ipcparity report --html FILE [--src DIR] [-j N] [--run REGEX] [--failfast] [PROGRAM|MECHANISM...]
//	ipcparity bench [--json] [--cpu N] [--reps N] [--quick] [MECHANISM...]
//	ipcparity help [COMMAND]
//	ipcparity --version
//
// check runs every scenario of the named programs or mechanisms (all when
// none is named) under every pairing of forms, then every call script in
// testdata/calls; it exits 0 only when everything agrees. verify runs the
// scenarios of one program with a user's command in its place and compares
// it with C; the known differences of the command's language apply to it
// (a Go binary is recognised, --lang says it for anything else). report
// runs what check runs and writes its results as one HTML page. Options go
// before or after the arguments, up to a "--". The exit status is 0 when
// everything agrees, 1 for a difference and 2 for an error (a bad command
// line, an unreadable or malformed input, a missing binary, a port that
// cannot start: each said once). An interrupted command prints no verdict
// and exits 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP). Binaries are
// looked for in the directory of ipcparity itself (bin/, as make build lays
// them out) unless --bin says otherwise.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/explain"
	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
	"github.com/ipcparity/ipcparity/internal/sandbox"
	"github.com/ipcparity/ipcparity/report"
)

func main() {
	// A sandboxed run's init is ipcparity-init where it lies beside this
	// binary (it starts faster), else this binary again.
	runner.Main(compare.Lookup)
	// What runs unsandboxed (run, bench, the fallback) must not inherit a
	// mask that perf or the like left; an ignored SIGHUP stays nohup's.
	sandbox.StartClean(false) // on an error, ipcparity runs as it started
	// Nor the descriptors it inherited (a sandbox's init drops them too).
	unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
	runner.InitBeside("ipcparity-init")
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	code, err := dispatch(args, stdout, stderr)
	var help helpRequested
	if errors.As(err, &help) {
		if c := lookup(help.cmd); c != nil && c.name != "help" {
			fmt.Fprint(stdout, c.help())
		} else {
			fmt.Fprint(stdout, generalUsage())
		}
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "ipcparity: %s\n", ue)
		if c := lookup(ue.cmd); c != nil {
			fmt.Fprint(stderr, c.short())
		} else {
			fmt.Fprint(stderr, generalUsage())
		}
		return 2
	}
	var intr interrupted
	if errors.As(err, &intr) {
		if len(args) > 0 && args[0] == "run" {
			// The program's end is said already.
			fmt.Fprintf(stderr, "ipcparity: %v\n", err)
		} else {
			// What did not finish has no verdict, and none is printed.
			fmt.Fprintf(stderr, "ipcparity: %v: stopped, no verdict\n", err)
		}
		return 128 + int(intr.sig)
	}
	if err != nil {
		// Each line of an error once, each on a line of its own.
		fmt.Fprintf(stderr, "ipcparity: %s\n", strings.ReplaceAll(err.Error(), "\n", "\nipcparity: "))
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

// showProgress sends progress to stderr, unless --quiet: on a terminal
// one line that each finished run updates, elsewhere a line per run.
func (o *options) showProgress(stderr io.Writer) {
	if o.quiet {
		return
	}
	o.progress = stderr
	if f, ok := stderr.(*os.File); ok {
		_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
		o.tty = err == nil
	}
}

// selected keeps the scenarios that --run matches ("fifo/umask-000").
func (o *options) selected(scs []runner.Scenario) []runner.Scenario {
	if o.trace {
		for i := range scs {
			scs[i].Trace = true
		}
	}
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

// each is compare.EachIn with -j, the jobs started in order (see
// compare.Schedule), and with --failfast the runs not yet started are left
// out once one disagrees (their results stay zero and are dropped).
func each[T any](ctx context.Context, o *options, order []int, f func(int) T, mark func(T) string, label func(int) string, explain func(io.Writer, T)) []T {
	n := len(order)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	done := make([]bool, n)
	finished, told := 0, false
	out := compare.EachIn(ctx, o.jobCount(), order, func(i int) T {
		r := f(i)
		mu.Lock()
		done[i] = true
		finished++
		m := mark(r)
		if o.progress != nil {
			line := fmt.Sprintf("[%d/%d] %-5s %s", finished, n, m, label(i))
			if o.tty {
				fmt.Fprintf(o.progress, "\r\033[K%s", line)
			} else {
				fmt.Fprintln(o.progress, line)
			}
			if m != "ok" && !told && ctx.Err() == nil {
				// The first difference, now: the report comes at the end.
				told = true
				if o.tty {
					fmt.Fprintln(o.progress)
				}
				fmt.Fprintln(o.progress, "first difference:")
				explain(o.progress, r)
			}
		}
		mu.Unlock()
		if o.failfast && m != "ok" {
			cancel()
		}
		return r
	})
	if o.tty {
		fmt.Fprint(o.progress, "\r\033[K")
	}
	var kept []T
	for i, r := range out {
		if done[i] {
			kept = append(kept, r)
		}
	}
	return kept
}

// resultMark marks a scenario's result in the progress: ok, DIFF, or skip
// for a scenario not run.
func resultMark(r judge.Result) string {
	if judge.NotRun(r) != "" {
		return "skip"
	}
	if r.Agree {
		return "ok"
	}
	return "DIFF"
}

// scriptMark marks a script's result: ok, DIFF, ERROR for a wrong script,
// or skip for a script not run.
func scriptMark(r judge.ScriptResult) string {
	switch {
	case r.NotRun != "":
		return "skip"
	case r.Error != "":
		return "ERROR"
	case r.Agree:
		return "ok"
	}
	return "DIFF"
}

// explainResult writes the first run of r that differs from C.
func explainResult(w io.Writer, r judge.Result) {
	for _, rr := range r.Runs {
		if rr.Verdict == judge.VerdictDifferent {
			judge.ExplainRun(w, r, rr)
			return
		}
	}
}

// explainScript writes how a call script's sides disagree.
func explainScript(w io.Writer, r judge.ScriptResult) {
	judge.ReportScripts(w, []judge.ScriptResult{r})
}

// jobCount is -j, or compare.Jobs() when it is not given.
func (o *options) jobCount() int {
	if o.jobs > 0 {
		return o.jobs
	}
	return compare.Jobs()
}

func dispatch(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 {
		return 0, usageErr("", "no command")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 2 {
			return 0, usageErr("help", "one COMMAND at most")
		}
		if len(args) == 2 && args[1] != "help" {
			if lookup(args[1]) == nil {
				return 0, usageErr("help", "unknown command %q", args[1])
			}
			return 0, helpRequested{args[1]}
		}
		return 0, helpRequested{}
	case "--version", "-version":
		if len(args) > 1 {
			return 0, usageErr("", "%s takes no arguments", args[0])
		}
		fmt.Fprintln(stdout, version())
		return 0, nil
	}
	c := lookup(args[0])
	if c == nil {
		return 0, usageErr("", "unknown command %q", args[0])
	}
	o, pos, after, dashed, err := parse(c, args[1:])
	if err != nil {
		return 0, err
	}
	o.args = args
	ctx, stop := notifyContext()
	defer stop()
	code, err := c.do(ctx, o, pos, after, dashed, stdout, stderr)
	if ctx.Err() != nil {
		// Interrupted: whatever the command made of it, it did not finish.
		var intr interrupted
		if errors.As(context.Cause(ctx), &intr) {
			return 0, intr
		}
	}
	return code, err
}

// do runs the command with its options and arguments: pos before a "--",
// after behind it.
func (c *command) do(ctx context.Context, o *options, pos, after []string, dashed bool, stdout, stderr io.Writer) (int, error) {
	if c.name != "verify" {
		pos = append(pos, after...)
	} else if !dashed || len(pos) != 1 || len(after) == 0 {
		return 0, usageErr(c.name, "needs PROGRAM -- COMMAND [ARGS]")
	}
	if c.name == "list" {
		if len(pos) != 0 {
			return 0, usageErr(c.name, "takes no arguments")
		}
		return list(stdout)
	}
	if c.name == "explain" {
		return explainCmd(o, pos, stdout)
	}
	if c.name == "report" {
		if err := o.reportFirst(); err != nil {
			return 0, err
		}
	}
	if runner.Sandboxed() != nil {
		// Without namespaces, runs name their objects with a token, and a
		// killed run's are swept by the next (see the README).
		runner.Sweep(scenarios.SweepMqueues)
	}
	if o.trace {
		if _, err := runner.Strace(); err != nil {
			return 0, err
		}
	}
	switch c.name {
	case "run":
		return runOne(ctx, o, pos, stdout, stderr)
	case "check", "report":
		o.showProgress(stderr)
		return check(ctx, o, pos, stdout, stderr)
	case "verify":
		o.showProgress(stderr)
		return verify(ctx, o, pos[0], after, stdout, stderr)
	case "calls":
		o.showProgress(stderr)
		if len(pos) == 0 {
			return 0, usageErr(c.name, "needs at least one FILE")
		}
		return calls(ctx, o, pos, stdout, stderr)
	case "bench":
		return benchCmd(ctx, o, pos, stdout, stderr)
	}
	return 0, usageErr("", "unknown command %q", c.name)
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
	var forms []string
	for _, f := range runner.BuiltinForms("bin") {
		forms = append(forms, fmt.Sprintf("%s (bin/%s, language %s)", f.Name, f.Name, f.Lang))
	}
	fmt.Fprintf(w, "forms: %s\n\nprograms: %s\n", strings.Join(forms, ", "), strings.Join(programs(), " "))
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
	listTrace(w)
	return 0, nil
}

// runOne runs one program as one form, with this terminal, as a user
// would run the binary: in a temporary directory removed afterwards
// unless --here, killed at --deadline. A failure's errno, the signal that
// killed it, and what it left in its directory are told on stderr
// afterwards.
func runOne(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) (int, error) {
	if o.form == "" {
		return 0, usageErr("run", "needs --form c, cgo, go or idiom")
	}
	if len(args) == 0 {
		return 0, usageErr("run", "needs a PROGRAM")
	}
	if !contains(programs(), args[0]) {
		return 0, usageErr("run", "unknown program %q (programs: %s)", args[0], strings.Join(programs(), " "))
	}
	var form *runner.Form
	for _, f := range runner.BuiltinForms(o.bin) {
		if f.Name == o.form {
			form = &f
		}
	}
	if form == nil {
		return 0, usageErr("run", "unknown form %q (forms: c, cgo, go, idiom)", o.form)
	}
	if err := checkBin(o.bin); err != nil {
		return 0, err
	}
	argv, err := form.Command(args[0])
	if err != nil {
		return 0, err
	}
	name := fmt.Sprintf("%s (%s)", args[0], o.form)
	dir := ""
	if !o.here {
		tmp, err := os.MkdirTemp("", "ipcparity-run-")
		if err != nil {
			return 0, err
		}
		defer func() {
			if left := entries(tmp); len(left) > 0 {
				fmt.Fprintf(stderr, "ipcparity: %s left %s in its directory, removed (--here keeps it)\n", name, strings.Join(left, ", "))
			}
			os.RemoveAll(tmp)
		}()
		dir = tmp
	}
	runCtx := ctx
	if o.deadline > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, o.deadline)
		defer cancel()
	}
	rd, wr, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	cmd := exec.CommandContext(runCtx, argv[0], append(argv[1:], args[1:]...)...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	cmd.ExtraFiles = []*os.File{wr}
	cmd.Env = append(os.Environ(), "IPCPARITY_REPORT_FD=3")
	cmd.Cancel = func() error {
		// Interrupted: the program gets the same signal (on a terminal,
		// it had it already); at the deadline, it and what it started
		// are killed.
		var intr interrupted
		if errors.As(context.Cause(ctx), &intr) {
			return cmd.Process.Signal(intr.sig)
		}
		killTree(cmd.Process.Pid)
		return nil
	}
	cmd.WaitDelay = 2 * time.Second
	err = cmd.Start()
	wr.Close()
	if err != nil {
		return 0, err
	}
	side := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(rd)
		side <- b
	}()
	err = cmd.Wait()
	var reported []byte
	select {
	case reported = <-side:
	case <-time.After(time.Second):
		// A process the program started holds the side channel open.
	}
	code := cmd.ProcessState.ExitCode()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		if runCtx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			// An error, said before what the program left.
			fmt.Fprintf(stderr, "ipcparity: %s still ran at the deadline (--deadline %v): killed by %s\n", name, o.deadline, unix.SignalName(ws.Signal()))
			return 2, nil
		}
		fmt.Fprintf(stderr, "ipcparity: %s killed by %s\n", name, unix.SignalName(ws.Signal()))
		return 128 + int(ws.Signal()), nil
	}
	if err != nil && code != 0 {
		msg := fmt.Sprintf("ipcparity: %s exited %d", name, code)
		if e := runner.ParseErrno(string(reported)); e != 0 {
			msg += ", errno " + report.ErrnoName(e)
		}
		fmt.Fprintln(stderr, msg)
	}
	return code, nil
}

// entries lists the names in dir.
func entries(dir string) []string {
	des, _ := os.ReadDir(dir)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// killTree kills process pid and its descendants with SIGKILL: each is
// stopped first, so that it starts no other while its own are found.
func killTree(pid int) {
	unix.Kill(pid, unix.SIGSTOP)
	for _, child := range children(pid) {
		killTree(child)
	}
	unix.Kill(pid, unix.SIGKILL)
}

// children lists the child processes of pid.
func children(pid int) []int {
	files, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "children"))
	var out []int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, c := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(c); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func check(ctx context.Context, o *options, names []string, stdout, stderr io.Writer) (int, error) {
	name := "check"
	if o.html != "" {
		name = "report"
	}
	for _, n := range names {
		if !contains(programs(), n) && !contains(mechanisms(), n) {
			return 0, usageErr(name, "unknown program %q (programs: %s; mechanisms: %s)", n, strings.Join(programs(), " "), strings.Join(mechanisms(), " "))
		}
	}
	if err := checkBin(o.bin); err != nil {
		return 0, err
	}
	forms := runner.BuiltinForms(o.bin)
	scs := o.selected(compare.Select(names...))
	// The call scripts of the selected mechanisms: pipe*.calls for pipe.
	var files []string
	all, _ := filepath.Glob(filepath.Join(o.calls, "*.calls"))
	sort.Strings(all)
	for _, f := range all {
		if (len(names) == 0 || selected(filepath.Base(f), names)) && (o.run == nil || o.run.MatchString(f)) {
			files = append(files, relative(f))
		}
	}
	// What cannot run is said once, before anything runs.
	if err := errors.Join(missing(o.bin, scs, forms), missingScripts(files, o.bin), malformed(files)); err != nil {
		return 0, err
	}
	// Scenarios and scripts go in one pool, the costliest first.
	type job struct {
		res    judge.Result
		script *judge.ScriptResult
	}
	costs := make([]time.Duration, len(scs)+len(files))
	for i, sc := range scs {
		costs[i] = compare.Cost(sc, len(runner.Pairings(sc.Roles, forms)))
	}
	for k := range files {
		costs[len(scs)+k] = compare.ScriptCost
	}
	jobs := each(ctx, o, compare.Schedule(costs), func(i int) job {
		if i < len(scs) {
			return job{res: judge.Compare(ctx, scs[i], runner.Pairings(scs[i].Roles, forms))}
		}
		r := compare.RunScript(ctx, o.bin, files[i-len(scs)])
		return job{script: &r}
	}, func(j job) string {
		if j.script != nil {
			return scriptMark(*j.script)
		}
		return resultMark(j.res)
	}, func(i int) string {
		if i < len(scs) {
			return scs[i].Mechanism + "/" + scs[i].Name
		}
		return files[i-len(scs)]
	}, func(w io.Writer, j job) {
		if j.script != nil {
			explainScript(w, *j.script)
		} else {
			explainResult(w, j.res)
		}
	})
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	var results []judge.Result
	var scripts []judge.ScriptResult
	for _, j := range jobs {
		if j.script != nil {
			scripts = append(scripts, *j.script)
		} else {
			results = append(results, j.res)
		}
	}
	if err := o.writeReport(results, scripts); err != nil {
		return 0, err
	}
	return verdict(o, "check", results, scripts, stdout)
}

// verdict writes the report of a command (check, verify or calls) and
// gives the exit status: 0 when everything agrees, 1 for a difference.
// Runs that could not start are an error, said once each: the text report
// leaves their scenarios and scripts out, the JSON keeps them.
func verdict(o *options, cmd string, results []judge.Result, scripts []judge.ScriptResult, stdout io.Writer) (int, error) {
	ok := judge.AllAgree(results) && scriptsAgree(scripts)
	failed := unstarted(results, scripts)
	if o.junit != "" {
		if err := writeJUnit(o.junit, results, scripts); err != nil {
			return 0, err
		}
	}
	if o.json {
		if err := writeJSON(stdout, results, scripts, ok); err != nil {
			return 0, err
		}
	} else {
		if failed != nil {
			results, scripts = started(results), startedScripts(scripts)
		}
		reported := false
		if cmd != "calls" && (failed == nil || len(results) > 0) {
			judge.Report(stdout, results)
			reported = true
		}
		if cmd == "calls" && failed == nil || len(scripts) > 0 {
			if reported {
				fmt.Fprintln(stdout)
			}
			if o.transcript {
				for _, r := range scripts {
					printTranscripts(stdout, r)
				}
			}
			judge.ReportScripts(stdout, scripts)
		}
	}
	if failed != nil {
		return 0, failed
	}
	// A wrong script is an error, not a disagreement; the report named
	// each (ERROR file:line:column).
	for _, s := range scripts {
		if s.Error != "" {
			return 0, errors.New("a call script is wrong (ERROR above)")
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

func verify(ctx context.Context, o *options, program string, command []string, stdout, stderr io.Writer) (int, error) {
	if !contains(programs(), program) {
		return 0, usageErr("verify", "unknown program %q (programs: %s)", program, strings.Join(programs(), " "))
	}
	if !contains([]string{"", runner.LangGo, runner.LangCgo, runner.LangC, "none"}, o.lang) {
		return 0, usageErr("verify", "--lang: unknown language %q (go, cgo, c or none)", o.lang)
	}
	if err := checkBin(o.bin); err != nil {
		return 0, err
	}
	// The port must be an executable file (found in PATH when its name
	// has no slash): else no run could start it.
	path, err := exec.LookPath(command[0])
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			err = fmt.Errorf("%s: %v", ee.Name, ee.Err)
		}
		return 0, fmt.Errorf("verify: the port cannot start: %v", err)
	}
	if strings.Contains(command[0], "/") {
		if abs, err := filepath.Abs(command[0]); err == nil {
			command[0], path = abs, abs
		}
	}
	var c runner.Form
	for _, f := range runner.BuiltinForms(o.bin) {
		if f.Name == runner.FormC {
			c = f
		}
	}
	scs := o.selected(compare.Select(program))
	if err := missing(o.bin, scs, []runner.Form{c}); err != nil {
		return 0, err
	}
	user := runner.CommandForm(program, command)
	user.ReportsErrno = o.errno
	user.Lang = portLang(o.lang, path, stderr)
	costs := make([]time.Duration, len(scs))
	for i, sc := range scs {
		costs[i] = compare.Cost(sc, 2)
	}
	results := each(ctx, o, compare.Schedule(costs), func(k int) judge.Result {
		return judge.ComparePort(ctx, scs[k], program, c, user)
	}, resultMark, func(i int) string { return scs[i].Mechanism + "/" + scs[i].Name }, explainResult)
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	return verdict(o, "verify", results, nil, stdout)
}

func portLang(flagLang, path string, stderr io.Writer) string {
	lang, said := runner.PortLang(flagLang, path)
	if flagLang == "" {
		fmt.Fprintf(stderr, "ipcparity: %s (--lang)\n", said)
	}
	return lang
}

func calls(ctx context.Context, o *options, files []string, stdout, stderr io.Writer) (int, error) {
	if err := checkBin(o.bin); err != nil {
		return 0, err
	}
	if o.run != nil {
		var kept []string
		for _, f := range files {
			if o.run.MatchString(f) {
				kept = append(kept, f)
			}
		}
		files = kept
	}
	if err := errors.Join(malformed(files), missingScripts(files, o.bin)); err != nil {
		return 0, err
	}
	scripts := each(ctx, o, compare.Schedule(make([]time.Duration, len(files))), func(i int) judge.ScriptResult {
		return compare.RunScript(ctx, o.bin, files[i])
	}, scriptMark, func(i int) string { return files[i] }, explainScript)
	if ctx.Err() != nil {
		// Interrupted: no verdict is made up for what did not run.
		return 0, stopped(ctx)
	}
	return verdict(o, "calls", nil, scripts, stdout)
}

// missing says, once each, the binaries that the forms lack for the roles
// of the scenarios: a form with no directory at all in one line.
func missing(bin string, scs []runner.Scenario, forms []runner.Form) error {
	var errs []string
	seen := map[string]bool{}
	for _, f := range forms {
		if dir, _ := filepath.Abs(filepath.Join(bin, f.Name)); len(scs) > 0 && !isDir(dir) {
			errs = append(errs, fmt.Sprintf("form %s: no directory %s (run make build)", f.Name, dir))
			continue
		}
		for _, sc := range scs {
			for _, role := range sc.Roles {
				if _, err := f.Command(role); err != nil && !seen[err.Error()] {
					seen[err.Error()] = true
					errs = append(errs, err.Error())
				}
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "\n"))
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// missingScripts says, once each, the interpreters of call scripts
// (bin/cgo/ipccalls, bin/go/ipccalls) that are missing, when there are
// scripts to run.
func missingScripts(files []string, bin string) error {
	if len(files) == 0 {
		return nil
	}
	var errs []error
	for _, f := range runner.ScriptSides(bin) {
		if _, err := f.Command(runner.ScriptProgram); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// malformed says, once each, the call scripts that cannot be read or
// parsed.
func malformed(files []string) error {
	var errs []error
	lang := compare.Calls()
	for _, f := range files {
		if _, err := lang.ParseFile(f); err != nil {
			errs = append(errs, fmt.Errorf("call script %v", err))
		}
	}
	return errors.Join(errs...)
}

// unstarted says, once each, why runs could not start (the runner's own
// failures: a port that cannot be executed, a setup that failed), with the
// runs each stopped.
func unstarted(results []judge.Result, scripts []judge.ScriptResult) error {
	var order []string
	where := map[string][]string{}
	add := func(msg, run string) {
		if _, ok := where[msg]; !ok {
			order = append(order, msg)
		}
		where[msg] = append(where[msg], run)
	}
	for _, r := range results {
		for _, rr := range r.Runs {
			if rr.Err != "" {
				add(rr.Err, r.Mechanism+"/"+r.Scenario+" ["+rr.Pairing+"]")
			}
		}
	}
	for _, s := range scripts {
		for _, side := range unstartedSides(s) {
			for _, p := range s.Problems[side] {
				add(p, s.File+" ["+side+"]")
			}
		}
	}
	if len(order) == 0 {
		return nil
	}
	lines := make([]string, len(order))
	for i, msg := range order {
		runs := where[msg]
		in := strings.Join(runs[:min(3, len(runs))], ", ")
		if len(runs) > 3 {
			in += fmt.Sprintf(" and %d more", len(runs)-3)
		}
		noun := "run"
		if len(runs) > 1 {
			noun = "runs"
		}
		lines[i] = fmt.Sprintf("%s (%d %s could not start: %s)", msg, len(runs), noun, in)
	}
	return errors.New(strings.Join(lines, "\n"))
}

// unstartedSides are the sides of a script whose run could not start: a
// problem and no transcript.
func unstartedSides(s judge.ScriptResult) []string {
	var out []string
	for _, side := range []string{runner.SideC, runner.SideGo} {
		if _, ran := s.Transcripts[side]; !ran && len(s.Problems[side]) > 0 {
			out = append(out, side)
		}
	}
	return out
}

// started keeps the results all of whose runs started.
func started(results []judge.Result) []judge.Result {
	var out []judge.Result
	for _, r := range results {
		if !slices.ContainsFunc(r.Runs, func(rr judge.RunResult) bool { return rr.Err != "" }) {
			out = append(out, r)
		}
	}
	return out
}

// startedScripts keeps the scripts whose runs started on both sides.
func startedScripts(scripts []judge.ScriptResult) []judge.ScriptResult {
	var out []judge.ScriptResult
	for _, s := range scripts {
		if len(unstartedSides(s)) == 0 {
			out = append(out, s)
		}
	}
	return out
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

// writeJUnit writes the results to file as JUnit XML.
func writeJUnit(file string, results []judge.Result, scripts []judge.ScriptResult) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := judge.WriteJUnit(f, results, scripts); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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

// explainCmd prints a program's C, goipc and goidiom forms side by side,
// step by step, from the sources of the module that ipcparity was built in
// (found above its own directory or the working directory, or --src).
func explainCmd(o *options, pos []string, stdout io.Writer) (int, error) {
	if len(pos) != 1 || !contains(explain.Programs, pos[0]) {
		return 0, usageErr("explain", "needs one PROGRAM (%s)", strings.Join(explain.Programs, " "))
	}
	if o.width < 60 {
		return 0, usageErr("explain", "--width %d: want 60 or more", o.width)
	}
	dir, err := moduleDir(o)
	if err != nil {
		return 0, err
	}
	progs, err := explain.Load(dir)
	if err != nil {
		return 0, err
	}
	var known []explain.Difference
	var ids []string
	for _, kd := range judge.KnownDifferences {
		known = append(known, explain.Difference{ID: kd.ID, Reason: kd.Reason, Scenarios: kd.Scenarios})
		ids = append(ids, kd.ID)
	}
	for _, p := range progs {
		if p.Name == pos[0] {
			if err := explain.Check(p, ids); err != nil {
				return 0, fmt.Errorf("the step markers of %s in %s disagree:\n%v", p.Name, dir, err)
			}
			explain.Render(stdout, p, known, o.width)
		}
	}
	return 0, nil
}
