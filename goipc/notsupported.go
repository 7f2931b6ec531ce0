package goipc

import (
	"errors"
	"runtime"
)

//go:generate go run gen_unsupported.go

// ErrNotSupported is the error of every goipc call on a system other than
// Linux. goipc is made of Linux system calls (mq_open, futex, pipe2,
// mknodat, ...), so elsewhere the package holds only unsupported.go: the
// same exported API, in which every function fails with ErrNotSupported
// (and -1 or zero for its other results) and every program (PipeMain and
// the others) returns 1 and ErrNotSupported. On Linux no call returns it.
var ErrNotSupported = errors.New("goipc: Linux only: not supported on " + runtime.GOOS)
