//go:build linux

package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/compare/trace"
)

// A goPort is goipc with one change, built as one program: a mistake of a
// port translated from the notes that no output shows, and that strace
// does. TestTraceCatches holds each to passing its scenario untraced and
// failing it traced (check --trace), with want in the diff of the calls.
type goPort struct {
	name    string
	program string
	file    string    // in goipc/
	edit    [2]string // old (exactly once in file), new
	catches string    // the scenario of the program's mechanism
	want    []string  // lines of the trace diff
}

var goPorts = []goPort{
	{"listen backlog 5, where C's is SOMAXCONN", "sock_server", "sock.go",
		[2]string{"Listen(fd, unix.SOMAXCONN)", "Listen(fd, 5)"}, "tcp-default",
		[]string{"- listen(4, 4096) = 0", "+ listen(4, 5) = 0"}},
	{"a TCP server without SO_REUSEADDR", "sock_server", "sock.go",
		[2]string{"SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, on)", "error(nil)"}, "tcp-default",
		[]string{"- setsockopt(4, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"}},
	{"a client's send without MSG_NOSIGNAL", "sock_client", "sock.go",
		[2]string{"Send(fd, []byte(message), unix.MSG_NOSIGNAL)", "Send(fd, []byte(message), 0)"}, "tcp-default",
		[]string{`- send(4, "quit", 4, MSG_NOSIGNAL) = 4`, `+ send(4, "quit", 4, 0) = 4`}},
	{"an mq client sending priority 0, where C's is 1", "mq_client", "mq_programs.go",
		[2]string{"MqSend(mq, message.msg[:], 1)", "MqSend(mq, message.msg[:], 0)"}, "default",
		[]string{`, 64, 1, NULL) = 0`, `, 64, 0, NULL) = 0`}},
	{"a queue created 0644, where C's is 0600", "mq_server", "mq_programs.go",
		[2]string{"unix.O_CREAT|unix.O_RDONLY, 0600", "unix.O_CREAT|unix.O_RDONLY, 0644"}, "default",
		[]string{`- mq_open("$RUN", O_RDONLY|O_CREAT, 0600, {mq_flags=0, mq_maxmsg=10, mq_msgsize=128, mq_curmsgs=0}) = 4`,
			`+ mq_open("$RUN", O_RDONLY|O_CREAT, 0644, {mq_flags=0, mq_maxmsg=10, mq_msgsize=128, mq_curmsgs=0}) = 4`}},
	{"a semaphore created 0644, where C's is 0600", "shm_writer", "shm_programs.go",
		[2]string{"SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)", "SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0644, 0)"}, "default",
		[]string{`- open("/dev/shm/sem.XXXXXX", O_RDWR|O_CREAT|O_EXCL, 0600) = 4`, `+ open("/dev/shm/sem.XXXXXX", O_RDWR|O_CREAT|O_EXCL, 0644) = 4`}},
}

// build compiles the port into dir with go build -overlay: goipc's file
// replaced by its edited copy.
func (gp goPort) build(dir string) (runner.Form, error) {
	src, err := filepath.Abs(filepath.Join("..", "goipc", gp.file))
	if err != nil {
		return runner.Form{}, err
	}
	text, err := os.ReadFile(src)
	if err != nil {
		return runner.Form{}, err
	}
	if n := strings.Count(string(text), gp.edit[0]); n != 1 {
		return runner.Form{}, fmt.Errorf("the edit finds %d (want exactly 1) of %q in goipc/%s", n, gp.edit[0], gp.file)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return runner.Form{}, err
	}
	edited := filepath.Join(dir, gp.file)
	if err := os.WriteFile(edited, []byte(strings.Replace(string(text), gp.edit[0], gp.edit[1], 1)), 0o644); err != nil {
		return runner.Form{}, err
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {src: edited}})
	ovl := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovl, overlay, 0o644); err != nil {
		return runner.Form{}, err
	}
	bin := filepath.Join(dir, gp.program)
	cmd := exec.Command(goTool(), "build", "-overlay", ovl, "-o", bin, "../goipc/cmd/"+gp.program)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0") // as make builds bin/go
	if out, err := cmd.CombinedOutput(); err != nil {
		return runner.Form{}, fmt.Errorf("go build: %v\n%s", err, out)
	}
	f := runner.CommandForm(gp.program, []string{bin})
	f.Lang, f.ReportsErrno = runner.LangGo, true
	return f, nil
}

// pairingOf gives form to program's role and others to the other roles.
func pairingOf(roles []string, others runner.Form, program string, form runner.Form) runner.Pairing {
	p := make(runner.Pairing, len(roles))
	for r, role := range roles {
		p[r] = others
		if role == program {
			p[r] = form
		}
	}
	return p
}

// goTool is the go command that runs this test.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// TestTraceCatches runs each goPort's scenario with C, with the go form
// (the project's correct port) and with each port in its role, untraced
// and traced: untraced all agree with C (what output shows is the same);
// traced the go form still agrees and each port differs by its calls.
func TestTraceCatches(t *testing.T) {
	if _, err := runner.Strace(); err != nil {
		t.Skip(err) // .ci/run installs strace
	}
	t.Parallel()
	dir := t.TempDir()
	type built struct {
		form runner.Form
		err  error
	}
	forms := Each(context.Background(), Jobs(), len(goPorts), func(i int) built {
		f, err := goPorts[i].build(filepath.Join(dir, fmt.Sprint(i)))
		return built{f, err}
	})
	var ids []string
	group := map[string][]int{}
	for i, gp := range goPorts {
		if forms[i].err != nil {
			t.Fatalf("%s: %v", gp.name, forms[i].err)
		}
		mech, _, _ := strings.Cut(gp.program, "_")
		id := mech + "/" + gp.catches
		if group[id] == nil {
			ids = append(ids, id)
		}
		group[id] = append(group[id], i)
	}
	builtin := runner.BuiltinForms(binDir)
	c, golang := builtin[0], builtin[2]
	type job struct {
		id    string
		trace bool
	}
	var jobs []job
	for _, id := range ids {
		jobs = append(jobs, job{id, false}, job{id, true})
	}
	results := Each(context.Background(), Jobs(), len(jobs), func(k int) judge.Result {
		mech, name, _ := strings.Cut(jobs[k].id, "/")
		sc := scenario(mech, name)
		sc.Trace = jobs[k].trace
		// The go form untraced is the parity matrix's (checkParity).
		pairings := []runner.Pairing{pairingOf(sc.Roles, c, "", c), pairingOf(sc.Roles, golang, "", golang)}
		if !sc.Trace {
			pairings = pairings[:1]
		}
		for _, i := range group[jobs[k].id] {
			pairings = append(pairings, pairingOf(sc.Roles, c, goPorts[i].program, forms[i].form))
		}
		return judge.Compare(context.Background(), sc, pairings)
	})
	for k, res := range results {
		j := jobs[k]
		members := group[j.id]
		first := 1 // the first port's run: after C's, and the go form's when traced
		if j.trace {
			first = 2
		}
		if len(res.Runs) != first+len(members) {
			t.Fatalf("%s: %d runs for %d ports", j.id, len(res.Runs), len(members))
		}
		if j.trace {
			checkGoFormTraced(t, j.id, res)
		}
		for n, i := range members {
			gp, rr := goPorts[i], res.Runs[first+n]
			var b strings.Builder
			judge.ExplainRun(&b, res, rr)
			switch {
			case rr.Err != "" || res.Runs[0].Err != "":
				t.Errorf("%s: %s did not run: %s%s", gp.name, j.id, res.Runs[0].Err, rr.Err)
			case !j.trace && rr.Verdict == judge.VerdictDifferent:
				t.Errorf("%s: %s untraced already differs (the port is not one that only strace shows):\n%s", gp.name, j.id, b.String())
			case j.trace && rr.Verdict != judge.VerdictDifferent:
				t.Errorf("%s: passes %s traced (verdict %q): --trace must catch it", gp.name, j.id, rr.Verdict)
			case j.trace:
				for _, w := range gp.want {
					if !strings.Contains(rr.TraceDiff, w) {
						t.Errorf("%s: %s traced differs, but its calls' diff has no %q:\n%s", gp.name, j.id, w, b.String())
					}
				}
			}
		}
	}
}

// checkGoFormTraced holds the go form's traced run (res.Runs[1]) to C's
// calls, with exactly the known differences trace.Known lists for the
// scenario id: an entry that no longer shows is out of date.
func checkGoFormTraced(t *testing.T, id string, res judge.Result) {
	t.Helper()
	rr := res.Runs[1]
	if rr.Verdict == judge.VerdictDifferent || rr.Err != "" {
		var b strings.Builder
		judge.ExplainRun(&b, res, rr)
		t.Errorf("%s traced: the go form differs from C:\n%s", id, b.String())
		return
	}
	var want []string
	for _, kd := range trace.Known {
		if !kd.Reported && slices.Contains(kd.Scenarios, id) && slices.Contains(kd.Langs, runner.LangGo) {
			want = append(want, kd.ID)
		}
	}
	if got := strings.Join(want, "+"); rr.Known != got && !(got == "" && rr.Verdict == judge.VerdictSame) {
		t.Errorf("%s traced: the go form shows known difference %q, trace.Known lists %q for it", id, rr.Known, got)
	}
}
