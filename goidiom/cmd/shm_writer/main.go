//go:build linux

// Command shm_writer is the idiomatic Go form of shm_writer in
// c_reference/shm.c: it puts the message (the first argument, default
// "Hello World") and its NUL, cut to 99 bytes, into a 100-byte
// shared-memory object (IPC_NAME, default "/shared_memory"), prints its
// ready line, waits until a reader has read it, and removes the object.
//
// Writer and reader meet at a glibc named semaphore of the object's name,
// made first and with O_EXCL (c_reference/SYNC.md says why). The standard
// library has neither shm_open nor sem_open: those calls are package
// goipc's; the object is then an *os.File and the mapping syscall.Mmap's.
package main

import (
	"fmt"
	"os"
	"syscall"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

// steps: shm_writer

func main() {
	if err := run(os.Args); err != nil {
		report.Exit(1, err)
	}
}

// run removes what it made, on success and on failure alike: the deferred
// calls undo the steps in reverse order.
func run(args []string) error {
	name := goidiom.ShmName()
	msg := "Hello World"
	if len(args) > 1 {
		msg = args[1]
	}

	// The reader posts it once it has read the region. A semaphore left
	// by an earlier writer, perhaps with a token in it, is refused.
	done, err := goipc.SemOpen(name, os.O_CREATE|os.O_EXCL, 0o600, 0) // step 1: sem-open
	if err != nil {
		return err
	}
	defer goipc.SemUnlink(name) // step 13: sem-unlink
	defer goipc.SemClose(done)  // step 12: sem-close

	fd, err := goipc.ShmOpen(name, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600) // step 2: shm-open
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), name)
	defer goipc.ShmUnlink(name) // step 11: shm-unlink
	defer f.Close()             // step 10: close

	if err := f.Truncate(goidiom.ShmSize); err != nil { // step 3: ftruncate
		return err
	}
	region, err := syscall.Mmap(fd, 0, goidiom.ShmSize, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED) // step 4: mmap
	if err != nil {
		return err
	}
	defer syscall.Munmap(region) // step 9: munmap

	// A C string: at most 99 bytes of the message, then the NUL.
	n := copy(region[:len(region)-1], msg) // step 5: copy
	region[n] = 0

	// os.Stdout is not buffered: the ready line is out as soon as it is
	// printed.
	// step 7: flush none: os.Stdout has no buffer: Println wrote the line
	fmt.Println("waiting for a reader") // step 6: ready
	return done.Wait()                  // step 8: wait
}
