//go:build linux

package judge

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Report writes results as a table, one row a scenario and one column a
// pairing, with a mark on each difference and the diffs below it.
func Report(w io.Writer, results []Result) {
	byRoles := map[string][]Result{}
	var order []string
	for _, r := range results {
		k := r.Mechanism + "\x00" + strings.Join(r.Roles, ",")
		if _, ok := byRoles[k]; !ok {
			order = append(order, k)
		}
		byRoles[k] = append(byRoles[k], r)
	}
	for _, k := range order {
		group := byRoles[k]
		fmt.Fprintf(w, "\n%s (%s)\n", group[0].Mechanism, strings.Join(group[0].Roles, ", "))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		header := []string{"scenario"}
		for _, rr := range group[0].Runs {
			header = append(header, rr.Pairing)
		}
		fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
		for _, r := range group {
			row := []string{r.Scenario}
			for _, rr := range r.Runs {
				row = append(row, cell(rr))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		tw.Flush()
	}

	var known []string
	for _, r := range results {
		for _, n := range r.Notes {
			fmt.Fprintf(w, "\nnote: %s/%s: %s\n", r.Mechanism, r.Scenario, n)
		}
		if why := NotRun(r); why != "" {
			fmt.Fprintf(w, "\n%s/%s: not run: %s\n", r.Mechanism, r.Scenario, why)
			continue
		}
		for _, rr := range r.Runs {
			switch rr.Verdict {
			case VerdictKnown:
				if !slices.Contains(known, rr.Known) {
					known = append(known, rr.Known)
				}
			case VerdictDifferent:
				fmt.Fprintln(w)
				ExplainRun(w, r, rr)
			case VerdictSkipped:
				fmt.Fprintf(w, "\n%s/%s [%s]: skipped: %s\n", r.Mechanism, r.Scenario, rr.Pairing, rr.Skipped)
			case VerdictReference:
				if rr.Err != "" {
					fmt.Fprintf(w, "\n%s/%s [%s]: the reference could not run: %s\n", r.Mechanism, r.Scenario, rr.Pairing, rr.Err)
				}
			}
		}
	}
	for _, id := range known {
		for _, kd := range KnownDifferences {
			if kd.ID == id {
				fmt.Fprintf(w, "\nknown difference %s (%s):\n%s\n", kd.ID, strings.Join(kd.Scenarios, ", "), indent(Wrap(kd.Reason, 76)))
			}
		}
	}
	reportTraceKnown(w, known)
	agree, notRun, total := 0, 0, len(results)
	for _, r := range results {
		switch {
		case NotRun(r) != "":
			notRun++
		case r.Agree:
			agree++
		}
	}
	fmt.Fprintf(w, "\n%d of %d scenarios agree across all pairings", agree, total)
	if notRun > 0 {
		fmt.Fprintf(w, ", %d not run (said above)", notRun)
	}
	fmt.Fprintln(w)
}

// ExplainRun writes, for a run that differs from C, the scenario, how to
// run it by hand and what differs, in words.
func ExplainRun(w io.Writer, r Result, rr RunResult) {
	fmt.Fprintf(w, "%s/%s [%s]: %s\n", r.Mechanism, r.Scenario, rr.Pairing, r.About)
	if rr.Err != "" {
		fmt.Fprintf(w, "  could not run: %s\n", rr.Err)
		return
	}
	if len(rr.Repro) > 0 {
		fmt.Fprintf(w, "  to run it by hand, in an empty directory:\n")
		for _, l := range rr.Repro {
			fmt.Fprintf(w, "    %s\n", clip(l))
		}
	}
	if rr.Hung != "" {
		fmt.Fprintf(w, "  hung: %s\n", rr.Hung)
	}
	fmt.Fprintf(w, "  what differs from C:\n")
	switch {
	case strings.HasPrefix(rr.Diff, "known difference "):
		fmt.Fprintf(w, "    %s\n", rr.Diff) // a Required entry that did not show
	case rr.Diff != "" || rr.TraceDiff == "":
		explain(w, r.Runs[0].Outcome, rr.Outcome, rr.Pairing)
	}
	if rr.TraceDiff != "" {
		fmt.Fprintf(w, "  system calls (strace -f; - C's, + this run's):\n%s", indent(rr.TraceDiff))
	}
	if rr.Known != "" {
		fmt.Fprintf(w, "  (%s)\n", rr.Known)
	}
}

// cell marks one run in the table.
func cell(rr RunResult) string {
	switch rr.Verdict {
	case VerdictReference:
		if rr.Err != "" {
			return "ERROR"
		}
		return "ref"
	case VerdictSame:
		return "ok"
	case VerdictKnown:
		return "known:" + rr.Known
	case VerdictSkipped:
		return "skipped"
	}
	if rr.Err != "" {
		return "ERROR"
	}
	return "DIFF"
}

// WriteJSON writes scenario and call-script results as one JSON document:
// per scenario its program, name, each pairing's outcome and verdict, and
// whether all agree.
func WriteJSON(w io.Writer, results []Result, scripts []ScriptResult, agree bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if results == nil {
		results = []Result{}
	}
	if scripts == nil {
		scripts = []ScriptResult{}
	}
	return enc.Encode(struct {
		Scenarios []Result       `json:"scenarios"`
		Calls     []ScriptResult `json:"calls"`
		Agree     bool           `json:"agree"`
	}{results, scripts, agree})
}

// AllAgree reports whether every result agrees.
func AllAgree(results []Result) bool {
	for _, r := range results {
		if !r.Agree {
			return false
		}
	}
	return true
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if line != "" {
			b.WriteString("    " + line)
		}
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// clip shortens the very long lines that big messages make in a diff.
func clip(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if len(l) > 300 {
			lines[i] = l[:300] + fmt.Sprintf("... (%d more bytes)", len(l)-300)
		}
	}
	return strings.Join(lines, "\n")
}

// Wrap folds text into lines of at most width columns, at blanks.
func Wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		if n > 0 && n+1+len(word) > width {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
