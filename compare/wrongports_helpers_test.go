//go:build linux

package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
// test's temporary directory and linked as the Makefile links bin/c), the
// Go form with edits in its Go files (goEdits: built as the Makefile
// builds bin/go, with go build -overlay, for mistakes that only a Go
// runtime shows), or a shell script run as sh -c SCRIPT BIN/c/PROGRAM
// ARGS..., which wraps the real C binary with a twist ("$0" is the binary).
type wrongPort struct {
	name    string // what is wrong
	program string
	edits   [][2]string            // old, new in c_reference/MECH.c
	goEdits map[string][][2]string // file of the module ("goipc/sock.go") → old, new
	script  string
	// catches is the scenario (of the program's mechanism) that must
	// disagree, and want what shows the twist in the port's outcome and
	// not in C's (see shows).
	catches, want string
}

// wrongPortDeadline bounds each run of a wrong port: the catching
// scenarios end within a second with the reference programs, and a port
// that makes one wait must not slow the test down much.
const wrongPortDeadline = 5 * time.Second

// checkWrongPorts builds each port and runs its catching scenario against
// C, as verify does. Ports caught by the same scenario share one run of
// the reference; the scenarios go Jobs() at a time.
func checkWrongPorts(t *testing.T, ports []wrongPort) {
	t.Helper()
	c := runner.BuiltinForms(binDir)[0]
	dir := t.TempDir()
	type built struct {
		form runner.Form
		err  error
	}
	forms := Each(context.Background(), Jobs(), len(ports), func(i int) built {
		f, err := ports[i].form(dir, i)
		return built{f, err}
	})
	// The scenarios, in the order the list first names them, and the
	// ports each must catch.
	var ids []string
	group := map[string][]int{}
	for i, wp := range ports {
		if forms[i].err != nil {
			t.Errorf("%s (%s): %v", wp.name, wp.program, forms[i].err)
			continue
		}
		id := wp.mechanism() + "/" + wp.catches
		if group[id] == nil {
			ids = append(ids, id)
		}
		group[id] = append(group[id], i)
	}
	results := Each(context.Background(), Jobs(), len(ids), func(g int) judge.Result {
		members := group[ids[g]]
		sc := scenario(ports[members[0]].mechanism(), ports[members[0]].catches)
		if sc.Deadline == 0 || sc.Deadline > wrongPortDeadline {
			sc.Deadline = wrongPortDeadline
		}
		ref := make(runner.Pairing, len(sc.Roles))
		for k := range sc.Roles {
			ref[k] = c
		}
		pairings := []runner.Pairing{ref}
		for _, i := range members {
			mine := append(runner.Pairing(nil), ref...)
			for k, role := range sc.Roles {
				if role == ports[i].program {
					mine[k] = forms[i].form
				}
			}
			pairings = append(pairings, mine)
		}
		return judge.Compare(context.Background(), sc, pairings)
	})
	for g, res := range results {
		members := group[ids[g]]
		if len(res.Runs) != 1+len(members) {
			t.Errorf("%s: %d runs for %d ports", ids[g], len(res.Runs), len(members))
			continue
		}
		for k, i := range members {
			wp, ref, run := ports[i], res.Runs[0], res.Runs[1+k]
			switch {
			case ref.Err != "" || run.Err != "":
				t.Errorf("%s (%s): %s did not run: %s%s", wp.name, wp.program, ids[g], ref.Err, run.Err)
			case run.Verdict != judge.VerdictDifferent:
				t.Errorf("%s (%s): passes %s (verdict %q): the scenario must catch it", wp.name, wp.program, ids[g], run.Verdict)
			case !shows(run.Outcome, wp.want) || shows(ref.Outcome, wp.want):
				t.Errorf("%s (%s): %s differs, but not by %q:\n%s", wp.name, wp.program, ids[g], wp.want, run.Diff)
			}
		}
	}
}

// mechanism is the mechanism of the port's program.
func (wp wrongPort) mechanism() string {
	mech, _, _ := strings.Cut(wp.program, "_")
	return mech
}

// shows reports whether the outcome shows want: "leftover X" is a
// leftover named X (leftoverNamed), anything else a piece of the outcome
// as %+v writes it ("Exit:2", "mode 0666").
func shows(o runner.Outcome, want string) bool {
	if left, ok := strings.CutPrefix(want, "leftover "); ok {
		return leftoverNamed(o.Leftovers, left)
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
	if wp.goEdits != nil {
		bin, err := buildGoVariant(filepath.Join(dir, fmt.Sprintf("port%02d", i)), wp.program, wp.goEdits)
		if err != nil {
			return runner.Form{}, err
		}
		return runner.CommandForm(wp.program, []string{bin}), nil
	}
	bin, err := buildCVariant(filepath.Join(dir, fmt.Sprintf("port%02d", i)), wp.program, wp.edits)
	if err != nil {
		return runner.Form{}, err
	}
	return runner.CommandForm(wp.program, []string{bin}), nil
}

// buildCVariant compiles program from its C source with edits applied,
// into dir (without optimisation, which makes the build quicker and
// changes nothing the scenarios see), links it as the Makefile links
// bin/c/PROGRAM, and returns the binary's absolute path.
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
	s, err := applyEdits(program, string(text), edits)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := filepath.Join(dir, mech+".c")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		return "", err
	}
	obj := filepath.Join(dir, mech+".o")
	if err := cc("-Wall", "-Wextra", "-O0", "-I", src, "-c", "-o", obj, file); err != nil {
		return "", err
	}
	shared, err := sharedObjects(src, program)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, program)
	if err := cc(append(append([]string{"-o", bin, obj}, shared...), "-lrt", "-pthread")...); err != nil {
		return "", err
	}
	return bin, nil
}

// applyEdits replaces in text each old text of edits, which must occur
// exactly once, by its new text; what names the text in an error.
func applyEdits(what, text string, edits [][2]string) (string, error) {
	for _, e := range edits {
		if n := strings.Count(text, e[0]); n != 1 {
			return "", fmt.Errorf("the edit of %s finds %d (want exactly 1) of %q", what, n, e[0])
		}
		text = strings.Replace(text, e[0], e[1], 1)
	}
	return text, nil
}

// buildGoVariant builds goipc/cmd/PROGRAM as the Makefile builds bin/go
// (CGO_ENABLED=0), with the files of edits edited (each old text exactly
// once), into dir, through go build -overlay: the checkout stays as it is.
// It returns the binary's absolute path.
func buildGoVariant(dir, program string, edits map[string][][2]string) (string, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	replace := map[string]string{}
	for file, es := range edits {
		text, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			return "", err
		}
		s, err := applyEdits(file, string(text), es)
		if err != nil {
			return "", err
		}
		edited := filepath.Join(dir, strings.ReplaceAll(file, "/", "_"))
		if err := os.WriteFile(edited, []byte(s), 0o644); err != nil {
			return "", err
		}
		replace[filepath.Join(root, file)] = edited
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, program)
	cmd := exec.Command("go", "build", "-overlay", ov, "-o", bin, "./goipc/cmd/"+program)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s with %s edited: %v\n%s", program, strings.Join(slices.Sorted(maps.Keys(edits)), ", "), err, out)
	}
	return bin, nil
}

// cc runs the C compiler ($CC, else gcc, as the Makefile's CC).
func cc(args ...string) error {
	compiler := os.Getenv("CC")
	if compiler == "" {
		compiler = "gcc"
	}
	if out, err := exec.Command(compiler, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", compiler, strings.Join(args, " "), err, out)
	}
	return nil
}

// cObjects holds the objects that every variant of a program links
// unchanged: report.o, and main.o built for the program (-DPROGRAM).
var cObjects struct {
	sync.Mutex
	dir   string
	built map[string]string // file name → path
}

// sharedObjects returns main.o for program and report.o, compiled once
// per test binary, as the Makefile compiles them.
func sharedObjects(src, program string) ([]string, error) {
	cObjects.Lock()
	defer cObjects.Unlock()
	if cObjects.dir == "" {
		dir, err := os.MkdirTemp("", "wrongports-") // in TestMain's TMPDIR, removed at the end
		if err != nil {
			return nil, err
		}
		cObjects.dir, cObjects.built = dir, map[string]string{}
	}
	var paths []string
	for _, o := range []struct{ name, src, define string }{
		{"main_" + program + ".o", "main.c", "-DPROGRAM=" + program + "_main"},
		{"report.o", "report.c", ""},
	} {
		path, ok := cObjects.built[o.name]
		if !ok {
			path = filepath.Join(cObjects.dir, o.name)
			args := []string{"-Wall", "-Wextra", "-O2", "-I", src, "-c", "-o", path, filepath.Join(src, o.src)}
			if o.define != "" {
				args = append(args, o.define)
			}
			if err := cc(args...); err != nil {
				return nil, err
			}
			cObjects.built[o.name] = path
		}
		paths = append(paths, path)
	}
	return paths, nil
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
