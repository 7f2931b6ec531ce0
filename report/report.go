//go:build linux

package report

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// EnvFD names the environment variable that holds the descriptor.
const EnvFD = "IPCPARITY_REPORT_FD"

// Exit reports err's errno when status is not 0 and exits with status.
func Exit(status int, err error) {
	if status != 0 {
		Errno(err)
	}
	os.Exit(status)
}

// Errno writes the line {"errno":N} for err's errno to the descriptor that
// IPCPARITY_REPORT_FD names, and reports whether it did. It writes nothing
// when err holds no errno (errors.As with a unix.Errno, which is
// syscall.Errno: an *os.PathError from os.Open will do) or when the
// variable is unset or not a number.
func Errno(err error) bool {
	var errno unix.Errno
	if !errors.As(err, &errno) || errno == 0 {
		return false
	}
	s := os.Getenv(EnvFD)
	if s == "" {
		return false
	}
	fd, convErr := strconv.Atoi(s)
	if convErr != nil {
		return false
	}
	line := fmt.Appendf(nil, "{\"errno\":%d}\n", int(errno))
	n, werr := unix.Write(fd, line)
	return werr == nil && n == len(line)
}

// ErrnoName is the symbolic name of e ("ENOENT"), or "errno N".
func ErrnoName(e unix.Errno) string {
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return "errno " + strconv.Itoa(int(e))
}
