//go:build linux

package compare

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// TestOtherUserPorts runs ports that make their objects open to every
// user: the *-other-user scenarios, where a step runs as another user
// inside the sandbox, see that user get through where C refuses it.
func TestOtherUserPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	if why := runner.OtherUserUnavailable(); why != "" {
		// The scenarios are then not run: TestOtherUserNotRun.
		t.Skip(why)
	}
	checkWrongPorts(t, []wrongPort{
		{
			name: "the FIFO made 0666", program: "fifo_reader",
			edits:   [][2]string{{"S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH; // 644", "S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH; // 666"}},
			catches: "writer-other-user", want: "Role:fifo_writer (nobody) Stdout: Stderr: Exit:0",
		},
		{
			name: "the queue made 0666", program: "mq_server",
			edits:   [][2]string{{"O_CREAT | O_RDONLY, 0600", "O_CREAT | O_RDONLY, 0666"}},
			catches: "client-other-user", want: "Role:client 1 (nobody) Stdout:you sent: hello",
		},
		{
			name: "the object and the semaphore made 0666", program: "shm_writer",
			edits: [][2]string{
				{"shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600)", "shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0666)"},
				{"sem_open(name, O_CREAT | O_EXCL, 0600, 0)", "sem_open(name, O_CREAT | O_EXCL, 0666, 0)"},
			},
			catches: "reader-other-user", want: "Role:shm_reader (nobody) Stdout:Hello World",
		},
		{
			name: "the socket file chmod'ed to 0777 after bind", program: "sock_server",
			edits: [][2]string{
				{"#include <sys/socket.h>", "#include <sys/socket.h>\n#include <sys/stat.h>"},
				{"    if(listen(fd, SOMAXCONN) == -1) {", "    if(addr.sa.sa_family == AF_UNIX) chmod(addr.un.sun_path, 0777);\n    if(listen(fd, SOMAXCONN) == -1) {"},
			},
			catches: "unix-client-other-user", want: "Role:client (nobody) Stdout:you sent: hello",
		},
	})
}

// TestNotOwnerPorts runs the permission scripts (another user's queue,
// object and semaphore, after seteuid in the sandbox) with goipc's
// ipccalls built with one mistake each, against cipc: each must differ.
// The mistakes pass the kernel's EPERM through where glibc says EACCES.
func TestNotOwnerPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	if why := runner.OtherUserUnavailable(); why != "" {
		// The scripts are then not run (their #needs line):
		// TestOtherUserNotRun.
		t.Skip(why)
	}
	for _, tc := range []struct {
		name, script string
		edits        map[string][][2]string
		want         string // in goipc's transcript, not in cipc's
	}{
		{
			name: "mq_unlink by a non-owner gives the kernel's EPERM", script: "mq_not_owner.calls",
			edits: map[string][][2]string{"goipc/mq.go": {{"\tcase unix.EPERM:\n\t\treturn unix.EACCES\n\t}\n\treturn e\n}", "\t}\n\treturn e\n}"}}},
			want:  `mq_unlink("/q$RUN") = -1 EPERM`,
		},
		{
			name: "shm_unlink by a non-owner gives the kernel's EPERM", script: "shm_not_owner.calls",
			edits: map[string][][2]string{"goipc/shm.go": {{"\terr = unix.Unlink(path)\n\tif err == unix.EPERM {\n\t\treturn unix.EACCES\n\t}\n", "\terr = unix.Unlink(path)\n"}}},
			want:  `shm_unlink("/o$RUN") = -1 EPERM`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bin, err := buildGoVariant(filepath.Join(t.TempDir(), "port"), "ipccalls", tc.edits)
			if err != nil {
				t.Fatal(err)
			}
			sides := runner.ScriptSides(binDir)
			sides[1].Command = func(string) ([]string, error) { return []string{bin}, nil }
			res := judge.RunScript(context.Background(), Calls(), filepath.Join("..", "testdata", "calls", tc.script), sides, nil)
			switch {
			case res.Error != "":
				t.Fatalf("%s: %s", tc.script, res.Error)
			case res.Agree:
				t.Fatalf("%s: the port agrees with cipc: the script must catch it", tc.script)
			case !strings.Contains(res.Transcripts[runner.SideGo], tc.want) || strings.Contains(res.Transcripts[runner.SideC], tc.want):
				t.Errorf("%s: differs, but not by %q:\n%s", tc.script, tc.want, res.Diff)
			}
		})
	}
}

// otherUserCases are the scenarios with a step as runner.OtherUser and
// the scripts that seteuid to it.
var (
	otherUserScenarios = []string{"fifo/writer-other-user", "mq/client-other-user", "shm/reader-other-user", "sock/unix-client-other-user"}
	otherUserScripts   = []string{"mq_not_owner.calls", "shm_not_owner.calls"}
)

// TestOtherUserNotRun runs ipcparity as nobody (65534), an ordinary user
// whose sandbox maps that one user: the cases that need a second user
// are reported as not run, with the reason, in the text report, JSON and
// JUnit (skipped, never agreeing), and the run does not fail. As root the
// same cases run: TestOtherUserPorts and TestNotOwnerPorts see them catch
// their wrong ports.
func TestOtherUserNotRun(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("runs ipcparity as another user, which takes root")
	}
	for _, id := range otherUserScenarios {
		mech, name, _ := strings.Cut(id, "/")
		if sc := scenario(mech, name); !sc.NeedsOtherUser() || runner.Unavailable(sc) != "" {
			t.Errorf("%s: as root, needs another user %v, unavailable %q: want it run", id, sc.NeedsOtherUser(), runner.Unavailable(sc))
		}
	}
	bin, err := filepath.Abs(binDir)
	if err != nil {
		t.Fatal(err)
	}
	for dir := bin; dir != "/"; dir = filepath.Dir(dir) {
		if st, err := os.Stat(dir); err != nil || st.Mode().Perm()&0o005 != 0o005 {
			t.Skipf("nobody cannot reach %s (%v): the checkout must be readable by every user", dir, err)
		}
	}
	// Not t.TempDir nor $TMPDIR: TestMain's temporary directory is
	// root's alone.
	tmp, err := os.MkdirTemp("/tmp", "ipcparity-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	asNobody := func(args ...string) string {
		cmd := exec.Command(filepath.Join(bin, "ipcparity"), args...)
		cmd.Dir = filepath.Join(bin, "..")
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + tmp, "TMPDIR=" + tmp}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: runner.OtherUser, Gid: runner.OtherUser}}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("ipcparity %s: %v", strings.Join(args, " "), err)
		}
		if code != 0 {
			t.Errorf("ipcparity %s as nobody: exit %d, want 0\n%s%s", strings.Join(args, " "), code, out, stderr.String())
		}
		return string(out)
	}
	// check runs the scenarios and the scripts of the mechanisms it names,
	// those that --run selects.
	re := "^(" + strings.Join(otherUserScenarios, "|") + ")$|/(" + strings.Join(otherUserScripts, "|") + ")$"
	junitFile := filepath.Join(tmp, "junit.xml")
	text := asNobody("check", "--quiet", "--run", re, "fifo", "mq", "shm", "sock")
	for _, want := range []string{
		"0 of 4 scenarios agree across all pairings, 4 not run",
		"fifo/writer-other-user: not run: needs a second user (65534)",
		"skip testdata/calls/mq_not_owner.calls (not run: needs a second user (65534)",
		"0 of 2 call scripts agree between cipc and goipc, 2 not run",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text report lacks %q:\n%s", want, text)
		}
	}
	js := asNobody("check", "--quiet", "--json", "--junit", junitFile, "--run", re, "fifo", "mq", "shm", "sock")
	var doc struct {
		Scenarios []judge.Result
		Calls     []judge.ScriptResult
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, js)
	}
	runs := 0
	for _, r := range doc.Scenarios {
		for _, rr := range r.Runs {
			runs++
			if rr.Verdict != judge.VerdictSkipped || !strings.Contains(rr.Skipped, "second user") {
				t.Errorf("JSON: %s/%s [%s]: verdict %q, skipped %q: want skipped for the second user", r.Mechanism, r.Scenario, rr.Pairing, rr.Verdict, rr.Skipped)
			}
		}
	}
	if len(doc.Scenarios) != len(otherUserScenarios) || len(doc.Calls) != len(otherUserScripts) {
		t.Errorf("JSON: %d scenarios and %d scripts, want %d and %d", len(doc.Scenarios), len(doc.Calls), len(otherUserScenarios), len(otherUserScripts))
	}
	for _, s := range doc.Calls {
		if !strings.Contains(s.NotRun, "second user") || s.Calls != 0 {
			t.Errorf("JSON: %s: not run %q after %d calls: want not run for the second user", s.File, s.NotRun, s.Calls)
		}
	}
	x, err := os.ReadFile(junitFile)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
			Skipped  int `xml:"skipped,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(x, &suites); err != nil {
		t.Fatal(err)
	}
	var tests, skipped, bad int
	for _, s := range suites.Suites {
		tests, skipped, bad = tests+s.Tests, skipped+s.Skipped, bad+s.Failures+s.Errors
	}
	if want := runs + len(otherUserScripts); tests != want || skipped != want || bad != 0 {
		t.Errorf("JUnit: %d cases, %d skipped, %d failures or errors: want %d, all skipped\n%s", tests, skipped, bad, want, x)
	}
}
