//go:build linux

package paritytest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ipcparity/ipcparity/paritytest"
)

// tmp holds what the tests build: this module's Go forms.
var tmp string

func TestMain(m *testing.M) {
	paritytest.Init() // a TestMain of one's own; testdata/userport's is paritytest.Main
	var err error
	tmp, err = os.MkdirTemp("", "paritytest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// ownForms builds this module's go and idiom forms (without cgo, as make
// build does) into tmp/go and tmp/idiom once, and returns tmp.
var ownForms = sync.OnceValues(func() (string, error) {
	for _, f := range []struct{ form, pkg string }{{"go", "goipc"}, {"idiom", "goidiom"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(tmp, f.form)+"/", "../"+f.pkg+"/cmd/pipe", "../"+f.pkg+"/cmd/fifo_writer")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %v\n%s", cmd.Args, err, out)
		}
	}
	return tmp, nil
})

func forms(t *testing.T) string {
	t.Helper()
	dir, err := ownForms()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestOwnForms: this module's own Go ports of pipe and fifo_writer, in
// both Go forms, pass where Go's known differences show (stdout-broken-long,
// reader-gone-long) and where they do not (default), errno compared. The
// rest of each program's scenarios are package compare's parity matrix.
func TestOwnForms(t *testing.T) {
	dir := forms(t)
	for _, c := range []struct{ program, run string }{
		{"pipe", "^pipe/(default|stdout-broken-long)$"},
		{"fifo_writer", "^fifo/(default|reader-gone-long)$"},
	} {
		for _, form := range []string{"go", "idiom"} {
			t.Run(form+"/"+c.program, func(t *testing.T) {
				t.Parallel()
				paritytest.Options{Run: c.run, Errno: true}.Verify(t, c.program, filepath.Join(dir, form, c.program))
			})
		}
	}
}

// TestCalls runs two call scripts on cipc and goipc, a subtest each.
func TestCalls(t *testing.T) {
	paritytest.Calls(t, "../testdata/calls/pipe_eagain.calls", "../testdata/calls/fifo_umask.calls")
}

// An event is a line of go test -json.
type event struct {
	Action, Test, Output string
}

// userPort runs go test in testdata/userport, a module of its own whose
// test file holds the three lines (on this module's go form of pipe, in
// PORT) and a wrong port, on two scenarios that -run selects, once: the
// events, go test's error and its stderr.
var userPort = sync.OnceValues(func() ([]event, error) {
	dir, err := ownForms()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("go", "test", "-json", "-count=1", "-vet=off", "-run", "^Test(Port|WrongPort)$/^pipe/(default|stdout-broken-long)$", ".")
	cmd.Dir = "testdata/userport"
	cmd.Env = append(os.Environ(), "PORT="+filepath.Join(dir, "go", "pipe"), "GOWORK=off", "GOFLAGS=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var events []event
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var e event
		if derr := dec.Decode(&e); derr != nil {
			return nil, fmt.Errorf("go test -json: %v\n%s%s", derr, out, stderr.String())
		}
		events = append(events, e)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		// The wrong port fails go test: exit 1, and nothing else.
		return events, fmt.Errorf("go test in testdata/userport: %v, want exit status 1\n%s%s", err, out, stderr.String())
	}
	return events, nil
})

// verdicts returns "ACTION TEST" for each test that passed, failed or
// skipped, sorted: parallel subtests finish in any order.
func verdicts(events []event, prefix string) []string {
	var out []string
	for _, e := range events {
		if e.Test != "" && strings.HasPrefix(e.Test, prefix) && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip") {
			out = append(out, e.Action+" "+e.Test)
		}
	}
	slices.Sort(out)
	return out
}

// output is what test name printed.
func output(events []event, name string) string {
	var b strings.Builder
	for _, e := range events {
		if e.Test == name && e.Action == "output" {
			b.WriteString(e.Output)
		}
	}
	return b.String()
}

// TestUserModule: in a module of its own, the three lines verify the
// project's Go pipe, a subtest per scenario that -run selects, run in
// parallel; a wrong port fails the scenario where it differs with the
// readable report, and go test fails.
func TestUserModule(t *testing.T) {
	events, err := userPort()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"fail TestWrongPort",
		"fail TestWrongPort/pipe/default",
		"pass TestPort",
		"pass TestPort/pipe/default",
		"pass TestPort/pipe/stdout-broken-long",
		// Killed by SIGPIPE at its first write, as C's child is, the
		// wrong port cannot show what it would have written.
		"pass TestWrongPort/pipe/stdout-broken-long",
	}
	if got := verdicts(events, "Test"); !slices.Equal(got, want) {
		t.Errorf("verdicts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, name := range []string{"TestPort/pipe/default", "TestWrongPort/pipe/default"} {
		if out := output(events, name); !strings.Contains(out, "=== PAUSE "+name) {
			t.Errorf("%s did not run in parallel (no PAUSE):\n%s", name, out)
		}
	}
	// Go's known difference shows in the Go port's stdout-broken-long, and
	// is logged with the report under -v (go test -json is verbose).
	if out := output(events, "TestPort/pipe/stdout-broken-long"); !strings.Contains(out, "known:sigpipe-other-fd") {
		t.Errorf("the Go port's stdout-broken-long does not log the known difference:\n%s", out)
	}
	if out := output(events, "TestPort"); !strings.Contains(out, "is a Go binary") {
		t.Errorf("the Go port was not taken for Go:\n%s", out)
	}
	// The report of ipcparity verify, in the wrong port's failure.
	out := output(events, "TestWrongPort/pipe/default")
	for _, w := range []string{"pipe does not behave as C", "DIFF", "to run it by hand", "what differs from C", "Hello World!", "0 of 1 scenarios agree"} {
		if !strings.Contains(out, w) {
			t.Errorf("the wrong port's failure lacks %q:\n%s", w, out)
		}
	}
}
