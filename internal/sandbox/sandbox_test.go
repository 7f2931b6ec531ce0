//go:build linux

package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/ipcparity/ipcparity/internal/sandbox"
	"github.com/ipcparity/ipcparity/internal/testhelper"
	"golang.org/x/sys/unix"
)

// testJobs are the jobs the tests run inside sandboxes. Like os/exec's
// helper commands, each must be used by some test: TestMain fails the run
// otherwise, so that a job cannot silently stop being exercised.
var testJobs = map[string]sandbox.Job{
	"echo":        jobEcho,
	"fail":        jobFail,
	"setsid":      jobSetsid,
	"sleepmarker": jobSleepMarker,
	"isolation":   jobIsolation,
	"listen":      jobListen,
	"forever":     jobForever,
	"memory":      jobMemory,
	"forkbomb":    jobForkBomb,
	"sysctl":      jobSysctl,
	"big":         jobBig,
	"reap":        jobReap,
	"visible":     jobVisible,
	"procs":       jobProcs,
	"sigstate":    jobSigstate,
	"fds":         jobFds,
}

var (
	usedMu sync.Mutex
	used   = map[string]bool{}
)

func markUsed(job string) {
	usedMu.Lock()
	used[job] = true
	usedMu.Unlock()
}

// run is sandbox.Run that records the job as used.
func run(ctx context.Context, spec sandbox.Spec) ([]byte, error) {
	markUsed(spec.Job)
	return sandbox.Run(ctx, spec)
}

func TestMain(m *testing.M) {
	testhelper.StartWithSignals()
	sandbox.Main(testJobs)
	if dir := os.Getenv("SBTEST_RUNNER"); dir != "" {
		runnerHelper(dir, os.Getenv("SBTEST_MARKER"))
	}
	if dir := os.Getenv("SBTEST_SIGRUNNER"); dir != "" {
		sigRunnerHelper(dir)
	}
	if dir := os.Getenv("SBTEST_FDRUNNER"); dir != "" {
		fdRunnerHelper(dir)
	}
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" &&
		flag.Lookup("test.skip").Value.String() == "" && !testing.Short() {
		for name := range testJobs {
			if !used[name] {
				fmt.Fprintf(os.Stderr, "test job %q is not used by any test\n", name)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// runnerHelper is the runner that TestKillRunner kills: it runs the
// sleepmarker job and never returns on its own.
func runnerHelper(dir, marker string) {
	_, err := sandbox.Run(context.Background(), sandbox.Spec{
		Job: "sleepmarker", Payload: []byte(marker), Dir: dir, Deadline: 20 * time.Second,
	})
	fmt.Fprintf(os.Stderr, "runner helper: Run returned: %v\n", err)
	os.Exit(1)
}

// sigRunnerHelper is the runner of TestSignalsStartClean: it prints the
// blocked and ignored signals that it hands on to a process it starts
// itself, then those of a process in its sandbox.
func sigRunnerHelper(dir string) {
	handed, err := catStatus("handed", (*exec.Cmd).Start)
	if err == nil {
		fmt.Print(string(handed))
		var out []byte
		out, err = sandbox.Run(context.Background(), sandbox.Spec{Job: "sigstate", Dir: dir, Deadline: 10 * time.Second})
		fmt.Print(string(out))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "signal runner helper: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// catStatus starts a cat of its own /proc/self/status with start
// (sandbox.Start inside a sandbox) and returns its SigBlk and SigIgn
// lines, each after who.
func catStatus(who string, start func(*exec.Cmd) error) ([]byte, error) {
	var out bytes.Buffer
	cmd := exec.Command("cat", "/proc/self/status")
	cmd.Stdout = &out
	if err := start(cmd); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "SigBlk:") || strings.HasPrefix(l, "SigIgn:") {
			fmt.Fprintf(&b, "%s %s\n", who, strings.Join(strings.Fields(l), " "))
		}
	}
	return b.Bytes(), nil
}

// jobSigstate returns the SigBlk and SigIgn lines of a cat in the sandbox.
func jobSigstate(context.Context, []byte) ([]byte, error) {
	return catStatus("program", sandbox.Start)
}

// fdRunnerHelper is the runner of TestInheritedDescriptorsStayOut: it
// prints its own open descriptors, then those of a process in its sandbox.
func fdRunnerHelper(dir string) {
	fmt.Println("runner", strings.Join(openFds("self"), " "))
	out, err := sandbox.Run(context.Background(), sandbox.Spec{Job: "fds", Dir: dir, Deadline: 10 * time.Second})
	if err != nil {
		fmt.Fprintf(os.Stderr, "descriptor runner helper: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("program", string(out))
	os.Exit(0)
}

// openFds lists the open descriptors of process pid ("self" too), sorted.
func openFds(pid string) []string {
	ents, _ := os.ReadDir("/proc/" + pid + "/fd")
	var fds []int
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil {
			fds = append(fds, fd)
		}
	}
	slices.Sort(fds)
	var s []string
	for _, fd := range fds {
		s = append(s, strconv.Itoa(fd))
	}
	return s
}

// jobFds starts a sleep in the sandbox and returns its open descriptors.
func jobFds(context.Context, []byte) ([]byte, error) {
	cmd := exec.Command("sleep", "10")
	if err := sandbox.Start(cmd); err != nil {
		return nil, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	// The trampoline, when there is one, is the same pid: wait for sleep.
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", cmd.Process.Pid)); string(comm) == "sleep\n" {
			return []byte(strings.Join(openFds(strconv.Itoa(cmd.Process.Pid)), " ")), nil
		}
	}
	return nil, errors.New("sleep never started")
}

// newMarker returns a unique extra argument for sleep, which adds up its
// arguments: "sleep 3600 0.000123456" is found by its command line.
func newMarker() string {
	return fmt.Sprintf("0.%09d", rand.IntN(1e9))
}

// hostPids returns the pids of host processes whose argv has marker as an
// argument of its own.
func hostPids(marker string) []int {
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		if slices.Contains(strings.Split(string(b), "\x00"), marker) ||
			bytes.Contains(b, []byte(" "+marker)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// waitGone polls until no host process carries marker, for up to d.
func waitGone(t *testing.T, marker string, d time.Duration) {
	t.Helper()
	end := time.Now().Add(d)
	for {
		pids := hostPids(marker)
		if len(pids) == 0 {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("processes with marker %s still exist after %v: %v", marker, d, pids)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func spec(t *testing.T, job string, payload []byte) sandbox.Spec {
	return sandbox.Spec{Job: job, Payload: payload, Dir: t.TempDir(), Deadline: 2 * time.Second}
}

func jobEcho(_ context.Context, p []byte) ([]byte, error) { return p, nil }

func jobFail(context.Context, []byte) ([]byte, error) { return nil, errors.New("boom") }

// jobProcs says the init's own GOMAXPROCS, and the GOMAXPROCS in the
// environment that the processes it starts inherit.
func jobProcs(context.Context, []byte) ([]byte, error) {
	env, ok := os.LookupEnv("GOMAXPROCS")
	if !ok {
		env = "unset"
	}
	return fmt.Appendf(nil, "%d %s", runtime.GOMAXPROCS(0), env), nil
}

// The init runs on one P, whatever the caller's GOMAXPROCS, and gives the
// caller's back to the processes it starts: a GOMAXPROCS=1 that leaked
// into them, or an init on every CPU, fails.
func TestInitOnOneP(t *testing.T) {
	for _, caller := range []string{"", "3"} {
		if caller == "" {
			t.Setenv("GOMAXPROCS", "")
			os.Unsetenv("GOMAXPROCS")
		} else {
			t.Setenv("GOMAXPROCS", caller)
		}
		out, err := run(context.Background(), spec(t, "procs", nil))
		if err != nil {
			t.Fatal(err)
		}
		want := "1 unset"
		if caller != "" {
			want = "1 " + caller
		}
		if string(out) != want {
			t.Errorf("caller's GOMAXPROCS %q: the init says %q, want %q", caller, out, want)
		}
	}
}

func jobForever(context.Context, []byte) ([]byte, error) {
	time.Sleep(time.Hour)
	return nil, nil
}

func jobBig(context.Context, []byte) ([]byte, error) {
	return make([]byte, sandbox.MaxResult+1), nil
}

// jobSetsid starts a setsid'ed sleep in the background and returns at once,
// reporting whether the sleep is visible inside.
func jobSetsid(_ context.Context, marker []byte) ([]byte, error) {
	var out bytes.Buffer
	cmd := exec.Command("sh", "-c", "setsid sleep 3600 "+string(marker)+" >/dev/null 2>&1 & echo $!")
	cmd.Stdout = &out
	if err := sandbox.Start(cmd); err != nil {
		return nil, err
	}
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	pid := strings.TrimSpace(out.String())
	for range 100 {
		if b, err := os.ReadFile("/proc/" + pid + "/cmdline"); err == nil && bytes.Contains(b, marker) {
			return []byte(pid), nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil, fmt.Errorf("sleep %s not seen in /proc", pid)
}

// jobSleepMarker starts a setsid'ed sleep, says so with a file in the run
// directory, and waits forever.
func jobSleepMarker(_ context.Context, marker []byte) ([]byte, error) {
	cmd := exec.Command("setsid", "sleep", "3600", string(marker))
	if err := sandbox.Start(cmd); err != nil {
		return nil, err
	}
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", cmd.Process.Pid))
		if err == nil && bytes.Contains(b, marker) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := os.WriteFile(filepath.Join(sandbox.RunDir(), "ready"), nil, 0o644); err != nil {
		return nil, err
	}
	time.Sleep(time.Hour)
	return nil, nil
}

type isolationIn struct {
	Name     string // unique file and queue name
	HostFile string // a host path outside the run directory and /tmp
	TmpFile  string // a host path in the test's own t.TempDir, under /tmp
}

type isolationOut struct {
	Pid        int
	Cwd        string
	HostErrno  int
	TmpErrno   int
	MqueueList []string
	ShmList    []string
	DevList    []string
	DevNullErr string
}

func mqOpen(name string, flags int) (int, error) {
	p, err := unix.BytePtrFromString(name)
	if err != nil {
		return -1, err
	}
	fd, _, e := unix.Syscall6(unix.SYS_MQ_OPEN, uintptr(unsafe.Pointer(p)), uintptr(flags), 0o600, 0, 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

func jobIsolation(_ context.Context, payload []byte) ([]byte, error) {
	var in isolationIn
	if err := json.Unmarshal(payload, &in); err != nil {
		return nil, err
	}
	var out isolationOut
	out.Pid = os.Getpid()
	out.Cwd, _ = os.Getwd()
	for _, name := range []string{"/tmp/" + in.Name, "/dev/shm/" + in.Name, filepath.Join(sandbox.RunDir(), "out")} {
		if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
			return nil, err
		}
	}
	fd, err := mqOpen(in.Name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR)
	if err != nil {
		return nil, fmt.Errorf("mq_open: %w", err)
	}
	unix.Close(fd)
	for name, e := range map[string]*int{in.HostFile: &out.HostErrno, in.TmpFile: &out.TmpErrno} {
		err = os.WriteFile(name, []byte("x"), 0o644)
		var errno unix.Errno
		if errors.As(err, &errno) {
			*e = int(errno)
		} else if err == nil {
			return nil, fmt.Errorf("writing %s worked", name)
		}
	}
	if err := os.WriteFile("/dev/null", []byte("x"), 0); err != nil {
		out.DevNullErr = err.Error()
	}
	for dir, list := range map[string]*[]string{sandbox.MqueueDir(): &out.MqueueList, sandbox.ShmDir(): &out.ShmList, "/dev": &out.DevList} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			*list = append(*list, e.Name())
		}
	}
	return json.Marshal(out)
}

type listenOut struct{ Start, End int64 }

const listenPort = "47391"

// jobListen listens on listenPort, echoes through it, and says so with a
// file "listening" in its run directory; it keeps listening until the
// peer's run directory, the payload, has that file too. So the two
// sandboxes of TestLoopbackTwice listen at the same time however late
// either starts (a fixed 300 ms of listening did not overlap under load).
func jobListen(ctx context.Context, peer []byte) ([]byte, error) {
	var out listenOut
	ln, err := net.Listen("tcp", "127.0.0.1:"+listenPort)
	if err != nil {
		return nil, err
	}
	defer ln.Close()
	out.Start = time.Now().UnixNano()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			io.Copy(c, c)
			c.Close()
		}
	}()
	c, err := net.Dial("tcp", "127.0.0.1:"+listenPort)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if _, err := c.Write([]byte("ping")); err != nil {
		return nil, err
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
		return nil, fmt.Errorf("echo: %q %v", buf, err)
	}
	if err := os.WriteFile("listening", nil, 0o644); err != nil {
		return nil, err
	}
	for {
		if _, err := os.Stat(filepath.Join(string(peer), "listening")); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	out.End = time.Now().UnixNano()
	return json.Marshal(out)
}

type cmdOut struct {
	Exit   int
	Stderr string
	Count  int
}

// runCmd runs cmd with its stderr in a file, since background processes
// may keep a pipe open.
func runCmd(cmd *exec.Cmd) (cmdOut, error) {
	f, err := os.CreateTemp("", "stderr")
	if err != nil {
		return cmdOut{}, err
	}
	defer f.Close()
	cmd.Stderr = f
	if err := sandbox.Start(cmd); err != nil {
		return cmdOut{}, err
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return cmdOut{}, err
	}
	stderr, _ := os.ReadFile(f.Name())
	return cmdOut{Exit: cmd.ProcessState.ExitCode(), Stderr: string(stderr)}, nil
}

// jobMemory runs dd with a block of the payload's size: dd allocates it.
func jobMemory(_ context.Context, bs []byte) ([]byte, error) {
	out, err := runCmd(exec.Command("dd", "if=/dev/zero", "of=/dev/null", "count=1", "bs="+string(bs)))
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// jobForkBomb starts up to 10000 background sleeps and reports how many
// were running when the shell gave up.
func jobForkBomb(_ context.Context, marker []byte) ([]byte, error) {
	script := `i=0; while [ $i -lt 10000 ]; do sleep 3600 ` + string(marker) + ` >/dev/null 2>&1 & i=$((i+1)); done`
	out, err := runCmd(exec.Command("sh", "-c", script))
	if err != nil {
		return nil, err
	}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		b, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if bytes.HasPrefix(b, []byte("sleep\x00")) && bytes.Contains(b, marker) {
			out.Count++
		}
	}
	return json.Marshal(out)
}

func jobSysctl(context.Context, []byte) ([]byte, error) {
	return os.ReadFile("/proc/sys/fs/mqueue/msg_max")
}

type reapOut struct {
	Exit    int
	Zombies []string
}

// jobReap leaves orphans to the init and checks both that they are reaped
// and that the job's own child keeps its exit status.
func jobReap(context.Context, []byte) ([]byte, error) {
	var out reapOut
	orphans := exec.Command("sh", "-c", "for i in 1 2 3 4 5; do (sleep 0.05 &) ; done; exit 0")
	if err := sandbox.Start(orphans); err != nil {
		return nil, err
	}
	// The own child is started the os.StartProcess way, as the runner does.
	sh, err := exec.LookPath("sh")
	if err != nil {
		return nil, err
	}
	mine, err := sandbox.StartProcess(sh, []string{"sh", "-c", "sleep 0.2; exit 7"}, &os.ProcAttr{})
	if err != nil {
		return nil, err
	}
	orphans.Wait()
	st, err := mine.Wait()
	if err != nil {
		return nil, fmt.Errorf("own child: %v", err)
	}
	out.Exit = st.ExitCode()
	time.Sleep(200 * time.Millisecond)
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err == nil && strings.Contains(string(b), ") Z ") {
			out.Zombies = append(out.Zombies, string(b))
		}
	}
	return json.Marshal(out)
}

// (h)
func TestAvailable(t *testing.T) {
	if err := sandbox.Available(); err != nil {
		t.Fatal(err)
	}
}

func TestEchoAndErrors(t *testing.T) {
	payload := bytes.Repeat([]byte("payload "), 1<<17) // 1 MiB: not argv
	got, err := run(context.Background(), spec(t, "echo", payload))
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("echo: %d bytes, %v", len(got), err)
	}
	_, err = run(context.Background(), spec(t, "fail", nil))
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failing job: %v, want the job's error text", err)
	}
	_, err = sandbox.Run(context.Background(), spec(t, "no-such-job", nil))
	if err == nil || !strings.Contains(err.Error(), `unknown job "no-such-job"`) || !strings.Contains(err.Error(), "exit status 2") {
		t.Errorf("unknown job: %v", err)
	}
	_, err = run(context.Background(), spec(t, "big", nil))
	if !errors.Is(err, sandbox.ErrResultTooBig) {
		t.Errorf("big result: %v, want ErrResultTooBig", err)
	}
	s := spec(t, "echo", nil)
	s.Dir = filepath.Join(s.Dir, "missing")
	if _, err := run(context.Background(), s); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing Dir: %v", err)
	}
	if err := sandbox.Start(exec.Command("true")); !errors.Is(err, sandbox.ErrNotInside) {
		t.Errorf("Start outside: %v", err)
	}
}

// (a)
func TestSetsidDies(t *testing.T) {
	marker := newMarker()
	start := time.Now()
	pid, err := run(context.Background(), spec(t, "setsid", []byte(marker)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("inside pid %s, Run took %v", pid, time.Since(start))
	if pids := hostPids(marker); len(pids) != 0 {
		t.Fatalf("after Run, host processes with marker: %v", pids)
	}
}

// (b)
func TestKillRunner(t *testing.T) {
	markUsed("sleepmarker")
	dir := t.TempDir()
	marker := newMarker()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	helper := exec.Command(exe, "-test.run=^$")
	helper.Env = append(os.Environ(), "SBTEST_RUNNER="+dir, "SBTEST_MARKER="+marker)
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { helper.Wait(); close(exited) }()
	defer func() { helper.Process.Kill(); <-exited }()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
			break
		}
		select {
		case <-exited:
			t.Fatal("the helper exited before its sandbox was ready")
		default:
		}
		if time.Now().After(end) {
			t.Fatal("the helper's sandbox never became ready")
		}
	}
	// The job says ready once it has started the shell that starts the
	// sleep; under load the sleep may take a moment more.
	for end := time.Now().Add(5 * time.Second); len(hostPids(marker)) == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the marked sleep is not visible on the host before the kill")
		}
	}
	helper.Process.Signal(syscall.SIGKILL)
	<-exited
	waitGone(t, marker, time.Second)

	if os.Geteuid() == 0 {
		// The next Run removes the cgroup the killed runner left.
		if _, err := run(context.Background(), spec(t, "echo", nil)); err != nil {
			t.Fatal(err)
		}
		for _, pat := range []string{"/sys/fs/cgroup/*/", "/sys/fs/cgroup/*/*/", "/sys/fs/cgroup/*/*/*/"} {
			if left, _ := filepath.Glob(fmt.Sprintf("%sipcparity-sandbox-%d-*", pat, helper.Process.Pid)); len(left) > 0 {
				t.Errorf("the killed runner's cgroup is left: %v", left)
			}
		}
	}
}

// (c)
func TestIsolation(t *testing.T) {
	name := "sbtest-" + newMarker()
	// t.TempDir is under /tmp, which the sandbox covers with its own tmpfs;
	// the home directory is a host path that stays visible, read-only.
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	hostDir, err := os.MkdirTemp(home, "sbtest-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(hostDir)
	tmpDir := t.TempDir()
	in, _ := json.Marshal(isolationIn{Name: name, HostFile: filepath.Join(hostDir, "f"), TmpFile: filepath.Join(tmpDir, "f")})
	s := spec(t, "isolation", in)
	b, err := run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var out isolationOut
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Pid != 1 || out.Cwd != sandbox.RunDir() {
		t.Errorf("job runs as pid %d in %s, want pid 1 in %s", out.Pid, out.Cwd, sandbox.RunDir())
	}
	if unix.Errno(out.HostErrno) != unix.EROFS {
		t.Errorf("writing a host path outside the run dir: %v, want EROFS", unix.Errno(out.HostErrno))
	}
	if unix.Errno(out.TmpErrno) != unix.ENOENT {
		t.Errorf("writing in the host's t.TempDir under the private /tmp: %v, want ENOENT", unix.Errno(out.TmpErrno))
	}
	if !slices.Contains(out.MqueueList, name) || !slices.Contains(out.ShmList, name) {
		t.Errorf("inside, %s lists %v and %s lists %v; want %s in both", sandbox.MqueueDir(), out.MqueueList, sandbox.ShmDir(), out.ShmList, name)
	}
	// The sandbox's /dev holds the harmless devices only: no disks.
	allowed := []string{"null", "zero", "full", "random", "urandom", "tty", "fd", "stdin", "stdout", "stderr", "shm", "mqueue"}
	for _, d := range out.DevList {
		if !slices.Contains(allowed, d) {
			t.Errorf("/dev inside has %s; want only %v", d, allowed)
		}
	}
	if out.DevNullErr != "" {
		t.Errorf("writing /dev/null inside: %s", out.DevNullErr)
	}
	for _, p := range []string{"/tmp/" + name, "/dev/shm/" + name, filepath.Join(hostDir, "f"), filepath.Join(tmpDir, "f")} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("host %s: %v, want it absent", p, err)
		}
	}
	if fd, err := mqOpen(name, unix.O_RDONLY); err != unix.ENOENT {
		unix.Close(fd)
		t.Errorf("host mq_open %s: %v, want ENOENT", name, err)
	}
	if b, err := os.ReadFile(filepath.Join(s.Dir, "out")); err != nil || string(b) != "x" {
		t.Errorf("file written in the run dir: %q, %v", b, err)
	}
}

// (d)
func TestLoopbackTwice(t *testing.T) {
	if ln, err := net.Listen("tcp", "127.0.0.1:"+listenPort); err == nil {
		defer ln.Close() // the host's own listener does not disturb the sandboxes
	}
	var wg sync.WaitGroup
	outs := make([]listenOut, 2)
	errs := make([]error, 2)
	dirs := []string{t.TempDir(), t.TempDir()}
	for i := range 2 {
		s := spec(t, "listen", []byte(dirs[1-i]))
		s.Dir, s.Visible = dirs[i], []string{dirs[1-i]}
		wg.Go(func() {
			b, err := run(context.Background(), s)
			if err == nil {
				err = json.Unmarshal(b, &outs[i])
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if outs[0].End < outs[1].Start || outs[1].End < outs[0].Start {
		t.Errorf("the two sandboxes did not listen at the same time: %+v", outs)
	}
}

// (e)
func TestDeadline(t *testing.T) {
	s := spec(t, "forever", nil)
	s.Deadline = 500 * time.Millisecond
	start := time.Now()
	_, err := run(context.Background(), s)
	el := time.Since(start)
	if !errors.Is(err, sandbox.ErrDeadline) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrDeadline", err)
	}
	if el > s.Deadline+200*time.Millisecond {
		t.Errorf("Run returned after %v, deadline %v", el, s.Deadline)
	}
	t.Logf("deadline %v: returned after %v", s.Deadline, el)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	_, err = run(ctx, spec(t, "forever", nil))
	if !errors.Is(err, context.Canceled) || time.Since(start) > 500*time.Millisecond {
		t.Errorf("cancel: %v after %v", err, time.Since(start))
	}
}

// (f)
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		bs     string
		wantOK bool
	}{{"1M", true}, {"256M", false}} {
		s := spec(t, "memory", []byte(c.bs))
		s.MemoryBytes = 64 << 20
		b, err := run(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		var out cmdOut
		json.Unmarshal(b, &out)
		if (out.Exit == 0) != c.wantOK {
			t.Errorf("dd bs=%s under 64 MiB: exit %d, %s", c.bs, out.Exit, out.Stderr)
		}
		t.Logf("dd bs=%s: exit %d %s", c.bs, out.Exit, strings.TrimSpace(out.Stderr))
	}
}

// (f)
func TestProcessLimit(t *testing.T) {
	marker := newMarker()
	s := spec(t, "forkbomb", []byte(marker))
	s.MaxProcs = 40
	b, err := run(context.Background(), s)
	if os.Geteuid() == 0 {
		// As root the limit is a pids cgroup, whose refusals Run sees.
		if !errors.Is(err, sandbox.ErrProcs) {
			t.Errorf("err = %v, want ErrProcs", err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	var out cmdOut
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("result %q: %v", b, err)
	}
	t.Logf("fork bomb: sh exit %d, %d sleeps running, err %v; %s", out.Exit, out.Count, err, strings.TrimSpace(out.Stderr))
	if out.Exit == 0 || out.Count == 0 || out.Count >= s.MaxProcs {
		t.Errorf("fork bomb under %d: sh exit %d with %d sleeps", s.MaxProcs, out.Exit, out.Count)
	}
	waitGone(t, marker, 0)
}

// (g)
func TestSysctl(t *testing.T) {
	const key = "/proc/sys/fs/mqueue/msg_max"
	before, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	s := spec(t, "sysctl", nil)
	s.Sysctls = map[string]string{"fs/mqueue/msg_max": "64"}
	got, err := run(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != "64" {
		t.Errorf("msg_max inside = %q, want 64", got)
	}
	if after, _ := os.ReadFile(key); !bytes.Equal(before, after) {
		t.Errorf("host msg_max changed from %q to %q", before, after)
	}
	// A value the kernel refuses: the errno crosses from the init to Run.
	s.Sysctls = map[string]string{"fs/mqueue/msg_max": "0"}
	_, err = run(context.Background(), s)
	var se *sandbox.SetupError
	if !errors.Is(err, unix.EINVAL) || !errors.As(err, &se) {
		t.Errorf("msg_max=0: %v, want a SetupError wrapping EINVAL", err)
	}
	s.Sysctls = map[string]string{"kernel/hostname": "x"}
	if _, err := run(context.Background(), s); err == nil || !strings.Contains(err.Error(), "not an IPC-namespaced sysctl") {
		t.Errorf("non-IPC sysctl: %v", err)
	}
}

func TestReaper(t *testing.T) {
	b, err := run(context.Background(), spec(t, "reap", nil))
	if err != nil {
		t.Fatal(err)
	}
	var out reapOut
	json.Unmarshal(b, &out)
	if out.Exit != 7 || len(out.Zombies) != 0 {
		t.Errorf("own child exit %d (want 7), zombies %q", out.Exit, out.Zombies)
	}
}

// BenchmarkRun measures one empty sandbox: start, setup, job, exit.
func BenchmarkRun(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := run(context.Background(), sandbox.Spec{Job: "echo", Dir: dir, Deadline: 10 * time.Second}); err != nil {
			b.Fatal(err)
		}
	}
}

// jobVisible reports, for each path of the payload (one a line), what
// reading it and writing it give inside.
func jobVisible(_ context.Context, payload []byte) ([]byte, error) {
	var out []string
	for _, p := range strings.Fields(string(payload)) {
		b, rerr := os.ReadFile(p)
		werr := os.WriteFile(p, []byte("changed"), 0o644)
		out = append(out, fmt.Sprintf("%s read %q %v write %v", filepath.Base(p), b, rerr, werr))
	}
	return []byte(strings.Join(out, "\n")), nil
}

// A file under /tmp that Spec.Visible names is there inside, read-only;
// one it does not name is not there, and writing it writes the sandbox's
// own /tmp: the host's files stay as they were.
func TestVisible(t *testing.T) {
	t.Parallel()
	host := t.TempDir() // under /tmp, which the sandbox covers
	shown, hidden := filepath.Join(host, "shown"), filepath.Join(host, "hidden")
	for _, p := range []string{shown, hidden} {
		if err := os.WriteFile(p, []byte("host"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := run(context.Background(), sandbox.Spec{
		Job: "visible", Payload: []byte(shown + " " + hidden), Dir: t.TempDir(),
		Deadline: 5 * time.Second, Visible: []string{shown},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "shown read \"host\" <nil> write open " + shown + ": read-only file system\n" +
		"hidden read \"\" open " + hidden + ": no such file or directory write <nil>" // into the sandbox's own /tmp
	if string(res) != want {
		t.Errorf("inside:\n%s\nwant:\n%s", res, want)
	}
	for _, p := range []string{shown, hidden} {
		if b, _ := os.ReadFile(p); string(b) != "host" {
			t.Errorf("%s on the host: %q", p, b)
		}
	}
}

// A runner started with signals blocked or ignored, as perf (SIGWINCH
// blocked) and a shell's background job (SIGINT ignored) start what they
// run: the programs in its sandboxes start with none, as from a login
// shell. The Go runtime hands both on to what it starts; with SIGWINCH
// blocked, every scenario that signals a waiting program waited out its
// deadline.
func TestSignalsStartClean(t *testing.T) {
	markUsed("sigstate")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		blocked, ignored []syscall.Signal
	}{
		{[]syscall.Signal{syscall.SIGWINCH}, []syscall.Signal{syscall.SIGINT}},
		{[]syscall.Signal{syscall.SIGWINCH, syscall.SIGUSR1, syscall.SIGALRM}, []syscall.Signal{syscall.SIGHUP, syscall.SIGINT}},
	} {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "SBTEST_SIGRUNNER="+t.TempDir(), testhelper.SignalsEnv(c.blocked, c.ignored))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("the runner helper: %v", err)
		}
		// Signals 32 and 33 are glibc's, which GNU make starts its
		// commands with ignored; the sandbox leaves them as they are.
		const glibcOwn = 3 << 31
		got := map[string]uint64{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if f := strings.Fields(l); len(f) == 3 {
				v, _ := strconv.ParseUint(f[2], 16, 64)
				got[f[0]+" "+f[1]] = v &^ glibcOwn
			}
		}
		mask := func(sigs []syscall.Signal) (m uint64) {
			for _, sig := range sigs {
				m |= 1 << (sig - 1)
			}
			return m
		}
		// What the runner hands on to what it starts itself shows that it
		// started as perf and the shell start it: else the test proves
		// nothing.
		want := map[string]uint64{
			"handed SigBlk:": mask(c.blocked), "handed SigIgn:": mask(c.ignored),
			"program SigBlk:": 0, "program SigIgn:": 0,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("runner started with %v blocked and %v ignored: signal masks handed on, and a sandboxed program's (-want +got):\n%s", c.blocked, c.ignored, diff)
		}
	}
}

// Descriptors the runner inherited (make's jobserver, a CI agent's, a
// host file open for writing) stay out of the sandbox's programs: the Go
// runtime closes none it did not open, so they reached every program, and
// a port could write to a host file through one.
func TestInheritedDescriptorsStayOut(t *testing.T) {
	markUsed("fds")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "SBTEST_FDRUNNER="+t.TempDir())
	for i := 0; i < 5; i++ { // descriptors 3 to 7; the last three are past the init's own
		f, err := os.Create(filepath.Join(t.TempDir(), "host-file"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.ExtraFiles = append(cmd.ExtraFiles, f)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the runner helper: %v", err)
	}
	got := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(l)
		got[f[0]] = f[1:]
	}
	// The runner must hold them, or the test proves nothing.
	if !slices.Contains(got["runner"], "6") || !slices.Contains(got["runner"], "7") {
		t.Fatalf("the runner does not hold descriptors 6 and 7: %q", got["runner"])
	}
	if diff := cmp.Diff([]string{"0", "1", "2"}, got["program"]); diff != "" {
		t.Errorf("a sandboxed program's open descriptors, its runner holding 3 to 7 (-want +got):\n%s", diff)
	}
}
