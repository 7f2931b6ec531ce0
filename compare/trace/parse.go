//go:build linux

package trace

import (
	"strconv"
	"strings"
)

// A call is one system call as strace -f wrote it, its two halves joined
// when another thread's calls came between them.
type call struct {
	tid    int
	name   string
	args   []string // top-level arguments, as strace wrote them
	result string   // after "= ": "0", "-1 ENOENT (No such file or directory)", "?"
}

const (
	unfinished = " <unfinished ...>"
	resumedPre = "<... "
)

// parse reads strace -f output (each line "TID text") into calls, in the
// order in which they started. Lines it does not know (exit and signal
// notes, which runner.StraceArgs turn off anyway) are skipped.
func parse(text string) []call {
	var calls []*call
	pending := map[int]*call{}  // a call whose end is yet to come, by thread
	partial := map[int]string{} // its text so far
	for _, line := range strings.Split(text, "\n") {
		tidText, rest, ok := strings.Cut(strings.TrimLeft(line, " "), " ")
		tid, err := strconv.Atoi(tidText)
		if !ok || err != nil {
			continue
		}
		rest = strings.TrimLeft(rest, " ")
		switch {
		case strings.HasPrefix(rest, resumedPre):
			c := pending[tid]
			_, cont, ok := strings.Cut(rest, " resumed>")
			if c == nil || !ok {
				continue
			}
			delete(pending, tid)
			// A call cut off by the process's exit: "<... read resumed>
			// <unfinished ...>) = ?".
			cont = strings.Replace(cont, unfinished, "", 1)
			fill(c, partial[tid]+cont)
		case strings.HasSuffix(rest, unfinished):
			c := &call{tid: tid}
			calls = append(calls, c)
			pending[tid], partial[tid] = c, strings.TrimSuffix(rest, unfinished)
		case strings.HasPrefix(rest, "+++") || strings.HasPrefix(rest, "---"):
		default:
			c := &call{tid: tid}
			if fill(c, rest) {
				calls = append(calls, c)
			}
		}
	}
	out := make([]call, 0, len(calls))
	for _, c := range calls {
		if c.name != "" {
			out = append(out, *c)
		}
	}
	return out
}

// fill parses "name(args) = result" into c.
func fill(c *call, s string) bool {
	open := strings.IndexByte(s, '(')
	eq := strings.LastIndex(s, "= ")
	if open <= 0 || eq < open {
		return false
	}
	head := strings.TrimRight(s[:eq], " ")
	if !strings.HasSuffix(head, ")") {
		return false
	}
	c.name = s[:open]
	c.args = splitArgs(head[open+1 : len(head)-1])
	c.result = strings.TrimSpace(s[eq+2:])
	return true
}

// splitArgs splits strace's argument list at its top-level commas, with
// strings, arrays, structures and comments kept whole.
func splitArgs(s string) []string {
	var args []string
	depth, start := 0, 0
	inString := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if inString {
			switch ch {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch ch {
		case '"':
			inString = true
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" || len(args) > 0 {
		args = append(args, rest)
	}
	return args
}
