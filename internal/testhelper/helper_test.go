//go:build linux

package testhelper_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/internal/testhelper"
)

func TestMain(m *testing.M) {
	testhelper.Main(m, map[string]testhelper.Helper{
		"echo": func(args []string) int {
			os.Stdout.WriteString("echo " + strings.Join(args, " ") + "\n")
			return 0
		},
		"exit": func(args []string) int { return len(args) },
	})
}

// TestStartHelper runs a registered helper with arguments.
func TestStartHelper(t *testing.T) {
	t.Parallel()
	c := testhelper.StartHelper(t, "echo", "a", "b c")
	if got := c.Line(t, "echo"); got != "a b c" {
		t.Errorf("helper printed %q, want %q", got, "a b c")
	}
	c.Wait(t)
}

// TestCommand hands a helper's command line to code that starts the
// process itself, with an environment of its own and arguments appended:
// the helper runs, and gets both its own arguments and the appended ones.
func TestCommand(t *testing.T) {
	t.Parallel()
	argv := testhelper.Command(t, "exit", "one")
	cmd := exec.Command(argv[0], append(argv[1:], "two", "three")...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C"}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("exit: %v, want status 3 (three arguments); output %q", err, out)
	}
}

// TestUnknownHelper starts the binary with a helper name that is not
// registered: it must exit 2 and say so, not run the tests.
func TestUnknownHelper(t *testing.T) {
	t.Parallel()
	argv := testhelper.Command(t, "echo")
	cmd := exec.Command(argv[0], strings.Replace(argv[1], "echo", "nonesuch", 1))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v, want status 2; output %q", err, out)
	}
	if want := `test helper "nonesuch" is not registered`; !strings.Contains(string(out), want) {
		t.Errorf("output %q, want it to say %q", out, want)
	}
}
