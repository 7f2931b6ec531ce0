//go:build linux

package compare

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/bench"
	"github.com/ipcparity/ipcparity/compare/callscript"
)

// goCommands are the commands of cipc and goipc besides the programs: the
// benchmarks and the call-script interpreter.
var goCommands = []string{"ipcbench", "ipccalls"}

// TestMechanisms holds the list of mechanisms against the tree: a
// mechanism added in one place and not the others fails here, with what
// is missing. ARCHITECTURE.md's checklist is what this test enforces.
func TestMechanisms(t *testing.T) {
	t.Parallel()
	root := ".."
	var names, programs []string
	for _, m := range Mechanisms {
		if slices.Contains(names, m.Name) {
			t.Errorf("mechanism %s is listed twice", m.Name)
		}
		names = append(names, m.Name)
		if len(m.Programs) == 0 {
			t.Errorf("%s: no programs (step 1: c_reference/%s.c and programs.h)", m.Name, m.Name)
		}
		for _, p := range m.Programs {
			if p != m.Name && !strings.HasPrefix(p, m.Name+"_") {
				t.Errorf("%s: program %s must be named %s or %s_ROLE (the Makefile finds its C file by the prefix)", m.Name, p, m.Name, m.Name)
			}
			programs = append(programs, p)
		}
		// step 1: the C
		if _, err := os.Stat(filepath.Join(root, "c_reference", m.Name+".c")); err != nil {
			t.Errorf("%s: step 1: no c_reference/%s.c", m.Name, m.Name)
		}
		// step 4: scenarios, each of its own mechanism and programs
		scs := m.Scenarios()
		if len(scs) == 0 {
			t.Errorf("%s: step 4: no scenarios", m.Name)
		}
		for _, sc := range scs {
			if sc.Mechanism != m.Name {
				t.Errorf("%s: scenario %s says mechanism %q", m.Name, sc.Name, sc.Mechanism)
			}
			for _, r := range sc.Roles {
				if !slices.Contains(m.Programs, r) {
					t.Errorf("%s/%s: role %s is not a program of %s", m.Name, sc.Name, r, m.Name)
				}
			}
		}
		// step 5: calls and call scripts
		if len(m.Calls.Calls()) == 0 {
			t.Errorf("%s: step 5: no calls in its callscript table", m.Name)
		}
		scripts, _ := filepath.Glob(filepath.Join(root, "testdata", "calls", m.Name+"_*.calls"))
		if len(scripts) == 0 {
			t.Errorf("%s: step 5: no call scripts testdata/calls/%s_*.calls", m.Name, m.Name)
		}
		// step 7: benchmarks
		if len(m.Bench) == 0 {
			t.Errorf("%s: step 7: no benchmarks", m.Name)
		}
	}
	sort.Strings(programs)

	// step 1: programs.h declares exactly the listed programs.
	h, err := os.ReadFile(filepath.Join(root, "c_reference", "programs.h"))
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, m := range regexp.MustCompile(`(?m)^int ([a-z_]+)_main\(int argc, char \*\*argv\);`).FindAllSubmatch(h, -1) {
		declared = append(declared, string(m[1]))
	}
	sort.Strings(declared)
	if !slices.Equal(declared, programs) {
		t.Errorf("c_reference/programs.h declares %v; the list has %v", declared, programs)
	}

	// steps 2 and 3: a command per program in cipc/cmd and goipc/cmd, and
	// nothing else there.
	for _, side := range []string{"cipc", "goipc", "goidiom"} {
		entries, err := os.ReadDir(filepath.Join(root, side, "cmd"))
		if err != nil {
			t.Fatal(err)
		}
		var cmds []string
		for _, e := range entries {
			if e.IsDir() && (side == "goidiom" || !slices.Contains(goCommands, e.Name())) {
				cmds = append(cmds, e.Name())
			}
		}
		sort.Strings(cmds)
		if !slices.Equal(cmds, programs) {
			t.Errorf("%s/cmd has %v; the programs are %v (steps 2 and 3)", side, cmds, programs)
		}
	}

	// step 5: every call is a mechanism's or a call group's, every
	// script's calls exist, and each call is used by a script.
	if _, err := callscript.NewLang(tables()...); err != nil {
		t.Errorf("call tables: %v", err)
	}
	for _, p := range callScriptProblems(filepath.Join(root, "testdata", "calls"), names) {
		t.Errorf("step 5: %s", p)
	}

	// step 7: every bench of package bench belongs to one mechanism (or is
	// the cost of a call).
	var listed []string
	for _, m := range Mechanisms {
		listed = append(listed, m.Bench...)
	}
	listed = append(listed, OverheadBench...)
	var specs []string
	for _, s := range bench.Specs {
		if !slices.Contains(specs, s.Name) {
			specs = append(specs, s.Name)
		}
	}
	sort.Strings(listed)
	sort.Strings(specs)
	if !slices.Equal(listed, specs) {
		t.Errorf("the list names the benchmarks %v; package bench has %v", listed, specs)
	}
}

func tables() []callscript.Table {
	var out []callscript.Table
	for _, m := range Mechanisms {
		out = append(out, m.Calls)
	}
	for _, g := range CallGroups {
		out = append(out, g.Calls)
	}
	return out
}

// callScriptProblems holds the scripts in dir (testdata/calls) to the
// call tables: each script is named after a mechanism or a call group
// (NAME_*.calls), each call group has scripts, and every call of every
// table is used by at least one script, inside blocks included.
func callScriptProblems(dir string, mechanisms []string) []string {
	var problems []string
	prefixes := slices.Clone(mechanisms)
	for _, g := range CallGroups {
		if slices.Contains(prefixes, g.Name) {
			problems = append(problems, fmt.Sprintf("call group %s has a mechanism's name", g.Name))
		}
		prefixes = append(prefixes, g.Name)
		if s, _ := filepath.Glob(filepath.Join(dir, g.Name+"_*.calls")); len(s) == 0 {
			problems = append(problems, fmt.Sprintf("call group %s: no call scripts %s_*.calls", g.Name, g.Name))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.calls"))
	lang := Calls()
	used := map[string]bool{}
	var walk func(lines []callscript.ScriptLine)
	walk = func(lines []callscript.ScriptLine) {
		for _, l := range lines {
			used[l.Call] = true
			walk(l.Block)
		}
	}
	for _, f := range files {
		prefix, _, _ := strings.Cut(filepath.Base(f), "_")
		if !slices.Contains(prefixes, prefix) {
			problems = append(problems, fmt.Sprintf("%s: named after no mechanism or call group", filepath.Base(f)))
		}
		s, err := lang.ParseFile(f)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		walk(s.Lines)
	}
	for _, c := range lang.Calls() {
		if !used[c] {
			problems = append(problems, fmt.Sprintf("call %s: no script uses it", c))
		}
	}
	return problems
}

// TestCallScriptProblems gives callScriptProblems scripts that break each
// rule: one named after nothing, no script of a call group, calls unused.
func TestCallScriptProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var mechs []string
	for _, m := range Mechanisms {
		mechs = append(mechs, m.Name)
	}
	// Every call but close, in a block, and no proc script.
	var text strings.Builder
	text.WriteString("repeat 1 {\n")
	for _, c := range Calls().Calls() {
		switch c {
		case "close", "exit":
		case "fork":
			text.WriteString("    fork() { exit(0) }\n")
		default:
			fmt.Fprintf(&text, "    %s()\n", c)
		}
	}
	text.WriteString("}\n")
	for name, data := range map[string]string{"bogus_x.calls": "close(0)\n", "pipe_all.calls": text.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := callScriptProblems(dir, mechs)
	var want []string
	for _, g := range CallGroups {
		want = append(want, fmt.Sprintf("call group %s: no call scripts %s_*.calls", g.Name, g.Name))
	}
	want = append(want, "bogus_x.calls: named after no mechanism or call group")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	os.Remove(filepath.Join(dir, "bogus_x.calls"))
	got = callScriptProblems(dir, mechs)
	if !slices.Contains(got, "call close: no script uses it") {
		t.Errorf("an unused call not found: %q", got)
	}
}
