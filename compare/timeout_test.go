//go:build linux

package compare

import (
	"context"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// TestExitBeforeDeadlineIsNoTimeout: clients that exit 1 at once, while the
// server they never reach hangs until the deadline, are reported with exit
// status 1 and no timeout; only the server timed out. The runner waits for
// them after the deadline, when their end and the deadline are both there
// to see: it must not take one for the other (it marks a timeout only when
// its SIGKILL ended the process).
func TestExitBeforeDeadlineIsNoTimeout(t *testing.T) {
	t.Parallel()
	sc := scenario("sock", "tcp-default")
	sc.Deadline = 1500 * time.Millisecond
	c := runner.BuiltinForms(binDir)[0]
	failing := runner.CommandForm("sock_client", []string{"sh", "-c", "exit 1"})
	pairing := runner.Pairing{c, failing} // sock_server, sock_client
	// Each client would be misreported half the time: two runs of four
	// clients leave such a bug 1 chance in 256.
	for range 2 {
		out, err := runner.Execute(context.Background(), sc, pairing)
		if err != nil {
			t.Fatal(err)
		}
		clients := 0
		for _, p := range out.Procs {
			if p.Role == "server" {
				if !p.Timeout || p.Exit != -1 {
					t.Errorf("server: exit %d, timeout %v; want killed at the deadline (-1, true)", p.Exit, p.Timeout)
				}
				continue
			}
			clients++
			if p.Exit != 1 || p.Timeout || p.Signal != "" {
				t.Errorf("%s: exit %d, signal %q, timeout %v; want exit 1, no timeout", p.Role, p.Exit, p.Signal, p.Timeout)
			}
		}
		if clients < 2 {
			t.Fatalf("%d clients ran, want several: %+v", clients, out.Procs)
		}
	}
}
