//go:build linux

package callscript

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// lang is every mechanism's calls, as package compare joins them.
var lang = func() *Lang {
	l, err := NewLang(Pipe, FIFO, Mq, Shm, Sock)
	if err != nil {
		panic(err)
	}
	return l
}()

func TestParseScriptRejects(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"pipe([$r, $w]) = 0\nwrite($r, \"x, 1)", "bad.calls:2:17: unterminated string"},
		{"frobnicate(1)", `bad.calls:1:1: unknown call "frobnicate"`},
		{"close(3", `bad.calls:1:8: expected ')', found the end of the line`},
		{"close(O_BOGUS)", "bad.calls:1:7: unknown constant O_BOGUS"},
		{"close(3) = -1 ENOTANERRNO", "bad.calls:1:26: expected an errno name (EAGAIN) after -1"},
		{"close(3) =", "bad.calls:1:11: expected a result after ="},
		{"close(3) junk", `bad.calls:1:10: unexpected "junk" after the call`},
		{"write(4, \"\\q\", 1)", `bad.calls:1:13: unknown escape \q`},
		{"write(4, \"x\"*-1, 1)", "bad.calls:1:16: repeat count -1 out of range"},
		{"# only a comment\n\n", "bad.calls: no calls"},
		{"write(4, \"" + strings.Repeat("x", 64) + "\"*16777216, 1)", "bad.calls:1:10: repeated string of 1073741824 bytes (64 × 16777216): at most 16777216 (16 MiB)"},
		{"close(3) = $", "bad.calls:1:13: expected a variable name after $"},
		{"#sysctl fs/mqueue/msg_max\nclose(3)", "bad.calls:1:1: expected #sysctl NAME=VALUE"},
		{"close(1)\n  frobnicate(1)", `bad.calls:2:3: unknown call "frobnicate"`},
	} {
		_, err := lang.Parse("bad.calls", tc.text)
		if err == nil {
			t.Errorf("%q: parsed without error", tc.text)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q:\n got  %v\n want %s...", tc.text, err, tc.want)
		}
	}
}

func TestParseScript(t *testing.T) {
	s, err := lang.Parse("ok.calls", "# comment\npipe2([$r, $w], O_NONBLOCK|O_CLOEXEC) = 0 # trailing\nwrite($w, \"a\\n\\xff\"*2, 6) = -1 EAGAIN\nfcntl($w, F_GETPIPE_SZ) = $size\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lines) != 3 || s.Lines[0].N != 2 || s.Lines[1].N != 3 {
		t.Fatalf("lines %+v", s.Lines)
	}
	w := s.Lines[1]
	if w.Args[1].Str != "a\n\xff" || w.Args[1].Rep != 2 || w.Expect.Errno != "EAGAIN" {
		t.Errorf("write line parsed as %+v %+v", w.Args[1], w.Expect)
	}
	if s.Lines[2].Expect.Bind != "size" {
		t.Errorf("fcntl line binds %q", s.Lines[2].Expect.Bind)
	}
	if s.Sysctls != nil {
		t.Errorf("sysctls %v from a script that sets none", s.Sysctls)
	}
	if s.Lines[0].Text != "pipe2([$r, $w], O_NONBLOCK|O_CLOEXEC) = 0" {
		t.Errorf("text %q", s.Lines[0].Text)
	}
}

// TestScriptErrorsNameTheLine runs a script whose fourth line uses a
// variable that was never bound.
func TestScriptErrorsNameTheLine(t *testing.T) {
	err := execErrOnGo(t, "unbound.calls", "pipe([$r, $w]) = 0\nclose($r) = 0\nclose($w) = 0\nclose($nope)\n", "t")
	if err == nil || err.Error() != "unbound.calls:4:7: $nope is not bound" {
		t.Errorf("got %v", err)
	}
}

func TestExpectationsAreChecked(t *testing.T) {
	_, mism := runOnGo(t, "wrong.calls", "pipe([$r, $w]) = 0\nwrite($r, \"x\", 1) = 1\nclose($r) = -1 EBADF\nclose($w) = 0\n")
	want := []string{
		`wrong.calls:2: write($r, "x", 1) = 1: expected 1, got -1 EBADF (Bad file descriptor)`,
		`wrong.calls:3: close($r) = -1 EBADF: expected -1 EBADF, got 0`,
	}
	if diff := cmp.Diff(want, mism); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSysctls(t *testing.T) {
	s, err := lang.Parse("ok.calls", "#sysctl fs/mqueue/msg_max=64\n  #sysctl fs/mqueue/msgsize_max = 16384\nclose(3)\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"fs/mqueue/msg_max": "64", "fs/mqueue/msgsize_max": "16384"}
	if diff := cmp.Diff(want, s.Sysctls); diff != "" {
		t.Errorf("sysctls: mismatch (-want +got):\n%s", diff)
	}
}

// TestErrnoAliases: a script may expect an errno by any of glibc's names,
// and the transcript shows strace's.
func TestErrnoAliases(t *testing.T) {
	for name, want := range map[string]unix.Errno{
		"EAGAIN": unix.EAGAIN, "EWOULDBLOCK": unix.EAGAIN,
		"EOPNOTSUPP": unix.EOPNOTSUPP, "ENOTSUP": unix.EOPNOTSUPP,
		"EDEADLK": unix.EDEADLK, "EDEADLOCK": unix.EDEADLOCK,
		"EUCLEAN": unix.EUCLEAN, "EPIPE": unix.EPIPE,
	} {
		if got := errnoByName(name); got != want {
			t.Errorf("errnoByName(%s) = %d, want %d", name, got, want)
		}
	}
	for e, want := range map[unix.Errno]string{unix.EAGAIN: "EAGAIN", unix.EOPNOTSUPP: "EOPNOTSUPP", unix.EDEADLK: "EDEADLK", unix.EUCLEAN: "EUCLEAN"} {
		if got := ErrnoName(e); got != want {
			t.Errorf("ErrnoName(%d) = %s, want strace's %s", e, got, want)
		}
	}
	if _, err := lang.Parse("bad.calls", "close(3) = -1 EFSCORRUPTED"); err == nil {
		t.Errorf("EFSCORRUPTED, a name of the kernel's alone, parsed")
	}
	out, mism := runOnGo(t, "alias.calls", "pipe2([$r, $w], O_NONBLOCK) = 0\nread($r, buf, 1) = -1 EWOULDBLOCK\nsocket(AF_UNIX, SOCK_DGRAM, 0) = $d\nlisten($d, 1) = -1 ENOTSUP\nlisten($d, 1) = -1 EOPNOTSUPP\nlisten($d, 1) = -1 EAGAIN\n")
	want := []string{"alias.calls:6: listen($d, 1) = -1 EAGAIN: expected -1 EAGAIN, got -1 EOPNOTSUPP (Operation not supported)"}
	if diff := cmp.Diff(want, mism); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(out, ", buf, 1) = -1 EAGAIN (") || strings.Count(out, "= -1 EOPNOTSUPP (") != 3 {
		t.Errorf("transcript:\n%s", out)
	}
}

// TestFailedBindingSkips: a line that fails to bind its variable is a
// mismatch, and the lines that use the variable are skipped, with the line
// to blame; the rest of the script runs.
func TestFailedBindingSkips(t *testing.T) {
	s, err := lang.Parse("skip.calls", `mq_open("/nonexistent$RUN", O_RDWR) = $q1
pipe2([$r, $w], 12345678) = 0
mq_send($q1, "x", 1, 0) = 0
fcntl($q1, F_GETFL) = $fl
close($fl)
write($w, "x", 1) = 1
pipe([$a, $b]) = 0
close($a) = 0
close($b) = 0
close($q1)
`)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	o, err := lang.Exec(s, goside.API(), testToken, &out)
	if err != nil {
		t.Fatal(err)
	}
	wantMism := []string{
		`skip.calls:1: mq_open("/nonexistent$RUN", O_RDWR) = $q1: expected success, got -1 ENOENT (No such file or directory)`,
		`skip.calls:2: pipe2([$r, $w], 12345678) = 0: expected 0, got -1 EINVAL (Invalid argument)`,
	}
	if diff := cmp.Diff(wantMism, o.Mismatches); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s", diff)
	}
	wantSkipped := []string{
		`skip.calls:3: mq_send($q1, "x", 1, 0) = 0: skipped ($q1 not bound: line 1 failed)`,
		`skip.calls:4: fcntl($q1, F_GETFL) = $fl: skipped ($q1 not bound: line 1 failed)`,
		`skip.calls:5: close($fl): skipped ($fl not bound: line 4 was skipped)`,
		`skip.calls:6: write($w, "x", 1) = 1: skipped ($w not bound: line 2 failed)`,
		`skip.calls:10: close($q1): skipped ($q1 not bound: line 1 failed)`,
	}
	if diff := cmp.Diff(wantSkipped, o.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if o.Calls != 5 {
		t.Errorf("%d calls made, want 5", o.Calls)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(s.Lines) {
		t.Fatalf("%d transcript lines for %d script lines:\n%s", len(lines), len(s.Lines), out.String())
	}
	if want := `mq_send($q1, "x", 1, 0) = skipped ($q1 not bound: line 1 failed)`; lines[2] != want {
		t.Errorf("transcript line 3:\n got  %s\n want %s", lines[2], want)
	}
	if !strings.HasPrefix(lines[6], "pipe([") || !strings.HasSuffix(lines[6], "]) = 0") {
		t.Errorf("transcript line 7 %q: the calls after a skipped one run", lines[6])
	}
}

// TestDeadlines: relative fields may be negative (+-1), tv_sec may be
// relative with tv_nsec absolute, and the other mixture is an error.
func TestDeadlines(t *testing.T) {
	var now unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_REALTIME, &now); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		arg      string
		sec      int64 // from now when rel
		nsec     int64 // exact unless rel
		rel, err bool
	}{
		{arg: "{tv_sec=-1, tv_nsec=0}", sec: -1},
		{arg: "{tv_sec=+-1, tv_nsec=+0}", sec: -1, rel: true},
		{arg: "{tv_sec=+-1}", sec: -1, rel: true},
		{arg: "{tv_sec=+2, tv_nsec=1000000000}", sec: 2, nsec: 1000000000},
		{arg: "{tv_sec=+2, tv_nsec=-1}", sec: 2, nsec: -1},
		{arg: "{tv_sec=5, tv_nsec=+1}", err: true},
	} {
		s, err := lang.Parse("d.calls", "sem_timedwait($s, "+tc.arg+")")
		if err != nil {
			t.Errorf("%s: %v", tc.arg, err)
			continue
		}
		c := &Call{lang: lang, Line: &s.Lines[0], vars: map[string]any{}}
		ts, err := deadlineArg(c, 1)
		switch {
		case tc.err:
			if err == nil || !strings.Contains(err.Error(), "needs a relative tv_sec") {
				t.Errorf("%s: got %v, %v; want an error", tc.arg, ts, err)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", tc.arg, err)
			continue
		}
		if tc.rel {
			// now-1s, give or take the test's own time.
			d := ts.Nano() - (now.Nano() + tc.sec*1e9)
			if d < 0 || d > 5e9 {
				t.Errorf("%s: %d.%09d is %d ns after now%+ds", tc.arg, ts.Sec, ts.Nsec, d, tc.sec)
			}
			continue
		}
		want := tc.sec
		if tc.arg[len("{tv_sec=")] == '+' {
			want += now.Sec
		}
		if ts.Nsec != tc.nsec || ts.Sec < want || ts.Sec > want+5 {
			t.Errorf("%s: got %d.%d, want %d.%d", tc.arg, ts.Sec, ts.Nsec, want, tc.nsec)
		}
	}
}

// A repeated string may be 16 MiB at most, as written and once $RUN is
// replaced.
func TestRepeatedStringLimit(t *testing.T) {
	if _, err := lang.Parse("ok.calls", `write(4, "xy"*8388608, 1)`); err != nil {
		t.Errorf("16 MiB: %v", err)
	}
	err := execErrOnGo(t, "run.calls", "pipe([$r, $w]) = 0\nwrite($w, \"$RUN\"*4194304, 1)\n", "longtoken")
	if want := `run.calls:2:11: "$RUN"*4194304: repeated string of 37748736 bytes: at most 16777216 (16 MiB)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// runOnGo parses text as the script file name and runs it on goside: its
// transcript and the mismatches with what it expects.
func runOnGo(t *testing.T, name, text string) (string, []string) {
	t.Helper()
	s, err := lang.Parse(name, text)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	o, err := lang.Exec(s, goside.API(), testToken, &out)
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), o.Mismatches
}

// execErrOnGo parses text as the script file name and runs it on goside
// with the run token token: the error that ended the run.
func execErrOnGo(t *testing.T, name, text, token string) error {
	t.Helper()
	s, err := lang.Parse(name, text)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	_, err = lang.Exec(s, goside.API(), token, &out)
	return err
}
