//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/bench"
	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// TestMain runs the tests, or the helper "ipcbench": this binary as
// bin/cgo/ipcbench on the helper's arguments (the C benches fork, and the
// child must leave with _exit from a process of its own).
func TestMain(m *testing.M) {
	testhelper.Main(m, map[string]testhelper.Helper{
		"ipcbench": func(args []string) int { return run(append([]string{"ipcbench"}, args...)) },
	})
}

func runBench(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	argv := testhelper.Command(t, "ipcbench", args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.String(), stderr.String(), err
}

// Every bench of the catalogue runs in C through cgo with tiny counts,
// gives positive figures and removes what it made.
func TestBenches(t *testing.T) {
	t.Parallel()
	for _, s := range bench.Specs {
		t.Run(fmt.Sprintf("%s_%d", s.Name, s.Size), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			token := fmt.Sprintf("ipcbenchtest%d_%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "_"))
			out, errOut, err := runBench(t, s.Name, strconv.Itoa(s.Quick), strconv.Itoa(s.Size), "-1", dir, token)
			if err != nil {
				t.Fatalf("%v: %s", err, errOut)
			}
			v, err := bench.ParseResult(s.Kind, out)
			if err != nil {
				t.Fatal(err)
			}
			for k, x := range v {
				if x <= 0 {
					t.Errorf("%s = %v", k, x)
				}
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left %v in its directory", left)
			}
			if shm, _ := filepath.Glob("/dev/shm/*" + token + "*"); len(shm) != 0 {
				t.Errorf("left %v", shm)
			}
			for _, q := range []string{"/" + token + ".up", "/" + token + ".down"} {
				if fd, err := cipc.MqOpen(q, unix.O_RDONLY, 0, nil); err != unix.ENOENT {
					cipc.MqClose(fd)
					cipc.MqUnlink(q)
					t.Errorf("left the queue %s (%v)", q, err)
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	if _, errOut, err := runBench(t, "pipe-lat", "10"); err == nil || !strings.Contains(errOut, "usage: ipcbench") {
		t.Errorf("two arguments: %v, %q; want the usage and a failure", err, errOut)
	}
	if _, errOut, err := runBench(t, "smoke", "10", "0", "-1", t.TempDir(), "tok"); err == nil || !strings.Contains(errOut, "unknown bench smoke") {
		t.Errorf("unknown bench: %v, %q", err, errOut)
	}
}
