//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/runner"
)

func TestBadArgumentsGiveUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"list", "extra"},
		{"run", "pipe"},
		{"run", "--form", "rust", "pipe"},
		{"run", "--form", "go", "nosuch"},
		{"check", "nosuch"},
		{"check", "--nosuchflag"},
		{"verify", "pipe"},
		{"verify", "pipe", "--"},
		{"verify", "nosuch", "--", "true"},
		{"calls"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		if !strings.Contains(stderr.String(), "usage:") {
			t.Errorf("%q: no usage on stderr: %q", args, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: wrote to stdout: %q", args, stdout.String())
		}
	}
}

func TestMain(m *testing.M) {
	runner.Main(compare.Lookup) // a sandboxed run's init is the test binary again
	os.Exit(m.Run())
}

// TestCheckAndVerify runs the command as a user does, on the pipe program
// (the parity matrix itself is package compare's test): check agrees, and
// verify tells a port that drops the "!" from C.
func TestCheckAndVerify(t *testing.T) {
	bin, err := filepath.Abs("../../../bin")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", "--bin", bin, "pipe"}, &stdout, &stderr); code != 0 {
		t.Fatalf("check pipe: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "scenarios agree") || !strings.Contains(stdout.String(), "call scripts agree") {
		t.Errorf("check pipe printed no summary:\n%s", stdout.String())
	}
	stdout.Reset()
	stderr.Reset()
	code := run([]string{"verify", "--bin", bin, "pipe", "--", "sh", "-c", `printf 'Hello World\n'`}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stdout.String(), "Hello World!") {
		t.Errorf("verify of a wrong port: exit %d (want 1)\n%s%s", code, stdout.String(), stderr.String())
	}
}
