//go:build linux

package creference

// The warnings are the Makefile's; make check adds -Werror through
// CGO_CFLAGS, so that a newer compiler's new warning never breaks a user's
// build.

/*
#cgo CFLAGS: -Wall -Wextra
#cgo LDFLAGS: -lrt -pthread
#include "programs.h"
*/
import "C"

// The C functions of the programs, each with the signature of main(), for
// cipc to call through a C function pointer.
var (
	PipeMain       = (*[0]byte)(C.pipe_main)
	FifoReaderMain = (*[0]byte)(C.fifo_reader_main)
	FifoWriterMain = (*[0]byte)(C.fifo_writer_main)
	MqServerMain   = (*[0]byte)(C.mq_server_main)
	MqClientMain   = (*[0]byte)(C.mq_client_main)
	ShmWriterMain  = (*[0]byte)(C.shm_writer_main)
	ShmReaderMain  = (*[0]byte)(C.shm_reader_main)
	SockServerMain = (*[0]byte)(C.sock_server_main)
	SockClientMain = (*[0]byte)(C.sock_client_main)
)
