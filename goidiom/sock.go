//go:build linux

package goidiom

import (
	"net/netip"
	"strconv"
	"strings"
	"syscall"
)

const (
	// MaxClients is the number of clients sock_server serves at once;
	// more wait in the listening socket's backlog.
	MaxClients = 16
	// MessageMax is the part of a client's message that sock_server
	// keeps (the queue pair's char msg[64] less its NUL); it reads and
	// drops the rest.
	MessageMax = 63
	// AnswerMax is the most of the server's answer that sock_client reads
	// (its char answer[128] less the NUL).
	AnswerMax = 127
)

// SockAddress is the address of sock_server and sock_client, from
// IPC_NAME (default "unix:server_socket"), as the network and address that
// net.Listen and net.Dial take: "unix:PATH" gives "unix" and PATH, relative
// to the working directory; "tcp:A.B.C.D:PORT" gives "tcp4" and
// "A.B.C.D:PORT".
//
// It refuses what sock.c refuses, with the same errno: an empty PATH gives
// ENOENT, a PATH of 108 bytes or more ENAMETOOLONG (sun_path holds 107 and
// the NUL; package net would bind 108 bytes without the NUL), and anything
// else that is not of these forms EINVAL: a host that is not a dotted IPv4
// address (no names, no leading zeros), a port that is not 1 to 5 digits up
// to 65535.
func SockAddress() (network, address string, err error) {
	name := ipcName("unix:server_socket")

	if path, ok := strings.CutPrefix(name, "unix:"); ok {
		switch {
		case path == "":
			return "", "", syscall.ENOENT
		case len(path) >= len(syscall.RawSockaddrUnix{}.Path):
			return "", "", syscall.ENAMETOOLONG
		}
		return "unix", path, nil
	}

	if hostport, ok := strings.CutPrefix(name, "tcp:"); ok {
		i := strings.LastIndexByte(hostport, ':')
		if i < 0 {
			return "", "", syscall.EINVAL
		}
		host, port := hostport[:i], hostport[i+1:]
		ip, err := netip.ParseAddr(host)
		if err != nil || !ip.Is4() {
			return "", "", syscall.EINVAL
		}
		p, err := strconv.ParseUint(port, 10, 16) // digits only: no sign
		if err != nil || len(port) > 5 {
			return "", "", syscall.EINVAL
		}
		return "tcp4", netip.AddrPortFrom(ip, uint16(p)).String(), nil
	}

	return "", "", syscall.EINVAL
}
