//go:build linux

package testhelper

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
	"syscall"
	"testing"
	"time"

	"github.com/ipcparity/ipcparity/internal/sandbox"
)

// helperArg starts the first argument of a helper process; the helper's
// name follows it, and the helper's own arguments come after.
const helperArg = "testhelper="

// self is the test binary as any process that it starts sees it, directly
// or through a sandbox whose trampoline is this binary again: go test
// builds the binary below the temporary directory, which a sandbox covers
// with a file system of its own, while the link always names the binary of
// the process that executes it.
const self = "/proc/self/exe"

// quietExit is what GORACE must hold for a race-enabled helper to exit at
// once: by default the race detector sleeps a second in exit.
const quietExit = "atexit_sleep_ms=0"

// A Helper is a command that a test runs in a child process: the test
// binary again. It gets the arguments that StartHelper or Command was
// given (and, for Command, those its caller appends) and returns the exit
// status.
type Helper func(args []string) int

var (
	helpers     map[string]Helper // the registry that Main was given
	helpersUsed sync.Map          // names that StartHelper or Command handed out
)

// Main is the TestMain of a package whose tests start helper processes
// (after runner.Main, where the package runs sandboxed runs). Started as a
// helper, the binary runs the helper that its first argument names and
// exits with its status; an unknown name exits 2 with a message.
// Otherwise Main runs the tests and then fails the run if a registered
// helper was never started, as os/exec's tests do: only when the run was
// not narrowed by -test.run, -test.skip or -test.list and has passed, so
// that the check speaks of the whole package.
func Main(m *testing.M, registry map[string]Helper) {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], helperArg) {
		name := strings.TrimPrefix(os.Args[1], helperArg)
		h, ok := registry[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "test helper %q is not registered; registered: %q\n", name, slices.Sorted(maps.Keys(registry)))
			os.Exit(2)
		}
		StartWithSignals()
		execQuietly()
		os.Exit(h(os.Args[2:]))
	}
	// The tests of signals need the mask a login shell gives (perf blocks
	// SIGWINCH in what it runs); an ignored SIGHUP stays nohup's.
	sandbox.StartClean(false) // on an error, the tests run as they started
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

// execQuietly executes the helper again with quietExit in GORACE when it
// runs under the race detector without it: a helper started with an
// environment of its starter's choosing (the runner's) would otherwise
// take a second to exit. If the exec fails, the helper runs as it is.
func execQuietly() {
	gorace := os.Getenv("GORACE")
	if !raceEnabled || strings.Contains(gorace, quietExit) {
		return
	}
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GORACE=") })
	env = append(env, "GORACE="+strings.TrimSpace(gorace+" "+quietExit))
	syscall.Exec(self, os.Args, env)
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

// Command returns the command line that runs the registered helper name
// with args, for code that starts the process itself (exec.Command, a
// runner.Form): arguments appended to it reach the helper after args. It
// is valid in this test binary and in the processes it starts, sandboxed
// or not, and needs no environment. A name that Main was not given fails
// the test.
func Command(t testing.TB, name string, args ...string) []string {
	t.Helper()
	if _, ok := helpers[name]; !ok {
		t.Fatalf("test helper %q is not registered (is TestMain testhelper.Main?)", name)
	}
	helpersUsed.Store(name, true)
	return append([]string{self, helperArg + name}, args...)
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
	argv := Command(t, name, args...)
	cmd := exec.Command(argv[0], argv[1:]...)
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
