//go:build linux

package goipc

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Socket creates an endpoint for communication and returns its descriptor,
// as socket(2): domain is AF_UNIX, AF_INET, ...; typ is SOCK_STREAM,
// SOCK_DGRAM, ..., optionally ORed with SOCK_NONBLOCK and SOCK_CLOEXEC;
// proto 0 picks the domain's protocol for typ. An unknown domain gives
// EAFNOSUPPORT, an unknown type EINVAL.
func Socket(domain, typ, proto int) (int, error) {
	fd, _, e := unix.RawSyscall(unix.SYS_SOCKET, uintptr(domain), uintptr(typ), uintptr(proto))
	if e != 0 {
		return -1, e
	}
	return int(fd), nil
}

// Bind gives the socket fd the address sa, as bind(2). sa is a
// *unix.SockaddrUnix or a *unix.SockaddrInet4, passed to the kernel as a C
// program passes a zeroed struct sockaddr_un (the name's bytes in sun_path,
// length sizeof(struct sockaddr_un): no abstract "@" names, no
// autobind) or struct sockaddr_in (length sizeof(struct sockaddr_in)).
// A name longer than sun_path (108 bytes) or a port outside 0 to 65535
// gives EINVAL and any other type of sa EAFNOSUPPORT, without a call.
//
// A path that exists, a socket file left behind by a server that did not
// remove it included, gives EADDRINUSE, as does a port that a socket
// listens on.
func Bind(fd int, sa unix.Sockaddr) error {
	ptr, n, err := rawSockaddr(sa)
	if err != nil {
		return err
	}
	_, _, e := unix.RawSyscall(unix.SYS_BIND, uintptr(fd), uintptr(ptr), uintptr(n))
	if e != 0 {
		return e
	}
	return nil
}

// Connect connects the socket fd to the address sa, as connect(2); sa is
// passed as Bind passes it. With no socket at a path it fails with ENOENT,
// with nobody listening (a port, or a socket file left behind) with
// ECONNREFUSED, and on a socket that is connected already with EISCONN.
func Connect(fd int, sa unix.Sockaddr) error {
	ptr, n, err := rawSockaddr(sa)
	if err != nil {
		return err
	}
	_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(ptr), uintptr(n))
	if e != 0 {
		return e
	}
	return nil
}

// Listen marks the socket fd as accepting connections, with room for
// backlog connections that wait to be accepted, as listen(2). The kernel
// caps backlog at net.core.somaxconn.
func Listen(fd, backlog int) error {
	_, _, e := unix.RawSyscall(unix.SYS_LISTEN, uintptr(fd), uintptr(backlog), 0)
	if e != 0 {
		return e
	}
	return nil
}

// Accept takes the first connection waiting on the listening socket fd and
// returns its new descriptor and the peer's address, as accept(2) with an
// address buffer (glibc calls accept; this is accept4 with flags 0, the
// same call). The address is a *unix.SockaddrUnix (Name is empty for an
// unnamed peer, as connecting clients are) or a *unix.SockaddrInet4, nil
// for other families. A socket that does not listen gives EINVAL, a
// non-blocking one with nobody waiting EAGAIN.
func Accept(fd int) (int, unix.Sockaddr, error) {
	var rsa unix.RawSockaddrAny
	n := uint32(unix.SizeofSockaddrAny)
	nfd, _, e := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)), 0, 0, 0)
	if e != 0 {
		return -1, nil, e
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&rsa)), unix.SizeofSockaddrAny)
	return int(nfd), sockaddrFromRaw(raw, int(n)), nil
}

// Getsockname returns the address that the socket fd is bound to, as
// getsockname(2), read as Accept reads the peer's: for a socket bound to
// port 0, the port that the kernel picked.
func Getsockname(fd int) (unix.Sockaddr, error) {
	var rsa unix.RawSockaddrAny
	n := uint32(unix.SizeofSockaddrAny)
	_, _, e := unix.RawSyscall(unix.SYS_GETSOCKNAME, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&n)))
	if e != 0 {
		return nil, e
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&rsa)), unix.SizeofSockaddrAny)
	return sockaddrFromRaw(raw, int(n)), nil
}

// Shutdown shuts down part of a full-duplex connection, as shutdown(2):
// SHUT_RD, SHUT_WR (the peer reads end of file) or SHUT_RDWR.
func Shutdown(fd, how int) error {
	_, _, e := unix.RawSyscall(unix.SYS_SHUTDOWN, uintptr(fd), uintptr(how), 0)
	if e != 0 {
		return e
	}
	return nil
}

// Send sends p on the connected socket fd with flags (MSG_NOSIGNAL,
// MSG_DONTWAIT, ...) and returns the count sent, as send(2), which glibc
// carries out as sendto with no address. On a connection whose peer has
// gone it fails with EPIPE; without MSG_NOSIGNAL a SIGPIPE comes with it
// (see Write for what a Go process does with that).
func Send(fd int, p []byte, flags int) (int, error) {
	yieldSometimes()
	n, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(bytePtr(p)), uintptr(len(p)), uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// Recv receives up to len(p) bytes from the connected socket fd with flags
// (MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, ...) and returns the count, as
// recv(2), which glibc carries out as recvfrom with no address; 0 means
// the peer has shut down its sending side.
func Recv(fd int, p []byte, flags int) (int, error) {
	yieldSometimes()
	n, _, e := unix.Syscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(bytePtr(p)), uintptr(len(p)), uintptr(flags), 0, 0)
	if e != 0 {
		return -1, e
	}
	return int(n), nil
}

// Poll waits until one of the descriptors in fds is ready for the events
// asked for, or timeout milliseconds have passed (-1: no limit), as
// poll(2), and returns the number of entries whose Revents is not 0. An
// entry whose Fd is negative is skipped. glibc calls poll where the kernel
// has it (as on amd64) and ppoll elsewhere; Poll does the same. A signal
// that comes while it waits makes it fail with EINTR: poll is never
// restarted.
func Poll(fds []unix.PollFd, timeout int) (int, error) {
	return poll(fds, timeout)
}

// SetsockoptInt sets the option opt at level (SOL_SOCKET, IPPROTO_TCP, ...)
// of the socket fd to the int value, as setsockopt(2) with an int
// argument.
func SetsockoptInt(fd, level, opt, value int) error {
	v := int32(value)
	_, _, e := unix.RawSyscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt), uintptr(unsafe.Pointer(&v)), 4, 0)
	if e != 0 {
		return e
	}
	return nil
}

// bytePtr is the address of p's first byte, or nil for an empty p.
func bytePtr(p []byte) unsafe.Pointer {
	if len(p) == 0 {
		return nil
	}
	return unsafe.Pointer(&p[0])
}

// rawSockaddr lays sa out as the C programs do (see Bind) and returns its
// address and length.
func rawSockaddr(sa unix.Sockaddr) (unsafe.Pointer, int, error) {
	switch sa := sa.(type) {
	case *unix.SockaddrUnix:
		var raw unix.RawSockaddrUnix
		if len(sa.Name) > len(raw.Path) {
			return nil, 0, unix.EINVAL
		}
		raw.Family = unix.AF_UNIX
		for i := 0; i < len(sa.Name); i++ {
			raw.Path[i] = int8(sa.Name[i])
		}
		return unsafe.Pointer(&raw), unix.SizeofSockaddrUnix, nil
	case *unix.SockaddrInet4:
		if sa.Port < 0 || sa.Port > 0xffff {
			return nil, 0, unix.EINVAL
		}
		var raw unix.RawSockaddrInet4
		raw.Family = unix.AF_INET
		p := (*[2]byte)(unsafe.Pointer(&raw.Port))
		p[0], p[1] = byte(sa.Port>>8), byte(sa.Port) // htons
		raw.Addr = sa.Addr
		return unsafe.Pointer(&raw), unix.SizeofSockaddrInet4, nil
	}
	return nil, 0, unix.EAFNOSUPPORT
}

// sockaddrFromRaw reads the n bytes of a struct sockaddr that the kernel
// wrote into raw: an AF_UNIX name runs to its NUL (an abstract name, which
// starts with a NUL, keeps all its bytes), an AF_INET port is in network
// byte order.
func sockaddrFromRaw(raw []byte, n int) unix.Sockaddr {
	if n < 2 || n > len(raw) {
		return nil
	}
	switch family := *(*uint16)(unsafe.Pointer(&raw[0])); family {
	case unix.AF_UNIX:
		path := raw[2:n]
		if len(path) > 0 && path[0] != 0 {
			if i := strings.IndexByte(string(path), 0); i >= 0 {
				path = path[:i]
			}
		}
		return &unix.SockaddrUnix{Name: string(path)}
	case unix.AF_INET:
		if n < unix.SizeofSockaddrInet4 {
			return nil
		}
		sa := &unix.SockaddrInet4{Port: int(raw[2])<<8 | int(raw[3])}
		copy(sa.Addr[:], raw[4:8])
		return sa
	}
	return nil
}

// sockMaxClients is SOCK_MAX_CLIENTS of sock.c: clients served at once.
const sockMaxClients = 16

// sockMessage is sock.c's struct sock_message, the queue pair's message.
type sockMessage struct {
	msg [64]byte
}

// sockAddress is sock_address of sock.c: the address in IPC_NAME,
// "unix:PATH" or "tcp:A.B.C.D:PORT", default "unix:server_socket". It
// fails with EINVAL for a name of neither form, ENOENT for an empty path
// and ENAMETOOLONG for a path longer than 107 bytes (sun_path holds 108
// with the NUL).
func sockAddress() (unix.Sockaddr, error) {
	name, ok := os.LookupEnv("IPC_NAME")
	if !ok {
		name = "unix:server_socket"
	}
	name = cStr(name) // getenv gives a C string

	if path, ok := strings.CutPrefix(name, "unix:"); ok {
		if path == "" {
			return nil, unix.ENOENT
		}
		if len(path) >= len(unix.RawSockaddrUnix{}.Path) {
			return nil, unix.ENAMETOOLONG
		}
		return &unix.SockaddrUnix{Name: path}, nil
	}

	if host, ok := strings.CutPrefix(name, "tcp:"); ok {
		colon := strings.LastIndexByte(host, ':')
		if colon < 0 || colon >= 16 {
			return nil, unix.EINVAL
		}
		ip := host[:colon]

		digits := host[colon+1:]
		n := len(digits)
		if n == 0 || n > 5 || strings.Trim(digits, "0123456789") != "" {
			return nil, unix.EINVAL
		}
		port, _ := strconv.Atoi(digits)
		if port > 65535 {
			return nil, unix.EINVAL
		}
		sa := &unix.SockaddrInet4{Port: port}
		if !inetPton4(ip, &sa.Addr) {
			return nil, unix.EINVAL
		}
		return sa, nil
	}

	return nil, unix.EINVAL
}

// inetPton4 is glibc's inet_pton(AF_INET, src, dst): four decimal numbers
// up to 255 joined by dots, no leading zeros, nothing else.
func inetPton4(src string, dst *[4]byte) bool {
	var tmp [4]byte
	sawDigit, octets, tp := false, 0, 0
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch {
		case ch >= '0' && ch <= '9':
			v := uint(tmp[tp])*10 + uint(ch-'0')
			if sawDigit && tmp[tp] == 0 {
				return false
			}
			if v > 255 {
				return false
			}
			tmp[tp] = byte(v)
			if !sawDigit {
				if octets++; octets > 4 {
					return false
				}
				sawDigit = true
			}
		case ch == '.' && sawDigit:
			if octets == 4 {
				return false
			}
			tp++
			tmp[tp] = 0
			sawDigit = false
		default:
			return false
		}
	}
	if octets < 4 {
		return false
	}
	*dst = tmp
	return true
}

// cStr is s up to its first NUL byte, as C's string functions read it.
func cStr(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// sockRemove is sock_remove of sock.c: the server removes its socket file
// (a TCP socket leaves no file).
func sockRemove(sa unix.Sockaddr) {
	if sa, ok := sa.(*unix.SockaddrUnix); ok {
		Unlink(sa.Name)
	}
}

// sockFamily is sa's address family, addr.sa.sa_family in sock.c.
func sockFamily(sa unix.Sockaddr) int {
	if _, ok := sa.(*unix.SockaddrInet4); ok {
		return unix.AF_INET
	}
	return unix.AF_UNIX
}

// steps: sock_server

// SockServerMain is sock_server of c_reference/sock.c: it listens on the
// address in IPC_NAME ("unix:PATH" or "tcp:A.B.C.D:PORT", default
// "unix:server_socket"), prints a ready line, and serves up to 16 clients
// at once with poll: it prints each client's message (what the client sent
// before shutting down its sending side, cut to 63 bytes) on a line of its
// own and answers it with `received "MESSAGE"`. After the message "quit" it
// closes every connection and its socket and removes its socket file. It
// returns the exit status and, when that is not 0, the errno of the
// failing call.
//
// As the C does, it sends with MSG_NOSIGNAL, so a client that has gone is
// EPIPE in both. Its stdout has no buffer, where C's is fully buffered on
// a pipe: a signal that ends the C server loses the lines still in its
// buffer, and MqServerMain's note holds here too. Poll, as poll(2), fails
// with EINTR when a signal comes; the server polls again, as the C does.
func SockServerMain(args []string) (int, error) {
	addr, err := sockAddress() // step 1: address
	if err != nil {
		Perror("IPC_NAME", err)
		return exitFailure, err
	}

	fd, err := Socket(sockFamily(addr), unix.SOCK_STREAM, 0) // step 2: socket
	if fd == -1 {
		Perror("socket()", err)
		return exitFailure, err
	}

	if sockFamily(addr) == unix.AF_INET {
		const on = 1                                                                      // the port may be bound again while old connections are in TIME_WAIT
		if err := SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, on); err != nil { // step 3: reuseaddr
			Perror("setsockopt()", err)
			Close(fd)
			return exitFailure, err
		}
	}

	if err := Bind(fd, addr); err != nil { // step 4: bind
		Perror("bind()", err) // a socket file left behind: EADDRINUSE (it is not removed: it may be another server's)
		Close(fd)
		return exitFailure, err
	}

	if err := Listen(fd, unix.SOMAXCONN); err != nil { // step 5: listen
		Perror("listen()", err)
		Close(fd)
		sockRemove(addr)
		return exitFailure, err
	}

	// os.Stdout is not buffered: the ready line is out when Printf returns,
	// as C's is after its fflush.
	fmt.Printf("server shuts down on message \"quit\"\n") // step 6: ready
	// step 7: flush none: os.Stdout has no buffer: Printf wrote the line
	fmt.Printf("\n")

	// fds[0] is the listening socket, fds[1..] the clients; poll skips a
	// free slot, whose fd is -1.
	var fds [1 + sockMaxClients]unix.PollFd
	var messages [1 + sockMaxClients]sockMessage
	var lens [1 + sockMaxClients]int
	for i := 0; i <= sockMaxClients; i++ {
		fds[i].Fd = -1
		fds[i].Events = unix.POLLIN
		fds[i].Revents = 0
		lens[i] = 0
	}
	fds[0].Fd = int32(fd)
	clients := 0
	quit := false

	for !quit {
		if clients < sockMaxClients { // full: newcomers wait in the backlog
			fds[0].Events = unix.POLLIN
		} else {
			fds[0].Events = 0
		}
		if _, err := Poll(fds[:], -1); err != nil { // step 8: poll
			if err == unix.EINTR { // step 9: eintr
				continue // a signal came: poll again
			}
			Perror("poll()", err)
			break
		}

		if fds[0].Revents&unix.POLLIN != 0 {
			client, _, err := Accept(fd) // step 10: accept
			if client == -1 {
				Perror("accept()", err)
			} else {
				i := 1
				for fds[i].Fd != -1 { // there is a free slot: clients < sockMaxClients
					i++
				}
				fds[i].Fd = int32(client)
				lens[i] = 0
				clients++
			}
		}

		// step 11: serve none: one process serves every client that Poll finds ready
		for i := 1; i <= sockMaxClients && !quit; i++ {
			if fds[i].Fd == -1 || fds[i].Revents == 0 {
				continue
			}

			var buf [len(sockMessage{}.msg)]byte
			n, err := Recv(int(fds[i].Fd), buf[:], 0) // step 12: recv
			if n > 0 {
				// keep what fits with the NUL, drop the rest: the message
				// is cut to 63 bytes, as the queue client's snprintf cuts it
				room := len(messages[i].msg) - 1 - lens[i]
				keep := min(n, room)
				copy(messages[i].msg[lens[i]:], buf[:keep])
				lens[i] += keep
				continue
			}

			if n == -1 {
				Perror("recv()", err)
			} else if lens[i] > 0 { // end of file: the message is complete
				msg := cStr(string(messages[i].msg[:lens[i]])) // C ends it with a NUL at lens[i]
				fmt.Printf("%s\n", msg)                        // step 13: print known:stdio-buffer-lost-on-kill

				// snprintf into char answer[128]: 63 bytes of message and
				// the quotes never fill it
				answer := fmt.Sprintf("received \"%s\"", msg)
				if _, err := Send(int(fds[i].Fd), []byte(answer), unix.MSG_NOSIGNAL); err != nil { // step 14: answer
					Perror("send()", err)
				}
				if msg == "quit" {
					quit = true // step 15: quit
				}
			} // else: the client left without a message; nothing to print or answer

			Close(int(fds[i].Fd)) // step 16: close-client
			fds[i].Fd = -1
			clients--
		}
	}

	for i := 1; i <= sockMaxClients; i++ {
		if fds[i].Fd != -1 {
			Close(int(fds[i].Fd)) // clients still connected get no answer
		}
	}
	Close(fd)        // step 17: close
	sockRemove(addr) // step 18: unlink
	return 0, nil
}

// steps: sock_client

// SockClientMain is sock_client of c_reference/sock.c: with one argument it
// connects to the server at IPC_NAME (as SockServerMain), prints
// "you sent: MESSAGE", sends the message, shuts down its sending side, and
// prints the server's answer (or that the server closed the connection
// without one). With any other number of arguments it prints its usage
// and returns 1.
func SockClientMain(args []string) (int, error) {
	if len(args) != 2 { // step 1: usage
		fmt.Printf("usage: ./client <message>\n")
		return exitFailure, nil
	}

	addr, err := sockAddress() // step 2: address
	if err != nil {
		Perror("IPC_NAME", err)
		return exitFailure, err
	}

	fd, err := Socket(sockFamily(addr), unix.SOCK_STREAM, 0) // step 3: socket
	if fd == -1 {
		Perror("socket()", err)
		return exitFailure, err
	}

	if err := Connect(fd, addr); err != nil { // step 4: connect
		Perror("connect()", err) // no server: ENOENT for a path, ECONNREFUSED for a port or a socket file left behind
		Close(fd)
		return exitFailure, err
	}

	message := cStr(args[1])                                                // argv[1] is a C string
	fmt.Printf("you sent: %s\n", message)                                   // step 5: print
	if _, err := Send(fd, []byte(message), unix.MSG_NOSIGNAL); err != nil { // step 6: send
		Perror("send()", err)
	}
	if err := Shutdown(fd, unix.SHUT_WR); err != nil { // the end of the message; step 7: shutdown
		Perror("shutdown()", err)
	}

	var answer [128]byte
	length := 0
	var n int
	for {
		n, err = Recv(fd, answer[length:len(answer)-1], 0) // step 8: recv
		if n <= 0 {
			break
		}
		length += n // once the buffer is full, recv asks for 0 bytes and returns 0
	}
	if n == -1 {
		Perror("recv()", err)
	}

	if length > 0 {
		fmt.Printf("server answered: %s\n", cStr(string(answer[:length]))) // step 9: answer
	} else {
		fmt.Printf("server closed the connection without an answer\n")
	}

	Close(fd) // step 10: close
	return 0, nil
}
