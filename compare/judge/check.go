//go:build linux

package judge

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"sort"
	"strings"

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
}

// Verdicts.
const (
	VerdictReference = "reference"
	VerdictSame      = "same"
	VerdictKnown     = "known"
	VerdictDifferent = "different"
)

// Compare runs sc under every pairing and compares each outcome with the
// first pairing's.
func Compare(ctx context.Context, sc runner.Scenario, pairings []runner.Pairing) Result {
	res := Result{Mechanism: sc.Mechanism, Scenario: sc.Name, About: sc.About, Roles: sc.Roles, Agree: true}
	if len(sc.Unordered) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("stdout of %s compared as a set of lines: their order is not determined", strings.Join(sc.Unordered, ", ")))
	}
	sc = untraceable(sc, &res)
	var ref runner.Outcome
	var refTrace []trace.Process
	for i, pairing := range pairings {
		rr := RunResult{Pairing: pairing.Label(sc.Roles), Repro: Repro(sc, pairing)}
		out, err := runner.Execute(ctx, sc, pairing)
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
		default:
			want := comparable(sc, pairing, ref, &res)
			got := comparable(sc, pairing, out, nil)
			rr.Verdict, rr.Known, rr.Diff = Verdict(sc, pairing, want, got)
			if rr.Verdict == VerdictDifferent {
				res.Agree = false
			}
			if sc.Trace {
				judgeTrace(sc, &res, refTrace, &rr, pairing)
			}
		}
		res.Runs = append(res.Runs, rr)
	}
	return res
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
