//go:build cgo && linux

package cipc_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/goipc"
)

// semIn returns a Timespec d from now on CLOCK_REALTIME, the clock
// sem_timedwait measures against.
func semIn(d time.Duration) *unix.Timespec {
	ts := unix.NsecToTimespec(time.Now().Add(d).UnixNano())
	return &ts
}

// semNamed creates a fresh named semaphore with side s and value, to be
// closed and unlinked when the test ends.
func semNamed(t *testing.T, s shmImpl, value uint) (string, shmSem) {
	t.Helper()
	name := shmUniqueName(t, "sem", 0)
	sem, err := s.SemOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, value)
	if err != nil {
		t.Fatalf("%s: SemOpen(%q): %v", s.name, name, err)
	}
	t.Cleanup(func() { s.SemClose(sem) })
	return name, sem
}

// semMem returns fresh page-aligned private memory for SemInit, unmapped
// when the test ends.
func semMem(t *testing.T) []byte {
	t.Helper()
	mem, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	return mem
}

// semData reads the 64-bit data word of the sem_t at the start of mem:
// value in the low half, nwaiters in the high half.
func semData(mem []byte) uint64 {
	return atomic.LoadUint64((*uint64)(unsafe.Pointer(&mem[0])))
}

// TestSemConstants checks that both sides agree with <semaphore.h>.
func TestSemConstants(t *testing.T) {
	if cipc.SEM_VALUE_MAX != goipc.SEM_VALUE_MAX || goipc.SEM_VALUE_MAX != 0x7fffffff {
		t.Errorf("SEM_VALUE_MAX: c %#x, go %#x", cipc.SEM_VALUE_MAX, goipc.SEM_VALUE_MAX)
	}
	if cipc.SizeofSem != goipc.SizeofSem || goipc.SizeofSem != 32 {
		t.Errorf("sizeof(sem_t): c %d, go %d", cipc.SizeofSem, goipc.SizeofSem)
	}
}

// TestSemNames runs glibc 2.36's name rules for sem_open and sem_unlink on
// both sides: those of shm_open with "sem." in front of the name, so the
// kernel refuses 252 to 255 bytes and glibc's buffer 256 and more.
func TestSemNames(t *testing.T) {
	fixed := func(s string) func(*testing.T) string { return func(*testing.T) string { return s } }
	fresh := func(prefix string) func(*testing.T) string {
		return func(t *testing.T) string { return prefix + shmUniqueName(t, "n", 0)[1:] }
	}
	long := func(n int) func(*testing.T) string {
		return func(t *testing.T) string { return shmUniqueName(t, "long", n) }
	}
	cases := []struct {
		label     string
		name      func(t *testing.T) string
		openErr   unix.Errno // sem_open(O_CREAT|O_EXCL, 0600, 0)
		unlinkErr unix.Errno // sem_unlink after it
	}{
		{"empty", fixed(""), unix.EINVAL, unix.ENOENT},
		{"slash only", fixed("/"), unix.EINVAL, unix.ENOENT},
		{"x", fresh(""), 0, 0},
		{"/x", fresh("/"), 0, 0},
		{"//x", fresh("//"), 0, 0},
		{"/a/b", fixed("/ipcparity-a/b"), unix.EINVAL, unix.ENOENT},
		{"/../x", fixed("/../ipcparity-x"), unix.EINVAL, unix.ENOENT},
		{"NAME_MAX-4", long(unix.NAME_MAX - 4), 0, 0},
		{"NAME_MAX-3", long(unix.NAME_MAX - 3), unix.ENAMETOOLONG, unix.ENAMETOOLONG},
		{"NAME_MAX", long(unix.NAME_MAX), unix.ENAMETOOLONG, unix.ENAMETOOLONG},
		{"NAME_MAX+1", long(unix.NAME_MAX + 1), unix.EINVAL, unix.ENOENT},
		{"300", long(300), unix.EINVAL, unix.ENOENT},
		{"NUL", fixed("/ipcparity\x00x"), unix.EINVAL, unix.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			for _, s := range shmImpls {
				name := c.name(t)
				sem, err := s.SemOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, 0)
				if got := shmErrno(t, err); got != c.openErr {
					t.Errorf("%s: SemOpen(%.40q) = %s; want %s", s.name, name, shmErrnoName(got), shmErrnoName(c.openErr))
				}
				if err == nil {
					path := "/dev/shm/sem." + strings.TrimLeft(name, "/")
					var st unix.Stat_t
					if err := unix.Stat(path, &st); err != nil {
						t.Errorf("%s: SemOpen(%.40q) made no %.60s: %v", s.name, name, path, err)
					} else if st.Size != 32 {
						t.Errorf("%s: %s has %d bytes, want 32", s.name, path, st.Size)
					}
					if err := s.SemClose(sem); err != nil {
						t.Errorf("%s: SemClose: %v", s.name, err)
					}
				} else if sem != nil {
					t.Errorf("%s: SemOpen failed with a semaphore", s.name)
				}
				if got := shmErrno(t, s.SemUnlink(name)); got != c.unlinkErr {
					t.Errorf("%s: SemUnlink(%.40q) = %s; want %s", s.name, name, shmErrnoName(got), shmErrnoName(c.unlinkErr))
				}
			}
		})
	}
}

// TestSemErrors runs the errno cases of the semaphore calls on both sides.
func TestSemErrors(t *testing.T) {
	cases := []struct {
		label string
		want  unix.Errno
		f     func(t *testing.T, s shmImpl) error
	}{
		{"sem_open O_CREAT|O_EXCL on an existing semaphore", unix.EEXIST, func(t *testing.T, s shmImpl) error {
			name, _ := semNamed(t, s, 0)
			_, err := s.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
			return err
		}},
		{"sem_open without O_CREAT of a missing semaphore", unix.ENOENT, func(t *testing.T, s shmImpl) error {
			_, err := s.SemOpen(shmUniqueName(t, "missing", 0), 0, 0, 0)
			return err
		}},
		{"sem_open with a value over SEM_VALUE_MAX", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, err := s.SemOpen(shmUniqueName(t, "big", 0), unix.O_CREAT, 0600, goipc.SEM_VALUE_MAX+1)
			return err
		}},
		{"sem_open O_CREAT|O_EXCL on an existing semaphore with a value over SEM_VALUE_MAX", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			name, _ := semNamed(t, s, 0)
			_, err := s.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, goipc.SEM_VALUE_MAX+1)
			return err
		}},
		{"sem_open O_CREAT on an existing semaphore ignores the value", 0, func(t *testing.T, s shmImpl) error {
			name, _ := semNamed(t, s, 3)
			sem, err := s.SemOpen(name, unix.O_CREAT, 0600, goipc.SEM_VALUE_MAX+1)
			if err != nil {
				return err
			}
			defer s.SemClose(sem)
			if v, _ := sem.Getvalue(); v != 3 {
				t.Errorf("%s: value %d, want 3", s.name, v)
			}
			return nil
		}},
		{"sem_unlink twice", unix.ENOENT, func(t *testing.T, s shmImpl) error {
			name, _ := semNamed(t, s, 0)
			if err := s.SemUnlink(name); err != nil {
				t.Fatal(err)
			}
			return s.SemUnlink(name)
		}},
		{"sem_close twice", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			sem, err := s.SemOpen(shmUniqueName(t, "close", 0), unix.O_CREAT, 0600, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SemClose(sem); err != nil {
				t.Fatal(err)
			}
			return s.SemClose(sem)
		}},
		{"sem_close of an unnamed semaphore", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			sem, err := s.SemInit(semMem(t), true, 0)
			if err != nil {
				t.Fatal(err)
			}
			return s.SemClose(sem)
		}},
		{"sem_init with a value over SEM_VALUE_MAX", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, err := s.SemInit(semMem(t), false, goipc.SEM_VALUE_MAX+1)
			return err
		}},
		{"sem_init on memory shorter than sem_t (not glibc's: Go's slice)", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, err := s.SemInit(semMem(t)[:31], false, 0)
			return err
		}},
		{"sem_init on misaligned memory (not glibc's: Go's slice)", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, err := s.SemInit(semMem(t)[4:], false, 0)
			return err
		}},
		{"sem_destroy", 0, func(t *testing.T, s shmImpl) error {
			sem, err := s.SemInit(semMem(t), false, 1)
			if err != nil {
				t.Fatal(err)
			}
			return s.SemDestroy(sem)
		}},
		{"sem_trywait at 0", unix.EAGAIN, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 0)
			return sem.Trywait()
		}},
		{"sem_trywait at 1", 0, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 1)
			return sem.Trywait()
		}},
		{"sem_post at SEM_VALUE_MAX", unix.EOVERFLOW, func(t *testing.T, s shmImpl) error {
			sem, err := s.SemInit(semMem(t), true, goipc.SEM_VALUE_MAX)
			if err != nil {
				t.Fatal(err)
			}
			return sem.Post()
		}},
		{"sem_open with SEM_VALUE_MAX, then sem_post", unix.EOVERFLOW, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, goipc.SEM_VALUE_MAX)
			if v, _ := sem.Getvalue(); v != goipc.SEM_VALUE_MAX {
				t.Errorf("%s: value %d", s.name, v)
			}
			return sem.Post()
		}},
		{"sem_timedwait expiring", unix.ETIMEDOUT, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 0)
			start := time.Now()
			err := sem.Timedwait(semIn(20 * time.Millisecond))
			if d := time.Since(start); d < 15*time.Millisecond {
				t.Errorf("%s: Timedwait returned after %v, before its time", s.name, d)
			}
			return err
		}},
		{"sem_timedwait at a past time", unix.ETIMEDOUT, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 0)
			return sem.Timedwait(&unix.Timespec{Sec: 1, Nsec: 0})
		}},
		{"sem_timedwait with a negative tv_sec", unix.ETIMEDOUT, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 0)
			return sem.Timedwait(&unix.Timespec{Sec: -1, Nsec: 0})
		}},
		{"sem_timedwait with tv_nsec 1000000000", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 0)
			return sem.Timedwait(&unix.Timespec{Sec: time.Now().Unix() + 1, Nsec: 1e9})
		}},
		// glibc 2.36 checks tv_nsec before it looks at the value.
		{"sem_timedwait with tv_nsec -1 and a token to take", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 1)
			err := sem.Timedwait(&unix.Timespec{Sec: time.Now().Unix() + 1, Nsec: -1})
			if v, _ := sem.Getvalue(); v != 1 {
				t.Errorf("%s: value %d after Timedwait, want 1", s.name, v)
			}
			return err
		}},
		{"sem_timedwait with tv_nsec -1 and a negative tv_sec", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 0)
			return sem.Timedwait(&unix.Timespec{Sec: -1, Nsec: -1})
		}},
		{"sem_timedwait with a token to take", 0, func(t *testing.T, s shmImpl) error {
			_, sem := semNamed(t, s, 1)
			return sem.Timedwait(&unix.Timespec{Sec: 1})
		}},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			shmSameOnBoth(t, c.label, c.want, c.f)
		})
	}
}

// TestSemOpenTwice checks glibc's table of open named semaphores on both
// sides: the same name gives the same semaphore, counted; another
// spelling of the name is another mapping of the same file.
func TestSemOpenTwice(t *testing.T) {
	for _, s := range shmImpls {
		name, first := semNamed(t, s, 0)
		again, err := s.SemOpen(name, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if again != first {
			t.Errorf("%s: SemOpen of the same name gave another semaphore", s.name)
		}
		other, err := s.SemOpen("//"+name[1:], 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if other == first {
			t.Errorf("%s: SemOpen of another spelling gave the same semaphore", s.name)
		}
		if err := other.Post(); err != nil {
			t.Fatal(err)
		}
		if v, _ := first.Getvalue(); v != 1 {
			t.Errorf("%s: value %d through the other mapping, want 1", s.name, v)
		}
		for i, sem := range []shmSem{other, again} {
			if err := s.SemClose(sem); err != nil {
				t.Errorf("%s: SemClose %d: %v", s.name, i, err)
			}
		}
		// first is still open: its reference outlived again's.
		if err := first.Trywait(); err != nil {
			t.Errorf("%s: Trywait after closing the second reference: %v", s.name, err)
		}
		if err := s.SemUnlink(name); err != nil {
			t.Error(err)
		}
	}
}

// TestSemLayout checks that both sides write the same bytes: the file that
// sem_open creates, with its mode, and the sem_t that sem_init writes over
// memory full of 0xff (glibc leaves the last 20 bytes alone).
func TestSemLayout(t *testing.T) {
	old := unix.Umask(0027)
	defer unix.Umask(old)
	files := map[string][]byte{}
	for _, s := range shmImpls {
		name, _ := semNamed(t, s, 5)
		path := "/dev/shm/sem." + name[1:]
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[s.name] = b
		var st unix.Stat_t
		if err := unix.Stat(path, &st); err != nil {
			t.Fatal(err)
		}
		if st.Mode&0777 != 0600 {
			t.Errorf("%s: mode %o, want 0600 (0600 & ~0027)", s.name, st.Mode&0777)
		}
	}
	want := append([]byte{5, 0, 0, 0, 0, 0, 0, 0, 128, 0, 0, 0}, make([]byte, 20)...)
	for _, s := range shmImpls {
		if !bytes.Equal(files[s.name], want) {
			t.Errorf("%s: sem_open wrote % x, want % x", s.name, files[s.name], want)
		}
	}
	for _, pshared := range []bool{false, true} {
		got := map[string][]byte{}
		for _, s := range shmImpls {
			mem := semMem(t)
			for i := range mem[:64] {
				mem[i] = 0xff
			}
			if _, err := s.SemInit(mem, pshared, 3); err != nil {
				t.Fatal(err)
			}
			got[s.name] = append([]byte(nil), mem[:32]...)
		}
		if !bytes.Equal(got["c"], got["go"]) {
			t.Errorf("sem_init(pshared=%v): c wrote % x, go wrote % x", pshared, got["c"], got["go"])
		}
	}
}

// TestSemBetweenSidesInProcess uses one sem_t from both sides in this
// process: posts from one side are tokens for the other, and the waiter
// count that a sleeping waiter of one side leaves is undone by the other's
// post.
func TestSemBetweenSidesInProcess(t *testing.T) {
	for _, a := range shmImpls {
		b := shmImplNamed(map[string]string{"c": "go", "go": "c"}[a.name])
		t.Run(a.name+"-inits", func(t *testing.T) {
			mem := semMem(t)
			sa, err := a.SemInit(mem, false, 0)
			if err != nil {
				t.Fatal(err)
			}
			sb, err := b.SemAt(mem)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				if err := sb.Post(); err != nil {
					t.Fatal(err)
				}
			}
			if v, _ := sa.Getvalue(); v != 3 {
				t.Errorf("%s sees %d after 3 posts by %s", a.name, v, b.name)
			}
			if err := sa.Trywait(); err != nil {
				t.Fatal(err)
			}
			if v, _ := sb.Getvalue(); v != 2 {
				t.Errorf("%s sees %d, want 2", b.name, v)
			}
			for sa.Trywait() == nil {
			}
			// A waiter of side a asleep in the futex; side b posts.
			done := make(chan error)
			go func() { done <- sa.Wait() }()
			deadline := time.Now().Add(5 * time.Second)
			for semData(mem)>>32 != 1 {
				if time.Now().After(deadline) {
					t.Fatal("the waiter did not count itself in")
				}
				time.Sleep(time.Millisecond)
			}
			if err := sb.Post(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatalf("%s: Wait: %v", a.name, err)
			}
			if d := semData(mem); d != 0 {
				t.Errorf("data %#x after the wait, want 0", d)
			}
		})
	}
}

// The interoperation tests run the other side in a process of its own:
// this test binary again, with semHelperEnv set, which runs
// TestSemHelperProcess only.
const semHelperEnv = "IPCPARITY_SEM_HELPER"

// TestSemHelperProcess is the child of the interoperation tests; run
// directly it does nothing. Its argument, in semHelperEnv, is
//
//	wait SIDE named|shm NAME wait|timedwait
//	pingpong SIDE NAME ROUNDS
//
// wait opens the semaphore (named) or maps the object and takes the
// sem_t at its start (shm), prints "ready ADDR" (the address of the sem_t
// in this process), waits, and prints "woke ERRNO". pingpong maps the
// object, takes the sem_t at 0 (a) and at 64 (b), prints "ready", and
// ROUNDS times waits on a and posts b.
func TestSemHelperProcess(t *testing.T) {
	arg, ok := os.LookupEnv(semHelperEnv)
	if !ok {
		t.Skip("the child of the interoperation tests")
	}
	os.Exit(semHelper(strings.Fields(arg)))
}

func semHelper(args []string) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(os.Stderr, "helper: "+format+"\n", a...)
		return 2
	}
	if len(args) < 3 {
		return fail("bad arguments %q", args)
	}
	s := shmImplNamed(args[1])
	mapShm := func(name string) ([]byte, error) {
		fd, err := s.ShmOpen(name, unix.O_RDWR, 0)
		if err != nil {
			return nil, err
		}
		defer unix.Close(fd)
		return s.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	}
	switch args[0] {
	case "wait":
		if len(args) != 5 {
			return fail("bad arguments %q", args)
		}
		kind, name, how := args[2], args[3], args[4]
		var sem shmSem
		var addr uintptr
		if kind == "named" {
			var err error
			if sem, err = s.SemOpen(name, 0, 0, 0); err != nil {
				return fail("SemOpen: %v", err)
			}
			if addr, err = semMappedAt("/dev/shm/sem." + strings.TrimLeft(name, "/")); err != nil {
				return fail("%v", err)
			}
		} else {
			mem, err := mapShm(name)
			if err != nil {
				return fail("map: %v", err)
			}
			if sem, err = s.SemAt(mem); err != nil {
				return fail("SemAt: %v", err)
			}
			addr = uintptr(unsafe.Pointer(&mem[0]))
		}
		fmt.Printf("ready %#x\n", addr)
		var err error
		if how == "timedwait" {
			err = sem.Timedwait(semIn(20 * time.Second))
		} else {
			err = sem.Wait()
		}
		fmt.Printf("woke %d\n", shmErrnoValue(err))
		if kind == "named" {
			if err := s.SemClose(sem); err != nil {
				return fail("SemClose: %v", err)
			}
		}
		return 0
	case "pingpong":
		rounds, err := strconv.Atoi(args[3])
		if err != nil {
			return fail("%v", err)
		}
		mem, err := mapShm(args[2])
		if err != nil {
			return fail("map: %v", err)
		}
		a, _ := s.SemAt(mem)
		b, _ := s.SemAt(mem[64:])
		fmt.Println("ready")
		for i := 0; i < rounds; i++ {
			if err := a.Timedwait(semIn(20 * time.Second)); err != nil {
				return fail("round %d: wait: %v", i, err)
			}
			if err := b.Post(); err != nil {
				return fail("round %d: post: %v", i, err)
			}
		}
		fmt.Println("done")
		return 0
	}
	return fail("bad arguments %q", args)
}

// shmErrnoValue is err's errno number, 0 for nil, -1 for an error that is
// not an errno.
func shmErrnoValue(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(unix.Errno); ok {
		return int(e)
	}
	return -1
}

// semMappedAt finds where this process has mapped path, in
// /proc/self/maps.
func semMappedAt(path string) (uintptr, error) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) >= 6 && f[5] == path {
			start, _, _ := strings.Cut(f[0], "-")
			a, err := strconv.ParseUint(start, 16, 64)
			return uintptr(a), err
		}
	}
	return 0, fmt.Errorf("%s is not mapped", path)
}

// semChild is a running helper process and the lines it prints.
type semChild struct {
	cmd   *exec.Cmd
	lines chan string
	exit  chan error
}

// semStartChild starts the helper with args, and kills it when the test
// ends if it is still running.
func semStartChild(t *testing.T, args ...string) *semChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSemHelperProcess$")
	// Under -race, a process sleeps 1s at exit unless GORACE says not to.
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(os.Environ(), semHelperEnv+"="+strings.Join(args, " "), "GORACE="+gorace)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &semChild{cmd: cmd, lines: make(chan string, 16), exit: make(chan error, 1)}
	go func() {
		r := bufio.NewReader(out)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				c.lines <- strings.TrimSuffix(line, "\n")
			}
			if err != nil {
				if err != io.EOF {
					t.Logf("reading the child: %v", err)
				}
				close(c.lines)
				c.exit <- cmd.Wait()
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		for range c.lines {
		}
	})
	return c
}

// line returns the child's next line, which must start with prefix.
func (c *semChild) line(t *testing.T, prefix string) string {
	t.Helper()
	select {
	case l, ok := <-c.lines:
		if !ok {
			t.Fatalf("the child ended before printing %q", prefix)
		}
		if !strings.HasPrefix(l, prefix) {
			t.Fatalf("the child printed %q, want %q...", l, prefix)
		}
		return strings.TrimSpace(strings.TrimPrefix(l, prefix))
	case <-time.After(10 * time.Second):
		t.Fatalf("no %q from the child in 10s", prefix)
	}
	return ""
}

// wait waits for the child to end and fails unless it exits 0.
func (c *semChild) wait(t *testing.T) {
	t.Helper()
	for range c.lines {
	}
	select {
	case err := <-c.exit:
		if err != nil {
			t.Fatalf("child: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the child did not end in 10s")
	}
}

// semAsleep returns once the child pid is asleep in the futex of its
// sem_t at addr: the waiter count in data (the sem_t's first word, as this
// process maps it) is 1, and one of the child's threads is in state S in
// the futex system call (202 on x86_64) on addr with the operation
// FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME and no FUTEX_PRIVATE_FLAG (0x109:
// the semaphore is shared), as its /proc/PID/task/TID/syscall and stat
// show. It never just sleeps: it polls until that holds, for 10s at most.
func semAsleep(t *testing.T, pid int, addr string, data func() uint64) {
	t.Helper()
	want := "202 " + addr + " 0x109 0x0 "
	deadline := time.Now().Add(10 * time.Second)
	for {
		if data()>>32 == 1 {
			tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
			for _, task := range tasks {
				dir := fmt.Sprintf("/proc/%d/task/%s/", pid, task.Name())
				sc, err := os.ReadFile(dir + "syscall")
				if err != nil || !strings.HasPrefix(string(sc), want) {
					continue
				}
				stat, err := os.ReadFile(dir + "stat")
				if err != nil {
					continue
				}
				// The state follows the command name's ')'.
				i := bytes.LastIndexByte(stat, ')')
				if i >= 0 && i+2 < len(stat) && stat[i+2] == 'S' {
					t.Logf("child %d, thread %s, asleep: syscall %s", pid, task.Name(), bytes.TrimSpace(sc))
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d not asleep in futex(%s) after 10s (data %#x)", pid, addr, data())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestSemInteropWakesSleeper: a waiter of one side, in a process of its
// own and asleep in the futex, is woken by a post of the other side (and
// of its own side, for reference), on a named semaphore that the poster's
// side created and on a process-shared sem_t in a MAP_SHARED object that
// the poster's side initialised; with sem_wait and with sem_timedwait.
func TestSemInteropWakesSleeper(t *testing.T) {
	for _, kind := range []string{"named", "shm"} {
		for _, poster := range shmImpls {
			for _, waiter := range shmImpls {
				for _, how := range []string{"wait", "timedwait"} {
					t.Run(fmt.Sprintf("%s/%s-posts/%s-%s", kind, poster.name, waiter.name, how), func(t *testing.T) {
						semWakeSleeper(t, kind, poster, waiter, how)
					})
				}
			}
		}
	}
}

func semWakeSleeper(t *testing.T, kind string, poster, waiter shmImpl, how string) {
	var sem shmSem
	var name string
	var word []byte // the sem_t as this process maps it
	if kind == "named" {
		name, sem = semNamed(t, poster, 0)
		fd, err := unix.Open("/dev/shm/sem."+name[1:], unix.O_RDONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		word, err = unix.Mmap(fd, 0, 32, unix.PROT_READ, unix.MAP_SHARED)
		unix.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Munmap(word) })
	} else {
		var fd int
		name, fd = shmObject(t, poster, 4096)
		mem, err := poster.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { poster.Munmap(mem) })
		if sem, err = poster.SemInit(mem, true, 0); err != nil {
			t.Fatal(err)
		}
		word = mem
	}
	child := semStartChild(t, "wait", waiter.name, kind, name, how)
	addr := child.line(t, "ready")
	semAsleep(t, child.cmd.Process.Pid, addr, func() uint64 { return semData(word) })
	if v, err := sem.Getvalue(); v != 0 || err != nil {
		t.Fatalf("Getvalue with a sleeping waiter = %d, %v; want 0", v, err)
	}
	if err := sem.Post(); err != nil {
		t.Fatal(err)
	}
	if got := child.line(t, "woke"); got != "0" {
		t.Errorf("the %s waiter woke with errno %s, want 0", waiter.name, got)
	}
	child.wait(t)
	if d := semData(word); d != 0 {
		t.Errorf("data %#x after the wait, want 0 (no token, no waiter)", d)
	}
}

// TestSemInteropPingPong passes a token back and forth between two
// processes of different sides (and of the same side, for reference)
// through two process-shared sem_t in one MAP_SHARED object: each side
// waits, often asleep, for the other's post.
func TestSemInteropPingPong(t *testing.T) {
	const rounds = 200
	for _, parent := range shmImpls {
		for _, child := range shmImpls {
			t.Run(parent.name+"-"+child.name, func(t *testing.T) {
				name, fd := shmObject(t, parent, 4096)
				mem, err := parent.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { parent.Munmap(mem) })
				a, err := parent.SemInit(mem, true, 0)
				if err != nil {
					t.Fatal(err)
				}
				b, err := parent.SemInit(mem[64:], true, 0)
				if err != nil {
					t.Fatal(err)
				}
				c := semStartChild(t, "pingpong", child.name, name, strconv.Itoa(rounds))
				c.line(t, "ready")
				for i := 0; i < rounds; i++ {
					if err := a.Post(); err != nil {
						t.Fatal(err)
					}
					if err := b.Timedwait(semIn(10 * time.Second)); err != nil {
						t.Fatalf("round %d: %v", i, err)
					}
				}
				c.line(t, "done")
				c.wait(t)
				if da, db := semData(mem), semData(mem[64:]); da != 0 || db != 0 {
					t.Errorf("data %#x and %#x at the end, want 0", da, db)
				}
			})
		}
	}
}

// TestSemWaitSignals hits a thread asleep in Wait or Timedwait with
// SIGURG, the Go runtime's preemption signal, on both sides. glibc's
// sem_timedwait returns EINTR then (the kernel does not restart a timed
// futex wait after a handler), which a C program without handlers never
// sees; both sides wait on, and return 0 for the post that follows.
func TestSemWaitSignals(t *testing.T) {
	for _, s := range shmImpls {
		for _, timed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/timed=%v", s.name, timed), func(t *testing.T) {
				mem := semMem(t)
				sem, err := s.SemInit(mem, false, 0)
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() {
					if timed {
						done <- sem.Timedwait(semIn(20 * time.Second))
					} else {
						done <- sem.Wait()
					}
				}()
				// 0x189: FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME|FUTEX_PRIVATE_FLAG.
				want := fmt.Sprintf("202 %#x 0x189 ", uintptr(unsafe.Pointer(&mem[0])))
				asleep := func() int {
					deadline := time.Now().Add(10 * time.Second)
					for time.Now().Before(deadline) {
						select {
						case err := <-done:
							t.Fatalf("%s: the wait returned %v after SIGURG", s.name, err)
						default:
						}
						tasks, _ := os.ReadDir("/proc/self/task")
						for _, task := range tasks {
							sc, err := os.ReadFile("/proc/self/task/" + task.Name() + "/syscall")
							if err == nil && strings.HasPrefix(string(sc), want) {
								tid, _ := strconv.Atoi(task.Name())
								return tid
							}
						}
						time.Sleep(time.Millisecond)
					}
					t.Fatal("no thread asleep in the semaphore's futex after 10s")
					return 0
				}
				for i := 0; i < 3; i++ {
					if err := unix.Tgkill(os.Getpid(), asleep(), unix.SIGURG); err != nil {
						t.Fatal(err)
					}
				}
				asleep()
				if err := sem.Post(); err != nil {
					t.Fatal(err)
				}
				if err := <-done; err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
			})
		}
	}
}
