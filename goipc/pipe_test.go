//go:build linux

package goipc_test

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// writeBrokenHelper writes a byte to the descriptor its argument names
// with goipc.Write and exits 0 if that failed with EPIPE, 3 otherwise.
func writeBrokenHelper(args []string) int {
	fd, err := strconv.Atoi(args[0])
	if err != nil {
		return 2
	}
	if _, err := goipc.Write(fd, []byte("x")); err != unix.EPIPE {
		return 3
	}
	return 0
}

// TestWriteBrokenPipe holds Write to its doc on a pipe whose reader has
// gone: on descriptors 1 and 2 the process dies of SIGPIPE, as a C
// program does; on any other Write returns EPIPE and the process goes on
// (Go's rule: known difference sigpipe-other-fd). No program writes to
// its stderr with Write, so the parity run cannot see descriptor 2.
func TestWriteBrokenPipe(t *testing.T) {
	for fd, want := range map[int]string{1: "signal: broken pipe", 2: "signal: broken pipe", 3: "exit 0"} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		argv := testhelper.Command(t, "write-broken", strconv.Itoa(fd))
		cmd := exec.Command(argv[0], argv[1:]...)
		switch fd {
		case 1:
			cmd.Stdout = w
		case 2:
			cmd.Stderr = w
		case 3:
			cmd.ExtraFiles = []*os.File{w}
		}
		err = cmd.Run()
		w.Close()
		got := "exit 0"
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			got = "exit " + strconv.Itoa(exit.ExitCode())
			if ws := exit.Sys().(syscall.WaitStatus); ws.Signaled() {
				got = "signal: " + ws.Signal().String()
			}
		} else if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Write(%d) to a pipe without a reader: %s, want %s", fd, got, want)
		}
	}
}
