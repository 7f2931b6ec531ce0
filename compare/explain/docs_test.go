//go:build linux

package explain

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/judge"
)

// translatingDoc is the students' guide, relative to the module.
const translatingDoc = "docs/translating.md"

// TestTranslatingDoc: every scenario, call script, file, known difference,
// --run pattern and explain program that docs/translating.md cites exists,
// and it has a section per mechanism and a row per difference.
func TestTranslatingDoc(t *testing.T) {
	dir, err := ModuleDir(".")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, translatingDoc))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range docProblems(string(b), dir, allScenarios()) {
		t.Error(p)
	}
}

// TestTranslatingDocFails: docProblems finds each wrong citation in a
// small wrong guide, and the real guide with one link broken.
func TestTranslatingDocFails(t *testing.T) {
	dir, err := ModuleDir(".")
	if err != nil {
		t.Fatal(err)
	}
	wrong := "# Guide\n\n## Pipe\n\n| SIGPIPE | x |\n\n" +
		"Shown by `pipe/no-such-scenario` and `pipe/default`, [a script](../testdata/calls/pipe_nope.calls),\n" +
		"`testdata/calls/nope.calls`, `known:nofork`, `bin/ipcparity check --run '^fifo/nope$'`,\n" +
		"`bin/ipcparity check --run '(('`, and `explain pipes`.\n"
	got := strings.Join(docProblems(wrong, dir, allScenarios()), "\n")
	for _, want := range []string{
		"pipe/no-such-scenario: no such scenario",
		"../testdata/calls/pipe_nope.calls: no such file",
		"testdata/calls/nope.calls: no such file",
		"known:nofork: no such known difference",
		"--run '^fifo/nope$': matches no scenario and no call script",
		"--run '((': error parsing regexp",
		"explain pipes: no such program",
		"no section for the mechanism Message queues",
		"no row for the difference fork",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("docProblems finds no %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "pipe/default") {
		t.Errorf("docProblems finds pipe/default, which exists:\n%s", got)
	}

	b, err := os.ReadFile(filepath.Join(dir, translatingDoc))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), "pipe_epipe.calls)", "pipe_epipe2.calls)", 1)
	if broken == string(b) || len(docProblems(broken, dir, allScenarios())) == 0 {
		t.Errorf("the guide with a broken link to pipe_epipe.calls passes")
	}
}

// allScenarios names every scenario, "MECHANISM/NAME".
func allScenarios() []string {
	var names []string
	for _, m := range compare.Mechanisms {
		for _, sc := range m.Scenarios() {
			names = append(names, sc.Mechanism+"/"+sc.Name)
		}
	}
	return names
}

var (
	codeSpan    = regexp.MustCompile("`([^`\n]+)`")
	mdLink      = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	scenarioRef = regexp.MustCompile(`^(pipe|fifo|mq|shm|sock)/[A-Za-z0-9_.-]+$`)
	filePath    = regexp.MustCompile(`^[\w.-]+(/[\w.*-]+)+\.(go|c|h|calls|md)$`)
	runFlag     = regexp.MustCompile(`--run '([^']*)'`)
	explainRef  = regexp.MustCompile(`\bexplain ([a-z_]+)`)
	diffRow     = regexp.MustCompile(`(?m)^\| ([^|]+?) \|`)
)

// The guide's parts: a section per mechanism, a table row per difference.
var (
	docSections    = []string{"Pipe", "Named pipes (FIFO)", "Message queues", "Shared memory", "Sockets"}
	docDifferences = []string{"SIGPIPE", "fork", "stdio buffering", "close-on-exec", "EINTR", "the poller"}
)

// docProblems says what is wrong in the guide's text doc: citations of
// scenarios that scenarios does not name, of files that are not in the
// module dir (links relative to docs/, paths in code relative to dir),
// of known differences, --run patterns that match nothing, programs
// explain does not know; and missing sections and rows.
func docProblems(doc, dir string, scenarios []string) []string {
	var problems []string
	say := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	scripts, _ := filepath.Glob(filepath.Join(dir, "testdata", "calls", "*.calls"))
	for i := range scripts {
		scripts[i], _ = filepath.Rel(dir, scripts[i])
	}
	for _, m := range codeSpan.FindAllStringSubmatch(doc, -1) {
		span := m[1]
		switch {
		case scenarioRef.MatchString(span):
			if !slices.Contains(scenarios, span) {
				say("%s: no such scenario", span)
			}
		case filePath.MatchString(span):
			if matches, _ := filepath.Glob(filepath.Join(dir, span)); len(matches) == 0 {
				say("%s: no such file in the module", span)
			}
		case strings.HasPrefix(span, "known:"):
			id := strings.TrimPrefix(span, "known:")
			if !slices.ContainsFunc(judge.KnownDifferences, func(kd judge.KnownDifference) bool { return kd.ID == id }) {
				say("%s: no such known difference", span)
			}
		}
	}
	for _, m := range mdLink.FindAllStringSubmatch(doc, -1) {
		target, _, _ := strings.Cut(m[1], "#")
		if strings.Contains(target, "://") || target == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "docs", target)); err != nil {
			say("%s: no such file (a link from docs/)", m[1])
		}
	}
	for _, m := range runFlag.FindAllStringSubmatch(doc, -1) {
		re, err := regexp.Compile(m[1])
		if err != nil {
			say("--run '%s': %v", m[1], err)
			continue
		}
		if !slices.ContainsFunc(scenarios, re.MatchString) && !slices.ContainsFunc(scripts, re.MatchString) {
			say("--run '%s': matches no scenario and no call script", m[1])
		}
	}
	for _, m := range explainRef.FindAllStringSubmatch(doc, -1) {
		if !slices.Contains(Programs, m[1]) {
			say("explain %s: no such program", m[1])
		}
	}
	for _, s := range docSections {
		if !strings.Contains(doc, "\n## "+s+"\n") {
			say("no section for the mechanism %s (## %s)", s, s)
		}
	}
	var rows []string
	for _, m := range diffRow.FindAllStringSubmatch(doc, -1) {
		rows = append(rows, m[1])
	}
	for _, d := range docDifferences {
		if !slices.Contains(rows, d) {
			say("no row for the difference %s in the table", d)
		}
	}
	return problems
}
