//go:build linux

package explain

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// A Difference is what Render says of a known difference: its reason and
// the scenarios that show it (from judge.KnownDifferences).
type Difference struct {
	ID, Reason string
	Scenarios  []string
}

// Render writes p's forms in columns, one row per step, in width
// characters (60 at least): a step that names a known difference is marked
// with *, and under it are the difference's reason and scenarios (the
// first time; after that, a reference to it).
func Render(w io.Writer, p Program, known []Difference, width int) {
	width = max(width, 60)
	label := len("step")
	for _, s := range p.Forms[0] {
		label = max(label, len(s.ID))
	}
	label = min(label, width/7)
	// "* " + label + " " + three columns separated by " | ".
	col := (width - 2 - label - 1 - 2*3) / len(Forms)
	row := func(mark, lab string, cells []string) {
		wrapped := make([][]string, len(cells))
		lines := 1
		for i, c := range cells {
			wrapped[i] = wrapCode(c, col)
			lines = max(lines, len(wrapped[i]))
		}
		lw := wrapCode(lab, label) // a long ID breaks after a "-"
		lines = max(lines, len(lw))
		for l := 0; l < lines; l++ {
			var b strings.Builder
			if l == 0 {
				b.WriteString(pad(mark, 2))
			} else {
				b.WriteString("  ")
			}
			b.WriteString(pad(at(lw, l), label))
			b.WriteString(" ")
			for i := range cells {
				if i > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(pad(at(wrapped[i], l), col))
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
	var files []string
	for i, f := range Sources(p.Name) {
		files = append(files, Forms[i]+" "+f)
	}
	for _, l := range wrapWords(p.Name+": "+strings.Join(files, ", "), width) {
		fmt.Fprintln(w, l)
	}
	for _, l := range wrapWords("Each row is one step of the program, in the C's order. * marks a step where Go truly differs from C: the known difference is explained under it. (In brackets) is why a form has no such step.", width) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	row("", "step", Forms)
	fmt.Fprintln(w, strings.Repeat("-", 2+label+1+len(Forms)*col+(len(Forms)-1)*3))
	told := map[string]bool{}
	for i, s := range p.Forms[0] {
		cells := make([]string, len(p.Forms))
		var kds []string
		for f := range p.Forms {
			if i >= len(p.Forms[f]) {
				continue
			}
			st := p.Forms[f][i]
			cells[f] = st.Code
			if st.None != "" {
				cells[f] = "(" + st.None + ")"
			}
			for _, k := range st.Known {
				if !slices.Contains(kds, k) {
					kds = append(kds, k)
				}
			}
		}
		mark := ""
		if len(kds) > 0 {
			mark = "*"
		}
		row(mark, s.ID, cells)
		for _, k := range kds {
			indent := strings.Repeat(" ", 4)
			if told[k] {
				fmt.Fprintf(w, "%s* %s: see above\n", indent, k)
				continue
			}
			told[k] = true
			var d Difference
			for _, x := range known {
				if x.ID == k {
					d = x
				}
			}
			for j, l := range wrapWords("known difference "+k+": "+d.Reason, width-len(indent)-2) {
				if j == 0 {
					fmt.Fprintf(w, "%s* %s\n", indent, l)
				} else {
					fmt.Fprintf(w, "%s  %s\n", indent, l)
				}
			}
			for _, l := range wrapWords("shown by (ipcparity check --run NAME): "+strings.Join(d.Scenarios, ", "), width-len(indent)-2) {
				fmt.Fprintf(w, "%s  %s\n", indent, l)
			}
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

func pad(s string, n int) string {
	if r := len([]rune(s)); r < n {
		return s + strings.Repeat(" ", n-r)
	}
	return s
}

// wrapCode breaks a line of code into lines of at most n runes. It cuts
// where breakAt says, and it does not leave a piece of three runes or
// less (a lone "{") on a line of its own when an earlier space will do.
func wrapCode(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		cut := breakAt(r, n)
		if rest := len(r) - cut; rest <= 3 {
			for i := cut - 1; i > n/2; i-- {
				if r[i] == ' ' {
					cut = i
					break
				}
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " "))
		r = []rune(strings.TrimLeft(string(r[cut:]), " "))
	}
	return append(out, string(r))
}

// breakAt is where wrapCode cuts r, which is longer than n: the index of
// the first rune of the next line. In that order, it looks for a space in
// the second half of the line; a space that leaves a rest that fits one
// line; a "(", ",", "|", "[" or "-" to cut after, or a "." to cut before;
// a space in the second third. Only then does it cut a name in two.
func breakAt(r []rune, n int) int {
	space := func(from, to int) int {
		for i := from; i > to; i-- {
			if r[i] == ' ' {
				return i
			}
		}
		return -1
	}
	if i := space(n, n/2); i > 0 {
		return i
	}
	// Two lines at a space earlier on read better than three.
	if i := space(n, 3); i > 0 && len(r)-i-1 <= n {
		return i
	}
	for i := n; i > n/2; i-- {
		if strings.ContainsRune("(,|[-", r[i-1]) || r[i] == '.' {
			return i
		}
	}
	if i := space(n/2, n/3); i > 0 {
		return i
	}
	return n
}

// wrapWords fills words into lines of at most n runes; a word longer
// than n is broken as wrapCode breaks code.
func wrapWords(s string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		for _, w := range wrapCode(word, n) {
			if line != "" && len([]rune(line))+1+len([]rune(w)) > n {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
	}
	return append(lines, line)
}
