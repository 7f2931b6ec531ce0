package compare

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// binDir holds the binaries of `make build`, which TestMain brings up to
// date so that `go test ./...` works on its own.
const binDir = "../bin"

func TestMain(m *testing.M) {
	CallsSideMain() // the test binary doubles as the call-script interpreter
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
