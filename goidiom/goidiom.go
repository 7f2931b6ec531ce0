//go:build linux

package goidiom

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/ipcparity/ipcparity/goipc"
)

// Perror writes prefix, a colon, a blank and the text of err's errno to
// standard error, as C's perror(prefix) does: the text is glibc's
// ("No such file or directory"), not Go's lower-case one. An err that holds
// no errno prints its own text.
func Perror(prefix string, err error) {
	text := err.Error()
	if errno, ok := errors.AsType[syscall.Errno](err); ok {
		text = goipc.Strerror(errno)
	}
	fmt.Fprintf(os.Stderr, "%s: %s\n", prefix, text)
}

// SyscallName is the name of the system call that failed in err ("bind",
// "connect"), as package os and package net record it in an
// *os.SyscallError, or "" when err names none.
func SyscallName(err error) string {
	if se, ok := errors.AsType[*os.SyscallError](err); ok {
		return se.Syscall
	}
	return ""
}

// ipcName is the name of the programs' IPC object: IPC_NAME when it is set
// (even to the empty string, as getenv(3) sees it), else def.
func ipcName(def string) string {
	if name, ok := os.LookupEnv("IPC_NAME"); ok {
		return name
	}
	return def
}
