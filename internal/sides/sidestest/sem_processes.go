//go:build linux

package sidestest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// SemHelpers are the helper commands of TestSemAcrossProcesses, for a
// package whose tests run it with apis; TestMain passes them to
// testhelper.Main.
// Their first argument names the side (sides.API.Name) they run:
//
//	sem-wait SIDE named|shm NAME wait|timedwait
//	sem-pingpong SIDE NAME ROUNDS
//
// sem-wait opens the semaphore (named) or maps the object and takes the
// sem_t at its start (shm), prints "ready ADDR" (the address of the sem_t
// in its process), waits, prints "woke ERRNO", and closes a named one.
// sem-pingpong maps the object, takes the sem_t at 0 (a) and at 64 (b),
// prints "ready", ROUNDS times waits on a and posts b, and prints "done".
func SemHelpers(apis ...sides.API) map[string]testhelper.Helper {
	return map[string]testhelper.Helper{
		"sem-wait":     func(args []string) int { return semWaitHelper(apis, args) },
		"sem-pingpong": func(args []string) int { return semPingPongHelper(apis, args) },
	}
}

// helperFail prints a helper's complaint and gives its exit status, 2.
func helperFail(format string, a ...any) int {
	fmt.Fprintf(os.Stderr, "helper: "+format+"\n", a...)
	return 2
}

// helperSide finds the side that a helper's first argument names.
func helperSide(apis []sides.API, args []string, n int) (sides.API, bool) {
	if len(args) == n {
		for _, api := range apis {
			if api.Name == args[0] {
				return api, true
			}
		}
	}
	return sides.API{}, false
}

// mapShm opens the object name with api and maps its first page.
func mapShm(api sides.API, name string) ([]byte, error) {
	fd, err := api.Shm.Open(name, unix.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	return api.Shm.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
}

func semWaitHelper(apis []sides.API, args []string) int {
	api, ok := helperSide(apis, args, 4)
	if !ok {
		return helperFail("bad arguments %q", args)
	}
	kind, name, how := args[1], args[2], args[3]
	var sem sides.Semaphore
	var addr uintptr
	if kind == "named" {
		var err error
		if sem, err = api.Sem.Open(name, 0, 0, 0); err != nil {
			return helperFail("SemOpen: %v", err)
		}
		if addr, err = mappedAt("/dev/shm/sem." + strings.TrimLeft(name, "/")); err != nil {
			return helperFail("%v", err)
		}
	} else {
		mem, err := mapShm(api, name)
		if err != nil {
			return helperFail("map: %v", err)
		}
		if sem, err = api.Sem.At(mem); err != nil {
			return helperFail("SemAt: %v", err)
		}
		addr = uintptr(unsafe.Pointer(&mem[0]))
	}
	fmt.Printf("ready %#x\n", addr)
	var err error
	if how == "timedwait" {
		ts := unix.NsecToTimespec(time.Now().Add(20 * time.Second).UnixNano())
		err = sem.Timedwait(&ts)
	} else {
		err = sem.Wait()
	}
	fmt.Printf("woke %d\n", errnoValue(err))
	if kind == "named" {
		if err := api.Sem.Close(sem); err != nil {
			return helperFail("SemClose: %v", err)
		}
	}
	return 0
}

func semPingPongHelper(apis []sides.API, args []string) int {
	api, ok := helperSide(apis, args, 3)
	if !ok {
		return helperFail("bad arguments %q", args)
	}
	rounds, err := strconv.Atoi(args[2])
	if err != nil {
		return helperFail("%v", err)
	}
	mem, err := mapShm(api, args[1])
	if err != nil {
		return helperFail("map: %v", err)
	}
	a, _ := api.Sem.At(mem)
	b, _ := api.Sem.At(mem[64:])
	fmt.Println("ready")
	for i := 0; i < rounds; i++ {
		ts := unix.NsecToTimespec(time.Now().Add(20 * time.Second).UnixNano())
		if err := a.Timedwait(&ts); err != nil {
			return helperFail("round %d: wait: %v", i, err)
		}
		if err := b.Post(); err != nil {
			return helperFail("round %d: post: %v", i, err)
		}
	}
	fmt.Println("done")
	return 0
}

// errnoValue is err's errno number, 0 for nil, -1 for an error that is
// not an errno.
func errnoValue(err error) int {
	if err == nil {
		return 0
	}
	if e, ok := err.(unix.Errno); ok {
		return int(e)
	}
	return -1
}

// mappedAt finds where this process has mapped path, in /proc/self/maps.
func mappedAt(path string) (uintptr, error) {
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

// TestSemAcrossProcesses runs semaphores across processes for every
// pairing of apis (one side against itself too), with the helpers of
// SemHelpers(apis...), which TestMain must have registered:
//
//   - wakes-sleeper: a waiter in a process of its own, asleep in the
//     futex, is woken by a post, on a named semaphore that the poster's
//     side created and on a process-shared sem_t in a MAP_SHARED object
//     that the poster's side initialised; with sem_wait and with
//     sem_timedwait.
//   - pingpong: a token goes back and forth between two processes through
//     two process-shared sem_t in one MAP_SHARED object: each waits,
//     often asleep, for the other's post.
func TestSemAcrossProcesses(t *testing.T, apis ...sides.API) {
	for _, kind := range []string{"named", "shm"} {
		for _, poster := range apis {
			for _, waiter := range apis {
				for _, how := range []string{"wait", "timedwait"} {
					t.Run(fmt.Sprintf("wakes-sleeper/%s/%s-posts/%s-%s", kind, poster.Name, waiter.Name, how), func(t *testing.T) {
						t.Parallel()
						semWakeSleeper(t, kind, poster, waiter, how)
					})
				}
			}
		}
	}
	for _, parent := range apis {
		for _, child := range apis {
			t.Run("pingpong/"+parent.Name+"-"+child.Name, func(t *testing.T) {
				t.Parallel()
				semPingPong(t, parent, child)
			})
		}
	}
}

func semWakeSleeper(t *testing.T, kind string, poster, waiter sides.API, how string) {
	var sem sides.Semaphore
	var name string
	var word []byte // the sem_t as this process maps it
	if kind == "named" {
		name, sem = semNamed(t, poster.Sem, 0)
		word = semFile(t, name)
	} else {
		var fd int
		name, fd = ShmObject(t, poster.Shm, 4096)
		mem, err := poster.Shm.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { poster.Shm.Munmap(mem) })
		if sem, err = poster.Sem.Init(mem, true, 0); err != nil {
			t.Fatal(err)
		}
		word = mem
	}
	child := testhelper.StartHelper(t, "sem-wait", waiter.Name, kind, name, how)
	addr := child.Line(t, "ready")
	semAsleep(t, child.Cmd.Process.Pid, addr, func() uint64 { return SemData(word) })
	if v, err := sem.Getvalue(); v != 0 || err != nil {
		t.Fatalf("Getvalue with a sleeping waiter = %d, %v; want 0", v, err)
	}
	if err := sem.Post(); err != nil {
		t.Fatal(err)
	}
	if got := child.Line(t, "woke"); got != "0" {
		t.Errorf("the %s waiter woke with errno %s, want 0", waiter.Name, got)
	}
	child.Wait(t)
	if d := SemData(word); d != 0 {
		t.Errorf("data %#x after the wait, want 0 (no token, no waiter)", d)
	}
}

func semPingPong(t *testing.T, parent, child sides.API) {
	const rounds = 200
	name, fd := ShmObject(t, parent.Shm, 4096)
	mem, err := parent.Shm.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { parent.Shm.Munmap(mem) })
	a, err := parent.Sem.Init(mem, true, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parent.Sem.Init(mem[64:], true, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := testhelper.StartHelper(t, "sem-pingpong", child.Name, name, strconv.Itoa(rounds))
	c.Line(t, "ready")
	for i := 0; i < rounds; i++ {
		if err := a.Post(); err != nil {
			t.Fatal(err)
		}
		if err := b.Timedwait(in(t, 10*time.Second)); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}
	c.Line(t, "done")
	c.Wait(t)
	if da, db := SemData(mem), SemData(mem[64:]); da != 0 || db != 0 {
		t.Errorf("data %#x and %#x at the end, want 0", da, db)
	}
}
