//go:build linux

package sidestest

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// fdCase is one case of a descriptor table: f makes its calls and returns
// the result of the call under test, which must be the bare errno want.
type fdCase[S any] struct {
	label string
	want  unix.Errno
	f     func(t *testing.T, s S) error
}

// runCases runs each case on s in a parallel subtest.
func runCases[S any](t *testing.T, side string, s S, cases []fdCase[S]) {
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			t.Parallel()
			checkErrno(t, side+": "+c.label, c.f(t, s), c.want)
		})
	}
}

// TestPipe runs the pipe cases on api, each in a parallel subtest.
func TestPipe(t *testing.T, api sides.API) {
	runCases(t, api.Name, api.Pipe, pipeCases)
}

// pipeOf makes a pipe with flags; both ends are closed when the test ends.
func pipeOf(t *testing.T, s sides.Pipe, flags int) [2]int {
	t.Helper()
	p := make([]int, 2)
	if err := s.Pipe2(p, flags); err != nil {
		t.Fatalf("pipe2: %v", err)
	}
	closeAtEnd(t, p[0])
	closeAtEnd(t, p[1])
	return [2]int{p[0], p[1]}
}

var pipeCases = []fdCase[sides.Pipe]{
	{"round-trip", 0, func(t *testing.T, s sides.Pipe) error {
		p := make([]int, 2)
		if err := s.Pipe(p); err != nil {
			return err
		}
		if n, err := s.Write(p[1], []byte("hello")); n != 5 || err != nil {
			t.Fatalf("write = %d, %v; want 5", n, err)
		}
		buf := make([]byte, 16)
		if n, err := s.Read(p[0], buf); string(buf[:max(n, 0)]) != "hello" || err != nil {
			t.Fatalf("read = %d %q, %v; want \"hello\"", n, buf[:max(n, 0)], err)
		}
		if err := s.Close(p[1]); err != nil {
			return err
		}
		if n, err := s.Read(p[0], buf); n != 0 || err != nil {
			t.Errorf("read at end of file = %d, %v; want 0, nil", n, err)
		}
		return s.Close(p[0])
	}},
	{"pipe/one-element-slice", unix.EINVAL, func(t *testing.T, s sides.Pipe) error {
		return s.Pipe(make([]int, 1))
	}},
	{"pipe2/three-element-slice", unix.EINVAL, func(t *testing.T, s sides.Pipe) error {
		return s.Pipe2(make([]int, 3), 0)
	}},
	{"pipe2/O_APPEND", unix.EINVAL, func(t *testing.T, s sides.Pipe) error {
		p := make([]int, 2)
		err := s.Pipe2(p, unix.O_APPEND)
		if err == nil {
			s.Close(p[0])
			s.Close(p[1])
		}
		return err
	}},
	{"pipe2/O_NONBLOCK|O_CLOEXEC-empty-read", unix.EAGAIN, func(t *testing.T, s sides.Pipe) error {
		p := pipeOf(t, s, unix.O_NONBLOCK|unix.O_CLOEXEC)
		for _, fd := range p {
			fl, err := s.FcntlInt(fd, unix.F_GETFL, 0)
			if err != nil || fl&unix.O_NONBLOCK == 0 {
				t.Errorf("F_GETFL of %d = %#x, %v; want O_NONBLOCK", fd, fl, err)
			}
			fd, err := s.FcntlInt(fd, unix.F_GETFD, 0)
			if err != nil || fd&unix.FD_CLOEXEC == 0 {
				t.Errorf("F_GETFD = %#x, %v; want FD_CLOEXEC", fd, err)
			}
		}
		n, err := s.Read(p[0], make([]byte, 8))
		if n != -1 && n != 0 {
			t.Errorf("failed read gave %d", n)
		}
		return err
	}},
	{"read/write-end", unix.EBADF, func(t *testing.T, s sides.Pipe) error {
		p := pipeOf(t, s, 0)
		_, err := s.Read(p[1], make([]byte, 8))
		return err
	}},
	{"write/read-end", unix.EBADF, func(t *testing.T, s sides.Pipe) error {
		p := pipeOf(t, s, 0)
		_, err := s.Write(p[0], []byte("x"))
		return err
	}},
	{"close/-1", unix.EBADF, func(t *testing.T, s sides.Pipe) error { return s.Close(-1) }},
	{"fcntl/-1", unix.EBADF, func(t *testing.T, s sides.Pipe) error {
		_, err := s.FcntlInt(-1, unix.F_GETFL, 0)
		return err
	}},
	{"fcntl/F_SETFL-O_NONBLOCK", 0, func(t *testing.T, s sides.Pipe) error {
		p := pipeOf(t, s, 0)
		if _, err := s.FcntlInt(p[0], unix.F_SETFL, unix.O_NONBLOCK); err != nil {
			return err
		}
		_, err := s.Read(p[0], make([]byte, 8))
		checkErrno(t, "read after F_SETFL O_NONBLOCK", err, unix.EAGAIN)
		return nil
	}},
}
