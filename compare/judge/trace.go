//go:build linux

package judge

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/trace"
)

// Traced runs (runner.Scenario.Trace) are judged on their system calls
// too: each process's calls (package trace) against C's, with the known
// differences at that level (trace.Known) of its form's language.
//
// The forms c, cgo and go, and a user's port, are held to C's calls: goipc
// is the literal translation, and where Go must call otherwise trace.Known
// says so. The idiom form is not: package net and os/exec make other calls
// by design (close-on-exec and non-blocking descriptors, epoll, accept4,
// a re-exec through os/exec), which is what that form shows. Its calls are
// read and reported, not judged.

// reportedOnly reports whether the pairing's calls are reported and not
// judged: it has an idiom form.
func reportedOnly(p runner.Pairing) bool {
	return slices.ContainsFunc(p, func(f runner.Form) bool { return f.Name == runner.FormIdiom })
}

// untraceable returns sc untraced, with a note in res, when it sends a
// process SIGSTOP, or a signal whose default action is to ignore it (the
// signals the Go runtime takes): under ptrace both stop the process for
// strace, SIGSTOP at random before or after strace itself, and an ignored
// signal then interrupts the call the process waits in (poll restarts as
// restart_syscall), where the scenario waits for a stop or for that call.
func untraceable(sc runner.Scenario, res *Result) runner.Scenario {
	stops := func(st runner.Step) bool {
		return slices.Contains([]string{"SIGSTOP", "SIGCONT", "SIGURG", "SIGWINCH", "SIGCHLD"}, st.Signal)
	}
	if !sc.Trace || !slices.ContainsFunc(sc.Steps, stops) {
		return sc
	}
	sc.Trace = false
	res.Notes = append(res.Notes, "not traced: it sends SIGSTOP or a signal that C ignores, which under ptrace stops the process for strace and breaks the wait it was sent in")
	return sc
}

// readTraces reads the traces of a run, each process by the known
// differences of its form's language.
func readTraces(sc runner.Scenario, p runner.Pairing, traces []runner.Trace) []trace.Process {
	var procs []trace.Process
	for _, t := range traces {
		form := p.FormFor(sc.Roles, programOf(sc, t.Role))
		read := trace.Read(t.Role, string(t.Text), trace.Options{Known: trace.KnownFor(form.Lang)})
		if t.Dropped > 0 && len(read) > 0 {
			last := &read[len(read)-1]
			last.Calls = append(last.Calls, fmt.Sprintf("[the trace was cut: %d bytes more]", t.Dropped))
		}
		procs = append(procs, read...)
	}
	return procs
}

// ordered leaves out the processes whose order of calls the scenario does
// not determine: those it compares the output of as a set of lines
// (Scenario.Unordered: a server polling twenty clients at once takes them
// as they come), and their children. It notes that in res, when not nil.
func ordered(sc runner.Scenario, res *Result, procs []trace.Process) []trace.Process {
	var out []trace.Process
	for _, pr := range procs {
		role, _, _ := strings.Cut(pr.Label, " child ")
		if !slices.Contains(sc.Unordered, role) {
			out = append(out, pr)
			continue
		}
		note := fmt.Sprintf("system calls of %s reported, not judged: the order in which it takes its peers is not determined", role)
		if res != nil && !slices.Contains(res.Notes, note) {
			res.Notes = append(res.Notes, note)
		}
	}
	return out
}

// judgeTrace compares the run's calls with the reference's and updates its
// verdict: a difference is one, unless the pairing is reported only.
func judgeTrace(sc runner.Scenario, res *Result, ref []trace.Process, rr *RunResult, p runner.Pairing) {
	got := ordered(sc, nil, rr.Trace)
	rr.TraceDiff = trace.Diff(ordered(sc, res, ref), got)
	var known []string
	for _, pr := range got {
		for _, id := range pr.Known {
			if !slices.Contains(known, id) {
				known = append(known, id)
			}
		}
	}
	var langs []string
	for _, f := range p {
		langs = append(langs, f.Lang)
	}
	kd := trace.ReportedFor(res.Mechanism+"/"+res.Scenario, langs)
	switch {
	case rr.TraceDiff != "" && kd != nil:
		note := fmt.Sprintf("system calls of the %s and %s forms are reported, not judged, as known difference %s says (--json has them and their diff)", strings.Join(kd.Langs[:len(kd.Langs)-1], ", "), kd.Langs[len(kd.Langs)-1], kd.ID)
		if !slices.Contains(res.Notes, note) {
			res.Notes = append(res.Notes, note)
		}
		if rr.Verdict == VerdictSame {
			rr.Verdict, rr.Known = VerdictKnown, kd.ID
		}
	case rr.TraceDiff != "" && reportedOnly(p):
		note := "system calls of the idiom form are reported, not judged (--json has them and their diff): package net and os/exec call otherwise by design"
		if !slices.Contains(res.Notes, note) {
			res.Notes = append(res.Notes, note)
		}
	case rr.TraceDiff != "":
		rr.Verdict = VerdictDifferent
		res.Agree = false
	case len(known) > 0 && rr.Verdict == VerdictSame:
		rr.Verdict, rr.Known = VerdictKnown, strings.Join(known, "+")
	}
}

// reportTraceKnown writes the reasons of the known differences in system
// calls among ids ("fork", "accept-peer-address+empty-buffer") that
// KnownDifferences does not explain already.
func reportTraceKnown(w io.Writer, ids []string) {
	var said []string
	for _, id := range ids {
		for _, one := range strings.Split(id, "+") {
			if slices.Contains(said, one) || slices.ContainsFunc(KnownDifferences, func(kd KnownDifference) bool { return kd.ID == one }) {
				continue
			}
			said = append(said, one)
			for _, kd := range trace.Known {
				if kd.ID == one {
					fmt.Fprintf(w, "\nknown difference in system calls %s (%s):\n%s%s", kd.ID, strings.Join(kd.Scenarios, ", "), indent(Wrap(kd.Reason, 76)), indent(Wrap(kd.Calls, 76)))
				}
			}
		}
	}
}
