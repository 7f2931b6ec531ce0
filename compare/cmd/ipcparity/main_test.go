//go:build linux

package main

import (
	"bytes"
	"strings"
	"testing"
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
