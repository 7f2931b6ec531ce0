//go:build linux

package sandbox

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Paths inside the sandbox.
const (
	tmpDir    = "/tmp"
	runDir    = "/tmp/run"
	mqueueDir = "/dev/mqueue"
	shmDir    = "/dev/shm"
)

// RunDir returns the working directory of the run as the job sees it: the
// host's Spec.Dir, bind-mounted writable.
func RunDir() string { return runDir }

// MqueueDir returns where the sandbox's private mqueue file system is
// mounted, in the sandbox's own /dev.
func MqueueDir() string { return mqueueDir }

// ShmDir returns the sandbox's private /dev/shm.
func ShmDir() string { return shmDir }

// Main must be called first thing in main and in TestMain of any binary
// that calls Run. In a process started by Run as a sandbox init, Main sets
// the sandbox up, runs jobs[name], writes its result to the parent and
// exits; in a trampoline started by Start it sets the limits and executes
// the program. Otherwise it returns at once. An unknown job name makes the
// init exit with status 2 and a message.
func Main(jobs map[string]Job) {
	mainCalled.Store(true)
	if v, ok := os.LookupEnv(execEnv); ok {
		trampoline(v)
	}
	name, ok := os.LookupEnv(initEnv)
	if !ok {
		return
	}
	// The processes the init starts get its signal mask and ignored
	// signals: it starts again without those it inherited.
	cleanErr := StartClean(true)
	os.Unsetenv(initEnv)
	if g, ok := os.LookupEnv(goraceEnv); ok {
		os.Setenv("GORACE", g)
		os.Unsetenv(goraceEnv)
	} else {
		os.Unsetenv("GORACE")
	}
	if g, ok := os.LookupEnv(procsEnv); ok {
		os.Setenv("GOMAXPROCS", g)
		os.Unsetenv(procsEnv)
	} else {
		os.Unsetenv("GOMAXPROCS")
	}
	job := jobs[name]
	if name == probeJob {
		job = func(context.Context, []byte) ([]byte, error) { return nil, nil }
	}
	if job == nil {
		fmt.Fprintf(os.Stderr, "sandbox: unknown job %q\n", name)
		os.Exit(2)
	}
	os.Exit(initMain(job, cleanErr))
}

// The init's state, used by Start and StartProcess.
var inside struct {
	ok  bool
	cfg config
	// mu is held while the job starts a process and while the reaper
	// reaps, so the reaper never takes the status of a process that the
	// job is about to register.
	mu   sync.Mutex
	mine map[int]bool // pids started by the job: the reaper leaves them
	cg   *os.File     // cgroup.procs, or nil
	// direct is set when the init carries the limits itself, so that the
	// processes it starts inherit them without a trampoline's exec.
	direct bool
}

// minDirectMemory is the least RLIMIT_AS under which the init itself runs:
// the Go runtime reserves address space as its heap grows.
const minDirectMemory = 2 << 30

// limitSelf puts the init itself under the run's limits, when it can run
// under them (not a race-enabled binary): its processes inherit them, and
// each start saves the trampoline's exec. The init's own threads count
// toward the process limit; it has few.
func limitSelf(cfg config, cg *os.File) error {
	if raceBuild {
		return errors.New("a race-enabled init cannot run under RLIMIT_AS")
	}
	if cfg.MemoryBytes < minDirectMemory {
		return errors.New("too little address space for the init's own Go runtime")
	}
	if cg != nil {
		if _, err := cg.Write([]byte("0")); err != nil {
			return fmt.Errorf("joining the pids cgroup: %w", err)
		}
	} else if cfg.MaxProcs > 0 {
		n := uint64(cfg.MaxProcs + countTasks(1))
		if err := unix.Prlimit(0, unix.RLIMIT_NPROC, &unix.Rlimit{Cur: n, Max: n}, nil); err != nil {
			return fmt.Errorf("RLIMIT_NPROC: %w", err)
		}
	}
	if cfg.MemoryBytes > 0 {
		if err := unix.Prlimit(0, unix.RLIMIT_AS, &unix.Rlimit{Cur: cfg.MemoryBytes, Max: cfg.MemoryBytes}, nil); err != nil {
			return fmt.Errorf("RLIMIT_AS: %w", err)
		}
	}
	return nil
}

func initMain(job Job, cleanErr error) int {
	out := os.NewFile(fdResult, "result")
	unix.CloseOnExec(fdResult)
	unix.CloseOnExec(fdConfig)
	unix.CloseOnExec(fdCgroup)
	reply := func(kind byte, data []byte, more ...byte) int {
		if _, err := out.Write(append(append([]byte{kind}, data...), more...)); err != nil {
			fmt.Fprintf(os.Stderr, "sandbox: writing the result: %v\n", err)
			return 1
		}
		return 0
	}

	// Descriptors the runner inherited (make's jobserver, a CI agent's, a
	// host file) reach the init too, since the Go runtime closes none it
	// did not open: the programs must not get them.
	if err := unix.CloseRange(fdCgroup+1, ^uint(0), unix.CLOSE_RANGE_CLOEXEC); err != nil {
		var errno unix.Errno
		errors.As(err, &errno)
		return reply(kindSetup, binary.LittleEndian.AppendUint32(nil, uint32(errno)), []byte("marking inherited descriptors close-on-exec: "+err.Error())...)
	}
	cfg, payload, err := readConfig(os.NewFile(fdConfig, "config"))
	if err == nil {
		err = cleanErr
	}
	if err != nil {
		return reply(kindSetup, []byte{0, 0, 0, 0}, []byte(err.Error())...)
	}
	if err := setup(&cfg); err != nil {
		// The errno crosses the pipe, so that errors.Is works in Run.
		var errno unix.Errno
		errors.As(err, &errno)
		return reply(kindSetup, binary.LittleEndian.AppendUint32(nil, uint32(errno)), []byte(err.Error())...)
	}
	inside.ok = true
	inside.cfg = cfg
	inside.mine = make(map[int]bool)
	if cfg.Cgroup {
		inside.cg = os.NewFile(fdCgroup, "cgroup.procs")
	}
	inside.direct = limitSelf(cfg, inside.cg) == nil
	go reaper()

	ctx := context.Background()
	if cfg.Deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Deadline)
		defer cancel()
	}
	res, err := job(ctx, payload)
	if err != nil {
		return reply(kindJobErr, []byte(err.Error()))
	}
	if len(res) > MaxResult {
		return reply(kindTooBig, nil)
	}
	return reply(kindResult, res)
}

func readConfig(f *os.File) (config, []byte, error) {
	defer f.Close()
	var cfg config
	var n [4]byte
	if _, err := io.ReadFull(f, n[:]); err != nil {
		return cfg, nil, fmt.Errorf("reading the config: %w", err)
	}
	hdr := make([]byte, binary.LittleEndian.Uint32(n[:]))
	if _, err := io.ReadFull(f, hdr); err != nil {
		return cfg, nil, fmt.Errorf("reading the config: %w", err)
	}
	if err := json.Unmarshal(hdr, &cfg); err != nil {
		return cfg, nil, fmt.Errorf("decoding the config: %w", err)
	}
	payload, err := io.ReadAll(f)
	if err != nil {
		return cfg, nil, fmt.Errorf("reading the payload: %w", err)
	}
	return cfg, payload, nil
}

// devices are the host device nodes bound into the sandbox's own /dev. The
// rest of the host's /dev (disks above all, which a read-only mount does
// not protect from a root writer) stays out of reach.
var devices = []string{"null", "zero", "full", "random", "urandom", "tty"}

// setup makes the namespaces the init was born in into a sandbox. The
// order matters: the run directory and the devices are opened before /tmp
// and /dev are covered, and /proc/sys is written before the tree becomes
// read-only.
func setup(cfg *config) error {
	dirfd, err := unix.Open(cfg.Dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("opening the run directory %s: %w", cfg.Dir, err)
	}
	defer unix.Close(dirfd)

	// Nothing mounted here may propagate back to the host.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making / private: %w", err)
	}
	// A proc of the new PID namespace, so that /proc lists the sandbox.
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mounting /proc: %w", err)
	}
	for k, v := range cfg.Sysctls {
		if err := checkSysctl(k); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join("/proc/sys", k), []byte(v), 0); err != nil {
			return fmt.Errorf("sysctl %s=%s: %w", k, v, err)
		}
	}
	if err := loopbackUp(); err != nil {
		return err
	}
	// What must stay visible under /tmp and /var/tmp, opened before the
	// tmpfs covers it.
	visible := make(map[string]int)
	for _, p := range cfg.Visible {
		p = filepath.Clean(p)
		if !covered(p) {
			continue
		}
		fd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("opening %s to keep it visible: %w", p, err)
		}
		defer unix.Close(fd)
		visible[p] = fd
	}
	devfds := make(map[string]int)
	for _, d := range devices {
		fd, err := unix.Open("/dev/"+d, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			continue // a host without it gives a sandbox without it
		}
		defer unix.Close(fd)
		devfds[d] = fd
	}

	// Everything the sandbox inherited becomes read-only; what is mounted
	// afterwards is the sandbox's own.
	if err := unix.MountSetattr(unix.AT_FDCWD, "/", unix.AT_RECURSIVE,
		&unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}); err != nil {
		return fmt.Errorf("mount_setattr / read-only: %w", err)
	}
	mount := func(fstype, dir, opts string, flags uintptr) error {
		if err := unix.Mount(fstype, dir, fstype, flags|unix.MS_NOSUID, opts); err != nil {
			return fmt.Errorf("mounting %s on %s: %w", fstype, dir, err)
		}
		return nil
	}
	tmpfsOpts := fmt.Sprintf("mode=1777,size=%d", cfg.MemoryBytes)
	if err := mount("tmpfs", tmpDir, tmpfsOpts, unix.MS_NODEV); err != nil {
		return err
	}
	if isDir("/var/tmp") {
		if err := mount("tmpfs", "/var/tmp", tmpfsOpts, unix.MS_NODEV); err != nil {
			return err
		}
	}
	for p, fd := range visible {
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if st.Mode&unix.S_IFMT == unix.S_IFDIR {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		} else if f, err := os.OpenFile(p, os.O_CREATE, 0o644); err == nil {
			f.Close()
		} else {
			return err
		}
		// The bind keeps the read-only attribute of the host's mount.
		if err := unix.Mount("/proc/self/fd/"+strconv.Itoa(fd), p, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("binding %s to keep it visible: %w", p, err)
		}
		if err := unix.MountSetattr(unix.AT_FDCWD, p, unix.AT_RECURSIVE,
			&unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}); err != nil {
			return fmt.Errorf("mount_setattr %s read-only: %w", p, err)
		}
	}
	if err := mount("tmpfs", "/dev", "mode=0755,size=1m", 0); err != nil {
		return err
	}
	for d, fd := range devfds {
		name := "/dev/" + d
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL, 0o666)
		if err != nil {
			return err
		}
		f.Close()
		if err := unix.Mount("/proc/self/fd/"+strconv.Itoa(fd), name, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding %s: %w", name, err)
		}
	}
	for name, target := range map[string]string{
		"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2",
	} {
		if err := os.Symlink(target, "/dev/"+name); err != nil {
			return err
		}
	}
	for _, dir := range []string{shmDir, mqueueDir} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
	}
	if err := mount("tmpfs", shmDir, tmpfsOpts, unix.MS_NODEV); err != nil {
		return err
	}
	// The mqueue file system shows the IPC namespace of whoever mounts it:
	// this one.
	if err := mount("mqueue", mqueueDir, "", unix.MS_NODEV|unix.MS_NOEXEC); err != nil {
		return err
	}
	if err := unix.MountSetattr(unix.AT_FDCWD, "/dev", 0,
		&unix.MountAttr{Attr_set: unix.MOUNT_ATTR_RDONLY}); err != nil {
		return fmt.Errorf("mount_setattr /dev read-only: %w", err)
	}

	if err := os.Mkdir(runDir, 0o755); err != nil {
		return err
	}
	// The bind copies the read-only attribute of the mount it comes from,
	// so it is cleared on the new mount alone.
	if err := unix.Mount("/proc/self/fd/"+strconv.Itoa(dirfd), runDir, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("binding %s on %s: %w", cfg.Dir, runDir, err)
	}
	if err := unix.MountSetattr(unix.AT_FDCWD, runDir, 0,
		&unix.MountAttr{Attr_clr: unix.MOUNT_ATTR_RDONLY}); err != nil {
		return fmt.Errorf("mount_setattr %s writable: %w", runDir, err)
	}
	if err := os.Chdir(runDir); err != nil {
		return err
	}
	os.Setenv("PWD", runDir)
	return nil
}

// covered reports whether p lies below a place that the sandbox covers
// with a tmpfs of its own (not the place itself, which is never shown).
func covered(p string) bool {
	for _, dir := range []string{tmpDir, "/var/tmp"} {
		if strings.HasPrefix(p, dir+"/") && p != runDir && !strings.HasPrefix(p, runDir+"/") {
			return true
		}
	}
	return false
}

func isDir(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}

// loopbackUp sets IFF_UP on lo, the only interface of a new network
// namespace, which starts down.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("loopback: socket: %w", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("loopback: SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("loopback: SIOCSIFFLAGS: %w", err)
	}
	return nil
}

// reaper reaps the orphans that the kernel hands to the init, PID 1 of
// the namespace. It must not take the exit status of a process the job
// started and will Wait for, so it does not call wait4(-1): on each
// SIGCHLD (and on a slow tick, since signals coalesce) it lists the
// zombies whose parent is the init and reaps those by pid, skipping the
// pids registered by Start and StartProcess.
func reaper() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, unix.SIGCHLD)
	t := time.NewTicker(100 * time.Millisecond)
	for {
		select {
		case <-c:
		case <-t.C:
		}
		reapOrphans()
	}
}

func reapOrphans() {
	inside.mu.Lock()
	defer inside.mu.Unlock()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == 1 || inside.mine[pid] {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold anything, even ")".
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 || f[0] != "Z" || f[1] != "1" {
			continue
		}
		var ws unix.WaitStatus
		unix.Wait4(pid, &ws, unix.WNOHANG, nil)
	}
}

// Start starts cmd inside the sandbox like cmd.Start, with the run's
// memory and process limits, and registers it so that the init's reaper
// leaves its exit status to cmd.Wait. A job must start its processes with
// Start or StartProcess: one started otherwise escapes the limits, and its
// status may be taken by the reaper.
//
// The limits are set by a trampoline (this binary, re-executed) that then
// executes cmd.Path; a program that cannot be executed therefore makes the
// process exit with status 127 and a message on its stderr instead of an
// error from Start.
func Start(cmd *exec.Cmd) error {
	if !inside.ok {
		return ErrNotInside
	}
	if cmd.Err != nil {
		return cmd.Err
	}
	if inside.direct {
		inside.mu.Lock()
		defer inside.mu.Unlock()
		err := cmd.Start()
		if err == nil {
			inside.mine[cmd.Process.Pid] = true
		}
		return err
	}
	path, args, extra := cmd.Path, cmd.Args, cmd.ExtraFiles
	if len(args) == 0 {
		args = []string{path}
	}
	cgfd := -1
	if inside.cg != nil {
		cgfd = 3 + len(extra)
		cmd.ExtraFiles = append(extra[:len(extra):len(extra)], inside.cg)
	}
	cmd.Env = append(environWithout(cmd.Environ()), execEnv+"="+limits(cgfd, 0))
	cmd.Path = "/proc/self/exe"
	cmd.Args = append([]string{execArgv0, path}, args...)
	inside.mu.Lock()
	err := cmd.Start()
	if err == nil {
		inside.mine[cmd.Process.Pid] = true
	}
	inside.mu.Unlock()
	cmd.Path, cmd.Args, cmd.ExtraFiles = path, args, extra
	return err
}

// StartProcess is os.StartProcess inside the sandbox, with the run's
// limits; see Start. name must be a path, as for os.StartProcess.
func StartProcess(name string, argv []string, attr *os.ProcAttr) (*os.Process, error) {
	if !inside.ok {
		return nil, ErrNotInside
	}
	if inside.direct {
		inside.mu.Lock()
		defer inside.mu.Unlock()
		p, err := os.StartProcess(name, argv, attr)
		if err == nil {
			inside.mine[p.Pid] = true
		}
		return p, err
	}
	a := *attr
	env := a.Env
	if env == nil {
		env = os.Environ()
	}
	cgfd := -1
	if inside.cg != nil {
		cgfd = len(a.Files)
		a.Files = append(a.Files[:len(a.Files):len(a.Files)], inside.cg)
	}
	closed := 0
	for fd := 0; fd < 3; fd++ {
		if fd >= len(attr.Files) || attr.Files[fd] == nil {
			closed |= 1 << fd
		}
	}
	a.Env = append(environWithout(env), execEnv+"="+limits(cgfd, closed))
	if len(argv) == 0 {
		argv = []string{name}
	}
	inside.mu.Lock()
	defer inside.mu.Unlock()
	p, err := os.StartProcess("/proc/self/exe", append([]string{execArgv0, name}, argv...), &a)
	if err != nil {
		return nil, err
	}
	inside.mine[p.Pid] = true
	return p, nil
}

// limits encodes the trampoline's instructions: memory, task limit under
// RLIMIT_NPROC (0 when the cgroup limits tasks), cgroup.procs descriptor,
// and which of descriptors 0, 1 and 2 the program must find closed (a bit
// each): the Go runtime of the trampoline opens /dev/null on any of them
// that is closed, and the program must not inherit that.
func limits(cgfd, closed int) string {
	nproc := 0
	if cgfd < 0 {
		// RLIMIT_NPROC counts every task of the uid in the user
		// namespace, the init's threads included: allow for them.
		nproc = inside.cfg.MaxProcs + countTasks(1)
	}
	return fmt.Sprintf("%d,%d,%d,%d", inside.cfg.MemoryBytes, nproc, cgfd, closed)
}

func countTasks(pid int) int {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0
	}
	return len(ents)
}

// trampoline sets the limits described by v and executes os.Args[1] with
// argv os.Args[2:]. It never returns. The limits are set last, just before
// execve, since this process is the (possibly race-enabled) Go binary
// that must not run under them.
func trampoline(v string) {
	fail := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "sandbox: "+format+"\n", a...)
		os.Exit(127)
	}
	var mem uint64
	var nproc, cgfd, closed int
	if _, err := fmt.Sscanf(v, "%d,%d,%d,%d", &mem, &nproc, &cgfd, &closed); err != nil {
		fail("bad %s=%q: %v", execEnv, v, err)
	}
	if len(os.Args) < 3 {
		fail("trampoline without a program")
	}
	env := environWithout(os.Environ())
	if cgfd >= 0 {
		// "0" moves the writer itself.
		if _, err := unix.Write(cgfd, []byte("0")); err != nil {
			fail("joining the pids cgroup: %v", err)
		}
		unix.Close(cgfd)
	}
	// Everything execve needs is allocated now: once the limits are set,
	// this Go process may fail to allocate or to start a thread, so from
	// setrlimit to execve only raw system calls run.
	path, err := unix.BytePtrFromString(os.Args[1])
	if err != nil {
		fail("exec %s: %v", os.Args[1], err)
	}
	argv, err := syscall.SlicePtrFromStrings(os.Args[2:])
	if err != nil {
		fail("exec %s: %v", os.Args[1], err)
	}
	envv, err := syscall.SlicePtrFromStrings(env)
	if err != nil {
		fail("exec %s: %v", os.Args[1], err)
	}
	procs := unix.Rlimit{Cur: uint64(nproc), Max: uint64(nproc)}
	as := unix.Rlimit{Cur: mem, Max: mem}
	runtime.LockOSThread()
	if nproc > 0 {
		if _, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, unix.RLIMIT_NPROC, uintptr(unsafe.Pointer(&procs)), 0, 0, 0); e != 0 {
			fail("RLIMIT_NPROC: %v", e)
		}
	}
	if mem > 0 {
		if _, _, e := unix.RawSyscall6(unix.SYS_PRLIMIT64, 0, unix.RLIMIT_AS, uintptr(unsafe.Pointer(&as)), 0, 0, 0); e != 0 {
			fail("RLIMIT_AS: %v", e)
		}
	}
	for fd := 0; fd < 3; fd++ {
		if closed&(1<<fd) != 0 {
			unix.RawSyscall(unix.SYS_CLOSE, uintptr(fd), 0, 0)
		}
	}
	_, _, e := unix.RawSyscall(unix.SYS_EXECVE, uintptr(unsafe.Pointer(path)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])))
	// Under the limits, printing may fail too; the exit status still tells.
	fail("exec %s: %v", os.Args[1], e)
}
