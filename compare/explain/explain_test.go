//go:build linux

package explain

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/judge"
)

func knownIDs() []string {
	var ids []string
	for _, kd := range judge.KnownDifferences {
		ids = append(ids, kd.ID)
	}
	return ids
}

// TestMarkers: in all nine programs the three forms have the same steps
// with the same numbers, every step shows code or why there is none, and
// every known:ID is a known difference.
func TestMarkers(t *testing.T) {
	progs := loadModule(t)
	if len(progs) != 9 {
		t.Fatalf("%d programs, want the nine", len(progs))
	}
	for _, p := range progs {
		if err := Check(p, knownIDs()); err != nil {
			t.Error(err)
		}
		for f, steps := range p.Forms {
			for _, s := range steps {
				if s.Code == "" && s.None == "" {
					t.Errorf("%s:%d: step %s of %s in %s shows no code", s.File, s.Line, s.ID, p.Name, Forms[f])
				}
			}
		}
	}
}

// TestEveryDifferenceMarked: every known difference is marked on a step of
// a program of a mechanism whose scenarios show it, so explain tells it
// where it happens.
func TestEveryDifferenceMarked(t *testing.T) {
	if missing := unmarked(loadModule(t)); len(missing) > 0 {
		t.Errorf("known differences on no step of a program that shows them: %v", missing)
	}
	// The check can fail: the sources without the marks of "fork".
	files := moduleFiles(t)
	for f, src := range files {
		files[f] = strings.ReplaceAll(src, " known:fork", "")
	}
	progs, err := LoadFrom(files)
	if err != nil {
		t.Fatal(err)
	}
	if missing := unmarked(progs); !slices.Contains(missing, "fork") {
		t.Errorf("with no known:fork mark, unmarked gives %v", missing)
	}
}

// unmarked returns the known differences that no step of a program of
// their scenarios' mechanisms names.
func unmarked(progs []Program) []string {
	var missing []string
	for _, kd := range judge.KnownDifferences {
		if !slices.ContainsFunc(kd.Scenarios, func(sc string) bool { return !strings.HasPrefix(sc, "calls/") }) {
			continue // the call scripts' own (judge/known_calls.go): no program has it
		}
		found := false
		for _, p := range progs {
			mech, _, _ := strings.Cut(p.Name, "_")
			shows := slices.ContainsFunc(kd.Scenarios, func(sc string) bool { return strings.HasPrefix(sc, mech+"/") })
			for _, steps := range p.Forms {
				for _, s := range steps {
					found = found || shows && slices.Contains(s.Known, kd.ID)
				}
			}
		}
		if !found {
			missing = append(missing, kd.ID)
		}
	}
	return missing
}

// loadModule reads the steps from this checkout's sources.
func loadModule(t *testing.T) []Program {
	t.Helper()
	dir, err := ModuleDir(".")
	if err != nil {
		t.Fatal(err)
	}
	progs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return progs
}

// moduleFiles reads every source of every program from this checkout.
func moduleFiles(t *testing.T) map[string]string {
	t.Helper()
	dir, err := ModuleDir(".")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, p := range Programs {
		for _, f := range Sources(p) {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			files[f] = string(b)
		}
	}
	return files
}

// TestStrayStep: in each program's real sources, a step added to one form
// only, or a marker taken out of one form only, makes Check fail. This is
// TestMarkers' check run on wrong sources built from the right ones.
func TestStrayStep(t *testing.T) {
	files := moduleFiles(t)
	progs, err := LoadFrom(files)
	if err != nil {
		t.Fatal(err)
	}
	for pi, p := range progs {
		for f, steps := range p.Forms {
			first := steps[0] // TestMarkers holds every form to some steps
			lines := strings.Split(files[first.File], "\n")
			marker := fmt.Sprintf("step %d: %s", first.N, first.ID)
			if !strings.Contains(lines[first.Line-1], marker) {
				t.Fatalf("%s:%d: no %q", first.File, first.Line, marker)
			}
			for _, c := range []struct {
				name string
				edit func([]string) []string
			}{
				{"a step added", func(l []string) []string {
					return slices.Insert(l, first.Line, "// step 99: stray none: in one form only")
				}},
				{"a marker taken out", func(l []string) []string {
					l[first.Line-1] = strings.Replace(l[first.Line-1], marker, "", 1)
					return l
				}},
			} {
				// Only p's sources, the others empty: Check looks at p alone.
				wrong := map[string]string{}
				for f := range files {
					wrong[f] = ""
				}
				for _, f := range Sources(p.Name) {
					wrong[f] = files[f]
				}
				wrong[first.File] = strings.Join(c.edit(slices.Clone(lines)), "\n")
				got, err := LoadFrom(wrong)
				if err != nil {
					t.Fatalf("%s, %s in %s: %v", p.Name, c.name, Forms[f], err)
				}
				if err := Check(got[pi], knownIDs()); err == nil || !strings.Contains(err.Error(), "the steps differ") {
					t.Errorf("%s, %s in %s (%s): Check gives %v, want the steps differ", p.Name, c.name, Forms[f], first.File, err)
				}
			}
		}
	}
}

// synthetic is a tiny source set for pipe, the other programs empty.
func synthetic(goidiom string) map[string]string {
	files := map[string]string{}
	for _, p := range Programs {
		for _, f := range Sources(p) {
			files[f] = ""
		}
	}
	files["c_reference/pipe.c"] = "/* steps: pipe */\nint main(void) {\n    pipe(fd); // step 1: pipe\n    // step 2: fork known:fork\n    fork();\n}\n"
	files["goipc/pipe.go"] = "// steps: pipe\nfunc PipeMain() {\n\tPipe(fd[:]) // step 1: pipe\n\tstart() // step 2: fork known:fork\n}\n"
	files["goidiom/cmd/pipe/main.go"] = goidiom
	return files
}

// TestCheckFails: a step missing from one form, a step numbered apart, a
// step under another name and an unknown difference are each found.
func TestCheckFails(t *testing.T) {
	for _, c := range []struct{ name, idiom, want string }{
		{"agree", "// steps: pipe\nr, w, _ := os.Pipe() // step 1: pipe\ncmd.Start() // step 2: fork\n", ""},
		{"missing step", "// steps: pipe\nr, w, _ := os.Pipe() // step 1: pipe\ncmd.Start()\n", "the steps differ"},
		{"other number", "// steps: pipe\nr, w, _ := os.Pipe() // step 1: pipe\ncmd.Start() // step 3: fork\n", "the steps differ"},
		{"other name", "// steps: pipe\nr, w, _ := os.Pipe() // step 1: pipe\ncmd.Start() // step 2: spawn\n", "the steps differ"},
		{"unknown difference", "// steps: pipe\nr, w, _ := os.Pipe() // step 1: pipe\ncmd.Start() // step 2: fork known:nofork\n", "known:nofork is no known difference"},
		{"twice", "// steps: pipe\nos.Pipe() // step 1: pipe\nos.Pipe() // step 1: pipe\ncmd.Start() // step 2: fork\n", "twice"},
	} {
		progs, err := LoadFrom(synthetic(c.idiom))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		err = Check(progs[0], knownIDs())
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: Check gives %v, want %q", c.name, err, c.want)
		}
	}
	// A marker outside a part, or with words it does not know.
	for _, src := range []string{"x() // step 1: pipe\n", "// steps: pipe\nx() // step 1: pipe nonsense\n", "// steps: pipe\n// step 1: pipe\n"} {
		if _, err := Parse("x.go", src); err == nil {
			t.Errorf("Parse(%q) gives no error", src)
		}
	}
}

// TestParse: the code of a step, a marker alone on its line, none: and
// comments in string literals.
func TestParse(t *testing.T) {
	src := "/* steps: pipe */\n  a(\"//x\"); /* step 1: a */\n  // step 2: b known:fork\n\n  b();\n  // step 3: c none: no such thing\n"
	steps, err := Parse("x.c", src)
	if err != nil {
		t.Fatal(err)
	}
	got := steps["pipe"]
	if len(got) != 3 || got[0].Code != `a("//x");` || got[1].Code != "b();" || got[1].Known[0] != "fork" || got[2].None != "no such thing" {
		t.Errorf("Parse gives %+v", got)
	}
}

// TestRender: in every program, every line fits the width, and a known
// difference is marked and explained with its scenarios.
func TestRender(t *testing.T) {
	var known []Difference
	for _, kd := range judge.KnownDifferences {
		known = append(known, Difference{kd.ID, kd.Reason, kd.Scenarios})
	}
	for _, p := range loadModule(t) {
		for _, width := range []int{60, 80, 120} {
			var b bytes.Buffer
			Render(&b, p, known, width)
			for _, l := range tooWide(b.String(), width) {
				t.Errorf("%s at %d: a line of %d:\n%s", p.Name, width, len([]rune(l)), l)
			}
			// The check can fail: the same program drawn 120 wide is too
			// wide for 80 or 60.
			if width < 120 {
				var wide bytes.Buffer
				Render(&wide, p, known, 120)
				if len(tooWide(wide.String(), width)) == 0 {
					t.Errorf("%s: drawn 120 wide, it fits %d: the width check cannot fail", p.Name, width)
				}
			}
			for _, c := range []struct{ program, mark, reason string }{
				{"pipe", "\n* fork", "known difference fork: Go cannot fork"},
				{"sock_server", "\n* print", "known difference stdio-buffer-lost-on-kill: C's stdout"},
			} {
				if p.Name == c.program && (!strings.Contains(b.String(), c.mark) || !strings.Contains(b.String(), c.reason) || !strings.Contains(b.String(), "--run NAME")) {
					t.Errorf("%s at %d: no mark, reason or scenario for %q:\n%s", p.Name, width, c.mark, b.String())
				}
			}
		}
	}
}

// tooWide returns the lines of out longer than width runes.
func tooWide(out string, width int) []string {
	var long []string
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > width {
			long = append(long, l)
		}
	}
	return long
}

// TestWrap: code breaks at a space, after a bracket or before a dot, not in
// a name when it can help it, and never leaves a lone "{".
func TestWrap(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want []string
	}{
		{"if err := done.Post(); err != nil {", 22, []string{"if err := done.Post();", "err != nil {"}},
		{"0) return EXIT_FAILURE;", 20, []string{"0) return", "EXIT_FAILURE;"}},
		{"child-close-write", 11, []string{"child-", "close-write"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
	} {
		if got := wrapCode(c.s, c.n); !slices.Equal(got, c.want) {
			t.Errorf("wrapCode(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
