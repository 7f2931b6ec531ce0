//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

func ExampleForkExec() {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		fmt.Println(err)
		return
	}
	// The child's standard output is the pipe's write end.
	pid, err := goipc.ForkExec("/bin/sh", []string{"sh", "-c", "echo child; exit 7"}, nil, p[1])
	goipc.Close(p[1])
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, 16)
	n, _ := goipc.Read(p[0], buf)
	goipc.Close(p[0])
	var status int
	r, _ := goipc.Waitpid(pid, &status, 0)
	fmt.Printf("%q %v %d\n", buf[:n], r == pid, unix.WaitStatus(status).ExitStatus())
	_, err = goipc.Waitpid(pid, nil, 0)
	fmt.Println(err == unix.ECHILD)
	// Output:
	// "child\n" true 7
	// true
}

func ExampleSetrlimit() {
	var lim unix.Rlimit
	if err := goipc.Getrlimit(unix.RLIMIT_CORE, &lim); err != nil {
		fmt.Println(err)
		return
	}
	// The soft limit may not pass the hard one.
	err := goipc.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 2, Max: 1})
	fmt.Println(err == unix.EINVAL)
	fmt.Println(goipc.Setrlimit(unix.RLIMIT_CORE, &lim))
	// Output:
	// true
	// <nil>
}

func ExampleSigaction() {
	// A handler that records SIGUSR2, then the signal sent to this
	// process: Caught has it.
	if err := goipc.Sigaction(int(unix.SIGUSR2), goipc.SigRecord, goipc.SA_RESTART, nil); err != nil {
		fmt.Println(err)
		return
	}
	goipc.Kill(goipc.Getpid(), int(unix.SIGUSR2))
	var caught []int
	for len(caught) == 0 {
		caught = goipc.Caught()
	}
	fmt.Println(syscall.Signal(caught[0]))
	// SIG_IGN: the signal is gone.
	goipc.Sigaction(int(unix.SIGUSR2), goipc.SigIgn, 0, nil)
	goipc.Kill(goipc.Getpid(), int(unix.SIGUSR2))
	goipc.Usleep(10000)
	fmt.Println(goipc.Caught())
	// Output:
	// user defined signal 2
	// []
}

func ExampleAlarm() {
	fmt.Println(goipc.Alarm(5)) // no alarm before
	fmt.Println(goipc.Alarm(0)) // cancelled: about 5 s were left
	// Output:
	// 0
	// 5
}

func ExampleWaitpid() {
	pid, err := goipc.ForkExec("/bin/sh", []string{"sh", "-c", "kill -TERM $$"}, nil, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	var status int
	goipc.Waitpid(pid, &status, 0)
	ws := unix.WaitStatus(status)
	fmt.Println(ws.Signaled(), ws.Signal())
	// Output:
	// true terminated
}

func ExampleGetpid() {
	fmt.Println(goipc.Getpid() == os.Getpid())
	// Output:
	// true
}

func ExampleGetppid() {
	fmt.Println(goipc.Getppid() == os.Getppid())
	// Output:
	// true
}

func ExampleKill() {
	// Signal 0 only asks whether the process is there.
	fmt.Println(goipc.Kill(goipc.Getpid(), 0))
	fmt.Println(goipc.Kill(0x7fffffff, 0) == unix.ESRCH)
	// Output:
	// <nil>
	// true
}

func ExampleUsleep() {
	start := time.Now()
	err := goipc.Usleep(20000)
	fmt.Println(err, time.Since(start) >= 20*time.Millisecond)
	// Output:
	// <nil> true
}

func ExampleGetrlimit() {
	var lim unix.Rlimit
	err := goipc.Getrlimit(unix.RLIMIT_NOFILE, &lim)
	fmt.Println(err, lim.Cur <= lim.Max)
	fmt.Println(goipc.Getrlimit(1000, &lim) == unix.EINVAL)
	// Output:
	// <nil> true
	// true
}

func ExampleCaught() {
	// Nothing caught: the list is empty.
	fmt.Println(len(goipc.Caught()))
	// Output:
	// 0
}

func ExampleUalarm() {
	fmt.Println(goipc.Ualarm(5000000, 0)) // no timer before
	fmt.Println(goipc.Ualarm(0, 0) > 0)   // cancelled with time left
	// Output:
	// 0
	// true
}
