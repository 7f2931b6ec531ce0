//go:build linux

package sidestest

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestSem runs the semaphore cases on api: the constants, glibc 2.36's
// name rules, the errno cases, a named semaphore opened twice and the
// life of one, and waits hit by signals, each in a parallel subtest, and,
// inline, the file that sem_open writes (it sets the umask).
func TestSem(t *testing.T, api sides.API) {
	t.Run("open-file", func(t *testing.T) { semOpenFile(t, api) })
	t.Run("constants", func(t *testing.T) {
		t.Parallel()
		if api.Sem.ValueMax != sides.SEM_VALUE_MAX {
			t.Errorf("%s: SEM_VALUE_MAX %#x, glibc %#x", api.Name, api.Sem.ValueMax, sides.SEM_VALUE_MAX)
		}
		if api.Sem.Size != sides.SizeofSem {
			t.Errorf("%s: sizeof(sem_t) %d, glibc %d", api.Name, api.Sem.Size, sides.SizeofSem)
		}
	})
	t.Run("names", func(t *testing.T) { t.Parallel(); semNames(t, api) })
	t.Run("open-twice", func(t *testing.T) { t.Parallel(); semOpenTwice(t, api) })
	t.Run("life", func(t *testing.T) { t.Parallel(); semLife(t, api) })
	for _, c := range semErrorCases {
		t.Run("errno/"+c.label, func(t *testing.T) {
			t.Parallel()
			checkErrno(t, api.Name+": "+c.label, c.f(t, api.Sem), c.want)
		})
	}
	for _, pshared := range []bool{false, true} {
		for _, timed := range []bool{false, true} {
			t.Run(fmt.Sprintf("wait-signals/pshared=%v/timed=%v", pshared, timed), func(t *testing.T) {
				t.Parallel()
				semWaitSignals(t, api, pshared, timed)
			})
		}
	}
}

// SemMem returns fresh page-aligned shared anonymous memory for SemInit,
// unmapped when the test ends.
func SemMem(t *testing.T) []byte {
	t.Helper()
	mem, err := unix.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	return mem
}

// SemData reads the 64-bit data word of the sem_t at the start of mem:
// the value in the low half, the waiter count in the high half.
func SemData(mem []byte) uint64 {
	return atomic.LoadUint64((*uint64)(unsafe.Pointer(&mem[0])))
}

// semNamed creates a fresh named semaphore with value, closed when the
// test ends (its file goes too).
func semNamed(t *testing.T, s sides.Sem, value uint) (string, sides.Semaphore) {
	t.Helper()
	name := uniqueName(t, "sem", 0)
	sem, err := s.Open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, value)
	if err != nil {
		t.Fatalf("SemOpen(%q): %v", name, err)
	}
	t.Cleanup(func() { s.Close(sem) })
	return name, sem
}

// semClosed opens a fresh named semaphore and closes it.
func semClosed(t *testing.T, s sides.Sem) sides.Semaphore {
	t.Helper()
	sem, err := s.Open(uniqueName(t, "closed", 0), unix.O_CREAT, 0600, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(sem); err != nil {
		t.Fatal(err)
	}
	return sem
}

// semFile maps the file of the named semaphore name read-only, to look at
// its bytes; unmapped when the test ends.
func semFile(t *testing.T, name string) []byte {
	t.Helper()
	fd, err := unix.Open("/dev/shm/sem."+strings.TrimLeft(name, "/"), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	mem, err := unix.Mmap(fd, 0, sides.SizeofSem, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(mem) })
	return mem
}

// semNames runs glibc 2.36's name rules for sem_open and sem_unlink:
// those of shm_open with "sem." in front of the name, so the kernel
// refuses 252 to 255 bytes and glibc's buffer 256 and more.
func semNames(t *testing.T, api sides.API) {
	fixed := func(s string) func(*testing.T) string { return func(*testing.T) string { return s } }
	fresh := func(prefix string) func(*testing.T) string {
		return func(t *testing.T) string { return prefix + uniqueName(t, "n", 0)[1:] }
	}
	long := func(n int) func(*testing.T) string {
		return func(t *testing.T) string { return uniqueName(t, "long", n) }
	}
	cases := []struct {
		label     string
		name      func(t *testing.T) string
		openErr   unix.Errno // sem_open(O_CREAT|O_EXCL|O_RDWR, 0600, 0)
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
	s := api.Sem
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			name := c.name(t)
			sem, err := s.Open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, 0)
			if got := errno(t, err); got != c.openErr {
				t.Errorf("%s: SemOpen(%.40q) = %s; want %s", api.Name, name, errnoName(got), errnoName(c.openErr))
			}
			if err == nil {
				path := "/dev/shm/sem." + strings.TrimLeft(name, "/")
				var st unix.Stat_t
				if err := unix.Stat(path, &st); err != nil {
					t.Errorf("%s: SemOpen(%.40q) made no %.60s: %v", api.Name, name, path, err)
				} else if st.Size != sides.SizeofSem {
					t.Errorf("%s: %s has %d bytes, want %d", api.Name, path, st.Size, sides.SizeofSem)
				}
				if err := s.Close(sem); err != nil {
					t.Errorf("%s: SemClose: %v", api.Name, err)
				}
			} else if sem != nil {
				t.Errorf("%s: SemOpen failed with a semaphore", api.Name)
			}
			if got := errno(t, s.Unlink(name)); got != c.unlinkErr {
				t.Errorf("%s: SemUnlink(%.40q) = %s; want %s", api.Name, name, errnoName(got), errnoName(c.unlinkErr))
			}
		})
	}
}

// semErrorCases are the errno cases of the semaphore calls.
var semErrorCases = []struct {
	label string
	want  unix.Errno
	f     func(t *testing.T, s sides.Sem) error
}{
	{"sem_open O_CREAT|O_EXCL on an existing semaphore", unix.EEXIST, func(t *testing.T, s sides.Sem) error {
		name, _ := semNamed(t, s, 0)
		_, err := s.Open(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
		return err
	}},
	{"sem_open without O_CREAT of a missing semaphore", unix.ENOENT, func(t *testing.T, s sides.Sem) error {
		_, err := s.Open(uniqueName(t, "missing", 0), 0, 0, 0)
		return err
	}},
	{"sem_open with a value over SEM_VALUE_MAX", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		_, err := s.Open(uniqueName(t, "big", 0), unix.O_CREAT, 0600, sides.SEM_VALUE_MAX+1)
		return err
	}},
	{"sem_open O_CREAT|O_EXCL on an existing semaphore with a value over SEM_VALUE_MAX", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		name, _ := semNamed(t, s, 0)
		_, err := s.Open(name, unix.O_CREAT|unix.O_EXCL, 0600, sides.SEM_VALUE_MAX+1)
		return err
	}},
	{"sem_open O_CREAT on an existing semaphore ignores the value", 0, func(t *testing.T, s sides.Sem) error {
		name, _ := semNamed(t, s, 3)
		sem, err := s.Open(name, unix.O_CREAT, 0600, sides.SEM_VALUE_MAX+1)
		if err != nil {
			return err
		}
		defer s.Close(sem)
		if v, _ := sem.Getvalue(); v != 3 {
			t.Errorf("value %d, want 3", v)
		}
		return nil
	}},
	{"sem_unlink twice", unix.ENOENT, func(t *testing.T, s sides.Sem) error {
		name, _ := semNamed(t, s, 0)
		if err := s.Unlink(name); err != nil {
			t.Fatal(err)
		}
		return s.Unlink(name)
	}},
	{"sem_close twice", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		return s.Close(semClosed(t, s))
	}},
	{"sem_post after sem_close", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		return semClosed(t, s).Post()
	}},
	{"sem_close of an unnamed semaphore", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		sem, err := s.Init(SemMem(t), true, 0)
		if err != nil {
			t.Fatal(err)
		}
		return s.Close(sem)
	}},
	{"sem_init with a value over SEM_VALUE_MAX", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		_, err := s.Init(SemMem(t), false, sides.SEM_VALUE_MAX+1)
		return err
	}},
	{"sem_init on memory shorter than sem_t (not glibc's: Go's slice)", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		_, err := s.Init(SemMem(t)[:31], false, 0)
		return err
	}},
	{"sem_init on misaligned memory (not glibc's: Go's slice)", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		_, err := s.Init(SemMem(t)[4:], false, 0)
		return err
	}},
	{"sem_destroy", 0, func(t *testing.T, s sides.Sem) error {
		sem, err := s.Init(SemMem(t), false, 1)
		if err != nil {
			t.Fatal(err)
		}
		return s.Destroy(sem)
	}},
	{"sem_trywait at 0", unix.EAGAIN, func(t *testing.T, s sides.Sem) error {
		_, sem := semNamed(t, s, 0)
		return sem.Trywait()
	}},
	{"sem_trywait at 1", 0, func(t *testing.T, s sides.Sem) error {
		_, sem := semNamed(t, s, 1)
		return sem.Trywait()
	}},
	{"sem_post at SEM_VALUE_MAX", unix.EOVERFLOW, func(t *testing.T, s sides.Sem) error {
		sem, err := s.Init(SemMem(t), true, sides.SEM_VALUE_MAX)
		if err != nil {
			t.Fatal(err)
		}
		return sem.Post()
	}},
	{"sem_open with SEM_VALUE_MAX, then sem_post", unix.EOVERFLOW, func(t *testing.T, s sides.Sem) error {
		_, sem := semNamed(t, s, sides.SEM_VALUE_MAX)
		if v, _ := sem.Getvalue(); v != sides.SEM_VALUE_MAX {
			t.Errorf("value %d", v)
		}
		return sem.Post()
	}},
	{"sem_timedwait expiring", unix.ETIMEDOUT, func(t *testing.T, s sides.Sem) error {
		_, sem := semNamed(t, s, 0)
		start := time.Now()
		err := sem.Timedwait(in(t, 20*time.Millisecond))
		if d := time.Since(start); d < 15*time.Millisecond {
			t.Errorf("Timedwait returned after %v, before its time", d)
		}
		return err
	}},
	{"sem_timedwait at a past time", unix.ETIMEDOUT, semTimedwaitAt(0, 0)},
	{"sem_timedwait with a negative tv_sec", unix.ETIMEDOUT, semTimedwaitAt(-1, 0)},
	{"sem_timedwait with tv_nsec 1000000000", unix.EINVAL, semTimedwaitAt(1, 1e9)},
	{"sem_timedwait at a past time with tv_nsec 1000000000", unix.EINVAL, semTimedwaitAt(0, 1e9)},
	// glibc 2.36 checks tv_nsec before it looks at the value.
	{"sem_timedwait with tv_nsec -1 and a token to take", unix.EINVAL, func(t *testing.T, s sides.Sem) error {
		_, sem := semNamed(t, s, 1)
		err := sem.Timedwait(&unix.Timespec{Sec: time.Now().Unix() + 1, Nsec: -1})
		if v, _ := sem.Getvalue(); v != 1 {
			t.Errorf("value %d after Timedwait, want 1", v)
		}
		// The same at a time long past.
		checkErrno(t, "sem_timedwait {1, -1} with a token to take", sem.Timedwait(&unix.Timespec{Sec: 1, Nsec: -1}), unix.EINVAL)
		if v, _ := sem.Getvalue(); v != 1 {
			t.Errorf("value %d after the second Timedwait, want 1", v)
		}
		return err
	}},
	{"sem_timedwait with tv_nsec -1 and a negative tv_sec", unix.EINVAL, semTimedwaitAt(-1, -1)},
	{"sem_timedwait with a token to take", 0, func(t *testing.T, s sides.Sem) error {
		name, sem := semNamed(t, s, 1)
		err := sem.Timedwait(&unix.Timespec{Sec: 1})
		if d := SemData(semFile(t, name)); d != 0 {
			t.Errorf("data %#x after taking the token, want 0", d)
		}
		return err
	}},
}

// semTimedwaitAt is a case that calls sem_timedwait on a fresh named
// semaphore at 0 with the time {sec, nsec}, where sec is 1 for a second
// from now, 0 for 1 (long past) and -1 for -1.
func semTimedwaitAt(sec int64, nsec int64) func(t *testing.T, s sides.Sem) error {
	return func(t *testing.T, s sides.Sem) error {
		_, sem := semNamed(t, s, 0)
		ts := unix.Timespec{Sec: sec, Nsec: nsec}
		switch sec {
		case 1:
			ts.Sec = time.Now().Unix() + 1
		case 0:
			ts.Sec = 1
		}
		return sem.Timedwait(&ts)
	}
}

// semOpenTwice checks glibc's table of open named semaphores: the same
// name gives the same semaphore, counted; another spelling of the name is
// another mapping of the same file.
func semOpenTwice(t *testing.T, api sides.API) {
	s := api.Sem
	name, first := semNamed(t, s, 0)
	again, err := s.Open(name, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("%s: SemOpen of the same name gave another semaphore", api.Name)
	}
	other, err := s.Open("//"+name[1:], 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if other == first {
		t.Errorf("%s: SemOpen of another spelling gave the same semaphore", api.Name)
	}
	if err := other.Post(); err != nil {
		t.Fatal(err)
	}
	if v, _ := first.Getvalue(); v != 1 {
		t.Errorf("%s: value %d through the other mapping, want 1", api.Name, v)
	}
	for i, sem := range []sides.Semaphore{other, again} {
		if err := s.Close(sem); err != nil {
			t.Errorf("%s: SemClose %d: %v", api.Name, i, err)
		}
	}
	// first is still open: its reference outlived again's.
	if err := first.Trywait(); err != nil {
		t.Errorf("%s: Trywait after closing the second reference: %v", api.Name, err)
	}
	if err := s.Unlink(name); err != nil {
		t.Error(err)
	}
}

// semLife takes one named semaphore through its life: a second open and
// close, closes and posts after the last close, unlinks.
func semLife(t *testing.T, api sides.API) {
	s := api.Sem
	name, first := semNamed(t, s, 0)
	steps := []struct {
		what string
		want unix.Errno
		f    func() error
	}{
		{"close the second reference", 0, func() error {
			again, err := s.Open(name, 0, 0, 0)
			if err != nil {
				return err
			}
			return s.Close(again)
		}},
		{"post through the first", 0, first.Post},
		{"close the first", 0, func() error { return s.Close(first) }},
		{"close once more", unix.EINVAL, func() error { return s.Close(first) }},
		{"post on a closed semaphore", unix.EINVAL, first.Post},
		{"unlink", 0, func() error { return s.Unlink(name) }},
		{"unlink again", unix.ENOENT, func() error { return s.Unlink(name) }},
	}
	for _, st := range steps {
		checkErrno(t, api.Name+": "+st.what, st.f(), st.want)
	}
}

// semOpenFile checks the file that sem_open creates: 32 bytes, glibc's
// initialised sem_t (value, no waiters, private = FUTEX_SHARED), mode
// 0600 & ~umask. It sets the umask, so it must not run in parallel.
func semOpenFile(t *testing.T, api sides.API) {
	for _, c := range []struct {
		umask int
		value uint
	}{{0027, 5}, {0077, 7}} {
		old := unix.Umask(c.umask)
		name, _ := semNamed(t, api.Sem, c.value)
		unix.Umask(old)
		path := "/dev/shm/sem." + name[1:]
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte{byte(c.value), 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0}, make([]byte, 20)...)
		if !bytes.Equal(b, want) {
			t.Errorf("%s: sem_open wrote % x, want % x", api.Name, b, want)
		}
		var st unix.Stat_t
		if err := unix.Stat(path, &st); err != nil {
			t.Fatal(err)
		}
		if st.Mode&0777 != 0600 {
			t.Errorf("%s: mode %o, want 0600 (0600 & ~%04o)", api.Name, st.Mode&0777, c.umask)
		}
	}
}

// semSleeping returns once a thread of this process is asleep in the
// futex system call (202 on x86_64) on the sem_t at the start of mem,
// counted in as a waiter, with op (0x189, FUTEX_WAIT_BITSET|
// FUTEX_CLOCK_REALTIME|FUTEX_PRIVATE_FLAG, for a private semaphore, 0x109
// for a shared one), and returns its thread id. The wait must not end
// meanwhile: done must stay empty.
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
		if SemData(mem)>>32 == 1 {
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
	t.Fatalf("no thread asleep in futex on the semaphore after 10s (data %#x)", SemData(mem))
	return 0
}

// semWaitSignals wakes a sleeping Wait or Timedwait with a Post, after
// first hitting the sleeping thread with signals that the Go runtime
// handles (SIGURG, its preemption signal, and SIGCHLD). glibc's
// sem_timedwait returns EINTR then (the kernel does not restart a timed
// futex wait after a handler), which a C program without handlers never
// sees; both sides wait on, and return 0 for the post that follows.
func semWaitSignals(t *testing.T, api sides.API, pshared, timed bool) {
	mem := SemMem(t)
	s, err := api.Sem.Init(mem, pshared, 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	deadline := in(t, 20*time.Second)
	go func() {
		if timed {
			done <- s.Timedwait(deadline)
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
		t.Fatalf("%s: wait: %v", api.Name, err)
	}
	if w := SemData(mem); w != 0 {
		t.Errorf("%s: data %#x after the wait, want 0", api.Name, w)
	}
}
