//go:build linux

package judge

import (
	"os/exec"
	"strings"
	"testing"
)

// A long argument of one letter (but a quote, % or \) is written as a
// printf that sh expands to it, in a short line; every argument is quoted
// so that sh gives it back.
func TestShellQuoteLongRun(t *testing.T) {
	for _, s := range []string{strings.Repeat("d", 100000), strings.Repeat(" ", 81), strings.Repeat("'", 90), "short", "it's"} {
		q := shellQuote(s)
		if len(s) > 80 && !strings.ContainsAny(s[:1], `'%\`) && len(q) > 60 {
			t.Errorf("%.10q... (%d bytes) is quoted in %d bytes", s, len(s), len(q))
		}
		out, err := exec.Command("sh", "-c", `printf '%s' `+q).Output()
		if err != nil || string(out) != s {
			t.Errorf("sh expands %.60s to %d bytes (%.10q...), not %d: %v", q, len(out), out, len(s), err)
		}
	}
}
