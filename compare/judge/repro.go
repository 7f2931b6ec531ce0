//go:build linux

package judge

import (
	"fmt"
	"strings"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// Repro returns shell lines that run sc under pairing by hand, in an
// empty directory: the umask, the environment, each step's command line
// with its input and output, and what the runner waits for in between.
// The sandbox's own name for $RUN is used, so the names are those of the
// report.
func Repro(sc runner.Scenario, pairing runner.Pairing) []string {
	umask := 0o022
	if sc.Umask != nil {
		umask = *sc.Umask
	}
	lines := []string{fmt.Sprintf("umask %03o", umask)}
	env := ""
	if sc.IPCName != "" {
		env = "IPC_NAME=" + shellQuote(strings.ReplaceAll(sc.IPCName, "$RUN", runner.InsideToken)) + " "
	}
	if sc.Setup != nil {
		lines = append(lines, "# first, as the scenario's setup does: "+sc.About)
	}
	for k, v := range sc.Sysctls {
		lines = append(lines, fmt.Sprintf("# in a private IPC namespace: sysctl %s=%s", strings.ReplaceAll(k, "/", "."), v))
	}
	for _, st := range sc.Steps {
		switch {
		case st.Signal != "":
			lines = append(lines, fmt.Sprintf("kill -%s -- -$%s_pid   # the process group of %s", strings.TrimPrefix(st.Signal, "SIG"), shellName(st.Target), st.Target))
			continue
		case st.Await:
			what := "it ends"
			if st.Ready.What != "" {
				what = st.Ready.What
			}
			lines = append(lines, fmt.Sprintf("# wait until %s: %s", st.Target, what))
			continue
		}
		argv, err := pairing.FormFor(sc.Roles, st.Program).Command(st.Program)
		if err != nil {
			lines = append(lines, "# "+st.Role()+": "+err.Error())
			continue
		}
		var words []string
		for _, a := range append(append([]string(nil), argv...), st.Args...) {
			words = append(words, shellQuote(strings.ReplaceAll(a, "$RUN", runner.InsideToken)))
		}
		line := env + strings.Join(append(st.Env, words...), " ")
		if st.Stdin != nil {
			line = "printf '%s' " + shellQuote(string(st.Stdin)) + " | " + line
		}
		switch st.Stdout {
		case runner.StdoutClosed:
			line += " >&-"
		case runner.StdoutBroken:
			line += " | true   # stdout: a pipe whose reader has gone"
		}
		if st.Background {
			line += " & " + shellName(st.Role()) + "_pid=$!"
			if st.Ready.What != "" {
				line += "   # then wait until " + st.Ready.What
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// shellQuote quotes s for sh when it needs it.
func shellQuote(s string) string {
	if len(s) > 80 && strings.Count(s, s[:1]) == len(s) && s[0] != '\'' && s[0] != '%' && s[0] != '\\' {
		// A long run of one letter, as the scenarios use: first, since
		// letters need no quotes and the line would be all of them.
		return fmt.Sprintf("\"$(printf '%%.0s%c' $(seq %d))\"", s[0], len(s))
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-=:,+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellName makes a role a shell variable name ("client 2" → client_2).
func shellName(role string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, role)
}
