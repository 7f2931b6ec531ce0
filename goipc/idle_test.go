//go:build linux

package goipc_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// idleHelpers wait on an empty queue, named by their argument, after
// printing "ready": "mq-receive" with MqReceive, as an idle mq_server does,
// and "mq-receive-spinning" the way a wait that never blocks would, trying
// without blocking and yielding forever (the wrong wait that
// TestIdleReceiveUsesNoCPU must catch).
var idleHelpers = map[string]testhelper.Helper{
	"mq-receive":          func(args []string) int { return idleReceive(args[0], false) },
	"mq-receive-spinning": func(args []string) int { return idleReceive(args[0], true) },
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

// idleCPU starts helper on a new queue and returns the CPU time it uses in
// window once it is waiting; it ends it with a message.
func idleCPU(t *testing.T, helper string, window time.Duration) time.Duration {
	name := fmt.Sprintf("/goipc-idle-%d-%s", os.Getpid(), helper)
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)
	argv := testhelper.Command(t, helper, name)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if line, err := bufio.NewReader(out).ReadString('\n'); line != "ready\n" {
		t.Fatalf("helper %s: %q, %v", helper, line, err)
	}
	time.Sleep(20 * time.Millisecond) // past the brief wait, into the kernel's
	before := cpuTime(t, cmd.Process.Pid)
	time.Sleep(window)
	used := cpuTime(t, cmd.Process.Pid) - before
	if err := goipc.MqSend(mqd, []byte("quit"), 0); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("helper %s: %v", helper, err)
	}
	return used
}

// An idle receiver (an mq_server with no client) waits briefly and then
// sleeps in the kernel: over 200 ms it uses less than 1 ms of CPU (sysmon
// backs off to 10 ms sleeps and then parks). A wait that spins on instead
// uses the CPU all along, and is caught.
func TestIdleReceiveUsesNoCPU(t *testing.T) {
	t.Parallel()
	const window, bound = 200 * time.Millisecond, time.Millisecond
	used := idleCPU(t, "mq-receive", window)
	t.Logf("idle MqReceive: %v of CPU in %v", used, window)
	if used > bound {
		t.Errorf("an idle MqReceive used %v of CPU in %v, want less than %v", used, window, bound)
	}
	if used := idleCPU(t, "mq-receive-spinning", window); used <= bound {
		t.Errorf("a spinning receive used %v of CPU in %v: the bound %v cannot catch it", used, window, bound)
	}
}
