//go:build linux

// Command sock_client is the idiomatic Go form of sock_client in
// c_reference/sock.c: it connects to the server at IPC_NAME (as
// sock_server), prints "you sent: MESSAGE", sends its one argument, shuts
// down its sending side (the end of the message) and prints the server's
// answer, or that there was none. With any other number of arguments it
// prints its usage and exits 1.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/report"
)

// errUsage is a wrong command line: exit 1, no errno to report.
var errUsage = errors.New("usage")

// steps: sock_client

func main() {
	if err := run(os.Args); err != nil {
		report.Exit(1, err)
	}
}

func run(args []string) error {
	if len(args) != 2 { // step 1: usage
		fmt.Println("usage: ./client <message>")
		return errUsage
	}
	msg := args[1]

	network, address, err := goidiom.SockAddress() // step 2: address
	if err != nil {
		goidiom.Perror("IPC_NAME", err)
		return err
	}

	// No server: "connect()" with ENOENT for a path, ECONNREFUSED for a
	// port or a socket file left behind.
	// step 3: socket none: net.Dial makes the socket
	conn, err := net.Dial(network, address) // step 4: connect
	if err != nil {
		goidiom.Perror(goidiom.SyscallName(err)+"()", err)
		return err
	}
	defer conn.Close() // step 10: close

	fmt.Printf("you sent: %s\n", msg)                    // step 5: print
	if _, err := io.WriteString(conn, msg); err != nil { // step 6: send
		goidiom.Perror("send()", err)
	}
	// Both *net.UnixConn and *net.TCPConn can shut down their sending side.
	if err := conn.(interface{ CloseWrite() error }).CloseWrite(); err != nil { // step 7: shutdown
		goidiom.Perror("shutdown()", err)
	}

	answer, err := io.ReadAll(io.LimitReader(conn, goidiom.AnswerMax)) // step 8: recv
	if err != nil {
		goidiom.Perror("recv()", err)
	}
	if len(answer) == 0 {
		fmt.Println("server closed the connection without an answer")
		return nil
	}
	answer, _, _ = bytes.Cut(answer, []byte{0}) // a C string: up to its NUL
	fmt.Printf("server answered: %s\n", answer) // step 9: answer
	return nil
}
