//go:build linux

package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeTool is a tool on a module of one file, prog.c, whose layers are
// shell commands that look at it: the parity run sees a mode, the go
// tests nothing, and only the trace layer a send flag (as strace shows
// MSG_NOSIGNAL where output cannot). Each run of the trace layer logs
// prog.c's lines to trace.log; traceFails makes it fail without a mutant.
func fakeTool(t *testing.T, traceFails bool) (*tool, string) {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "prog.c"), []byte("mode = 0600;\nflags = MSG_NOSIGNAL;\nbacklog = SOMAXCONN;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	trace := `tr '\n' ' ' < prog.c >> trace.log; echo >> trace.log; ! grep -q 'flags = 0;' prog.c`
	if traceFails {
		trace = `tr '\n' ' ' < prog.c >> trace.log; echo >> trace.log; echo 'DIFF sock/unix-default'; exit 1`
	}
	tl := &tool{root: root, traceBase: map[string]string{}}
	tl.plans = func(Mutant, string) plan {
		return plan{builds: [][]string{{"true"}}, deadline: time.Minute, layers: []layer{
			{"check", []string{"sh", "-c", `! grep -q 'mode = 0644' prog.c || { echo 'DIFF sock/unix-umask-000'; exit 1; }`}},
			{"go test", []string{"true"}},
		}}
	}
	tl.trace = func(Mutant, string) plan {
		return plan{builds: [][]string{{"true"}}, deadline: time.Minute, layers: []layer{{"trace", []string{"sh", "-c", trace}}}}
	}
	return tl, root
}

// fakeMutants are mistakes in fakeTool's prog.c: one the parity run
// catches, one only the trace layer catches, one that nothing catches,
// and one listed as equivalent.
var fakeMutants = []Mutant{
	{Name: "mode-0644", Kind: "mode", File: "prog.c", Old: "mode = 0600;", New: "mode = 0644;"},
	{Name: "no-nosignal", Kind: "flag", File: "prog.c", Old: "flags = MSG_NOSIGNAL;", New: "flags = 0;"},
	{Name: "backlog-5", Kind: "value", File: "prog.c", Old: "backlog = SOMAXCONN;", New: "backlog = 5;"},
	{Name: "backlog-4096", Kind: "value", File: "prog.c", Old: "backlog = SOMAXCONN;", New: "backlog = 4096;", Equivalent: "SOMAXCONN is 4096"},
}

// TestRunAllLayers holds the tool to what it reports for each layer: the
// mutant that only the trace layer catches is "killed (trace)" and
// counted so, the one nothing catches survives and is named (exit 1), the
// equivalent one is reported with its reason and not counted; the trace
// layer runs once without mutants first, then for the survivors of the
// plain layers only, and every file is put back.
func TestRunAllLayers(t *testing.T) {
	tl, root := fakeTool(t, false)
	var out strings.Builder
	code := tl.runAll(&out, fakeMutants, "mutants.txt")
	if code != 1 {
		t.Errorf("exit status %d, want 1 (a survivor)", code)
	}
	for _, want := range []string{
		"[1/4] killed (check)   mode-0644 (mode): exit status 1: DIFF sock/unix-umask-000",
		"[2/4] killed (trace)   no-nosignal (flag): exit status 1",
		"[3/4] SURVIVED         backlog-5 (value): prog.c",
		"[4/4] equivalent       backlog-4096 (value): SOMAXCONN is 4096",
		"\n2 of 3 mutants killed: 66.7% (1 by check, 1 by trace)\n",
		"equivalent, listed with their reason and not counted: backlog-4096\n",
		"survivors of kind value: backlog-5 (prog.c)\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	log, err := os.ReadFile(filepath.Join(root, "trace.log"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"mode = 0600; flags = MSG_NOSIGNAL; backlog = SOMAXCONN; ", // the baseline
		"mode = 0600; flags = 0; backlog = SOMAXCONN; ",
		"mode = 0600; flags = MSG_NOSIGNAL; backlog = 5; ",
		"mode = 0600; flags = MSG_NOSIGNAL; backlog = 4096; ",
		"",
	}
	if diff := cmp.Diff(want, strings.Split(string(log), "\n")); diff != "" {
		t.Errorf("runs of the trace layer (-want +got):\n%s", diff)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "prog.c")); string(got) != "mode = 0600;\nflags = MSG_NOSIGNAL;\nbacklog = SOMAXCONN;\n" {
		t.Errorf("prog.c after the run: %q", got)
	}
}

// TestRunAllTraceBaseline checks that a trace layer that fails without a
// mutant kills nothing: the survivors of the plain layers are errors, not
// killed, and the layer runs once.
func TestRunAllTraceBaseline(t *testing.T) {
	tl, root := fakeTool(t, true)
	var out strings.Builder
	code := tl.runAll(&out, fakeMutants[:3], "mutants.txt")
	if code != 0 {
		t.Errorf("exit status %d, want 0 (no survivor counted)", code)
	}
	for _, want := range []string{
		"[2/3] ERROR            no-nosignal (flag): the module without mutants fails the trace layer: exit status 1: DIFF sock/unix-default",
		"\n1 of 1 mutants killed: 100.0% (1 by check)\n",
		"not counted, their check ended in an error (run them again): no-nosignal, backlog-5\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if log, _ := os.ReadFile(filepath.Join(root, "trace.log")); strings.Count(string(log), "\n") != 1 {
		t.Errorf("the trace layer ran %d times, want once (without mutants)", strings.Count(string(log), "\n"))
	}
}

// TestRunAllMislisted checks that a mutant listed as equivalent that a
// layer kills is the list's error (exit 2), not a kill.
func TestRunAllMislisted(t *testing.T) {
	tl, _ := fakeTool(t, false)
	m := fakeMutants[0]
	m.Equivalent = "no one sees the mode"
	var out strings.Builder
	if code := tl.runAll(&out, []Mutant{m}, "mutants.txt"); code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	for _, want := range []string{"MISLISTED", "0 of 0 mutants killed", "mutants listed as equivalent that a layer kills: mode-0644"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestTraceLayer checks the command the survivors are held to: ipcparity
// check --trace of the mutant's mechanism alone, all of them for none.
func TestTraceLayer(t *testing.T) {
	if got := TraceLayer("sock").argv; !slices.Contains(got, "--trace") || got[len(got)-1] != "sock" || got[0] != "bin/ipcparity" {
		t.Errorf("TraceLayer(sock) = %q", got)
	}
	if got := TraceLayer("").argv; got[len(got)-1] == "" {
		t.Errorf("TraceLayer(\"\") = %q", got)
	}
	tl := newTool(t.TempDir(), time.Minute, false)
	if p := tl.trace(Mutant{File: "goipc/sock.go"}, "sock"); len(p.layers) != 0 {
		t.Errorf("-trace=false: the trace plan has layers %v", p.layers)
	}
	tl = newTool(t.TempDir(), time.Minute, true)
	if p := tl.trace(Mutant{File: "goipc/sock.go"}, "sock"); len(p.layers) != 1 || p.layers[0].name != "trace" {
		t.Errorf("the trace plan has layers %v", p.layers)
	}
}

// TestFirstLines checks what a verdict shows of a failed layer: a parity
// run's DIFF lines, a test's FAIL line, and for a trace diff C's call and
// the mutant's rather than more rows of the table.
func TestFirstLines(t *testing.T) {
	err := errors.New("exit status 1")
	for _, tc := range []struct{ out, want string }{
		{"ok a\nx  DIFF  y\nz DIFF\nw DIFF\nv DIFF\n", "exit status 1: x  DIFF  y | z DIFF | w DIFF"},
		{"=== RUN TestX\n--- FAIL: TestX (0.01s)\nFAIL\n", "exit status 1: --- FAIL: TestX (0.01s)"},
		{"unix-default  ref  DIFF\ntcp-default  ref  DIFF\n  server:\n      listen(4, 4096) = 0\n    - sendto(5, \"received\", 8, MSG_NOSIGNAL, NULL, 0) = 8\n    + sendto(5, \"received\", 8, 0, NULL, 0) = 8\n        + hello\n",
			"exit status 1: unix-default  ref  DIFF | - sendto(5, \"received\", 8, MSG_NOSIGNAL, NULL, 0) = 8 | + sendto(5, \"received\", 8, 0, NULL, 0) = 8"},
		{"something\nlast line\n", "exit status 1: last line"},
		{"ok   testdata/calls/fifo_mkfifo_errors.calls (16 calls)\nDIFF testdata/calls/shm_nofollow.calls (18 calls)\n- \t\"close(7) = 0\\n\",\n+ \t\"close(9) = 0\\n\",\n",
			"exit status 1: DIFF testdata/calls/shm_nofollow.calls (18 calls)"},
	} {
		if got := firstLines([]byte(tc.out), err); got != tc.want {
			t.Errorf("firstLines(%q) = %q, want %q", tc.out, got, tc.want)
		}
	}
}
