//go:build linux

package runner

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// A traced run (Scenario.Trace) starts each process as strace -f of it:
// strace is the process that the runner starts, in the sandbox, as the
// parent of the program (ptrace works there as root and in a user
// namespace), in the process's group, so that the deadline and the end of
// the sandbox end both. strace writes to a FIFO that the runner reads, with
// OutputLimit kept as for any output; strace's output file is close-on-exec,
// so the program's descriptors are its own. TraceLimit bounds what is kept. strace exits as the program
// does (with its status, or by its signal), so the outcome is unchanged.

// StraceSyscalls are the system calls a traced run records: those of
// processes, descriptors, files, queues, shared memory and sockets. The
// others (signals, futexes, scheduling, time) are not even stopped at
// (--seccomp-bpf), which keeps a traced Go program fast. Package trace
// filters the runtime's and the loader's calls among these.
const StraceSyscalls = "clone,clone3,fork,vfork,execve,wait4,waitid,kill," +
	"pipe,pipe2,dup,dup2,dup3,close,read,write,pread64,openat,open," +
	"mknodat,mknod,unlink,unlinkat,link,linkat,ftruncate," +
	"mq_open,mq_unlink,mq_timedsend,mq_timedreceive,mq_getsetattr,mq_notify," +
	"mmap,socket,socketpair,setsockopt,getsockopt,bind,listen," +
	"accept,accept4,connect,sendto,sendmsg,recvfrom,recvmsg,shutdown,poll,ppoll," +
	"pidfd_open,pidfd_send_signal"

// StraceArgs are strace's options before the output file and the command:
// follow every child and thread, no attach or exit messages, no signals,
// strings to 64 bytes.
var StraceArgs = []string{"-f", "-qq", "-s", "64", "--seccomp-bpf", "-e", "signal=none", "-e", "trace=" + StraceSyscalls}

// TraceLimit is what the runner keeps of a process's trace, the rest
// counted (Trace.Dropped): a byte at a time, a scenario's 131071 bytes make
// some 7 MiB of strace's lines. A run's outcome as a whole is bounded too
// (sandbox.MaxResult).
const TraceLimit = 16 << 20

// A Trace is what strace wrote for one process of a run (and every process
// and thread it started).
type Trace struct {
	Role string `json:"role"`
	Text Text   `json:"text"`
	// Dropped counts what strace wrote beyond OutputLimit.
	Dropped int64 `json:"dropped,omitempty"`
}

// ErrNoStrace is Strace's error when strace is not installed.
var ErrNoStrace = errors.New("--trace needs strace, which is not installed (Debian: apt-get install strace)")

// StraceEnv, when set in the environment, is the strace to run.
const StraceEnv = "IPCPARITY_STRACE"

var straceOnce = sync.OnceValues(func() (string, error) {
	if path := os.Getenv(StraceEnv); path != "" {
		if _, err := exec.LookPath(path); err != nil {
			return "", fmt.Errorf("%s=%s: %w", StraceEnv, path, ErrNoStrace)
		}
		return filepath.Abs(path)
	}
	path, err := exec.LookPath("strace")
	if err != nil {
		if _, err := os.Stat("/usr/bin/strace"); err == nil {
			return "/usr/bin/strace", nil
		}
		return "", ErrNoStrace
	}
	return filepath.Abs(path)
})

// Strace returns the path of strace: $IPCPARITY_STRACE, else strace found
// in PATH or at /usr/bin/strace; or ErrNoStrace.
func Strace() (string, error) { return straceOnce() }

// TraceDeadlineFactor multiplies the deadline of a traced run: strace
// stops the program twice at every traced call, and a run of many small
// calls (pipe/65536: some 260,000 reads and writes in two processes) takes
// seconds traced where it takes a fraction of one untraced. A port that
// hangs still meets the deadline, later.
const TraceDeadlineFactor = 4

// traceGrace is how long the runner waits, once a process has ended, for
// its strace to finish writing: strace goes on while a process it follows
// lives, one that left the run's process groups say, until that is killed.
const traceGrace = 2 * time.Second

// traced returns the command that runs path with argv under strace, the
// output going to a FIFO that a goroutine of p reads, TraceLimit kept.
func (r *Run) traced(p *Process, path string, argv []string) (string, []string, error) {
	strace, err := Strace()
	if err != nil {
		return "", nil, err
	}
	if r.traceDir == "" {
		parent := "" // the temporary directory; in a sandbox its private /tmp
		if r.inside {
			parent = "/tmp"
		}
		if r.traceDir, err = os.MkdirTemp(parent, "ipcparity-trace-"); err != nil {
			return "", nil, err
		}
	}
	r.traceN++
	fifo := filepath.Join(r.traceDir, strconv.Itoa(r.traceN))
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		return "", nil, fmt.Errorf("trace: %w", os.NewSyscallError("mkfifo", err))
	}
	p.traceFifo, p.traceDone, p.trace.limit = fifo, make(chan struct{}), TraceLimit
	go func() {
		defer close(p.traceDone)
		f, err := os.OpenFile(fifo, os.O_RDONLY, 0) // until strace opens it, or abandonTrace
		if err != nil {
			return
		}
		p.traceMu.Lock()
		p.traceFile = f
		p.traceMu.Unlock()
		io.Copy(&p.trace, f)
		f.Close()
	}()
	cmd := append([]string{strace}, StraceArgs...)
	cmd = append(cmd, "-o", fifo, "--", path)
	return strace, append(cmd, argv[1:]...), nil
}

// tracee returns the pid of the program that strace runs, its first
// child, or strace's own while it has none yet: a readiness check then
// sees a process that is not ready, and polls again.
func (p *Process) tracee() int {
	if pid := p.traceePid.Load(); pid != 0 {
		return int(pid)
	}
	children, _ := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", p.proc.Pid, p.proc.Pid))
	if f := strings.Fields(string(children)); len(f) > 0 {
		if pid, err := strconv.Atoi(f[0]); err == nil {
			p.traceePid.Store(int64(pid))
			return pid
		}
	}
	return p.proc.Pid
}

// abandonTrace ends the reading of a trace that strace will not write (it
// did not start, or has been waited for long enough): a writer that
// opens and closes the FIFO lets the reader's open return, and the read
// end closed stops a read.
func (p *Process) abandonTrace() {
	if p.traceDone == nil {
		return
	}
	if fd, err := unix.Open(p.traceFifo, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err == nil {
		unix.Close(fd)
	}
	p.traceMu.Lock()
	if p.traceFile != nil {
		p.traceFile.Close()
	}
	p.traceMu.Unlock()
	<-p.traceDone
}

// traces returns the trace of every process of a traced run, once each
// strace has finished or traceGrace has passed.
func (r *Run) traces() []Trace {
	if !r.Scenario.Trace {
		return nil
	}
	var out []Trace
	for _, p := range r.procs {
		select {
		case <-p.traceDone:
		case <-time.After(traceGrace):
			p.abandonTrace()
		}
		// The run's directory, IPC name and token, as the leftovers have
		// them.
		text := r.Normalize(strings.ReplaceAll(p.trace.String(), r.Dir, "$DIR"))
		out = append(out, Trace{Role: p.label, Text: Text(text), Dropped: p.trace.Dropped()})
	}
	return out
}
