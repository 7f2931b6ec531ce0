//go:build linux

package goipc

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Pipe creates a pipe, as pipe(2): p[0] becomes the read end and p[1] the
// write end. A p whose length is not 2 gives EINVAL.
//
// As in C, neither end is close-on-exec (os.Pipe sets O_CLOEXEC on both):
// a process that this one starts inherits them. That is how a Go program
// hands a pipe to a child, since Go has no fork: PipeMain starts its own
// binary again, and the child finds the ends at the same numbers.
func Pipe(p []int) error {
	return Pipe2(p, 0)
}

// Pipe2 creates a pipe with flags (O_CLOEXEC, O_NONBLOCK, O_DIRECT), as
// pipe2(2). Unknown flags give EINVAL.
func Pipe2(p []int, flags int) error {
	if len(p) != 2 {
		return unix.EINVAL
	}
	var fds [2]int32
	_, _, e := unix.RawSyscall(unix.SYS_PIPE2, uintptr(unsafe.Pointer(&fds)), uintptr(flags), 0)
	if e != 0 {
		return e
	}
	p[0], p[1] = int(fds[0]), int(fds[1])
	return nil
}

// Read reads up to len(p) bytes from fd, as read(2), and returns the count;
// 0 means end of file.
func Read(fd int, p []byte) (int, error) {
	yieldSometimes()
	n, err := unix.Read(fd, p)
	if err != nil {
		return -1, err
	}
	return n, nil
}

// Write writes p to fd, as write(2), and returns the count written.
//
// A write to a pipe or socket whose reader has gone fails with EPIPE. A C
// program is killed by the SIGPIPE that comes with it; Go keeps its own
// rule (see os/signal): on descriptors 1 and 2 the process dies of SIGPIPE
// as a C program would, on any other descriptor Write returns EPIPE and the
// process goes on.
func Write(fd int, p []byte) (int, error) {
	yieldSometimes()
	n, err := unix.Write(fd, p)
	if err == unix.EPIPE && (fd == 1 || fd == 2) {
		// os.File applies Go's rule: a write to 1 or 2 that fails with
		// EPIPE raises SIGPIPE, unless the program asked for SIGPIPE with
		// signal.Notify or ignores it.
		n, err = stdFile(fd).Write(p)
		if err != nil {
			return -1, unix.EPIPE
		}
	}
	if err != nil {
		return -1, err
	}
	return n, nil
}

func stdFile(fd int) *os.File {
	if fd == 1 {
		return os.Stdout
	}
	return os.Stderr
}

// Close closes fd, as close(2).
func Close(fd int) error {
	return unix.Close(fd)
}

// FcntlInt performs fcntl(fd, cmd, arg), as fcntl(2), for a cmd whose
// argument is an integer (F_GETFL, F_SETFL, F_GETPIPE_SZ, F_SETPIPE_SZ,
// ...) and returns the call's result.
func FcntlInt(fd int, cmd int, arg int) (int, error) {
	return unix.FcntlInt(uintptr(fd), cmd, arg)
}

// pipeChildEnv marks the re-executed child of PipeMain and names the pipe's
// two descriptors, which it inherits as a forked child would.
const pipeChildEnv = "GOIPC_PIPE_CHILD"

// steps: pipe

// PipeMain is the pipe program of c_reference/pipe.c: the parent writes the
// message (args[1], default "Hello World!") into a pipe and the child copies
// the pipe to standard output one byte at a time, then a newline. It
// returns the exit status and, when that is not 0, the errno of the
// failing call.
//
// Go has no fork: a forked copy of the Go runtime would keep one thread of
// many, and locks that the others held. Where the C forks, PipeMain starts
// its own binary (os.Executable) again as the child, with the pipe's two
// descriptors inherited at the same numbers and named in the environment
// variable GOIPC_PIPE_CHILD. The child shares no memory with the parent.
// So the binary that calls PipeMain must call it first thing on start-up,
// with its own arguments: in the child, PipeMain finds GOIPC_PIPE_CHILD and
// runs the child's part instead of the parent's.
//
// A child that has gone before the parent writes kills the C parent with
// SIGPIPE; the Go parent's write returns EPIPE and it exits 0, as
// FifoWriterMain does.
func PipeMain(args []string) (int, error) {
	if fds, ok := os.LookupEnv(pipeChildEnv); ok {
		var pipefd [2]int
		if err := parsePipeFds(fds, &pipefd); err != nil {
			return exitFailure, err
		}
		pipeChild(pipefd)
		return 0, nil
	}
	message := "Hello World!"
	if len(args) > 1 {
		message = args[1]
	}

	var pipefd [2]int                       // pipefd[0]: read-end, pipefd[1]: write-end
	if err := Pipe(pipefd[:]); err != nil { // step 1: pipe
		return exitFailure, err
	}

	// Go cannot fork: a forked copy of the Go runtime would have one thread
	// and locks held by threads that no longer exist. The child is this
	// binary run again. It inherits both ends of the pipe at the same
	// numbers, as a forked child would (pipe gives descriptors without
	// close-on-exec), and finds them in GOIPC_PIPE_CHILD.
	self, err := os.Executable()
	if err != nil {
		return exitFailure, err
	}
	child, err := os.StartProcess(self, args[:1], &os.ProcAttr{ // step 2: fork known:fork
		Env:   append(os.Environ(), pipeChildEnv+"="+strconv.Itoa(pipefd[0])+","+strconv.Itoa(pipefd[1])),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
	})
	if err != nil {
		var errno unix.Errno
		if errors.As(err, &errno) {
			return exitFailure, errno
		}
		return exitFailure, err
	}
	pipeParent(pipefd, message)
	child.Wait() // wait(NULL): the status is not looked at; step 6: wait
	return 0, nil
}

func pipeParent(pipefd [2]int, msg string) {
	Close(pipefd[0]) // Close read-end; step 3: close-read

	Write(pipefd[1], []byte(msg)) // step 4: write known:sigpipe-other-fd
	Close(pipefd[1])              // Close write-end -> reader will see EOF; step 5: close-write
}

func pipeChild(pipefd [2]int) {
	Close(pipefd[1]) // Close write-end; step 7: child-close-write

	var buf [1]byte
	for {
		if n, _ := Read(pipefd[0], buf[:]); n <= 0 { // step 8: copy
			break
		}
		Write(unix.Stdout, buf[:])
	}
	Write(unix.Stdout, []byte("\n")) // step 9: newline

	Close(pipefd[0]) // Close read-end too; step 10: child-close-read
}

// parsePipeFds parses "R,W" into p.
func parsePipeFds(s string, p *[2]int) error {
	r, w, ok := strings.Cut(s, ",")
	if !ok {
		return unix.EINVAL
	}
	var err1, err2 error
	p[0], err1 = strconv.Atoi(r)
	p[1], err2 = strconv.Atoi(w)
	if err1 != nil || err2 != nil {
		return unix.EINVAL
	}
	return nil
}
