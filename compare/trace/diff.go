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

// lcsDiff is a line diff by longest common subsequence; traces are short
// (hundreds of calls), so its quadratic table is small.
func lcsDiff(a, b []string) []op {
	n, m := len(a), len(b)
	t := make([][]int, n+1)
	for i := range t {
		t[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	var ops []op
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i++
			j++
		case t[i+1][j] >= t[i][j+1]:
			ops = append(ops, op{'-', a[i]})
			i++
		default:
			ops = append(ops, op{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, op{'-', a[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, op{'+', b[j]})
	}
	return ops
}
