//go:build linux

package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/bench"
	"github.com/ipcparity/ipcparity/goipc"
)

// setup pins every thread of the process to cpu (cpu < 0: no pinning).
func setup(cpu int) error {
	if err := bench.PinProcess(cpu); err != nil {
		goipc.Perror("sched_setaffinity", err)
		return err
	}
	return nil
}

// clock is CLOCK_MONOTONIC in nanoseconds from the first call: the runtime's
// nanotime, read through the vDSO as C's clock_gettime is.
var clockBase = time.Now()

func nowNs() int64 { return int64(time.Since(clockBase)) }

// warmup is bench_warmup: a tenth of iters, at least one.
func warmup(iters int) int {
	return max(iters/10, 1)
}

// readFull is bench_read_full: exactly len(p) bytes unless end of file or
// an error comes first.
func readFull(fd int, p []byte) (int, error) {
	got := 0
	for got < len(p) {
		n, err := goipc.Read(fd, p[got:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return got, err
		}
		if n == 0 {
			break
		}
		got += n
	}
	return got, nil
}

func writeFull(fd int, p []byte) (int, error) {
	put := 0
	for put < len(p) {
		n, err := goipc.Write(fd, p[put:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return put, err
		}
		put += n
	}
	return put, nil
}

// fail prints what perror(what) prints and returns an error for the run.
func fail(what string, err error) error {
	if err == nil {
		err = unix.Errno(0)
	}
	goipc.Perror(what, err)
	return fmt.Errorf("%s: %w", what, err)
}

// startPeer starts this binary again as the peer of a: fds become its
// descriptors 3, 4, ... (stdout its descriptor 1 if not -1) and extra
// follows a's arguments. The peer inherits the pinned thread's CPU mask.
func startPeer(a *args, stdout int, fds []int, extra ...string) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return -1, fail("executable", err)
	}
	if stdout < 0 {
		stdout = 1
	}
	v := append([]string{a.name, strconv.Itoa(a.iters), strconv.Itoa(a.size), strconv.Itoa(a.cpu), a.dir, a.token}, extra...)
	env := append(os.Environ(), peerEnv+"="+strings.Join(v, "\n"))
	files := append([]uintptr{0, uintptr(stdout), 2}, make([]uintptr, len(fds))...)
	for i, fd := range fds {
		files[3+i] = uintptr(fd)
	}
	pid, err := syscall.ForkExec(self, []string{self}, &syscall.ProcAttr{Env: env, Files: files})
	if err != nil {
		return -1, fail("fork", err)
	}
	return pid, nil
}

// waitPeer is bench_wait.
func waitPeer(pid int) error {
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(pid, &ws, 0, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fail("waitpid", err)
		}
		break
	}
	if !ws.Exited() || ws.ExitStatus() != 0 {
		fmt.Fprintf(os.Stderr, "ipcbench: peer failed (status 0x%x)\n", int(ws))
		return fmt.Errorf("peer failed")
	}
	return nil
}

// percentile is bench_percentile: nearest rank in sorted samples.
func percentile(sorted []int64, p int) int64 {
	i := max((len(sorted)*p+99)/100-1, 0)
	return sorted[i]
}

func reportLatency(samples []int64) error {
	if len(samples) == 0 {
		fmt.Fprintln(os.Stderr, "ipcbench: no samples")
		return fmt.Errorf("no samples")
	}
	slices.Sort(samples)
	fmt.Printf("n=%d p50_ns=%d p99_ns=%d min_ns=%d max_ns=%d\n", len(samples),
		percentile(samples, 50), percentile(samples, 99), samples[0], samples[len(samples)-1])
	return nil
}

func reportThroughput(bytes, ns int64) {
	fmt.Printf("bytes=%d ns=%d\n", bytes, ns)
}

func reportCall(calls int, ns int64) {
	fmt.Printf("calls=%d ns=%d\n", calls, ns)
}

func filled(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = 'x'
	}
	return b
}

// streamLatParent is bench_stream_lat_parent: round trips of size bytes.
func streamLatParent(wfd, rfd int, a *args) error {
	msg, buf := filled(a.size), make([]byte, a.size)
	warm := warmup(a.iters)
	total := warm + a.iters
	samples := make([]int64, a.iters)
	prev := nowNs()
	for i := 0; i < total; i++ {
		if n, err := writeFull(wfd, msg); n != a.size {
			return fail("write", err)
		}
		if n, err := readFull(rfd, buf); n != a.size {
			return fail("read", err)
		}
		now := nowNs()
		if i >= warm {
			samples[i-warm] = now - prev
		}
		prev = now
	}
	return reportLatency(samples)
}

// streamLatChild is bench_stream_lat_child: the echo, until end of file.
func streamLatChild(rfd, wfd int, a *args) {
	buf := make([]byte, a.size)
	for {
		if n, _ := readFull(rfd, buf); n != a.size {
			return
		}
		if n, _ := writeFull(wfd, buf); n != a.size {
			return
		}
	}
}

// streamTputParent is bench_stream_tput_parent.
func streamTputParent(wfd, rfd int, a *args) error {
	buf := filled(a.size)
	var c [1]byte
	if n, err := readFull(rfd, c[:]); n != 1 {
		return fail("read ready", err)
	}
	t0 := nowNs()
	for i := 0; i < a.iters; i++ {
		if n, err := writeFull(wfd, buf); n != a.size {
			return fail("write", err)
		}
	}
	if n, err := readFull(rfd, c[:]); n != 1 {
		return fail("read ack", err)
	}
	t1 := nowNs()
	reportThroughput(int64(a.iters)*int64(a.size), t1-t0)
	return nil
}

// streamTputChild is bench_stream_tput_child.
func streamTputChild(rfd, wfd int, a *args) {
	total := int64(a.iters) * int64(a.size)
	buf := make([]byte, a.size)
	if n, _ := writeFull(wfd, []byte("r")); n != 1 {
		return
	}
	var got int64
	for got < total {
		n, err := goipc.Read(rfd, buf)
		if err == unix.EINTR {
			continue
		}
		if n <= 0 {
			break
		}
		got += int64(n)
	}
	writeFull(wfd, []byte("a"))
}
