//go:build linux

package goipc

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// mqQueueName is the queue of mq_server and mq_client: IPC_NAME when it is
// set (even empty, as getenv(3) sees it), else the example's "/csba1316".
func mqQueueName() string {
	if env, ok := os.LookupEnv("IPC_NAME"); ok {
		return env
	}
	return "/csba1316"
}

// mqMessage is the example's message: a struct holding the text.
type mqMessage struct {
	msg [64]byte
}

// cString is p up to its first NUL byte, as C's %s reads it.
func cString(p []byte) string {
	s := string(p)
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// steps: mq_server

// MqServerMain is mq_server of c_reference/mq.c: it creates the queue
// IPC_NAME (default "/csba1316") for 10 messages of 128 bytes, prints a
// ready line, prints every message it receives up to its first NUL byte,
// and ends after the message "quit", removing the queue. It returns the
// exit status and, when that is not 0, the errno of the failing call.
//
// C's stdout is fully buffered when it is a pipe: the C server flushes its
// ready line, and a signal that ends it loses the lines still in the
// buffer. fmt.Printf writes to os.Stdout, which has no buffer, so every
// line MqServerMain printed is out, whenever it ends.
func MqServerMain(args []string) (int, error) {
	name := mqQueueName() // the example: "/csba1316"
	attr := MqAttr{
		Flags:   0,
		Maxmsg:  10,
		Msgsize: 128,
		Curmsgs: 0,
	}

	mq, err := MqOpen(name, unix.O_CREAT|unix.O_RDONLY, 0600, &attr) // step 1: mq-open
	if err != nil {
		Perror("mq_open()", err)
		return exitFailure, err
	}

	// os.Stdout is not buffered: the ready line is out when Printf returns,
	// as C's is after its fflush.
	fmt.Printf("server shuts down on message \"quit\"\n") // step 2: ready
	fmt.Printf("\n")

	var buffer [128]byte // C: 128 bytes and room for a NUL (see mq.c)
	for {
		n, err := MqReceive(mq, buffer[:128], nil) // step 3: receive
		if err != nil {
			Perror("ERROR-> mq_recieve()\n", err)
			break
		}
		msg := cString(buffer[:n]) // C ends the message with a NUL at n
		fmt.Printf("%s\n", msg)    // step 4: print known:stdio-buffer-lost-on-kill
		if msg == "quit" {
			break
		}
	}

	MqClose(mq)    // step 5: close
	MqUnlink(name) // step 6: unlink
	return 0, nil
}

// steps: mq_client

// MqClientMain is mq_client of c_reference/mq.c: with one argument it
// sends it, cut to 63 bytes, as one 64-byte message of priority 1 to the
// queue IPC_NAME (default "/csba1316"); the bytes after the text are 0.
// With any other number of arguments it prints its usage and returns 1.
func MqClientMain(args []string) (int, error) {
	if len(args) != 2 {
		fmt.Printf("usage: ./client <message>\n")
		return exitFailure, nil
	}

	name := mqQueueName()                          // the example: "/csba1316"
	mq, err := MqOpen(name, unix.O_WRONLY, 0, nil) // step 1: mq-open
	if err != nil {
		Perror("mq_open()", err)
		return exitFailure, err
	}

	var message mqMessage // zeroed: all 64 bytes are sent, those after the NUL too
	// snprintf(message.msg, sizeof message.msg, "%s", argv[1]): at most 63
	// bytes of the text and a NUL.
	copy(message.msg[:len(message.msg)-1], cString([]byte(args[1])))
	fmt.Printf("you sent: %s\n", cString(message.msg[:])) // step 2: print

	if err := MqSend(mq, message.msg[:], 1); err != nil { // step 3: send
		Perror("ERROR-> mq_send()", err)
	}

	MqClose(mq) // step 4: close
	return 0, nil
}
