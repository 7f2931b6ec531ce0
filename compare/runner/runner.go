//go:build linux

package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/runtoken"
	"github.com/ipcparity/ipcparity/internal/sandbox"
	"github.com/ipcparity/ipcparity/report"
)

// A Run is one execution of a scenario under one pairing: its own
// directory, IPC name, environment, processes and deadline.
type Run struct {
	Scenario Scenario
	Pairing  Pairing
	// Dir is the run's private working directory (mode 0700).
	Dir string
	// Token stands for $RUN in IPCName and in every object name the run
	// may create. Outside a sandbox it is unique to the run among all runs
	// on the machine; inside, runs cannot meet, and it is a constant.
	Token string
	// IPCName is the value given to IPC_NAME ("" when unset).
	IPCName string

	inside   bool // the run is carried out by the init of its sandbox
	procs    []*Process
	procsMu  sync.Mutex // held to add to procs, and by the idle watch to read it
	escapees int        // processes killed for leaving the run's groups (inside)
	notReady []string   // waits for readiness that the deadline ended (Outcome.NotReady)
	traceDir string     // where strace's FIFOs are, when traced (trace.go)
	traceN   int        // FIFOs made there
}

// Process is one started process of a run, as a Ready condition sees it.
type Process struct {
	label  string
	form   Form
	proc   *os.Process
	pgid   int
	stdout lockedBuffer
	stderr lockedBuffer
	report lockedBuffer
	// trace is what strace wrote, when the scenario is traced (trace.go).
	trace     lockedBuffer
	traceFifo string
	traceDone chan struct{} // closed once the trace is read
	traceMu   sync.Mutex
	traceFile *os.File
	traceePid atomic.Int64 // the program strace runs, once seen
	// readers counts the capture goroutines still reading.
	readers sync.WaitGroup
	// wrote has a value once the process has written output that a
	// readiness check has not seen yet: poll looks again at once.
	wrote   chan struct{}
	done    chan struct{} // closed once the process has been waited for
	state   *os.ProcessState
	timeout bool
	// readEnds are the pipes the capture goroutines read.
	readEnds []*os.File
	// leaked is set when a process of its group outlived it.
	leaked bool
}

// OutputLimit is what the runner keeps of each stream a process writes;
// the rest is read and counted (Proc.StdoutDropped, StderrDropped), so
// that a port that floods its output neither blocks nor fills the
// runner's memory.
const OutputLimit = 1 << 20

// lockedBuffer is a bytes.Buffer that a capture goroutine fills while the
// runner reads it, up to OutputLimit bytes.
type lockedBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	dropped int64
	limit   int // 0: OutputLimit
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	limit := OutputLimit
	if b.limit > 0 {
		limit = b.limit
	}
	keep := min(len(p), limit-b.buf.Len())
	b.buf.Write(p[:keep])
	b.dropped += int64(len(p) - keep)
	return len(p), nil
}

// Dropped is the number of bytes written beyond OutputLimit.
func (b *lockedBuffer) Dropped() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var (
	umaskMu     sync.Mutex
	subreaperMu sync.Once
)

// TokenPrefix starts every run's token and directory; the pid in it lets a
// later run sweep what a killed ipcparity left (see Sweep).
const TokenPrefix = "ipcp"

// Execute runs the scenario under the pairing and returns its outcome. The
// error is for the runner's own failures (a binary missing, no temporary
// directory), never for the programs' behaviour, which is the outcome.
// Each run is sandboxed (see Main and Sandboxed) where namespaces can be
// made.
func Execute(ctx context.Context, sc Scenario, pairing Pairing) (Outcome, error) {
	if Sandboxed() == nil {
		return executeSandboxed(ctx, sc, pairing)
	}
	if len(sc.Sysctls) > 0 {
		return Outcome{}, fmt.Errorf("%s/%s: sets sysctls, which only a sandboxed run can: %w", sc.Mechanism, sc.Name, Sandboxed())
	}
	return execute(ctx, sc, pairing, false)
}

// deadlineOf is the deadline of the scenario's run.
func deadlineOf(sc Scenario) time.Duration {
	d := sc.Deadline
	if d == 0 {
		d = DefaultDeadline
	}
	if sc.Trace {
		d *= TraceDeadlineFactor
	}
	return d
}

// execute carries the run out in this process: the init of a sandbox
// (inside), or the runner itself when runs cannot be sandboxed.
func execute(ctx context.Context, sc Scenario, pairing Pairing, inside bool) (Outcome, error) {
	r := &Run{Scenario: sc, Pairing: pairing, inside: inside}
	if inside {
		r.Dir, r.Token = sandbox.RunDir(), InsideToken
	} else {
		subreaperMu.Do(func() {
			// Orphans of a run (a child whose parent died) come back to
			// the runner, which reaps them by process group instead of
			// leaving zombies to an init that may not reap.
			unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
		})
		r.Token = runtoken.New(TokenPrefix)
		dir, err := os.MkdirTemp("", r.Token+"-")
		if err != nil {
			return Outcome{}, err
		}
		r.Dir = dir
	}
	defer r.cleanup()
	if sc.IPCName != "" {
		r.IPCName = strings.ReplaceAll(sc.IPCName, "$RUN", r.Token)
		// A queue cannot be found by listing a directory: note its name
		// for Sweep, should this process be killed before cleanup.
		if !inside && strings.HasPrefix(r.IPCName, "/") {
			runtoken.Remember(r.Token, r.IPCName)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, deadlineOf(sc))
	defer cancel()
	if sc.IdleAfter > 0 {
		var stop func()
		ctx, stop = r.watchIdle(ctx, sc.IdleAfter)
		defer stop()
	}

	if sc.Setup != nil {
		if err := sc.Setup(r); err != nil {
			return Outcome{}, fmt.Errorf("%s/%s: setup: %w", sc.Mechanism, sc.Name, err)
		}
	}
	stepErr := r.steps(ctx)
	failed := stepErr != nil && ctx.Err() == nil
	if failed {
		// A step could not start, so the run has no outcome: the
		// processes already started are killed now rather than waited
		// for until the deadline, which would then hide the error.
		cancel()
	}
	if stepErr == nil && sc.EndAfterSteps {
		// The steps saw the wait that lasts until the deadline: the
		// deadline is now.
		cancel()
	}
	// Whatever happened, every process ends: by itself before the
	// deadline, or killed with its process group at the deadline.
	for _, p := range r.procs {
		r.awaitOrKill(ctx, p)
	}
	if failed {
		return Outcome{}, stepErr
	}
	out := Outcome{Leftovers: r.leftovers(), NotReady: r.notReady}
	for _, p := range r.procs {
		out.Procs = append(out.Procs, p.outcome())
	}
	out.Traces = r.traces()
	return out, nil
}

// steps carries out the scenario's steps in order.
func (r *Run) steps(ctx context.Context) error {
	for _, st := range r.Scenario.Steps {
		switch {
		case st.Signal != "":
			p := r.find(st.Target)
			if p == nil {
				return fmt.Errorf("step signals %q, which has not started", st.Target)
			}
			sig := unix.SignalNum(st.Signal)
			if sig == 0 {
				return fmt.Errorf("unknown signal %q", st.Signal)
			}
			if st.EveryThread {
				signalThreads(p.pgid, sig)
				continue
			}
			unix.Kill(-p.pgid, sig)
		case st.Await:
			p := r.find(st.Target)
			if p == nil {
				return fmt.Errorf("step awaits %q, which has not started", st.Target)
			}
			if st.Ready.Check != nil {
				if err := r.poll(ctx, p, st.Ready); err != nil {
					return r.notReadyAt(ctx, p, st.Ready, err)
				}
				continue
			}
			select {
			case <-p.done:
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			p, err := r.start(st)
			if err != nil {
				return err
			}
			if !st.Background {
				select {
				case <-p.done:
				case <-ctx.Done():
					return ctx.Err()
				}
				continue
			}
			if st.Ready.Check != nil {
				if err := r.poll(ctx, p, st.Ready); err != nil {
					return r.notReadyAt(ctx, p, st.Ready, err)
				}
			}
		}
	}
	return nil
}

// notReadyAt returns err, the end of a wait for p to become ready; when
// that end is the run's deadline, it is noted in the outcome (NotReady).
func (r *Run) notReadyAt(ctx context.Context, p *Process, ready Ready, err error) error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		r.notReady = append(r.notReady, p.label+": "+ready.What)
	}
	return err
}

func (r *Run) find(label string) *Process {
	for _, p := range r.procs {
		if p.label == label {
			return p
		}
	}
	return nil
}

// poll waits until ready holds, the process ends without it, or the
// deadline passes. It polls at growing intervals, and waiting for a ready
// line (ReadyLine) at once when the process writes: readiness is
// observed, never assumed after a sleep. (Other checks are not run on
// every write: a process that writes on and on would run them for each.)
func (r *Run) poll(ctx context.Context, p *Process, ready Ready) error {
	wait := pollFirst
	var wrote chan struct{} // nil: never ready to receive
	if ready.kind == readyKindLine {
		wrote = p.wrote
	}
	for {
		ok, err := ready.Check(r, p)
		if err != nil {
			return fmt.Errorf("%s: checking %s: %w", p.label, ready.What, err)
		}
		if ok {
			return nil
		}
		select {
		case <-p.done:
			// Ended without becoming ready: a last look, then go on; the
			// outcome shows what it did.
			ready.Check(r, p)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-wrote:
			continue
		case <-time.After(wait):
		}
		if wait < 10*time.Millisecond {
			wait *= 2
		}
	}
}

// pollFirst is poll's first interval; it doubles up to 10 ms.
var pollFirst = 200 * time.Microsecond

// env is the explicit environment of every process of the run.
func (r *Run) env(extra []string) []string {
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + r.Dir,
		"TMPDIR=" + r.Dir,
		"LANG=C",
		"LC_ALL=C",
		"IPCPARITY_REPORT_FD=3",
	}
	if r.IPCName != "" {
		env = append(env, "IPC_NAME="+r.IPCName)
	}
	return append(env, extra...)
}

// start starts the process of a step in its own process group.
func (r *Run) start(st Step) (*Process, error) {
	form := r.Pairing.FormFor(r.Scenario.Roles, st.Program)
	argv, err := form.Command(st.Program)
	if err != nil {
		return nil, err
	}
	for _, a := range st.Args {
		argv = append(argv, strings.ReplaceAll(a, "$RUN", r.Token))
	}
	if st.AsOtherUser {
		if argv, err = asOtherUser(argv); err != nil {
			return nil, fmt.Errorf("start %s (%s): %w", st.Role(), form.Name, err)
		}
	}
	path := argv[0]
	if !strings.Contains(path, "/") {
		if path, err = lookPath(path); err != nil {
			return nil, err
		}
	}
	p := &Process{label: st.Role(), form: form, done: make(chan struct{}), wrote: make(chan struct{}, 1)}
	if r.Scenario.Trace {
		if path, argv, err = r.traced(p, path, argv); err != nil {
			return nil, err
		}
	}

	var closeAfter []*os.File
	defer func() {
		for _, f := range closeAfter {
			f.Close()
		}
	}()
	stdin, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	closeAfter = append(closeAfter, stdin)
	if st.Stdin != nil {
		rd, wr, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		closeAfter = append(closeAfter, rd)
		stdin = rd
		go func() { wr.Write(st.Stdin); wr.Close() }()
	}
	var stdout *os.File
	switch st.Stdout {
	case StdoutCaptured:
		rd, wr, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		closeAfter = append(closeAfter, wr)
		stdout = wr
		p.capture(rd, &p.stdout)
	case StdoutBroken:
		rd, wr, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		rd.Close()
		closeAfter = append(closeAfter, wr)
		stdout = wr
	case StdoutClosed:
		stdout = nil // os.StartProcess closes descriptor 1 in the child
	}
	erd, ewr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	closeAfter = append(closeAfter, ewr)
	// stderr is opened read-write, as a terminal is: glibc's perror
	// writes through fdopen(dup(2), "w+"), which fails with EINVAL on a
	// write-only descriptor and leaves errno EINVAL behind it, so a C
	// program would otherwise report perror's errno instead of the
	// failing call's.
	if rw, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", ewr.Fd()), os.O_RDWR, 0); err == nil {
		closeAfter = append(closeAfter, rw)
		ewr = rw
	}
	p.capture(erd, &p.stderr)
	rrd, rwr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	closeAfter = append(closeAfter, rwr)
	p.capture(rrd, &p.report)

	attr := &os.ProcAttr{
		Dir:   r.Dir,
		Env:   r.env(st.Env),
		Files: []*os.File{stdin, stdout, ewr, rwr},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	}
	start := sandbox.StartProcess // with the run's limits; see package sandbox
	if !r.inside {
		// Pdeathsig: should the runner itself be killed, its processes
		// die with it instead of waiting forever on a peer. (In a
		// sandbox the end of the PID namespace kills them all.)
		attr.Sys.Pdeathsig = syscall.SIGKILL
		start = os.StartProcess
	}
	umask := 0o022
	if r.Scenario.Umask != nil {
		umask = *r.Scenario.Umask
	}
	// The umask is the runner's own, inherited across fork and exec: hold
	// it for this process alone.
	umaskMu.Lock()
	old := unix.Umask(umask)
	proc, err := start(path, argv, attr)
	unix.Umask(old)
	umaskMu.Unlock()
	if err != nil {
		for _, f := range closeAfter {
			f.Close()
		}
		closeAfter = nil
		p.abandonTrace()
		p.readers.Wait()
		for _, f := range p.readEnds {
			f.Close()
		}
		return nil, fmt.Errorf("start %s (%s): %w", st.Role(), form.Name, err)
	}
	p.proc, p.pgid = proc, proc.Pid
	r.procsMu.Lock()
	r.procs = append(r.procs, p)
	r.procsMu.Unlock()
	go func() {
		p.state, _ = proc.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid is the process's id.
func (p *Process) Pid() int {
	if p.traceDone != nil {
		return p.tracee() // the program, not its strace (trace.go)
	}
	return p.proc.Pid
}

// Label is the process's name in the outcome ("server", "client 2").
func (p *Process) Label() string { return p.label }

// Stdout is what the process has written to its captured stdout so far.
func (p *Process) Stdout() string { return p.stdout.String() }

func (p *Process) capture(rd *os.File, into *lockedBuffer) {
	p.readEnds = append(p.readEnds, rd)
	p.readers.Add(1)
	go func() {
		defer p.readers.Done()
		io.Copy(notifying{into, p.wrote}, rd)
	}()
}

// notifying is a Writer that signals each write on a channel, without
// waiting when a signal is pending already.
type notifying struct {
	io.Writer
	c chan struct{}
}

func (w notifying) Write(b []byte) (int, error) {
	n, err := w.Writer.Write(b)
	select {
	case w.c <- struct{}{}:
	default:
	}
	return n, err
}

// awaitOrKill waits for the process until the deadline, then kills its
// whole process group. A group member that outlives the process is a leak:
// it is noted and killed. Last, it waits until the capture goroutines have
// read everything.
func (r *Run) awaitOrKill(ctx context.Context, p *Process) {
	select {
	case <-p.done:
	case <-ctx.Done():
		unix.Kill(-p.pgid, unix.SIGKILL)
		<-p.done
		// Killed at the deadline, not ended by itself just before it.
		ws, _ := p.state.Sys().(syscall.WaitStatus)
		p.timeout = ws.Signaled() && ws.Signal() == unix.SIGKILL
	}
	if groupLingers(p.pgid) {
		p.leaked = true
		unix.Kill(-p.pgid, unix.SIGKILL)
		reapGroup(p.pgid, true)
	}
	captured := make(chan struct{})
	go func() { p.readers.Wait(); close(captured) }()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-captured:
			return
		case <-tick.C:
			// Inside a sandbox every process is the run's: one in none of
			// its process groups left it with setsid and may hold stdout
			// or stderr open. It is noted and killed, so the run does not
			// wait for it until the deadline.
			if r.inside {
				r.killEscaped()
			}
			continue
		case <-ctx.Done():
		}
		// Someone outside the group still holds stdout or stderr open:
		// stop reading.
		for _, f := range p.readEnds {
			f.Close()
		}
		<-captured
		return
	}
}

// killEscaped kills, inside a sandbox, the processes that are in none of
// the run's process groups (they left with setsid) and notes them.
func (r *Run) killEscaped() {
	for _, pid := range r.escaped() {
		if unix.Kill(pid, unix.SIGKILL) == nil {
			r.escapees++
		}
	}
}

// escaped lists, inside a sandbox, the processes other than the init that
// are in none of the run's process groups.
func (r *Run) escaped() []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		pgid, err := unix.Getpgid(pid)
		if err != nil {
			continue
		}
		if !slices.ContainsFunc(r.procs, func(p *Process) bool { return p.pgid == pgid }) && !isZombie(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// isZombie reports whether pid has ended and waits to be reaped.
func isZombie(pid int) bool {
	return TaskState("/proc/"+strconv.Itoa(pid)+"/stat") == 'Z'
}

// groupLingers reports whether the process group still has a member that
// is not merely finishing its exit: a child that dies just after its parent
// (both killed by one SIGPIPE) needs a moment to be reparented and reaped.
func groupLingers(pgid int) bool {
	for wait := 100 * time.Microsecond; wait < 200*time.Millisecond; wait *= 2 {
		reapGroup(pgid, false)
		if unix.Kill(-pgid, 0) != nil {
			return false
		}
		time.Sleep(wait)
	}
	return true
}

// reapGroup collects the orphans of a group that came back to the runner
// as their subreaper; with block it waits until none is left.
func reapGroup(pgid int, block bool) {
	opts := unix.WEXITED
	if !block {
		opts |= unix.WNOHANG
	}
	for {
		var info unix.Siginfo
		if err := unix.Waitid(unix.P_PGID, pgid, &info, opts, nil); err != nil {
			return
		}
		if !block && siginfoPid(&info) == 0 {
			return
		}
	}
}

// outcome turns what the runner saw into the process's outcome.
func (p *Process) outcome() Proc {
	o := Proc{Role: p.label, Stdout: Text(p.stdout.String()), Stderr: Text(p.stderr.String()), Exit: -1, Timeout: p.timeout,
		StdoutDropped: p.stdout.Dropped(), StderrDropped: p.stderr.Dropped()}
	if !p.timeout && p.state != nil {
		ws := p.state.Sys().(syscall.WaitStatus)
		switch {
		case ws.Exited():
			o.Exit = ws.ExitStatus()
		case ws.Signaled():
			o.Signal = unix.SignalName(ws.Signal())
		}
	}
	if p.form.ReportsErrno {
		o.Errno = parseReport(p.report.String())
	}
	return o
}

// parseReport names the errno of a side channel's report, "" for none.
func parseReport(s string) string {
	if e := ParseErrno(s); e != 0 {
		return report.ErrnoName(e)
	}
	return ""
}

// ParseErrno reads the last {"errno":N} line of a side channel; 0 when
// there is none.
func ParseErrno(s string) unix.Errno {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	var r struct {
		Errno int `json:"errno"`
	}
	if len(lines) == 0 || json.Unmarshal([]byte(lines[len(lines)-1]), &r) != nil {
		return 0
	}
	return unix.Errno(r.Errno)
}

// leftovers lists what the run left, in the notation of Outcome.Leftovers.
func (r *Run) leftovers() []string {
	var left []string
	for _, p := range r.procs {
		if p.leaked {
			left = append(left, "process (left by "+p.label+")")
		}
	}
	if r.inside {
		r.killEscaped()
		if r.escapees > 0 {
			left = append(left, "process (left its process group)")
		}
	}
	entries, _ := os.ReadDir(r.Dir)
	for _, e := range entries {
		left = append(left, describeLeftover(fileKind(e.Type()), r.Normalize(e.Name()), filepath.Join(r.Dir, e.Name())))
	}
	left = append(left, r.shmLeftovers()...)
	if r.inside {
		// The sandbox's own queue file system lists every queue, whatever
		// its name.
		queues, _ := os.ReadDir(sandbox.MqueueDir())
		for _, e := range queues {
			left = append(left, DescribeQueue("/"+e.Name(), r.Normalize("/"+e.Name()))...)
		}
	}
	for _, pr := range r.Scenario.Probes {
		left = append(left, pr.Find(r)...)
	}
	sort.Strings(left)
	// A probe may see what a listing saw already.
	left = slices.Compact(left)
	if left == nil {
		left = []string{}
	}
	return left
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "fifo"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeSymlink != 0:
		return "symlink"
	case m.IsDir():
		return "dir"
	}
	return "file"
}

// shmLeftovers lists the entries of /dev/shm that carry the run's token,
// or all of them in a sandbox's private /dev/shm: shared-memory objects
// and named semaphores ("sem." prefix).
func (r *Run) shmLeftovers() []string {
	var left []string
	entries, _ := os.ReadDir("/dev/shm")
	for _, e := range entries {
		name := e.Name()
		if !r.inside && !strings.Contains(name, r.Token) {
			continue
		}
		kind, file := "shm", name
		if strings.HasPrefix(name, "sem.") {
			kind, name = "sem", strings.TrimPrefix(name, "sem.")
		}
		left = append(left, describeLeftover(kind, r.Normalize("/"+name), "/dev/shm/"+file))
	}
	return left
}

// normalize writes the run's IPC name as $IPC_NAME, and its token as $RUN,
// so that outcomes of different runs compare.
func (r *Run) Normalize(s string) string {
	if r.IPCName != "" {
		s = strings.ReplaceAll(s, r.IPCName, "$IPC_NAME")
		if trimmed := strings.TrimLeft(r.IPCName, "/"); trimmed != "" {
			s = strings.ReplaceAll(s, "/"+trimmed, "$IPC_NAME")
		}
	}
	return strings.ReplaceAll(s, r.Token, "$RUN")
}

// cleanup removes everything the run may have created.
func (r *Run) cleanup() {
	for _, p := range r.procs {
		unix.Kill(-p.pgid, unix.SIGKILL)
		reapGroup(p.pgid, false)
		for _, f := range p.readEnds {
			f.Close()
		}
	}
	for _, pr := range r.Scenario.Probes {
		if pr.Clean != nil {
			pr.Clean(r)
		}
	}
	if r.inside {
		// The namespaces end with the init; the runner removes the
		// directory.
		return
	}
	runtoken.RemoveShm(r.Token)
	os.RemoveAll(r.Dir)
	if r.traceDir != "" {
		os.RemoveAll(r.traceDir)
	}
	runtoken.Forget(r.Token)
}

// Sweep removes what runs of an ipcparity that has since died (killed
// before it could clean up) left in /dev/shm and in the temporary
// directory. Live runs are left alone.
//
// sweepers are the mechanisms' own sweeps for objects outside the file
// system (message queues); each gets the test for a dead run's name.
func Sweep(sweepers ...func(dead func(name string) bool)) {
	runtoken.Sweep(TokenPrefix, mqUnlink)
	dead := func(name string) bool { return runtoken.Dead(TokenPrefix, name) }
	for _, f := range sweepers {
		f(dead)
	}
}

func lookPath(file string) (string, error) {
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		path := filepath.Join(dir, file)
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s: %w", file, errors.New("not found in PATH"))
}

// mqUnlink removes the queue name ("/q") with the system call itself: the
// runner does not use the code it judges.
func mqUnlink(name string) {
	if p, err := unix.BytePtrFromString(strings.TrimPrefix(name, "/")); err == nil {
		unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0)
	}
}
