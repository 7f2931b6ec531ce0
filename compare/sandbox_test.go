//go:build linux

package compare

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/scenarios"
)

// Hostile and careless ports, as users write them: each must end within
// its deadline with what it did in its outcome, and leave nothing on the
// host. They need the sandbox; without one the runner says why and falls
// back (see the README), which these tests would not hold.

func needSandbox(t *testing.T) {
	t.Helper()
	if err := runner.Sandboxed(); err != nil {
		t.Fatalf("runs are not sandboxed here: %v", err)
	}
}

// A port whose helper leaves its process group with setsid: the run does
// not wait for it, reports it, and kills it.
func TestSetsidDaemonIsKilledAndReported(t *testing.T) {
	needSandbox(t)
	const marker = "3600.101"
	before := hostState(marker)
	port := shForm("pipe", `setsid sleep `+marker+` & printf 'Hello World!\n'`)
	start := time.Now()
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{port})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the run took %v: it waited for the daemon", d)
	}
	if !slices.Contains(out.Leftovers, "process (left its process group)") {
		t.Errorf("leftovers %q do not show the daemon", out.Leftovers)
	}
	if out.Procs[0].Stdout != "Hello World!\n" || out.Procs[0].Timeout {
		t.Errorf("the port's own outcome is lost: %+v", out.Procs[0])
	}
	checkHostUnchanged(t, before, marker)
}

// kill -9 of ipcparity in the middle of a run: the port's daemon, which
// left its group, and the queue a server made die with the run.
func TestKilledRunnerLeavesNothing(t *testing.T) {
	needSandbox(t)
	const marker = "3600.202"
	mqServer, _ := filepath.Abs(filepath.Join(binDir, "c", "mq_server"))
	before := hostState(marker)
	if ok, _ := scenarios.MqExists("/csba1316"); ok {
		t.Fatal("the queue /csba1316 exists before the test")
	}
	cmd := exec.Command(filepath.Join(binDir, "ipcparity"), "verify", "pipe", "--",
		"sh", "-c", `setsid sleep `+marker+` & exec `+mqServer)
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for len(hostState(marker)) == len(before) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the port's daemon never showed up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the server has made its queue
	cmd.Process.Signal(unix.SIGKILL)
	cmd.Wait()
	for end := time.Now().Add(2 * time.Second); len(hostState(marker)) > len(before) && time.Now().Before(end); {
		time.Sleep(10 * time.Millisecond)
	}
	checkHostUnchanged(t, before, marker)
	if ok, err := scenarios.MqExists("/csba1316"); ok || err != nil {
		t.Errorf("the killed run's queue /csba1316 is on the host (%v)", err)
	}
}

// Floods: the runner keeps OutputLimit bytes of each stream and counts
// the rest; it neither blocks nor grows.
func TestOutputFloodIsCapped(t *testing.T) {
	needSandbox(t)
	sc := scenario("pipe", "default")
	sc.Deadline = 300 * time.Millisecond
	for _, tc := range []struct{ name, script string }{
		{"stdout", `yes`},
		{"stderr with stdout closed", `exec >&-; yes >&2`},
	} {
		out, err := runner.Execute(context.Background(), sc, runner.Pairing{shForm("pipe", tc.script)})
		if err != nil {
			t.Fatal(err)
		}
		p := out.Procs[0]
		kept, dropped := len(p.Stdout), p.StdoutDropped
		if tc.name != "stdout" {
			kept, dropped = len(p.Stderr), p.StderrDropped
		}
		if kept != runner.OutputLimit || dropped == 0 || !p.Timeout {
			t.Errorf("%s: kept %d bytes (want %d), dropped %d (want more than 0), timeout %v", tc.name, kept, runner.OutputLimit, dropped, p.Timeout)
		}
	}
}

// A port that asks for more memory than a run may have fails the way a
// process fails without memory, and says so; the host is not at risk.
func TestMemoryHogIsBounded(t *testing.T) {
	needSandbox(t)
	hog := shForm("pipe", fmt.Sprintf(`dd if=/dev/zero of=/dev/null bs=%d count=1`, runner.MemoryLimit+(1<<30)))
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{hog})
	if err != nil {
		t.Fatal(err)
	}
	if p := out.Procs[0]; p.Exit == 0 || !strings.Contains(string(p.Stderr), "memory exhausted") {
		t.Errorf("dd with a buffer over the limit: %+v", p)
	}
}

// A fork bomb meets the process limit and leaves no process on the host.
// The bomb (dash) gives up at the first refused fork, so the run ends
// there, well before the scenario's deadline. (The test once gave the bomb
// a deadline of 1 s: at a load of 30 on 2 cores the 512 forks take 2 to
// 4 s, and the deadline came first.)
func TestForkBombIsBounded(t *testing.T) {
	needSandbox(t)
	const marker = "100.303"
	before := hostState(marker)
	bomb := shForm("pipe", `while :; do sleep `+marker+` & done`)
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{bomb})
	if err != nil {
		t.Fatal(err)
	}
	// Refused, not killed at the deadline: without the limit the bomb
	// would fork until then.
	if p := out.Procs[0]; !strings.Contains(string(p.Stderr), "fork") || p.Timeout {
		t.Errorf("the bomb: %+v: want a refused fork on its stderr, before the deadline", p)
	}
	// Where the limit is a cgroup (as root) the outcome names it too.
	if os.Geteuid() == 0 && (len(out.Limits) != 1 || !strings.Contains(out.Limits[0], "process limit")) {
		t.Errorf("limits %q: want the process limit", out.Limits)
	}
	checkHostUnchanged(t, before, marker)
}

// Files and objects a port makes outside its directory stay in the
// sandbox, and absolute paths of the host cannot be written.
func TestOutsideObjectsStayInside(t *testing.T) {
	needSandbox(t)
	host := t.TempDir()
	victim := filepath.Join(host, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	const marker = "ipcparity-outside-303"
	port := shForm("pipe", `printf 'Hello World!\n'
		: > /tmp/`+marker+`; : > /dev/shm/`+marker+`; : > ../`+marker+`; mkfifo ../../`+marker+`.fifo
		echo overwritten > `+victim+`; rm -f `+victim+`; ln -s `+victim+` link; echo x > link`)
	out, err := runner.Execute(context.Background(), scenario("pipe", "default"), runner.Pairing{port})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep" {
		t.Errorf("the host file %s was changed: %q, %v", victim, b, err)
	}
	for _, p := range []string{"/tmp/" + marker, "/dev/shm/" + marker, filepath.Join(os.TempDir(), marker), "/" + marker + ".fifo", "/tmp/" + marker + ".fifo"} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s is on the host (%v)", p, err)
			os.Remove(p)
		}
	}
	if !leftoverNamed(out.Leftovers, "symlink link") {
		t.Errorf("leftovers %q do not show the link the port left in its directory", out.Leftovers)
	}
}

// Names that look like a run's, planted in /tmp and /dev/shm, survive any
// number of runs: nothing is swept by name.
func TestPlantedNamesSurvive(t *testing.T) {
	needSandbox(t)
	dead := 4194000 // above any pid this machine has used, so "dead"
	planted := []string{
		fmt.Sprintf("/dev/shm/userdata_%s%d_keep", runner.TokenPrefix, dead),
		fmt.Sprintf("/dev/shm/%s%d_1.shm", runner.TokenPrefix, dead),
		filepath.Join(os.TempDir(), fmt.Sprintf("%s%d_mydata", runner.TokenPrefix, dead)),
		filepath.Join(os.TempDir(), fmt.Sprintf("%s%d_1.names", runner.TokenPrefix, dead)),
	}
	for _, p := range planted {
		if err := os.WriteFile(p, []byte("/victim-queue\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p)
	}
	// One scenario and one script: a sweep by name would come at the
	// start of the command, whatever it runs.
	cmd := exec.Command(filepath.Join(binDir, "ipcparity"), "check", "--run", "^pipe/default$|pipe_pipe2", "pipe")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ipcparity check pipe/default: %v\n%s", err, out)
	} else if !strings.Contains(string(out), "1 of 1 scenarios agree") || !strings.Contains(string(out), "1 of 1 call scripts agree") {
		t.Fatalf("ipcparity check did not run one scenario and one script:\n%s", out)
	}
	for _, p := range planted {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("planted %s is gone: %v", p, err)
		}
	}
}

// A call script's paths cannot reach the host: "..", absolute paths, a
// symlink and a socket path out of the run's directory fail the way the
// kernel fails them in the sandbox (a read-only root, a private /tmp), or
// land in the sandbox's own /tmp, on both sides alike.
func TestScriptPathsStayInside(t *testing.T) {
	needSandbox(t)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	outside := filepath.Join(home, "ipcparity-outside-404")
	script := filepath.Join(dir, "escape.calls")
	text := `# each path leads out of the run's directory
unlink("` + victim + `") = -1 ENOENT
mkfifo("../../ipcparity-outside-404", 0600) = -1 EROFS
open("` + outside + `", O_CREAT|O_WRONLY, 0600) = -1 EROFS
mkfifo("../ipcparity-outside-404", 0600) = 0
unlink("../ipcparity-outside-404") = 0
socket(AF_UNIX, SOCK_STREAM, 0) = $s
bind($s, {sa_family=AF_UNIX, sun_path="../ipcparity-outside-404.sock"}, 110) = 0
close($s) = 0
unlink("../ipcparity-outside-404.sock") = 0
`
	if err := os.WriteFile(script, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	res := RunScript(context.Background(), binDir, script)
	if !res.Agree {
		var b strings.Builder
		judge.ReportScripts(&b, []judge.ScriptResult{res})
		t.Errorf("the sides disagree or missed an expectation:\n%s", b.String())
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep" {
		t.Errorf("%s: %q, %v", victim, b, err)
	}
	for _, p := range []string{outside, "/ipcparity-outside-404", "/tmp/ipcparity-outside-404", "/tmp/ipcparity-outside-404.sock"} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s is on the host (%v)", p, err)
			os.Remove(p)
		}
	}
}

// Without namespaces the runner says so, once, and the parity still holds
// on today's isolation: process groups and token-named objects (pipe's
// scenarios, to keep the test short).
func TestFallbackSaysSoAndAgrees(t *testing.T) {
	t.Parallel() // its runs are another process's, named after its pid
	cmd := exec.Command(filepath.Join(binDir, "ipcparity"), "check", "-j", "1", "pipe")
	cmd.Env = append(os.Environ(), runner.NoSandboxEnv+"=1", "TMPDIR="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check pipe fifo without a sandbox: %v\n%s%s", err, out, stderr.String())
	}
	if n := strings.Count(stderr.String(), "runs are NOT sandboxed"); n != 1 {
		t.Errorf("the fallback is announced %d times on stderr, want once:\n%s", n, stderr.String())
	}
	n := len(Select("pipe"))
	if !strings.Contains(string(out), fmt.Sprintf("%d of %d scenarios agree", n, n)) {
		t.Errorf("check pipe fifo without a sandbox:\n%s", out)
	}
}
