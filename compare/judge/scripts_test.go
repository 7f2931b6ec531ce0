//go:build linux

package judge

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/callscript"
)

// A transcript's skipped lines are counted apart from the calls made, and
// the report says both.
func TestScriptSkippedCounted(t *testing.T) {
	transcript := "mq_open(\"/q\", O_RDWR) = -1 ENOENT (No such file or directory)\n" +
		"mq_send($q, \"x\", 1, 0) = skipped ($q not bound: line 1 failed)\n" +
		"close(3) = -1 EBADF (Bad file descriptor)\n"
	calls, skipped := countCalls(transcript)
	if calls != 2 || skipped != 1 {
		t.Errorf("countCalls = %d, %d; want 2, 1", calls, skipped)
	}
	var b strings.Builder
	ReportScripts(&b, []ScriptResult{{File: "a.calls", Calls: calls, Skipped: skipped}, {File: "b.calls", Agree: true, Calls: 4}})
	want := "DIFF a.calls (2 calls, 1 skipped)\nok   b.calls (4 calls)\n1 of 2 call scripts agree between cipc and goipc\n"
	if b.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}
}

// A script that cannot be read or does not parse is an error naming the
// file, line and column, not a difference, and the report says ERROR.
func TestScriptErrors(t *testing.T) {
	lang, err := callscript.NewLang(callscript.Pipe, callscript.Mq)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.calls")
	if err := os.WriteFile(bad, []byte("pipe([$r, $w]) = 0\nclose(O_BOGUS)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		bad:                              bad + ":2:7: unknown constant O_BOGUS",
		filepath.Join(dir, "none.calls"): "open " + filepath.Join(dir, "none.calls") + ": no such file or directory",
	} {
		r := RunScript(context.Background(), lang, file, nil, nil)
		if r.Error != want || r.Agree || len(r.Problems) != 0 {
			t.Errorf("%s: Error %q, Agree %v, Problems %v; want Error %q", file, r.Error, r.Agree, r.Problems, want)
		}
		var b strings.Builder
		ReportScripts(&b, []ScriptResult{r})
		if wantReport := "ERROR " + want + "\n0 of 1 call scripts agree between cipc and goipc\n"; b.String() != wantReport {
			t.Errorf("report:\n%s\nwant:\n%s", b.String(), wantReport)
		}
	}
}

// A run that timed out names the line whose call blocked: the one after
// the last transcript line.
func TestBlockedLine(t *testing.T) {
	lang, err := callscript.NewLang(callscript.Pipe, callscript.Mq)
	if err != nil {
		t.Fatal(err)
	}
	s, err := lang.Parse("t.calls", "# blocks\npipe([$r, $w]) = 0\n\nread($r, buf, 1)   # for ever\nclose($w)\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		stdout  string
		dropped int64
		want    string
	}{
		{"pipe([3, 4]) = 0\n", 0, "timeout in line 4: read($r, buf, 1)"},
		{"", 0, "timeout in line 2: pipe([$r, $w]) = 0"},
		{"pipe([3, 4]) = 0\nread(3, \"x\", 1) = 1\nclose(4) = 0\n", 0, "timeout after the last call"},
		{"pipe([3, 4]) = 0\n", 10, "timeout (the transcript was cut, so the line is unknown)"},
	} {
		if got := blockedLine(s, tc.stdout, tc.dropped); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.stdout, got, tc.want)
		}
	}
}

// With blocks, the line that blocked is counted among the script's top
// level: a child's lines, a loop's rounds and caught signals are not, and
// a loop begun and not ended blocked in its body. countCalls counts the
// calls, a child's too, and not the lines of blocks or signals.
func TestBlockedLineInBlocks(t *testing.T) {
	lang, err := callscript.NewLang(callscript.Pipe, callscript.Proc, callscript.Signal)
	if err != nil {
		t.Fatal(err)
	}
	s, err := lang.Parse("t.calls", "pipe([$r, $w]) = 0\nfork() = $c {\n  write($w, \"x\", 1)\n}\nwaitpid($c, status, 0)\nrepeat 2 { read($r, buf, 1) }\nclose($w)\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ stdout, want string }{
		{"pipe([3, 4]) = 0\nfork() = $c\n", "timeout in line 5: waitpid($c, status, 0)"},
		{"pipe([3, 4]) = 0\nfork() = $c\n[$c] write(4, \"x\", 1) = 1\nwaitpid($c, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0) = $c\n--- SIGCHLD ---\nrepeat 2 {\n  read(3, \"x\", 1) = 1\n",
			"timeout in the loop of line 6: repeat 2"},
		{"pipe([3, 4]) = 0\nfork() = $c\nwaitpid($c, status, 0) = $c\nrepeat 2 {\n} = 2 rounds\n", "timeout in line 7: close($w)"},
	} {
		if got := blockedLine(s, tc.stdout, 0); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.stdout, got, tc.want)
		}
	}
	calls, skipped := countCalls("fork() = $c\n[$c] write(4, \"x\", 1) = 1\n[$c] [$d] close(3) = skipped ($x not bound: line 2 failed)\n--- SIGPIPE ---\nrepeat 2 {\n  read(3, \"x\", 1) = 1\n} = 1 rounds\n[$c] not waited for: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]\n")
	if calls != 3 || skipped != 1 {
		t.Errorf("countCalls = %d, %d; want 3, 1", calls, skipped)
	}
}
