//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// idleHelpers wait, after printing "ready", on an empty queue or a
// semaphore at 0 that their argument names: "idle-mq-receive" with MqReceive,
// as an idle mq_server does, "idle-sem-wait" with Sem.Wait, and the "-spinning"
// ones the way a wait that never blocks would, trying without blocking
// forever (the wrong waits that TestIdleWaitUsesNoCPU must catch).
var idleHelpers = map[string]testhelper.Helper{
	"idle-mq-receive":          func(args []string) int { return idleReceive(args[0], false) },
	"idle-mq-receive-spinning": func(args []string) int { return idleReceive(args[0], true) },
	"idle-sem-wait":            func(args []string) int { return idleSemWait(args[0], false) },
	"idle-sem-wait-spinning":   func(args []string) int { return idleSemWait(args[0], true) },
	"mq-receive-one-p":         func(args []string) int { return receiveOneP(args[0], goipc.MqReceive) },
	"mq-receive-one-p-raw": func(args []string) int {
		return receiveOneP(args[0], func(mqd int, buf []byte, _ *uint) (int, error) {
			n, _, e := unix.RawSyscall6(unix.SYS_MQ_TIMEDRECEIVE, uintptr(mqd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0, 0)
			if e != 0 {
				return -1, e
			}
			return int(n), nil
		})
	},
}

// receiveOneP waits in receive on one goroutine while another, with the
// only P (GOMAXPROCS 1), sleeps and then sends it a message: that works
// only if the blocked receive has given up the P. "mq-receive-one-p-raw"
// receives by RawSyscall, which keeps it: the wrong wait that
// TestBlockedReceiveGivesUpP must catch.
func receiveOneP(name string, receive func(int, []byte, *uint) (int, error)) int {
	runtime.GOMAXPROCS(1)
	mqd, err := goipc.MqOpen(name, unix.O_RDWR, 0, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mq_open:", err)
		return 2
	}
	got := make(chan error)
	go func() {
		_, err := receive(mqd, make([]byte, 64), nil)
		got <- err
	}()
	time.Sleep(50 * time.Millisecond) // the receive is blocked by now
	if err := goipc.MqSend(mqd, []byte("x"), 0); err != nil {
		fmt.Fprintln(os.Stderr, "mq_send:", err)
		return 2
	}
	if err := <-got; err != nil {
		fmt.Fprintln(os.Stderr, "mq_receive:", err)
		return 2
	}
	return 0
}

func idleReceive(name string, spinning bool) int {
	mqd, err := goipc.MqOpen(name, unix.O_RDONLY, 0, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mq_open:", err)
		return 2
	}
	buf := make([]byte, 64)
	fmt.Println("ready")
	if spinning {
		var now unix.Timespec
		for {
			if _, err := goipc.MqTimedreceive(mqd, buf, nil, &now); err != unix.ETIMEDOUT {
				return 0
			}
			runtime.Gosched()
		}
	}
	if _, err := goipc.MqReceive(mqd, buf, nil); err != nil {
		fmt.Fprintln(os.Stderr, "mq_receive:", err)
		return 2
	}
	return 0
}

// idleSemWait waits on the semaphore name, at 0, after printing "ready":
// with Sem.Wait, which waits briefly and then sleeps on the futex, or, when
// spinning, with Trywait over and over (the wrong wait).
func idleSemWait(name string, spinning bool) int {
	sem, err := goipc.SemOpen(name, 0, 0, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sem_open:", err)
		return 2
	}
	fmt.Println("ready")
	for spinning && sem.Trywait() != nil {
		runtime.Gosched()
	}
	if !spinning {
		if err := sem.Wait(); err != nil {
			fmt.Fprintln(os.Stderr, "sem_wait:", err)
			return 2
		}
	}
	return 0
}

// cpuTime is the time that the threads of process pid have run, from
// /proc/PID/task/*/schedstat (nanoseconds; /proc/PID/stat counts clock
// ticks of 10 ms).
func cpuTime(t *testing.T, pid int) time.Duration {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var sum time.Duration
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // a thread that ended
		}
		ns, err := strconv.ParseInt(strings.Fields(string(b))[0], 10, 64)
		if err != nil {
			t.Fatalf("%s: %q", f, b)
		}
		sum += time.Duration(ns)
	}
	return sum
}

// idleCPU starts helper on a new queue (sem false) or semaphore (sem
// true) and returns the CPU time it uses in window once it is waiting; it
// ends it with a message or a post.
func idleCPU(t *testing.T, helper string, sem bool, window time.Duration) time.Duration {
	name := fmt.Sprintf("/goipc-idle-%d-%s", os.Getpid(), helper)
	var wake func() error
	if sem {
		s, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer goipc.SemUnlink(name)
		wake = s.Post
	} else {
		mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 64})
		if err != nil {
			t.Fatal(err)
		}
		defer goipc.MqUnlink(name)
		defer goipc.MqClose(mqd)
		wake = func() error { return goipc.MqSend(mqd, []byte("quit"), 0) }
	}
	child := testhelper.StartHelper(t, helper, name)
	child.Line(t, "ready")
	time.Sleep(20 * time.Millisecond) // past a brief wait, into the kernel's
	before := cpuTime(t, child.Cmd.Process.Pid)
	time.Sleep(window)
	used := cpuTime(t, child.Cmd.Process.Pid) - before
	if err := wake(); err != nil {
		t.Fatal(err)
	}
	child.Wait(t)
	return used
}

// An idle waiter (an mq_server with no client, a shm_reader with no
// writer) sleeps in the kernel, after Sem.Wait's brief wait: over 200 ms it
// uses less than 1 ms of CPU (sysmon backs off to 10 ms sleeps and then
// parks). A wait that spins on instead uses the CPU all along, and is
// caught.
func TestIdleWaitUsesNoCPU(t *testing.T) {
	t.Parallel()
	const window, bound = 200 * time.Millisecond, time.Millisecond
	for _, c := range []struct {
		helper string
		sem    bool
	}{{"idle-mq-receive", false}, {"idle-sem-wait", true}} {
		used := idleCPU(t, c.helper, c.sem, window)
		t.Logf("idle %s: %v of CPU in %v", c.helper, used, window)
		if used > bound {
			t.Errorf("an idle %s used %v of CPU in %v, want less than %v", c.helper, used, window, bound)
		}
		if used := idleCPU(t, c.helper+"-spinning", c.sem, window); used <= bound {
			t.Errorf("%s-spinning used %v of CPU in %v: the bound %v cannot catch it", c.helper, used, window, bound)
		}
	}
}

// A receive that blocks gives its P up (after its brief wait): with one P,
// another goroutine still runs and sends it a message. A receive that
// blocks holding the P (RawSyscall) leaves the sender, the garbage
// collector and every other goroutine waiting for the peer: here for ever,
// and it is caught.
func TestBlockedReceiveGivesUpP(t *testing.T) {
	t.Parallel()
	if !receivesWithOneP(t, "mq-receive-one-p", 5*time.Second) {
		t.Error("a goroutine blocked in MqReceive kept the only P: the sender never ran")
	}
	if receivesWithOneP(t, "mq-receive-one-p-raw", time.Second) {
		t.Error("a receive by RawSyscall let the sender run: the test cannot catch a wait that keeps the P")
	}
}

// receivesWithOneP runs helper on a new queue and reports whether it
// ended well within deadline; it is killed at the deadline.
func receivesWithOneP(t *testing.T, helper string, deadline time.Duration) bool {
	name := fmt.Sprintf("/goipc-onep-%d-%s", os.Getpid(), helper)
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)
	argv := testhelper.Command(t, helper, name)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("helper %s: %v", helper, err)
		}
		return err == nil
	case <-time.After(deadline):
		cmd.Process.Kill()
		<-done
		return false
	}
}
