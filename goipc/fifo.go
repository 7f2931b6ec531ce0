//go:build linux

package goipc

import (
	"os"

	"golang.org/x/sys/unix"
)

// Mkfifo creates a FIFO (named pipe) at path with permission bits mode &^
// umask, as mkfifo(3) in glibc, which calls mknodat(AT_FDCWD, path,
// mode|S_IFIFO, 0). It fails with EEXIST when path exists, ENOENT when a
// directory of path does not, ENOTDIR when one of them is not a directory
// and ENAMETOOLONG when a name in path is longer than NAME_MAX.
func Mkfifo(path string, mode uint32) error {
	return unix.Mknodat(unix.AT_FDCWD, path, mode|unix.S_IFIFO, 0)
}

// Open opens path with flags (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT,
// O_NONBLOCK, ...) and returns the new descriptor, as open(2), which glibc
// carries out as openat(AT_FDCWD, path, flags, mode). mode counts only when
// flags create a file.
//
// On a FIFO, a blocking open for reading waits until a writer opens it and
// the other way round; with O_NONBLOCK an open for reading succeeds at once
// and an open for writing with no reader fails with ENXIO.
func Open(path string, flags int, mode uint32) (int, error) {
	fd, err := unix.Open(path, flags, mode)
	if err != nil {
		return -1, err
	}
	return fd, nil
}

// Unlink removes the name path, as unlink(2). glibc calls the unlink system
// call where the kernel has one (as on amd64) and unlinkat(AT_FDCWD, path,
// 0) elsewhere; Unlink does the same.
func Unlink(path string) error {
	return unlink(path)
}

// Umask sets the process's file mode creation mask to mask & 0777 and
// returns the previous mask, as umask(2). It cannot fail.
func Umask(mask int) int {
	return unix.Umask(mask)
}

// fifoName is the path of the FIFO of the programs: IPC_NAME when it is
// set, else the notes' "named_pipe".
func fifoName() string {
	if name, ok := os.LookupEnv("IPC_NAME"); ok {
		return name
	}
	return "named_pipe"
}

// steps: fifo_reader

// FifoReaderMain is the fifo_reader program of c_reference/fifo.c, the
// notes' "Named Pipe API-Reader": it creates the FIFO (IPC_NAME, default
// "named_pipe") with mode 0644, waits in open for a writer, copies the FIFO
// to standard output one byte at a time, then a newline, closes the FIFO
// and removes it. It fails with EXIT_FAILURE and the errno of mkfifo or
// open, printing nothing.
//
// It reads one byte per Read, as the C does, where an idiomatic io.Copy
// reads up to 32 KiB at a time (with a stdout that has gone, the C and
// this reader die of SIGPIPE at their first write having taken one byte of
// the FIFO; an io.Copy reader may have taken all its writer sent).
func FifoReaderMain(args []string) (int, error) {
	name := fifoName()
	const permission = unix.S_IRUSR | unix.S_IWUSR | unix.S_IRGRP | unix.S_IROTH // 644
	if err := Mkfifo(name, permission); err != nil {                             // step 1: mkfifo
		return exitFailure, err
	}

	fd, err := Open(name, unix.O_RDONLY, 0) // step 2: open
	if fd < 0 {
		return exitFailure, err
	}

	var buf [1]byte
	for {
		if n, _ := Read(fd, buf[:]); n <= 0 { // step 3: copy
			break
		}
		Write(unix.Stdout, buf[:])
	}
	Write(unix.Stdout, []byte("\n")) // step 4: newline

	Close(fd)    // step 5: close
	Unlink(name) // step 6: unlink
	return 0, nil
}

// steps: fifo_writer

// FifoWriterMain is the fifo_writer program of c_reference/fifo.c, the
// notes' "Named Pipe API-Writer": it opens the FIFO (IPC_NAME, default
// "named_pipe") for writing, which waits for a reader, writes the message
// (args[1], default "Hello World") and closes the FIFO. It fails with
// EXIT_FAILURE and the errno of open, printing nothing.
//
// A reader that has gone before the message is written kills the C writer
// with SIGPIPE. In a Go process the write returns EPIPE instead (the
// descriptor is not 1 or 2; see Write), and since the notes do not check
// that write, FifoWriterMain exits 0.
func FifoWriterMain(args []string) (int, error) {
	message := "Hello World"
	if len(args) > 1 {
		message = args[1]
	}

	name := fifoName()
	fd, err := Open(name, unix.O_WRONLY, 0) // step 1: open
	if fd < 0 {
		return exitFailure, err
	}

	msg := message
	Write(fd, []byte(msg)) // step 2: write known:sigpipe-other-fd

	Close(fd) // step 3: close
	return 0, nil
}
