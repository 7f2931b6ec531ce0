//go:build linux

package judge

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/trace"

	"github.com/google/go-cmp/cmp"
)

// A Result is one scenario run under every pairing and compared with the
// reference pairing (the first: C in every role).
type Result struct {
	Mechanism string      `json:"program"`
	Scenario  string      `json:"scenario"`
	About     string      `json:"about"`
	Roles     []string    `json:"roles"`
	Runs      []RunResult `json:"runs"`
	// Agree is true when every pairing gave the reference outcome, or the
	// outcome a listed known difference predicts.
	Agree bool `json:"agree"`
	// Notes say how the comparison was made where it was not field for
	// field (lines compared as a set, errno not reported by a form).
	Notes []string `json:"notes,omitempty"`
}

// RunResult is the outcome of one pairing and how it compares.
type RunResult struct {
	Pairing string         `json:"pairing"`
	Outcome runner.Outcome `json:"outcome"`
	// Repro is how to run the pairing by hand: shell lines (see repro.go).
	Repro []string `json:"repro,omitempty"`
	// Verdict is "reference", "same", "known" or "different".
	Verdict string `json:"verdict"`
	// Known names the known difference that explains the outcome.
	Known string `json:"known,omitempty"`
	// Diff is cmp.Diff(reference, this), empty when the outcomes agree.
	Diff string `json:"diff,omitempty"`
	// Err is the runner's own failure, if the pairing could not run.
	Err string `json:"error,omitempty"`
	// Trace is each process's system calls when the scenario is traced
	// (trace.go), and TraceDiff how they differ from the reference's.
	Trace     []trace.Process `json:"trace,omitempty"`
	TraceDiff string          `json:"trace_diff,omitempty"`
	// Hung says which process of a form other than C's did not end by
	// its deadline where C's ended, and what that deadline was (see
	// runner.PortDeadline).
	Hung string `json:"hung,omitempty"`
	// Seconds is how long the run took, sandbox included.
	Seconds float64 `json:"seconds"`
	// Skipped says why the pairing was not run (verdict "skipped"): a
	// form that hung in an earlier pairing of the scenario, in the same
	// role, is not waited for again; or the scenario needs what this
	// runner cannot have (runner.Unavailable), and no pairing runs.
	Skipped string `json:"skipped,omitempty"`
}

// Verdicts.
const (
	VerdictReference = "reference"
	VerdictSame      = "same"
	VerdictKnown     = "known"
	VerdictDifferent = "different"
	// VerdictSkipped is a pairing not run because one of its forms hung
	// in an earlier pairing of the scenario, or because the scenario needs
	// what this runner cannot have (RunResult.Skipped says which).
	VerdictSkipped = "skipped"
)

// Compare runs sc under every pairing and compares each outcome with the
// first pairing's. The other pairings get a deadline that follows the
// reference's time (runner.PortDeadline). When a pairing with a single
// form other than C's hangs where C ended, that form is not waited for
// again in the same role: the scenario's later pairings that give it that
// role are skipped (VerdictSkipped), so that a port that never ends costs
// seconds, not a deadline per pairing. The pairings with one such form run
// first, right after the reference; the results keep the pairings' order.
func Compare(ctx context.Context, sc runner.Scenario, pairings []runner.Pairing) Result {
	res := Result{Mechanism: sc.Mechanism, Scenario: sc.Name, About: sc.About, Roles: sc.Roles, Agree: true}
	if len(sc.Unordered) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("stdout of %s compared as a set of lines: their order is not determined", strings.Join(sc.Unordered, ", ")))
	}
	sc = untraceable(sc, &res)
	if why := runner.Unavailable(sc); why != "" {
		// Not run, which is not agreeing: NotRun tells the reports.
		for _, pairing := range pairings {
			res.Runs = append(res.Runs, RunResult{Pairing: pairing.Label(sc.Roles), Repro: Repro(sc, pairing), Verdict: VerdictSkipped, Skipped: why})
		}
		return res
	}
	res.Runs = make([]RunResult, len(pairings))
	var ref runner.Outcome
	var refTrace []trace.Process
	var refTook time.Duration
	hung := map[string]string{} // hangKey → the pairing it hung in
	for _, i := range runOrder(sc, pairings) {
		pairing := pairings[i]
		rr := RunResult{Pairing: pairing.Label(sc.Roles), Repro: Repro(sc, pairing)}
		if why := skipAfterHang(sc, pairing, hung); why != "" {
			rr.Verdict, rr.Skipped = VerdictSkipped, why
			res.Runs[i] = rr
			continue
		}
		run := sc
		if i > 0 {
			run.IdleAfter = runner.PortDeadline(sc, refTook, timedOut(ref))
		}
		start := time.Now()
		out, err := runner.Execute(ctx, run, pairing)
		took := time.Since(start)
		if i == 0 {
			refTook = took
		}
		rr.Seconds = took.Seconds()
		if sc.Trace && err == nil {
			rr.Trace = readTraces(sc, pairing, out.Traces)
		}
		out.Traces = nil
		out = Digest(out)
		rr.Outcome = out
		switch {
		case err != nil:
			rr.Verdict, rr.Err = VerdictDifferent, err.Error()
			res.Agree = false
			if i == 0 {
				rr.Verdict = VerdictReference
			}
		case i == 0:
			rr.Verdict = VerdictReference
			ref, refTrace = out, rr.Trace
			if len(out.NotReady) > 0 {
				// The scenario did not run as written, so every pairing
				// would agree on nothing: the deadline ended C's wait for
				// a process to become ready, and the steps after it.
				rr.Err = "never ready before the deadline: " + strings.Join(out.NotReady, "; ")
				res.Agree = false
			}
		default:
			want := comparable(sc, pairing, ref, &res)
			got := comparable(sc, pairing, out, nil)
			rr.Verdict, rr.Known, rr.Diff = Verdict(sc, pairing, want, got)
			if rr.Verdict == VerdictDifferent {
				res.Agree = false
				rr.Hung = noteHang(sc, pairings[0], pairing, ref, out, rr.Pairing, runner.DeadlineNote(sc, run.IdleAfter, refTook), hung)
			}
			if sc.Trace {
				judgeTrace(sc, &res, refTrace, &rr, pairing)
			}
		}
		res.Runs[i] = rr
	}
	return res
}

// runOrder is the order the pairings run in: the reference, then those
// with a single form other than the reference's (a hang there names its
// form), then the others, each group in the pairings' order.
func runOrder(sc runner.Scenario, pairings []runner.Pairing) []int {
	var single, more []int
	for i := 1; i < len(pairings); i++ {
		if len(strangers(sc, pairings[0], pairings[i])) == 1 {
			single = append(single, i)
		} else {
			more = append(more, i)
		}
	}
	if len(pairings) == 0 {
		return nil
	}
	return append(append([]int{0}, single...), more...)
}

// strangers are the programs to which pairing gives a form other than the
// reference's.
func strangers(sc runner.Scenario, ref, pairing runner.Pairing) []string {
	var out []string
	for _, prog := range sc.Roles {
		if !sameForm(pairing.FormFor(sc.Roles, prog), ref.FormFor(sc.Roles, prog), prog) {
			out = append(out, prog)
		}
	}
	return out
}

// timedOut reports whether a process of o was killed at the deadline.
func timedOut(o runner.Outcome) bool {
	return slices.ContainsFunc(o.Procs, func(p runner.Proc) bool { return p.Timeout })
}

// noteHang says which processes of the pairing were killed at the
// deadline where C's of the same role ended ("sock_client (go) hung:
// server (c), client 1 (go) did not end: killed idle after 2s ..."), or
// "" for none. When the pairing has a single form
// other than the reference's, that form is the one that hung, whichever
// of the waiting peers the deadline ended first: it is recorded in hung.
func noteHang(sc runner.Scenario, refPairing, pairing runner.Pairing, ref, out runner.Outcome, label, deadline string, hung map[string]string) string {
	var killed []string
	for _, p := range out.Procs {
		k := slices.IndexFunc(ref.Procs, func(c runner.Proc) bool { return c.Role == p.Role })
		if p.Timeout && (k < 0 || !ref.Procs[k].Timeout) {
			killed = append(killed, fmt.Sprintf("%s (%s)", p.Role, pairing.FormFor(sc.Roles, programOf(sc, p.Role)).Name))
		}
	}
	if killed == nil {
		return ""
	}
	said := strings.Join(killed, ", ") + " did not end: " + deadline
	if s := strangers(sc, refPairing, pairing); len(s) == 1 {
		f := pairing.FormFor(sc.Roles, s[0])
		hung[hangKey(s[0], f)] = label
		said = fmt.Sprintf("%s (%s) hung: %s", s[0], f.Name, said)
	}
	return said
}

// sameForm reports whether f and g run program with the same command.
func sameForm(f, g runner.Form, program string) bool {
	return hangKey(program, f) == hangKey(program, g)
}

// skipAfterHang says why the pairing is not run, when one of its forms
// hung in the same role in an earlier pairing of the scenario; else "".
func skipAfterHang(sc runner.Scenario, pairing runner.Pairing, hung map[string]string) string {
	for _, prog := range sc.Roles {
		f := pairing.FormFor(sc.Roles, prog)
		if where, ok := hung[hangKey(prog, f)]; ok {
			return fmt.Sprintf("%s (%s) hung in pairing %s: not waited for again", prog, f.Name, where)
		}
	}
	return ""
}

// hangKey names a form in a program's role: the form's name and its
// command, so that two users' ports of the same name stay apart.
func hangKey(program string, f runner.Form) string {
	argv, _ := f.Command(program)
	return program + "\x00" + f.Name + "\x00" + strings.Join(argv, "\x00")
}

// comparable prepares an outcome for comparison under a pairing: lines of
// unordered processes sorted, and errno blanked for processes whose form
// does not report it (noted once in res when res is not nil).
func comparable(sc runner.Scenario, pairing runner.Pairing, o runner.Outcome, res *Result) runner.Outcome {
	c := runner.Outcome{Leftovers: o.Leftovers, Procs: append([]runner.Proc(nil), o.Procs...)}
	for i := range c.Procs {
		p := &c.Procs[i]
		if slices.Contains(sc.Unordered, p.Role) {
			lines := strings.SplitAfter(string(p.Stdout), "\n")
			sort.Strings(lines)
			p.Stdout = runner.Text(strings.Join(lines, ""))
		}
		prog := programOf(sc, p.Role)
		if f := pairing.FormFor(sc.Roles, prog); !f.ReportsErrno {
			if res != nil && p.Errno != "" {
				note := fmt.Sprintf("errno of %s not compared (C's: %s): run verify with --errno if your port reports errno on IPCPARITY_REPORT_FD", p.Role, p.Errno)
				if !slices.Contains(res.Notes, note) {
					res.Notes = append(res.Notes, note)
				}
			}
			p.Errno = ""
		}
	}
	return c
}

// programOf finds the program that a step label stands for.
func programOf(sc runner.Scenario, label string) string {
	for _, st := range sc.Steps {
		if st.Program != "" && st.Role() == label {
			return st.Program
		}
	}
	return label
}

// Verdict compares got with want, allowing exactly the known differences
// listed for this scenario and pairing.
func Verdict(sc runner.Scenario, pairing runner.Pairing, want, got runner.Outcome) (verdict, known, diff string) {
	diff = cmp.Diff(want, got)
	kds := knownFor(sc, pairing)
	if diff == "" {
		// A user's port may agree with C where a known difference of its
		// language applies: the difference is allowed, not required.
		for _, kd := range kds {
			if kd.Required && builtin(pairing) {
				return VerdictDifferent, kd.ID, fmt.Sprintf("known difference %s is listed for this run but did not show: update the list", kd.ID)
			}
		}
		return VerdictSame, "", ""
	}
	for _, kd := range kds {
		if cmp.Diff(kd.Expect(sc, pairing, want), got) == "" {
			return VerdictKnown, kd.ID, diff
		}
	}
	// A form whose language no applying entry names is held to C, but the
	// report says when its difference is one that the list explains for
	// another language.
	id := sc.Mechanism + "/" + sc.Name
	for _, kd := range KnownDifferences {
		if kd.Expect != nil && slices.Contains(kd.Scenarios, id) && cmp.Diff(kd.Expect(sc, pairing, want), got) == "" {
			known = "as known difference " + kd.ID + " describes for " + strings.Join(kd.Langs, " and ")
			if unsaid(pairing, kd.Langs) {
				known += ", which your port is not taken to be: if it is, say so with verify --lang"
			}
			return VerdictDifferent, known, diff
		}
	}
	return VerdictDifferent, "", diff
}

// unsaid reports whether a form of the pairing that is not built in has a
// language outside langs.
func unsaid(p runner.Pairing, langs []string) bool {
	for _, f := range p {
		if !f.Builtin && !slices.Contains(langs, f.Lang) {
			return true
		}
	}
	return false
}

// TextKept is how much of a long output a result keeps, at its start.
const TextKept = 4 << 10

// Digest shortens every output longer than TextKept to its first TextKept
// bytes and a line that gives its length and SHA-256: two outputs that
// differ anywhere still differ, but a port that floods its output does not
// flood the report, nor the memory of a check that keeps every result.
func Digest(o runner.Outcome) runner.Outcome {
	d := o
	d.Procs = append([]runner.Proc(nil), o.Procs...)
	for i := range d.Procs {
		p := &d.Procs[i]
		p.Stdout, p.Stderr = digestText(p.Stdout, p.StdoutDropped), digestText(p.Stderr, p.StderrDropped)
	}
	return d
}

func digestText(t runner.Text, dropped int64) runner.Text {
	if len(t) <= TextKept && dropped == 0 {
		return t
	}
	sum := sha256.Sum256([]byte(t))
	return t[:min(len(t), TextKept)] + runner.Text(fmt.Sprintf("\n[... %d bytes kept in all, sha256 %x]\n", len(t), sum[:8]))
}

// NotRun says why no pairing of r was run (runner.Unavailable), or "" when
// r was run. Such a result differs in nothing but agrees on nothing: the
// reports count it apart, as not run.
func NotRun(r Result) string {
	if len(r.Runs) == 0 || slices.ContainsFunc(r.Runs, func(rr RunResult) bool { return rr.Verdict != VerdictSkipped }) {
		return ""
	}
	return r.Runs[0].Skipped
}

// ComparePort runs sc with C (ref) in every role, then with port in
// program's role and C in the others, as ipcparity verify does, and
// compares the two.
func ComparePort(ctx context.Context, sc runner.Scenario, program string, ref, port runner.Form) Result {
	c := make(runner.Pairing, len(sc.Roles))
	mine := make(runner.Pairing, len(sc.Roles))
	for i, r := range sc.Roles {
		c[i], mine[i] = ref, ref
		if r == program {
			mine[i] = port
		}
	}
	return Compare(ctx, sc, []runner.Pairing{c, mine})
}
