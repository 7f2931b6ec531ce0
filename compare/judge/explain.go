//go:build linux

package judge

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/trace"
)

// explain writes, process by process and field by field, what C did
// (want) and what the other pairing did (got), in words, with a hint
// where a difference has a usual cause.
func explain(w io.Writer, want, got runner.Outcome, other string) {
	for i := 0; i < max(len(want.Procs), len(got.Procs)); i++ {
		var c, p runner.Proc
		switch {
		case i >= len(want.Procs):
			p = got.Procs[i]
			fmt.Fprintf(w, "    %s: run by %s only\n", p.Role, other)
			continue
		case i >= len(got.Procs):
			c = want.Procs[i]
			fmt.Fprintf(w, "    %s: run by C only (%s never started it)\n", c.Role, other)
			continue
		}
		c, p = want.Procs[i], got.Procs[i]
		if c == p {
			continue
		}
		fmt.Fprintf(w, "    %s:\n", c.Role)
		stream(w, "stdout", string(c.Stdout), string(p.Stdout), other)
		stream(w, "stderr", string(c.Stderr), string(p.Stderr), other)
		if c.StdoutDropped != p.StdoutDropped || c.StderrDropped != p.StderrDropped {
			fmt.Fprintf(w, "      output beyond what the runner keeps: C %d+%d bytes, %s %d+%d (stdout+stderr)\n",
				c.StdoutDropped, c.StderrDropped, other, p.StdoutDropped, p.StderrDropped)
		}
		if End(c) != End(p) {
			fmt.Fprintf(w, "      end: C %s, %s %s\n", End(c), other, End(p))
			switch {
			case p.Timeout && !c.Timeout:
				hint(w, "it did not end by the deadline where C ended: does it wait for something C does not (input, a peer, a signal)?")
			case c.Signal == "SIGPIPE" && p.Signal == "":
				hint(w, "C dies of SIGPIPE writing to a pipe without a reader; a Go process gets EPIPE instead on descriptors other than 1 and 2 (known difference sigpipe-other-fd)")
			}
		}
		if c.Errno != p.Errno {
			fmt.Fprintf(w, "      errno of the failing call: C %s, %s %s\n", errnoText(c.Errno), other, errnoText(p.Errno))
		}
	}
	if !slices.Equal(want.Leftovers, got.Leftovers) {
		// "seen: ..." is what a probe observed during the run; the rest
		// is what the run left.
		say := func(who, l string) {
			if obs, ok := strings.CutPrefix(l, "seen: "); ok {
				fmt.Fprintf(w, "    observed with %s only: %s\n", who, obs)
			} else {
				fmt.Fprintf(w, "    left behind by %s only: %s\n", who, l)
			}
		}
		for _, l := range want.Leftovers {
			if !slices.Contains(got.Leftovers, l) {
				say("C", l)
			}
		}
		for _, l := range got.Leftovers {
			if !slices.Contains(want.Leftovers, l) {
				say(other, l)
			}
		}
		if modeDiffers(want.Leftovers, got.Leftovers) {
			hint(w, "a mode differs: is the mode C passes used, and the umask applied (not a chmod after, not 0666)?")
		}
	}
	if !slices.Equal(want.Limits, got.Limits) {
		fmt.Fprintf(w, "    limits reached: C %q, %s %q\n", want.Limits, other, got.Limits)
	}
}

// stream writes how a stream differs: a line diff and a likely cause.
func stream(w io.Writer, name, c, p, other string) {
	if c == p {
		return
	}
	fmt.Fprintf(w, "      %s (- C, + %s):\n", name, other)
	for _, l := range lineDiff(c, p) {
		fmt.Fprintf(w, "        %s\n", clip(l))
	}
	switch {
	case p+"\n" == c:
		hint(w, name+" ends without the newline that C prints")
	case c+"\n" == p:
		hint(w, name+" has a newline at its end that C does not print")
	case strings.Join(strings.Fields(c), " ") == strings.Join(strings.Fields(p), " "):
		hint(w, name+" differs in white space only")
	case name == "stderr" && strings.Contains(c, ": ") && strings.Contains(p, ": "):
		hint(w, "perror prints \"PREFIX: strerror text\": compare the prefix and the error's text letter for letter")
	}
}

// lineDiff returns the lines of a and b, each marked "  " when both have
// it, "- " when only a has it, "+ " when only b has it (a longest common
// subsequence of lines); a last line without its newline says so.
func lineDiff(a, b string) []string {
	return trace.Lines(splitLines(a), splitLines(b))
}

// splitLines splits s into lines shown with Go's escapes, the last one
// marked when it has no newline.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	var lines []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if l == "" {
			continue
		}
		if strings.HasSuffix(l, "\n") {
			lines = append(lines, quoteLine(strings.TrimSuffix(l, "\n")))
		} else {
			lines = append(lines, quoteLine(l)+"   (no newline at the end)")
		}
	}
	return lines
}

// quoteLine shows a line as it is when it is printable, else with Go's
// escapes.
func quoteLine(l string) string {
	for _, r := range l {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			q := fmt.Sprintf("%q", l)
			return q[1 : len(q)-1]
		}
	}
	return l
}

// End says how a process ended: "exit status 0", "killed by SIGPIPE" or
// "killed at the deadline".
func End(p runner.Proc) string {
	switch {
	case p.Timeout:
		return "killed at the deadline"
	case p.Signal != "":
		return "killed by " + p.Signal
	}
	return fmt.Sprintf("exit status %d", p.Exit)
}

// errnoText names an errno with glibc's text ("ENOENT (No such file or
// directory)"), or says there was none.
func errnoText(name string) string {
	if name == "" {
		return "none reported"
	}
	for e := unix.Errno(1); e < 4096; e++ {
		if unix.ErrnoName(e) == name {
			return name + " (" + capitalize(e.Error()) + ")"
		}
	}
	return name
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// modeDiffers reports whether the two lists see the same object with
// different modes ("seen: fifo named_pipe mode 0644").
func modeDiffers(a, b []string) bool {
	obj := func(l string) (string, bool) {
		i := strings.LastIndex(l, " mode ")
		return l[:max(i, 0)], i >= 0
	}
	for _, x := range a {
		for _, y := range b {
			ox, okx := obj(x)
			oy, oky := obj(y)
			if okx && oky && ox == oy && x != y {
				return true
			}
		}
	}
	return false
}

func hint(w io.Writer, s string) {
	fmt.Fprintf(w, "      hint: %s\n", s)
}
