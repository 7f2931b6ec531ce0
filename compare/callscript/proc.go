//go:build linux

package callscript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The process calls of call scripts:
//
//	fork() = $c {                    # the block runs in the child
//	    write($w, "x", 1) = 1
//	    exit(3)                      # the block's end is exit(0)
//	}
//	waitpid($c, status, 0) = $c      # status: [{WIFEXITED(s) && WEXITSTATUS(s) == 3}]
//	wait(status) = $c
//	getpid() = $me
//	kill($me, SIGUSR1) = 0
//	usleep(100000) = 0
//
// Neither side can run Go code in a forked copy of the Go runtime, so the
// child is the interpreter run again (as goipc's pipe program does it):
// cipc forks in C and execs at once (cipc.ForkExec), goipc uses
// syscall.ForkExec (goipc.ForkExec). The child finds in its environment
// (childEnv) the script, the fork's line, the numbers bound so far, which
// descriptors were close-on-exec, the soft RLIMIT_NOFILE and the signal
// actions the script set. Before the exec the parent clears close-on-exec
// on the script's descriptors and the child sets it again, so the child
// has every descriptor a forked child has, at the same numbers. A child
// has no mappings, semaphores or processes of its parent: a variable
// bound to one is not bound in the child (known difference
// "calls-fork-exec").
//
// The child writes its transcript on a pipe that the parent reads; the
// parent shows it where it waits for the child (or at the script's end),
// each line marked with the variable fork bound: "[$c] write(4, ...)".
// Pids differ from run to run, so the transcript names processes by the
// variable bound to them ($c, $me); waitpid and wait return the variable
// of the child they reaped.

// childEnv names the environment variable that makes the interpreter a
// forked child: its value is a childState in JSON.
const childEnv = "IPCCALLS_CHILD"

// childState is what a forked child needs of its parent.
type childState struct {
	File    string            `json:"file"`
	Text    string            `json:"text"`
	Line    int               `json:"line"` // the fork's line
	Name    string            `json:"name"`
	Vars    map[string]int64  `json:"vars"`
	Unbound map[string]string `json:"unbound"`
	Cloexec []int             `json:"cloexec"`
	Nofile  [2]uint64         `json:"nofile"`
	Signals []sigState        `json:"signals,omitempty"`
	// Mask is the parent's signal mask (signal.go).
	Mask uint64 `json:"mask"`
}

// proc is a process a variable names: a child, the script's own process
// or its parent.
type proc struct {
	pid  int
	name string // "$c"
}

// child is a forked child not yet waited for.
type child struct {
	proc
	done chan struct{} // closed when its transcript pipe is at its end
	out  bytes.Buffer
	cut  int64
}

// childError is a script error a child found: it names its own file,
// line and column.
type childError string

func (e childError) Error() string { return string(e) }

// maxChildTranscript bounds what a parent keeps of a child's transcript.
const maxChildTranscript = 1 << 20

func procAPI(a *sides.API) sides.Proc { return a.Proc }

// Proc is the table of the process calls, and of the signal names kill
// and the signal calls take.
var Proc = newTable(func(t *Table) {
	for sig := unix.Signal(1); sig < 32; sig++ {
		if n := unix.SignalName(sig); n != "" && n != "SIGIOT" {
			t.symbols[n] = int64(sig)
		}
	}
	for name, v := range map[string]int64{"WNOHANG": unix.WNOHANG, "WUNTRACED": unix.WUNTRACED, "WCONTINUED": unix.WCONTINUED} {
		t.symbols[name] = v
	}

	// fork() { BLOCK }: binds the child.
	sided(t, procAPI, "fork", func(c *Call, api sides.Proc) (int64, error) {
		if err := c.Arity(0); err != nil {
			return 0, err
		}
		return c.st.fork(c, api)
	})
	// waitpid(PID, status|NULL|BADPTR, OPTIONS): PID a process's variable,
	// 0 or -1 (a child's variable with BADPTR).
	sided(t, procAPI, "waitpid", func(c *Call, api sides.Proc) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		pid, err := c.pid(0, true)
		if err != nil {
			return 0, err
		}
		opts, err := c.Int(2)
		if err != nil {
			return 0, err
		}
		return c.st.wait(c, api, pid, 1, int(opts))
	})
	// wait(status|NULL)
	sided(t, procAPI, "wait", func(c *Call, api sides.Proc) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		return c.st.wait(c, api, -1, 0, 0)
	})
	// exit(STATUS), in a child's block.
	sided(t, procAPI, "exit", func(c *Call, api sides.Proc) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		c.st.exit = &a[0]
		c.Ret = "?"
		return 0, nil
	})
	// getpid() = $me, getppid() = $parent: bind the process.
	sided(t, procAPI, "getpid", func(c *Call, api sides.Proc) (int64, error) {
		return c.self(api.Getpid())
	})
	sided(t, procAPI, "getppid", func(c *Call, api sides.Proc) (int64, error) {
		return c.self(api.Getppid())
	})
	// kill(PID, SIG): PID a process's variable or 0 (the process group).
	sided(t, procAPI, "kill", func(c *Call, api sides.Proc) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		pid, err := c.pid(0, false)
		if err != nil {
			return 0, err
		}
		sig, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		return status(api.Kill(pid, int(sig)))
	})
	// usleep(USEC)
	sided(t, procAPI, "usleep", func(c *Call, api sides.Proc) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		if a[0] < 0 || a[0] > 5_000_000 {
			return 0, fmt.Errorf("usleep %d out of range (0 to 5000000: the run's deadline is 10 s)", a[0])
		}
		return status(api.Usleep(uint(a[0])))
	})
})

// self binds the process pid, which the transcript shows by the variable
// after = ("PID" without one).
func (c *Call) self(pid int) (int64, error) {
	if err := c.Arity(0); err != nil {
		return 0, err
	}
	name := "PID"
	if x := c.Line.Expect; x != nil && x.Bind != "" {
		name = "$" + x.Bind
	}
	c.Bound, c.Ret = &proc{pid: pid, name: name}, name
	return int64(pid), nil
}

// pid evaluates argument i, a process: a variable bound to one, 0 (the
// process group), or with anyChild -1 (any child). Other numbers would
// reach processes outside the script's (the host's, without a sandbox).
func (c *Call) pid(i int, anyChild bool) (int, error) {
	e, err := c.arg(i)
	if err != nil {
		return 0, err
	}
	if e.Kind == ExprVar {
		v, ok := c.vars[e.Name]
		if !ok {
			return 0, unboundError(e.Name)
		}
		if p, ok := v.(*proc); ok {
			return p.pid, nil
		}
		return 0, fmt.Errorf("$%s is not a process (fork, getpid or getppid binds one)", e.Name)
	}
	n, err := c.Int(i)
	if err != nil {
		return 0, err
	}
	if n != 0 && !(anyChild && n == -1) {
		return 0, fmt.Errorf("%s: a process is a variable bound by fork, getpid or getppid, or 0%s", e.Src, map[bool]string{true: " or -1", false: ""}[anyChild])
	}
	return int(n), nil
}

// fork starts the child that runs c's block, and binds it.
func (st *execState) fork(c *Call, api sides.Proc) (int64, error) {
	name := fmt.Sprintf("line %d", c.Line.N)
	if x := c.Line.Expect; x != nil && x.Bind != "" {
		name = "$" + x.Bind
	}
	state := childState{File: st.s.File, Text: st.s.Text, Line: c.Line.N, Name: name,
		Vars: map[string]int64{}, Unbound: st.unbound, Signals: st.signals()}
	var mask unix.Sigset_t
	if err := st.api.Signal.Sigprocmask(unix.SIG_BLOCK, nil, &mask); err != nil {
		return 0, fmt.Errorf("fork: the signal mask: %v", err)
	}
	state.Mask = mask.Val[0]
	for k, v := range st.vars {
		if n, ok := v.(int64); ok {
			state.Vars[k] = n
		}
	}
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("fork: getrlimit: %v", err)
	}
	state.Nofile = [2]uint64{lim.Cur, lim.Max}
	// The interpreter's pipe, and syscall.ForkExec's descriptors in the
	// child, go above the script's soft limit: raise it to the hard one
	// for the fork. The child sets its parent's limit again.
	if lim.Cur < lim.Max {
		raised := unix.Rlimit{Cur: lim.Max, Max: lim.Max}
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &raised); err != nil {
			return 0, fmt.Errorf("fork: setrlimit: %v", err)
		}
		defer unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
	}
	r, w, err := transcriptPipe(lim)
	if err != nil {
		return 0, fmt.Errorf("fork: the child's transcript pipe: %v (the script's RLIMIT_NOFILE leaves no room?)", err)
	}
	// The child keeps every descriptor, close-on-exec or not, as after a
	// fork: clear the flag for the exec, and the child sets it again.
	state.Cloexec = cloexecFds(r, w)
	for _, fd := range state.Cloexec {
		unix.FcntlInt(uintptr(fd), unix.F_SETFD, 0)
	}
	defer func() {
		for _, fd := range state.Cloexec {
			unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
		}
	}()
	js, err := json.Marshal(state)
	if err != nil {
		return 0, err
	}
	env := slices.DeleteFunc(os.Environ(), func(s string) bool { return strings.HasPrefix(s, childEnv+"=") })
	env = append(env, childEnv+"="+string(js))
	pid, ferr := api.ForkExec("/proc/self/exe", []string{"ipccalls", st.s.File}, env, w)
	unix.Close(w)
	if ferr != nil {
		unix.Close(r)
		return -1, ferr
	}
	ch := &child{proc: proc{pid: pid, name: name}, done: make(chan struct{})}
	go ch.read(r)
	st.children[pid] = ch
	st.order = append(st.order, pid)
	c.Bound, c.Ret = &ch.proc, name
	if c.Line.Expect == nil || c.Line.Expect.Bind == "" {
		c.Ret = "PID"
	}
	return int64(pid), nil
}

// transcriptPipe makes the pipe of a child's transcript, both ends
// close-on-exec and above the descriptors the script uses (so that the
// script's numbers are a forked C program's).
func transcriptPipe(lim unix.Rlimit) (r, w int, err error) {
	base := 1000
	if lim.Max < 1100 {
		base = int(lim.Max) / 2
	}
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return 0, 0, err
	}
	for i := range p {
		hi, err := unix.FcntlInt(uintptr(p[i]), unix.F_DUPFD_CLOEXEC, base)
		unix.Close(p[i])
		p[i] = hi
		if err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return 0, 0, err
		}
	}
	return p[0], p[1], nil
}

// cloexecFds lists the open descriptors that are close-on-exec, but for
// those of the interpreter (not the script's): r and w, and the pipes of
// the children still running. It reads /proc/self/fd with getdents, not
// os.ReadDir, whose descriptor would bring Go's poller to life.
func cloexecFds(own ...int) []int {
	d, err := unix.Open("/proc/self/fd", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer unix.Close(d)
	own = append(own, d)
	var out []int
	buf := make([]byte, 8192)
	for {
		n, err := unix.Getdents(d, buf)
		if err != nil || n <= 0 {
			break
		}
		_, _, names := unix.ParseDirent(buf[:n], -1, nil)
		for _, name := range names {
			fd, err := strconv.Atoi(name)
			if err != nil || slices.Contains(own, fd) || slices.Contains(startFds, fd) || fd >= ownFdBase {
				continue
			}
			if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && fl&unix.FD_CLOEXEC != 0 {
				out = append(out, fd)
			}
		}
	}
	slices.Sort(out)
	return out
}

// startFds are the descriptors open and close-on-exec when the
// interpreter started, before the script: the Go runtime's (it keeps the
// cgroup's CPU limit files open). A child does not get them: its own
// runtime opens its own, at the same numbers.
var startFds []int

// noteStartFds sets startFds.
func noteStartFds() { startFds = cloexecFds() }

// ownFdBase: descriptors from here up are the interpreter's (the pipes of
// children's transcripts), unless the hard RLIMIT_NOFILE is below 1100.
const ownFdBase = 1000

// read collects the child's transcript from r until its end.
func (ch *child) read(r int) {
	defer close(ch.done)
	defer unix.Close(r)
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(r, buf)
		if err == unix.EINTR {
			continue
		}
		if n <= 0 {
			return
		}
		if keep := maxChildTranscript - ch.out.Len(); keep < n {
			ch.cut += int64(n - max(keep, 0))
			n = max(keep, 0)
		}
		ch.out.Write(buf[:n])
	}
}

// wait is waitpid(pid, status, options), status being argument si: the
// child it reaps shows its transcript first, and the call returns its
// variable.
func (st *execState) wait(c *Call, api sides.Proc, pid, si, options int) (int64, error) {
	e, err := c.arg(si)
	if err != nil {
		return 0, err
	}
	if p, raw, err := pointerArg(c, si); err != nil || raw && p != nil {
		if err != nil {
			return 0, err
		}
		return st.waitBadStatus(c, pid, p, options)
	}
	if e.Kind != ExprNull && e.Kind != ExprOut {
		return 0, fmt.Errorf("%s: expected status or NULL", e.Src)
	}
	var ws int
	r, werr := api.Waitpid(pid, &ws, options)
	if werr != nil {
		return -1, werr
	}
	if r == 0 {
		return 0, nil
	}
	if e.Kind == ExprOut {
		c.Show(si, "["+waitStatus(ws)+"]")
	}
	ch := st.children[r]
	if ch == nil {
		return 0, fmt.Errorf("%s reaped pid %d, which the script did not fork", c.Line.Call, r)
	}
	if err := st.showChild(ch, c.ind); err != nil {
		return 0, err
	}
	c.Bound, c.Ret = &ch.proc, ch.name
	return int64(r), nil
}

// waitBadStatus is waitpid(pid, BADPTR, options): the kernel reaps the
// child, then cannot write its status (EFAULT), so the call fails with the
// child gone. pid must be a child's variable: the interpreter looks
// whether that child is still there (waitid with WNOWAIT, alike on both
// sides) and shows its transcript once it is gone.
func (st *execState) waitBadStatus(c *Call, pid int, status unsafe.Pointer, options int) (int64, error) {
	ch := st.children[pid]
	if ch == nil {
		return 0, fmt.Errorf("%s: waitpid with a bad status takes the variable of a child not yet reaped (the kernel reaps it before it writes the status)", c.Line.Args[0].Src)
	}
	r, werr := c.api.Raw.Waitpid(pid, status, options)
	var info unix.Siginfo
	if unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil) == unix.ECHILD {
		if err := st.showChild(ch, c.ind); err != nil {
			return 0, err
		}
	}
	if werr == nil && r == pid {
		c.Bound, c.Ret = &ch.proc, ch.name
	}
	return count(r, werr)
}

// showChild writes a reaped child's transcript, each line marked with the
// child's name, and takes in its mismatches, skipped lines and calls; a
// script error in the child is the script's.
func (st *execState) showChild(ch *child, ind string) error {
	<-ch.done
	delete(st.children, ch.pid)
	st.order = slices.DeleteFunc(st.order, func(p int) bool { return p == ch.pid })
	for l := range strings.Lines(ch.out.String()) {
		l = strings.TrimSuffix(l, "\n")
		kind, text, _ := strings.Cut(l, " ")
		switch kind {
		case "!calls":
			n, _ := strconv.Atoi(text)
			st.out.Calls += n
		case "!mismatch":
			st.out.Mismatches = append(st.out.Mismatches, text)
		case "!skipped":
			st.out.Skipped = append(st.out.Skipped, text)
		case "!error":
			return childError(text)
		default:
			fmt.Fprintf(st.w, "%s[%s] %s\n", ind, ch.name, l)
		}
	}
	if ch.cut > 0 {
		fmt.Fprintf(st.w, "%s[%s] ... %d bytes more, not kept\n", ind, ch.name, ch.cut)
	}
	return nil
}

// reapAll waits for the children the script did not wait for, in the
// order of their forks, and shows them: "$c not waited for: [{...}]".
func (st *execState) reapAll() error {
	for len(st.order) > 0 {
		ch := st.children[st.order[0]]
		var ws int
		for {
			_, err := st.api.Proc.Waitpid(ch.pid, &ws, 0)
			if err != unix.EINTR {
				break
			}
		}
		if err := st.showChild(ch, ""); err != nil {
			return err
		}
		fmt.Fprintf(st.w, "[%s] not waited for: [%s]\n", ch.name, waitStatus(ws))
	}
	return nil
}

// waitStatus shows a wait status as strace does.
func waitStatus(ws int) string {
	s := unix.WaitStatus(ws)
	switch {
	case s.Exited():
		return fmt.Sprintf("{WIFEXITED(s) && WEXITSTATUS(s) == %d}", s.ExitStatus())
	case s.Signaled():
		core := ""
		if s.CoreDump() {
			core = " && WCOREDUMP(s)"
		}
		return fmt.Sprintf("{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}", unix.SignalName(s.Signal()), core)
	case s.Stopped():
		return fmt.Sprintf("{WIFSTOPPED(s) && WSTOPSIG(s) == %s}", unix.SignalName(s.StopSignal()))
	case s.Continued():
		return "{WIFCONTINUED(s)}"
	}
	return fmt.Sprintf("%#x", ws)
}

// runChild is the interpreter as a forked child (childEnv is set): it
// runs the fork's block, writes its transcript on stdout and what its
// parent takes in ("!calls N", "!mismatch ...", "!skipped ...", "!error
// ..."), waits for its own children and exits.
func runChild(api sides.API, l *Lang, js string) {
	var state childState
	fail := func(err error) {
		fmt.Printf("!error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		os.Exit(2)
	}
	if err := json.Unmarshal([]byte(js), &state); err != nil {
		fail(fmt.Errorf("%s: %v", childEnv, err))
	}
	s, err := l.Parse(state.File, state.Text)
	if err != nil {
		fail(err)
	}
	block := findFork(s.Lines, state.Line)
	if block == nil {
		fail(fmt.Errorf("%s:%d: no fork there", state.File, state.Line))
	}
	for _, fd := range state.Cloexec {
		unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC)
	}
	// Go's runtime raised the soft limit at start; a forked child has its
	// parent's.
	unix.Setrlimit(unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: state.Nofile[0], Max: state.Nofile[1]})
	run := strings.TrimPrefix(os.Getenv("IPC_NAME"), "/")
	st := l.newExec(s, api, run, os.Stdout)
	for k, v := range state.Vars {
		st.vars[k] = v
	}
	for k, v := range state.Unbound {
		st.unbound[k] = v
	}
	st.inherited = true
	if err := st.restoreSignals(state.Signals, state.Mask); err != nil {
		fail(err)
	}
	err = st.lines(block, "")
	if err == nil {
		err = st.reapAll()
	}
	fmt.Printf("!calls %d\n", st.out.Calls)
	for _, m := range st.out.Mismatches {
		fmt.Printf("!mismatch %s\n", m)
	}
	for _, m := range st.out.Skipped {
		fmt.Printf("!skipped %s\n", m)
	}
	if err != nil {
		fail(err)
	}
	code := 0
	if st.exit != nil {
		code = *st.exit
	}
	// The interpreter's own exit: no C stdio or atexit handler of the
	// script's is there to run, on either side.
	os.Exit(code)
}

// findFork returns the block of the fork on line n.
func findFork(lines []ScriptLine, n int) []ScriptLine {
	for i := range lines {
		if lines[i].N == n && lines[i].Call == "fork" {
			return lines[i].Block
		}
		if b := findFork(lines[i].Block, n); b != nil {
			return b
		}
	}
	return nil
}
