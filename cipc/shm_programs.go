//go:build linux

package cipc

/*
#include "../c_reference/programs.h"
*/
import "C"

// ShmWriterMain runs shm_writer_main of c_reference/shm.c: it creates the
// semaphore and then the 100-byte shared-memory object IPC_NAME (default
// "/shared_memory"), copies args[1] (default "Hello World", cut to 99 bytes)
// and its NUL into it, prints a ready line, and removes both once a reader
// has posted the semaphore.
func ShmWriterMain(args []string) (int, error) {
	return runC((*[0]byte)(C.shm_writer_main), args)
}

// ShmReaderMain runs shm_reader_main of c_reference/shm.c: it copies the
// 100 bytes of the object IPC_NAME out, posts the semaphore of the same
// name, and prints the text up to its NUL.
func ShmReaderMain(args []string) (int, error) {
	return runC((*[0]byte)(C.shm_reader_main), args)
}
