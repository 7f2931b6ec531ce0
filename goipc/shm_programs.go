//go:build linux

package goipc

import (
	"bytes"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// shmRegionSize is the size of the programs' region: 100 bytes of text
// (SHM_SIZE in c_reference/shm.c).
const shmRegionSize = 100

// shmObjectName is the name of the programs' object and semaphore:
// IPC_NAME when it is set (even empty, as getenv(3) sees it), else
// "/shared_memory".
func shmObjectName() string {
	if env, ok := os.LookupEnv("IPC_NAME"); ok {
		return env
	}
	return "/shared_memory"
}

// shmWriterFail is shm_writer_fail of c_reference/shm.c: a call of the
// writer failed with err; it removes what the writer created (the object
// when fd is open, and the semaphore) and returns EXIT_FAILURE and err.
func shmWriterFail(name string, done *Sem, fd int, err error) (int, error) {
	if fd >= 0 {
		Close(fd)
		ShmUnlink(name)
	}
	SemClose(done)
	SemUnlink(name)
	return exitFailure, err
}

// steps: shm_writer

// ShmWriterMain is shm_writer of c_reference/shm.c. It creates the named
// semaphore IPC_NAME (default "/shared_memory") with value 0 and then the
// shared-memory object of the same name, both with O_EXCL and mode 0600;
// sizes the object to 100 bytes, maps it, and copies the message (args[1],
// default "Hello World") and its NUL into it, cut to 99 bytes as snprintf
// cuts it. It prints a ready line, waits until a reader posts the
// semaphore, and then removes the object and the semaphore. It returns the
// exit status and, when that is not 0, the errno of the failing call; a
// failure after the semaphore was created removes what was created.
//
// The semaphore is glibc's: a C reader (shm_reader in any form) can post
// it, as this writer's futex wait expects.
func ShmWriterMain(args []string) (int, error) {
	name := shmObjectName()
	msg := "Hello World"
	if len(args) > 1 {
		msg = args[1]
	}

	// Posted by the reader once it has read the region; created first and
	// with O_EXCL (see c_reference/SYNC.md).
	done, err := SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0) // step 1: sem-open
	if err != nil {
		return exitFailure, err
	}

	fd, err := ShmOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600) // step 2: shm-open
	if err != nil {
		return shmWriterFail(name, done, -1, err)
	}

	if err := Ftruncate(fd, shmRegionSize); err != nil { // step 3: ftruncate
		return shmWriterFail(name, done, fd, err)
	}

	region, err := Mmap(fd, 0, shmRegionSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED) // step 4: mmap
	if err != nil {
		return shmWriterFail(name, done, fd, err)
	}

	// snprintf(region, SHM_SIZE, "%s", msg): the message up to its first
	// NUL, at most 99 bytes of it, and a NUL.
	n := copy(region[:shmRegionSize-1], shmCString([]byte(msg))) // step 5: copy
	region[n] = 0

	// os.Stdout is not buffered: the ready line is out when Printf
	// returns, as C's is after its fflush.
	// step 7: flush none: os.Stdout has no buffer: Printf wrote the line
	fmt.Printf("waiting for a reader\n") // step 6: ready

	if err := done.Wait(); err != nil { // step 8: wait
		return shmWriterFail(name, done, fd, err)
	}

	Munmap(region)  // step 9: munmap
	Close(fd)       // step 10: close
	ShmUnlink(name) // step 11: shm-unlink
	SemClose(done)  // step 12: sem-close
	SemUnlink(name) // step 13: sem-unlink
	return 0, nil
}

// steps: shm_reader

// ShmReaderMain is shm_reader of c_reference/shm.c. It opens the
// shared-memory object IPC_NAME (default "/shared_memory") with O_RDWR,
// maps its 100 bytes read-only, copies them out, posts the semaphore of the
// same name (the writer may then remove both), unmaps and closes, and
// prints the text up to its first NUL, or all 100 bytes without one, and a
// newline. It returns the exit status and, when that is not 0, the errno of
// the failing call: ENOENT when there is no writer.
func ShmReaderMain(args []string) (int, error) {
	name := shmObjectName()
	fd, err := ShmOpen(name, unix.O_RDWR, 0) // step 1: shm-open
	if err != nil {
		return exitFailure, err // no writer: ENOENT
	}

	// O_RDWR as the spec has it; the mapping is read-only.
	region, err := Mmap(fd, 0, shmRegionSize, unix.PROT_READ, unix.MAP_SHARED) // step 2: mmap
	if err != nil {
		return exitFailure, err
	}

	var buffer [shmRegionSize]byte
	copy(buffer[:], region) // step 3: copy

	done, err := SemOpen(name, 0, 0, 0) // step 4: sem-open
	if err != nil {
		return exitFailure, err
	}
	if err := done.Post(); err != nil { // step 5: sem-post
		return exitFailure, err // the writer may remove the object now
	}
	SemClose(done) // step 6: sem-close

	Munmap(region) // step 7: munmap
	Close(fd)      // step 8: close

	// printf("%.*s\n", SHM_SIZE, buffer)
	fmt.Printf("%s\n", shmCString(buffer[:])) // step 9: print
	return 0, nil
}

// shmCString is p up to its first NUL byte, all of p without one: what
// C's %s (with a precision of len(p)) reads of it.
func shmCString(p []byte) []byte {
	if i := bytes.IndexByte(p, 0); i >= 0 {
		return p[:i]
	}
	return p
}
