//go:build linux

package compare

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// binDir holds the binaries of `make build`, which TestMain brings up to
// date so that `go test ./...` works on its own.
const binDir = "../bin"

func TestMain(m *testing.M) {
	runner.Main(Lookup) // a sandboxed run's init is the test binary again
	if os.Getenv("IPCPARITY_SKIP_BUILD") == "" {
		cmd := exec.Command("make", "-s", "-C", "..", "build")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "make build:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// scenario returns the registered scenario mech/name.
func scenario(mech, name string) runner.Scenario {
	for _, sc := range Select(mech) {
		if sc.Mechanism == mech && sc.Name == name {
			return sc
		}
	}
	panic("no scenario " + mech + "/" + name)
}

// checkParity runs every scenario of mech under every pairing of the C,
// cgo and Go forms and fails with the report of each that disagrees.
func checkParity(t *testing.T, mech string) {
	t.Helper()
	forms := runner.BuiltinForms(binDir)
	scs := Select(mech)
	if len(scs) == 0 {
		t.Fatalf("no %s scenarios", mech)
	}
	for _, sc := range scs {
		res := judge.Compare(context.Background(), sc, runner.Pairings(sc.Roles, forms))
		if !res.Agree {
			var b strings.Builder
			judge.Report(&b, []judge.Result{res})
			t.Errorf("%s:\n%s", sc.Name, b.String())
		}
	}
}

// checkScripts runs the call scripts testdata/calls/PREFIX_*.calls (at
// least atLeast of them) on cipc and goipc, each side run by its ipccalls.
func checkScripts(t *testing.T, prefix string, atLeast int) {
	t.Helper()
	files, _ := filepath.Glob("../testdata/calls/" + prefix + "_*.calls")
	if len(files) < atLeast {
		t.Fatalf("found %d %s call scripts, want at least %d", len(files), prefix, atLeast)
	}
	for _, f := range files {
		res := RunScript(context.Background(), binDir, f)
		if !res.Agree {
			var b strings.Builder
			judge.ReportScripts(&b, []judge.ScriptResult{res})
			t.Errorf("%s:\n%s", f, b.String())
		}
		if !strings.Contains(res.Transcripts[runner.SideGo], " = ") {
			t.Errorf("%s: empty transcript", f)
		}
	}
}
