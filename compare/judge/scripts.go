//go:build linux

package judge

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/callscript"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// ScriptResult is a script run on both sides.
type ScriptResult struct {
	File string `json:"file"`
	// Error is set when the script is wrong rather than the sides in
	// disagreement: the file cannot be read, does not parse, or a run
	// found it wrong (a variable never bound, a bad argument). It names
	// the file, line and column: "f.calls:3:7: $q is not bound".
	Error string `json:"error,omitempty"`
	// Transcripts by side, and each side's complaints (results the script
	// did not expect, leftovers, a wrong script).
	Transcripts map[string]string   `json:"transcripts"`
	Problems    map[string][]string `json:"problems,omitempty"`
	// Diff is cmp.Diff(cipc's lines, goipc's lines).
	Diff  string `json:"diff,omitempty"`
	Agree bool   `json:"agree"`
	// Calls and Skipped count the calls cipc's run made and the lines it
	// skipped, their variables not bound since an earlier line failed.
	Calls   int `json:"calls"`
	Skipped int `json:"skipped,omitempty"`
	// NotRun says why the script was not run: its "#needs" line asks for
	// what this runner cannot have (runner.OtherUserUnavailable). Nothing
	// differs, but nothing agrees either: the reports count it apart.
	NotRun string `json:"not_run,omitempty"`
}

// skippedMark is how a transcript line of a skipped call ends its call:
// "mq_send($q, ...) = skipped ($q not bound: line 7 failed)".
const skippedMark = ") = skipped ("

// countCalls counts the calls a transcript shows made and skipped, a
// forked child's too; the lines of blocks (a loop's head and end, a
// child not waited for) and of caught signals are no calls.
func countCalls(transcript string) (calls, skipped int) {
	for l := range strings.Lines(transcript) {
		l = callPart(l)
		switch {
		case !isCall(l):
		case strings.Contains(l, skippedMark):
			skipped++
		default:
			calls++
		}
	}
	return calls, skipped
}

// callPart is a transcript line without a child's marks ("[$c] ") and
// the indentation of blocks.
func callPart(l string) string {
	l = strings.TrimSpace(l)
	for strings.HasPrefix(l, "[") {
		i := strings.Index(l, "] ")
		if i < 0 {
			break
		}
		l = strings.TrimSpace(l[i+2:])
	}
	return l
}

// isCall tells whether a transcript line (callPart) is a call's, not a
// loop's head ("repeat 3 {") or end ("} = 3 rounds"), a caught signal
// ("--- SIGALRM ---") or a child reaped at the end ("not waited for").
func isCall(l string) bool {
	return l != "" && !strings.HasSuffix(l, " {") && !strings.HasPrefix(l, "} = ") &&
		!strings.HasPrefix(l, "--- ") && !strings.HasPrefix(l, "not waited for:")
}

// noRaceExitSleep spares a race-enabled interpreter the second the race
// detector sleeps at exit.
const noRaceExitSleep = "GORACE=atexit_sleep_ms=0"

// blockedLine names the line a run that had not ended by its deadline was
// blocked in. The interpreter writes a transcript line for each line of the
// script once its call returns (or is skipped), each in one write to its
// unbuffered stdout, so the line after the last one written is the one
// whose call blocked: "timeout in line 7: mq_receive($q, buf, 8, NULL)".
// When the runner dropped part of stdout, the count is lost.
func blockedLine(s *callscript.Script, stdout string, dropped int64) string {
	if dropped > 0 {
		return "timeout (the transcript was cut, so the line is unknown)"
	}
	// The lines of the script's top level: not a child's, not inside a
	// loop, not a signal's. A loop's head without its end means that the
	// loop's body blocked.
	n, inLoop := 0, false
	for l := range strings.Lines(stdout) {
		switch {
		case strings.HasPrefix(l, " "), strings.HasPrefix(l, "["), strings.HasPrefix(l, "--- "):
		case strings.HasPrefix(l, "} = "):
			inLoop = false
		default:
			n++
			inLoop = strings.HasSuffix(strings.TrimSuffix(l, "\n"), " {")
		}
	}
	if inLoop && n <= len(s.Lines) {
		return fmt.Sprintf("timeout in the loop of line %d: %s", s.Lines[n-1].N, s.Lines[n-1].Text)
	}
	if n >= len(s.Lines) {
		return "timeout after the last call"
	}
	return fmt.Sprintf("timeout in line %d: %s", s.Lines[n].N, s.Lines[n].Text)
}

// RunScript parses a call script in lang and runs it on each side (cipc and goipc: sides[i]
// runs the program "ipccalls" of its form, see runner.ScriptSides), each in
// a run of its own, and compares their transcripts line by line. probes
// look for what a script may leave outside its directory.
func RunScript(ctx context.Context, lang *callscript.Lang, file string, sides []runner.Form, probes []runner.Probe) ScriptResult {
	res := ScriptResult{File: file, Transcripts: map[string]string{}, Problems: map[string][]string{}}
	text, err := os.ReadFile(file)
	var script *callscript.Script
	if err == nil {
		script, err = lang.Parse(file, string(text))
	}
	if err != nil {
		res.Error = err.Error()
		res.Problems = nil
		return res
	}
	if slices.Contains(script.Needs, callscript.NeedSecondUID) {
		if why := runner.OtherUserUnavailable(); why != "" {
			res.NotRun, res.Agree, res.Problems = why, true, nil
			return res
		}
	}
	lines := make([][]string, len(sides))
	for i, form := range sides {
		side := form.Name
		sc := runner.Scenario{
			Mechanism: "calls", Name: file, Roles: []string{runner.ScriptProgram}, IPCName: "/$RUN",
			Steps:  []runner.Step{{Program: runner.ScriptProgram, Args: []string{"--stdin", file}, Stdin: text, Env: []string{noRaceExitSleep}}},
			Probes: probes, Sysctls: script.Sysctls,
		}
		out, err := runner.Execute(ctx, sc, runner.Pairing{form})
		if err != nil {
			res.Problems[side] = append(res.Problems[side], err.Error())
			continue
		}
		p := out.Procs[0]
		res.Transcripts[side] = string(p.Stdout)
		lines[i] = strings.SplitAfter(string(p.Stdout), "\n")
		for _, l := range strings.Split(strings.TrimSpace(string(p.Stderr)), "\n") {
			if msg, ok := strings.CutPrefix(l, callscript.ScriptErrorPrefix); ok && p.Exit == 2 {
				if res.Error == "" {
					res.Error = msg
				} else if res.Error != msg {
					res.Error += "; " + side + ": " + msg
				}
				continue
			}
			if l != "" {
				res.Problems[side] = append(res.Problems[side], l)
			}
		}
		switch {
		case p.Timeout:
			res.Problems[side] = append(res.Problems[side], blockedLine(script, string(p.Stdout), p.StdoutDropped))
		case p.Exit != 0 && p.Stderr == "":
			res.Problems[side] = append(res.Problems[side], fmt.Sprintf("exit %d %s", p.Exit, p.Signal))
		}
		for _, l := range out.Leftovers {
			res.Problems[side] = append(res.Problems[side], "left behind: "+l)
		}
	}
	res.Calls, res.Skipped = countCalls(res.Transcripts[runner.SideC])
	res.Diff = cmp.Diff(lines[0], lines[1])
	res.Agree = res.Diff == "" && len(res.Problems) == 0 && res.Error == ""
	if len(res.Problems) == 0 {
		res.Problems = nil
	}
	return res
}

// reportProblems writes a script's problems, side by side, and its diff.
func reportProblems(w io.Writer, r ScriptResult) {
	for _, side := range []string{runner.SideC, runner.SideGo} {
		for _, p := range r.Problems[side] {
			fmt.Fprintf(w, "     %s: %s\n", side, p)
		}
	}
	if r.Diff != "" {
		fmt.Fprintf(w, "     mismatch (-cipc +goipc):\n%s", indent(r.Diff))
	}
}

// ReportScripts writes the results of call scripts: each file, whether the
// sides agree, and where they do not, the diff and the problems. A script
// that is wrong shows as "ERROR file:line:column: what".
func ReportScripts(w io.Writer, results []ScriptResult) {
	agree, notRun := 0, 0
	for _, r := range results {
		if r.NotRun != "" {
			notRun++
			fmt.Fprintf(w, "skip %s (not run: %s)\n", r.File, r.NotRun)
			continue
		}
		if r.Error != "" {
			// The script is wrong: what the sides did does not count.
			fmt.Fprintf(w, "ERROR %s\n", r.Error)
			reportProblems(w, r)
			continue
		}
		mark := "ok"
		if !r.Agree {
			mark = "DIFF"
		} else {
			agree++
		}
		counts := fmt.Sprintf("%d calls", r.Calls)
		if r.Skipped > 0 {
			counts += fmt.Sprintf(", %d skipped", r.Skipped)
		}
		fmt.Fprintf(w, "%-4s %s (%s)\n", mark, r.File, counts)
		reportProblems(w, r)
	}
	fmt.Fprintf(w, "%d of %d call scripts agree between cipc and goipc", agree, len(results))
	if notRun > 0 {
		fmt.Fprintf(w, ", %d not run", notRun)
	}
	fmt.Fprintln(w)
}
