//go:build linux

package judge

import (
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/trace"
)

// judgeTrace: a run whose calls differ from C's differs, whatever its
// outcome; the idiom form's and a Reported entry's are noted, not judged;
// a known difference read in the calls makes an agreeing run known.
func TestJudgeTrace(t *testing.T) {
	ref := []trace.Process{{Label: "server", Calls: []string{"listen(3, 4096) = 0"}}}
	wrong := []trace.Process{{Label: "server", Calls: []string{"listen(3, 5) = 0"}}}
	known := []trace.Process{{Label: "server", Calls: ref[0].Calls, Known: []string{"accept-peer-address"}}}
	goForm := runner.Pairing{{Name: "go", Lang: runner.LangGo}}
	idiom := runner.Pairing{{Name: runner.FormIdiom, Lang: runner.LangGo}}
	for _, c := range []struct {
		name, scenario string
		got            []trace.Process
		pairing        runner.Pairing
		verdict, known string
		note           string
	}{
		{"same", "sock/tcp-default", ref, goForm, VerdictSame, "", ""},
		{"wrong", "sock/tcp-default", wrong, goForm, VerdictDifferent, "", ""},
		{"known", "sock/tcp-default", known, goForm, VerdictKnown, "accept-peer-address", ""},
		{"idiom", "sock/tcp-default", wrong, idiom, VerdictSame, "", "idiom form are reported"},
		{"reported entry", "pipe/stdout-closed", wrong, goForm, VerdictKnown, "stdio-reopened", "known difference stdio-reopened"},
		{"reported entry, other language", "pipe/stdout-closed", wrong, runner.Pairing{{Name: "user"}}, VerdictDifferent, "", ""},
	} {
		mech, name, _ := strings.Cut(c.scenario, "/")
		sc := runner.Scenario{Mechanism: mech, Name: name, Roles: []string{"sock_server"}, Trace: true}
		res := Result{Mechanism: mech, Scenario: name, Agree: true}
		rr := RunResult{Verdict: VerdictSame, Trace: c.got}
		judgeTrace(sc, &res, ref, &rr, c.pairing)
		if rr.Verdict != c.verdict || rr.Known != c.known {
			t.Errorf("%s: verdict %q known %q, want %q %q (diff %q)", c.name, rr.Verdict, rr.Known, c.verdict, c.known, rr.TraceDiff)
		}
		if res.Agree != (c.verdict != VerdictDifferent) {
			t.Errorf("%s: Agree %v with verdict %q", c.name, res.Agree, rr.Verdict)
		}
		if note := strings.Join(res.Notes, "\n"); !strings.Contains(note, c.note) || (c.note == "") != (note == "") {
			t.Errorf("%s: notes %q, want one with %q", c.name, note, c.note)
		}
	}
}

// A scenario that sends SIGSTOP, or a signal C ignores, is run untraced,
// and says so; one that sends SIGTERM is traced.
func TestUntraceable(t *testing.T) {
	stop := runner.Scenario{Trace: true, Steps: []runner.Step{{Program: "mq_server"}, {Signal: "SIGSTOP", Target: "mq_server"}}}
	var res Result
	if sc := untraceable(stop, &res); sc.Trace || len(res.Notes) != 1 {
		t.Errorf("SIGSTOP: Trace %v, notes %q; want untraced, with a note", sc.Trace, res.Notes)
	}
	urg := runner.Scenario{Trace: true, Steps: []runner.Step{{Program: "sock_server"}, {Signal: "SIGURG", Target: "sock_server", EveryThread: true}}}
	res = Result{}
	if sc := untraceable(urg, &res); sc.Trace || len(res.Notes) != 1 {
		t.Errorf("SIGURG: Trace %v, notes %q; want untraced, with a note", sc.Trace, res.Notes)
	}
	term := runner.Scenario{Trace: true, Steps: []runner.Step{{Program: "mq_server"}, {Signal: "SIGTERM", Target: "mq_server"}}}
	res = Result{}
	if sc := untraceable(term, &res); !sc.Trace || len(res.Notes) != 0 {
		t.Errorf("SIGTERM: Trace %v, notes %q; want traced, no note", sc.Trace, res.Notes)
	}
}
