//go:build linux

package sandbox

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// A Job is run inside the sandbox as its init. payload comes from
// Spec.Payload; the returned bytes become Run's result.
type Job func(ctx context.Context, payload []byte) ([]byte, error)

// Spec describes one sandboxed run.
type Spec struct {
	Job     string // name of the job in the map given to Main
	Payload []byte // passed to the job on a pipe

	// Dir is the host directory that becomes the run's working directory
	// inside (RunDir), the only writable place of the host file system. It
	// must exist; the caller creates it.
	Dir string

	// Deadline bounds the whole run: at the deadline the init is killed, and
	// with it the PID namespace. 0 means no deadline (ctx still applies).
	Deadline time.Duration

	// MemoryBytes limits the address space (RLIMIT_AS) of every process
	// the job starts, and the size of each tmpfs mounted inside.
	// 0 means DefaultMemoryBytes.
	MemoryBytes uint64

	// MaxProcs limits the number of tasks (processes and threads) that the
	// processes the job starts may have together. 0 means DefaultMaxProcs.
	// As root it is the pids.max of a cgroup (v1 or v2 pids controller)
	// that those processes join; otherwise it is RLIMIT_NPROC in the
	// sandbox's user namespace, which counts every task of the sandbox, so
	// the init's threads are added to it when a process starts.
	MaxProcs int

	// Visible are host files and directories under the places the sandbox
	// covers with its own tmpfs (/tmp, /var/tmp) that must stay visible
	// there, read-only, at the same path: the programs a run starts, when
	// they live in a /tmp (a checkout there, a go test binary). Paths
	// elsewhere are visible anyway, and /tmp or /var/tmp themselves are
	// never shown.
	Visible []string

	// Init, when set, is the binary started as the init instead of this
	// one: it must call Main with the same job. A race-enabled test binary
	// starts some ten times slower than a plain build of the same code.
	Init string

	// Sysctls are written under /proc/sys inside before the job runs, keyed
	// by their path below /proc/sys, such as "fs/mqueue/msg_max". Only
	// IPC-namespaced sysctls are accepted, since others would change the host.
	Sysctls map[string]string
}

// Defaults and bounds.
const (
	DefaultMemoryBytes = 1 << 30
	DefaultMaxProcs    = 256
	MaxResult          = 64 << 20 // bytes a job's result may have
	maxStderr          = 64 << 10 // bytes of the init's own diagnostics kept
)

// Errors returned by Run.
var (
	// ErrDeadline wraps context.DeadlineExceeded: Spec.Deadline passed.
	ErrDeadline = fmt.Errorf("sandbox: deadline passed: %w", context.DeadlineExceeded)
	// ErrProcs reports that a fork inside was refused by the process limit.
	// It is detected only where the limit is a pids cgroup (Run as root);
	// under RLIMIT_NPROC the refused fork is only visible to the process
	// that attempted it.
	ErrProcs = errors.New("sandbox: process limit reached")
	// ErrMemory is reserved for a detected memory limit. RLIMIT_AS makes
	// allocations fail inside the process, which reports it as its own
	// failure, so Run does not return ErrMemory at present.
	ErrMemory = errors.New("sandbox: memory limit reached")
	// ErrResultTooBig reports a result larger than MaxResult.
	ErrResultTooBig = fmt.Errorf("sandbox: result larger than %d bytes", MaxResult)
	// ErrNotInside is returned by Start and StartProcess outside a sandbox.
	ErrNotInside = errors.New("sandbox: not inside a sandbox")
)

// Environment markers understood by Main.
const (
	initEnv   = "IPCPARITY_SANDBOX"            // value: job name; this process is an init
	execEnv   = "IPCPARITY_SANDBOX_EXEC"       // value: limits; set them and exec argv[1:]
	goraceEnv = "IPCPARITY_SANDBOX_GORACE"     // the caller's GORACE, if it had one
	procsEnv  = "IPCPARITY_SANDBOX_GOMAXPROCS" // the caller's GOMAXPROCS, if it had one
	probeJob  = "sandbox:probe"                // built-in job of Available
	initArgv0 = "ipcparity-sandbox-init"
	execArgv0 = "ipcparity-sandbox-exec"
)

// Descriptors of the init, passed by Run as ExtraFiles.
const (
	fdConfig = 3 // config header then payload, read to EOF
	fdResult = 4 // one kind byte then data
	fdCgroup = 5 // cgroup.procs of the pids cgroup, when there is one
)

// Result kinds written by the init.
const (
	kindResult = 'R'
	kindJobErr = 'J'
	kindSetup  = 'S'
	kindTooBig = 'B'
)

// config is what the init learns from Run, before the payload.
type config struct {
	Dir         string
	Deadline    time.Duration
	MemoryBytes uint64
	MaxProcs    int
	Sysctls     map[string]string
	Visible     []string
	Cgroup      bool // fdCgroup is open
}

var mainCalled atomic.Bool

var (
	availOnce sync.Once
	availErr  error
)

// Available reports nil when sandboxes can be created here, or the reason
// they cannot. It runs one empty sandbox, once, and caches the answer.
func Available() error {
	if !mainCalled.Load() {
		// Without Main the re-executed binary would run its ordinary main.
		return errors.New("sandbox: sandbox.Main was not called at the start of main or TestMain")
	}
	availOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sandbox-probe-")
		if err != nil {
			availErr = err
			return
		}
		defer os.RemoveAll(dir)
		_, err = run(context.Background(), Spec{Job: probeJob, Dir: dir, Deadline: 10 * time.Second})
		if err != nil {
			availErr = fmt.Errorf("sandbox: namespaces unavailable: %w", err)
		}
	})
	return availErr
}

// Run starts the sandbox, waits for the job's result and returns it.
//
// The error says why the sandbox could not start, carries the job's error
// text, wraps ErrDeadline when Spec.Deadline passed, or ctx.Err() when ctx
// was done first; in both cases the sandbox has been killed. When a fork was
// refused by the process limit the result is returned together with an error
// wrapping ErrProcs.
func Run(ctx context.Context, spec Spec) ([]byte, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	return run(ctx, spec)
}

func run(ctx context.Context, spec Spec) ([]byte, error) {
	start := time.Now()
	if spec.Job == "" {
		return nil, errors.New("sandbox: Spec.Job is empty")
	}
	if !filepath.IsAbs(spec.Dir) {
		return nil, fmt.Errorf("sandbox: Spec.Dir %q is not an absolute path", spec.Dir)
	}
	if fi, err := os.Stat(spec.Dir); err != nil {
		return nil, fmt.Errorf("sandbox: run directory: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("sandbox: run directory %s is not a directory", spec.Dir)
	}
	for k := range spec.Sysctls {
		if err := checkSysctl(k); err != nil {
			return nil, err
		}
	}
	cfg := config{
		Dir:         spec.Dir,
		Deadline:    spec.Deadline,
		MemoryBytes: spec.MemoryBytes,
		MaxProcs:    spec.MaxProcs,
		Sysctls:     spec.Sysctls,
		Visible:     spec.Visible,
	}
	if cfg.MemoryBytes == 0 {
		cfg.MemoryBytes = DefaultMemoryBytes
	}
	if cfg.MaxProcs <= 0 {
		cfg.MaxProcs = DefaultMaxProcs
	}

	// Kill at the deadline measured from the call, so start-up counts.
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if spec.Deadline > 0 {
		runCtx, cancel = context.WithDeadline(ctx, start.Add(spec.Deadline))
	}
	defer cancel()

	// Root is not subject to RLIMIT_NPROC, so as root the process limit is
	// a pids cgroup; otherwise a user namespace, where RLIMIT_NPROC counts
	// the tasks of the namespace's own uid.
	userns := os.Geteuid() != 0
	var cg *cgroup
	if !userns {
		var err error
		cg, err = newCgroup(cfg.MaxProcs)
		if err != nil {
			return nil, fmt.Errorf("sandbox: no process limit as root: %w", err)
		}
		defer cg.remove()
		cfg.Cgroup = true
	}

	hdr, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	cr, cw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer cw.Close()
	rr, rw, err := os.Pipe()
	if err != nil {
		cr.Close()
		return nil, err
	}
	defer rr.Close()

	stderr := &cappedBuffer{max: maxStderr}
	init := "/proc/self/exe"
	if spec.Init != "" {
		init = spec.Init
	}
	cmd := &exec.Cmd{
		Path:       init,
		Args:       []string{initArgv0 + ":" + spec.Job},
		Env:        initEnviron(spec.Job),
		Stderr:     stderr,
		ExtraFiles: []*os.File{cr, rw},
		SysProcAttr: &syscall.SysProcAttr{
			Cloneflags: unix.CLONE_NEWPID | unix.CLONE_NEWNS | unix.CLONE_NEWIPC | unix.CLONE_NEWNET,
			// The init dies with the runner, and the kernel then kills
			// the rest of the PID namespace.
			Pdeathsig: syscall.SIGKILL,
		},
	}
	if cg != nil {
		cmd.ExtraFiles = append(cmd.ExtraFiles, cg.procs)
	}
	if userns {
		cmd.SysProcAttr.Cloneflags |= unix.CLONE_NEWUSER
		cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
		cmd.SysProcAttr.GidMappingsEnableSetgroups = false
	}
	// Pdeathsig fires when the thread that forked exits, not the process,
	// and the runtime ends a thread whose locked goroutine returns: keep
	// the forking thread locked, and so alive, until the init is reaped.
	started := make(chan error)
	reaped := make(chan struct{})
	defer close(reaped)
	go func() {
		runtime.LockOSThread()
		started <- cmd.Start()
		<-reaped
		runtime.UnlockOSThread()
	}()
	err = <-started
	cr.Close()
	rw.Close()
	if cg != nil {
		cg.procs.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox: cannot start the init: %w", err)
	}

	go func() {
		// An init that died early makes this fail with EPIPE: the exit
		// status tells the story.
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(hdr)))
		_, _ = cw.Write(n[:])
		_, _ = cw.Write(hdr)
		_, _ = cw.Write(spec.Payload)
		cw.Close()
	}()

	type readResult struct {
		data []byte
		err  error
	}
	resc := make(chan readResult, 1)
	go func() {
		// The write end is held by the init alone, so EOF means it exited
		// (or closed it on purpose just before exiting).
		data, err := io.ReadAll(io.LimitReader(rr, MaxResult+2))
		resc <- readResult{data, err}
	}()

	var res readResult
	var killedBy error
	select {
	case res = <-resc:
		if len(res.data) > MaxResult+1 {
			killedBy = ErrResultTooBig
			cmd.Process.Kill()
		}
	case <-runCtx.Done():
		cmd.Process.Kill()
		if ctx.Err() != nil {
			killedBy = fmt.Errorf("sandbox: cancelled: %w", ctx.Err())
		} else {
			killedBy = fmt.Errorf("%w (%v)", ErrDeadline, spec.Deadline)
		}
		res = <-resc
	}
	waitErr := cmd.Wait()
	if killedBy != nil {
		return nil, killedBy
	}
	var procsErr error
	if cg != nil {
		if n := cg.refused(); n > 0 {
			procsErr = fmt.Errorf("%w: %d forks refused (limit %d)", ErrProcs, n, cfg.MaxProcs)
		}
	}
	if res.err != nil {
		return nil, fmt.Errorf("sandbox: reading the result: %w", res.err)
	}
	if len(res.data) == 0 {
		// No result at all: the init failed before it could say why.
		return nil, fmt.Errorf("sandbox: init %s ended without a result (%v): %s",
			spec.Job, waitErr, strings.TrimSpace(stderr.String()))
	}
	kind, data := res.data[0], res.data[1:]
	switch kind {
	case kindResult:
		if procsErr != nil {
			return data, procsErr
		}
		return data, nil
	case kindJobErr:
		return nil, errors.Join(fmt.Errorf("sandbox: job %s: %s", spec.Job, data), procsErr)
	case kindTooBig:
		return nil, ErrResultTooBig
	case kindSetup:
		if len(data) < 4 {
			break
		}
		return nil, &SetupError{Msg: string(data[4:]), Errno: unix.Errno(binary.LittleEndian.Uint32(data))}
	}
	return nil, fmt.Errorf("sandbox: init %s wrote a malformed result (%v)", spec.Job, waitErr)
}

// initEnviron returns the init's environment. A race-enabled init would
// sleep atexit_sleep_ms (1 s by default) in exit; the caller's GORACE is
// kept in goraceEnv and restored by Main for the processes the job starts.
func initEnviron(job string) []string {
	env := environWithout(os.Environ())
	gorace, had := os.LookupEnv("GORACE")
	if had {
		env = append(env, goraceEnv+"="+gorace)
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "GORACE=") })
	}
	// The init waits on its processes and their pipes: one P is enough,
	// and spares it the runtime's spinning threads (about a tenth of a
	// run's CPU time, measured paired on 2 cores). Main restores the
	// caller's GOMAXPROCS for the processes the job starts.
	if procs, had := os.LookupEnv("GOMAXPROCS"); had {
		env = append(env, procsEnv+"="+procs)
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "GOMAXPROCS=") })
	}
	return append(env, initEnv+"="+job, "GORACE="+strings.TrimSpace(gorace+" atexit_sleep_ms=0"), "GOMAXPROCS=1")
}

// A SetupError reports that the init could not set the sandbox up. Errno
// is the failing system call's error number, or 0.
type SetupError struct {
	Msg   string
	Errno unix.Errno
}

func (e *SetupError) Error() string { return "sandbox: setting up: " + e.Msg }

// Unwrap returns the Errno, if any, so that errors.Is(err, unix.EPERM)
// works across the process boundary.
func (e *SetupError) Unwrap() error {
	if e.Errno == 0 {
		return nil
	}
	return e.Errno
}

// environWithout returns env without the package's markers, so that a
// process started by a job is never mistaken for an init or a trampoline.
func environWithout(env []string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if strings.HasPrefix(kv, initEnv+"=") || strings.HasPrefix(kv, execEnv+"=") || strings.HasPrefix(kv, goraceEnv+"=") || strings.HasPrefix(kv, procsEnv+"=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// ipcSysctls are the sysctls that belong to the IPC namespace, so writing
// them inside does not change the host.
var ipcSysctls = map[string]bool{
	"fs/mqueue/msg_max":         true,
	"fs/mqueue/msgsize_max":     true,
	"fs/mqueue/msg_default":     true,
	"fs/mqueue/msgsize_default": true,
	"fs/mqueue/queues_max":      true,
	"kernel/msgmax":             true,
	"kernel/msgmnb":             true,
	"kernel/msgmni":             true,
	"kernel/msg_next_id":        true,
	"kernel/sem":                true,
	"kernel/sem_next_id":        true,
	"kernel/shmall":             true,
	"kernel/shmmax":             true,
	"kernel/shmmni":             true,
	"kernel/shm_next_id":        true,
	"kernel/shm_rmid_forced":    true,
}

func checkSysctl(key string) error {
	if !ipcSysctls[key] {
		return fmt.Errorf("sandbox: sysctl %q is not an IPC-namespaced sysctl", key)
	}
	return nil
}

// cappedBuffer keeps the first max bytes written and drops the rest.
type cappedBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (b *cappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
