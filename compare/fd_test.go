//go:build linux

package compare

import "testing"

// TestFdCallScripts runs the scripts of the descriptor calls (the common
// table fd: dup, socketpair, eventfd, epoll, memfd, timerfd, signalfd) on
// both sides. compare/callscript's TestFDWrongSides holds each script to a
// wrong side it catches.
func TestFdCallScripts(t *testing.T) { t.Parallel(); checkScripts(t, "fd", 7) }
