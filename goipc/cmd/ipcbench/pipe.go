//go:build linux

package main

import (
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// pipePair is pipe_pair: up (parent to child) and down. The C forks and
// closes the ends it does not use; here the peer is a new program, which
// is given its ends at 3 and 4 and must not inherit the others: they are
// close-on-exec.
func pipePair(up, down []int) error {
	if err := goipc.Pipe2(up, unix.O_CLOEXEC); err != nil {
		return fail("pipe", err)
	}
	if err := goipc.Pipe2(down, unix.O_CLOEXEC); err != nil {
		return fail("pipe", err)
	}
	return nil
}

// pipeRun starts the peer with up's read end at 3 and down's write end at
// 4, runs parent on the other ends and waits for the peer.
// parent may close the write end and set *wfd to -1.
func pipeRun(a *args, stdout int, parent func(wfd *int, rfd int) error) error {
	var up, down [2]int
	if err := pipePair(up[:], down[:]); err != nil {
		return err
	}
	pid, err := startPeer(a, stdout, []int{up[0], down[1]})
	goipc.Close(up[0])
	goipc.Close(down[1])
	if err != nil {
		return err
	}
	err = parent(&up[1], down[0])
	if up[1] >= 0 {
		goipc.Close(up[1]) // the child sees end of file
	}
	goipc.Close(down[0])
	if werr := waitPeer(pid); err == nil {
		err = werr
	}
	return err
}

func pipeLat(a *args) error {
	return pipeRun(a, -1, func(wfd *int, rfd int) error { return streamLatParent(*wfd, rfd, a) })
}

func pipeLatPeer(a *args, _ []string) error {
	streamLatChild(3, 4, a)
	return nil
}

func pipeTput(a *args) error {
	return pipeRun(a, -1, func(wfd *int, rfd int) error { return streamTputParent(*wfd, rfd, a) })
}

func pipeTputPeer(a *args, _ []string) error {
	streamTputChild(3, 4, a)
	return nil
}

// pipeByte is bench_pipe_byte: iters bytes in blocks of size; the figure
// is the peer's copy rate. The peer's stdout is /dev/null.
func pipeByte(a *args) error {
	null, err := goipc.Open("/dev/null", unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fail("open", err)
	}
	defer goipc.Close(null)
	return pipeRun(a, null, func(wfd *int, rfd int) error {
		buf := filled(a.size)
		var c [1]byte
		if n, err := readFull(rfd, c[:]); n != 1 {
			return fail("read ready", err)
		}
		t0 := nowNs()
		for left := a.iters; left > 0; {
			n := min(left, a.size)
			if w, err := writeFull(*wfd, buf[:n]); w != n {
				return fail("write", err)
			}
			left -= n
		}
		goipc.Close(*wfd)
		*wfd = -1
		if n, err := readFull(rfd, c[:]); n != 1 {
			return fail("read ack", err)
		}
		t1 := nowNs()
		reportThroughput(int64(a.iters), t1-t0)
		return nil
	})
}

// pipeBytePeer is pipe_byte_child: the notes' child() (goipc's pipeChild)
// between a ready byte and an acknowledgement on descriptor 4.
func pipeBytePeer(a *args, _ []string) error {
	const rfd, ackfd = 3, 4
	if n, _ := goipc.Write(ackfd, []byte("r")); n != 1 {
		return nil
	}

	var buf [1]byte
	for {
		if n, _ := goipc.Read(rfd, buf[:]); n <= 0 {
			break
		}
		goipc.Write(unix.Stdout, buf[:])
	}
	goipc.Write(unix.Stdout, []byte("\n"))

	goipc.Write(ackfd, []byte("a"))
	return nil
}
