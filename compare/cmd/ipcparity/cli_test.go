//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// TestHelp: help, help COMMAND, COMMAND -h, --help and a lone "help"
// argument print the usage on stdout and exit 0; --version prints the
// version.
func TestHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // the start of stdout
	}{
		{[]string{"help"}, "usage:\n  ipcparity list\n"},
		{[]string{"--help"}, "usage:\n  ipcparity list\n"},
		{[]string{"-h"}, "usage:\n  ipcparity list\n"},
		{[]string{"help", "help"}, "usage:\n  ipcparity list\n"},
		{[]string{"help", "check"}, "usage: ipcparity check "},
		{[]string{"help", "verify"}, "usage: ipcparity verify "},
		{[]string{"check", "-h"}, "usage: ipcparity check "},
		{[]string{"check", "--help"}, "usage: ipcparity check "},
		{[]string{"check", "pipe", "-h"}, "usage: ipcparity check "},
		{[]string{"check", "help"}, "usage: ipcparity check "},
		{[]string{"verify", "--help"}, "usage: ipcparity verify "},
		{[]string{"verify", "help"}, "usage: ipcparity verify "},
		{[]string{"verify", "-h", "pipe", "--", "true"}, "usage: ipcparity verify "},
		{[]string{"list", "-h"}, "usage: ipcparity list\n"},
		{[]string{"list", "--help"}, "usage: ipcparity list\n"},
		{[]string{"list", "help"}, "usage: ipcparity list\n"},
		{[]string{"calls", "help"}, "usage: ipcparity calls "},
		{[]string{"calls", "-h"}, "usage: ipcparity calls "},
		{[]string{"run", "--help"}, "usage: ipcparity run "},
		{[]string{"bench", "-h"}, "usage: ipcparity bench "},
		{[]string{"help", "bench"}, "usage: ipcparity bench "},
		{[]string{"explain", "-h"}, "usage: ipcparity explain "},
		{[]string{"--version"}, "ipcparity "},
	} {
		var stdout, stderr bytes.Buffer
		code := run(c.args, &stdout, &stderr)
		if code != 0 || !strings.HasPrefix(stdout.String(), c.want) || stderr.Len() != 0 {
			t.Errorf("%q: exit %d (want 0), stdout %q (want %q...), stderr %q (want none)", c.args, code, stdout.String(), c.want, stderr.String())
		}
		if c.args[0] != "--version" && c.args[0] != "list" && !strings.Contains(stdout.String(), "before or after the arguments") {
			t.Errorf("%q: the usage does not say where options go:\n%s", c.args, stdout.String())
		}
	}
	// A command's usage lists its own options, and only those.
	var stdout bytes.Buffer
	run([]string{"help", "run"}, &stdout, &stdout)
	for _, o := range []string{"--form", "--here", "--deadline", "--bin"} {
		if !strings.Contains(stdout.String(), "\n  "+o+" ") {
			t.Errorf("help run lacks %s:\n%s", o, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "--json") {
		t.Errorf("help run lists --json, which run does not take:\n%s", stdout.String())
	}
	// The version is the build's: the toolchain at least.
	stdout.Reset()
	run([]string{"--version"}, &stdout, &stdout)
	if !strings.Contains(stdout.String(), runtime.Version()) || strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("--version: %q, want one line with %s", stdout.String(), runtime.Version())
	}
}

// TestOptionsAnywhere: options go before or after the arguments, and
// everything after verify's "--" is the port's, options or not.
func TestOptionsAnywhere(t *testing.T) {
	bin := binDir(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "pipe", "--json", "--run", "pipe/default$", "--bin", bin}, &stdout, &stderr)
	if code != 0 || !json.Valid(stdout.Bytes()) {
		t.Errorf("check pipe --json ...: exit %d (want 0), stdout not JSON:\n%s%s", code, stdout.String(), stderr.String())
	}
	// The port prints its first argument: --json, not a report in JSON.
	stdout.Reset()
	stderr.Reset()
	code = run([]string{"verify", "pipe", "--run", "pipe/default$", "--bin", bin, "--", "sh", "-c", `printf '%s\n' "$0"`, "--json"}, &stdout, &stderr)
	if code != 1 || json.Valid(stdout.Bytes()) || !strings.Contains(stdout.String(), "+ --json") {
		t.Errorf("verify pipe -- CMD --json: exit %d (want 1), want a text report where the port printed --json:\n%s%s", code, stdout.String(), stderr.String())
	}
}

// TestErrors: what keeps a command from giving a verdict (a missing --bin
// directory or binary, a port that cannot start, an unreadable or
// malformed call script) exits 2, and each error is said once, on stderr.
func TestErrors(t *testing.T) {
	bin := binDir(t)
	tmp := t.TempDir()
	// A bin directory without bin/go/pipe, and one without bin/idiom.
	noPipe, noIdiom := filepath.Join(tmp, "nopipe"), filepath.Join(tmp, "noidiom")
	for _, dir := range []string{noPipe, noIdiom} {
		for _, form := range []string{"c", "cgo", "go", "idiom"} {
			if dir == noIdiom && form == "idiom" {
				continue
			}
			os.MkdirAll(filepath.Join(dir, form), 0o755)
			progs, _ := filepath.Glob(filepath.Join(bin, form, "*"))
			for _, p := range progs {
				if dir == noPipe && form == "go" && filepath.Base(p) == "pipe" {
					continue
				}
				if err := os.Symlink(p, filepath.Join(dir, form, filepath.Base(p))); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	bad := filepath.Join(tmp, "calls", "pipe_bad.calls")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	write(t, bad, "pipe2([$r, $w], 0) = 0\nbogus(\n", 0o644)
	notExec := filepath.Join(tmp, "not-an-executable")
	write(t, notExec, "garbage\n", 0o755)
	for _, c := range []struct {
		name string
		args []string
		said string // the error, on stderr once
	}{
		{"no --bin dir", []string{"check", "--bin", filepath.Join(tmp, "nosuch"), "pipe"}, "--bin " + filepath.Join(tmp, "nosuch") + ": no such directory"},
		{"--bin a file", []string{"verify", "--bin", bad, "pipe", "--", "true"}, ": not a directory"},
		{"no --bin dir for run", []string{"run", "--bin", filepath.Join(tmp, "nosuch"), "--form", "c", "pipe"}, "no such directory"},
		{"no --bin dir for calls", []string{"calls", "--bin", filepath.Join(tmp, "nosuch"), bad}, "no such directory"},
		{"no port binary", []string{"check", "--bin", noPipe, "pipe"}, "form go: no binary for pipe"},
		{"no form dir", []string{"check", "--bin", noIdiom, "pipe"}, "form idiom: no directory " + noIdiom + "/idiom"},
		{"no port", []string{"verify", "--bin", bin, "pipe", "--", filepath.Join(tmp, "nosuch")}, "the port cannot start"},
		{"no port in PATH", []string{"verify", "--bin", bin, "pipe", "--", "no-such-port-in-path"}, "the port cannot start"},
		{"a port that cannot start", []string{"verify", "--bin", bin, "--run", "pipe/(default|stdout-broken-long)$", "pipe", "--", notExec}, "exec format error (2 runs could not start"},
		{"malformed script", []string{"calls", "--bin", bin, bad}, "pipe_bad.calls:2:"},
		{"malformed script in check", []string{"check", "--bin", bin, "--calls", filepath.Dir(bad), "--run", "pipe_bad", "pipe"}, "pipe_bad.calls:2:"},
		{"unreadable script", []string{"calls", "--bin", bin, filepath.Join(tmp, "nosuch.calls")}, "nosuch.calls: no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code != 2 {
				t.Errorf("%q: exit %d, want 2\n%s%s", c.args, code, stdout.String(), stderr.String())
			}
			if n := strings.Count(stderr.String(), c.said); n != 1 {
				t.Errorf("%q: stderr says %q %d times, want once:\n%s", c.args, c.said, n, stderr.String())
			}
			if strings.Contains(stderr.String(), "usage:") {
				t.Errorf("%q: an error that is not the command line's gives the usage:\n%s", c.args, stderr.String())
			}
			// Nothing started: no report, and no error repeated in one.
			if stdout.Len() != 0 {
				t.Errorf("%q: wrote to stdout:\n%s", c.args, stdout.String())
			}
		})
	}
}

// TestRun: run runs a program in a temporary directory, removed
// afterwards, unless --here; kills it at --deadline (exit 2); and names
// the signal that killed it.
func TestRun(t *testing.T) {
	bin := binDir(t)
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr []string
		here   []string // what the current directory holds afterwards
	}{
		{"temporary directory", []string{"--form", "c", "pipe", "hi"}, 0, "hi\n", nil, nil},
		{"arguments after --", []string{"--form", "go", "pipe", "--", "-x"}, 0, "-x\n", nil, nil},
		{"deadline", []string{"--deadline", "300ms", "--form", "c", "fifo_reader"}, 2, "",
			[]string{"fifo_reader (c) still ran at the deadline (--deadline 300ms): killed by SIGKILL", "left named_pipe in its directory, removed"}, nil},
		{"here", []string{"fifo_reader", "--here", "--deadline", "300ms", "--form", "go"}, 2, "",
			[]string{"killed by SIGKILL"}, []string{"named_pipe"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, tmp := t.TempDir(), t.TempDir()
			argv := testhelper.Command(t, "ipcparity", append([]string{"run", "--bin", bin}, c.args...)...)
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != c.code || stdout.String() != c.stdout {
				t.Errorf("exit %d, stdout %q; want %d, %q\nstderr: %s", code, stdout.String(), c.code, c.stdout, stderr.String())
			}
			for _, w := range c.stderr {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if left := entries(dir); !slices.Equal(left, c.here) {
				t.Errorf("the current directory holds %q, want %q", left, c.here)
			}
			if left := entries(tmp); len(left) != 0 {
				t.Errorf("the temporary directory was not removed: %s holds %q", tmp, left)
			}
		})
	}
}

// TestRunInterrupted: run stopped by SIGINT or SIGTERM passes it to the
// program, names the signal that killed it, and exits 128+the signal.
func TestRunInterrupted(t *testing.T) {
	bin := binDir(t)
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		said string
	}{{syscall.SIGINT, 130, "fifo_reader (c) killed by SIGINT"}, {syscall.SIGTERM, 143, "fifo_reader (c) killed by SIGTERM"}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			t.Parallel()
			argv := testhelper.Command(t, "ipcparity", "run", "--bin", bin, "--form", "c", "fifo_reader")
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Dir = t.TempDir()
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			for !descendant(cmd.Process.Pid, "fifo_reader") {
				if time.Since(start) > 10*time.Second {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("fifo_reader did not start in 10 s\n%s", stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			cmd.Process.Signal(c.sig)
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != c.code {
				t.Errorf("exit %d, want %d\n%s", code, c.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.said) || strings.Contains(stderr.String(), "killed by killed") {
				t.Errorf("stderr does not say %q:\n%s", c.said, stderr.String())
			}
		})
	}
}

func write(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}
