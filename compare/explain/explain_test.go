//go:build linux

package explain

import (
	"bytes"
	"errors"
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

// mustBeMarked are the programs whose forms have step markers; the others
// may have none yet (explain says so), but not some.
var mustBeMarked = []string{"pipe", "fifo_reader", "fifo_writer", "mq_server", "mq_client"}

// TestMarkers: in all nine programs the three forms have the same steps
// with the same numbers, and every known:ID is a known difference.
func TestMarkers(t *testing.T) {
	dir, err := ModuleDir(".")
	if err != nil {
		t.Fatal(err)
	}
	progs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progs {
		err := Check(p, knownIDs())
		if errors.Is(err, ErrUnmarked) && !slices.Contains(mustBeMarked, p.Name) {
			t.Logf("%v", err)
			continue
		}
		if err != nil {
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

// TestRender: every line fits the width, and a known difference is marked
// and explained.
func TestRender(t *testing.T) {
	dir, err := ModuleDir(".")
	if err != nil {
		t.Fatal(err)
	}
	progs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var known []Difference
	for _, kd := range judge.KnownDifferences {
		known = append(known, Difference{kd.ID, kd.Reason, kd.Scenarios})
	}
	for _, p := range progs {
		if Check(p, nil) != nil && errors.Is(Check(p, nil), ErrUnmarked) {
			continue
		}
		for _, width := range []int{80, 120} {
			var b bytes.Buffer
			Render(&b, p, known, width)
			for _, l := range strings.Split(b.String(), "\n") {
				if n := len([]rune(l)); n > width {
					t.Errorf("%s at %d: a line of %d:\n%s", p.Name, width, n, l)
				}
			}
			if p.Name == "pipe" && (!strings.Contains(b.String(), "\n* fork") || !strings.Contains(b.String(), "known difference fork: Go cannot fork")) {
				t.Errorf("pipe at %d: no mark or reason for fork:\n%s", width, b.String())
			}
		}
	}
}
