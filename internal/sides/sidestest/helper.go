//go:build linux

package sidestest

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// helperEnv names the helper command that the test binary runs instead of
// its tests; the command's arguments are the binary's.
const helperEnv = "IPCPARITY_TEST_HELPER"

// A Helper is a command that a test runs in a child process: the test
// binary again, started by StartHelper. It gets the arguments that
// StartHelper was given and returns the exit status.
type Helper func(args []string) int

var (
	helpers     map[string]Helper // the registry that Main was given
	helpersUsed sync.Map          // names that StartHelper started
)

// Main is the TestMain of a package whose tests start helper processes.
// Started by StartHelper, the binary runs the helper that helperEnv names
// and exits with its status; an unknown name exits 2 with a message.
// Otherwise Main runs the tests and then fails the run if a registered
// helper was never started, as os/exec's tests do: only when the run was
// not narrowed by -test.run, -test.skip or -test.list and has passed, so
// that the check speaks of the whole package.
func Main(m *testing.M, registry map[string]Helper) {
	if name, ok := os.LookupEnv(helperEnv); ok {
		h, ok := registry[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "test helper %q is not registered; registered: %q\n", name, slices.Sorted(maps.Keys(registry)))
			os.Exit(2)
		}
		os.Exit(h(os.Args[1:]))
	}
	helpers = registry
	flag.Parse()
	code := m.Run()
	if code == 0 && flagEmpty("test.run") && flagEmpty("test.skip") && flagEmpty("test.list") {
		if unused := unusedHelpers(); len(unused) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: registered test helpers that no test started: %q\n", unused)
			code = 1
		}
	}
	os.Exit(code)
}

// unusedHelpers lists, sorted, the registered helpers never started.
func unusedHelpers() []string {
	var unused []string
	for _, name := range slices.Sorted(maps.Keys(helpers)) {
		if _, ok := helpersUsed.Load(name); !ok {
			unused = append(unused, name)
		}
	}
	return unused
}

func flagEmpty(name string) bool {
	f := flag.Lookup(name)
	return f == nil || f.Value.String() == ""
}

// Child is a running helper process and the lines it prints.
type Child struct {
	Cmd   *exec.Cmd
	lines chan string
	exit  chan error
}

// StartHelper starts the registered helper name with args in a child
// process, the test binary again, and kills it when the test ends if it is
// still running. The child's stderr is the test's; its stdout is read a
// line at a time with Line. A name that Main was not given fails the test.
func StartHelper(t *testing.T, name string, args ...string) *Child {
	t.Helper()
	if _, ok := helpers[name]; !ok {
		t.Fatalf("test helper %q is not registered (is TestMain sidestest.Main?)", name)
	}
	helpersUsed.Store(name, true)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	// Under -race, a process sleeps 1s at exit unless GORACE says not to.
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(os.Environ(), helperEnv+"="+name, "GORACE="+gorace)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &Child{Cmd: cmd, lines: make(chan string, 16), exit: make(chan error, 1)}
	go func() {
		r := bufio.NewReader(out)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				c.lines <- strings.TrimSuffix(line, "\n")
			}
			if err != nil {
				if err != io.EOF {
					t.Logf("reading the child: %v", err)
				}
				close(c.lines)
				c.exit <- cmd.Wait()
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		for range c.lines {
		}
	})
	return c
}

// Line returns the child's next line, which must start with prefix,
// without the prefix and surrounding space.
func (c *Child) Line(t *testing.T, prefix string) string {
	t.Helper()
	select {
	case l, ok := <-c.lines:
		if !ok {
			t.Fatalf("the child ended before printing %q", prefix)
		}
		if !strings.HasPrefix(l, prefix) {
			t.Fatalf("the child printed %q, want %q...", l, prefix)
		}
		return strings.TrimSpace(strings.TrimPrefix(l, prefix))
	case <-time.After(10 * time.Second):
		t.Fatalf("no %q from the child in 10s", prefix)
	}
	return ""
}

// Wait waits for the child to end and fails unless it exits 0.
func (c *Child) Wait(t *testing.T) {
	t.Helper()
	for range c.lines {
	}
	select {
	case err := <-c.exit:
		if err != nil {
			t.Fatalf("child: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the child did not end in 10s")
	}
}
