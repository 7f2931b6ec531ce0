//go:build linux

package scenarios

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ipcparity/ipcparity/compare/runner"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// The shm_writer and shm_reader programs' scenarios (c_reference/shm.c).
//
// The writer starts first and is ready once it has printed its ready line;
// the reader starts then. Where the writer is killed or left alone, the
// runner first waits until it is seen asleep in sem_wait on the run's
// semaphore (readySemWait), and that observation is part of the outcome
// (semWaitProbe). Every run names its object and semaphore
// "/"+token (IPC_NAME "/$RUN"), so that what a run leaves in /dev/shm is
// found by the runner ("shm $IPC_NAME", "sem $IPC_NAME") and removed.
func Shm() []runner.Scenario {
	const writer, reader = "shm_writer", "shm_reader"
	roles := []string{writer, reader}
	base := func(name, about string, roles []string, steps ...runner.Step) runner.Scenario {
		return runner.Scenario{
			Mechanism: "shm", Name: name, About: about, Roles: roles,
			IPCName: "/$RUN", Steps: steps, Deadline: 5 * time.Second,
		}
	}
	w := func(args ...string) runner.Step {
		return runner.Step{Program: writer, Args: args, Background: true, Ready: runner.ReadyLine()}
	}
	both := func(name, about string, args ...string) runner.Scenario {
		return base(name, about, roles, w(args...), runner.Step{Program: reader}, runner.Step{Await: true, Target: writer})
	}

	objectExists := base("object-exists", "the object is there already (made by Setup, mode 0600): the writer "+
		"creates its semaphore, shm_open(O_CREAT|O_EXCL) fails with EEXIST, and the writer removes the "+
		"semaphore again, prints nothing and leaves the object", []string{writer}, runner.Step{Program: writer})
	objectExists.Setup = func(r *runner.Run) error {
		fd, err := goipc.ShmOpen(r.IPCName, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
		if err != nil {
			return fmt.Errorf("shm_open(%q): %w", r.IPCName, err)
		}
		return goipc.Close(fd)
	}
	semExists := base("semaphore-exists", "a semaphore of the name is there already, as a killed writer leaves "+
		"it (made by Setup, value 1): sem_open(O_CREAT|O_EXCL) fails with EEXIST before the object is "+
		"made, so a stale token cannot release the writer early", []string{writer}, runner.Step{Program: writer})
	semExists.Setup = func(r *runner.Run) error {
		s, err := goipc.SemOpen(r.IPCName, unix.O_CREAT|unix.O_EXCL, 0600, 1)
		if err != nil {
			return fmt.Errorf("sem_open(%q): %w", r.IPCName, err)
		}
		return goipc.SemClose(s)
	}
	noNul := base("reader-region-without-nul", "the reader alone, on an object and semaphore that another "+
		"writer made (Setup): 200 bytes, the first 100 'z' without a NUL, then 'Q': the reader copies 100 "+
		"bytes and printf(\"%.*s\\n\", 100, ...) stops after them; it posts the semaphore and leaves both",
		[]string{reader}, runner.Step{Program: reader})
	noNul.Setup = func(r *runner.Run) error {
		s, err := goipc.SemOpen(r.IPCName, unix.O_CREAT|unix.O_EXCL, 0600, 0)
		if err != nil {
			return fmt.Errorf("sem_open(%q): %w", r.IPCName, err)
		}
		if err := goipc.SemClose(s); err != nil {
			return err
		}
		fd, err := goipc.ShmOpen(r.IPCName, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
		if err != nil {
			return fmt.Errorf("shm_open(%q): %w", r.IPCName, err)
		}
		defer goipc.Close(fd)
		_, err = goipc.Write(fd, []byte(strings.Repeat("z", 100)+strings.Repeat("Q", 100)))
		return err
	}
	noSlash := both("name-without-slash", "IPC_NAME without its leading slash: glibc takes the name as it "+
		"is for the object and the semaphore, and the programs work as with one", "no slash")
	noSlash.IPCName = "$RUN"
	slash := base("name-with-slash", "IPC_NAME with a '/' after the first: glibc refuses it (EINVAL) in the "+
		"writer's first call, sem_open; nothing is made", []string{writer}, runner.Step{Program: writer})
	slash.IPCName = "/$RUN/x"
	asleep := runner.Step{Await: true, Target: writer, Ready: readySemWait()}
	noReader := base("writer-no-reader", "the writer alone: it is seen asleep in sem_wait and waits there "+
		"until the deadline kills it; the object and the semaphore stay behind (the runner removes them)",
		[]string{writer}, w(), asleep)
	noReader.Deadline = 500 * time.Millisecond
	noReader.EndAfterSteps = true // once seen asleep in sem_wait
	killed := base("writer-killed", "the writer killed (SIGKILL) while it waits in sem_wait, before any "+
		"reader: the object and the semaphore stay behind (the runner removes them)", []string{writer},
		w(), asleep, runner.Step{Signal: "SIGKILL", Target: writer}, runner.Step{Await: true, Target: writer})
	killedReader := base("writer-killed-then-reader", "the writer killed while it waits in sem_wait; a "+
		"reader that comes later still finds the message and posts the semaphore, which nobody takes: "+
		"object and semaphore stay behind", roles,
		w(), asleep, runner.Step{Signal: "SIGKILL", Target: writer}, runner.Step{Await: true, Target: writer},
		runner.Step{Program: reader})
	signalInWait := base("signal-in-sem-wait", "the writer in sem_wait, waiting for the reader"+signalAbout, roles,
		steps([]runner.Step{w(), asleep}, interrupted(writer, readySemWait()),
			[]runner.Step{{Program: reader}, {Await: true, Target: writer}})...)
	otherReader := base("reader-other-user", "umask 0000: the writer's object and semaphore are 0600, so a reader as "+
		"another user"+otherUserAbout+" fails to open the object (EACCES); a reader as the writer's user then "+
		"gets the message", roles,
		w(), runner.Step{Label: "shm_reader (nobody)", Program: reader, AsOtherUser: true},
		runner.Step{Program: reader}, runner.Step{Await: true, Target: writer})
	otherReader.Umask = new(int)
	for _, sc := range []*runner.Scenario{&noReader, &killed, &killedReader, &signalInWait} {
		sc.Probes = []runner.Probe{semWaitProbe}
	}

	// modes: the writer under umask mask; once it is ready the runner
	// notes its object's and semaphore's modes and sizes (shmSeen).
	modes := func(name string, mask int) runner.Scenario {
		sc := base(name, fmt.Sprintf("umask %04o: the writer's object and semaphore have mode 0600 & ~%04o = %04o; "+
			"the object is 100 bytes, the semaphore's file 32 (the runner looks at /dev/shm while the writer waits)",
			mask, mask, 0o600&^mask), roles,
			runner.Step{Program: writer, Background: true, Ready: readyShmSeen()},
			runner.Step{Program: reader}, runner.Step{Await: true, Target: writer})
		sc.Umask = &mask
		sc.Probes = []runner.Probe{shmSeen.probe()}
		return sc
	}

	return []runner.Scenario{
		modes("umask-000", 0), modes("umask-002", 0o002),
		both("default", "the spec's programs: Hello World and its NUL through a 100-byte object"),
		both("empty", "an empty message: the region holds only the NUL, the reader prints the newline", ""),
		both("99", "99 bytes: the message and its NUL fill the region exactly", strings.Repeat("a", 98)+"A"),
		both("100", "100 bytes: snprintf cuts the message to 99 and the NUL (the last byte is lost)",
			strings.Repeat("b", 98)+"BX"),
		both("101", "101 bytes: cut to 99 as well", strings.Repeat("c", 98)+"CXY"),
		both("not-utf8", "bytes that are not UTF-8 pass through the region unchanged", "\xff\xfe\x80caf\xe9 \xc3\x28"),
		noSlash, slash,
		base("reader-no-writer", "the reader alone: shm_open fails with ENOENT, it prints nothing",
			[]string{reader}, runner.Step{Program: reader}),
		noNul, objectExists, semExists, noReader,
		killed, killedReader, signalInWait, otherReader,
	}
}

// shmSeen holds what readyShmSeen noted.
var shmSeen = &seenNotes{name: "the object's and semaphore's modes while the writer waited"}

// readyShmSeen holds once the writer has printed its ready line; it then
// notes the permission bits and size of the files of the run's object and
// semaphore in /dev/shm: "seen: shm $IPC_NAME mode 0600 size 100",
// "seen: sem $IPC_NAME mode 0600 size 32".
func readyShmSeen() runner.Ready {
	return runner.Ready{What: "a line on stdout (the object's and semaphore's modes noted)", Check: func(r *runner.Run, p *runner.Process) (bool, error) {
		if !strings.Contains(p.Stdout(), "\n") {
			return false, nil
		}
		name := strings.TrimLeft(r.IPCName, "/")
		shown := r.Normalize("/" + name)
		shm := strings.Replace(describeFile("/dev/shm/"+name, shown), "file ", "shm ", 1)
		sem := strings.Replace(describeFile("/dev/shm/sem."+name, shown), "file ", "sem ", 1)
		shmSeen.note(r, "seen: "+shm, "seen: "+sem)
		return true, nil
	}}
}

// semWaits holds, per run, what readySemWait saw.
var semWaits sync.Map // *runner.Run → string

// readySemWait holds once a thread of the process sleeps in the futex
// wait of sem_wait on the run's semaphore: in /proc/PID/task/TID/syscall,
// futex (state S) with the operation FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME
// without FUTEX_PRIVATE_FLAG (glibc's sem_wait on a process-shared
// semaphore, and goipc's), on an address inside a mapping of the file
// /dev/shm/sem.NAME (found by device and inode in /proc/PID/maps: the
// creator's mapping shows glibc's temporary name, deleted). The Go
// runtime's own futex waits are private and never match. It notes what it
// saw for semWaitProbe.
func readySemWait() runner.Ready {
	return runner.Ready{What: "asleep in sem_wait on the run's semaphore", Check: func(r *runner.Run, p *runner.Process) (bool, error) {
		name, ok := semWaitFile(r)
		if !ok || !asleepInSemWait(p.Pid(), name) {
			return false, nil
		}
		semWaits.Store(r, "seen: "+p.Label()+" asleep in sem_wait on sem "+r.Normalize("/"+strings.TrimLeft(r.IPCName, "/")))
		return true, nil
	}}
}

// semWaitFile is the file of the run's semaphore; ok is false for an
// IPC_NAME that names no semaphore.
func semWaitFile(r *runner.Run) (path string, ok bool) {
	name := strings.TrimLeft(r.IPCName, "/")
	if name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return "/dev/shm/sem." + name, true
}

// futexSemWait is the futex operation of sem_wait on a process-shared
// semaphore: FUTEX_WAIT_BITSET (9) | FUTEX_CLOCK_REALTIME (256).
const futexSemWait = 9 | 256

// asleepInSemWait reports whether a thread of pid sleeps in a shared
// futex wait on an address that a mapping of the file path covers.
func asleepInSemWait(pid int, path string) bool {
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return false
	}
	ranges := mappingsOf(pid, fmt.Sprintf("%02x:%02x", unix.Major(st.Dev), unix.Minor(st.Dev)), st.Ino)
	dir := filepath.Join("/proc", strconv.Itoa(pid), "task")
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, t := range tasks {
		before, err1 := os.ReadFile(filepath.Join(dir, t.Name(), "syscall"))
		state := runner.TaskState(filepath.Join(dir, t.Name(), "stat"))
		after, err2 := os.ReadFile(filepath.Join(dir, t.Name(), "syscall"))
		if err1 != nil || err2 != nil || state != 'S' || string(before) != string(after) {
			continue
		}
		f := strings.Fields(string(before))
		if len(f) < 3 || f[0] != strconv.Itoa(unix.SYS_FUTEX) {
			continue
		}
		addr, err1 := strconv.ParseUint(strings.TrimPrefix(f[1], "0x"), 16, 64)
		op, err2 := strconv.ParseUint(strings.TrimPrefix(f[2], "0x"), 16, 64)
		if err1 != nil || err2 != nil || op != futexSemWait {
			continue
		}
		for _, rg := range ranges {
			if addr >= rg[0] && addr < rg[1] {
				return true
			}
		}
	}
	return false
}

// mappingsOf returns the address ranges of pid's mappings of the file with
// device dev ("00:1b", as /proc/PID/maps writes it) and inode ino.
func mappingsOf(pid int, dev string, ino uint64) [][2]uint64 {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "maps"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out [][2]uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 || fields[3] != dev || fields[4] != strconv.FormatUint(ino, 10) {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if ok && err1 == nil && err2 == nil {
			out = append(out, [2]uint64{start, end})
		}
	}
	return out
}

// semWaitProbe adds to the outcome what readySemWait saw: "seen:
// shm_writer asleep in sem_wait on sem $IPC_NAME". It is an observation
// made while the writer ran, not a leftover.
var semWaitProbe = runner.Probe{
	Name: "the writer asleep in sem_wait",
	Find: func(r *runner.Run) []string {
		if v, ok := semWaits.Load(r); ok {
			return []string{v.(string)}
		}
		return nil
	},
	Clean: func(r *runner.Run) { semWaits.Delete(r) },
}
