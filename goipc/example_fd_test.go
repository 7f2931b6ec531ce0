//go:build linux

package goipc_test

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// Read returns 0 at end of file: once every write end is closed.
func ExampleRead() {
	var p [2]int
	if err := goipc.Pipe(p[:]); err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(p[0])
	goipc.Write(p[1], []byte("hi"))
	goipc.Close(p[1])

	var buf [1]byte // one byte per read, as the notes' loop reads
	for {
		n, err := goipc.Read(p[0], buf[:])
		fmt.Println(n, err)
		if n <= 0 {
			break
		}
	}
	// Output:
	// 1 <nil>
	// 1 <nil>
	// 0 <nil>
}

// Close frees the descriptor; a second Close of the same number is EBADF.
func ExampleClose() {
	var p [2]int
	if err := goipc.Pipe(p[:]); err != nil {
		fmt.Println(err)
		return
	}
	goipc.Close(p[1])
	fmt.Println(goipc.Close(p[0]))
	fmt.Println(goipc.Close(p[0]) == unix.EBADF)
	// Output:
	// <nil>
	// true
}

// Perror prints glibc's text, as the C programs' perror does. It writes
// to os.Stderr, here pointed at os.Stdout to show the lines.
func ExamplePerror() {
	stderr := os.Stderr
	os.Stderr = os.Stdout
	defer func() { os.Stderr = stderr }()
	goipc.Perror("mq_open()", unix.ENOENT)
	goipc.Perror("", unix.EACCES)
	// Output:
	// mq_open(): No such file or directory
	// Permission denied
}
