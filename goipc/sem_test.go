//go:build linux

package goipc_test

// cipc/sem_test.go compares these calls with glibc's, through cgo, and runs
// C and Go against each other across processes; the tests here check
// goipc alone, so that they run without cgo too.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// semMemory returns a fresh page of shared anonymous memory, unmapped when
// the test ends.
func semMemory(t *testing.T) []byte {
	t.Helper()
	mem, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	return mem
}

// semWord is the sem_t's 64-bit data word at the start of mem: the value
// in the low half, the waiter count in the high half.
func semWord(mem []byte) uint64 {
	return atomic.LoadUint64((*uint64)(unsafe.Pointer(&mem[0])))
}

func semAfter(d time.Duration) *unix.Timespec {
	ts := unix.NsecToTimespec(time.Now().Add(d).UnixNano())
	return &ts
}

// semCreateNamed creates a fresh named semaphore, closed and unlinked when
// the test ends.
func semCreateNamed(t *testing.T, value uint) (string, *goipc.Sem) {
	t.Helper()
	name := shmName(t, "sem", 0)
	s, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, value)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { goipc.SemClose(s) })
	return name, s
}

func TestSemOpenNames(t *testing.T) {
	cases := []struct {
		label              string
		name               string // "" + length: a fresh name of that length
		length             int
		openErr, unlinkErr unix.Errno
	}{
		{"empty", "", 0, unix.EINVAL, unix.ENOENT},
		{"/", "/", 0, unix.EINVAL, unix.ENOENT},
		{"/a/b", "/goipc-a/b", 0, unix.EINVAL, unix.ENOENT},
		{"/../x", "/../goipc-x", 0, unix.EINVAL, unix.ENOENT},
		{"fresh", "", 40, 0, 0},
		{"NAME_MAX-4", "", 251, 0, 0},
		{"NAME_MAX-3", "", 252, unix.ENAMETOOLONG, unix.ENAMETOOLONG},
		{"NAME_MAX", "", 255, unix.ENAMETOOLONG, unix.ENAMETOOLONG},
		{"NAME_MAX+1", "", 256, unix.EINVAL, unix.ENOENT},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			name := c.name
			if c.length > 0 {
				name = shmName(t, "n", c.length)
			}
			s, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
			if got := shmErrno(t, err); got != c.openErr {
				t.Errorf("SemOpen(%.40q) = %s, want %s", name, shmErrnoName(got), shmErrnoName(c.openErr))
			}
			if err == nil {
				goipc.SemClose(s)
			}
			if got := shmErrno(t, goipc.SemUnlink(name)); got != c.unlinkErr {
				t.Errorf("SemUnlink(%.40q) = %s, want %s", name, shmErrnoName(got), shmErrnoName(c.unlinkErr))
			}
		})
	}
}

func TestSemErrnos(t *testing.T) {
	name, s := semCreateNamed(t, 0)
	check := func(label string, want unix.Errno, err error) {
		t.Helper()
		if got := shmErrno(t, err); got != want {
			t.Errorf("%s: %s, want %s", label, shmErrnoName(got), shmErrnoName(want))
		}
	}
	_, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
	check("O_CREAT|O_EXCL on an existing semaphore", unix.EEXIST, err)
	_, err = goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, goipc.SEM_VALUE_MAX+1)
	check("O_CREAT|O_EXCL, existing, value over SEM_VALUE_MAX", unix.EINVAL, err)
	_, err = goipc.SemOpen(shmName(t, "big", 0), unix.O_CREAT, 0600, goipc.SEM_VALUE_MAX+1)
	check("value over SEM_VALUE_MAX", unix.EINVAL, err)
	_, err = goipc.SemOpen(shmName(t, "missing", 0), 0, 0, 0)
	check("missing, no O_CREAT", unix.ENOENT, err)

	check("trywait at 0", unix.EAGAIN, s.Trywait())
	check("timedwait expiring", unix.ETIMEDOUT, s.Timedwait(semAfter(10*time.Millisecond)))
	check("timedwait in the past", unix.ETIMEDOUT, s.Timedwait(&unix.Timespec{Sec: 1}))
	check("timedwait negative tv_sec", unix.ETIMEDOUT, s.Timedwait(&unix.Timespec{Sec: -1}))
	check("timedwait tv_nsec 1e9", unix.EINVAL, s.Timedwait(&unix.Timespec{Sec: 1, Nsec: 1e9}))
	check("post", 0, s.Post())
	check("timedwait tv_nsec -1 with a token", unix.EINVAL, s.Timedwait(&unix.Timespec{Sec: 1, Nsec: -1}))
	if v, _ := s.Getvalue(); v != 1 {
		t.Errorf("value %d after the refused Timedwait, want 1", v)
	}
	check("timedwait with a token", 0, s.Timedwait(&unix.Timespec{Sec: 1}))
	if w := semWord(shmMapSem(t, name)); w != 0 {
		t.Errorf("data %#x, want 0", w)
	}

	mem := semMemory(t)
	_, err = goipc.SemInit(mem, true, goipc.SEM_VALUE_MAX+1)
	check("sem_init over SEM_VALUE_MAX", unix.EINVAL, err)
	_, err = goipc.SemInit(mem[:31], true, 0)
	check("sem_init on 31 bytes", unix.EINVAL, err)
	_, err = goipc.SemInit(mem[4:], true, 0)
	check("sem_init misaligned", unix.EINVAL, err)
	u, err := goipc.SemInit(mem, true, goipc.SEM_VALUE_MAX)
	check("sem_init at SEM_VALUE_MAX", 0, err)
	check("post at SEM_VALUE_MAX", unix.EOVERFLOW, u.Post())
	check("sem_close of an unnamed semaphore", unix.EINVAL, goipc.SemClose(u))
	check("sem_destroy", 0, goipc.SemDestroy(u))

	c, err := goipc.SemOpen(name, 0, 0, 0)
	check("open again", 0, err)
	if c != s {
		t.Error("SemOpen of an open name gave another *Sem")
	}
	check("close the second reference", 0, goipc.SemClose(c))
	check("the first still works", 0, s.Post())
	check("close the first", 0, goipc.SemClose(s))
	check("close once more", unix.EINVAL, goipc.SemClose(s))
	check("post on a closed semaphore", unix.EINVAL, s.Post())
	check("unlink", 0, goipc.SemUnlink(name))
	check("unlink again", unix.ENOENT, goipc.SemUnlink(name))
}

// shmMapSem maps the file of the named semaphore name read-only, to look at
// its bytes; unmapped when the test ends.
func shmMapSem(t *testing.T, name string) []byte {
	t.Helper()
	fd, err := goipc.ShmOpen("sem."+strings.TrimLeft(name, "/"), unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	mem, err := goipc.Mmap(fd, 0, goipc.SizeofSem, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { goipc.Munmap(mem) })
	return mem
}

// TestSemOpenFile checks the file SemOpen creates: 32 bytes, glibc's
// initialised sem_t (value, no waiters, private = FUTEX_SHARED), mode &
// ~umask.
func TestSemOpenFile(t *testing.T) {
	old := unix.Umask(0077)
	defer unix.Umask(old)
	name, _ := semCreateNamed(t, 7)
	path := "/dev/shm/sem." + name[1:]
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{7, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0}, make([]byte, 20)...)
	if !bytes.Equal(b, want) {
		t.Errorf("file holds % x, want % x", b, want)
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	if st.Mode&0777 != 0600 {
		t.Errorf("mode %o, want 600", st.Mode&0777)
	}
}

// semSleeping returns once a thread of this process is asleep in the
// futex system call on the sem_t at the start of mem, with op (0x189 for a
// private semaphore, 0x109 for a shared one), and returns its thread id.
// The wait must not end meanwhile: done must stay empty.
func semSleeping(t *testing.T, mem []byte, op string, done <-chan error) int {
	t.Helper()
	want := fmt.Sprintf("202 %#x %s ", uintptr(unsafe.Pointer(&mem[0])), op)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("the wait returned %v while it had no token", err)
		default:
		}
		if semWord(mem)>>32 == 1 {
			tasks, _ := os.ReadDir("/proc/self/task")
			for _, task := range tasks {
				sc, err := os.ReadFile("/proc/self/task/" + task.Name() + "/syscall")
				if err == nil && strings.HasPrefix(string(sc), want) {
					var tid int
					fmt.Sscan(task.Name(), &tid)
					return tid
				}
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no thread asleep in futex on the semaphore after 10s (data %#x)", semWord(mem))
	return 0
}

// TestSemWaitSignals wakes a sleeping Wait and Timedwait with a Post, on
// a private and a shared semaphore, after first hitting the sleeping
// thread with signals that the Go runtime handles (SIGURG, its preemption
// signal, and SIGCHLD): the waits must not return EINTR, as sem_wait and
// sem_timedwait do not in a C program without signal handlers.
func TestSemWaitSignals(t *testing.T) {
	for _, pshared := range []bool{false, true} {
		for _, timed := range []bool{false, true} {
			t.Run(fmt.Sprintf("pshared=%v/timed=%v", pshared, timed), func(t *testing.T) {
				mem := semMemory(t)
				s, err := goipc.SemInit(mem, pshared, 0)
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() {
					if timed {
						done <- s.Timedwait(semAfter(20 * time.Second))
					} else {
						done <- s.Wait()
					}
				}()
				op := "0x189"
				if pshared {
					op = "0x109"
				}
				for _, sig := range []unix.Signal{unix.SIGURG, unix.SIGCHLD, unix.SIGURG} {
					tid := semSleeping(t, mem, op, done)
					if err := unix.Tgkill(os.Getpid(), tid, sig); err != nil {
						t.Fatal(err)
					}
				}
				semSleeping(t, mem, op, done)
				if err := s.Post(); err != nil {
					t.Fatal(err)
				}
				if err := <-done; err != nil {
					t.Fatalf("wait: %v", err)
				}
				if w := semWord(mem); w != 0 {
					t.Errorf("data %#x after the wait, want 0", w)
				}
			})
		}
	}
}

// TestSemHandsOver passes data between goroutines under the semaphore
// alone: the race detector must see the post as happening before the wait
// that took its token, although the semaphore's memory is a mapping it
// does not watch.
func TestSemHandsOver(t *testing.T) {
	mem := semMemory(t)
	full, _ := goipc.SemInit(mem, false, 0)
	empty, _ := goipc.SemInit(mem[64:], false, 1)
	var box int // guarded by the two semaphores only
	const n = 1000
	go func() {
		for i := 1; i <= n; i++ {
			empty.Wait()
			box = i
			full.Post()
		}
	}()
	sum := 0
	for i := 0; i < n; i++ {
		if err := full.Wait(); err != nil {
			t.Fatal(err)
		}
		sum += box
		empty.Post()
	}
	if sum != n*(n+1)/2 {
		t.Errorf("sum %d", sum)
	}
}

// The child of TestSemAcrossProcesses is this test binary again, with
// semGoHelperEnv set to "named NAME" or "shm NAME".
const semGoHelperEnv = "GOIPC_SEM_HELPER"

func TestSemGoHelperProcess(t *testing.T) {
	arg, ok := os.LookupEnv(semGoHelperEnv)
	if !ok {
		t.Skip("the child of TestSemAcrossProcesses")
	}
	kind, name, _ := strings.Cut(arg, " ")
	var s *goipc.Sem
	var err error
	if kind == "named" {
		s, err = goipc.SemOpen(name, 0, 0, 0)
	} else {
		var fd int
		if fd, err = goipc.ShmOpen(name, unix.O_RDWR, 0); err == nil {
			var mem []byte
			if mem, err = goipc.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err == nil {
				s, err = goipc.SemAt(mem)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	fmt.Println("ready")
	if err := s.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "helper: Wait:", err)
		os.Exit(1)
	}
	fmt.Println("woke")
	os.Exit(0)
}

// TestSemAcrossProcesses wakes a Wait in another Go process, on a named
// semaphore and on a process-shared one in a MAP_SHARED object. The waiter
// counts itself in (nwaiters) before it sleeps; the post comes after that.
// cipc's tests also check, in /proc, that the waiter is asleep in the
// futex, and run C against Go.
func TestSemAcrossProcesses(t *testing.T) {
	for _, kind := range []string{"named", "shm"} {
		t.Run(kind, func(t *testing.T) {
			var s *goipc.Sem
			var mem []byte
			name := shmName(t, kind, 0)
			if kind == "named" {
				var err error
				if s, err = goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, 0); err != nil {
					t.Fatal(err)
				}
				defer goipc.SemClose(s)
				mem = shmMapSem(t, name)
			} else {
				fd, err := goipc.ShmOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
				if err != nil {
					t.Fatal(err)
				}
				defer unix.Close(fd)
				if err := goipc.Ftruncate(fd, 4096); err != nil {
					t.Fatal(err)
				}
				if mem, err = goipc.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
					t.Fatal(err)
				}
				defer goipc.Munmap(mem)
				if s, err = goipc.SemInit(mem, true, 0); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestSemGoHelperProcess$")
			gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
			cmd.Env = append(os.Environ(), semGoHelperEnv+"="+kind+" "+name, "GORACE="+gorace)
			cmd.Stderr = os.Stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				cmd.Process.Kill()
				cmd.Wait()
			}()
			r := bufio.NewScanner(out)
			if !r.Scan() || r.Text() != "ready" {
				t.Fatalf("child: %q", r.Text())
			}
			deadline := time.Now().Add(10 * time.Second)
			for semWord(mem)>>32 != 1 {
				if time.Now().After(deadline) {
					t.Fatal("the child did not count itself in as a waiter")
				}
				time.Sleep(time.Millisecond)
			}
			if err := s.Post(); err != nil {
				t.Fatal(err)
			}
			if !r.Scan() || r.Text() != "woke" {
				t.Fatalf("child: %q", r.Text())
			}
			if err := cmd.Wait(); err != nil {
				t.Fatal(err)
			}
			if w := semWord(mem); w != 0 {
				t.Errorf("data %#x, want 0", w)
			}
		})
	}
}
