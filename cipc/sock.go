//go:build linux

package cipc

/*
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

// The address structures as C programs fill them: zeroed, then the family,
// the path or the port (in network byte order) and the IPv4 address.
static void cipc_sockaddr_un(struct sockaddr_un *sa, const char *path, size_t n) {
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path, path, n);
}

static void cipc_sockaddr_in(struct sockaddr_in *sa, int port, const unsigned char *addr) {
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)port);
	memcpy(&sa->sin_addr.s_addr, addr, 4);
}

static int cipc_setsockopt_int(int fd, int level, int opt, int value) {
	return setsockopt(fd, level, opt, &value, sizeof value);
}
*/
import "C"

import (
	creference "github.com/ipcparity/ipcparity/c_reference"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Socket calls socket(2) in glibc and returns the new descriptor.
func Socket(domain, typ, proto int) (int, error) {
	fd, err := C.socket(C.int(domain), C.int(typ), C.int(proto))
	if fd < 0 {
		return -1, err
	}
	return int(fd), nil
}

// cSockaddr is an address laid out in C memory for bind and connect.
type cSockaddr struct {
	un C.struct_sockaddr_un
	in C.struct_sockaddr_in
}

// sockaddr fills a C struct sockaddr_un (length sizeof(struct
// sockaddr_un)) or struct sockaddr_in (length sizeof(struct sockaddr_in))
// from sa, as a C program does, and returns it with its length. A name
// longer than sun_path or a port outside 0 to 65535 gives EINVAL, another
// type of sa EAFNOSUPPORT.
func (c *cSockaddr) sockaddr(sa unix.Sockaddr) (*C.struct_sockaddr, C.socklen_t, error) {
	switch sa := sa.(type) {
	case *unix.SockaddrUnix:
		if len(sa.Name) > len(c.un.sun_path) {
			return nil, 0, unix.EINVAL
		}
		name := C.CString(sa.Name) // the bytes of Name, NUL bytes included
		defer C.free(unsafe.Pointer(name))
		C.cipc_sockaddr_un(&c.un, name, C.size_t(len(sa.Name)))
		return (*C.struct_sockaddr)(unsafe.Pointer(&c.un)), C.socklen_t(unsafe.Sizeof(c.un)), nil
	case *unix.SockaddrInet4:
		if sa.Port < 0 || sa.Port > 0xffff {
			return nil, 0, unix.EINVAL
		}
		addr := sa.Addr
		C.cipc_sockaddr_in(&c.in, C.int(sa.Port), (*C.uchar)(unsafe.Pointer(&addr[0])))
		return (*C.struct_sockaddr)(unsafe.Pointer(&c.in)), C.socklen_t(unsafe.Sizeof(c.in)), nil
	}
	return nil, 0, unix.EAFNOSUPPORT
}

// Bind calls bind(2) in glibc with sa, a *unix.SockaddrUnix or a
// *unix.SockaddrInet4, filled in a struct sockaddr_un or struct
// sockaddr_in as a C program fills it (see goipc.Bind).
func Bind(fd int, sa unix.Sockaddr) error {
	var c cSockaddr
	p, n, err := c.sockaddr(sa)
	if err != nil {
		return err
	}
	if r, err := C.bind(C.int(fd), p, n); r != 0 {
		return err
	}
	return nil
}

// Connect calls connect(2) in glibc with sa, passed as Bind passes it.
func Connect(fd int, sa unix.Sockaddr) error {
	var c cSockaddr
	p, n, err := c.sockaddr(sa)
	if err != nil {
		return err
	}
	if r, err := C.connect(C.int(fd), p, n); r != 0 {
		return err
	}
	return nil
}

// Listen calls listen(2) in glibc.
func Listen(fd, backlog int) error {
	if r, err := C.listen(C.int(fd), C.int(backlog)); r != 0 {
		return err
	}
	return nil
}

// Accept calls accept(2) in glibc with an address buffer and returns the
// new descriptor and the peer's address: a *unix.SockaddrUnix, a
// *unix.SockaddrInet4, or nil for other families.
func Accept(fd int) (int, unix.Sockaddr, error) {
	var ss C.struct_sockaddr_storage
	n := C.socklen_t(unsafe.Sizeof(ss))
	nfd, err := C.accept(C.int(fd), (*C.struct_sockaddr)(unsafe.Pointer(&ss)), &n)
	if nfd < 0 {
		return -1, nil, err
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&ss)), unsafe.Sizeof(ss))
	return int(nfd), sockaddrFromRaw(raw, int(n)), nil
}

// Getsockname calls getsockname(2) in glibc and returns the address that
// the socket fd is bound to, read as Accept reads the peer's.
func Getsockname(fd int) (unix.Sockaddr, error) {
	var ss C.struct_sockaddr_storage
	n := C.socklen_t(unsafe.Sizeof(ss))
	if r, err := C.getsockname(C.int(fd), (*C.struct_sockaddr)(unsafe.Pointer(&ss)), &n); r != 0 {
		return nil, err
	}
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&ss)), unsafe.Sizeof(ss))
	return sockaddrFromRaw(raw, int(n)), nil
}

// Shutdown calls shutdown(2) in glibc.
func Shutdown(fd, how int) error {
	if r, err := C.shutdown(C.int(fd), C.int(how)); r != 0 {
		return err
	}
	return nil
}

// Send calls send(2) in glibc and returns the count sent. Without
// MSG_NOSIGNAL, the SIGPIPE that comes with EPIPE reaches the Go runtime's
// handler, which does not end the process (see Write).
func Send(fd int, p []byte, flags int) (int, error) {
	n, err := C.send(C.int(fd), bufPtr(p), C.size_t(len(p)), C.int(flags))
	if n < 0 {
		return -1, err
	}
	return int(n), nil
}

// Recv calls recv(2) in glibc and returns the count received; 0 means the
// peer has shut down its sending side.
func Recv(fd int, p []byte, flags int) (int, error) {
	n, err := C.recv(C.int(fd), bufPtr(p), C.size_t(len(p)), C.int(flags))
	if n < 0 {
		return -1, err
	}
	return int(n), nil
}

// Poll calls poll(2) in glibc on fds, whose layout is struct pollfd's, and
// returns the number of entries whose Revents is not 0.
func Poll(fds []unix.PollFd, timeout int) (int, error) {
	var p *C.struct_pollfd
	if len(fds) > 0 {
		p = (*C.struct_pollfd)(unsafe.Pointer(&fds[0]))
	}
	n, err := C.poll(p, C.nfds_t(len(fds)), C.int(timeout))
	if n < 0 {
		return -1, err
	}
	return int(n), nil
}

// SetsockoptInt calls setsockopt(2) in glibc with an int option value.
func SetsockoptInt(fd, level, opt, value int) error {
	if r, err := C.cipc_setsockopt_int(C.int(fd), C.int(level), C.int(opt), C.int(value)); r != 0 {
		return err
	}
	return nil
}

// sockaddrFromRaw reads the n bytes of a struct sockaddr that the kernel
// wrote into raw, as goipc reads them: an AF_UNIX name runs to its NUL (an
// abstract name, which starts with a NUL, keeps all its bytes), an AF_INET
// port is in network byte order.
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

// SockServerMain runs sock_server_main of c_reference/sock.c.
func SockServerMain(args []string) (int, error) {
	return CallMain(creference.SockServerMain, args)
}

// SockClientMain runs sock_client_main of c_reference/sock.c.
func SockClientMain(args []string) (int, error) {
	return CallMain(creference.SockClientMain, args)
}
