//go:build linux

package sidestest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
)

func TestMain(m *testing.M) {
	sidestest.Main(m, map[string]sidestest.Helper{
		"echo": func(args []string) int {
			os.Stdout.WriteString("echo " + strings.Join(args, " ") + "\n")
			return 0
		},
	})
}

// TestStartHelper runs a registered helper with arguments.
func TestStartHelper(t *testing.T) {
	t.Parallel()
	c := sidestest.StartHelper(t, "echo", "a", "b c")
	if got := c.Line(t, "echo"); got != "a b c" {
		t.Errorf("helper printed %q, want %q", got, "a b c")
	}
	c.Wait(t)
}

// TestUnknownHelper starts the binary with a helper name that is not
// registered: it must exit 2 and say so, not run the tests.
func TestUnknownHelper(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "IPCPARITY_TEST_HELPER=nonesuch")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v, want status 2; output %q", err, out)
	}
	if want := `test helper "nonesuch" is not registered`; !strings.Contains(string(out), want) {
		t.Errorf("output %q, want it to say %q", out, want)
	}
}
