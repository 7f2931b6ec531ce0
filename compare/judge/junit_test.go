//go:build linux

package judge

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// junitResults are a scenario with a run that agrees, one that differs,
// one that could not start and one with a known difference, and two call
// scripts, one of whose sides disagree; the output has bytes XML cannot
// carry.
func junitResults() ([]Result, []ScriptResult) {
	ref := runner.Outcome{Procs: []runner.Proc{{Role: "pipe", Stdout: "Hello World!\n"}}, Leftovers: []string{}}
	bad := runner.Outcome{Procs: []runner.Proc{{Role: "pipe", Stdout: "Hello\x00World\xff", Exit: 1}}, Leftovers: []string{}}
	results := []Result{{
		Mechanism: "pipe", Scenario: "default", About: "the notes' program", Roles: []string{"pipe"},
		Runs: []RunResult{
			{Pairing: "c", Outcome: ref, Verdict: VerdictReference},
			{Pairing: "cgo", Outcome: ref, Verdict: VerdictSame},
			{Pairing: "go", Outcome: bad, Verdict: VerdictDifferent, Repro: []string{"umask 022", "bin/go/pipe"}},
			{Pairing: "idiom", Verdict: VerdictDifferent, Err: "start pipe (idiom): no such file\nmore"},
		},
	}, {
		Mechanism: "pipe", Scenario: "stdout-broken-long", About: "a long message into a broken stdout", Roles: []string{"pipe"},
		Runs: []RunResult{
			{Pairing: "c", Outcome: ref, Verdict: VerdictReference},
			{Pairing: "go", Outcome: ref, Verdict: VerdictKnown, Known: "sigpipe-other-fd"},
		},
	}}
	scripts := []ScriptResult{
		{File: "testdata/calls/pipe_ebadf.calls", Agree: true, Transcripts: map[string]string{"cipc": "close(3) = 0\n"}},
		{File: "testdata/calls/pipe_eagain.calls", Diff: "- a\n+ b\n", Transcripts: map[string]string{"cipc": "a\n"}},
		{File: "bad.calls", Error: "bad.calls:1:7: unknown call \"frob\""},
	}
	return results, scripts
}

// The JUnit output is valid against the schema CI servers read, and says
// in each case what a reader needs: the readable difference as the
// failure, the error of a run that could not start, the known difference
// as a property of a case that passed.
func TestJUnit(t *testing.T) {
	var b bytes.Buffer
	results, scripts := junitResults()
	if err := WriteJUnit(&b, results, scripts); err != nil {
		t.Fatal(err)
	}
	validate(t, b.Bytes())

	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 9 || doc.Failures != 2 || doc.Errors != 2 || len(doc.Suites) != 4 {
		t.Errorf("tests %d failures %d errors %d suites %d: want 9, 2, 2 and 4", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites))
	}
	cases := map[string]junitCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[c.Name] = c
		}
	}
	if f := cases["default [go]"].Failure; f == nil || !strings.Contains(f.Text, "what differs from C") || !strings.Contains(f.Text, `Hello\x00World\xff`) {
		t.Errorf("the failure of default [go] is not the readable report: %+v", f)
	}
	if e := cases["default [idiom]"].Error; e == nil || e.Message != "could not run: start pipe (idiom): no such file" {
		t.Errorf("default [idiom]: %+v", e)
	}
	if c := cases["stdout-broken-long [go]"]; c.Failure != nil || c.Properties == nil || c.Properties.Props[0].Value != "sigpipe-other-fd" {
		t.Errorf("a known difference: %+v", c)
	}
	if c := cases["testdata/calls/pipe_eagain.calls"]; c.Failure == nil {
		t.Errorf("a script whose sides disagree passed: %+v", c)
	}
	if c := cases["bad.calls"]; c.Error == nil || c.Failure != nil || !strings.Contains(c.Error.Message, "unknown call") {
		t.Errorf("a wrong script is not an error: %+v", c)
	}
}

// The schema test can fail: a document that breaks the schema is refused.
func TestJUnitSchemaRefuses(t *testing.T) {
	bad := []byte(`<?xml version="1.0"?><testsuites><testsuite name="x"><testcase name="y"/></testsuite></testsuites>`)
	if err := xmllint(t, bad); err == nil {
		t.Error("a testsuite without tests and a testcase without classname passed the schema")
	}
}

func validate(t *testing.T, doc []byte) {
	t.Helper()
	if err := xmllint(t, doc); err != nil {
		t.Errorf("the JUnit output breaks the schema: %v\n%s", err, doc)
	}
}

// xmllint validates doc against testdata/junit.xsd with libxml2's xmllint
// (Debian's libxml2-utils, which .ci/run installs).
func xmllint(t *testing.T, doc []byte) error {
	t.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint is needed to validate JUnit output (apt-get install libxml2-utils; .ci/run does): %v", err)
	}
	f := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--schema", "testdata/junit.xsd", f).CombinedOutput()
	if err != nil {
		return &lintError{err, string(out)}
	}
	return nil
}

type lintError struct {
	err error
	out string
}

func (e *lintError) Error() string { return e.err.Error() + ": " + e.out }
