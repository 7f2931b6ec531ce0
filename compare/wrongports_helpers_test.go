//go:build linux

package compare

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// A wrongPort is a port of one program that differs from the C reference
// in one observable choice, and the scenario that must catch it. Each
// mechanism's test file lists its own; checkWrongPorts runs them as
// `ipcparity verify` does (the port in its role, C in the others) and
// fails for every port that the scenario lets pass.
//
// A port is either the reference C with edits (each old text must occur
// exactly once in the program's source; the result is compiled into the
// test's temporary directory as the Makefile compiles bin/c), or a shell
// script run as sh -c SCRIPT BIN/c/PROGRAM ARGS..., which wraps the real C
// binary with a twist ("$0" is the binary).
type wrongPort struct {
	name    string // what is wrong
	program string
	edits   [][2]string // old, new in c_reference/MECH.c
	script  string
	// catches is the scenario (of the program's mechanism) that must
	// disagree, and want what shows the twist in the port's outcome and
	// not in C's (see shows).
	catches, want string
}

// wrongPortDeadline bounds each run of a wrong port: the catching
// scenarios end at once with the reference programs, and a port that
// makes one wait must not slow the test down.
const wrongPortDeadline = 3 * time.Second

// checkWrongPorts builds each port and runs its catching scenario against
// C, the ports Jobs() at a time.
func checkWrongPorts(t *testing.T, ports []wrongPort) {
	t.Helper()
	forms := runner.BuiltinForms(binDir)
	c := forms[0]
	dir := t.TempDir()
	type result struct {
		res judge.Result
		err error
	}
	results := Each(context.Background(), Jobs(), len(ports), func(i int) result {
		wp := ports[i]
		form, err := wp.form(dir, i)
		if err != nil {
			return result{err: err}
		}
		mech, _, _ := strings.Cut(wp.program, "_")
		sc := scenario(mech, wp.catches)
		if sc.Deadline == 0 || sc.Deadline > wrongPortDeadline {
			sc.Deadline = wrongPortDeadline
		}
		ref := make(runner.Pairing, len(sc.Roles))
		mine := make(runner.Pairing, len(sc.Roles))
		for k, role := range sc.Roles {
			ref[k], mine[k] = c, c
			if role == wp.program {
				mine[k] = form
			}
		}
		return result{res: judge.Compare(context.Background(), sc, []runner.Pairing{ref, mine})}
	})
	for i, r := range results {
		wp := ports[i]
		if r.err != nil {
			t.Errorf("%s (%s): %v", wp.name, wp.program, r.err)
			continue
		}
		if len(r.res.Runs) != 2 {
			t.Errorf("%s (%s): %d runs", wp.name, wp.program, len(r.res.Runs))
			continue
		}
		run := r.res.Runs[1]
		switch {
		case r.res.Runs[0].Err != "" || run.Err != "":
			t.Errorf("%s (%s): %s did not run: %s%s", wp.name, wp.program, wp.catches, r.res.Runs[0].Err, run.Err)
		case r.res.Agree || run.Verdict != judge.VerdictDifferent:
			t.Errorf("%s (%s): passes %s (verdict %q): the scenario must catch it", wp.name, wp.program, wp.catches, run.Verdict)
		case !shows(run.Outcome, wp.want) || shows(r.res.Runs[0].Outcome, wp.want):
			t.Errorf("%s (%s): %s differs, but not by %q:\n%s", wp.name, wp.program, wp.catches, wp.want, run.Diff)
		}
	}
}

// shows reports whether the outcome shows want: "leftover X" is a
// leftover X exactly, anything else a piece of the outcome as %+v writes
// it ("Exit:2", "mode 0666").
func shows(o runner.Outcome, want string) bool {
	if left, ok := strings.CutPrefix(want, "leftover "); ok {
		return slices.Contains(o.Leftovers, left)
	}
	return strings.Contains(fmt.Sprintf("%+v", o), want)
}

// form builds the port (the i-th of its list) in dir and returns it as a
// user's command for its program.
func (wp wrongPort) form(dir string, i int) (runner.Form, error) {
	cbin, err := filepath.Abs(filepath.Join(binDir, "c", wp.program))
	if err != nil {
		return runner.Form{}, err
	}
	if wp.script != "" {
		return runner.CommandForm(wp.program, []string{"/bin/sh", "-c", wp.script, cbin}), nil
	}
	bin, err := buildCVariant(filepath.Join(dir, fmt.Sprintf("port%02d", i)), wp.program, wp.edits)
	if err != nil {
		return runner.Form{}, err
	}
	return runner.CommandForm(wp.program, []string{bin}), nil
}

// buildCVariant compiles program from its C source with edits applied,
// into dir, as the Makefile compiles bin/c/PROGRAM, and returns the
// binary's absolute path.
func buildCVariant(dir, program string, edits [][2]string) (string, error) {
	src, err := filepath.Abs("../c_reference")
	if err != nil {
		return "", err
	}
	mech, _, _ := strings.Cut(program, "_")
	text, err := os.ReadFile(filepath.Join(src, mech+".c"))
	if err != nil {
		return "", err
	}
	s := string(text)
	for _, e := range edits {
		if n := strings.Count(s, e[0]); n != 1 {
			return "", fmt.Errorf("the edit of %s finds %d (want exactly 1) of %q", program, n, e[0])
		}
		s = strings.Replace(s, e[0], e[1], 1)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := filepath.Join(dir, mech+".c")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, program)
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	cmd := exec.Command(cc, "-Wall", "-Wextra", "-O2", "-I", src, "-DPROGRAM="+program+"_main", "-o", bin,
		file, filepath.Join(src, "main.c"), filepath.Join(src, "report.c"), "-lrt", "-pthread")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s: %v\n%s", program, err, out)
	}
	return bin, nil
}

// TestWrongPortHarness checks the harness itself: the reference C built
// as the ports are, and a script that wraps the C binary without a twist,
// agree with C where their twisted twins must not.
func TestWrongPortHarness(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	dir := t.TempDir()
	forms := runner.BuiltinForms(binDir)
	c := forms[0]
	bin, err := buildCVariant(filepath.Join(dir, "plain"), "fifo_reader", nil)
	if err != nil {
		t.Fatal(err)
	}
	plain := runner.CommandForm("fifo_reader", []string{bin})
	cbin, _ := filepath.Abs(filepath.Join(binDir, "c", "fifo_writer"))
	wrap := runner.CommandForm("fifo_writer", []string{"/bin/sh", "-c", `"$0" "$@"`, cbin})
	type tc struct {
		scenario string
		pairing  runner.Pairing
	}
	cases := []tc{{"umask-000", runner.Pairing{plain, c}}, {"writer-no-fifo", runner.Pairing{wrap}}}
	results := Each(context.Background(), Jobs(), len(cases), func(i int) judge.Result {
		sc := scenario("fifo", cases[i].scenario)
		ref := make(runner.Pairing, len(sc.Roles))
		for k := range ref {
			ref[k] = c
		}
		return judge.Compare(context.Background(), sc, []runner.Pairing{ref, cases[i].pairing})
	})
	for i, res := range results {
		if !res.Agree {
			var b strings.Builder
			judge.Report(&b, []judge.Result{res})
			t.Errorf("%s: the untwisted port differs:\n%s", cases[i].scenario, b.String())
		}
	}
}
