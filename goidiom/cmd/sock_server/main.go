//go:build linux

// Command sock_server is the idiomatic Go form of sock_server in
// c_reference/sock.c: it listens on IPC_NAME ("unix:PATH", default
// "unix:server_socket", or "tcp:A.B.C.D:PORT"), prints its ready line, and
// serves clients, each on a goroutine of its own and at most 16 at once: it
// prints each client's message (all it sent before shutting down its
// sending side, cut to 63 bytes) on a line of its own and answers
// `received "MESSAGE"`. After the message "quit" it stops, and closing the
// listener removes the socket file.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/ipcparity/ipcparity/goidiom"
	"github.com/ipcparity/ipcparity/report"
)

// steps: sock_server

func main() {
	if err := run(); err != nil {
		report.Exit(1, err)
	}
}

func run() error {
	network, address, err := goidiom.SockAddress() // step 1: address
	if err != nil {
		goidiom.Perror("IPC_NAME", err)
		return err
	}

	// socket, bind and listen in one: the error names the call that
	// failed, as the C's perror texts do ("bind()": a socket file left
	// behind, or a port in use). Go sets SO_REUSEADDR on TCP listeners,
	// as the C does.
	// step 2: socket none: net.Listen makes the socket
	// step 3: reuseaddr none: net.Listen sets SO_REUSEADDR on a TCP listener
	// step 4: bind none: net.Listen binds it
	ln, err := net.Listen(network, address) // step 5: listen
	if err != nil {
		goidiom.Perror(goidiom.SyscallName(err)+"()", err)
		return err
	}
	// step 18: unlink none: closing a Unix listener removes its socket file
	defer ln.Close() // a Unix listener removes its socket file; step 17: close

	// os.Stdout is not buffered: the ready line is out as soon as it is
	// printed.
	fmt.Println(`server shuts down on message "quit"`) // step 6: ready
	// step 7: flush none: os.Stdout has no buffer: Println wrote the line
	fmt.Println()

	var quitOnce sync.Once
	quit := func() { quitOnce.Do(func() { ln.Close() }) }
	slots := make(chan struct{}, goidiom.MaxClients) // full: newcomers wait in the backlog
	// step 8: poll none: a goroutine per client blocks; the runtime's poller (epoll) wakes it
	// step 9: eintr none: the runtime retries a call that a signal interrupts
	for {
		slots <- struct{}{}
		conn, err := ln.Accept() // step 10: accept
		if errors.Is(err, net.ErrClosed) {
			return nil // "quit": clients still connected get no answer
		}
		if err != nil {
			<-slots
			goidiom.Perror("accept()", err)
			continue
		}
		go func() { // step 11: serve
			defer func() { <-slots }()
			if serve(conn) {
				quit()
			}
		}()
	}
}

// serve reads the client's message, prints it and answers it, and tells
// whether it was "quit".
func serve(conn net.Conn) (quit bool) {
	defer conn.Close() // step 16: close-client

	// Keep the first 63 bytes; read the rest to its end and drop it, so
	// that closing the connection with bytes unread does not reset it
	// before the client has the answer.
	msg, err := io.ReadAll(io.LimitReader(conn, goidiom.MessageMax)) // step 12: recv
	if err == nil {
		_, err = io.Copy(io.Discard, conn)
	}
	if err != nil {
		goidiom.Perror("recv()", err)
		return false
	}
	if len(msg) == 0 {
		return false // the client left without a message
	}

	msg, _, _ = bytes.Cut(msg, []byte{0})                                // a C string: up to its NUL
	fmt.Printf("%s\n", msg)                                              // step 13: print known:stdio-buffer-lost-on-kill
	if _, err := fmt.Fprintf(conn, "received \"%s\"", msg); err != nil { // step 14: answer
		goidiom.Perror("send()", err)
	}
	return string(msg) == "quit" // step 15: quit
}
