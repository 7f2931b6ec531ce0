//go:build linux

// Command mq_server is the idiomatic Go form of mq_server in
// c_reference/mq.c: it creates the message queue (IPC_NAME, default
// "/csba1316") for 10 messages of 128 bytes, prints its ready line, prints
// every message it receives, up to its first NUL, and stops after the
// message "quit", removing the queue. The standard library has no message
// queues: the calls are package goipc's.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/report"
)

// steps: mq_server

func main() {
	if err := run(); err != nil {
		report.Exit(1, err)
	}
}

func run() error {
	name := goidiom.QueueName()
	attr := goidiom.QueueAttr
	mq, err := goipc.MqOpen(name, os.O_CREATE|os.O_RDONLY, 0o600, &attr) // step 1: mq-open
	if err != nil {
		goidiom.Perror("mq_open()", err)
		return err
	}
	defer goipc.MqUnlink(name) // step 6: unlink
	defer goipc.MqClose(mq)    // step 5: close

	// os.Stdout is not buffered: the ready line is out as soon as it is
	// printed.
	fmt.Println(`server shuts down on message "quit"`) // step 2: ready
	fmt.Println()

	buf := make([]byte, attr.Msgsize)
	for {
		n, err := goipc.MqReceive(mq, buf, nil) // step 3: receive
		if err != nil {
			// The example's text, its typo and its "\n" before the colon.
			goidiom.Perror("ERROR-> mq_recieve()\n", err)
			return nil
		}
		msg, _, _ := bytes.Cut(buf[:n], []byte{0})
		fmt.Printf("%s\n", msg) // step 4: print known:stdio-buffer-lost-on-kill
		if string(msg) == "quit" {
			return nil
		}
	}
}
