package runner

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// siginfoPid is si_pid of a siginfo filled by waitid: 0 when WNOHANG found
// no child that had changed state.
func siginfoPid(info *unix.Siginfo) int {
	// si_signo, si_errno, si_code (3 int32), padding to 16 bytes on 64-bit,
	// then si_pid.
	return int(*(*int32)(unsafe.Add(unsafe.Pointer(info), 16)))
}
