//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// fifoMode returns the file type and permission bits of path.
func fifoMode(path string) string {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return err.Error()
	}
	kind := "not a FIFO"
	if st.Mode&unix.S_IFMT == unix.S_IFIFO {
		kind = "FIFO"
	}
	return fmt.Sprintf("%s %#o", kind, st.Mode&0o7777)
}

// The FIFO's permission bits are mode & ~umask; a path that exists gives
// EEXIST.
func ExampleMkfifo() {
	dir, err := os.MkdirTemp("", "goipc-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	defer goipc.Umask(goipc.Umask(0o022))

	path := filepath.Join(dir, "named_pipe")
	if err := goipc.Mkfifo(path, 0o644); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fifoMode(path))
	err = goipc.Mkfifo(path, 0o644)
	fmt.Println(err == unix.EEXIST, goipc.Strerror(err.(unix.Errno)))
	err = goipc.Mkfifo(filepath.Join(dir, "missing", "named_pipe"), 0o644)
	fmt.Println(err == unix.ENOENT)
	// Output:
	// FIFO 0644
	// true File exists
	// true
}

// Opened without blocking, a FIFO with no reader refuses a writer (ENXIO),
// and an empty one with a writer has nothing to read yet (EAGAIN).
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "goipc-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "named_pipe")
	if err := goipc.Mkfifo(path, 0o600); err != nil {
		fmt.Println(err)
		return
	}

	_, err = goipc.Open(path, unix.O_WRONLY|unix.O_NONBLOCK, 0)
	fmt.Println(err == unix.ENXIO, goipc.Strerror(err.(unix.Errno)))
	r, err := goipc.Open(path, unix.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(r)
	w, err := goipc.Open(path, unix.O_WRONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	buf := make([]byte, 16)
	_, err = goipc.Read(r, buf)
	fmt.Println(err == unix.EAGAIN)
	goipc.Write(w, []byte("Hello World"))
	goipc.Close(w)
	n, _ := goipc.Read(r, buf)
	fmt.Printf("%q\n", buf[:n])
	n, _ = goipc.Read(r, buf)
	fmt.Println(n) // the writer has gone: end of file
	// Output:
	// true No such device or address
	// true
	// "Hello World"
	// 0
}

// Unlink removes the FIFO's name; a second Unlink finds nothing.
func ExampleUnlink() {
	dir, err := os.MkdirTemp("", "goipc-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "named_pipe")
	if err := goipc.Mkfifo(path, 0o600); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(goipc.Unlink(path))
	err = goipc.Unlink(path)
	fmt.Println(err == unix.ENOENT, goipc.Strerror(err.(unix.Errno)))
	// Output:
	// <nil>
	// true No such file or directory
}

// Umask returns the mask it replaces; Mkfifo then clears the mask's bits.
func ExampleUmask() {
	dir, err := os.MkdirTemp("", "goipc-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	old := goipc.Umask(0o077)
	defer goipc.Umask(old)

	path := filepath.Join(dir, "named_pipe")
	if err := goipc.Mkfifo(path, 0o644); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(fifoMode(path))
	fmt.Printf("%#o\n", goipc.Umask(0o027))
	// Output:
	// FIFO 0600
	// 077
}
