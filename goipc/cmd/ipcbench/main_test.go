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
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// TestMain runs the tests, or the helper "ipcbench": this binary as
// bin/go/ipcbench on the helper's arguments, in a process of its own. Its
// benches start their peer by running the binary again, with peerEnv, as
// main does; here too.
func TestMain(m *testing.M) {
	if peer, ok := os.LookupEnv(peerEnv); ok {
		os.Exit(peerMain(strings.Split(peer, "\n")))
	}
	testhelper.Main(m, map[string]testhelper.Helper{
		"ipcbench": func(args []string) int { return benchMain(append([]string{"ipcbench"}, args...)) },
	})
}

// runBench runs one bench with tiny counts as ipcparity bench --quick does
// and returns its figures.
func runBench(t *testing.T, s bench.Spec, cpu int) map[string]float64 {
	t.Helper()
	dir := t.TempDir()
	token := fmt.Sprintf("ipcbenchtest%d_%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "_"))
	argv := testhelper.Command(t, "ipcbench", s.Name, strconv.Itoa(s.Quick), strconv.Itoa(s.Size), strconv.Itoa(cpu), dir, token)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v: %s", s.Name, err, stderr.String())
	}
	v, err := bench.ParseResult(s.Kind, stdout.String())
	if err != nil {
		t.Fatalf("%s: %v", s.Name, err)
	}
	// What the bench made, it removed.
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%s left %v in its directory", s.Name, left)
	}
	shm, _ := filepath.Glob("/dev/shm/*" + token + "*")
	if len(shm) != 0 {
		t.Errorf("%s left %v", s.Name, shm)
	}
	for _, q := range []string{"/" + token + ".up", "/" + token + ".down"} {
		if fd, err := goipc.MqOpen(q, unix.O_RDONLY, 0, nil); err != unix.ENOENT {
			goipc.MqClose(fd)
			goipc.MqUnlink(q)
			t.Errorf("%s left the queue %s (%v)", s.Name, q, err)
		}
	}
	return v
}

// Every bench of the catalogue runs in this form with tiny counts and gives
// positive figures.
func TestBenches(t *testing.T) {
	t.Parallel()
	for _, s := range bench.Specs {
		t.Run(fmt.Sprintf("%s_%d", s.Name, s.Size), func(t *testing.T) {
			t.Parallel()
			for k, v := range runBench(t, s, -1) {
				if v <= 0 {
					t.Errorf("%s: %s = %v", s.Name, k, v)
				}
			}
		})
	}
}

// Pinned, the bench and its peer run on the one CPU.
func TestPinned(t *testing.T) {
	t.Parallel()
	s, _ := bench.Select("pipe-lat")
	runBench(t, s[0], 0)
}

func TestParseArgs(t *testing.T) {
	t.Parallel()
	a, e, err := parseArgs([]string{"mq-tput", "10", "0", "-1", "/tmp", "tok"})
	if err != nil || a.size != 8192 || a.iters != 10 || a.cpu != -1 || e.peer == nil {
		t.Errorf("parseArgs = %+v, %v: want the default SIZE 8192", a, err)
	}
	for _, bad := range [][]string{
		{"mq-tput", "10", "0", "-1", "/tmp"},
		{"smoke", "10", "0", "-1", "/tmp", "tok"},
		{"mq-tput", "0", "0", "-1", "/tmp", "tok"},
		{"mq-tput", "x", "0", "-1", "/tmp", "tok"},
	} {
		if _, _, err := parseArgs(bad); err == nil {
			t.Errorf("parseArgs(%q) succeeded", bad)
		}
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	s := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if p := percentile(s, 50); p != 5 {
		t.Errorf("p50 of 1..10 = %d, want 5 (nearest rank)", p)
	}
	if p := percentile(s, 99); p != 10 {
		t.Errorf("p99 of 1..10 = %d, want 10", p)
	}
	if p := percentile([]int64{7}, 50); p != 7 {
		t.Errorf("p50 of one = %d", p)
	}
}
