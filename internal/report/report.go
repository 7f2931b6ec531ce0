// Package report is the side channel between a program's form and the
// ipcparity runner: the errno of the call that made a program fail, sent as
// one JSON line {"errno":N} to the descriptor named by IPCPARITY_REPORT_FD,
// so that stdout and stderr stay the program's own. The C thin mains write
// the same line (c_reference/report.c).
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
	var errno unix.Errno
	if status != 0 && errors.As(err, &errno) && errno != 0 {
		if s := os.Getenv(EnvFD); s != "" {
			if fd, convErr := strconv.Atoi(s); convErr == nil {
				unix.Write(fd, fmt.Appendf(nil, "{\"errno\":%d}\n", int(errno)))
			}
		}
	}
	os.Exit(status)
}

// ErrnoName is the symbolic name of e ("ENOENT"), or "errno N".
func ErrnoName(e unix.Errno) string {
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return "errno " + strconv.Itoa(int(e))
}
