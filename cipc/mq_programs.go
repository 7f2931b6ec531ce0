//go:build linux

package cipc

/*
#include "../c_reference/programs.h"
*/
import "C"

// MqServerMain runs mq_server_main of c_reference/mq.c: it creates the
// queue IPC_NAME (default "/csba1316"), prints every message it receives
// and ends after the message "quit", removing the queue.
func MqServerMain(args []string) (int, error) {
	return runC((*[0]byte)(C.mq_server_main), args)
}

// MqClientMain runs mq_client_main of c_reference/mq.c: it sends args[1],
// cut to 63 bytes, as one 64-byte message to the queue IPC_NAME.
func MqClientMain(args []string) (int, error) {
	return runC((*[0]byte)(C.mq_client_main), args)
}
