//go:build linux

// Command shm_reader is the idiomatic Go form of shm_reader in
// c_reference/shm.c: it copies the 100 bytes of the shared-memory object
// (IPC_NAME, default "/shared_memory") out, posts the semaphore of the same
// name so that the writer may remove the object, and prints the text up to
// its first NUL (all 100 bytes without one). With no writer it prints
// nothing and exits 1. shm_open and sem_open are package goipc's.
package main

import (
	"bytes"
	"fmt"
	"os"
	"syscall"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

// steps: shm_reader

func main() {
	if err := run(); err != nil {
		report.Exit(1, err)
	}
}

func run() error {
	name := goidiom.ShmName()
	fd, err := goipc.ShmOpen(name, os.O_RDWR, 0) // step 1: shm-open
	if err != nil {
		return err // no writer: ENOENT
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close() // step 8: close

	// The reader never writes the region: it maps it read-only.
	region, err := syscall.Mmap(fd, 0, goidiom.ShmSize, syscall.PROT_READ, syscall.MAP_SHARED) // step 2: mmap
	if err != nil {
		return err
	}
	defer syscall.Munmap(region) // step 7: munmap
	text := bytes.Clone(region)  // step 3: copy

	done, err := goipc.SemOpen(name, 0, 0, 0) // step 4: sem-open
	if err != nil {
		return err
	}
	defer goipc.SemClose(done)          // step 6: sem-close
	if err := done.Post(); err != nil { // the writer may remove the object now; step 5: sem-post
		return err
	}

	text, _, _ = bytes.Cut(text, []byte{0})
	fmt.Printf("%s\n", text) // step 9: print
	return nil
}
