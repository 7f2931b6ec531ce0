//go:build linux

package callscript

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The socket calls of call scripts, as strace writes them:
//
//	socket(AF_UNIX, SOCK_STREAM, 0) = $s
//	bind($s, {sa_family=AF_UNIX, sun_path="srv"}, 110) = 0
//	bind($s, {sa_family=AF_INET, sin_port=0, sin_addr="127.0.0.1"}, 16) = 0
//	listen($s, 5) = 0
//	getsockname($s, {sa_family=AF_INET, sin_port=$port, sin_addr="127.0.0.1"}, addrlen) = 0
//	connect($c, {sa_family=AF_INET, sin_port=$port, sin_addr="127.0.0.1"}, 16) = 0
//	accept($s, NULL, NULL) = $a
//	accept($s, addr, addrlen) = $a
//	send($c, "hello", 5, MSG_NOSIGNAL) = 5
//	recv($a, buf, 16, 0) = 5
//	shutdown($c, SHUT_WR) = 0
//	setsockopt($s, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
//	poll([{fd=$s, events=POLLIN}, {fd=$a, events=POLLIN|POLLOUT}], 2, 0) = 1
//
// An address is a structure of the fields of struct sockaddr_un
// (sa_family, sun_path) or struct sockaddr_in (sa_family, sin_port,
// sin_addr). Two things differ from strace, whose parser this is not:
// sin_port is the port in host byte order (strace writes htons(PORT)) and
// sin_addr is the dotted address as a string (strace writes
// inet_addr("A.B.C.D")). bind and connect fill a zeroed structure as the C
// programs do and pass its size, which the script writes as the third
// argument: 110 (sizeof(struct sockaddr_un)) or 16 (sizeof(struct
// sockaddr_in)); a sun_path longer than 108 bytes cannot be passed (EINVAL
// without a call). Socket files are paths relative to the script's own
// directory, which the runner removes; a script unlinks what it binds, or
// the runner reports it as left behind.
//
// A port depends on the run. Where an address field is a variable, the
// transcript shows the variable's name, not its value: getsockname and
// accept bind the variable to what the call wrote there, and bind and
// connect take its value. getsockname and accept write an address where
// their second argument stands, and show there what they wrote, field by
// field: in the order of the structure the script gives, or all fields for
// a lower-case name (addr); an unnamed Unix socket (a client's) shows as
// {sa_family=AF_UNIX}. A TCP peer's port is ephemeral, so a script names it
// with a variable or passes NULL. The last argument (addrlen) stands for
// the length, which the interpreter passes; it shows as written. BADPTR
// for the address or addrlen, or NULL for one of them, passes them as they
// are, for EFAULT (rawAddrArgs).
//
// poll's first argument is an array of struct pollfd, of any descriptors
// (a pipe, a FIFO, a queue, an eventfd or timerfd: see fd.go); the transcript shows
// after the result, as strace does, the entries whose revents is not 0:
// "= 1 ([{fd=3, revents=POLLIN}])". setsockopt takes an int option value in
// brackets and its size, 4.
//
// read, write, close and fcntl are the pipe's (calls_pipe.go) and work on
// sockets too; unlink is the FIFO's (calls_fifo.go).

// pollBits names the poll event bits in the order strace shows them;
// others show in hexadecimal.
var pollBits = []namedBit[int16]{
	{"POLLIN", unix.POLLIN}, {"POLLPRI", unix.POLLPRI}, {"POLLOUT", unix.POLLOUT},
	{"POLLERR", unix.POLLERR}, {"POLLHUP", unix.POLLHUP}, {"POLLNVAL", unix.POLLNVAL},
	{"POLLRDHUP", unix.POLLRDHUP},
}

// namedBit is a flag bit and its name.
type namedBit[T int16 | uint32] struct {
	name string
	bit  T
}

// showBits shows flag bits as strace does, POLLIN|POLLHUP: the names of
// bits in the order given, then what is left in hexadecimal.
func showBits[T int16 | uint32](v T, bits []namedBit[T]) string {
	var names []string
	for _, b := range bits {
		if v&b.bit != 0 {
			names = append(names, b.name)
			v &^= b.bit
		}
	}
	if v != 0 || len(names) == 0 {
		rest := fmt.Sprintf("%#x", v)
		if x, ok := any(v).(int16); ok {
			rest = fmt.Sprintf("%#x", uint16(x)) // revents is a short
		}
		names = append(names, rest)
	}
	return strings.Join(names, "|")
}

// addrFields are the fields an address structure may have.
var addrFields = []string{"sa_family", "sun_path", "sin_port", "sin_addr"}

// sockaddrIn evaluates argument i, an address for bind or connect, and
// shows it with its variables by name.
func sockaddrIn(c *Call, i int) (unix.Sockaddr, error) {
	e, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	if e.Kind != ExprStruct {
		return nil, fmt.Errorf("%s: expected an address {sa_family=..., ...}", e.Src)
	}
	var family int64 = -1
	var path *string
	var port *int64
	var addr *[4]byte
	shown := make([]string, len(e.Elems))
	for k, f := range e.Elems {
		shown[k] = f.Field + "=" + f.Src
		switch f.Field {
		case "sa_family":
			if family, err = c.evalInt(f); err != nil {
				return nil, err
			}
		case "sun_path":
			if f.Kind != ExprString {
				return nil, fmt.Errorf("%s: sun_path is a string", f.Src)
			}
			s := strings.ReplaceAll(f.Str, "$RUN", c.run)
			if f.Rep > 0 {
				s = strings.Repeat(s, int(f.Rep))
			}
			path = &s
		case "sin_port":
			v, err := c.evalInt(f)
			if err != nil {
				return nil, err
			}
			port = &v
		case "sin_addr":
			if f.Kind != ExprString {
				return nil, fmt.Errorf("%s: sin_addr is a string \"A.B.C.D\"", f.Src)
			}
			ip, err := netip.ParseAddr(f.Str)
			if err != nil || !ip.Is4() {
				return nil, fmt.Errorf("%s: sin_addr is an IPv4 address \"A.B.C.D\"", f.Src)
			}
			a := ip.As4()
			addr = &a
		default:
			return nil, fmt.Errorf("%s has no field %s (fields: %s)", e.Src, f.Field, strings.Join(addrFields, ", "))
		}
	}
	c.Show(i, "{"+strings.Join(shown, ", ")+"}")
	switch family {
	case unix.AF_UNIX:
		if port != nil || addr != nil {
			return nil, fmt.Errorf("%s: an AF_UNIX address has sun_path only", e.Src)
		}
		sa := &unix.SockaddrUnix{}
		if path != nil {
			sa.Name = *path
		}
		return sa, nil
	case unix.AF_INET:
		if path != nil {
			return nil, fmt.Errorf("%s: an AF_INET address has sin_port and sin_addr", e.Src)
		}
		sa := &unix.SockaddrInet4{}
		if port != nil {
			sa.Port = int(*port)
		}
		if addr != nil {
			sa.Addr = *addr
		}
		return sa, nil
	}
	return nil, fmt.Errorf("%s: sa_family is AF_UNIX or AF_INET", e.Src)
}

// sockaddrLen checks argument i, the length that bind or connect pass: the
// size of the address's structure.
func sockaddrLen(c *Call, i int, sa unix.Sockaddr) error {
	n, err := c.Int(i)
	if err != nil {
		return err
	}
	want := int64(unix.SizeofSockaddrUnix)
	if _, ok := sa.(*unix.SockaddrInet4); ok {
		want = unix.SizeofSockaddrInet4
	}
	if n != want {
		return fmt.Errorf("the length of this address is %d, the size of its structure, not %d", want, n)
	}
	return nil
}

// sockaddrOut shows in argument i the address a call wrote, and binds the
// variables that the script gives in its fields.
func sockaddrOut(c *Call, i int, sa unix.Sockaddr) error {
	e, err := c.arg(i)
	if err != nil {
		return err
	}
	var values [][2]string // field, value as shown
	var ints = map[string]int64{}
	switch sa := sa.(type) {
	case *unix.SockaddrUnix:
		values = append(values, [2]string{"sa_family", "AF_UNIX"})
		if sa.Name != "" {
			values = append(values, [2]string{"sun_path", Quote([]byte(sa.Name))})
		}
	case *unix.SockaddrInet4:
		values = append(values, [2]string{"sa_family", "AF_INET"},
			[2]string{"sin_port", strconv.Itoa(sa.Port)},
			[2]string{"sin_addr", strconv.Quote(netip.AddrFrom4(sa.Addr).String())})
		ints["sin_port"] = int64(sa.Port)
	case nil:
		values = append(values, [2]string{"sa_family", "?"})
	}
	lookup := func(field string) (string, bool) {
		for _, v := range values {
			if v[0] == field {
				return v[1], true
			}
		}
		return "", false
	}
	switch e.Kind {
	case ExprOut:
		parts := make([]string, len(values))
		for k, v := range values {
			parts[k] = v[0] + "=" + v[1]
		}
		c.Show(i, "{"+strings.Join(parts, ", ")+"}")
		return nil
	case ExprStruct:
		parts := make([]string, len(e.Elems))
		for k, f := range e.Elems {
			if !slices.Contains(addrFields, f.Field) {
				return fmt.Errorf("%s has no field %s (fields: %s)", e.Src, f.Field, strings.Join(addrFields, ", "))
			}
			v, ok := lookup(f.Field)
			if !ok {
				v = "?" // the address has no such field
			}
			if f.Kind == ExprVar {
				n, isInt := ints[f.Field]
				if !isInt {
					return fmt.Errorf("%s: only sin_port binds a variable", f.Src)
				}
				c.Bind(f.Name, n)
				v = f.Src
			}
			parts[k] = f.Field + "=" + v
		}
		c.Show(i, "{"+strings.Join(parts, ", ")+"}")
		return nil
	}
	return fmt.Errorf("%s: expected an address structure or a lower-case name (addr)", e.Src)
}

// sockFd is argument i as a descriptor.
func sockFd(c *Call, i int) (int, error) {
	v, err := c.Int(i)
	return int(v), err
}

// rawAddrArgs evaluates the address and addrlen of accept and getsockname
// (arguments 1 and 2) when either is BADPTR, or one of them alone is NULL:
// raw says so, and each is the pointer given, or, for a name, a
// sockaddr_storage and a socklen_t of its size (128) that the interpreter
// passes and does not show (the kernel writes nothing there but for
// accept with a NULL address, which leaves addrlen alone).
func rawAddrArgs(c *Call) (addr, addrlen unsafe.Pointer, raw bool, err error) {
	var p [2]unsafe.Pointer
	var isRaw, isNull [2]bool
	for k := range p {
		if p[k], isRaw[k], err = pointerArg(c, 1+k); err != nil {
			return nil, nil, false, err
		}
		isNull[k] = isRaw[k] && p[k] == nil
	}
	if !(isRaw[0] || isRaw[1]) || isNull[0] && isNull[1] {
		return nil, nil, false, nil
	}
	if !isRaw[0] {
		if e, _ := c.arg(1); e.Kind != ExprOut {
			return nil, nil, false, fmt.Errorf("%s: with NULL or BADPTR for addrlen, the address is a name (addr), NULL or BADPTR", e.Src)
		}
		p[0] = unsafe.Pointer(new(unix.RawSockaddrAny))
	}
	if !isRaw[1] {
		if e, _ := c.arg(2); e.Kind != ExprOut {
			return nil, nil, false, fmt.Errorf("%s: expected addrlen, NULL or BADPTR", e.Src)
		}
		n := uint32(unix.SizeofSockaddrAny)
		p[1] = unsafe.Pointer(&n)
	}
	return p[0], p[1], true, nil
}

// Sock is the table of the sock calls.
var Sock = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"AF_UNIX": unix.AF_UNIX, "AF_LOCAL": unix.AF_LOCAL, "AF_INET": unix.AF_INET, "AF_INET6": unix.AF_INET6,
		"SOCK_STREAM": unix.SOCK_STREAM, "SOCK_DGRAM": unix.SOCK_DGRAM, "SOCK_SEQPACKET": unix.SOCK_SEQPACKET,
		"SOCK_RAW": unix.SOCK_RAW, "SOCK_NONBLOCK": unix.SOCK_NONBLOCK, "SOCK_CLOEXEC": unix.SOCK_CLOEXEC,
		"IPPROTO_TCP": unix.IPPROTO_TCP, "IPPROTO_UDP": unix.IPPROTO_UDP,
		"SHUT_RD": unix.SHUT_RD, "SHUT_WR": unix.SHUT_WR, "SHUT_RDWR": unix.SHUT_RDWR,
		"MSG_NOSIGNAL": unix.MSG_NOSIGNAL, "MSG_DONTWAIT": unix.MSG_DONTWAIT, "MSG_PEEK": unix.MSG_PEEK,
		"MSG_WAITALL": unix.MSG_WAITALL,
		"SOL_SOCKET":  unix.SOL_SOCKET, "SO_REUSEADDR": unix.SO_REUSEADDR, "SO_KEEPALIVE": unix.SO_KEEPALIVE,
		"SO_RCVBUF": unix.SO_RCVBUF, "SO_SNDBUF": unix.SO_SNDBUF,
		"SOMAXCONN": unix.SOMAXCONN,
	} {
		t.symbols[name] = v
	}
	for _, b := range pollBits {
		t.symbols[b.name] = int64(b.bit)
	}

	// socket(DOMAIN, TYPE, PROTOCOL): the new descriptor.
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "socket", func(c *Call, api sides.Sock) (int64, error) {
		a, err := c.Ints(3)
		if err != nil {
			return 0, err
		}
		return count(api.Socket(a[0], a[1], a[2]))
	})
	// bind(FD, ADDRESS, LEN) and connect(FD, ADDRESS, LEN)
	for name, pick := range map[string]func(sides.Sock) func(int, unix.Sockaddr) error{
		"bind":    func(a sides.Sock) func(int, unix.Sockaddr) error { return a.Bind },
		"connect": func(a sides.Sock) func(int, unix.Sockaddr) error { return a.Connect },
	} {
		t.calls[name] = func(c *Call) (int64, error) {
			api := c.api.Sock
			if err := c.Arity(3); err != nil {
				return 0, err
			}
			fd, err := sockFd(c, 0)
			if err != nil {
				return 0, err
			}
			if p, raw, err := pointerArg(c, 1); err != nil || raw {
				if err != nil {
					return 0, err
				}
				n, err := c.Int(2)
				if err != nil {
					return 0, err
				}
				rawOp := c.api.Raw.Bind
				if name == "connect" {
					rawOp = c.api.Raw.Connect
				}
				return status(rawOp(fd, p, uint32(n)))
			}
			sa, err := sockaddrIn(c, 1)
			if err != nil {
				return 0, err
			}
			if err := sockaddrLen(c, 2, sa); err != nil {
				return 0, err
			}
			if err := pick(api)(fd, sa); err != nil {
				return -1, err
			}
			return 0, nil
		}
	}
	// listen(FD, BACKLOG)
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "listen", func(c *Call, api sides.Sock) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		return status(api.Listen(a[0], a[1]))
	})
	// accept(FD, NULL, NULL) or accept(FD, ADDRESS, addrlen): the new
	// descriptor; ADDRESS shows the peer's address.
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "accept", func(c *Call, api sides.Sock) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		fd, err := sockFd(c, 0)
		if err != nil {
			return 0, err
		}
		if addr, addrlen, raw, err := rawAddrArgs(c); err != nil || raw {
			if err != nil {
				return 0, err
			}
			return count(c.api.Raw.Accept(fd, addr, addrlen))
		}
		if c.IsNull(1) != c.IsNull(2) {
			return 0, fmt.Errorf("accept takes NULL, NULL or an address and addrlen")
		}
		nfd, sa, aerr := api.Accept(fd)
		if aerr != nil {
			return int64(nfd), aerr // as the side returned it (raw)
		}
		if !c.IsNull(1) {
			if err := sockaddrOut(c, 1, sa); err != nil {
				return 0, err
			}
		}
		return int64(nfd), nil
	})
	// getsockname(FD, ADDRESS, addrlen): ADDRESS shows the socket's own
	// address.
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "getsockname", func(c *Call, api sides.Sock) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		fd, err := sockFd(c, 0)
		if err != nil {
			return 0, err
		}
		if addr, addrlen, raw, err := rawAddrArgs(c); err != nil || raw {
			if err != nil {
				return 0, err
			}
			return status(c.api.Raw.Getsockname(fd, addr, addrlen))
		}
		sa, gerr := api.Getsockname(fd)
		if gerr != nil {
			return -1, gerr
		}
		if err := sockaddrOut(c, 1, sa); err != nil {
			return 0, err
		}
		return 0, nil
	})
	// shutdown(FD, HOW)
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "shutdown", func(c *Call, api sides.Sock) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		return status(api.Shutdown(a[0], a[1]))
	})
	// send(FD, "data", COUNT, FLAGS): COUNT bytes of the data (at most its
	// length).
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "send", func(c *Call, api sides.Sock) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		fd, err := sockFd(c, 0)
		if err != nil {
			return 0, err
		}
		data, _, err := inBuffer(c, 1) // or NULL or BADPTR (mem.go)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(3)
		if err != nil {
			return 0, err
		}
		return count(api.Send(fd, data, int(flags)))
	})
	// recv(FD, buf, COUNT, FLAGS): the transcript shows what was received
	// in place of buf.
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "recv", func(c *Call, api sides.Sock) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		fd, err := sockFd(c, 0)
		if err != nil {
			return 0, err
		}
		buf, raw, err := outBuffer(c, 1, 2) // raw: NULL or BADPTR (mem.go)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(3)
		if err != nil {
			return 0, err
		}
		got, rerr := api.Recv(fd, buf, int(flags))
		if rerr != nil {
			return int64(got), rerr // as the side returned it (raw)
		}
		if !raw {
			c.Show(1, Quote(buf[:got]))
		}
		return int64(got), nil
	})
	// setsockopt(FD, LEVEL, OPTNAME, [VALUE], 4)
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "setsockopt", func(c *Call, api sides.Sock) (int64, error) {
		var err error
		if err := c.Arity(5); err != nil {
			return 0, err
		}
		var a [3]int64
		for i := range a {
			if a[i], err = c.Int(i); err != nil {
				return 0, err
			}
		}
		e, _ := c.arg(3)
		if e.Kind != ExprArray || len(e.Elems) != 1 {
			return 0, fmt.Errorf("%s: expected an int value in brackets: [1]", e.Src)
		}
		value, err := c.evalInt(e.Elems[0])
		if err != nil {
			return 0, err
		}
		if n, err := c.Int(4); err != nil || n != 4 {
			return 0, fmt.Errorf("setsockopt takes an int: its size is 4")
		}
		return status(api.SetsockoptInt(int(a[0]), int(a[1]), int(a[2]), int(value)))
	})
	// poll([{fd=FD, events=EVENTS}, ...], NFDS, TIMEOUT): the number of
	// entries with events; the transcript adds them after the result.
	sided(t, func(a *sides.API) sides.Sock { return a.Sock }, "poll", func(c *Call, api sides.Sock) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		if p, raw, err := pointerArg(c, 0); err != nil || raw {
			// NULL or BADPTR for nfds entries (mem.go's rawSlice).
			if err != nil {
				return 0, err
			}
			nfds, err := c.Int(1)
			if err != nil {
				return 0, err
			}
			timeout, err := c.Int(2)
			if err != nil {
				return 0, err
			}
			if nfds < 0 || nfds > 64 || timeout < 0 {
				return 0, fmt.Errorf("poll of NULL or BADPTR: nfds 0 to 64 and a timeout that is not negative")
			}
			return count(api.Poll(rawSlice[unix.PollFd](p, int(nfds)), int(timeout)))
		}
		e, _ := c.arg(0)
		if e.Kind != ExprArray {
			return 0, fmt.Errorf("%s: expected an array of {fd=..., events=...}, NULL or BADPTR", e.Src)
		}
		fds := make([]unix.PollFd, len(e.Elems))
		for k, el := range e.Elems {
			if el.Kind != ExprStruct {
				return 0, fmt.Errorf("%s: expected {fd=..., events=...}", el.Src)
			}
			for _, f := range el.Elems {
				v, err := c.evalInt(f)
				if err != nil {
					return 0, err
				}
				switch f.Field {
				case "fd":
					fds[k].Fd = int32(v)
				case "events":
					fds[k].Events = int16(v)
				default:
					return 0, fmt.Errorf("%s has no field %s (fields: fd, events)", el.Src, f.Field)
				}
			}
		}
		nfds, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		if nfds != int64(len(fds)) {
			return 0, fmt.Errorf("poll's nfds is %d, the length of the array, not %d", len(fds), nfds)
		}
		timeout, err := c.Int(2)
		if err != nil {
			return 0, err
		}
		n, perr := api.Poll(fds, int(timeout))
		if perr != nil {
			return int64(n), perr // as the side returned it (raw)
		}
		var ready []string
		for _, f := range fds {
			if f.Revents != 0 {
				ready = append(ready, fmt.Sprintf("{fd=%d, revents=%s}", f.Fd, showBits(f.Revents, pollBits)))
			}
		}
		if len(ready) > 0 {
			c.Ret = fmt.Sprintf("%d ([%s])", n, strings.Join(ready, ", "))
		}
		return int64(n), nil
	})
})
