//go:build linux

package goidiom

import (
	"strings"
	"syscall"
	"testing"
)

// TestSockAddress holds SockAddress to sock.c's sock_address: the same
// names accepted, the same errno for those refused.
func TestSockAddress(t *testing.T) {
	for _, tt := range []struct {
		name, network, address string
		err                    error
	}{
		{"unix:server_socket", "unix", "server_socket", nil},
		{"unix:" + strings.Repeat("p", 107), "unix", strings.Repeat("p", 107), nil},
		{"tcp:127.0.0.1:0", "tcp4", "127.0.0.1:0", nil},
		{"tcp:127.0.0.1:65535", "tcp4", "127.0.0.1:65535", nil},
		{"unix:", "", "", syscall.ENOENT},
		{"unix:" + strings.Repeat("p", 108), "", "", syscall.ENAMETOOLONG},
		{"udp:127.0.0.1:80", "", "", syscall.EINVAL},
		{"server_socket", "", "", syscall.EINVAL},
		{"unix", "", "", syscall.EINVAL},
		{"tcp:127.0.0.1", "", "", syscall.EINVAL},
		{"tcp:127.0.0.1:", "", "", syscall.EINVAL},
		{"tcp:127.0.0.1:65536", "", "", syscall.EINVAL},
		{"tcp:127.0.0.1:+80", "", "", syscall.EINVAL},
		{"tcp:127.0.0.1:000080", "", "", syscall.EINVAL},
		{"tcp:127.0.0.01:80", "", "", syscall.EINVAL},
		{"tcp:127.0.0:80", "", "", syscall.EINVAL},
		{"tcp:localhost:80", "", "", syscall.EINVAL},
		{"tcp:1234567890123456:80", "", "", syscall.EINVAL},
		{"tcp:[::1]:80", "", "", syscall.EINVAL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("IPC_NAME", tt.name)
			network, address, err := SockAddress()
			if network != tt.network || address != tt.address || err != tt.err {
				t.Errorf("SockAddress() = %q, %q, %v; want %q, %q, %v", network, address, err, tt.network, tt.address, tt.err)
			}
		})
	}
}
