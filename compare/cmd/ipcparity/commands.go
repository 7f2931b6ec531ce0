//go:build linux

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// A command of ipcparity: its synopsis, what it does, and its options
// (names in optionDocs, in the order they are listed).
type command struct {
	name, synopsis, about string
	options               []string
}

var commands = []command{
	{"list", "list",
		"Lists the forms, the programs, every scenario by mechanism, and the known differences between C and Go.",
		nil},
	{"run", "run --form c|cgo|go|idiom [--here] [--deadline D] PROGRAM [ARGS]",
		"Runs one program as one form by hand, not sandboxed, with this terminal: in a temporary directory, removed afterwards (what the program left there is named), unless --here runs it in the current directory. A program still running at the deadline is killed, and run exits 2. Otherwise run exits as the program did, 128+N when signal N killed it (said by name on stderr), and a failure's errno is told on stderr. Put ARGS that start with - after --.",
		[]string{"form", "here", "deadline", "bin"}},
	{"check", "check [--json] [--junit FILE] [--trace] [-j N] [--run REGEX] [--failfast] [PROGRAM|MECHANISM...]",
		"Runs every scenario of the named programs or mechanisms (all when none is named) under every pairing of forms, then their call scripts on cipc and goipc, and reports every difference. Exit 0 when everything agrees, 1 for a difference.",
		[]string{"json", "junit", "trace", "j", "run", "failfast", "quiet", "bin", "calls"}},
	{"verify", "verify [--json] [--junit FILE] [--errno] [--lang L] [--trace] [-j N] [--run REGEX] [--failfast] PROGRAM -- COMMAND [ARGS]",
		"Runs every scenario of PROGRAM with COMMAND in its place and C in the other roles, and compares it with C. The known differences of the command's language apply to it: a Go binary is recognised, --lang says it for anything else. Everything after -- is the command's. Exit 0 when it agrees with C, 1 for a difference.",
		[]string{"json", "junit", "errno", "lang", "trace", "j", "run", "failfast", "quiet", "bin"}},
	{"calls", "calls [--json] [--junit FILE] [--transcript] [-j N] [--run REGEX] [--failfast] FILE...",
		"Runs call scripts on cipc and on goipc, each side in a sandbox of its own, and compares their transcripts. Exit 0 when both sides meet every expectation alike, 1 else.",
		[]string{"json", "junit", "transcript", "j", "run", "failfast", "quiet", "bin"}},
	{"report", "report --html FILE [--src DIR] [--junit FILE] [-j N] [--run REGEX] [--failfast] [PROGRAM|MECHANISM...]",
		"Runs what check runs and writes the results to FILE as one HTML page, which opens offline and needs no script: a matrix of programs by forms, each program's C and Go forms side by side step by step, every scenario's outcomes by form with what differs from C highlighted, the call scripts' transcripts of cipc and goipc side by side, and the known differences with their reasons. The sources are read from the module's checkout, as explain reads them (--src). The text report goes to stdout as with check, and the exit status is check's: 0 when everything agrees, 1 for a difference (the page is written then too).",
		[]string{"html", "src", "junit", "j", "run", "failfast", "quiet", "bin", "calls"}},
	{"explain", "explain [--width N] [--src DIR] PROGRAM",
		"Prints PROGRAM's C, its literal Go translation (goipc) and its idiomatic Go form (goidiom) in columns, aligned step by step by the step markers in their sources, with * on each step that shows a known difference between C and Go, and under it the difference's reason and the scenarios that show it. The sources are read from the module's checkout above ipcparity's directory or the working directory.",
		[]string{"width", "src"}},
	{"bench", "bench [--json] [--cpu N] [--reps N] [--quick] [--also NAME=PATH]... [MECHANISM...]",
		"Runs the C, cgo and Go forms of every bench of the named mechanisms (all when none is named: pipe fifo mq unix tcp shm call) side by side, with the C run again with a Go process's threads (c+threads), from which each figure's floor is estimated: the best a Go program can do. Each form is judged by its best run (a p99 by its median run): on a shared machine a run's speed has modes that last the whole run.",
		[]string{"json", "cpu", "reps", "quick", "also", "bin"}},
	{"help", "help [COMMAND]",
		"Prints the usage of COMMAND, or of ipcparity.",
		nil},
}

var optionDocs = map[string]string{
	"bin":        "--bin DIR       where the c, cgo, go and idiom binaries are (default: ipcparity's own directory)",
	"calls":      "--calls DIR     the call scripts that check runs (default: testdata/calls beside --bin)",
	"json":       "--json          write the results as JSON",
	"junit":      "--junit FILE    write the results to FILE as JUnit XML too, for a CI server",
	"transcript": "--transcript    print each script's transcript too",
	"errno":      "--errno         the command reports errno on IPCPARITY_REPORT_FD: compare it too",
	"lang":       "--lang L        the command's language, whose known differences apply to it: go, cgo\n                  (C code in a Go process), c or none (default: go for a Go binary, else none)",
	"j":          "-j N            runs at once (default: two per CPU when runs are sandboxed, else 1)",
	"run":        "--run REGEX     only the scenarios (MECHANISM/NAME) and call scripts (their file) it matches",
	"failfast":   "--failfast      start no more runs after the first difference",
	"trace":      "--trace         run every process under strace -f and compare its IPC system calls\n                  with C's too (needs strace; idiom's calls are reported, not judged;\n                  call scripts are not traced)",
	"quiet":      "--quiet         no progress on stderr (by default: one updated line on a terminal,\n                  a line per finished run elsewhere, and the first difference as soon as it shows)",
	"form":       "--form F        the form to run: c, cgo, go or idiom",
	"here":       "--here          run in the current directory, which keeps what the program leaves",
	"deadline":   "--deadline D    kill the program after D (default 10s; 0: no deadline)",
	"cpu":        "--cpu N         pin both processes of every run to CPU N (default 0; -1: unpinned)",
	"reps":       "--reps N        repetitions of every bench (default 11)",
	"html":       "--html FILE     the page to write (report)",
	"width":      "--width N       the columns fit N characters (default 120; 60 at least)",
	"src":        "--src DIR       the module's checkout, whose sources explain reads (default: found above\n                  ipcparity's directory or the working directory)",
	"quick":      "--quick         tiny counts: a smoke test, not a measurement",
	"also":       "--also NAME=PATH  one more ipcbench binary, run as form NAME beside the others\n                  (for instance a build of goipc before a change); repeatable",
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// generalUsage is ipcparity's usage: every command's synopsis.
func generalUsage() string {
	var b strings.Builder
	b.WriteString("usage:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  ipcparity %s\n", c.synopsis)
	}
	b.WriteString("  ipcparity --version\n")
	b.WriteString(`
Options may come before or after the arguments; -- ends them.
'ipcparity help COMMAND' or 'ipcparity COMMAND -h' prints a command's usage and options.
Exit status: 0 when everything agrees, 1 for a difference, 2 for an error (a bad command
line, an unreadable or malformed input, a missing binary, a port that cannot start),
130, 143 or 129 when stopped by SIGINT, SIGTERM or SIGHUP.
`)
	return b.String()
}

// help is a command's full usage, for help COMMAND and COMMAND -h.
func (c *command) help() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: ipcparity %s\n\n%s\n", c.synopsis, wrap(c.about, 78))
	if len(c.options) > 0 {
		b.WriteString("\noptions (before or after the arguments):\n")
		for _, o := range c.options {
			fmt.Fprintf(&b, "  %s\n", optionDocs[o])
		}
	}
	return b.String()
}

// short is what a bad command line of c shows after the error.
func (c *command) short() string {
	return fmt.Sprintf("usage: ipcparity %s\nRun 'ipcparity help %s' for details.\n", c.synopsis, c.name)
}

func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

// usageError is a bad command line: the error, then the usage of the
// command (of ipcparity when cmd is empty) on stderr, exit 2.
type usageError struct{ cmd, msg string }

func (e usageError) Error() string {
	if e.cmd == "" {
		return e.msg
	}
	return e.cmd + ": " + e.msg
}

func usageErr(cmd, format string, args ...any) error {
	return usageError{cmd, fmt.Sprintf(format, args...)}
}

// helpRequested asks for a command's usage on stdout, exit 0.
type helpRequested struct{ cmd string }

func (e helpRequested) Error() string { return "help requested" }

type options struct {
	bin, calls, form string
	lang             string
	json, transcript bool
	junit            string // --junit FILE
	errno            bool
	jobs             int
	run              *regexp.Regexp // --run: the scenarios and scripts to run
	failfast         bool
	trace            bool          // --trace: scenarios run under strace, their calls compared
	progress         io.Writer     // where progress goes: stderr, or nil with --quiet
	tty              bool          // progress is a terminal: one line, updated
	quiet            bool          // --quiet
	here             bool          // run: in the current directory
	deadline         time.Duration // run: kill the program after it
	cpu, reps        int           // bench
	quick            bool          // bench
	also             []string      // bench: NAME=PATH of more ipcbench binaries
	width            int           // explain: the terminal's width
	src              string        // explain, report: the module's directory
	html             string        // report: the page to write
	args             []string      // the command line, after "ipcparity"
}

// parse reads the options of command c anywhere among args, up to a "--"
// that ends them. It returns the arguments before "--", and those after it
// (dashed tells whether there was one). -h, --help and a lone argument
// "help" give a helpRequested.
func parse(c *command, args []string) (o *options, pos, after []string, dashed bool, err error) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o = &options{}
	self, _ := os.Executable()
	var runRE string
	for _, name := range c.options {
		switch name {
		case "bin":
			fs.StringVar(&o.bin, "bin", filepath.Dir(self), "")
		case "calls":
			fs.StringVar(&o.calls, "calls", "", "")
		case "json":
			fs.BoolVar(&o.json, "json", false, "")
		case "junit":
			fs.StringVar(&o.junit, "junit", "", "")
		case "transcript":
			fs.BoolVar(&o.transcript, "transcript", false, "")
		case "errno":
			fs.BoolVar(&o.errno, "errno", false, "")
		case "lang":
			fs.StringVar(&o.lang, "lang", "", "")
		case "j":
			fs.IntVar(&o.jobs, "j", 0, "")
		case "run":
			fs.StringVar(&runRE, "run", "", "")
		case "failfast":
			fs.BoolVar(&o.failfast, "failfast", false, "")
		case "trace":
			fs.BoolVar(&o.trace, "trace", false, "")
		case "quiet":
			fs.BoolVar(&o.quiet, "quiet", false, "")
		case "form":
			fs.StringVar(&o.form, "form", "", "")
		case "here":
			fs.BoolVar(&o.here, "here", false, "")
		case "deadline":
			fs.DurationVar(&o.deadline, "deadline", 10*time.Second, "")
		case "cpu":
			fs.IntVar(&o.cpu, "cpu", 0, "")
		case "reps":
			fs.IntVar(&o.reps, "reps", 11, "")
		case "quick":
			fs.BoolVar(&o.quick, "quick", false, "")
		case "also":
			fs.Func("also", "", func(v string) error { o.also = append(o.also, v); return nil })
		case "width":
			fs.IntVar(&o.width, "width", 120, "")
		case "src":
			fs.StringVar(&o.src, "src", "", "")
		case "html":
			fs.StringVar(&o.html, "html", "", "")
		default:
			panic("ipcparity: no option " + name)
		}
	}
	before := args
	for i, a := range args {
		if a == "--" {
			before, after, dashed = args[:i], args[i+1:], true
			break
		}
	}
	// The flag package stops at the first argument that is not an
	// option: take it, and go on after it.
	for {
		if err := fs.Parse(before); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, nil, false, helpRequested{c.name}
			}
			return nil, nil, nil, false, usageErr(c.name, "%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos, before = append(pos, rest[0]), rest[1:]
	}
	if len(pos) == 1 && pos[0] == "help" && !dashed {
		return nil, nil, nil, false, helpRequested{c.name}
	}
	if o.calls == "" {
		o.calls = filepath.Join(o.bin, "..", "testdata", "calls")
	}
	if runRE != "" {
		re, err := regexp.Compile(runRE)
		if err != nil {
			return nil, nil, nil, false, usageErr(c.name, "--run: %v", err)
		}
		o.run = re
	}
	if o.jobs < 0 {
		return nil, nil, nil, false, usageErr(c.name, "-j %d: want 1 or more (0: the default)", o.jobs)
	}
	if o.deadline < 0 {
		return nil, nil, nil, false, usageErr(c.name, "--deadline %v: want 0 (none) or more", o.deadline)
	}
	return o, pos, after, dashed, nil
}

// checkBin says, once, that --bin is not a directory, before any run is
// tried with a binary from it.
func checkBin(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		return fmt.Errorf("--bin %s: not a directory (the c, cgo, go and idiom binaries are there: make build puts them in bin/)", dir)
	}
	if err != nil {
		return fmt.Errorf("--bin %s: no such directory (the c, cgo, go and idiom binaries are there: make build puts them in bin/)", dir)
	}
	return nil
}

// version is ipcparity's version from its build information: the main
// module's version, the commit it was built from, and the Go toolchain.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Sprintf("ipcparity (no build information) %s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	s := "ipcparity " + v
	var rev, at, modified string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			modified = kv.Value
		}
	}
	if rev != "" {
		s += ", commit " + rev[:min(12, len(rev))]
		if at != "" {
			s += " of " + at
		}
		if modified == "true" {
			s += " with local changes"
		}
	}
	return fmt.Sprintf("%s, %s %s/%s", s, bi.GoVersion, runtime.GOOS, runtime.GOARCH)
}
