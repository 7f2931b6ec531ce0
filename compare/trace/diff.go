//go:build linux

package trace

import (
	"fmt"
	"strings"
)

// context is how many equal calls Diff shows around a difference.
const context = 2

// Diff compares two runs' processes, matched by label, and returns their
// differences in strace's notation: per process that differs, its label,
// then "- " for a call of want only, "+ " for a call of got only, and up
// to two equal calls around them. It is empty when they agree.
func Diff(want, got []Process) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, w := range want {
		seen[w.Label] = true
		diffProcess(&b, w.Label, w.Calls, callsOf(got, w.Label))
	}
	for _, g := range got {
		if !seen[g.Label] {
			diffProcess(&b, g.Label+" (C has no such process)", nil, g.Calls)
		}
	}
	return b.String()
}

func callsOf(ps []Process, label string) []string {
	for _, p := range ps {
		if p.Label == label {
			return p.Calls
		}
	}
	return nil
}

func diffProcess(b *strings.Builder, label string, want, got []string) {
	ops := lcsDiff(want, got)
	changed := false
	for _, op := range ops {
		changed = changed || op.kind != ' '
	}
	if !changed {
		return
	}
	fmt.Fprintf(b, "%s:\n", label)
	last := -1 // the last op written
	for i, op := range ops {
		if op.kind == ' ' && !near(ops, i) {
			continue
		}
		if last >= 0 && i > last+1 {
			b.WriteString("  ...\n")
		}
		fmt.Fprintf(b, "%c %s\n", op.kind, op.line)
		last = i
	}
}

// near reports whether a change is within context of ops[i].
func near(ops []op, i int) bool {
	for j := max(0, i-context); j <= min(len(ops)-1, i+context); j++ {
		if ops[j].kind != ' ' {
			return true
		}
	}
	return false
}

type op struct {
	kind byte // ' ', '-', '+'
	line string
}

// lcsDiff is lines' diff as ops.
func lcsDiff(a, b []string) []op {
	var ops []op
	for _, l := range Lines(a, b) {
		ops = append(ops, op{l[0], l[2:]})
	}
	return ops
}

// Lines diffs a and b line by line (a longest common subsequence): each
// line "  " when both have it, "- " when only a has it, "+ " when only b
// has it. The equal start and end are taken first, so that long traces
// that differ in a few calls need a small table.
func Lines(a, b []string) []string {
	var head, tail []string
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		head, a, b = append(head, "  "+a[0]), a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		tail, a, b = append([]string{"  " + a[len(a)-1]}, tail...), a[:len(a)-1], b[:len(b)-1]
	}
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	out := head
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, "  "+a[i])
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+a[i])
			i++
		default:
			out = append(out, "+ "+b[j])
			j++
		}
	}
	return append(out, tail...)
}
