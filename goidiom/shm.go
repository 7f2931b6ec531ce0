//go:build linux

package goidiom

// ShmName is the name of the shared-memory object of shm_writer and
// shm_reader, and of the semaphore the reader posts once it has read it:
// IPC_NAME, else "/shared_memory".
func ShmName() string { return ipcName("/shared_memory") }

// ShmSize is the size of the region: 100 bytes of text, a C string.
const ShmSize = 100
