//go:build linux

// Command mq_client is the idiomatic Go form of mq_client in
// c_reference/mq.c: it sends its one argument, cut to 63 bytes, as one
// 64-byte message of priority 1 to the queue (IPC_NAME, default
// "/csba1316"), and prints what it sent. With any other number of
// arguments it prints its usage and exits 1. The standard library has no
// message queues: the calls are package goipc's.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

// errUsage is a wrong command line: exit 1, no errno to report.
var errUsage = errors.New("usage")

// steps: mq_client

func main() {
	if err := run(os.Args); err != nil {
		report.Exit(1, err)
	}
}

func run(args []string) error {
	if len(args) != 2 {
		fmt.Println("usage: ./client <message>")
		return errUsage
	}

	mq, err := goipc.MqOpen(goidiom.QueueName(), os.O_WRONLY, 0, nil) // step 1: mq-open
	if err != nil {
		goidiom.Perror("mq_open()", err) // no server: ENOENT
		return err
	}
	defer goipc.MqClose(mq) // step 4: close

	// The whole struct goes: the text, at most 63 bytes of it, then NULs.
	var msg [goidiom.MessageSize]byte
	n := copy(msg[:len(msg)-1], args[1])
	fmt.Printf("you sent: %s\n", msg[:n]) // step 2: print

	if err := goipc.MqSend(mq, msg[:], 1); err != nil { // step 3: send
		goidiom.Perror("ERROR-> mq_send()", err)
	}
	return nil
}
